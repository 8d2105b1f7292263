"""A check's report as Markdown: the errata table (where, quantity, printed, correct, likely cause),
then every claimed number in place, under its source, marked ✓ or ✗ with the right value beside a
wrong one. It is written from the report's data (checking/report.py), which the LaTeX and HTML
forms will take too."""

from __future__ import annotations

from nntrace.checking.check import CheckReport
from nntrace.checking.report import Annotated, Entry, Mark, annotated, cause, where


def report_markdown(report: CheckReport, title: str) -> str:
    data = annotated(report, title)
    rows = [f"## {title}", "", data.rule, "", *(note + "\n" for note in data.notes), data.summary, ""]
    if data.wrong:
        rows += ["| where | quantity | printed | correct | likely cause |", "| --- | --- | ---: | ---: | --- |"]
        for verdict in data.wrong:
            rows.append(
                f"| {_cell(where(verdict, report))} | {verdict.label} | {verdict.cell.number.text} | "
                f"{verdict.correct_text} | {_cell(cause(verdict))} |"
            )
        rows.append("")
    rows += _in_place(data)
    return "\n".join(rows)


def _in_place(data: Annotated) -> list[str]:
    rows = ["### The claimed numbers in place", ""]
    heading = None
    for entry in data.entries:
        if entry.where != heading:
            heading = entry.where
            rows += [f"#### {heading}" if heading else "#### (no source given)", ""]
        rows += _entry(entry) + [""]
    return rows


def _entry(entry: Entry) -> list[str]:
    grid = entry.grid()
    if len(entry.marks) == 1 or (len(grid) == 1 and len(grid[0]) == 1):
        (mark,) = entry.marks.values()
        return [f"{mark.label} = {_mark(mark)}"]
    columns = len(grid[0])
    lines = [f"{entry.quantity} ({entry.right} of {len(entry.marks)} right):", ""]
    lines.append("|  | " + " | ".join(str(c + 1) for c in range(columns)) + " |")
    lines.append("| --- |" + " ---: |" * columns)
    for row, marks in enumerate(grid, start=1):
        heading = row if len(entry.shape) == 2 else ""  # a vector's one row needs no number
        lines.append(f"| {heading} | " + " | ".join(_mark(mark) if mark else "" for mark in marks) + " |")
    return lines


def _mark(mark: Mark) -> str:
    return f"{mark.printed} ✓" if mark.right else f"{mark.printed} ✗ ({mark.correct})"


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")
