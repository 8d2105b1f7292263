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
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from nntrace.common.elision import elided
from nntrace.engine.network import Network, Record
from nntrace.model.optimizers import GRADIENT, SGD, SYMBOLS, THETA
from nntrace.notation.arithmetic import compiled
from nntrace.notation.layout import Layout
from nntrace.notation.names import LEARNING_RATE, LOSS, TARGETS, delta_definition
from nntrace.notation.nodes import (
    At,
    Deriv,
    Elided,
    Equation,
    Expansion,
    Expr,
    Group,
    Neg,
    Num,
    Op,
    Q,
    Remark,
    Seq,
    Signed,
    Sum,
    Sym,
    seq,
)
from nntrace.notation.numbers import hand_round
from nntrace.solution.expansions import SHOWN_TERMS, shown_terms

_REFERENCE = r"^\s*([A-Za-z][A-Za-z0-9_]*)\s*\[\s*(\d+)\s*(?:,\s*(\d+)\s*)?\]\s*$"


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
    total: Expansion  # the products added up over the samples: the gradient
    new_value: float
    fixed: bool  # a bias the spec keeps fixed: it is not updated
    paths: tuple[Expansion, ...]  # for hidden-layer parameters, dL/da sample by sample
    path_samples: tuple[int, ...]  # the sample (1-based) of each path
    updates: tuple[Expansion, ...]  # the update rule, line by line, ending with the new value
    slope_cancels: bool  # the activation's slope cancelled against the loss's: no slope factor
    convention: Remark | None = None  # how the chain's dL/dz relates to the steps' delta


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
    match = re.match(_REFERENCE, text)
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

    paths: tuple[Expansion, ...] = ()
    path_samples: tuple[int, ...] = ()
    convention = None
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
        path_samples = tuple(s + 1 for s in elided(len(upstream), SHOWN_TERMS) if s is not None)
        paths = tuple(
            Expansion(
                Deriv(LOSS, at(names.a.symbol, s + 1, j)),
                _joined([Group(seq(Num(u), Op.PRODUCT, Num(w))) for u, w in zip(upstream[s], weights)]),
                float(first.values[s]),
                label=f"s={s + 1}: ",
            )
            for s in elided(len(upstream), SHOWN_TERMS)
            if s is not None
        )
        # dL/dz of the next layer is the steps' delta there, with the sign of the trace's convention.
        delta = after.names.delta
        convention = Remark(
            (
                Equation(Deriv(LOSS, at(after.names.z.symbol, "s", "k")),
                         _signed_delta(at(delta.symbol, "s", "k"), delta.sign)),
                f": the delta of {after.names.layer} in the steps, where ",
                Equation(Sym("delta"), delta_definition(network.convention, Sym("z"))),
            )
        )  # fmt: skip
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
    if network.rounding is not None:  # as the pass rounds the gradient it carries on (--round)
        gradient = float(hand_round(gradient, network.rounding))
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
        new = value if fixed else value - rate * gradient
        updates = (Expansion(parameter.label, rule, new, formula=rule, label="new ", final=True),)
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
        total=Expansion(
            derivative,
            _joined(products, shortened=True, as_term=lambda p: Num(float(p))) if len(products) > 1 else None,
            gradient,
            note="summed over the samples" if len(products) > 1 else None,
        ),
        new_value=updates[-1].result,
        fixed=fixed,
        paths=paths,
        path_samples=path_samples,
        updates=updates,
        slope_cancels=cancels,
        convention=convention,
    )


def _optimizer_lines(
    network: Network, record: Record, parameter: Parameter, value: float, gradient: float
) -> tuple[Expansion, ...]:
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
        out.append(Expansion(lhs, expr, values[line.target], relation, formula=expr, label="new " if last else None,
                             final=last))  # fmt: skip
    return tuple(out)


def _signed_delta(delta: Expr, sign: float) -> Expr:
    """dL/dz in terms of the steps' delta: −δ where δ = −∂L/∂z, δ itself where δ = ∂L/∂z."""
    return Neg(delta) if sign > 0 else delta


def _terms(parameter: Parameter, values: dict[str, float], constants: dict[str, float]) -> dict[str, Expr]:
    """The terms of the lines for one element, keyed by name: a setting as given, a computed value
    bracketed where it is negative (0.9 x (-0.002))."""
    symbols = {**SYMBOLS, THETA: parameter.label, GRADIENT: Deriv(LOSS, parameter.label)}
    return {
        name: Q(symbols[name], value, name, exact=True) if name in constants else Signed(Q(symbols[name], value, name))
        for name, value in values.items()
    }


def _joined(terms: Sequence, shortened: bool = False, as_term: Callable = lambda term: term) -> Expr:
    """t1 + t2 + ..., or `shortened` as a long sum of the steps is (expansions.shown_terms: its first
    terms, the count left out, and the last); only the terms written are made (`as_term`: a sum
    over a million samples writes eight)."""
    count = len(terms)
    written = [as_term(terms[k]) for k in (shown_terms(count) if shortened else range(count))]
    if shortened and count > SHOWN_TERMS:
        written.insert(-1, Elided(count - SHOWN_TERMS + 1))
    items: list = []
    for number, term in enumerate(written):
        items += ([Op.PLUS] if number else []) + [term]
    return Seq(tuple(items))


def _parameter_value(params: dict[str, np.ndarray], parameter: Parameter) -> float:
    value = params[parameter.key]
    return float(value[parameter.neuron] if parameter.is_bias else value[parameter.source, parameter.neuron])


def _weight(layout: Layout, j: int, k: str) -> tuple:
    return layout.weight(j + 1, k)
