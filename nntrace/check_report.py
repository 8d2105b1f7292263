"""A check's report written out: for the terminal (rich), as Markdown, and as JSON data.

All three say the same things: the rule the claims were judged by, every claimed number with ✓
or ✗ and the true value at its decimals, and the wrong ones in the order of computation, each
either a first error (with the causes that reproduce it) or a consequence of earlier ones.
"""

from __future__ import annotations

from rich.console import Group
from rich.text import Text

from nntrace.check import CheckReport, Verdict
from nntrace.claims import PRINTED
from nntrace.terminal import Trimmed, simple_table

RIGHT, WRONG = "✓", "✗"
NO_CAUSE = "no simple explanation found"


def _where(verdict: Verdict, report: CheckReport) -> str:
    claim = verdict.claim
    parts = [claim.source] if claim.source else []
    if _timed(report):
        parts.append(f"epoch {claim.epoch}" + (f", batch {claim.batch}" if claim.batch > 1 else ""))
    return ", ".join(parts)


def _timed(report: CheckReport) -> bool:
    return any(c.epoch > 1 or c.batch > 1 for c in report.file.claims)


def _cause(verdict: Verdict) -> str:
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


def _entries(report: CheckReport):
    """(claim, its verdicts) in the file's order."""
    entries: dict[int, list[Verdict]] = {}
    for verdict in report.verdicts:
        entries.setdefault(id(verdict.claim), []).append(verdict)
    return list(entries.values())


def report_view(report: CheckReport, title: str):
    """The terminal report: a table of the claims, then the errors and their causes."""
    table = simple_table(title=title, title_justify="left")
    expected = _expected_heading(report)
    headings = ["where", "claim", "printed", "true"] + ([expected] if expected else []) + [""]
    for name in headings:
        table.add_column(name, justify="right" if name in ("printed", "true", expected) else "left", no_wrap=bool(name))
    for verdicts in _entries(report):
        claim = verdicts[0].claim
        wrong = [v for v in verdicts if not v.right]
        where = _where(verdicts[0], report)
        if len(verdicts) > 1:
            mark = Text(WRONG, style="bold red") if wrong else Text(RIGHT, style="green")
            count = f"{len(verdicts) - len(wrong)} of {len(verdicts)} right"
            table.add_row(
                where,
                claim.quantity.label,
                f"{len(verdicts)} numbers",
                "",
                *([""] if expected else []),
                mark + Text(f" {count}"),
            )
            where = ""
        for verdict in verdicts if len(verdicts) == 1 else wrong:
            mark = Text(RIGHT, style="green") if verdict.right else Text(WRONG, style="bold red")
            judged = [verdict.true_text] if expected else []
            table.add_row(where, verdict.label, verdict.cell.number.text, verdict.correct_text, *judged, mark)
            where = ""
    lines = [Text(settings_line(report), style="dim"), Trimmed(table), Text(summary_line(report))]
    for number, error in enumerate(report.first_errors, start=1):
        lines.append(Text())
        lines.append(
            Text(f"{number}. {error.label}" + (f" ({error.claim.source})" if error.claim.source else ""), style="bold")
        )
        lines.append(Text(f"   printed {error.cell.number.text}, correct {error.correct_text}"))
        lines.append(Text("   likely cause: " + _cause(error)))
        following = report.consequences(error)
        if following:
            lines.append(Text("   wrong because of it: " + ", ".join(v.label for v in following)))
    return Group(*lines)


def _expected_heading(report: CheckReport) -> str | None:
    """The heading of the values judged against, where they are not the exact ones."""
    rounding = report.file.rounding
    if rounding is None:
        return None
    return "from printed" if rounding == PRINTED else f"carried at {rounding}"


def report_markdown(report: CheckReport, title: str) -> str:
    rows = [f"## {title}", "", settings_line(report), "", summary_line(report), ""]
    wrong = report.wrong
    if wrong:
        rows += ["| where | quantity | printed | correct | likely cause |", "| --- | --- | ---: | ---: | --- |"]
        for verdict in wrong:
            rows.append(
                f"| {_where(verdict, report)} | {verdict.label} | {verdict.cell.number.text} | "
                f"{verdict.correct_text} | {_cause(verdict)} |"
            )
        rows.append("")
    return "\n".join(rows)


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
