"""The terminal nntrace prints to, and the plain renderables every view shares.

The console follows the terminal's conventions (no markup read from text, ASCII stand-ins on an
output that is not UTF-8, a closed pipe reported, not swallowed). Lines a view has already laid
out are printed as they are; tables of short cells are grids. Nothing here knows mathematics,
so a run that only prints its summary does not import the equation layout (render.py).
"""

from __future__ import annotations

import errno
from typing import Iterable, Iterator

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.segment import Segment
from rich.text import Text

from nntrace.common.elision import elided
from nntrace.writers.glyphs import to_ascii

INDENT = "  "
COLUMN_GAP = "   "  # between a grid's columns, as rich's table: padding, its box's blank rule, padding

_ONE_CELL: set[str] = set()  # characters rich measures one cell wide, as met


def cell_width(text: str) -> int:
    """The cells `text` takes, as rich's cell_len counts them, found in C where every character is
    one cell wide: rich measures a line of mathematics (×, −, σ′, ⎡) character by character in
    Python, and the steps of a run measure some twenty thousand of them. Each character is asked
    of rich once; a line with one that is not one cell wide (a hat's combining mark) is rich's."""
    if text.isascii() and text.isprintable():  # (a control character takes no cell)
        return len(text)
    new = set(text).difference(_ONE_CELL)
    if new:
        if any(cell_len(character) != 1 for character in new):
            return cell_len(text)
        _ONE_CELL.update(new)
    return len(text)


def trimmed(line: Text) -> Text:
    """`line` without the whitespace at its end, cut off in place: rich's rstrip sets the whole text
    again, stripping control codes from all of it once more (see equations.prefixed)."""
    plain = line.plain
    end = len(plain) - len(plain.rstrip())
    if end:
        line.right_crop(end)
    return line


def as_printed(lines: Iterable[Text], console: Console, options: ConsoleOptions) -> RenderResult:
    """Lines a view has already fitted to the width, printed as they are: rich's wrapping would
    find nothing to break in them (a line that is still too wide gets it)."""
    plain = console.color_system is None  # styles are not written: the text alone, without its spans
    for line in _fitted(lines, console, options.max_width):
        if plain:
            yield Segment(line.plain + line.end)
        else:  # as Text.__rich_console__ ends, without its wrapping
            if line.style:  # render() applies a line's own style only as a span, which join makes
                line = Text("\n").join((line,))
            yield from line.render(console, end=line.end)


def _fitted(lines: Iterable[Text], console: Console, width: int) -> Iterator[Text]:
    """The lines, one still too wide broken as rich breaks it, without the blank rich leaves before
    each break."""
    for line in lines:
        if cell_width(line.plain) <= width:
            yield line
        else:
            yield from (trimmed(piece) for piece in line.wrap(console, width))


MAX_LISTED = 20  # more samples than this: the first and last few
SHOWN_EACH_END = 8


def listed_samples(count: int) -> list[int | None]:
    """All samples, or the first and last few of many around a gap (None)."""
    return list(range(count)) if count <= MAX_LISTED else elided(count, 2 * SHOWN_EACH_END + 1)


def listed_note(shown: int, count: int) -> Text:
    return Text(f"{INDENT}(the first and last {shown // 2} of {count:,} samples)", style="dim")


class Hanging:
    """`lead` then `parts` (phrases, each kept whole) joined by `separator`, broken between two parts
    where the line is full, each line after the first indented by `indent`: a summary's field and a
    note stay readable at 80 columns, never cut inside a phrase such as `epoch 2: 1.69e+308`."""

    def __init__(self, lead: str, parts: list[str], indent: str, separator: str = ", ", style: str = ""):
        self.lead, self.parts, self.indent, self.separator, self.style = lead, parts, indent, separator, style

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        lines, line = [], self.lead
        for number, part in enumerate(self.parts):
            joined = part if number == 0 else self.separator + part
            if number and cell_len(line + joined.rstrip()) > options.max_width:
                lines.append(line + self.separator.rstrip())
                line = self.indent + part
            else:
                line += joined
        lines.append(line)
        yield from as_printed([Text(text.rstrip(), style=self.style) for text in lines], console, options)


def in_words(text: str, indent: str = "", style: str = "") -> Hanging:
    """`text` broken between its words where the line is full, the lines after the first indented
    by `indent`, with no blank left at a line's end (rich's wrapping keeps the space before a
    break where it fits the width)."""
    return Hanging("", text.split(" "), indent, separator=" ", style=style)


class AsciiOnly:
    """A renderable printed with ASCII stand-ins for its symbols, for outputs that cannot carry them.

    What is aligned in columns was laid out with the stand-ins already (ConsoleOptions.ascii_only);
    here the rest of each line is converted.
    """

    def __init__(self, renderable):
        self.renderable = renderable

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for line in console.render_lines(self.renderable, options, pad=False):
            for segment in line:
                if not segment.control:
                    yield Segment(to_ascii(segment.text), segment.style)
            yield Segment.line()


class _TerminalConsole(Console):
    """rich's Console for nntrace's output: text is never read as markup, and on an output
    whose encoding is not UTF-8 every symbol has an ASCII stand-in."""

    def print(self, *objects, **options) -> None:
        if self.options.ascii_only:
            objects = tuple(AsciiOnly(Text(o) if isinstance(o, str) else o) for o in objects)
        # Every view fits its lines to the width already; cropping would measure each line again,
        # and a line that is still too wide (a stand-in can make one longer) must not lose its end.
        options.setdefault("crop", False)
        super().print(*objects, **options)

    def on_broken_pipe(self) -> None:
        # rich exits with 1 here; the caller exits with 141, as shell tools do.
        raise BrokenPipeError(errno.EPIPE, "the reader of the output went away")


def terminal_console(plain: bool) -> Console:
    """The console for results on stdout; `plain`: no colour and no bold or dim either."""
    return _TerminalConsole(
        color_system=None if plain else "auto", markup=False, emoji=False, highlight=False, soft_wrap=False
    )


class Grid:
    """Right-aligned columns under a bold header and a rule, three spaces apart: the look of rich's
    SIMPLE_HEAD table without its edges, laid out by joining strings. rich's Table measures and
    renders every cell as a renderable (28 ms for a ten-class confusion matrix); a grid wider than
    the console is still handed to it, to wrap the cells."""

    def __init__(self, headers: list[str], rows: list[list[str] | None]):
        self.headers = headers
        self.rows = rows  # None: a gap, marked by ⋮ in every column

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        filled = [row for row in self.rows if row is not None]
        widths = [max(cell_len(cell) for cell in column) for column in zip(self.headers, *filled)]
        total = grid_width(widths)
        if total > options.max_width:
            yield self._table()
            return
        header = Text()
        for number, (name, width) in enumerate(zip(self.headers, widths)):
            header.append(COLUMN_GAP if number else "")
            header.append(_right(name, width), style="bold")
        header.rstrip()
        lines = [header, Text("\u2500" * total)]
        for cells in self._written_rows():
            lines.append(Text(COLUMN_GAP.join(_right(cell, width) for cell, width in zip(cells, widths)).rstrip()))
        yield from as_printed(lines, console, options)

    def _written_rows(self) -> list[list[str]]:
        """The rows as written: a gap is ⋮ in every column."""
        return [row if row is not None else ["\u22ee"] * len(self.headers) for row in self.rows]

    def _table(self) -> Trimmed:
        table = simple_table(show_edge=False, pad_edge=False)
        for name in self.headers:
            table.add_column(Text(name), justify="right")
        for cells in self._written_rows():
            table.add_row(*cells)
        return Trimmed(table)


def simple_table(**options):
    """rich's Table in the simple-head box every table of nntrace's uses. rich.table (and fractions
    and decimal with it) is imported only by a command that prints one."""
    from rich import box
    from rich.table import Table

    return Table(box=box.SIMPLE_HEAD, **options)


def grid_width(widths: list[int]) -> int:
    """The width of a grid whose columns are `widths` wide."""
    return sum(widths) + len(COLUMN_GAP) * (len(widths) - 1)


def _right(text: str, width: int) -> str:
    return " " * (width - cell_len(text)) + text


class Trimmed:
    """A renderable without the trailing spaces rich pads tables with, so goldens stay clean."""

    def __init__(self, renderable):
        self.renderable = renderable

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        lines = []
        for segments in console.render_lines(self.renderable, options, pad=False):
            line = Text.assemble(*((segment.text, segment.style) for segment in segments if not segment.control))
            line.rstrip()
            lines.append(line)
        yield from as_printed(lines, console, options)
