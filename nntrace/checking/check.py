"""Judging claimed numbers: which are wrong, which error comes first, and what probably caused it.

The rule: a number printed with d decimals claims the true value rounded to d decimals (halves
away from zero, on the decimal value, as by hand); it is right when it is that, or within
`tolerance` units of its last digit. The true value is the exact one, the one computed with
every step carried at `round` decimals, or (round: printed) the one each step gives from the
numbers printed before it, where those are right.

Every claimed value is judged inside the engine's pass, by a tap that sees each quantity as it
is computed (so a value can also be replaced by its claim and the pass go on from there):
  - a wrong claim follows from earlier wrong ones when the pass fed every claim as printed
    reproduces it; removing one earlier wrong claim at a time says which it follows from;
  - each other wrong claim is diagnosed by the slips of slips.py: recomputed under another
    convention, or read off the right value by a slip of the pen; a slip is named only when it
    reproduces the claim under the same rule.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from nntrace.checking.claims import PRINTED, Cell, Claim, ClaimsFile, Stage, rounded_text, within
from nntrace.checking.slips import CARRIED_ROUNDING, PASS_SLIPS, READING_SLIPS, Convention
from nntrace.engine.network import BatchOrder, Network, build_network, hand_round

CellId = tuple[int, int]  # (claim number, cell number)


@dataclass
class Evaluation:
    """What one pass through the claimed epochs computed for every claimed cell."""

    values: dict[CellId, float] = field(default_factory=dict)
    arrays: dict[int, np.ndarray] = field(default_factory=dict)  # each claim's whole array (engine's orientation)
    order: dict[CellId, tuple] = field(default_factory=dict)  # the order of computation


Injection = Callable[[CellId, bool], bool]  # (cell, judged right here) -> feed the claimed value on


def never(cell: CellId, right: bool) -> bool:
    return False


def always(cell: CellId, right: bool) -> bool:
    return True


def when_right(cell: CellId, right: bool) -> bool:
    return right


class _Judge:
    """The engine's tap for one evaluation: applies the convention, keeps each claimed array as
    computed, and feeds claimed values on where the injection says so."""

    def __init__(self, file: ClaimsFile, network: Network, convention: Convention, inject: Injection):
        self.file, self.network, self.convention, self.inject = file, network, convention, inject
        self.result = Evaluation()
        self.here: dict[str, list[int]] = {}
        self.at: tuple[int, int] = (0, 0)
        self.tick = 0

    def begin(self, epoch: int, batch: int, claims: list[int]) -> None:
        self.at, self.tick = (epoch, batch), 0
        self.here = {}
        for number in claims:
            self.here.setdefault(self.file.claims[number].quantity.key, []).append(number)

    def __call__(self, key: str, value: np.ndarray) -> np.ndarray:
        value = self.convention.computed(key, value, self.network)
        self.tick += 1
        numbers = self.here.get(key, ())
        raw = value.copy() if numbers else None
        if self.convention.rounding is not None:
            value = hand_round(value, self.convention.rounding)
        for number in numbers:
            self.settle(number, raw, value, rank=1)
        return value

    def settle(self, number: int, raw: np.ndarray, fed: np.ndarray, rank: int) -> None:
        """Judge claim `number` against `raw`, and write the claims to feed on into `fed`."""
        claim = self.file.claims[number]
        self.result.arrays[number] = claim.quantity.sign * np.array(raw, dtype=np.float64).reshape(_shape(claim, raw))
        target = fed.reshape(_shape(claim, fed)) if np.ndim(fed) else None
        for position, cell in enumerate(claim.cells):
            ident = (number, position)
            value = cell.value_in(self.result.arrays[number])
            self.result.values[ident] = value
            self.result.order[ident] = (*self.at, rank, self.tick, cell.index)
            right = cell.number.holds(value, self.file.tolerance)
            if target is not None and self.inject(ident, right):
                target[cell.index] = claim.quantity.sign * float(cell.number.value)


def _shape(claim: Claim, array) -> tuple[int, ...]:
    """A bias (or its gradient) is a row in the engine and a list in a claim."""
    return (-1,) if len(claim.quantity.shape) == 1 else np.shape(array)


def evaluate(file: ClaimsFile, convention: Convention, inject: Injection) -> Evaluation:
    """Run the claimed epochs under `convention`, judging and feeding claims as `inject` says."""
    spec = file.spec
    network = build_network(spec)
    convention.prepare(network)
    judge = _Judge(file, network, convention, inject)
    network.tap = judge
    at: dict[tuple[int, int], list[int]] = {}
    for number, claim in enumerate(file.claims):
        at.setdefault((claim.epoch, claim.batch), []).append(number)
    order = BatchOrder(spec.inputs, spec.targets, spec.batch_size, spec.shuffle)
    with np.errstate(all="ignore"):
        for epoch in range(1, file.last_epoch + 1):
            for batch, (_, Xb, yb) in enumerate(order.next_epoch(), start=1):
                claims = at.get((epoch, batch), [])
                judge.begin(epoch, batch, claims)
                stages = {stage: [n for n in claims if file.claims[n].quantity.stage is stage] for stage in Stage}
                _parameters(judge, stages[Stage.BEFORE], rank=0)
                before = network.parameters()
                loss, _, _, quantities, _ = network.run_pass(Xb, yb, record=bool(claims), update=True)
                convention.after_update(network, before)
                given = {"X": Xb, "y": yb, **quantities}
                for number in stages[Stage.PASS]:
                    if number not in judge.result.arrays:  # never computed: X, y, or a delta that is E
                        value = given[file.claims[number].quantity.key]
                        judge.settle(number, value, value.copy(), rank=1)
                for number in stages[Stage.LOSS]:
                    judge.settle(number, np.float64(loss * convention.loss_factor(network, len(Xb))), np.float64(0), 2)
                _parameters(judge, stages[Stage.AFTER], rank=3)
    return judge.result


def _parameters(judge: _Judge, numbers: list[int], rank: int) -> None:
    network = judge.network
    for number in numbers:
        key = judge.file.claims[number].quantity.key
        value = network.parameters()[key]
        fed = value.copy()
        judge.settle(number, value, fed, rank)
        network.set_parameter(key, fed)


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
    causes: tuple[str, ...] = ()  # what reproduces it, for a wrong claim that follows from none

    @property
    def true_text(self) -> str:
        """The value judged against, at the claim's decimals."""
        return rounded_text(self.value, self.cell.number.decimals)

    @property
    def correct_text(self) -> str:
        """The exact value at the claim's decimals; for a wrong claim to two significant digits if that
        needs more (0.074 claimed for 0.0075 is corrected to 0.0075, not 0.007)."""
        decimals = self.cell.number.decimals
        return rounded_text(self.exact, decimals if self.right else max(decimals, significant_decimals(self.exact, 2)))


def significant_decimals(value: float, digits: int) -> int:
    """The decimals that show `digits` significant digits of `value` (0 for 0 or large values)."""
    if value == 0 or not math.isfinite(value):
        return 0
    return max(0, digits - 1 - math.floor(math.log10(abs(value))))


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
        return [v for v in self.wrong if error.label in v.follows]

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
        slack = f", or within {self.file.tolerance} unit(s) of its last digit" if self.file.tolerance else ""
        return f"a number is right when {against} rounds to it at the decimals it is printed with{slack}"


def check(file: ClaimsFile) -> CheckReport:
    base = Convention(rounding=file.rounding if isinstance(file.rounding, int) else None)
    policy = when_right if file.rounding == PRINTED else never
    reference = evaluate(file, base, policy)
    exact = reference if file.rounding is None else evaluate(file, Convention(), never)
    verdicts = {}
    for number, claim in enumerate(file.claims):
        for position, cell in enumerate(claim.cells):
            ident = (number, position)
            value = reference.values[ident]
            off = cell.number.units_off(value)
            verdicts[ident] = Verdict(
                claim,
                cell,
                claim.quantity.element_label(cell.shown),
                value,
                exact.values[ident],
                off,
                within(off, file.tolerance),
                reference.order[ident],
            )
    wrong = sorted((ident for ident, v in verdicts.items() if not v.right), key=lambda ident: verdicts[ident].order)
    if wrong:
        _trace_consequences(file, base, policy, reference, verdicts, wrong)
        _diagnose(file, base, policy, reference, verdicts, wrong)
    return CheckReport(file, tuple(verdicts.values()))


def _reproduces(file: ClaimsFile, evaluation: Evaluation, ident: CellId, tolerance: int | None = None) -> bool:
    claim = file.claims[ident[0]]
    return claim.cells[ident[1]].number.holds(
        evaluation.values[ident], file.tolerance if tolerance is None else tolerance
    )


def _trace_consequences(
    file: ClaimsFile, base: Convention, policy: Injection, reference: Evaluation, verdicts: dict, wrong: list[CellId]
) -> None:
    """Mark the wrong claims that the claims printed before them reproduce, with the wrong ones
    they depend on: those whose printed value alone, fed into the pass, changes theirs."""
    as_printed = evaluate(file, base, always)
    following = [ident for ident in wrong if _reproduces(file, as_printed, ident)]
    needs: dict[CellId, list[str]] = {ident: [] for ident in following}
    for earlier in wrong:
        later = [ident for ident in following if verdicts[ident].order > verdicts[earlier].order]
        if not later:
            continue
        alone = evaluate(file, base, lambda ident, right, fed=earlier: ident == fed or policy(ident, right))
        for ident in later:
            if alone.values[ident] != reference.values[ident]:
                needs[ident].append(verdicts[earlier].label)
    for ident, causes in needs.items():
        verdict = verdicts[ident]
        if causes:
            verdicts[ident] = dataclasses.replace(verdict, follows=tuple(causes))
        elif file.rounding != PRINTED:
            verdicts[ident] = dataclasses.replace(verdict, causes=(CARRIED_ROUNDING,))


# A cause is named only when it gives the claim exactly at its decimals: the tolerance for hand
# work would let a wrong recomputation pass by chance.
EXACTLY = 0


def _diagnose(file: ClaimsFile, base: Convention, policy: Injection, reference: Evaluation, verdicts, wrong) -> None:
    first = [ident for ident in wrong if not verdicts[ident].follows and not verdicts[ident].causes]
    if not first:
        return
    found: dict[CellId, list[str]] = {ident: [] for ident in first}
    for ident in first:
        claim, cell = file.claims[ident[0]], file.claims[ident[0]].cells[ident[1]]
        for slip in READING_SLIPS:
            words = slip(cell, claim, reference.arrays[ident[0]], EXACTLY)
            if words:
                found[ident].append(words)
    network = build_network(file.spec)
    for slip in PASS_SLIPS:
        for convention in slip(network, file.spec, base):
            evaluation = evaluate(file, convention, policy)
            for ident in first:
                if _reproduces(file, evaluation, ident, EXACTLY):
                    found[ident].append(convention.words)
    for ident, causes in found.items():
        verdicts[ident] = dataclasses.replace(verdicts[ident], causes=tuple(dict.fromkeys(causes)))
