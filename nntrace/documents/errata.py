"""A check's report as a Markdown errata table: where, quantity, printed, correct, likely cause."""

from __future__ import annotations

from nntrace.checking.check import CheckReport
from nntrace.checking.report import cause, settings_line, summary_line, where


def report_markdown(report: CheckReport, title: str) -> str:
    rows = [f"## {title}", "", settings_line(report), "", summary_line(report), ""]
    wrong = report.wrong
    if wrong:
        rows += ["| where | quantity | printed | correct | likely cause |", "| --- | --- | ---: | ---: | --- |"]
        for verdict in wrong:
            rows.append(
                f"| {where(verdict, report)} | {verdict.label} | {verdict.cell.number.text} | "
                f"{verdict.correct_text} | {cause(verdict)} |"
            )
        rows.append("")
    return "\n".join(rows)
