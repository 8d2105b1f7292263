"""Terminal layout: bracketed, decimal-aligned matrices set out as equations.

The layout of worked solutions lives here (the console and the plain tables they share are
terminal.py's). A matrix becomes a block of text lines; an equation is a
row of blocks centred on a common middle line, wrapped at "=" (or, if one side is
still too wide, at its operators) to fit the console; a matrix too wide or too
tall for the console is shown with its middle columns or rows elided.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator, NamedTuple

import numpy as np
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.padding import Padding
from rich.rule import Rule
from rich.text import Text

from nntrace.common.elision import elided
from nntrace.common.errors import printable
from nntrace.documents.structure import heading, loss_line, loss_remark
from nntrace.engine.network import Network, Record
from nntrace.notation.nodes import Equation, Expansions, numeric_parts
from nntrace.solution.options import DEFAULT_OPTIONS, RenderOptions
from nntrace.solution.overview import Facts, trace_facts
from nntrace.solution.steps import Solution, Step
from nntrace.terminal.console import (
    INDENT,
    Grid,
    Trimmed,
    as_printed,
    grid_width,
    listed_note,
    listed_samples,
    simple_table,
)
from nntrace.writers.code import code_line
from nntrace.writers.glyphs import to_ascii
from nntrace.writers.unicode import (
    OPERATORS,
    Break,
    MatrixPiece,
    UnicodeMath,
    cell_text,
    column_widths,
    format_scalar,
    integral,
    matrix_cells,
)

if TYPE_CHECKING:
    from nntrace.solution.explain import Explanation

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
    widths = tuple(cell_len(line) for line in lines)
    return Block(lines, widths, max(widths), style, operator)


def matrix_block(
    value: np.ndarray,
    precision: int,
    max_width: int | None = None,
    function: str | None = None,
    style: str = "",
    ascii_only: bool = False,
) -> Block:
    value = np.atleast_2d(value)
    rows = elided(value.shape[0], MAX_ROWS)
    whole = integral(value)
    widths = column_widths(value, precision, whole)
    across, down = ("...", ":") if ascii_only else ("\u22ef", "\u22ee")
    if max_width is not None and function:
        max_width -= len(function)  # the name stands before the bracket, on the same line
    columns = _fitting_columns(widths, max_width, len(across))
    lines = []
    for r in rows:
        if r is None:
            parts = [down.rjust(widths[c]) if c is not None else " " * len(across) for c in columns]
        else:
            parts = [cell_text(value[r, c], precision, whole).rjust(widths[c]) if c is not None else across
                     for c in columns]  # fmt: skip
        lines.append(" ".join(parts))
    return _bracketed(lines, function and _glyphs(function, ascii_only), style, ascii_only)


def _fitting_columns(widths: list[int], max_width: int | None, across: int) -> list[int | None]:
    """The columns shown in `max_width`: all, or fewer around an elision, in one pass.

    Each try drops the next column in the middle until the grid fits, as a person would, with
    the widths summed from both ends instead of re-added for every try.
    """
    count = len(widths)
    if max_width is None:
        return list(range(count))
    before = np.concatenate([[0], np.cumsum(widths)])
    limit, gap = count, False
    while limit > 2 and _grid(before, limit, count, gap, across) + 2 > max_width:
        limit, gap = (limit if not gap else limit - 1) - 1, True
    return elided(count, limit) if gap else list(range(count))


def _grid(before: np.ndarray, limit: int, count: int, gap: bool, across: int) -> int:
    """The width of a grid of `limit` columns (one of them the elision mark when `gap`)."""
    if not gap:
        return int(before[count]) + count - 1
    head = (limit - 1) // 2 + (limit - 1) % 2
    tail = limit - 1 - head
    shown = int(before[head]) + int(before[count] - before[count - tail]) if tail > 0 else int(before[head])
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


def _piece_block(piece, precision: int, max_width: int, ascii_only: bool = False) -> Block:
    if isinstance(piece, MatrixPiece):
        style = "bold" if piece.result else ""
        return matrix_block(piece.value, precision, max_width, piece.function, style, ascii_only)
    if isinstance(piece, Break):
        return block_of((_glyphs(piece.text, ascii_only),), operator=True)
    return block_of((_glyphs(piece, ascii_only),))


def _compose(blocks: list[Block]) -> list[Text]:
    """Blocks side by side, each centred on the common middle line."""
    above = max((b.height - 1) // 2 for b in blocks)
    below = max(b.height - 1 - (b.height - 1) // 2 for b in blocks)
    lines = [Text() for _ in range(above + below + 1)]
    for block in blocks:
        top = above - (block.height - 1) // 2
        for i, line in enumerate(lines):
            inside = 0 <= i - top < block.height
            text, used = (block.lines[i - top], block.widths[i - top]) if inside else ("", 0)
            line.append(text + " " * (block.width - used), block.style)
    for line in lines:
        line.rstrip()
    return lines


def equation_lines(equation: Equation, precision: int, width: int, ascii_only: bool = False) -> list[Text]:
    """An equation with its numbers, laid out in as many rows as `width` requires."""
    lhs = block_of((_glyphs(UnicodeMath().text(equation.lhs), ascii_only),), "bold cyan")
    relation = block_of((f" {_glyphs(OPERATORS[equation.relation], ascii_only)} ",), operator=True)
    equals = block_of((" = ",), operator=True)
    indent = lhs.width
    room = max(width - indent - 4, 16)
    sides = [
        [_piece_block(piece, precision, room, ascii_only) for piece in side]
        for side in (UnicodeMath(precision).pieces(part) for part in numeric_parts(equation))
    ]

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


class StepView:
    """One numbered step: title, its formulas in code and in mathematics, then the numbers."""

    def __init__(self, step: Step, options: RenderOptions = DEFAULT_OPTIONS):
        self.step, self.options = step, options

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield from as_printed(self._lines(console, options), console, options)

    def _lines(self, console: Console, options: ConsoleOptions) -> Iterator[Text]:
        step, width = self.step, _width(self.options, options) - len(INDENT)
        precision, ascii_only = self.options.precision, options.ascii_only
        separator = "-" if ascii_only else "\u00b7"
        yield Text(f"Step {step.number} {separator} {step.title}", style="bold")
        formulas = [equation for equation in step.equations if equation.code_target is not None]
        code = [code_line(equation) for equation in formulas]
        math = [UnicodeMath().equation_text(equation) for equation in formulas]
        for label, lines in (("code", code), ("math", math)):
            for i, line in enumerate(lines):
                text = Text(INDENT + (f"{label}  " if i == 0 else "      "), style="dim")
                text.append(line, style="" if label == "math" else "dim")
                yield text
        if formulas:
            yield Text()
        if step.side_by_side:
            yield from indented(self._side_by_side(width, ascii_only))
        for number, equation in enumerate(() if step.side_by_side else step.equations):
            if number:
                yield Text()  # equations of one step are set apart, as on paper
            yield from indented(equation_lines(equation, precision, width, ascii_only))
            for group in equation.expansions:
                yield from expansion_lines(group, precision, console, options)
        for note in step.notes:
            note_text = Text(f"({UnicodeMath().remark(note)})", style="italic dim")
            yield from hanging(note_text, console, options, INDENT, INDENT + " ")
        yield Text()

    def _side_by_side(self, width: int, ascii_only: bool) -> list[Text]:
        """Short equations sharing lines while they fit."""
        blocks = [equation_lines(eq, self.options.precision, width, ascii_only) for eq in self.step.equations]
        lines, row = [], []
        for block in blocks:
            row_width = sum(_lines_width(b) for b in row) + len(GAP) * len(row)
            if row and row_width + _lines_width(block) > width:
                lines.extend(_beside(row))
                row = []
            row.append(block)
        lines.extend(_beside(row))
        return lines


def indented(lines: list[Text]) -> Iterator[Text]:
    return (Text(INDENT) + line for line in lines)


def _width(render: RenderOptions, options: ConsoleOptions) -> int:
    return min(render.width, options.max_width) if render.width else options.max_width


def expansion_lines(group: Expansions, precision: int, console: Console, options: ConsoleOptions) -> list[Text]:
    lines = []
    for expansion in group.shown:
        target = UnicodeMath().text(expansion.target)
        arithmetic = UnicodeMath(precision).text(expansion.arithmetic)
        text = f"{target} = {arithmetic} = {format_scalar(expansion.result, precision)}"
        lines.extend(hanging(Text(text, style="dim"), console, options, INDENT * 2, INDENT * 4))
    if group.more:
        lines.append(
            Text(f"{INDENT * 2}… and {group.more} more elements, each computed the same way", style="dim italic")
        )
    return lines


def hanging(text: Text, console: Console, options: ConsoleOptions, first: str, rest: str) -> list[Text]:
    """`text` wrapped to the options' width, its first line indented by `first`, the others by `rest`."""
    if options.ascii_only:  # wrapped as it will be printed
        text = Text(to_ascii(text.plain), style=text.style)
    room = max(options.max_width - len(rest), 20)
    plain = text.plain
    if text.cell_len <= room and "\n" not in plain and "\t" not in plain:
        wrapped = [text.copy()]  # what rich's line breaking would give, without its search for breaks
    else:
        wrapped = text.wrap(console, room)
    lines = []
    for number, line in enumerate(wrapped):
        line.rstrip()
        lines.append(Text(first if number == 0 else rest) + line)
    return lines


def _lines_width(lines: list[Text]) -> int:
    return max(line.cell_len for line in lines)


def _beside(groups: list[list[Text]]) -> list[Text]:
    """Multi-line groups side by side, centred on a common middle line."""
    above = max((len(group) - 1) // 2 for group in groups)
    below = max(len(group) - 1 - (len(group) - 1) // 2 for group in groups)
    out = []
    for i in range(above + below + 1):
        line = Text()
        for number, group in enumerate(groups):
            row = i - (above - (len(group) - 1) // 2)
            part = group[row].copy() if 0 <= row < len(group) else Text()
            if number < len(groups) - 1:
                part.pad_right(_lines_width(group) - part.cell_len + len(GAP))
            line.append_text(part)
        line.rstrip()
        out.append(line)
    return out


class Header:
    """The name of the trace, then labelled lines whose values wrap under themselves."""

    LABEL_WIDTH = 12

    def __init__(self, facts: Facts):
        self.facts = facts

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield Text(printable(self.facts.title), style="bold")
        for label, value in self.facts.rows:
            value = Text(printable(UnicodeMath().remark(value)))
            lines = hanging(value, console, options, " " * self.LABEL_WIDTH, " " * self.LABEL_WIDTH)
            lines[0] = Text(f"  {label}".ljust(self.LABEL_WIDTH), style="dim") + lines[0][self.LABEL_WIDTH :]
            yield from lines


def trace_header(spec, network, options: RenderOptions, rounding: int | None = None) -> Header:
    return Header(trace_facts(spec, network, options.precision, rounding))


def gradcheck_table(checks) -> "Trimmed":
    table = simple_table(title="Backpropagation against central finite differences", title_justify="left")
    table.add_column("parameter", no_wrap=True)
    table.add_column("shape", no_wrap=True)
    table.add_column("max relative error", justify="right", no_wrap=True)
    table.add_column("max absolute error", justify="right", no_wrap=True)
    table.add_column("verdict", no_wrap=True)
    for check in checks:
        verdict = Text("ok", style="green") if check.passed else Text("FAIL", style="bold red")
        if check.undefined:
            verdict.append(f" ({check.undefined} at kinks, not differentiable here)", style="")
        table.add_row(
            check.key,
            "\u00d7".join(map(str, check.shape)),
            f"{check.largest_relative_error:.2e}",
            f"{check.largest_absolute_error:.2e}",
            verdict,
        )
    return Trimmed(table)


def solution_heading(solution: Solution) -> Rule:
    return Rule(heading(solution), style="dim")


def solution_loss(solution: Solution, precision: int) -> Text | None:
    line = loss_line(solution, precision)
    return None if line is None else Text(UnicodeMath().remark(line))


class SolutionView:
    """A worked pass in full: its heading, every numbered step, and its loss."""

    def __init__(self, solution: Solution, options: RenderOptions = DEFAULT_OPTIONS):
        self.solution, self.options = solution, options

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield solution_heading(self.solution)
        yield Text()
        for step in self.solution.steps:
            yield StepView(step, self.options)
        line = solution_loss(self.solution, self.options.precision)
        if line is not None:
            yield line


def loss_text(formula: Equation, value: float, precision: int, when: str) -> Text:
    return Text(UnicodeMath().remark(loss_remark(formula, value, precision, when)))


class ForwardTable:
    """Per sample: the inputs, every neuron's output numbered across the layers, the targets.

    Many samples show the first and last few; columns that do not fit the width are left out
    in the middle of each group (the inputs, each layer, the targets), as many as it takes.
    """

    def __init__(
        self,
        network: Network,
        record: Record,
        targets: np.ndarray | None,
        precision: int,
        feature_names: tuple[str, ...] | None = None,
    ):
        self.network, self.record, self.targets = network, record, targets
        self.precision, self.feature_names = precision, feature_names

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        inputs = self.record.quantities["X"]
        groups = [(list(self.feature_names or [f"x{j + 1}" for j in range(inputs.shape[1])]), inputs)]
        caption, number = [], 0
        for layer in self.network.layers:
            labels = [f"a{number + j + 1}" for j in range(layer.size)]
            caption.append(
                f"{_label_range(labels)}: {UnicodeMath().text(layer.names.a.symbol)} (layer {layer.names.layer})"
            )
            groups.append((labels, self.record.quantities[layer.names.a.key]))
            number += layer.size
        if self.targets is not None:
            count = self.targets.shape[1]
            groups.append(([f"y{j + 1}" if count > 1 else "y" for j in range(count)], self.targets))
        listed = listed_samples(len(inputs))
        rows = [i for i in listed if i is not None]
        headers = [[printable(name) for name in names] for names, _ in groups]
        cells = [matrix_cells(values[rows], self.precision) for _, values in groups]
        widths = [
            [max(cell_len(header), *(len(row[c]) for row in block)) for c, header in enumerate(names)]
            for names, block in zip(headers, cells)
        ]
        sample_width = max(len("sample"), len(str(len(inputs))))
        cap = _column_cap(sample_width, widths, options.max_width)
        shown = [elided(len(names), cap) for names in headers]

        def picked(parts: list[list[str]]) -> list[str]:  # one row of every group (or the headers), as shown
            return [part[c] if c is not None else "\u2026" for part, columns in zip(parts, shown) for c in columns]

        shown_rows = zip(*cells)  # each shown sample's cells in every group, in the order listed
        lines = [None if i is None else [str(i + 1), *picked(next(shown_rows))] for i in listed]
        yield Text("Outputs per sample", style="bold")
        yield Grid(["sample", *picked(headers)], lines)
        if len(rows) < len(inputs):
            yield listed_note(len(rows), len(inputs))
        yield Text(f"({'; '.join(caption)})", style="italic dim")


def _column_cap(first: int, widths: list[list[int]], room: int) -> int:
    """The most columns any group may show (its first and last around an ellipsis) for the grid,
    after a column `first` wide, to fit in `room`: a binary search, as the width grows with the cap."""

    def width(cap: int) -> int:
        shown = [group[c] if c is not None else 1 for group in widths for c in elided(len(group), cap)]
        return grid_width([first, *shown])

    low, high = 1, max(len(group) for group in widths)
    while low < high:
        middle = (low + high + 1) // 2
        low, high = (middle, high) if width(middle) <= room else (low, middle - 1)
    return low


def _label_range(labels: list[str]) -> str:
    return labels[0] if len(labels) == 1 else f"{labels[0]}\u2013{labels[-1]}"


MAX_SAMPLE_COLUMNS = 8  # explain shows at most this many samples side by side


class ExplanationView:
    """The chain rule for one parameter, with the numbers of one epoch."""

    def __init__(self, explanation: Explanation, options: RenderOptions = DEFAULT_OPTIONS):
        self.explanation, self.options = explanation, options

    def _number(self, value: float) -> str:
        return format_scalar(value, self.options.precision)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        ex = self.explanation
        symbols, numbers = UnicodeMath(), UnicodeMath(self.options.precision)
        width = _width(self.options, options)
        fitted = options.update_width(width)
        label, derivative = symbols.text(ex.parameter.label), symbols.text(ex.derivative)
        yield Text(f"{derivative} by the chain rule, epoch {ex.epoch}", style="bold")
        yield Text(f"{INDENT}{label} = {self._number(ex.value)}")
        yield from hanging(Text(f"{derivative} = {symbols.text(ex.chain)}"), console, fitted, INDENT, INDENT * 3)
        yield Text()

        samples = len(ex.products)
        cells = []
        for factor in ex.factors:
            formula = f"{symbols.text(factor.symbol)} = {symbols.text(factor.formula)}\n"
            cell = Text(_glyphs(formula, options.ascii_only))
            cell.append(f"{INDENT}{factor.meaning}", style="italic dim")
            cells.append(cell)
        # The factors' formulas keep their width; the samples get the columns that are left.
        factor_width = min(max(cell.cell_len for line in cells for cell in line.split("\n")), width // 2)
        number_width = max(len(self._number(v)) for v in (*ex.products, *(v for f in ex.factors for v in f.values)))
        room = (width - len(INDENT) - factor_width) // (max(number_width, len(f"s={samples}")) + 2)
        shown = elided(samples, max(3, min(MAX_SAMPLE_COLUMNS, room)))
        table = simple_table(show_edge=False, pad_edge=False)
        table.add_column("factor", min_width=factor_width)
        for s in shown:
            table.add_column("\u2026" if s is None else f"s={s + 1}", justify="right", no_wrap=True)
        for factor, cell in zip(ex.factors, cells):
            table.add_row(cell, *self._per_sample(factor.values, shown))
        table.add_row("product", *self._per_sample(ex.products, shown), style="bold")
        yield Trimmed(Padding(table, (0, 0, 0, len(INDENT))))
        yield Text()

        if ex.paths:
            yield Text(f"{INDENT}the paths through the next layer, sample by sample:")
            listed = {s + 1 for s in shown if s is not None}
            for path in ex.paths:
                if path.sample not in listed:
                    if path.sample - 1 in listed:
                        yield Text(f"{INDENT * 2}\u22ee (the samples the table leaves out)", style="dim")
                    continue
                line = f"s={path.sample}: {symbols.text(path.lhs)} = {numbers.text(path.arithmetic)} = "
                yield from hanging(
                    Text(line + self._number(path.total), style="dim"), console, fitted, INDENT * 2, INDENT * 4
                )
            yield Text()
        if samples > 1:
            total = f"{derivative} = {numbers.text(ex.sum_over_samples)} = {self._number(ex.gradient)}"
            yield from hanging(Text(total + "  (summed over the samples)"), console, fitted, INDENT, INDENT * 3)
        else:
            yield Text(f"{INDENT}{derivative} = {self._number(ex.gradient)}")
        if ex.fixed:
            yield Text(f"{INDENT}{label} is kept fixed (train_biases: false): it stays {self._number(ex.value)}")
        else:
            for line in ex.updates:
                lhs = f"new {label}" if line.new else symbols.text(line.lhs)
                arithmetic = f" = {numbers.text(line.expr)}" if line.worked else ""
                written = (
                    f"{lhs} {OPERATORS[line.relation]} {symbols.text(line.expr)}{arithmetic} "
                    f"= {self._number(line.result)}"
                )
                yield from hanging(Text(written, style="bold" if line.new else ""), console, fitted, INDENT, INDENT * 3)

    def _per_sample(self, values, shown) -> list[str]:
        return ["\u2026" if s is None else self._number(values[s]) for s in shown]


def examples_table(entries: list[tuple[str, str]]) -> "Trimmed":
    table = simple_table(show_edge=False, pad_edge=False)
    table.add_column("example", no_wrap=True)
    table.add_column("what it shows")
    for name, summary in entries:
        table.add_row(name, summary)
    return Trimmed(table)
