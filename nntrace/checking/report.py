"""What a check's report says, as data every form of it shares (terminal, documents, JSON).

Every form says the same things: the rule the claims were judged by (and what float64 cannot
carry), every claimed number in place with ✓ or ✗ and the right value at its decimals, and the
errata in the order of computation: each first error with the causes that reproduce it (one slip
made on several cells of a matrix once, with the cells), and the wrong numbers that follow from it.

    Annotated                       the whole report
      .entries: [Entry]             each claimed quantity, in the file's order, under its source
        .marks: {shown index: Mark}   every claimed cell: printed, ✓/✗, the right value
      .errata: [Erratum]            the first errors (grouped), in the order of computation
        .causes, .ruled_out, .consequences
"""

from __future__ import annotations

import math
from typing import NamedTuple

from nntrace.checking.check import CheckReport, Verdict
from nntrace.checking.quantities import Stage
from nntrace.notation.nodes import Remark
from nntrace.notation.numbers import SIGNIFICANT

RIGHT, WRONG = "✓", "✗"
NO_CAUSE = "no simple explanation found"


def where(verdict: Verdict, report: CheckReport) -> str:
    claim = verdict.claim
    parts = [claim.source] if claim.source else []
    if _timed(report):
        whole = claim.quantity.stage is Stage.EPOCH  # of every batch
        parts.append(f"epoch {claim.epoch}" + (f", batch {claim.batch}" if _batched(report) and not whole else ""))
    return ", ".join(parts)


def _timed(report: CheckReport) -> bool:
    return any(c.epoch > 1 or c.batch > 1 for c in report.file.claims)


def _batched(report: CheckReport) -> bool:
    return any(c.batch > 1 for c in report.file.claims)


def cause(verdict: Verdict) -> str:
    if verdict.follows:
        return "follows from " + ", ".join(verdict.follows)
    return "; ".join(verdict.causes) or NO_CAUSE


def summary_line(report: CheckReport) -> str:
    return "".join(part if isinstance(part, str) else label for part, label in _summary(report))


def summary_remark(report: CheckReport) -> Remark:
    """The summary line with the first wrong number's label as notation."""
    return Remark(tuple(part for part, _ in _summary(report)))


def _summary(report: CheckReport) -> list[tuple]:
    """The summary's parts, each (prose or notation, its words)."""
    total, wrong = len(report.verdicts), len(report.wrong)
    if not wrong:
        line = "The one claimed number is right." if total == 1 else f"All {total} claimed numbers are right."
        return [(line, line)]
    first = len(report.first_errors)
    following = wrong - first
    them = "it" if first == 1 else "them"
    head = (
        f"{wrong} of {total} claimed numbers {'is' if wrong == 1 else 'are'} wrong: "
        f"{first} first error{'s' if first != 1 else ''}"
        + (f" and {following} that follow{'s' if following == 1 else ''} from {them}" if following else "")
        + ". The first in the order of computation is "
    )
    earliest = report.wrong[0]
    symbol = earliest.claim.quantity.element_symbol(earliest.cell.shown)
    return [(head, head), (symbol, earliest.label), (".", ".")]


def cause_remark(verdict: Verdict, report: CheckReport) -> Remark:
    """The likely cause of a wrong number (or what it follows from), its labels and numbers as notation."""
    if verdict.follows:
        symbols = {v.label: v.claim.quantity.element_symbol(v.cell.shown) for v in report.wrong}
        parts: list = ["follows from "]
        for position, label in enumerate(verdict.follows):
            parts += ([", "] if position else []) + [symbols.get(label, label)]
        return Remark(tuple(parts))
    if not verdict.causes:
        return Remark((NO_CAUSE,))
    parts: list = []
    for position, found in enumerate(verdict.causes):
        parts += (["; "] if position else []) + list(getattr(found, "remark", Remark((str(found),))).parts)
    return Remark(tuple(parts))


def settings_line(report: CheckReport) -> str:
    return f"Rule: {report.rule}."


def notes(report: CheckReport) -> list[str]:
    """What the reader should know about how the numbers were read."""
    capped = report.file.capped
    if not capped:
        return []
    numbers = "1 number" if capped == 1 else f"{capped} numbers"
    return [
        (f"{numbers} printed with more significant digits than float64 carries: judged at the {SIGNIFICANT} it "
         "does carry (the further digits of a printed float are its binary noise).")
    ]  # fmt: skip


def entries(report: CheckReport) -> list[list[Verdict]]:
    """Each claim's verdicts, in the file's order."""
    by_claim: dict[int, list[Verdict]] = {}
    for verdict in report.verdicts:
        by_claim.setdefault(id(verdict.claim), []).append(verdict)
    return list(by_claim.values())


def expected_heading(report: CheckReport) -> str | None:
    """The heading of the values judged against, where they are not the exact ones (the rule says
    what they are: from the numbers printed before them, or carried at some decimals)."""
    return None if report.file.rounding is None else "judged"


class Mark(NamedTuple):
    """One claimed number in place."""

    label: str
    printed: str
    right: bool
    correct: str  # the exact value: at the claim's decimals, or with the digits that convince
    judged: str  # the value judged against at the claim's decimals (differs under round:)
    symbol: object = None  # the label as notation (an Expr), for a document to typeset

    @property
    def sign(self) -> str:
        return RIGHT if self.right else WRONG


class Entry(NamedTuple):
    """One claimed quantity in place: its cells' marks by their 1-based index as written."""

    where: str
    source: str | None
    epoch: int
    batch: int
    quantity: str
    shape: tuple[int, ...]
    marks: dict[tuple[int, ...], Mark]
    symbol: object = None  # the quantity as notation (an Expr)

    @property
    def right(self) -> int:
        return sum(mark.right for mark in self.marks.values())

    def grid(self) -> list[list[Mark | None]]:
        """The marks as the quantity's rows (a vector is one row; unclaimed cells None)."""
        if not self.shape:
            return [[self.marks.get(())]]
        rows, columns = (1, self.shape[0]) if len(self.shape) == 1 else self.shape
        index = (lambda r, c: (c + 1,)) if len(self.shape) == 1 else (lambda r, c: (r + 1, c + 1))
        return [[self.marks.get(index(r, c)) for c in range(columns)] for r in range(rows)]


class Erratum(NamedTuple):
    """A first error (or one slip on several cells of a claim), with its causes and consequences."""

    labels: tuple[str, ...]
    where: str
    printed: tuple[str, ...]
    correct: tuple[str, ...]
    causes: tuple[str, ...]  # empty: no simple explanation found
    ruled_out: tuple[str, ...]  # causes that give it but make right claims wrong, with which
    consequences: tuple[str, ...]

    @property
    def cause(self) -> str:
        return "; ".join(self.causes) or NO_CAUSE

    @property
    def cells(self) -> str:
        return ", ".join(self.labels)


class Annotated(NamedTuple):
    """The report, for every form of it."""

    title: str
    rule: str
    notes: tuple[str, ...]
    summary: str
    expected: str | None  # the heading of the values judged against, where not the exact ones
    entries: tuple[Entry, ...]
    errata: tuple[Erratum, ...]
    wrong: tuple[Verdict, ...]  # every wrong number in the order of computation (for the table of errata)


def annotated(report: CheckReport, title: str) -> Annotated:
    items = []
    for verdicts in entries(report):
        claim = verdicts[0].claim
        quantity = claim.quantity
        marks = {
            v.cell.shown: Mark(v.label, v.cell.number.text, v.right, v.correct_text, v.true_text,
                               quantity.element_symbol(v.cell.shown))
            for v in verdicts
        }  # fmt: skip
        items.append(Entry(where(verdicts[0], report), claim.source, claim.epoch, claim.batch,
                           quantity.label, quantity.shape, marks, quantity.element_symbol(())))  # fmt: skip
    return Annotated(
        title,
        settings_line(report),
        tuple(notes(report)),
        summary_line(report),
        expected_heading(report),
        tuple(items),
        tuple(errata(report)),
        tuple(report.wrong),
    )


def errata(report: CheckReport) -> list[Erratum]:
    """The first errors in the order of computation; those of one claim with the same slip once."""
    groups: dict[tuple, list[Verdict]] = {}
    for error in report.first_errors:
        general = tuple(getattr(cause, "general", str(cause)) for cause in error.causes)
        key = (id(error.claim), general) if general else (id(error),)
        groups.setdefault(key, []).append(error)
    found = []
    for (_, *general), errors in groups.items():
        first = errors[0]
        if len(errors) > 1:
            causes = tuple(general[0]) if general else ()
        else:
            causes = tuple(first.causes)
        consequences = []
        for error in errors:
            consequences += [v.label for v in report.consequences(error) if v.label not in consequences]
        found.append(Erratum(
            tuple(e.label for e in errors),
            where(first, report),
            tuple(e.cell.number.text for e in errors),
            tuple(e.correct_text for e in errors),
            causes,
            tuple(f"{cause} (but {', '.join(labels)} {'is' if len(labels) == 1 else 'are'} right)"
                  for cause, labels in first.ruled_out if len(errors) == 1 and not first.causes),
            tuple(consequences),
        ))  # fmt: skip
    return found


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


def report_json(report: CheckReport) -> dict:
    file = report.file

    def entry(verdict: Verdict) -> dict:
        claim = verdict.claim
        first = not verdict.right and not verdict.follows
        return {
            "quantity": claim.quantity.label,
            "key": claim.quantity.key,
            "stage": claim.quantity.stage.value,
            "index": list(verdict.cell.shown) or None,
            "label": verdict.label,
            "epoch": claim.epoch,
            "batch": claim.batch,
            "source": claim.source,
            "printed": verdict.cell.number.text,
            "decimals": verdict.cell.number.decimals,
            "judged_at_float64_digits": verdict.cell.number.capped,
            "right": verdict.right,
            "true": verdict.true_text,
            "correct": verdict.correct_text,
            "value": _finite(verdict.value),  # JSON has no NaN or infinity: null
            "exact": _finite(verdict.exact),
            "units_off": verdict.off,
            "follows_from": list(verdict.follows),
            "causes": list(verdict.causes) if first else [],
            "cause_kinds": [getattr(cause, "kind", "") for cause in verdict.causes] if first else [],
            "ruled_out": [{"cause": str(cause), "contradicts": list(labels)} for cause, labels in verdict.ruled_out]
            if first else [],
        }

    return {
        "format": 1,
        "claims_file": file.source,
        "spec": file.spec.source,
        "rule": report.rule,
        "notes": notes(report),
        "tolerance": file.tolerance,
        "round": file.rounding,
        "claimed": len(report.verdicts),
        "wrong": len(report.wrong),
        "first_errors": [v.label for v in report.first_errors],
        "claims": [entry(v) for v in report.verdicts],
    }
