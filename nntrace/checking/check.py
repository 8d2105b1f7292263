"""Judging claimed numbers: which are wrong, which error comes first, and what probably caused it.

The rule: a number printed with d decimals claims the true value rounded to d decimals (halves
away from zero, on the decimal value, as by hand); it is right when it is that, or within
`tolerance` units of its last digit. The true value is the exact one, the one computed with
every step carried at `round` decimals, or (round: printed) the one each step gives from the
numbers printed before it, where those are right.

Every claimed value is judged inside the engine's pass (evaluation.py). Then, in this order:
  - consequences: a wrong claim follows from earlier wrong ones when the pass fed every claim as
    printed reproduces it, computed exactly or, as by hand, with every step carried at the claim's
    own decimals; removing one earlier wrong claim at a time says which it follows from;
  - causes, for each other wrong claim (a first error): the slips of slips.py, recomputed under
    another convention or read off the right value by a slip of the pen. A slip is named only when
    it reproduces the claim exactly at its decimals and leaves every right claim of the file right
    (one that would make a right claim wrong is kept as ruled out, with the claims it contradicts);
    where none is, the smallest wrong piece of its arithmetic (pieces.py).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np

from nntrace.checking.claims import (
    PRINTED,
    Cell,
    Claim,
    ClaimsFile,
    batches_per_epoch,
    convincing_text,
    rounded_text,
    significant_decimals,
)
from nntrace.checking.evaluation import ALWAYS, NEVER, WHEN_RIGHT, Also, CellId, Evaluation, evaluate, previous_passes
from nntrace.checking.pieces import smallest_piece
from nntrace.checking.quantities import claimable
from nntrace.checking.slips import (
    PASS_SLIPS,
    READING_SLIPS,
    Cause,
    Convention,
    Reading,
    RoundedInside,
    carried_rounding,
    readable,
)
from nntrace.common.wording import counted
from nntrace.engine.network import build_network
from nntrace.notation.numbers import SIGNIFICANT

# A cause is named only when it gives the claim exactly at its decimals: the tolerance for hand
# work would let a wrong recomputation pass by chance.
EXACTLY = 0
MAX_PIECE_SEARCHES = 24  # first errors whose pieces are tried (each is a few hundred sums)


@dataclass(frozen=True)
class Verdict:
    claim: Claim
    cell: Cell
    label: str  # H_in[2,3], W_out⁺[1,1], L
    value: float  # the value the claim is judged against
    exact: float  # the exact value (the same unless the file carries rounding)
    off: int | None  # units of the claim's last digit it is off by (None: the value is not finite)
    right: bool
    order: tuple
    follows: tuple[str, ...] = ()  # the earlier wrong claims it follows from
    causes: tuple[Cause, ...] = ()  # what reproduces it, for a wrong claim that follows from none
    ruled_out: tuple[tuple[Cause, tuple[str, ...]], ...] = ()  # causes that give it but make right claims wrong

    @property
    def true_text(self) -> str:
        """The value judged against, at the claim's decimals (or the 15 significant digits float64
        carries, where the claim has more decimals than that: 1e-219 claims 234)."""
        return rounded_text(self.value, shown_decimals(self.value, self.cell.number.decimals))

    @property
    def correct_text(self) -> str:
        """The exact value at the claim's decimals; for a wrong claim with the digits it takes to
        convince (0.074 claimed for 0.007485 is corrected to 0.00749: 0.0075 would read as 0.008)."""
        decimals = shown_decimals(self.exact, self.cell.number.decimals)
        return rounded_text(self.exact, decimals) if self.right else convincing_text(self.exact, decimals)

    @property
    def first_error(self) -> bool:
        return not self.right and not self.follows


@dataclass(frozen=True)
class CheckReport:
    file: ClaimsFile
    verdicts: tuple[Verdict, ...]  # in the file's order

    @property
    def wrong(self) -> list[Verdict]:
        """The wrong claims in the order of computation."""
        return sorted((v for v in self.verdicts if not v.right), key=lambda v: v.order)

    @property
    def first_errors(self) -> list[Verdict]:
        """Wrong claims that follow from no earlier wrong claim."""
        return [v for v in self.wrong if not v.follows]

    def consequences(self, error: Verdict) -> list[Verdict]:
        return [v for v in self.wrong if error.label in v.follows and _same_pass_or_later(error, v)]

    @property
    def rule(self) -> str:
        rounding = self.file.rounding
        against = (
            "the exact value"
            if rounding is None
            else "each step computed from the numbers printed before it (where those are right)"
            if rounding == PRINTED
            else f"the value with every step carried at {rounding} decimals"
        )
        slack = f", or within {counted(self.file.tolerance, 'unit')} of its last digit" if self.file.tolerance else ""
        return f"a number is right when {against} rounds to it at the decimals it is printed with{slack}"


def shown_decimals(value: float, decimals: int) -> int:
    """`decimals`, but no more than float64's 15 significant digits of `value` take."""
    if not math.isfinite(value):
        return decimals
    carried = significant_decimals(value, SIGNIFICANT) if value else SIGNIFICANT
    return min(decimals, max(carried, 0))


def _same_pass_or_later(error: Verdict, verdict: Verdict) -> bool:
    return verdict.order > error.order


def check(file: ClaimsFile) -> CheckReport:
    base = Convention(rounding=file.rounding if isinstance(file.rounding, int) else None)
    policy = WHEN_RIGHT if file.rounding == PRINTED else NEVER
    reference = evaluate(file, base, policy)
    exact = reference if file.rounding is None else evaluate(file, Convention(), NEVER)
    verdicts: dict[CellId, Verdict] = {}
    for number, claim in enumerate(file.claims):
        for position, cell in enumerate(claim.cells):
            ident = (number, position)
            off = reference.units_off(ident)
            verdicts[ident] = Verdict(
                claim,
                cell,
                claim.quantity.element_label(cell.shown),
                reference.value(ident),
                exact.value(ident),
                off,
                off is not None and abs(off) <= file.tolerance,
                (*reference.order[number], cell.index),
            )
    wrong = sorted((ident for ident, v in verdicts.items() if not v.right), key=lambda ident: verdicts[ident].order)
    if wrong:
        _trace_consequences(file, base, policy, reference, verdicts, wrong)
        _diagnose(file, base, policy, reference, verdicts, wrong)
    return CheckReport(file, tuple(verdicts.values()))


def _precision_variants(file: ClaimsFile, base: Convention, verdicts, unlinked: list[CellId]) -> list[Convention]:
    """The pass as someone computes it by hand at a claim's own decimals: every step carried so
    (and softmax's exponentials rounded too)."""
    spec_network = build_network(file.spec)
    inside = any(layer.activation.rounded_inside for layer in spec_network.layers)
    decimals = sorted({verdicts[ident].cell.number.decimals for ident in unlinked} - {base.rounding})
    variants: list[Convention] = []
    for places in decimals:
        if 1 <= places <= 8:
            variants.append(Convention(places))
            if inside:
                variants.append(RoundedInside(places))
    return variants


def _trace_consequences(
    file: ClaimsFile, base: Convention, policy, reference: Evaluation, verdicts: dict, wrong: list[CellId]
) -> None:
    """Mark the wrong claims that the claims printed before them reproduce, with the wrong ones
    they depend on: those whose printed value alone, fed into the pass, changes theirs. They are
    judged this way before any cause is searched, exactly and then at each claim's own decimals."""
    unlinked = list(wrong)
    variants = [base]
    variants_known = False
    while variants and unlinked:
        variant = variants.pop(0)
        as_printed = evaluate(file, variant, ALWAYS, reference.start)
        linked = [
            ident
            for ident in unlinked
            if as_printed.holds(ident, file.tolerance)
            and (variant is base or verdicts[ident].cell.number.decimals == variant.rounding)
        ]
        if linked:
            own = reference if variant is base else evaluate(file, variant, policy, reference.start)
            needs: dict[CellId, list[str]] = {ident: [] for ident in linked}
            for earlier in wrong:
                later = [ident for ident in linked if verdicts[ident].order > verdicts[earlier].order]
                if not later:
                    continue
                alone = evaluate(file, variant, Also(policy, earlier), reference.start)
                for ident in later:
                    if alone.value(ident) != own.value(ident):
                        needs[ident].append(verdicts[earlier].label)
            for ident, causes in needs.items():
                verdict = verdicts[ident]
                if causes:
                    verdicts[ident] = dataclasses.replace(verdict, follows=tuple(causes))
                elif file.rounding != PRINTED or variant is not base:
                    verdicts[ident] = dataclasses.replace(verdict, causes=(carried_rounding(variant.rounding),))
                else:
                    continue
                unlinked.remove(ident)
        if not variants and not variants_known:
            variants, variants_known = _precision_variants(file, base, verdicts, unlinked), True


def _diagnose(file: ClaimsFile, base: Convention, policy, reference: Evaluation, verdicts, wrong) -> None:
    # Every first error, those the numbers printed before them give (carried, as by hand) too: other
    # slips may give them as well.
    first = [ident for ident in wrong if not verdicts[ident].follows]
    if not first:
        return
    right = [ident for ident, verdict in verdicts.items() if verdict.right]
    found: dict[CellId, list[Cause]] = {ident: list(verdicts[ident].causes) for ident in first}
    ruled: dict[CellId, list] = {ident: [] for ident in first}
    batches = batches_per_epoch(file.spec)
    for ident in first:
        claim, cell = file.claims[ident[0]], file.claims[ident[0]].cells[ident[1]]
        if not readable(cell.number):
            continue
        reading = Reading(reference.arrays[ident[0]], _previous(claim, reference, batches), file.spec.delta, EXACTLY)
        for slip in READING_SLIPS:
            cause = slip(cell, claim, reading)
            if cause:
                found[ident].append(cause)
    network = build_network(file.spec)
    for slip in PASS_SLIPS:
        for convention in slip(network, file.spec, base):
            evaluation = evaluate(file, convention, policy, reference.start)
            reproduced = [ident for ident in first if evaluation.holds(ident, EXACTLY)]
            if not reproduced:
                continue
            contradicted = tuple(verdicts[ident].label for ident in right if not evaluation.holds(ident, file.tolerance))
            for ident in reproduced:
                if contradicted:
                    ruled[ident].append((convention.cause, contradicted))
                else:
                    found[ident].append(convention.cause)
    names = None
    searched = 0
    for ident in first:
        if found[ident] or searched >= MAX_PIECE_SEARCHES:
            continue
        searched += 1
        claim = file.claims[ident[0]]
        values = reference.passes.get((claim.epoch, claim.batch))
        if values is None:
            continue
        names = names or claimable(network, file.spec)
        piece = smallest_piece(claim, claim.cells[ident[1]], values, network, names)
        if piece is not None:
            found[ident].append(piece)
    for ident, causes in found.items():
        unique = tuple({str(cause): cause for cause in causes}.values())
        verdicts[ident] = dataclasses.replace(verdicts[ident], causes=unique, ruled_out=tuple(ruled[ident]))


def _previous(claim: Claim, reference: Evaluation, batches: int) -> tuple[tuple[np.ndarray, str], ...]:
    """The claim's quantity in the passes before it, as the claim's array is shaped and signed."""
    found = []
    quantity = claim.quantity
    for at, words in previous_passes((claim.epoch, claim.batch), batches):
        values = reference.passes.get(at)
        array = values.value(quantity.key, quantity.stage) if values is not None else None
        if array is not None:
            shape = (-1,) if len(quantity.shape) == 1 else np.shape(array)
            found.append((quantity.sign * np.asarray(array, dtype=np.float64).reshape(shape), words))
    return tuple(found)
