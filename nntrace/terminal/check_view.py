"""A check's report in the terminal: a table of the claims, then the errors and their causes."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text

from nntrace.checking.check import CheckReport
from nntrace.checking.report import RIGHT, WRONG, cause, entries, expected_heading, settings_line, summary_line, where
from nntrace.terminal.console import Trimmed, simple_table


def report_view(report: CheckReport, title: str):
    """The terminal report: a table of the claims, then the errors and their causes."""
    table = simple_table(title=title, title_justify="left")
    expected = expected_heading(report)
    headings = ["where", "claim", "printed", "true"] + ([expected] if expected else []) + [""]
    for name in headings:
        table.add_column(name, justify="right" if name in ("printed", "true", expected) else "left", no_wrap=bool(name))
    for verdicts in entries(report):
        claim = verdicts[0].claim
        wrong = [v for v in verdicts if not v.right]
        place = where(verdicts[0], report)
        if len(verdicts) > 1:
            mark = Text(WRONG, style="bold red") if wrong else Text(RIGHT, style="green")
            count = f"{len(verdicts) - len(wrong)} of {len(verdicts)} right"
            table.add_row(
                place,
                claim.quantity.label,
                f"{len(verdicts)} numbers",
                "",
                *([""] if expected else []),
                mark + Text(f" {count}"),
            )
            place = ""
        for verdict in verdicts if len(verdicts) == 1 else wrong:
            mark = Text(RIGHT, style="green") if verdict.right else Text(WRONG, style="bold red")
            judged = [verdict.true_text] if expected else []
            table.add_row(place, verdict.label, verdict.cell.number.text, verdict.correct_text, *judged, mark)
            place = ""
    lines = [Text(settings_line(report), style="dim"), Trimmed(table), Text(summary_line(report))]
    for number, error in enumerate(report.first_errors, start=1):
        lines.append(Text())
        lines.append(
            Text(f"{number}. {error.label}" + (f" ({error.claim.source})" if error.claim.source else ""), style="bold")
        )
        lines.append(Text(f"   printed {error.cell.number.text}, correct {error.correct_text}"))
        lines.append(Text("   likely cause: " + cause(error)))
        following = report.consequences(error)
        if following:
            lines.append(Text("   wrong because of it: " + ", ".join(v.label for v in following)))
    return Group(*lines)
