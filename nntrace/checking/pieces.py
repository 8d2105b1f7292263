"""The smallest wrong piece of a first error no whole-pass slip explains.

Most numbers of a pass are sums of products: H_in[s,j] = Σₖ X[s,k] · W_h[k,j] + b_h[j], a hidden
error Σⱼ δ[s,j] · W[k,j], a gradient Σₛ A[s,k] · δ[s,j], an update W + η · (−∂L/∂W), a delta
E · σ′. Where a wrong number is not what some slip made throughout the pass gives, it is often
the right sum with one piece written wrongly: a term with a digit dropped, a factor with its
decimal point moved, a term left out, a weight read from the transposed cell. Each piece is tried
with each such slip, and one is named only where the sum with it gives the claimed number exactly
at its decimals, with the piece's right value beside it.
"""

from __future__ import annotations

import decimal
from collections.abc import Iterator
from typing import NamedTuple

import numpy as np

from nntrace.checking.claims import Cell, Claim, rounded_text
from nntrace.checking.evaluation import PassValues
from nntrace.checking.quantities import Catalogue, Quantity, Stage, change_key
from nntrace.checking.slips import MAX_READ_DECIMALS, Cause, as_printed, dropped, said, swapped
from nntrace.engine.network import Network
from nntrace.notation.nodes import Digits, Group, Neg, Op, Seq

MIN_SIGNIFICANT = 3  # a claim of fewer significant digits is matched by some slipped piece by chance
_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")


class Factor(NamedTuple):
    label: str  # as the reader indexes it: W_out[2,1], η
    value: float  # in the engine's sign
    sign: float  # the sign the reader's name gives it (δ = ∂L/∂z is the negative of the engine's)
    matrix: np.ndarray | None = None  # the array it is an element of, and where, for a transposed reading
    index: tuple[int, ...] = ()
    quantity: Quantity | None = None

    @property
    def shown(self) -> float:
        return self.sign * self.value


class Term(NamedTuple):
    factors: tuple[Factor, ...]

    @property
    def value(self) -> float:
        return float(np.prod([factor.value for factor in self.factors]))


def smallest_piece(
    claim: Claim, cell: Cell, values: PassValues, network: Network, names: Catalogue
) -> Cause | None:
    """The one slipped piece of the cell's arithmetic that gives the claimed number, if any."""
    number = cell.number
    if number.significant < MIN_SIGNIFICANT or number.decimals > MAX_READ_DECIMALS:
        return None
    terms = _terms(claim.quantity, cell.index, values, network, names)
    if not terms:
        return None
    total = sum(term.value for term in terms)
    sign = claim.quantity.sign

    def gives(changed_total: float) -> bool:
        return number.holds(sign * changed_total, 0)

    claimed = as_printed(number.text)
    single = len(terms) == 1
    for position, term in enumerate(terms):
        where = "the product" if single else f"the {_ordinal(position)} term"
        expression = _expression(term, sign, number.decimals)
        shown_term = sign * term.value
        if not single and gives(total - term.value):
            return _cause(f"{where}, ", expression, " = ", as_printed(_short(shown_term, number.decimals + 1)),
                          ", left out: without it the sum is the claimed ", claimed)  # fmt: skip
        if not single and gives(total + term.value):
            return _cause(f"{where}, ", expression, " = ", as_printed(_short(shown_term, number.decimals + 1)),
                          ", counted twice gives the claimed ", claimed)  # fmt: skip
        for text, variant, slipped in _slips(shown_term, number.decimals):
            if gives(total - term.value + sign * slipped):
                return _cause(f"{where}, ", expression, ", is ", as_printed(text), "; written as ", as_printed(variant),
                              " it gives the claimed ", claimed)  # fmt: skip
        for factor_position, factor in enumerate(term.factors):
            if factor.value == 0 or factor.label == "η":
                continue
            others = term.value / factor.value
            for text, variant, slipped in _slips(factor.shown, number.decimals):
                if gives(total - term.value + others * factor.sign * slipped):
                    return _cause(f"in {where}, ", expression, ", ", _label(factor), " is ", as_printed(text),
                                  "; written as ", as_printed(variant), " it gives the claimed ", claimed)  # fmt: skip
            swapped_in = _transposed(factor)
            if swapped_in is not None and gives(total - term.value + others * swapped_in[1]):
                label, value = swapped_in
                return _cause(f"in {where}, ", expression, ", ", _label(factor), " (",
                              as_printed(_short(factor.shown, number.decimals)), ") read as ", label, " (",
                              as_printed(_short(factor.sign * value, number.decimals)), "), which gives the claimed ",
                              claimed)  # fmt: skip
    return None


def _cause(*parts) -> Cause:
    return Cause(said(*parts), "piece")


def _label(factor: Factor):
    """A factor's label, as notation where it is a claimable quantity's element."""
    quantity = factor.quantity
    if quantity is None or not factor.index:
        return factor.label
    shown = quantity.shown_index(factor.index)
    if quantity.element_label(shown) != factor.label:
        return factor.label
    return factor.label, quantity.element_symbol(shown)


def _ordinal(position: int) -> str:
    return _ORDINALS[position] if position < len(_ORDINALS) else f"{position + 1}th"


def _short(value: float, decimals: int) -> str:
    """`value` at `decimals` decimals without the trailing zeros: 1 for 1.0000, -0.3 for -0.3000."""
    text = rounded_text(value, max(decimals, 0))
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _expression(term: Term, sign: float, decimals: int) -> tuple[str, object]:
    """A term's product as written (-0.3 × 0.1739), and as notation: the numbers' digits kept."""
    shown = [_short(factor.shown, decimals) for factor in term.factors]
    factors = " × ".join(shown)
    items: list = []
    for text in shown:
        items += ([Op.PRODUCT] if items else []) + [Digits(text)]
    product = Seq(tuple(items)) if len(items) > 1 else items[0]
    flipped = sign * np.prod([factor.sign for factor in term.factors]) < 0
    return (f"-({factors})", Neg(Group(product))) if flipped else (factors, product)


def _slips(value: float, decimals: int) -> Iterator[tuple[str, str, float]]:
    """(the piece as written, a slip of it as written, its value) for `value` written at about the
    claim's decimals: its sign flipped, its decimal point moved, a digit dropped, two digits swapped."""
    if value == 0:
        return
    sign = "-" if value < 0 else ""
    tried: set[str] = set()
    for places in dict.fromkeys((decimals - 1, decimals, decimals + 1)):
        if places < 1:
            continue
        text = rounded_text(abs(value), places)
        exact = decimal.Decimal(text)
        if exact == 0:
            continue
        written = sign + text
        variants = [("" if sign else "-") + text]
        variants += [sign + f"{(exact * factor).normalize():f}" for factor in (decimal.Decimal(10), decimal.Decimal("0.1"))]
        variants += [sign + variant for variant in (*dropped(text), *swapped(text)) if variant.strip(".")]
        for variant in variants:
            if variant in tried or decimal.Decimal(variant) == decimal.Decimal(written):
                continue
            tried.add(variant)
            yield written, variant, float(variant)


def _transposed(factor: Factor) -> tuple[str, float] | None:
    """The label and value of the factor's transposed cell in its matrix, where there is one."""
    if factor.matrix is None or factor.quantity is None or len(factor.index) != 2:
        return None
    row, column = factor.index
    if row == column or column >= factor.matrix.shape[0] or row >= factor.matrix.shape[1]:
        return None
    index = (column, row)
    return factor.quantity.element_label(factor.quantity.shown_index(index)), float(factor.matrix[index])


def _terms(quantity: Quantity, index: tuple[int, ...], values: PassValues, network: Network, names: Catalogue):
    """The terms of the cell's arithmetic, each a product of factors, or () where it is not a sum of
    products nntrace knows."""
    layers = network.layers
    seen = values.seen
    labels = _Labels(names)
    for position, layer in enumerate(layers):
        n = layer.names
        inputs = "X" if position == 0 else layers[position - 1].names.a.key
        if quantity.stage is Stage.PASS and quantity.key == n.z.key:
            s, j = index
            A, W = seen[inputs], values.before[n.weights.key]
            terms = [Term((labels.of(inputs, A, (s, k)), labels.of(n.weights.key, W, (k, j), Stage.BEFORE)))
                     for k in range(A.shape[1])]  # fmt: skip
            b = values.before[n.biases.key].reshape(-1)
            return (*terms, Term((labels.of(n.biases.key, b, (j,), Stage.BEFORE),)))
        if quantity.stage is Stage.PASS and quantity.key == n.error.key and position < len(layers) - 1:
            s, k = index
            carried = layers[position + 1].names
            W = (values.after if network.output_first else values.before)[carried.weights.key]
            delta = seen[carried.delta.key]
            return tuple(Term((labels.of(carried.delta.key, delta, (s, j)),
                               labels.of(carried.weights.key, W, (k, j), Stage.BEFORE)))
                         for j in range(delta.shape[1]))  # fmt: skip
        if quantity.stage is Stage.PASS and quantity.key == n.delta.key:
            if position == len(layers) - 1 and network.loss.slope_cancels:
                return ()  # the delta is the error itself
            return (Term((labels.of(n.error.key, seen[n.error.key], index),
                          labels.of(n.slope.key, seen[n.slope.key], index))),)  # fmt: skip
        if quantity.stage is Stage.PASS and quantity.key == n.weight_gradient.key:
            k, j = index
            A, delta = seen[inputs], seen[n.delta.key]
            return tuple(Term((labels.of(inputs, A, (s, k)), labels.of(n.delta.key, delta, (s, j))))
                         for s in range(A.shape[0]))  # fmt: skip
        if quantity.stage is Stage.PASS and quantity.key == n.bias_gradient.key and not layer.shared_bias:
            (j,) = index
            delta = seen[n.delta.key]
            return tuple(Term((labels.of(n.delta.key, delta, (s, j)),)) for s in range(delta.shape[0]))
        for parameter, gradient in ((n.weights.key, n.weight_gradient.key), (n.biases.key, n.bias_gradient.key)):
            updated = quantity.stage is Stage.AFTER and quantity.key == parameter
            if not (updated or quantity.key == change_key(parameter)):
                continue
            if network.updates is not None or gradient not in seen:  # an optimiser's update: its lines
                return ()
            step = seen[gradient].reshape(values.before[parameter].shape)
            change = Term((Factor("η", network.learning_rate, 1.0), labels.of(gradient, step, index)))
            if updated:
                return (Term((labels.of(parameter, values.before[parameter], index, Stage.BEFORE),)), change)
            return (change,)
    return ()


class _Labels:
    """Factors labelled as the reader names their elements, with the sign the reader's name gives."""

    def __init__(self, names: Catalogue):
        self.by_key: dict[tuple[str, Stage], Quantity] = {}
        for quantity in names.ordered:  # the steps' own name of each key comes first
            self.by_key.setdefault((quantity.key, quantity.stage), quantity)

    def of(self, key: str, array: np.ndarray, index: tuple[int, ...], stage: Stage = Stage.PASS) -> Factor:
        quantity = self.by_key.get((key, stage))
        array = np.asarray(array)
        index = index if array.ndim == len(index) else (0, *index)
        value = float(array[index])
        if quantity is None:
            return Factor(key, value, 1.0)
        shown_index = index[-len(quantity.shape) :] if quantity.shape else ()
        label = quantity.element_label(quantity.shown_index(shown_index))
        return Factor(label, value, quantity.sign, array if array.ndim == 2 else None, index, quantity)
