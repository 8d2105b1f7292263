"""A check's report in the terminal: a table of the claims, then the errors and their causes.

The numbers and the ✓/✗ never give way to a long `source:`: their columns keep their width, and
the place column folds its words onto further lines.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Group
from rich.text import Text

from nntrace.checking.check import CheckReport
from nntrace.checking.report import RIGHT, WRONG, Annotated, annotated
from nntrace.terminal.console import Trimmed, in_words, simple_table

MAX_LISTED_CELLS = 8  # cells of one slip listed by name; the others counted
MIN_PLACE = 12  # letters of a word of the place column that a line keeps however narrow the terminal


def report_view(report: CheckReport, title: str):
    """The terminal report: a table of the claims, then the errors and their causes."""
    return annotated_view(annotated(report, title))


def annotated_view(data: Annotated):
    lines = [in_words(data.rule, style="dim"), *(in_words(note, style="dim") for note in data.notes)]
    # The title above the table, not its caption: a caption wraps to the table's width.
    lines += [in_words(data.title, style="italic"), _Table(data), in_words(data.summary)]
    for number, erratum in enumerate(data.errata, start=1):
        lines.append(Text())
        place = f" ({erratum.where})" if erratum.where else ""
        said = [Text(f"{_listed(erratum.labels)}{place}", style="bold")]
        if len(erratum.labels) == 1:
            said.append(Text(f"printed {erratum.printed[0]}, correct {erratum.correct[0]}"))
        else:
            said.append(Text(f"printed {_listed(erratum.printed)}"))
            said.append(Text(f"correct {_listed(erratum.correct)}"))
        said.append(Text("likely cause: " + erratum.cause))
        said += [Text("ruled out: " + ruled, style="dim") for ruled in erratum.ruled_out]
        if erratum.consequences:
            said.append(Text("wrong because of it: " + _listed(erratum.consequences)))
        lines.append(_hanging(Text(f"{number}.", style="bold"), said))
    return Group(*lines)


def _hanging(first: Text, lines: list[Text]):
    """`lines` beside `first`, every line (and every line it wraps onto) indented alike."""
    from rich.table import Table

    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, min_width=2)
    grid.add_column()
    for line in lines:
        grid.add_row(first, line)
        first = Text()
    return Trimmed(grid)


def _listed(items: tuple[str, ...]) -> str:
    if len(items) <= MAX_LISTED_CELLS:
        return ", ".join(items)
    return ", ".join(items[:MAX_LISTED_CELLS]) + f" and {len(items) - MAX_LISTED_CELLS} more"


class _Table:
    """The table of claims, built for the width it is printed at."""

    def __init__(self, data: Annotated):
        self.data = data

    def __rich_console__(self, console, options):
        data = self.data
        expected = data.expected
        rows = []
        for entry in data.entries:
            place = entry.where
            marks = list(entry.marks.values())
            wrong = [mark for mark in marks if not mark.right]
            if len(marks) > 1:
                sign = Text(WRONG, style="bold red") if wrong else Text(RIGHT, style="green")
                count = f"{len(marks) - len(wrong)} of {len(marks)} right"
                rows.append((place, entry.quantity, f"{len(marks)} numbers", "", "", sign + Text(f" {count}")))
                place = ""
            for mark in marks if len(marks) == 1 else wrong:
                sign = Text(RIGHT, style="green") if mark.right else Text(WRONG, style="bold red")
                rows.append((place, mark.label, mark.printed, mark.correct, mark.judged, sign))
                place = ""
        longest = max([cell_len(word) for row in rows for word in row[0].split()] or [0])
        place = max([len("where")] + [cell_len(row[0]) for row in rows])
        widths = [max([len(heading)] + [cell_len(str(row[column])) for row in rows])
                  for column, heading in ((1, "claim"), (2, "printed"), (3, "true"), (4, expected or ""), (5, ""))]  # fmt: skip
        # Every column keeps its width but the place's, which gives way (down to its longest word).
        narrow = len("where")
        others = console.measure(self._table(rows, narrow, widths)).maximum - narrow
        place = max(min(place, options.max_width - others), min(longest, MIN_PLACE), len("where"))
        yield Trimmed(self._table(rows, place, widths))

    def _table(self, rows, place: int, widths: list[int]):
        expected = self.data.expected
        table = simple_table()
        table.add_column("where", overflow="fold", width=place)
        table.add_column("claim", no_wrap=True, min_width=widths[0])
        table.add_column("printed", justify="right", no_wrap=True, min_width=widths[1])
        table.add_column("true", justify="right", no_wrap=True, min_width=widths[2])
        if expected:
            table.add_column(expected, justify="right", no_wrap=True, min_width=widths[3])
        table.add_column("", no_wrap=True, min_width=widths[4])
        for place_text, label, printed, correct, judged, sign in rows:
            table.add_row(place_text, label, printed, correct, *([judged] if expected else []), sign)
        return table
