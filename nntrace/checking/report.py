"""What a check's report says, as data every form of it shares (terminal, documents, JSON).

Every form says the same things: the rule the claims were judged by, every claimed number with ✓
or ✗ and the true value at its decimals, and the wrong ones in the order of computation, each
either a first error (with the causes that reproduce it) or a consequence of earlier ones.
"""

from __future__ import annotations

from nntrace.checking.check import CheckReport, Verdict
from nntrace.checking.claims import PRINTED

RIGHT, WRONG = "✓", "✗"
NO_CAUSE = "no simple explanation found"


def where(verdict: Verdict, report: CheckReport) -> str:
    claim = verdict.claim
    parts = [claim.source] if claim.source else []
    if _timed(report):
        parts.append(f"epoch {claim.epoch}" + (f", batch {claim.batch}" if claim.batch > 1 else ""))
    return ", ".join(parts)


def _timed(report: CheckReport) -> bool:
    return any(c.epoch > 1 or c.batch > 1 for c in report.file.claims)


def cause(verdict: Verdict) -> str:
    if verdict.follows:
        return "follows from " + ", ".join(verdict.follows)
    return "; ".join(verdict.causes) or NO_CAUSE


def summary_line(report: CheckReport) -> str:
    total, wrong = len(report.verdicts), len(report.wrong)
    if not wrong:
        return f"All {total} claimed numbers are right."
    first = report.first_errors
    return (
        f"{wrong} of {total} claimed numbers {'is' if wrong == 1 else 'are'} wrong: "
        f"{len(first)} first error{'s' if len(first) != 1 else ''}"
        + (f" and {wrong - len(first)} that follow from them" if wrong > len(first) else "")
        + f". The first in the order of computation is {report.wrong[0].label}."
    )


def settings_line(report: CheckReport) -> str:
    return f"Rule: {report.rule}."


def entries(report: CheckReport):
    """(claim, its verdicts) in the file's order."""
    by_claim: dict[int, list[Verdict]] = {}
    for verdict in report.verdicts:
        by_claim.setdefault(id(verdict.claim), []).append(verdict)
    return list(by_claim.values())


def expected_heading(report: CheckReport) -> str | None:
    """The heading of the values judged against, where they are not the exact ones."""
    rounding = report.file.rounding
    if rounding is None:
        return None
    return "from printed" if rounding == PRINTED else f"carried at {rounding}"


def report_json(report: CheckReport) -> dict:
    file = report.file

    def entry(verdict: Verdict) -> dict:
        claim = verdict.claim
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
            "right": verdict.right,
            "true": verdict.true_text,
            "correct": verdict.correct_text,
            "value": verdict.value,
            "exact": verdict.exact,
            "units_off": verdict.off,
            "follows_from": list(verdict.follows),
            "causes": list(verdict.causes) if not verdict.right and not verdict.follows else [],
        }

    return {
        "format": 1,
        "claims_file": file.source,
        "spec": file.spec.source,
        "rule": report.rule,
        "tolerance": file.tolerance,
        "round": file.rounding,
        "claimed": len(report.verdicts),
        "wrong": len(report.wrong),
        "first_errors": [v.label for v in report.first_errors],
        "claims": [entry(v) for v in report.verdicts],
    }
