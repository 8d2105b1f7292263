"""Turn a recorded pass into the numbered steps of a worked solution.

With one hidden layer the steps are the paper's eleven: 1 givens; 2 hidden-layer
input; 3 hidden activation; 4 output-layer input and output; 5 error; 6 slopes;
7 output delta; 8 hidden-layer error; 9 hidden delta; 10 weight updates; 11 bias
updates. Other depths repeat steps 2-3 and 8-9 once per hidden layer. Every matrix
is oriented for the spec's layout: in the column layout samples are columns and
the formulas read z = W . x + b.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from nntrace.engine import Layer, Network, Record
from nntrace.expansions import TIMES, Expansions, Policy, expand_elements, plain_sum, scaled, sum_of_products
from nntrace.names import INPUTS, TARGETS
from nntrace.spec import in_layout

T = "\u1d40"  # superscript T
DOT = "\u00b7"
HADAMARD = "\u2299"
MINUS = "\u2212"
ETA = "\u03b7"
ARROW = "\u2190"


@dataclass(frozen=True)
class Matrix:
    value: np.ndarray  # 2-D, already oriented for the layout
    function: str | None = None  # shown applied: sigma(matrix)
    result: bool = False  # the quantity the equation computes


@dataclass(frozen=True)
class Symbol:
    text: str


@dataclass(frozen=True)
class Operator:
    text: str


Piece = Matrix | Symbol | Operator


@dataclass(frozen=True)
class Equation:
    lhs: str
    sides: tuple[tuple[Piece, ...], ...]  # joined by "="
    relation: str = "="
    expansions: tuple[Expansions, ...] = ()  # element by element, written under the equation


@dataclass(frozen=True)
class Step:
    number: int
    title: str
    code: tuple[str, ...] = ()
    math: tuple[str, ...] = ()
    equations: tuple[Equation, ...] = ()
    notes: tuple[str, ...] = ()
    side_by_side: bool = False  # short equations that may share a line


@dataclass
class _Context:
    network: Network
    record: Record
    layout: str
    policy: Policy
    steps: list[Step] = field(default_factory=list)

    def expand(self, symbol: str, result: Matrix, terms: int, parts_of, vector: bool = False) -> tuple[Expansions, ...]:
        expansions = expand_elements(self.policy, symbol, result.value, terms, parts_of, vector)
        return (expansions,) if expansions else ()

    def expand_product(
        self, symbol: str, left: Matrix, right: Matrix, result: Matrix, bias: Matrix | None = None
    ) -> tuple[Expansions, ...]:
        biases = None if bias is None else np.broadcast_to(bias.value, result.value.shape)
        return self.expand(
            symbol,
            result,
            left.value.shape[1] + (bias is not None),
            lambda index: sum_of_products(
                left.value[index[0], :], right.value[:, index[1]], None if biases is None else biases[index]
            ),
        )

    @property
    def columns(self) -> bool:
        return self.layout == "columns"

    def orient(self, value: np.ndarray) -> np.ndarray:
        """A stored matrix (rows layout) or bias vector, as the layout shows it."""
        return in_layout(np.atleast_2d(value), self.layout)

    def q(self, key: str, **options) -> Matrix:
        return Matrix(self.orient(self.record.quantities[key]), **options)

    def before(self, key: str) -> Matrix:
        return Matrix(self.orient(self.record.params_before[key]))

    def after(self, key: str) -> Matrix:
        return Matrix(self.orient(self.record.params_after[key]), result=True)

    def add(self, title: str, **parts) -> None:
        self.steps.append(Step(number=len(self.steps) + 1, title=title, **parts))


def epoch_steps(network: Network, record: Record, layout: str = "rows", expand: bool | None = None) -> list[Step]:
    """The numbered steps of one recorded pass (forward only when it has no targets).

    `expand`: write each element's arithmetic under the equations (None: for small results only).
    """
    ctx = _Context(network, record, layout, Policy(expand))
    layers = network.layers
    hidden = layers[:-1]
    _givens(ctx)
    for position, layer in enumerate(hidden):
        label = _hidden_label(len(hidden), position, layer)
        ctx.add(f"Input of {label}", **_layer_input(ctx, layer, network.input_key(position)))
        ctx.add(f"Activation of {label}", **_layer_activation(ctx, layer))
    _output_layer(ctx, layers[-1], network.input_key(len(hidden)))
    if TARGETS.key not in record.quantities:
        return ctx.steps
    _error(ctx, layers[-1])
    _slopes(ctx)
    _output_delta(ctx, layers[-1])
    for position in range(len(hidden) - 1, -1, -1):
        layer, after = layers[position], layers[position + 1]
        label = _hidden_label(len(hidden), position, layer)
        ctx.add(f"Error at {label}", **_hidden_error(ctx, layer, after))
        ctx.add(f"Delta of {label}", **_hidden_delta(ctx, layer))
    if network.learning_rate is not None:
        _weight_updates(ctx)
        _bias_updates(ctx)
    return ctx.steps


def _hidden_label(n_hidden: int, position: int, layer: Layer) -> str:
    if n_hidden == 1:
        return "the hidden layer"
    return f"hidden layer {position + 1} ({layer.names.layer})"


def _givens(ctx: _Context) -> None:
    record, network = ctx.record, ctx.network
    equations = [Equation(INPUTS.symbol, ((ctx.q(INPUTS.key),),))]
    if TARGETS.key in record.quantities:
        equations.append(Equation(TARGETS.symbol, ((ctx.q(TARGETS.key),),)))
    for layer in network.layers:
        equations.append(Equation(layer.names.weights.symbol, ((ctx.before(layer.names.weights.key),),)))
        equations.append(Equation(layer.names.biases.symbol, ((ctx.before(layer.names.biases.key),),)))
    if network.learning_rate is not None and TARGETS.key in record.quantities:
        equations.append(Equation(ETA, ((Symbol(_number(network.learning_rate)),),)))
    notes = ["one column per sample" if ctx.columns else "one row per sample"]
    if record.n_batches > 1:
        shown = ", ".join(str(i + 1) for i in record.samples)
        notes.append(f"batch {record.batch} of {record.n_batches}: samples {shown}")
    if TARGETS.key not in record.quantities:
        title = "Inputs and parameters"
    elif record.epoch <= 1:
        title = "Inputs, targets and initial parameters"
    else:
        title = f"Inputs, targets and the parameters left by epoch {record.epoch - 1}"
    ctx.add(title, equations=tuple(equations), notes=tuple(notes), side_by_side=True)


@dataclass(frozen=True)
class _Operand:
    code: str  # W_out.T
    symbol: str  # W_out with a superscript T
    matrix: Matrix


def _product(ctx: _Context, left: _Operand, right: _Operand) -> tuple[str, str, tuple[Piece, ...]]:
    """Code, math and pieces of `left . right` as the paper writes it; the column layout
    writes its transpose, `right . left`, with each operand shown in that layout."""
    if ctx.columns:
        left, right = right, left
    code = f"np.dot({left.code}, {right.code})"
    return code, f"{left.symbol} {DOT} {right.symbol}", (left.matrix, Operator(DOT), right.matrix)


def _quantity(ctx: _Context, key: str) -> _Operand:
    return _Operand(key, key, ctx.q(key))


def _transposed(key: str, symbol: str, value: np.ndarray, ctx: _Context) -> _Operand:
    return _Operand(f"{key}.T", f"{symbol}{T}", Matrix(ctx.orient(value).T))


def _layer_input(ctx: _Context, layer: Layer, previous: str) -> dict:
    names = layer.names
    weights = _Operand(names.weights.key, names.weights.symbol, ctx.before(names.weights.key))
    code, math, product = _product(ctx, _quantity(ctx, previous), weights)
    bias, result = ctx.before(names.biases.key), ctx.q(names.z.key, result=True)
    equation = Equation(
        names.z.symbol,
        ((*product, Operator("+"), bias), (result,)),
        expansions=ctx.expand_product(names.z.symbol, product[0], product[2], result, bias),
    )
    return dict(
        code=(f"{names.z.key} = {code} + {names.biases.key}",),
        math=(f"{names.z.symbol} = {math} + {names.biases.symbol}",),
        equations=(equation,),
    )


def _layer_activation(ctx: _Context, layer: Layer) -> dict:
    names, act = layer.names, layer.activation
    z, result = ctx.q(names.z.key, function=act.symbol), ctx.q(names.a.key, result=True)
    equation = Equation(
        names.a.symbol, ((z,), (result,)), expansions=_activation_expansions(ctx, layer, z.value, result)
    )
    notes = (act.formula,)
    if act.name == "softmax":
        notes += (f"{'column by column' if ctx.columns else 'row by row'}: each sample's outputs sum to 1",)
    return dict(
        code=(f"{names.a.key} = {act.name}({names.z.key})",),
        math=(f"{names.a.symbol} = {act.symbol}({names.z.symbol})",),
        equations=(equation,),
        notes=notes,
    )


def _activation_expansions(ctx: _Context, layer: Layer, z: np.ndarray, result: Matrix) -> tuple[Expansions, ...]:
    act, symbol = layer.activation, layer.names.a.symbol
    if act.name == "sigmoid":
        return ctx.expand(symbol, result, 1, lambda i: ["1 / (1 + e^", float(-z[i]), ")"])
    if act.name in ("tanh", "step"):
        return ctx.expand(symbol, result, 1, lambda i: [f"{act.name}(", float(z[i]), ")"])
    if act.name == "relu":
        return ctx.expand(symbol, result, 1, lambda i: ["max(0, ", float(z[i]), ")"])
    if act.name == "leaky_relu":
        return ctx.expand(
            symbol, result, 1, lambda i: [float(z[i])] if z[i] > 0 else [act.alpha, f" {TIMES} ", float(z[i])]
        )
    if act.name == "softmax":
        axis = 0 if ctx.columns else 1

        def softmax_parts(i):
            others = z[:, i[1]] if axis == 0 else z[i[0], :]
            denominator = []
            for number, value in enumerate(others):
                denominator += [" + e^" if number else "e^", float(value)]
            return ["e^", float(z[i]), " / (", *denominator, ")"]

        return ctx.expand(symbol, result, z.shape[axis], softmax_parts)
    return ()


def _output_layer(ctx: _Context, layer: Layer, previous: str) -> None:
    first, second = _layer_input(ctx, layer, previous), _layer_activation(ctx, layer)
    ctx.add(
        "Output-layer input and output",
        code=first["code"] + second["code"],
        math=first["math"] + second["math"],
        equations=first["equations"] + second["equations"],
        notes=second["notes"],
    )


def _error(ctx: _Context, layer: Layer) -> None:
    names, loss = layer.names, ctx.network.loss
    y, o = ctx.q(TARGETS.key), ctx.q(names.a.key)
    count = int(y.value.size)
    # E = -dL/dO is (y - O) times a factor that depends on the loss.
    factor, factor_code, factor_math = {
        "sse": ("2", "2 * ", "2"),
        "mse": (f"(2/{count})", "2 * ", "2"),
    }.get(loss.name, (None, "", ""))
    result = ctx.q(names.error.key, result=True)

    def error_parts(i):
        plain = [float(y.value[i]), f" {MINUS} ", float(o.value[i])]
        return plain if factor is None else [f"{factor} {TIMES} (", *plain, ")"]

    difference = (y, Operator(MINUS), o)
    sides = (difference if factor is None else (Symbol(factor), Operator(DOT), Symbol("("), *difference, Symbol(")")),)
    code = f"E = {factor_code}(y - {names.a.key})" if factor else f"E = y - {names.a.key}"
    math = f"E = {factor_math}(y {MINUS} {names.a.symbol})" if factor else f"E = y {MINUS} {names.a.symbol}"
    if loss.slope_cancels:
        notes = (
            f"E = {MINUS}\u2202L/\u2202{names.z.symbol}, for the loss {loss.formula}: with "
            f"{layer.activation.name} outputs the slope of the output cancels against the loss's own, "
            f"so E is the error of the output layer's input, not of its output",
        )
    else:
        notes = (f"E = {MINUS}\u2202L/\u2202{names.a.symbol}, for the loss {loss.formula}",)
    if loss.name == "mse":
        code, math = f"{code} / y.size", f"{math} / nk"
        notes += (f"nk = {count}: the number of target entries in the batch",)
    ctx.add(
        "Error at the output",
        code=(code,),
        math=(math,),
        notes=notes,
        equations=(
            Equation(
                names.error.symbol,
                (*sides, (result,)),
                expansions=ctx.expand(names.error.symbol, result, 2, error_parts),
            ),
        ),
    )


def _slope_equation(ctx: _Context, layer: Layer) -> tuple[str, str, Equation]:
    names, act = layer.names, layer.activation
    result = ctx.q(names.slope.key, result=True)
    if act.name == "sigmoid":
        a = ctx.q(names.a.key)
        sides = ((a, Operator(HADAMARD), Symbol("(1"), Operator(MINUS), a, Symbol(")")), (result,))
        expansions = ctx.expand(
            names.slope.symbol,
            result,
            2,
            lambda i: [float(a.value[i]), f" {TIMES} (1 {MINUS} ", float(a.value[i]), ")"],
        )
        return (
            f"{names.slope.key} = {names.a.key} * (1 - {names.a.key})",
            f"{names.slope.symbol} = {names.a.symbol} {HADAMARD} (1 {MINUS} {names.a.symbol})",
            Equation(names.slope.symbol, sides, expansions=expansions),
        )
    if act.name == "tanh":
        a = ctx.q(names.a.key)
        sides = ((Symbol("1"), Operator(MINUS), a, Operator(HADAMARD), a), (result,))
        expansions = ctx.expand(
            names.slope.symbol, result, 2, lambda i: [f"1 {MINUS} ", float(a.value[i]), f" {TIMES} ", float(a.value[i])]
        )
        return (
            f"{names.slope.key} = 1 - {names.a.key} * {names.a.key}",
            f"{names.slope.symbol} = 1 {MINUS} {names.a.symbol} {HADAMARD} {names.a.symbol}",
            Equation(names.slope.symbol, sides, expansions=expansions),
        )
    if act.name in ("relu", "leaky_relu"):
        otherwise = "0" if act.name == "relu" else _number(act.alpha)
        z = ctx.q(names.z.key)
        sides = ((Symbol("1 where "), z, Symbol(f" > 0, else {otherwise}")), (result,))
        return (
            f"{names.slope.key} = np.where({names.z.key} > 0, 1, {otherwise})",
            f"{names.slope.symbol} = 1 where {names.z.symbol} > 0, else {otherwise}",
            Equation(names.slope.symbol, sides),
        )
    return (
        f"{names.slope.key} = np.ones_like({names.z.key})",
        f"{names.slope.symbol} = 1",
        Equation(names.slope.symbol, ((Symbol("1"),), (result,))),
    )


def _slopes(ctx: _Context) -> None:
    code, math, equations = [], [], []
    for layer in reversed(ctx.network.layers):
        if layer.names.slope.key not in ctx.record.quantities:
            continue
        line_code, line_math, equation = _slope_equation(ctx, layer)
        code.append(line_code)
        math.append(line_math)
        equations.append(equation)
    if equations:
        ctx.add("Slopes of the activations", code=tuple(code), math=tuple(math), equations=tuple(equations))


def _output_delta(ctx: _Context, layer: Layer) -> None:
    names = layer.names
    result = ctx.q(names.delta.key, result=True)
    if ctx.network.loss.slope_cancels:
        ctx.add(
            "Output delta",
            code=(f"{names.delta.key} = E",),
            math=(f"{names.delta.symbol} = E",),
            equations=(Equation(names.delta.symbol, ((result,),)),),
            notes=("the error already is the delta: the output slope cancelled in the error step",),
        )
        return
    equation = _elementwise_product(ctx, names.delta.symbol, ctx.q(names.error.key), ctx.q(names.slope.key), result)
    ctx.add(
        "Output delta",
        code=(f"{names.delta.key} = E * {names.slope.key}",),
        math=(f"{names.delta.symbol} = E {HADAMARD} {names.slope.symbol}",),
        equations=(equation,),
    )


def _hidden_error(ctx: _Context, layer: Layer, after: Layer) -> dict:
    names, later = layer.names, after.names
    delta = _Operand(later.delta.key, later.delta.symbol, ctx.q(later.delta.key))
    weights = _transposed(later.weights.key, later.weights.symbol, ctx.record.params_before[later.weights.key], ctx)
    code, math, product = _product(ctx, delta, weights)
    result = ctx.q(names.error.key, result=True)
    equation = Equation(
        names.error.symbol,
        (product, (result,)),
        expansions=ctx.expand_product(names.error.symbol, product[0], product[2], result),
    )
    return dict(code=(f"{names.error.key} = {code}",), math=(f"{names.error.symbol} = {math}",), equations=(equation,))


def _hidden_delta(ctx: _Context, layer: Layer) -> dict:
    names = layer.names
    equation = _elementwise_product(
        ctx, names.delta.symbol, ctx.q(names.error.key), ctx.q(names.slope.key), ctx.q(names.delta.key, result=True)
    )
    return dict(
        code=(f"{names.delta.key} = {names.error.key} * {names.slope.key}",),
        math=(f"{names.delta.symbol} = {names.error.symbol} {HADAMARD} {names.slope.symbol}",),
        equations=(equation,),
    )


def _elementwise_product(ctx: _Context, symbol: str, left: Matrix, right: Matrix, result: Matrix) -> Equation:
    return Equation(
        symbol,
        ((left, Operator(HADAMARD), right), (result,)),
        expansions=ctx.expand(symbol, result, 2, lambda i: [float(left.value[i]), f" {TIMES} ", float(right.value[i])]),
    )


def _update_expansions(
    ctx: _Context, symbol: str, old: Matrix, step: Matrix, new: Matrix, vector: bool = False
) -> tuple[Expansions, ...]:
    rate = _number(ctx.network.learning_rate)
    return ctx.expand(
        symbol, new, 2, lambda i: [float(old.value[i]), " + ", *scaled(rate, float(step.value[i]))], vector
    )


def _weight_updates(ctx: _Context) -> None:
    rate = Symbol(_number(ctx.network.learning_rate))
    code, math, equations = [], [], []
    for index in range(len(ctx.network.layers) - 1, -1, -1):
        names = ctx.network.layers[index].names
        source = ctx.network.input_key(index)
        inputs = _transposed(source, source, ctx.record.quantities[source], ctx)
        delta = _Operand(names.delta.key, names.delta.symbol, ctx.q(names.delta.key))
        product_code, product_math, product = _product(ctx, inputs, delta)
        code.append(f"{names.weights.key} += eta * {product_code}")
        math.append(f"{names.weights.symbol} {ARROW} {names.weights.symbol} + {ETA} {DOT} {product_math}")
        old, step, new = ctx.before(names.weights.key), ctx.q(names.weight_gradient.key), ctx.after(names.weights.key)
        expansions = ctx.expand_product(
            names.weight_gradient.symbol, product[0], product[2], step
        ) + _update_expansions(ctx, names.weights.symbol, old, step, new)
        equations.append(
            Equation(
                names.weights.symbol,
                (
                    (old, Operator("+"), rate, Operator(DOT), *product),
                    (old, Operator("+"), rate, Operator(DOT), step),
                    (new,),
                ),
                relation=ARROW,
                expansions=expansions,
            )
        )
    ctx.add(
        "Weight updates",
        code=tuple(code),
        math=tuple(math),
        equations=tuple(equations),
        notes=(f"{ETA} = {_number(ctx.network.learning_rate)}, the learning rate",),
    )


def _bias_updates(ctx: _Context) -> None:
    rate = Symbol(_number(ctx.network.learning_rate))
    axis = 1 if ctx.columns else 0
    code, math, equations, fixed = [], [], [], []
    for layer in reversed(ctx.network.layers):
        names = layer.names
        old = ctx.before(names.biases.key)
        if not layer.train_biases:
            fixed.append(names.biases.symbol)
            equations.append(Equation(names.biases.symbol, ((Matrix(old.value, result=True),),)))
            continue
        code.append(f"{names.biases.key} += eta * np.sum({names.delta.key}, axis={axis})")
        math.append(
            f"{names.biases.symbol} {ARROW} {names.biases.symbol} + {ETA} {DOT} "
            f"\u03a3 {names.delta.symbol} (summed over the samples)"
        )
        delta, step, new = ctx.q(names.delta.key), ctx.q(names.bias_gradient.key), ctx.after(names.biases.key)
        by_sample = in_layout(delta.value, ctx.layout)  # samples x neurons in either layout
        expansions = ctx.expand(
            names.bias_gradient.symbol,
            step,
            len(by_sample),
            lambda i, by_sample=by_sample: plain_sum(by_sample[:, max(i)]),
            vector=True,
        ) + _update_expansions(ctx, names.biases.symbol, old, step, new, vector=True)
        equations.append(
            Equation(
                names.biases.symbol,
                (
                    (old, Operator("+"), rate, Operator(DOT), Symbol("\u03a3 "), delta),
                    (old, Operator("+"), rate, Operator(DOT), step),
                    (new,),
                ),
                relation=ARROW,
                expansions=expansions,
            )
        )
    notes = (
        (f"{' and '.join(fixed)} {'is' if len(fixed) == 1 else 'are'} kept fixed: train_biases is false",)
        if fixed
        else ()
    )
    ctx.add("Bias updates", code=tuple(code), math=tuple(math), equations=tuple(equations), notes=notes)


def _number(value: float) -> str:
    return f"{value:g}"
