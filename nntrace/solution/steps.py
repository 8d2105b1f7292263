"""A recorded pass as the numbered steps of a worked solution, in notation.

With one hidden layer the steps are the paper's eleven: 1 givens; 2 hidden-layer
input; 3 hidden activation; 4 output-layer input and output; 5 error; 6 slopes;
7 output delta; 8 hidden-layer error; 9 hidden delta; 10 weight updates; 11 bias
updates. Other depths repeat steps 2-3 and 8-9 once per hidden layer. Every equation is
one expression over quantities (symbol, value and key at once), oriented by the layout:
a backend writes its formula line, its numbers and its code from it.
"""

from __future__ import annotations

import numpy as np

from nntrace.common.records import NamedTuple, replace
from nntrace.engine.network import Layer, Network, Record
from nntrace.model.losses import Loss
from nntrace.model.optimizers import GRADIENT, SGD, SYMBOLS, THETA
from nntrace.notation.layout import Layout
from nntrace.notation.names import INPUTS, LEARNING_RATE, LOSS, TARGETS, Name, descent
from nntrace.notation.nodes import (
    Deriv,
    Equation,
    Expansions,
    Expr,
    Num,
    Op,
    Q,
    Remark,
    Seq,
    Signed,
    Sum,
    Sym,
    mentions,
    seq,
)
from nntrace.solution.expansions import Policy, expand_elements, plain_sum, shown_products, shown_terms


class Step(NamedTuple):
    """One numbered step of a worked solution: its title, its equations and its notes."""

    number: int
    title: str
    equations: tuple[Equation, ...] = ()
    notes: tuple[Remark, ...] = ()
    side_by_side: bool = False  # short equations that may share a line


class Solution(NamedTuple):
    """One recorded pass worked out: its steps and its loss."""

    epoch: int  # 0: the forward pass alone
    batch: int
    n_batches: int
    steps: tuple[Step, ...]
    loss: float | None
    loss_formula: Equation

    def step(self, number: int) -> Step:
        return self.steps[number - 1]


class _Context:
    """What the step builders share while a solution is assembled."""

    def __init__(self, network: Network, record: Record, layout: Layout, policy: Policy):
        self.network, self.record, self.layout, self.policy = network, record, layout, policy
        self.steps: list[Step] = []

    def expand(
        self, symbol, result: Q, terms: int, arithmetic_of, vector: bool = False, operands: tuple = ()
    ) -> tuple[Expansions, ...]:
        expansions = expand_elements(self.policy, symbol, result.value, terms, arithmetic_of, vector, operands)
        return (expansions,) if expansions else ()

    def expand_product(self, symbol, left: Q, right: Q, result: Q, bias: Q | None = None) -> tuple[Expansions, ...]:
        """Each shown element of left . right [+ bias] as its sum of products. Only what the shown
        elements write out is read, once, as Python floats: the rows of `left` and the columns of
        `right` they use, and of a long sum only its shown terms."""
        inner = left.value.shape[1]
        terms = inner + (bias is not None)
        count = self.policy.elements(result.value.size, terms)
        if count == 0:
            return ()
        columns = result.value.shape[1]
        shown = shown_terms(inner)
        rows = _numbers(left.value[: -(-count // columns)][:, shown])
        columns_used = _numbers(right.value[shown, : min(count, columns)].T)
        biases = () if bias is None else (np.broadcast_to(bias.value, result.value.shape),)
        return self.expand(
            symbol,
            result,
            terms,
            lambda index, *bias: shown_products(inner, rows[index[0]], columns_used[index[1]], *bias),
            operands=biases,
        )

    def orient(self, value: np.ndarray) -> np.ndarray:
        """A stored matrix (rows layout) or bias vector, as the layout shows it."""
        return self.layout.orient(value if value.ndim == 2 else np.atleast_2d(value))

    def q(self, name: Name, result: bool = False) -> Q:
        """A recorded quantity as its name writes it: oriented, and in the name's sign convention."""
        value = self.orient(self.record.quantities[name.key])
        return Q(name.symbol, value if name.sign == 1 else name.sign * value, name.key, result)

    @property
    def adds(self) -> bool:
        """Whether an update adds η times what the backward pass gives (the paper's convention)."""
        return self.network.convention.adds

    def before(self, name: Name, result: bool = False) -> Q:
        return Q(name.symbol, self.orient(self.record.params_before[name.key]), name.key, result)

    def after(self, name: Name) -> Q:
        return Q(name.symbol, self.orient(self.record.params_after[name.key]), name.key, result=True)

    def transposed(self, name: Name, value: np.ndarray) -> Q:
        return Q(name.symbol._replace(transpose=True), self.orient(value).T, f"{name.key}.T")

    @property
    def rate(self) -> Q:
        return Q(LEARNING_RATE.symbol, self.network.learning_rate, LEARNING_RATE.key, exact=True)

    def add(self, title: str, **parts) -> None:
        self.steps.append(Step(number=len(self.steps) + 1, title=title, **parts))


def _numbers(values: np.ndarray) -> list[list[Num]]:
    """A matrix's entries as number nodes, row by row."""
    return [[Num(value) for value in row] for row in values.tolist()]


def epoch_solution(network: Network, record: Record, layout: Layout, policy: Policy | None = None) -> Solution:
    """The worked solution of one recorded pass (forward only when it has no targets)."""
    return Solution(
        epoch=record.epoch,
        batch=record.batch,
        n_batches=record.n_batches,
        steps=tuple(epoch_steps(network, record, layout, policy)),
        loss=record.loss,
        loss_formula=network.loss.formula(),
    )


def epoch_steps(network: Network, record: Record, layout: Layout, policy: Policy | None = None) -> list[Step]:
    ctx = _Context(network, record, layout, policy or Policy())
    layers = network.layers
    hidden = layers[:-1]
    _givens(ctx)
    for position, layer in enumerate(hidden):
        label = _hidden_label(len(hidden), position, layer)
        ctx.add(f"Input of {label}", equations=(_layer_input(ctx, layer, network.input_name(position)),))
        ctx.add(f"Activation of {label}", **_layer_activation(ctx, layer))
    _output_layer(ctx, layers[-1], network.input_name(len(hidden)))
    if TARGETS.key not in record.quantities:
        return ctx.steps
    _error(ctx, layers[-1])
    _slopes(ctx)
    _output_delta(ctx, layers[-1])
    for position in range(len(hidden) - 1, -1, -1):
        layer, after = layers[position], layers[position + 1]
        label = _hidden_label(len(hidden), position, layer)
        ctx.add(f"Error at {label}", equations=(_hidden_error(ctx, layer, after),))
        ctx.add(f"Delta of {label}", equations=(_elementwise_product(ctx, layer, layer.names.error),))
    if network.learning_rate is None:
        return ctx.steps
    if network.updates is None:
        _weight_updates(ctx)
        _bias_updates(ctx)
        return ctx.steps
    _gradients(ctx)
    if record.optimizer is not None:
        for layer in reversed(layers):
            _optimizer_step(ctx, layer.names.weights, layer.names.weight_gradient, vector=False)
            if layer.train_biases:
                _optimizer_step(ctx, layer.names.biases, layer.names.bias_gradient, vector=True)
    return ctx.steps


def _hidden_label(n_hidden: int, position: int, layer: Layer) -> str:
    if n_hidden == 1:
        return "the hidden layer"
    return f"hidden layer {position + 1} ({layer.names.layer})"


def _given(quantity: Q) -> Equation:
    return Equation(quantity.symbol, quantity, result=quantity)


def _givens(ctx: _Context) -> None:
    record, network = ctx.record, ctx.network
    equations = [_given(ctx.q(INPUTS))]
    if TARGETS.key in record.quantities:
        equations.append(_given(ctx.q(TARGETS)))
    for layer in network.layers:
        equations += [_given(ctx.before(layer.names.weights)), _given(ctx.before(layer.names.biases))]
    if network.learning_rate is not None and TARGETS.key in record.quantities:
        equations.append(_given(ctx.rate))
    notes = [Remark((ctx.layout.per_sample,))]
    if record.n_batches > 1:
        shown = ", ".join(str(i + 1) for i in record.samples)
        notes.append(Remark((f"batch {record.batch:,} of {record.n_batches:,}: samples {shown}",)))
    if TARGETS.key not in record.quantities:
        title = "Inputs and parameters"
    elif record.epoch <= 1:
        title = "Inputs, targets and initial parameters"
    else:
        title = f"Inputs, targets and the parameters left by epoch {record.epoch - 1}"
    ctx.add(title, equations=tuple(equations), notes=tuple(notes), side_by_side=True)


def _layer_input(ctx: _Context, layer: Layer, previous: Name) -> Equation:
    names = layer.names
    left, right = ctx.layout.product(ctx.q(previous), ctx.before(names.weights))
    bias, result = ctx.before(names.biases), ctx.q(names.z, result=True)
    return Equation(
        names.z.symbol,
        seq(left, Op.PRODUCT, right, Op.PLUS, bias),
        result=result,
        code_target=names.z.key,
        expansions=ctx.expand_product(names.z.symbol, left, right, result, bias),
    )


def _layer_activation(ctx: _Context, layer: Layer) -> dict:
    names, act = layer.names, layer.activation
    z, result = ctx.q(names.z), ctx.q(names.a, result=True)
    axis = 1 - ctx.layout.sample_axis  # along which one sample's values run
    terms = z.value.shape[axis] if act.output_only else 1
    expansions = ctx.expand(names.a.symbol, result, terms, lambda index: act.element(z.value, index, axis))
    equation = Equation(names.a.symbol, act.apply(z), result=result, code_target=names.a.key, expansions=expansions)
    notes = [Remark((act.definition(),))]
    if act.output_only:
        notes.append(Remark((f"{ctx.layout.sample_by_sample}: each sample's outputs sum to 1",)))
    return dict(equations=(equation,), notes=tuple(notes))


def _output_layer(ctx: _Context, layer: Layer, previous: Name) -> None:
    activation = _layer_activation(ctx, layer)
    ctx.add(
        "Output-layer input and output",
        equations=(_layer_input(ctx, layer, previous), *activation["equations"]),
        notes=activation["notes"],
    )


def _error(ctx: _Context, layer: Layer) -> None:
    names, loss = layer.names, ctx.network.loss
    y, o = ctx.q(TARGETS), ctx.q(names.a)
    count = Q(Sym("nk"), int(y.value.size), "y.size", exact=True)
    n = len(ctx.record.samples)
    samples = Q(Sym("n"), n, "len(y)", exact=True)
    adds = ctx.adds
    expr = (loss.error_formula if adds else loss.gradient_formula)(y, o, count, samples)
    element = loss.error_element if adds else loss.gradient_element
    result = ctx.q(names.error, result=True)
    size = int(y.value.size)
    equation = Equation(
        names.error.symbol,
        expr,
        result=result,
        code_target=names.error.key,
        expansions=ctx.expand(
            names.error.symbol,
            result,
            2,
            lambda i, target, output: element(target, output, size, n),
            operands=(y.value, o.value),
        ),
    )
    notes = [_error_note(loss, layer, adds)]
    if mentions(expr, count):
        notes.append(
            Remark(
                (Equation(count.symbol, Num(count.value, exact=True)), ": the number of target entries in the batch")
            )
        )
    if mentions(expr, samples):
        notes.append(Remark((Equation(samples.symbol, Num(n, exact=True)), ": the number of samples in the batch")))
    ctx.add("Error at the output", equations=(equation,), notes=tuple(notes))


def _error_note(loss: Loss, layer: Layer, adds: bool) -> Remark:
    names = layer.names
    of = names.z.symbol if loss.slope_cancels else names.a.symbol
    # In the paper's convention the error is E = −∂L/∂O; in the gradient's it is named ∂L/∂O itself.
    head = (Equation(Sym("E"), descent(of)), ", for the loss ") if adds else ("for the loss ",)
    if loss.slope_cancels:
        what = "E is the error" if adds else "this is the gradient"
        return Remark(
            (
                *head,
                loss.formula(),
                f": with {layer.activation.name} outputs the slope of the output cancels against the loss's own, "
                f"so {what} of the output layer's input, not of its output",
            )
        )
    return Remark((*head, loss.formula()))


def _slopes(ctx: _Context) -> None:
    equations = []
    for layer in reversed(ctx.network.layers):
        names, act = layer.names, layer.activation
        if names.slope.key not in ctx.record.quantities:
            continue
        a, z, result = ctx.q(names.a), ctx.q(names.z), ctx.q(names.slope, result=True)
        expansions = ctx.expand(
            names.slope.symbol, result, 2, lambda i, z, a, act=act: act.slope_element(z, a), operands=(z.value, a.value)
        )
        equations.append(
            Equation(
                names.slope.symbol,
                act.slope_formula(a, z),
                result=result,
                code_target=names.slope.key,
                expansions=expansions,
            )
        )
    if equations:
        ctx.add("Slopes of the activations", equations=tuple(equations))


def _output_delta(ctx: _Context, layer: Layer) -> None:
    names = layer.names
    if ctx.network.loss.slope_cancels:
        equation = Equation(
            names.delta.symbol, ctx.q(names.error), result=ctx.q(names.delta, result=True), code_target=names.delta.key
        )
        ctx.add(
            "Output delta",
            equations=(equation,),
            notes=(Remark(("the error already is the delta: the output slope cancelled in the error step",)),),
        )
        return
    ctx.add("Output delta", equations=(_elementwise_product(ctx, layer, layer.names.error),))


def _hidden_error(ctx: _Context, layer: Layer, after: Layer) -> Equation:
    names, later = layer.names, after.names
    params = ctx.network.error_weights(ctx.record)
    updated = params is not ctx.record.params_before
    weights = ctx.transposed(later.weights, params[later.weights.key])
    left, right = ctx.layout.product(ctx.q(later.delta), weights)
    result = ctx.q(names.error, result=True)
    remark = (f"{later.weights.key} as updated in this pass: update_order is output_first",) if updated else ()
    return Equation(
        names.error.symbol,
        seq(left, Op.PRODUCT, right),
        result=result,
        code_target=names.error.key,
        expansions=ctx.expand_product(names.error.symbol, left, right, result),
        remark=remark,
    )


def _elementwise_product(ctx: _Context, layer: Layer, error: Name) -> Equation:
    """delta = E (.) slope, for the layer whose error is `error`."""
    names = layer.names
    left, right, result = ctx.q(error), ctx.q(names.slope), ctx.q(names.delta, result=True)
    return Equation(
        names.delta.symbol,
        seq(left, Op.HADAMARD, right),
        result=result,
        code_target=names.delta.key,
        expansions=ctx.expand(
            names.delta.symbol,
            result,
            2,
            lambda i, a, b: Seq((Num(a), Op.PRODUCT, Num(b))),
            operands=(left.value, right.value),
        ),
    )


def _update_expansions(ctx: _Context, symbol, old: Q, step: Q, new: Q, vector: bool = False) -> tuple:
    rate, adds = ctx.network.learning_rate, ctx.adds
    return ctx.expand(
        symbol, new, 2, lambda i, old, step: SGD.update_element(old, rate, step, adds), vector, (old.value, step.value)
    )


def _weight_gradient(ctx: _Context, index: int) -> tuple:
    """-dL/dW = A_prev^T . delta (in the layout's order), its quantity and its expansions."""
    names = ctx.network.layers[index].names
    source = ctx.network.input_name(index)
    inputs = ctx.transposed(source, ctx.record.quantities[source.key])
    left, right = ctx.layout.product(inputs, ctx.q(names.delta))
    step = ctx.q(names.weight_gradient)
    return seq(left, Op.PRODUCT, right), step, ctx.expand_product(names.weight_gradient.symbol, left, right, step)


def _bias_gradient(ctx: _Context, layer: Layer) -> tuple:
    """-dL/db = the deltas summed over the samples (and, for a shared bias, over the neurons)."""
    names = layer.names
    delta, step = ctx.q(names.delta), ctx.q(names.bias_gradient)
    by_sample = ctx.layout.orient(delta.value)  # samples x neurons in either layout
    if layer.shared_bias:
        expr, remark = Sum(delta, count=2), ("one bias for the layer: summed over the samples and the neurons",)
        terms, element = by_sample.size, lambda i: plain_sum(by_sample.ravel())
    else:
        expr, remark = Sum(delta, axis=ctx.layout.sample_axis), ("summed over the samples",)
        terms, element = len(by_sample), lambda i: plain_sum(by_sample[:, max(i)])
    # A sum of one sample is that sample's delta: written out, it would only say v = v.
    expansions = ctx.expand(names.bias_gradient.symbol, step, terms, element, vector=True) if terms > 1 else ()
    return expr, step, expansions, remark


def _gradients(ctx: _Context) -> None:
    """The gradients an optimiser is given, written as the descent directions the engine records."""
    equations = []
    for index in range(len(ctx.network.layers) - 1, -1, -1):
        expr, step, expansions = _weight_gradient(ctx, index)
        equations.append(_gradient_equation(ctx.network.layers[index].names.weight_gradient, expr, step, expansions))
    for layer in reversed(ctx.network.layers):
        if layer.train_biases:
            expr, step, expansions, remark = _bias_gradient(ctx, layer)
            equations.append(_gradient_equation(layer.names.bias_gradient, expr, step, expansions, remark))
    ctx.add("Gradients", equations=tuple(equations))


def _gradient_equation(name: Name, expr: Expr, step: Q, expansions: tuple, remark: tuple = ()) -> Equation:
    return Equation(
        name.symbol, expr, result=replace(step, result=True), code_target=name.key,
        expansions=expansions, remark=remark,
    )  # fmt: skip


def _optimizer_step(ctx: _Context, parameter: Name, gradient: Name, vector: bool) -> None:
    """The optimiser's lines for one parameter matrix, each with its numbers and its elements."""
    network, update = ctx.network, ctx.record.optimizer
    optimizer, key = network.optimizer, parameter.key
    constants = optimizer.constants(network.learning_rate, update.t)
    before = update.before.get(key) or {name: np.zeros_like(update.lines[key][-1]) for name in optimizer.states}
    values = {THETA: ctx.record.params_before[key], GRADIENT: -ctx.record.quantities[gradient.key], **before}
    equations, mentioned = [], set()
    for line, result in zip(optimizer.lines(update.t == 1), update.lines[key]):
        terms = {name: _constant(name, value) for name, value in constants.items()}
        terms.update({name: _term(ctx, name, parameter, gradient, value) for name, value in values.items()})
        symbol = parameter.symbol if line.target == THETA else SYMBOLS[line.target]
        new = Q(symbol, ctx.orient(result), _term_key(line.target, key), result=True)
        expr = line.formula(terms)
        mentioned |= {name for name in constants if mentions(expr, terms[name])}
        read_off = isinstance(expr, Q)  # g = dL/dW: nothing to work out element by element
        equations.append(
            Equation(
                symbol,
                expr,
                relation=Op.ASSIGN if line.assigns else Op.EQUALS,
                result=new,
                code_target=new.key,
                expansions=()
                if read_off
                else ctx.expand(symbol, new, 2, _line_elements(line, terms), vector, _matrices(terms)),
                remark=(line.note,) if line.note else (),
            )
        )
        values[line.target] = result
    settings: list = []
    for name in (name for name in constants if name in mentioned and name != "t"):
        settings += [", "] * bool(settings) + [Equation(SYMBOLS[name], Num(constants[name], exact=True))]
    notes = [Remark(tuple(settings))]
    if "t" in mentioned:
        notes.append(
            Remark((Equation(SYMBOLS["t"], Num(update.t, exact=True)), ": the number of this update, one per batch"))
        )
    ctx.add(f"{optimizer.label} update of {key}", equations=tuple(equations), notes=tuple(notes))


def _term_key(name: str, key: str) -> str:
    return key if name == THETA else f"{name}_{key}"


def _constant(name: str, value) -> Q:
    return Q(SYMBOLS[name], value, name, exact=True)


def _term(ctx: _Context, name: str, parameter: Name, gradient: Name, value: np.ndarray) -> Q:
    if name == GRADIENT:
        # Keyed as code computes it from the recorded quantity: -dW_out, or dW_out where it is the gradient.
        return Q(Deriv(LOSS, parameter.symbol), ctx.orient(value), f"-{gradient.key}" if ctx.adds else gradient.key)
    symbol = parameter.symbol if name == THETA else SYMBOLS[name]
    return Q(symbol, ctx.orient(value), _term_key(name, parameter.key))


def _matrices(terms: dict[str, Q]) -> tuple[np.ndarray, ...]:
    """The values of the terms that are matrices, in order: the operands of a line's elements."""
    return tuple(term.value for term in terms.values() if term.is_matrix)


def _line_elements(line, terms: dict[str, Q]):
    """A line's arithmetic of one element, given the numbers of its matrices' entries there (as
    _matrices orders them): each entry bracketed when negative, a setting as given (made once)."""
    given = {name: Num(term.value, exact=True) for name, term in terms.items() if not term.is_matrix}

    def arithmetic(index, *numbers):
        entries = iter(numbers)
        return line.formula({name: given[name] if name in given else Signed(Num(next(entries))) for name in terms})

    return arithmetic


def _weight_updates(ctx: _Context) -> None:
    equations = []
    for index in range(len(ctx.network.layers) - 1, -1, -1):
        names = ctx.network.layers[index].names
        product, step, expansions = _weight_gradient(ctx, index)
        old, new = ctx.before(names.weights), ctx.after(names.weights)
        expansions += _update_expansions(ctx, names.weights.symbol, old, step, new)
        equations.append(
            Equation(
                names.weights.symbol,
                SGD.update(old, ctx.rate, product, ctx.adds),
                relation=Op.ASSIGN,
                stages=(SGD.update(old, ctx.rate, step, ctx.adds),),
                result=new,
                code_target=names.weights.key,
                expansions=expansions,
            )
        )
    note = Remark((Equation(LEARNING_RATE.symbol, Num(ctx.network.learning_rate, exact=True)), ", the learning rate"))
    ctx.add("Weight updates", equations=tuple(equations), notes=(note,))


def _bias_updates(ctx: _Context) -> None:
    equations, fixed = [], []
    for layer in reversed(ctx.network.layers):
        names = layer.names
        if not layer.train_biases:
            fixed.append(names.biases.key)
            old = ctx.before(names.biases, result=True)
            equations.append(Equation(names.biases.symbol, old, result=old))
            continue
        old, new = ctx.before(names.biases), ctx.after(names.biases)
        total, step, expansions, remark = _bias_gradient(ctx, layer)
        expansions += _update_expansions(ctx, names.biases.symbol, old, step, new, vector=True)
        equations.append(
            Equation(
                names.biases.symbol,
                SGD.update(old, ctx.rate, total, ctx.adds),
                relation=Op.ASSIGN,
                stages=(SGD.update(old, ctx.rate, step, ctx.adds),),
                result=new,
                code_target=names.biases.key,
                expansions=expansions,
                remark=remark,
            )
        )
    notes = ()
    if fixed:
        verb = "is" if len(fixed) == 1 else "are"
        notes = (Remark((f"{' and '.join(fixed)} {verb} kept fixed: train_biases is false",)),)
    ctx.add("Bias updates", equations=tuple(equations), notes=notes)
