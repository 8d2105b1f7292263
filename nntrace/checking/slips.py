"""The likely causes of a wrong number: other conventions, and slips of the pen.

A Convention is a way of computing a whole pass: the engine's own (perhaps carried at some
decimals), or with one slip made throughout, such as the ½ of the loss dropped. The checker
recomputes every claim under each convention that applies to the network; a convention is named
as a cause only where it reproduces the claim. A reading slip compares the claim with the right
numbers written wrongly: another cell's value, the sign flipped, a digit dropped or two swapped.
Each cause holds its numbers and its words, so adding one is adding a function to a list here.
"""

from __future__ import annotations

import decimal
from dataclasses import dataclass, field

import numpy as np

from nntrace.checking.claims import Cell, Claim, rounded_text
from nntrace.engine.network import Network, hand_round
from nntrace.spec.validate import Spec

HAND_DECIMALS = (2, 3, 4)


@dataclass(frozen=True)
class Convention:
    """The engine's own computation, every step carried at `rounding` decimals when given."""

    rounding: int | None = None
    words: str = ""

    def prepare(self, network: Network) -> None:
        """Set the network up before the first pass."""

    def computed(self, key: str, value: np.ndarray, network: Network) -> np.ndarray:
        """The quantity `key` as this convention computes it from the engine's `value`."""
        return value

    def loss_factor(self, network: Network, samples: int) -> float:
        return 1.0

    def after_update(self, network: Network, before: dict[str, np.ndarray]) -> None:
        """Change the parameters the update left, from their values `before` it."""


def _output_key(network: Network, delta: bool) -> str:
    """The output layer's error key, or its delta's (which is the error where the slope cancels)."""
    names = network.layers[-1].names
    return names.delta.key if delta and not network.loss.slope_cancels else names.error.key


@dataclass(frozen=True)
class RoundedInside(Convention):
    """Hand rounding that also rounds inside an activation (softmax's exponentials)."""

    # The layer inputs the pass has rounded so far: a convention serves one evaluation.
    inputs: dict = field(default_factory=dict, compare=False)

    def computed(self, key, value, network):
        for layer in network.layers:
            if layer.activation.rounded_inside is None:
                continue
            if key == layer.names.z.key:
                self.inputs[key] = hand_round(value, self.rounding)
            elif key == layer.names.a.key:
                return layer.activation.by_hand(self.inputs[layer.names.z.key], lambda v: hand_round(v, self.rounding))
        return value


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

    def computed(self, key, value, network):
        return value * self._factor(len(value)) if key == _output_key(network, delta=False) else value

    def loss_factor(self, network, samples):
        return self._factor(samples)


@dataclass(frozen=True)
class FoldedRate(Convention):
    """η multiplied into the output delta, as `delta = E * slope * lr` does; the update applies it again."""

    def computed(self, key, value, network):
        return value * network.learning_rate if key == _output_key(network, delta=True) else value


@dataclass(frozen=True)
class RateTwice(Convention):
    """The update's step multiplied by η once more."""

    def after_update(self, network, before):
        for key, old in before.items():
            network.set_parameter(key, old + network.learning_rate * (network.parameters()[key] - old))


def hand_rounding(network: Network, spec: Spec, base: Convention) -> list[Convention]:
    return [
        Convention(decimals, f"matches with hand rounding to {decimals} decimals (every step carried so)")
        for decimals in HAND_DECIMALS
        if decimals != base.rounding
    ]


def rounding_inside(network: Network, spec: Spec, base: Convention) -> list[Convention]:
    return [
        RoundedInside(
            decimals,
            f"matches with hand rounding to {decimals} decimals inside {layer.activation.name} "
            f"({layer.activation.rounded_inside})",
        )
        for layer in network.layers
        if layer.activation.rounded_inside is not None
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
    return [OtherWeights(base.rounding, words)]


def half_factor(network: Network, spec: Spec, base: Convention) -> list[Convention]:
    if not network.loss.halved:
        return []
    return [
        ScaledError(base.rounding, "the ½ of the loss dropped (the loss and its gradient doubled)", factor=2.0),
        ScaledError(base.rounding, "the ½ of the loss applied twice (the loss and its gradient halved)", factor=0.5),
    ]


def other_reduction(network: Network, spec: Spec, base: Convention) -> list[Convention]:
    if (spec.batch_size or len(spec.inputs)) < 2:
        return []
    if network.loss.averaged:
        return [ScaledError(base.rounding, "summed over the samples instead of averaged", per_sample=1)]
    return [ScaledError(base.rounding, "the mean over the samples taken instead of the sum", per_sample=-1)]


def learning_rate_slips(network: Network, spec: Spec, base: Convention) -> list[Convention]:
    if network.updates is not None:  # an optimiser's lines do not take η as the paper's rule does
        return []
    return [
        FoldedRate(
            base.rounding,
            "the learning rate folded into the output delta (δ = E ⊙ σ′ · η), so applied twice in the update",
        ),
        RateTwice(base.rounding, "the learning rate applied twice in the update (η² instead of η)"),
    ]


PASS_SLIPS = (hand_rounding, rounding_inside, other_update_order, half_factor, other_reduction, learning_rate_slips)


CARRIED_ROUNDING = "computed from the rounded numbers printed before it (the rounding carried on)"


def sign_error(cell: Cell, claim: Claim, array: np.ndarray, tolerance: int) -> str | None:
    value = cell.value_in(array)
    if value != 0 and cell.number.holds(-value, tolerance):
        return f"a sign error: the value is {rounded_text(value, cell.number.decimals)}"
    return None


def _neighbour_slip(cell: Cell, claim: Claim, array: np.ndarray, tolerance: int, shifts, words: str) -> str | None:
    for shift in shifts(cell.shown):
        index = claim.quantity.engine_index(shift)
        if index is not None and shift != cell.shown and cell.number.holds(float(array[index]), tolerance):
            return words.format(
                claim.quantity.element_label(shift), rounded_text(float(array[index]), cell.number.decimals)
            )
    return None


def transposed_index(cell: Cell, claim: Claim, array: np.ndarray, tolerance: int) -> str | None:
    if len(cell.shown) != 2:
        return None
    return _neighbour_slip(
        cell, claim, array, tolerance, lambda at: [at[::-1]], "a transposed index: the value of {} ({})"
    )


def neighbouring_cell(cell: Cell, claim: Claim, array: np.ndarray, tolerance: int) -> str | None:
    def around(at):
        for axis in range(len(at)):
            for step in (-1, 1):
                yield tuple(i + step if a == axis else i for a, i in enumerate(at))

    return _neighbour_slip(cell, claim, array, tolerance, around, "copied from the neighbouring cell {} ({})")


def _digits_slip(cell: Cell, array: np.ndarray, tolerance: int, extra: int, variants, words: str) -> str | None:
    value = cell.value_in(array)
    number = cell.number
    text = rounded_text(abs(value), number.decimals + extra)
    sign = "-" if value < 0 else ""
    for candidate in variants(text):
        if len(candidate.partition(".")[2]) != number.decimals:
            continue
        off = (number.value - decimal.Decimal(sign + candidate)).scaleb(number.decimals)
        if abs(off) <= tolerance and not number.holds(value, tolerance):
            return words.format(sign + text, sign + candidate)
    return None


def dropped_digit(cell: Cell, claim: Claim, array: np.ndarray, tolerance: int) -> str | None:
    def dropped(text):
        for position, character in enumerate(text):
            if character.isdigit():
                candidate = text[:position] + text[position + 1 :]
                yield "0" + candidate if candidate.startswith(".") else candidate

    return _digits_slip(cell, array, tolerance, 1, dropped, "a digit dropped: {} written as {}")


def swapped_digits(cell: Cell, claim: Claim, array: np.ndarray, tolerance: int) -> str | None:
    def swapped(text):
        for position in range(len(text) - 1):
            a, b = text[position], text[position + 1]
            if a.isdigit() and b.isdigit() and a != b:
                yield text[:position] + b + a + text[position + 2 :]

    return _digits_slip(cell, array, tolerance, 0, swapped, "two digits swapped: {} written as {}")


READING_SLIPS = (sign_error, transposed_index, neighbouring_cell, dropped_digit, swapped_digits)
