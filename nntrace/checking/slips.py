"""The likely causes of a wrong number: other conventions, and slips of the pen.

A Convention is a way of computing a whole pass: the engine's own (perhaps carried at some
decimals), or with one slip made throughout, such as the ½ of the loss dropped. The checker
recomputes every claim under each convention that applies to the network; a convention is named
as a cause only where it reproduces the claim and leaves every right claim of the file right. A
reading slip compares the claim with the right numbers written wrongly: another cell's value, the
sign flipped, a digit dropped or two swapped, the number cut instead of rounded, the value of the
pass before. Each cause holds its numbers and its words, so adding one is adding a function to a
list here.
"""

from __future__ import annotations

import decimal
import functools
import math
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from nntrace.checking.claims import Cell, Claim, Number, rounded_text
from nntrace.checking.quantities import elementwise_slope, other_convention
from nntrace.engine.network import Network, hand_round
from nntrace.notation.names import Convention as SignConvention
from nntrace.notation.nodes import Digits, Equation, Op, Remark, Seq, Sym
from nntrace.notation.numbers import SIGNIFICANT, decimal_value
from nntrace.spec.validate import Spec
from nntrace.writers.unicode import text as unicode_text

HAND_DECIMALS = (2, 3, 4)


class Said(str):
    """Words with their mathematics kept as notation beside them (`remark`: prose, symbols and the
    numbers as written), so a document typesets the labels and numbers a cause names."""

    remark: Remark


def said(*parts) -> Said:
    """Words from prose (str) and mathematics: (its text in the words, its notation) pairs."""
    words = Said("".join(part if isinstance(part, str) else part[0] for part in parts))
    words.remark = Remark(tuple(part if isinstance(part, str) else part[1] for part in parts))
    return words


def symbol(expr) -> tuple[str, object]:
    """An expression (or an equation), in words as the terminal writes it."""
    if isinstance(expr, Equation):
        return f"{unicode_text(expr.lhs)} = {unicode_text(expr.expr)}", expr
    return unicode_text(expr), expr


def as_printed(text: str) -> tuple[str, Digits]:
    """A number as written, its digits kept."""
    return text, Digits(text)


def element(quantity, shown: tuple[int, ...]) -> tuple[str, object]:
    """A claimed element, by its label."""
    return quantity.element_label(shown), quantity.element_symbol(shown)


class Cause(str):
    """A likely cause, as its words say it; `kind` names its entry in the catalogue and `general`
    says it without the cell's own numbers, so one slip made on many cells is said once. `remark`
    is the same words with their mathematics as notation (for a document to typeset)."""

    kind: str
    general: str
    remark: Remark

    def __new__(cls, words: str, kind: str, general: str | None = None) -> Cause:
        cause = super().__new__(cls, words)
        cause.kind, cause.general = kind, general or words
        cause.remark = getattr(words, "remark", None) or Remark((str(words),))
        return cause


@dataclass(frozen=True)
class Convention:
    """The engine's own computation, every step carried at `rounding` decimals when given."""

    rounding: int | None = None
    words: str = ""
    kind: str = "engine"
    works_by_hand = False  # softmax's output from its exponentials, as by hand

    @property
    def cause(self) -> Cause:
        return Cause(self.words, self.kind)

    def prepare(self, network: Network) -> None:
        """Set the network up before the first pass."""

    def computed(self, key: str, value: np.ndarray, network: Network, seen: dict) -> np.ndarray:
        """The quantity `key` as this convention computes it from the engine's `value` and the
        pass's quantities `seen` so far (as fed on)."""
        return value

    def rounded(self, values: np.ndarray) -> np.ndarray:
        return hand_round(values, self.rounding)

    def loss_factor(self, network: Network, samples: int) -> float:
        return 1.0

    def after_update(self, network: Network, before: dict[str, np.ndarray]) -> None:
        """Change the parameters the update left, from their values `before` it."""


def _output_error(network: Network) -> str:
    return network.layers[-1].names.error.key


@dataclass(frozen=True)
class Cut(Convention):
    """Every step cut (its further digits dropped), not rounded."""

    def rounded(self, values):
        return hand_cut(values, self.rounding)


def hand_cut(values, decimals: int) -> np.ndarray:
    """`values` cut to `decimals` decimals on their decimal value, as notation.numbers.hand_round
    rounds them: 0.3 x 10 = 2.9999999999999996 is 3, and cut to 0 decimals stays 3."""
    given = np.asarray(values, dtype=np.float64)
    flat = given.reshape(-1)
    power = 10.0**decimals
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        scaled = np.abs(flat) * power
        whole = np.floor(scaled)
        unit = 10.0 ** (np.floor(np.log10(np.maximum(scaled, 1e-300))) - (SIGNIFICANT - 1))
        up = (whole + 1 - scaled) <= unit / 2
        cut = np.copysign((whole + up) / power, flat)
    large = ~(scaled < 1e13)
    if large.any():
        quantum = decimal.Decimal(1).scaleb(-decimals)
        down = decimal.Context(prec=800, rounding=decimal.ROUND_DOWN)
        cut[large] = [float(decimal_value(v).quantize(quantum, context=down)) if np.isfinite(v) else v for v in flat[large]]
    return cut.reshape(given.shape) if given.ndim else cut[0]


def hand_cut_one(value: float, decimals: int) -> float:
    """hand_cut of one number, without an array where its rule is one division: a number below
    1e13 units and more than 1e-13 of itself below the next unit is never read up to it (the
    15th digit's half unit is at most 5e-14 of the number, however log10 rounds); the same float."""
    power = 10.0**decimals
    scaled = abs(value) * power
    if scaled < 1e13:  # (not NaN)
        whole = float(math.floor(scaled))
        if whole + 1 - scaled > scaled * 1e-13:
            return math.copysign(whole / power, value)
    return float(hand_cut(np.array([value]), decimals)[0])


@dataclass(frozen=True)
class RoundedInside(Convention):
    """Hand rounding that also rounds inside an activation (softmax's exponentials)."""

    works_by_hand = True


@dataclass(frozen=True)
class TermsRounded(Convention):
    """Each product of a sum rounded before the sum is taken (and every step carried so)."""

    def computed(self, key, value, network, seen):
        layers = network.layers
        for index, layer in enumerate(layers):
            names = layer.names
            if key == names.z.key:
                inputs = seen["X"] if index == 0 else seen[layers[index - 1].names.a.key]
                return self._sum(np.einsum("sk,kj->skj", inputs, layer.weights), axis=1) + layer.biases
            if key == names.weight_gradient.key:
                inputs = seen["X"] if index == 0 else seen[layers[index - 1].names.a.key]
                return self._sum(np.einsum("sk,sj->skj", inputs, seen[names.delta.key]), axis=0)
            if key == names.error.key and index < len(layers) - 1:
                carried = layers[index + 1]
                return self._sum(np.einsum("sj,kj->skj", seen[carried.names.delta.key], carried.weights), axis=2)
        return value

    def _sum(self, products: np.ndarray, axis: int) -> np.ndarray:
        return hand_round(products, self.rounding).sum(axis=axis)


@dataclass(frozen=True)
class OtherWeights(Convention):
    """The hidden errors carried back through the weights of the other update order."""

    def prepare(self, network):
        network.output_first = not network.output_first


@dataclass(frozen=True)
class ScaledError(Convention):
    """The output error (and the loss) scaled by a factor, or by the batch's number of samples."""

    factor: float = 1.0
    per_sample: int = 0  # -1: divided by the batch's samples; +1: multiplied by them

    def _factor(self, samples: int) -> float:
        return self.factor * float(samples) ** self.per_sample

    def computed(self, key, value, network, seen):
        return value * self._factor(len(value)) if key == _output_error(network) else value

    def loss_factor(self, network, samples):
        return self._factor(samples)


@dataclass(frozen=True)
class FoldedRate(Convention):
    """η multiplied into the output delta, as `delta = E * slope * lr` does; the update applies it again."""

    def computed(self, key, value, network, seen):
        return value * network.learning_rate if key == network.layers[-1].names.delta.key else value


@dataclass(frozen=True)
class RateTwice(Convention):
    """The update's step multiplied by η once more."""

    def after_update(self, network, before):
        for key, old in before.items():
            network.set_parameter(key, old + network.learning_rate * (network.parameters()[key] - old))


@dataclass(frozen=True)
class NetInputSlope(Convention):
    """The slope worked out from the layer's net input z instead of its output a: z(1 − z)."""

    layers: tuple[int, ...] = ()

    def computed(self, key, value, network, seen):
        for index in self.layers:
            layer = network.layers[index]
            if key == layer.names.slope.key:
                z = seen[layer.names.z.key]
                return layer.slope(z, z)
        return value


@dataclass(frozen=True)
class NoSlope(Convention):
    """The activation's derivative left out of the delta: δ = E."""

    layers: tuple[int, ...] = ()

    def computed(self, key, value, network, seen):
        for index in self.layers:
            names = network.layers[index].names
            if key == names.delta.key:
                return np.array(seen[names.error.key], dtype=np.float64)
        return value


@dataclass(frozen=True)
class Untransposed(Convention):
    """The error carried back through W instead of Wᵀ (a square W lets it pass unnoticed)."""

    layer: int = 0

    def computed(self, key, value, network, seen):
        if key == network.layers[self.layer].names.error.key:
            carried = network.layers[self.layer + 1]
            return np.dot(seen[carried.names.delta.key], carried.weights)
        return value


@dataclass(frozen=True)
class SlopeKept(Convention):
    """The output's delta multiplied by its slope where cross-entropy cancels it: δ = E ⊙ σ′(O)."""

    def computed(self, key, value, network, seen):
        names = network.layers[-1].names
        return value * seen[names.slope.key] if key == names.delta.key else value


def hand_rounding(network: Network, spec: Spec, base: Convention) -> list[Convention]:
    return [
        Convention(decimals, f"matches with hand rounding to {decimals} decimals (every step carried so)", "rounding")
        for decimals in HAND_DECIMALS
        if decimals != base.rounding
    ]


def cut_steps(network: Network, spec: Spec, base: Convention) -> list[Convention]:
    return [
        Cut(decimals, f"every step cut to {decimals} decimals instead of rounded", "cut-steps")
        for decimals in HAND_DECIMALS
    ]


def rounding_inside(network: Network, spec: Spec, base: Convention) -> list[Convention]:
    return [
        RoundedInside(
            decimals,
            f"matches with hand rounding to {decimals} decimals inside {layer.activation.name} "
            f"({layer.activation.rounded_inside})",
            "rounding-inside",
        )
        for layer in network.layers
        if layer.activation.rounded_inside is not None
        for decimals in HAND_DECIMALS
    ]


def terms_rounded(network: Network, spec: Spec, base: Convention) -> list[Convention]:
    return [
        TermsRounded(decimals, f"each term rounded to {decimals} decimals before the sum was taken", "terms-rounded")
        for decimals in HAND_DECIMALS
    ]


def other_update_order(network: Network, spec: Spec, base: Convention) -> list[Convention]:
    if len(network.layers) < 2:
        return []
    words = (
        "the weights from before the update used for the hidden errors (the spec updates the output layer first)"
        if network.output_first
        else "the updated weights used for the hidden errors, instead of the ones the pass started with"
    )
    return [OtherWeights(base.rounding, words, "update-order")]


def half_factor(network: Network, spec: Spec, base: Convention) -> list[Convention]:
    if not network.loss.halved:
        return []
    return [
        ScaledError(base.rounding, "the ½ of the loss dropped (the loss and its gradient doubled)", "half", 2.0),
        ScaledError(base.rounding, "the ½ of the loss applied twice (the loss and its gradient halved)", "half", 0.5),
    ]


def other_reduction(network: Network, spec: Spec, base: Convention) -> list[Convention]:
    if (spec.batch_size or len(spec.inputs)) < 2:
        return []
    if network.loss.averaged:
        return [ScaledError(base.rounding, "summed over the samples instead of averaged", "reduction", per_sample=1)]
    return [
        ScaledError(base.rounding, "the mean over the samples taken instead of the sum", "reduction", per_sample=-1)
    ]


def learning_rate_slips(network: Network, spec: Spec, base: Convention) -> list[Convention]:
    if network.updates is not None:  # an optimiser's lines do not take η as the paper's rule does
        return []
    delta = network.layers[-1].names.delta.symbol
    return [
        FoldedRate(
            base.rounding,
            said("the learning rate folded into the output delta (", symbol(Seq((delta, Op.PRODUCT, Sym("eta")))),
                 "), so applied twice in the update"),
            "folded-rate",
        ),
        RateTwice(base.rounding, "the learning rate applied twice in the update (η² instead of η)", "rate-twice"),
    ]


def net_input_slope(network: Network, spec: Spec, base: Convention) -> list[Convention]:
    """σ′ worked out from z: z(1 − z) for a(1 − a), for each layer whose slope is written with a."""
    layers = [i for i, layer in enumerate(network.layers) if elementwise_slope(layer) and _slope_uses_output(layer)]

    def words(indices) -> str:
        parts: list = ["the slope computed from the net input z instead of the output: "]
        for index in indices:
            names, activation = network.layers[index].names, network.layers[index].activation
            z, a = Sym(names.z.key), Sym(names.a.key)
            wrong, right = (activation.slope_formula(*operands) for operands in ((z, z), (a, z)))
            parts += ["; "] if len(parts) > 1 else []
            parts += [symbol(Equation(names.slope.symbol, wrong)), " instead of ", symbol(right)]
        return said(*parts)

    return _per_layer(layers, lambda chosen: NetInputSlope(base.rounding, words(chosen), "net-input-slope", chosen))


def forgotten_derivative(network: Network, spec: Spec, base: Convention) -> list[Convention]:
    cancels = network.loss.slope_cancels
    last = len(network.layers) - 1
    layers = [i for i, layer in enumerate(network.layers) if not (i == last and cancels) and layer.activation.trainable]

    def words(indices) -> str:
        parts: list = ["the activation's derivative left out: "]
        for index in indices:
            names = network.layers[index].names
            parts += ["; "] if len(parts) > 1 else []
            parts += [symbol(Equation(names.delta.symbol, names.error.symbol)), " without ⊙ ",
                      symbol(names.slope.symbol)]  # fmt: skip
        return said(*parts)

    return _per_layer(layers, lambda chosen: NoSlope(base.rounding, words(chosen), "no-derivative", chosen))


def untransposed_backward(network: Network, spec: Spec, base: Convention) -> list[Convention]:
    found = []
    for index in range(len(network.layers) - 1):
        carried = network.layers[index + 1]
        rows, columns = carried.weights.shape
        if rows == columns:  # else the shapes refuse the slip
            names = network.layers[index].names
            found.append(Untransposed(
                base.rounding,
                said("the weight matrix ", symbol(carried.names.weights.symbol), " not transposed when ",
                     symbol(names.error.symbol), " was carried back from ", symbol(carried.names.delta.symbol)),
                "untransposed",
                layer=index,
            ))  # fmt: skip
    return found


def slope_kept(network: Network, spec: Spec, base: Convention) -> list[Convention]:
    last = network.layers[-1]
    if not network.loss.slope_cancels or not elementwise_slope(last):
        return []
    names = last.names
    return [SlopeKept(
        base.rounding,
        said("the output's slope not cancelled under cross-entropy: ",
             symbol(Equation(names.delta.symbol, names.error.symbol)), " ⊙ ", symbol(names.slope.symbol),
             ", where ", symbol(names.error.symbol), " already is the delta"),
        "slope-not-cancelled",
    )]  # fmt: skip


def _per_layer(layers: list[int], make) -> list[Convention]:
    """The slip in each layer alone, and in all of them where there are several."""
    chosen = [(index,) for index in layers] + ([tuple(layers)] if len(layers) > 1 else [])
    return [make(indices) for indices in chosen]


def _slope_uses_output(layer) -> bool:
    """Whether the activation's slope is written with its output a (as the sigmoid's a(1 − a))."""
    z, a = np.array([[0.2]]), np.array([[0.6]])
    return not np.allclose(layer.slope(z, a), layer.slope(z, z))


def _symbol(name) -> str:
    return unicode_text(name.symbol)


# Which of these apply to a network, and how each is said, depend on its layers, loss and settings,
# never on its numbers: an exercise works them out once for all the variants drawn of one network.
PASS_SLIPS = (
    hand_rounding,
    cut_steps,
    rounding_inside,
    terms_rounded,
    other_update_order,
    half_factor,
    other_reduction,
    learning_rate_slips,
    net_input_slope,
    forgotten_derivative,
    untransposed_backward,
    slope_kept,
)


def carried_rounding(rounding: int | None) -> Cause:
    """A wrong number that the numbers printed before it give."""
    if rounding is None:
        return Cause("computed from the rounded numbers printed before it (the rounding carried on)", "carried")
    return Cause(f"computed from the numbers printed before it, every step carried at {rounding} decimals", "rounding")


# --- reading slips: the right numbers written wrongly ----------------------------------------------

MIN_SIGNIFICANT = 2  # a claim of one significant digit matches too many slips by chance
MAX_READ_DECIMALS = 20


class Reading(NamedTuple):
    """What a reading slip may compare a claim with: the claim's whole array, and the same
    quantity in the passes before (with how to say which)."""

    array: np.ndarray
    previous: tuple[tuple[np.ndarray, str], ...] = ()
    convention: SignConvention = SignConvention.DESCENT
    tolerance: int = 0


def sign_error(cell: Cell, claim: Claim, reading: Reading) -> Cause | None:
    value = cell.value_in(reading.array)
    if value == 0 or not cell.number.holds(-value, reading.tolerance):
        return None
    shown = rounded_text(value, cell.number.decimals)
    if claim.quantity.convention_signed:  # the same number in the other convention, not a slip of the sign
        general = f"written in the other sign convention ({other_convention(reading.convention)})"
        words = said(f"{general}: as the spec writes it, ", element(claim.quantity, cell.shown), " is ",
                     as_printed(shown))  # fmt: skip
        return Cause(words, "other-sign-convention", general)
    return Cause(said("a sign error: the value is ", as_printed(shown)), "sign", "a sign error")


def _neighbour_slip(cell: Cell, claim: Claim, reading: Reading, shifts, words: str, kind: str) -> Cause | None:
    array = reading.array
    for shift in shifts(cell.shown):
        index = claim.quantity.engine_index(shift)
        if index is not None and shift != cell.shown and cell.number.holds(float(array[index]), reading.tolerance):
            shown = rounded_text(float(array[index]), cell.number.decimals + 1)
            before, between, after = words.split("{}")
            text = said(before, element(claim.quantity, shift), between, as_printed(shown), after)
            return Cause(text, kind, words.split(":")[0].split(" {")[0])
    return None


def transposed(at: tuple[int, ...]) -> list[tuple[int, ...]]:
    """The cell a transposed index reads for the cell `at` (none but of a matrix)."""
    return [at[::-1]] if len(at) == 2 else []


def around(at: tuple[int, ...]):
    """The cells next to the cell `at`, one step along each axis."""
    for axis in range(len(at)):
        for step in (-1, 1):
            yield tuple(i + step if a == axis else i for a, i in enumerate(at))


def transposed_index(cell: Cell, claim: Claim, reading: Reading) -> Cause | None:
    if len(cell.shown) != 2:
        return None
    return _neighbour_slip(
        cell, claim, reading, transposed, "a transposed index: the value of {} ({})", "transposed-index"
    )


def neighbouring_cell(cell: Cell, claim: Claim, reading: Reading) -> Cause | None:
    return _neighbour_slip(cell, claim, reading, around, "copied from the neighbouring cell {} ({})", "neighbour")


def _digits_slip(cell: Cell, reading: Reading, extra: int, variants, words: str, kind: str) -> Cause | None:
    value = cell.value_in(reading.array)
    number = cell.number
    text = rounded_text(abs(value), number.decimals + extra)
    sign = "-" if value < 0 else ""
    for candidate in variants(text):
        if len(candidate.partition(".")[2]) != number.decimals:
            continue
        off = (number.judged - decimal.Decimal(sign + candidate)).scaleb(number.decimals)
        if abs(off) <= reading.tolerance and not number.holds(value, reading.tolerance):
            before, between, after = words.split("{}")
            return Cause(said(before, as_printed(sign + text), between, as_printed(sign + candidate), after), kind,
                         words.split(":")[0])  # fmt: skip
    return None


def dropped(text: str):
    """`text` with one of its digits left out."""
    for position, character in enumerate(text):
        if character.isdigit():
            candidate = text[:position] + text[position + 1 :]
            yield "0" + candidate if candidate.startswith(".") else candidate


def swapped(text: str):
    """`text` with two neighbouring digits swapped."""
    for position in range(len(text) - 1):
        a, b = text[position], text[position + 1]
        if a.isdigit() and b.isdigit() and a != b:
            yield text[:position] + b + a + text[position + 2 :]


def dropped_inside(text: str):
    """`text` with one of its digits but the last left out (the last dropped is the number cut:
    cut_not_rounded)."""
    for candidate in dropped(text):
        if candidate != text[:-1]:
            yield candidate


def dropped_digit(cell: Cell, claim: Claim, reading: Reading) -> Cause | None:
    return _digits_slip(cell, reading, 1, dropped_inside, "a digit dropped: {} written as {}", "dropped-digit")


def swapped_digits(cell: Cell, claim: Claim, reading: Reading) -> Cause | None:
    return _digits_slip(cell, reading, 0, swapped, "two digits swapped: {} written as {}", "swapped-digits")


def point_moved(cell: Cell, claim: Claim, reading: Reading) -> Cause | None:
    if dropped_digit(cell, claim, reading) is not None:  # a zero dropped after the point moves it: said so
        return None
    value = cell.value_in(reading.array)
    for factor, words in ((10.0, "one place right"), (0.1, "one place left")):
        if value != 0 and cell.number.holds(value * factor, reading.tolerance):
            shown = rounded_text(value, cell.number.decimals + (1 if factor > 1 else -1))
            moved = said(f"the decimal point moved {words}: ", as_printed(shown), " written as ",
                         as_printed(cell.number.text))  # fmt: skip
            return Cause(moved, "point-moved",
                         "the decimal point moved")  # fmt: skip
    return None


def cut_not_rounded(cell: Cell, claim: Claim, reading: Reading) -> Cause | None:
    value = cell.value_in(reading.array)
    number = cell.number
    cut = hand_cut_one(value, number.decimals)
    if number.holds(cut, 0) and not number.holds(value, reading.tolerance):
        shown = rounded_text(value, number.decimals + 2)
        return Cause(said("cut instead of rounded: ", as_printed(shown), " cut to ", as_printed(number.text)),
                     "cut", "cut instead of rounded")  # fmt: skip
    return None


def previous_pass(cell: Cell, claim: Claim, reading: Reading) -> Cause | None:
    for array, where in reading.previous:
        value = cell.value_in(array)
        if cell.number.holds(value, reading.tolerance):
            shown = rounded_text(value, cell.number.decimals + 1)
            return Cause(
                said("a value copied from the previous pass: ", element(claim.quantity, cell.shown), " was ",
                     as_printed(shown), f" in {where}"),
                "previous-pass",
                "a value copied from the previous pass",
            )
    return None


READING_SLIPS = (
    sign_error,
    transposed_index,
    neighbouring_cell,
    dropped_digit,
    swapped_digits,
    point_moved,
    cut_not_rounded,
    previous_pass,
)


class Answer(NamedTuple):
    """A wrong answer a reading slip gives, with its words and the kind of slip (as Cause.kind)."""

    value: float
    words: str
    kind: str


def reading_answers(quantity, at: tuple[int, ...], array: np.ndarray, value: float, decimals: int) -> list[Answer]:
    """The answers the reading slips above give for the cell `at` (1-based) of `quantity`, whose
    value is `value` in `array` and is asked at `decimals` decimals: the wrong answers an exercise
    expects for it (previous_pass aside: an exercise asks a pass's numbers, not the pass before).
    In this order: where two slips give the same number, an exercise's key names the first."""
    key = rounded_text(value, decimals)
    answers = [Answer(-value, f"a sign error: the value is {key}", "sign")]
    array = np.asarray(array)
    answers += [Answer(array.item(index), words, kind) for index, words, kind in _read_instead(quantity, at)]
    answers.append(Answer(value * 10, "the decimal point moved one place right", "point-moved"))
    answers.append(Answer(value / 10, "the decimal point moved one place left", "point-moved"))
    cut = hand_cut_one(value, decimals)
    answers.append(Answer(cut, f"cut instead of rounded: {rounded_text(value, decimals + 2)} cut", "cut"))
    sign = -1 if value < 0 else 1
    longer = rounded_text(abs(value), decimals + 1)
    for candidate in dropped_inside(longer):
        if len(candidate.partition(".")[2]) == decimals:
            answers.append(Answer(sign * float(candidate), f"a digit dropped: {longer} written as {candidate}",
                                  "dropped-digit"))  # fmt: skip
    for candidate in swapped(rounded_text(abs(value), decimals)):
        answers.append(Answer(sign * float(candidate), f"two digits swapped: {candidate} for {key}", "swapped-digits"))
    return answers


@functools.lru_cache(maxsize=4096)  # a class asks the same cells of every student's variant
def _read_instead(quantity, at: tuple[int, ...]) -> tuple[tuple[tuple[int, ...], str, str], ...]:
    """The cells a reading slip reads for the cell `at` of `quantity` (the transposed index, then
    each neighbour): each one's index into the engine's array, the words and the kind."""
    found = []
    for cells, words, kind in ((transposed(at), "a transposed index: the value of {}", "transposed-index"),
                               (around(at), "copied from the neighbouring cell {}", "neighbour")):  # fmt: skip
        for shown in cells:
            index = quantity.engine_index(shown)
            if index is not None and shown != at:
                found.append((index, words.format(quantity.element_label(shown)), kind))
    return tuple(found)


def readable(number: Number) -> bool:
    """Whether a claim has digits enough for a reading slip to be told from chance (and not so
    many decimals that they are float64's noise)."""
    return number.significant >= MIN_SIGNIFICANT and number.decimals <= MAX_READ_DECIMALS
