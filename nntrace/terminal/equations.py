"""Equations laid out for the terminal: bracketed, decimal-aligned matrices side by side.

A matrix becomes a block of text lines; an equation is a row of blocks centred on a common middle
line, wrapped at "=" (or, if one side is still too wide, at its operators) to fit the console; a
matrix too wide or too tall for the console shows its first and last columns or rows around an
elision. Numbers are written by the number policy (notation.numbers), only those of the rows
shown, and lined up on their decimal point.
"""

from __future__ import annotations

from itertools import accumulate
from typing import Iterator

import numpy as np
from rich._wrap import divide_line  # rich's line breaking, as Text.wrap uses it
from rich.console import Console, ConsoleOptions
from rich.control import strip_control_codes
from rich.text import Span, Text

from nntrace.common.elision import elided, present
from nntrace.common.records import NamedTuple
from nntrace.notation import numbers
from nntrace.notation.nodes import Equation, numeric_parts
from nntrace.notation.numbers import NumberFormat
from nntrace.terminal.console import INDENT, cell_width, trimmed
from nntrace.writers.glyphs import to_ascii
from nntrace.writers.unicode import Break, MatrixPiece, UnicodeWriter, join, number_text

MAX_ROWS = 20  # taller matrices show their first and last rows around a vertical ellipsis
GAP = "    "  # between equations that share a line


class Block(NamedTuple):
    """Lines of text that sit side by side with other blocks in an equation's row; `block_of` makes one."""

    lines: tuple[str, ...]
    widths: tuple[int, ...]  # of each line, in cells: the hat of m̂ takes none
    width: int
    style: str = ""
    operator: bool = False  # an equation may break before it

    @property
    def height(self) -> int:
        return len(self.lines)


def block_of(lines: tuple[str, ...], style: str = "", operator: bool = False) -> Block:
    """A block of `lines`, measured once."""
    widths = tuple(cell_width(line) for line in lines)
    return Block(lines, widths, max(widths), style, operator)


def aligned_columns(value: np.ndarray, fmt: NumberFormat, ascii_only: bool = False) -> list[list[str]]:
    """The cells of `value` (the rows shown) written by the number policy, each column lined up on
    its decimal point and padded to one width: columns of cells, not rows."""
    cells = numbers.matrix(value, fmt)
    columns = []
    for column in zip(*cells):
        texts = [number_text(number, compact=True) for number in column]
        if ascii_only:
            texts = [to_ascii(text) for text in texts]
        pads = numbers.column_padding(list(column))
        texts = [text + " " * (pad + (1 if pad and "." not in number.digits else 0))
                 for text, pad, number in zip(texts, pads, column)]  # fmt: skip
        width = max(len(text) for text in texts)
        columns.append([text.rjust(width) for text in texts])
    return columns


def cell_rows(values: np.ndarray, fmt: NumberFormat) -> list[list[str]]:
    """Every entry of a matrix written by the number policy, row by row (for the plain tables)."""
    return [[number_text(number, compact=True) for number in row] for row in numbers.matrix(values, fmt)]


def matrix_block(
    value: np.ndarray,
    fmt: NumberFormat,
    max_width: int | None = None,
    function: str | None = None,
    style: str = "",
    ascii_only: bool = False,
) -> Block:
    value = np.atleast_2d(value)
    if max_width is not None and function:
        max_width -= len(function)  # the name stands before the bracket, on the same line
    rows = elided(value.shape[0], MAX_ROWS)
    written = written_columns(value.shape[1], max_width)
    shown = value[present(rows)][:, present(written)]
    columns = aligned_columns(shown, fmt, ascii_only)
    widths = [len(column[0]) for column in columns]
    across, down = ("...", ":") if ascii_only else ("\u22ef", "\u22ee")
    picked = _fitting_columns(widths, max_width, len(across), gap=None in written)
    lines, at = [], 0
    for r in rows:
        if r is None:
            parts = [down.rjust(widths[c]) if c is not None else " " * len(across) for c in picked]
        else:
            parts = [columns[c][at] if c is not None else across for c in picked]
            at += 1
        lines.append(" ".join(parts))
    return _bracketed(lines, function and _glyphs(function, ascii_only), style, ascii_only)


def written_columns(count: int, max_width: int | None) -> list[int | None]:
    """The columns of a matrix of `count` worth writing out: all, or of too many for `max_width`
    to ever show (each takes a digit and a space at least) only the first and last few around None,
    so that a matrix of a million columns (Xᵀ of a full batch) costs what a row can show."""
    places = count if max_width is None else max_width // 2 + 2  # more than can ever fit
    if places >= count - 1:
        return list(range(count))
    # The search below steps down from count - 1 two places at a time: start it where it would pass.
    return elided(count, places + (count - 1 - places) % 2)


def _fitting_columns(widths: list[int], max_width: int | None, across: int, gap: bool = False) -> list[int | None]:
    """The columns shown in `max_width`: all, or fewer around an elision, in one pass. With `gap`,
    `widths` are those of the first and last columns written_columns picked around its gap.

    Each try drops the next column in the middle until the grid fits, as a person would, with
    the widths summed from both ends instead of re-added for every try.
    """
    count = len(widths)
    if max_width is None:
        return list(range(count))
    before = [0, *accumulate(widths)]  # (a few columns: numpy's cumsum took longer to set up)
    limit = count + 1 if gap else count  # with a gap: these columns and the gap's mark
    while limit > 2 and _grid(before, limit, count, gap, across) + 2 > max_width:
        limit, gap = (limit if not gap else limit - 1) - 1, True
    return elided(count, min(limit, count)) if gap else list(range(count))


def _grid(before: list[int], limit: int, count: int, gap: bool, across: int) -> int:
    """The width of a grid of `limit` columns (one of them the elision mark when `gap`)."""
    if not gap:
        return before[count] + count - 1
    head = (limit - 1) // 2 + (limit - 1) % 2
    tail = limit - 1 - head
    shown = before[head] + before[count] - before[count - tail] if tail > 0 else before[head]
    return shown + across + limit - 1


def _glyphs(text: str, ascii_only: bool) -> str:
    return to_ascii(text) if ascii_only else text


def _bracketed(lines: list[str], function: str | None, style: str, ascii_only: bool = False) -> Block:
    n = len(lines)
    if function is None:
        left, right = ("[", "]") if n == 1 or ascii_only else ("\u23a1\u23a2\u23a3", "\u23a4\u23a5\u23a6")
    else:
        left, right = ("(", ")") if n == 1 or ascii_only else ("\u239b\u239c\u239d", "\u239e\u239f\u23a0")
    out = []
    for i, line in enumerate(lines):
        which = 0 if i == 0 else (2 if i == n - 1 else 1)
        opening, closing = (left, right) if len(left) == 1 else (left[which], right[which])
        out.append(f"{opening}{line}{closing}")
    if function is not None:
        middle = (n - 1) // 2
        out = [(function if i == middle else " " * len(function)) + line for i, line in enumerate(out)]
    return block_of(tuple(out), style)


def _piece_block(piece, max_width: int, ascii_only: bool = False) -> Block:
    if isinstance(piece, MatrixPiece):
        style = "bold" if piece.result else ""
        return matrix_block(piece.value, piece.numbers, max_width, piece.function, style, ascii_only)
    if isinstance(piece, Break):
        return block_of((_glyphs(piece.text, ascii_only),), operator=True)
    return block_of((_glyphs(piece, ascii_only),))


def _compose(blocks: list[Block]) -> list[Text]:
    """Blocks side by side, each centred on the common middle line."""
    above = max((b.height - 1) // 2 for b in blocks)
    below = max(b.height - 1 - (b.height - 1) // 2 for b in blocks)
    height = above + below + 1
    rows: list[list[str]] = [[] for _ in range(height)]
    spans: list[list[Span]] = [[] for _ in range(height)]
    ends = [0] * height  # each line's length so far, where a styled block's span starts
    for block in blocks:
        top = above - (block.height - 1) // 2
        for i in range(height):
            inside = 0 <= i - top < block.height
            text, used = (block.lines[i - top], block.widths[i - top]) if inside else ("", 0)
            piece = text + " " * (block.width - used)
            if not piece.isprintable():  # as Text would strip them, before the spans are counted
                piece = strip_control_codes(piece)
            if block.style and piece:
                spans[i].append(Span(ends[i], ends[i] + len(piece), block.style))
            rows[i].append(piece)
            ends[i] += len(piece)
    # One Text a line, made whole (as Text.append would make it piece by piece, for a tenth of the work)
    return [trimmed(Text("".join(row), spans=line_spans)) for row, line_spans in zip(rows, spans)]


def equation_lines(equation: Equation, fmt: NumberFormat, width: int, ascii_only: bool = False) -> list[Text]:
    """An equation with its numbers, laid out in as many rows as `width` requires."""
    writer = UnicodeWriter(fmt)
    lhs = block_of((_glyphs(join(writer.symbols(equation.lhs)), ascii_only),), "bold cyan")
    relation = block_of((_glyphs(join(writer.relation(equation.relation)), ascii_only),), operator=True)
    equals = block_of((" = ",), operator=True)
    indent = lhs.width
    room = max(width - indent - 4, 16)
    sides = [[_piece_block(piece, room, ascii_only) for piece in writer.values(part)] for part in numeric_parts(equation)]

    rows: list[list[Block]] = [[lhs]]
    for number, side in enumerate(sides):
        side = [relation if number == 0 else equals] + side
        _place(rows, side, width, indent)
    lines = []
    for row in rows:
        lines.extend(_compose(row))
    return lines


def _row_width(row: list[Block]) -> int:
    return sum(block.width for block in row)


def _place(rows: list[list[Block]], side: list[Block], width: int, indent: int) -> None:
    """Append one side of an equation, starting a new row (or several) if it does not fit."""
    pad = block_of((" " * indent,))
    if _row_width(rows[-1]) + _row_width(side) <= width:
        rows[-1].extend(side)
        return
    if indent + _row_width(side) <= width and len(rows[-1]) > 1:
        rows.append([pad, *side])
        return
    # Still too wide: break the side before its operators.
    units: list[list[Block]] = []
    for block in side:
        if not units or block.operator:
            units.append([block])
        else:
            units[-1].append(block)
    for unit in units:
        if _row_width(rows[-1]) + _row_width(unit) > width and len(rows[-1]) > 1:
            rows.append([pad])
        rows[-1].extend(unit)


def indented(lines: list[Text]) -> Iterator[Text]:
    return (prefixed(INDENT, line) for line in lines)


def prefixed(prefix: str, line: Text) -> Text:
    """Text(prefix) + line, without copying either: the line's characters are not handed to Text
    again, which would strip control codes from them once more (str.translate through a dict,
    some 800 instructions a character of mathematics; the lines of a run's steps are prefixed
    some 250 times)."""
    if not len(line):  # (rich's + appends nothing of an empty line, not even its style)
        return Text(prefix)
    return Text(prefix).append_text(line)


def hanging(text: str, console: Console, options: ConsoleOptions, first: str, rest: str, style: str = "") -> list[Text]:
    """`text` wrapped to the options' width as rich wraps a Text, its first line indented by `first`,
    the others by `rest`, each line one Text in `style`. The string is broken where rich's own line
    breaking (Text.wrap's) breaks it, and each line made a Text once: wrapping a Text would copy it
    and make every piece a Text again, each time stripping control codes from all of its characters
    (str.translate through a dict, some 800 instructions a character of mathematics)."""
    if options.ascii_only:  # wrapped as it will be printed
        text = to_ascii(text)
    if not text.isprintable():  # as Text would strip them, before the lines are measured
        text = strip_control_codes(text)
    if "\n" not in text and "\t" not in text and cell_width(first + text) <= options.max_width:
        return [_styled(first, text.rstrip(), style)]  # it fits on its first line: nothing to break
    room = max(options.max_width - len(rest), 20)
    if "\t" in text:  # (rich expands tabs as it wraps: its wrapping of the Text, then)
        wrapped = [trimmed(line).plain for line in Text(text).wrap(console, room)]
    else:
        wrapped = [piece.rstrip() for paragraph in text.split("\n") for piece in _broken(paragraph, room)]
    return [_styled(first if number == 0 else rest, line, style) for number, line in enumerate(wrapped)]


def _broken(line: str, room: int) -> list[str]:
    """`line` cut where rich's line breaking (rich._wrap.divide_line, which Text.wrap calls) cuts it."""
    if cell_width(line) <= room:
        return [line]
    ends = divide_line(line, room)
    return [line[start:end] for start, end in zip([0, *ends], [*ends, len(line)])]


def _styled(prefix: str, line: str, style: str) -> Text:
    """Text(prefix) + Text(line, style=style), made as one Text."""
    if not line:  # (as rich's + appends nothing of an empty line, not even its style)
        return Text(prefix)
    return Text(prefix + line, spans=[Span(len(prefix), len(prefix) + len(line), style)] if style else None)


def lines_width(lines: list[Text]) -> int:
    return max(cell_width(line.plain) for line in lines)


def beside(groups: list[list[Text]]) -> list[Text]:
    """Multi-line groups side by side, centred on a common middle line."""
    above = max((len(group) - 1) // 2 for group in groups)
    below = max(len(group) - 1 - (len(group) - 1) // 2 for group in groups)
    out = []
    for i in range(above + below + 1):
        line = Text()
        for number, group in enumerate(groups):
            row = i - (above - (len(group) - 1) // 2)
            part = group[row] if 0 <= row < len(group) else Text()
            line.append_text(part)
            if number < len(groups) - 1:
                line.append(" " * (lines_width(group) - cell_width(part.plain) + len(GAP)))
        out.append(trimmed(line))
    return out


def side_by_side(blocks: list[list[Text]], width: int) -> list[Text]:
    """Short equations (each a group of lines) sharing lines while they fit in `width`."""
    lines, row = [], []
    for block in blocks:
        row_width = sum(lines_width(b) for b in row) + len(GAP) * len(row)
        if row and row_width + lines_width(block) > width:
            lines.extend(beside(row))
            row = []
        row.append(block)
    lines.extend(beside(row))
    return lines
