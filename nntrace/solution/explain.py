"""One parameter's gradient by the chain rule, factor by factor, from a recorded pass.

For a weight w from unit i of the layer before into neuron j of layer l:
    dL/dw = sum over samples s of  dL/da[s,j] * da/dz[s,j] * dz/dw,   dz/dw = a_prev[s,i]
where dL/da is the loss's own slope at the output, and for a hidden layer the sum
over the paths through the next layer: dL/da[s,j] = sum_k dL/dz_next[s,k] * W_next[j,k].
A bias has dz/db = 1. The update is the update rule's: w - eta * dL/dw, or an optimiser's lines
for this one element (its state read from the record). The factors are
read from the record and multiplied here, apart from the engine's matrix products, so
comparing the two (and finite differences) checks both. Every symbol is notation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from nntrace.common.elision import elided
from nntrace.engine.network import Network, Record
from nntrace.model.arithmetic import compiled
from nntrace.model.optimizers import GRADIENT, SGD, SYMBOLS, THETA
from nntrace.notation.layout import Layout
from nntrace.notation.names import LEARNING_RATE, LOSS, TARGETS
from nntrace.notation.nodes import At, Deriv, Elided, Expr, Group, Num, Op, Q, Seq, Signed, Sum, is_bare_quantity, seq
from nntrace.solution.expansions import SHOWN_TERMS

_REFERENCE = re.compile(r"^\s*([A-Za-z][A-Za-z0-9_]*)\s*\[\s*(\d+)\s*(?:,\s*(\d+)\s*)?\]\s*$")


class UnknownParameter(ValueError):
    """A parameter reference that does not name an entry of the network."""


@dataclass(frozen=True)
class Parameter:
    """One weight or bias, located in the network and labelled as the spec's layout shows it."""

    key: str  # W_out, b_h, ...
    label: Expr  # W_out[1,1], as papers index it (1-based, in the spec's layout)
    layer: int  # position in network.layers
    is_bias: bool
    source: int  # 0-based unit of the layer before (weights only)
    neuron: int  # 0-based neuron of the layer


@dataclass(frozen=True)
class Factor:
    """One factor of the chain rule: its symbol, its formula, what it means, its value per sample."""

    symbol: Expr
    formula: Expr
    meaning: str
    values: np.ndarray  # one per sample


@dataclass(frozen=True)
class PathSum:
    """dL/da of a hidden neuron for one sample: the sum over the paths through the next layer."""

    sample: int  # 1-based
    lhs: Expr
    arithmetic: Expr
    total: float


@dataclass(frozen=True)
class UpdateLine:
    """One line of the update for the one element: lhs relation expr (over quantities, so written in
    symbols and with the numbers) = result; `new`: the line that gives the parameter's new value."""

    lhs: Expr
    relation: Op
    expr: Expr
    result: float
    new: bool = False

    @property
    def worked(self) -> bool:
        """Whether there is arithmetic between the formula and the result (see is_bare_quantity)."""
        return not is_bare_quantity(self.expr)


@dataclass(frozen=True)
class Explanation:
    """The chain rule for one parameter in one epoch: the factors, their products and the update."""

    parameter: Parameter
    epoch: int
    value: float
    derivative: Expr  # dL/d(parameter)
    chain: Expr  # the product of the factors' symbols, summed over the samples when there are several
    factors: tuple[Factor, ...]
    products: np.ndarray  # per sample
    gradient: float
    sum_over_samples: Expr  # the products added up
    new_value: float
    fixed: bool  # a bias the spec keeps fixed: it is not updated
    paths: tuple[PathSum, ...]  # for hidden-layer parameters, sample by sample
    updates: tuple[UpdateLine, ...]  # the update rule, line by line, ending with the new value
    slope_cancels: bool  # the activation's slope cancelled against the loss's: no slope factor


def valid_parameters(network: Network, layout: Layout) -> list[str]:
    def span(n: int) -> str:
        return "1" if n == 1 else f"1..{n}"

    names = []
    for layer in network.layers:
        n_in, n_out = layer.weights.shape
        rows, cols = layout.typed_shape(n_in, n_out)
        names.append(f"{layer.names.weights.key}[{span(rows)},{span(cols)}]")
        names.append(f"{layer.names.biases.key}[{span(n_out)}]")
    return names


def parse_parameter(text: str, network: Network, layout: Layout) -> Parameter:
    """W_out[1,1] or b_h[2] (1-based; weights indexed as the spec types them)."""
    match = _REFERENCE.match(text)
    listing = "valid: " + ", ".join(valid_parameters(network, layout))
    if not match:
        raise UnknownParameter(f"{text!r} is not a parameter reference such as W_out[1,1] or b_h[2]; {listing}")
    key, first, second = match.group(1), int(match.group(2)), match.group(3)
    for position, layer in enumerate(network.layers):
        n_in, n_out = layer.weights.shape
        names = layer.names
        if key == names.weights.key and second is not None:
            row, col = first, int(second)
            source, neuron = (index - 1 for index in layout.source_and_neuron(row, col))
            if 0 <= source < n_in and 0 <= neuron < n_out:
                return Parameter(key, At(names.weights.symbol, (row, col)), position, False, source, neuron)
        if key == names.biases.key and second is None and 1 <= first <= n_out:
            if layer.shared_bias:
                raise UnknownParameter(
                    f"{key} is one bias shared by the layer's {n_out} neurons (bias_sharing: per_layer): its "
                    "gradient sums every neuron's chain, which explain does not write out; explain a weight instead"
                )
            return Parameter(key, At(names.biases.symbol, (first,)), position, True, 0, first - 1)
    raise UnknownParameter(f"{text!r} names no parameter of this network; {listing}")


def explain(network: Network, record: Record, parameter: Parameter, layout: Layout) -> Explanation:
    layers = network.layers
    layer = layers[parameter.layer]
    names, act, j = layer.names, layer.activation, parameter.neuron
    q = record.quantities

    def at(symbol, sample, unit):
        return At(symbol, layout.element(sample, unit + 1 if isinstance(unit, int) else unit))

    paths: tuple[PathSum, ...] = ()
    cancels = parameter.layer == len(layers) - 1 and network.loss.slope_cancels
    if parameter.layer == len(layers) - 1:
        # E = -dL/dO (the engine's error term), so the loss's own slope is -E.
        loss_slope = -q[names.error.key][:, j]
        if cancels:
            first = Factor(
                Deriv(LOSS, at(names.z.symbol, "s", j)),
                network.loss.output_slope(names.a.symbol, TARGETS.symbol),
                f"{network.loss.name} through {act.name}: the slope cancels",
                loss_slope,
            )
        else:
            first = Factor(
                Deriv(LOSS, at(names.a.symbol, "s", j)),
                network.loss.output_slope(names.a.symbol, TARGETS.symbol),
                "how the loss changes with the output",
                loss_slope,
            )
    else:
        after = layers[parameter.layer + 1]
        upstream = -q[after.names.delta.key]  # dL/dz of the next layer, sample x k
        weights = network.error_weights(record)[after.names.weights.key][j, :]
        path_term = seq(
            Deriv(LOSS, at(after.names.z.symbol, "s", "k")),
            Op.PRODUCT,
            At(after.names.weights.symbol, _weight(layout, j, "k")),
        )
        first = Factor(
            Deriv(LOSS, at(names.a.symbol, "s", j)),
            Sum(path_term, index="k"),
            "the sum over the paths through the next layer",
            upstream @ weights,
        )
        paths = tuple(
            PathSum(
                s + 1,
                Deriv(LOSS, at(names.a.symbol, s + 1, j)),
                _joined([Group(seq(Num(u), Op.PRODUCT, Num(w))) for u, w in zip(upstream[s], weights)]),
                float(first.values[s]),
            )
            for s in elided(len(upstream), SHOWN_TERMS)
            if s is not None
        )
    factors = [first]
    if not cancels:
        factors.append(
            Factor(
                Deriv(names.a.symbol, at(names.z.symbol, "s", j)),
                act.slope_formula(at(names.a.symbol, "s", j), at(names.z.symbol, "s", j)),
                f"the slope of {act.name}",
                q[names.slope.key][:, j],
            )
        )
    if parameter.is_bias:
        factors.append(
            Factor(
                Deriv(names.z.symbol, parameter.label),
                Num(1, exact=True),
                "a bias is added as it is",
                np.ones(len(record.samples)),
            )  # fmt: skip
        )
    else:
        source = network.input_name(parameter.layer)
        factors.append(
            Factor(
                Deriv(names.z.symbol, parameter.label),
                at(source.symbol, "s", parameter.source),
                "the input the weight multiplies",
                q[source.key][:, parameter.source],
            )
        )

    products = np.prod(np.array([factor.values for factor in factors]), axis=0)
    gradient = float(products.sum())
    value = _parameter_value(record.params_before, parameter)
    rate = network.learning_rate
    fixed = parameter.is_bias and not layer.train_biases
    derivative = Deriv(LOSS, parameter.label)
    if record.optimizer is not None and not fixed:
        updates = _optimizer_lines(network, record, parameter, value, gradient)
    else:
        rule = SGD.explained(
            Q(parameter.label, value), Q(LEARNING_RATE.symbol, rate, exact=True), Q(derivative, gradient)
        )
        updates = (UpdateLine(parameter.label, Op.EQUALS, rule, value if fixed else value - rate * gradient, new=True),)
    chain = Seq(tuple(item for factor in factors for item in (Op.PRODUCT, factor.symbol))[1:])
    return Explanation(
        parameter=parameter,
        epoch=record.epoch,
        value=value,
        derivative=derivative,
        chain=Sum(chain, index="s") if len(products) > 1 else chain,
        factors=tuple(factors),
        products=products,
        gradient=gradient,
        sum_over_samples=_joined([Num(float(p)) for p in products], shown=SHOWN_TERMS),
        new_value=updates[-1].result,
        fixed=fixed,
        paths=paths,
        updates=updates,
        slope_cancels=cancels,
    )


def _optimizer_lines(
    network: Network, record: Record, parameter: Parameter, value: float, gradient: float
) -> tuple[UpdateLine, ...]:
    """The optimiser's lines for one element, computed from the chain rule's gradient and the state
    the record held before the update (so the new value checks the engine's rather than repeats it)."""
    update, optimizer = record.optimizer, network.optimizer
    index = (parameter.neuron,) if parameter.is_bias else (parameter.source, parameter.neuron)
    before = update.before.get(parameter.key, {})
    constants = optimizer.constants(network.learning_rate, update.t)
    values = {**constants, THETA: value, GRADIENT: gradient}
    values.update({name: float(before[name][index]) if name in before else 0.0 for name in optimizer.states})
    lines = optimizer.lines(update.t == 1)
    out = []
    for number, line in enumerate(lines):
        expr = line.formula(_terms(parameter, values, constants))
        lhs = parameter.label if line.target == THETA else SYMBOLS[line.target]
        values[line.target] = float(compiled(expr)(values))
        last = number == len(lines) - 1
        relation = Op.EQUALS if last or not line.assigns else Op.ASSIGN
        out.append(UpdateLine(lhs, relation, expr, values[line.target], last))
    return tuple(out)


def _terms(parameter: Parameter, values: dict[str, float], constants: dict[str, float]) -> dict[str, Expr]:
    """The terms of the lines for one element, keyed by name: a setting as given, a computed value
    bracketed where it is negative (0.9 x (-0.002))."""
    symbols = {**SYMBOLS, THETA: parameter.label, GRADIENT: Deriv(LOSS, parameter.label)}
    return {
        name: Q(symbols[name], value, name, exact=True) if name in constants else Signed(Q(symbols[name], value, name))
        for name, value in values.items()
    }


def _joined(terms: list[Expr], shown: int | None = None) -> Expr:
    """t1 + t2 + ..., a long list shortened to its first terms, the count left out, and the last."""
    if shown is not None and len(terms) > shown:
        terms = terms[: shown - 2] + [Elided(len(terms) - shown + 1)] + terms[-1:]
    items: list = []
    for number, term in enumerate(terms):
        items += ([Op.PLUS] if number else []) + [term]
    return Seq(tuple(items))


def _parameter_value(params: dict[str, np.ndarray], parameter: Parameter) -> float:
    value = params[parameter.key]
    return float(value[parameter.neuron] if parameter.is_bias else value[parameter.source, parameter.neuron])


def _weight(layout: Layout, j: int, k: str) -> tuple:
    return layout.weight(j + 1, k)
