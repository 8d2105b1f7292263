"""Terminal layout: bracketed, decimal-aligned matrices set out as equations.

All layout lives here. A matrix becomes a block of text lines; an equation is a
row of blocks centred on a common middle line, wrapped at "=" (or, if one side is
still too wide, at its operators) to fit the console; a matrix too wide or too
tall for the console is shown with its middle columns or rows elided.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from rich import box
from rich.console import Console, ConsoleOptions, RenderResult
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from nntrace.initialise import DESCRIPTIONS

from nntrace.steps import Equation, Matrix, Operator, Step, Symbol

MAX_ROWS = 12  # taller matrices show their first and last rows around a vertical ellipsis
GAP = "    "  # between equations that share a line
INDENT = "  "


@dataclass(frozen=True)
class Block:
    lines: tuple[str, ...]
    style: str = ""
    operator: bool = False  # an equation may break before it

    @property
    def width(self) -> int:
        return max(len(line) for line in self.lines)

    @property
    def height(self) -> int:
        return len(self.lines)


def format_number(value: float, precision: int, integral: bool) -> str:
    if integral:
        return str(int(value)) if abs(value) < 1e15 else f"{value:.0f}"
    text = f"{value:.{precision}f}"
    # A value that rounds to zero is printed as zero, not "-0.000".
    if text.startswith("-") and float(text) == 0:
        text = text[1:]
    return text


def matrix_cells(value: np.ndarray, precision: int) -> list[list[str]]:
    finite = value[np.isfinite(value)]
    integral = finite.size == value.size and bool(np.all(finite == np.round(finite)))
    return [[format_number(v, precision, integral) if np.isfinite(v) else str(v) for v in row] for row in value]


def _elided(count: int, limit: int) -> list[int | None]:
    """Indices to show out of `count`, with None where the middle ones are left out."""
    if count <= limit:
        return list(range(count))
    head = (limit - 1) // 2 + (limit - 1) % 2
    tail = limit - 1 - head
    return list(range(head)) + [None] + list(range(count - tail, count))


def matrix_block(value: np.ndarray, precision: int, max_width: int | None = None,
                 function: str | None = None, style: str = "") -> Block:
    cells = matrix_cells(np.atleast_2d(value), precision)
    rows = _elided(len(cells), MAX_ROWS)
    widths = [max(len(cells[r][c]) for r in range(len(cells))) for c in range(len(cells[0]))]
    columns = list(range(len(widths)))
    while max_width is not None and len(columns) > 2 and _grid_width(columns, widths) + 2 > max_width:
        shown = [c for c in columns if c is not None]
        columns = _elided(len(widths), len(shown) - 1)
    lines = []
    for r in rows:
        if r is None:
            parts = ["\u22ee".rjust(widths[c]) if c is not None else " " for c in columns]
        else:
            parts = [cells[r][c].rjust(widths[c]) if c is not None else "\u22ef" for c in columns]
        lines.append(" ".join(parts))
    return _bracketed(lines, function, style)


def _grid_width(columns: list[int | None], widths: list[int]) -> int:
    return sum(widths[c] if c is not None else 1 for c in columns) + len(columns) - 1


def _bracketed(lines: list[str], function: str | None, style: str) -> Block:
    n = len(lines)
    if function is None:
        left, right = ("[", "]") if n == 1 else ("\u23a1\u23a2\u23a3", "\u23a4\u23a5\u23a6")
    else:
        left, right = ("(", ")") if n == 1 else ("\u239b\u239c\u239d", "\u239e\u239f\u23a0")
    out = []
    for i, line in enumerate(lines):
        if n == 1:
            l, r = left, right
        else:
            which = 0 if i == 0 else (2 if i == n - 1 else 1)
            l, r = left[which], right[which]
        out.append(f"{l}{line}{r}")
    if function is not None:
        middle = (n - 1) // 2
        out = [(function if i == middle else " " * len(function)) + line for i, line in enumerate(out)]
    return Block(tuple(out), style)


def _piece_block(piece, precision: int, max_width: int) -> Block:
    if isinstance(piece, Matrix):
        return matrix_block(piece.value, precision, max_width, piece.function, "bold" if piece.result else "")
    if isinstance(piece, Operator):
        return Block((f" {piece.text} ",), operator=True)
    return Block((piece.text,), "cyan" if isinstance(piece, Symbol) and piece.text[:1].isalpha() else "")


def _compose(blocks: list[Block]) -> list[Text]:
    """Blocks side by side, each centred on the common middle line."""
    above = max((b.height - 1) // 2 for b in blocks)
    below = max(b.height - 1 - (b.height - 1) // 2 for b in blocks)
    lines = [Text() for _ in range(above + below + 1)]
    for block in blocks:
        top = above - (block.height - 1) // 2
        for i, line in enumerate(lines):
            inside = 0 <= i - top < block.height
            line.append((block.lines[i - top] if inside else "").ljust(block.width), block.style)
    for line in lines:
        line.rstrip()
    return lines


def equation_lines(equation: Equation, precision: int, width: int) -> list[Text]:
    """An equation laid out in as many rows as `width` requires."""
    lhs = Block((equation.lhs,), "bold cyan")
    relation = Block((f" {equation.relation} ",), operator=True)
    equals = Block((" = ",), operator=True)
    indent = lhs.width
    room = max(width - indent - 4, 16)
    sides = [[_piece_block(piece, precision, room) for piece in side] for side in equation.sides]

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
    pad = Block((" " * indent,))
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

    def __init__(self, step: Step, precision: int):
        self.step = step
        self.precision = precision

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        step, width = self.step, options.max_width - len(INDENT)
        yield Text(f"Step {step.number} \u00b7 {step.title}", style="bold")
        for label, lines in (("code", step.code), ("math", step.math)):
            for i, line in enumerate(lines):
                text = Text(INDENT + (f"{label}  " if i == 0 else "      "), style="dim")
                text.append(line, style="" if label == "math" else "dim")
                yield text
        if step.code or step.math:
            yield Text()
        for line in self._equations(width):
            yield Text(INDENT) + line
        for note in step.notes:
            yield Text(f"{INDENT}({note})", style="italic dim")
        yield Text()

    def _equations(self, width: int) -> list[Text]:
        blocks = [equation_lines(eq, self.precision, width) for eq in self.step.equations]
        if not self.step.side_by_side:
            return [line for block in blocks for line in block]
        # Short equations share a line while they fit.
        lines, row = [], []
        for block in blocks:
            row_width = sum(_lines_width(b) for b in row) + len(GAP) * len(row)
            if row and row_width + _lines_width(block) > width:
                lines.extend(_beside(row))
                row = []
            row.append(block)
        lines.extend(_beside(row))
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


def epoch_heading(epoch: int, batch: int = 1, n_batches: int = 1) -> Rule:
    title = f"Epoch {epoch}" if n_batches == 1 else f"Epoch {epoch}, batch {batch} of {n_batches}"
    return Rule(title, style="dim")


def number_text(value: float, precision: int) -> str:
    """A loss or other scalar: `precision + 1` significant digits."""
    return f"{value:.{precision + 1}g}"


class Header:
    """The name of the trace, then labelled lines whose values wrap under themselves."""

    LABEL_WIDTH = 12

    def __init__(self, title: str, rows: list[tuple[str, str]]):
        self.title = title
        self.rows = rows

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield Text(self.title, style="bold")
        room = max(options.max_width - self.LABEL_WIDTH, 20)
        for label, value in self.rows:
            for number, line in enumerate(Text(value).wrap(console, room)):
                line.rstrip()
                prefix = f"  {label}".ljust(self.LABEL_WIDTH) if number == 0 else " " * self.LABEL_WIDTH
                yield Text(prefix, style="dim") + line


def trace_header(spec, network, precision: int, rounding: int | None = None) -> Header:
    """What is being traced: the spec, the network, the loss and the settings."""
    layers = network.layers
    shape = " \u2192 ".join([f"{spec.inputs.shape[1]} inputs"] +
                            [f"{layer.size} {layer.activation.name} ({layer.names.layer})" for layer in layers])
    count = sum(layer.weights.size + layer.biases.size for layer in layers)
    rows = [("spec", spec.source), ("network", f"{shape}; {count} parameters")]
    if spec.trains:
        batch = "full batch" if spec.batch_size is None else f"batches of {spec.batch_size}"
        if spec.shuffle is not None:
            batch += f", shuffled (seed {spec.shuffle})"
        epochs = f"{spec.epochs} epoch" + ("s" if spec.epochs != 1 else "")
        rows.append(("training", f"loss {network.loss.name}: {network.loss.formula}; "
                                 f"\u03b7 = {network.learning_rate:g}; {epochs}; {batch}"))
    else:
        rows.append(("training", "none: forward pass only"))
    if spec.layout == "columns":
        rows.append(("layout", "columns: one column per sample, z = W \u00b7 x + b"))
    else:
        rows.append(("layout", "rows: one row per sample, z = x \u00b7 W + b"))
    if spec.init is not None:
        rows.append(("init", f"{spec.init.method}, seed {spec.init.seed}: {DESCRIPTIONS[spec.init.method]} "
                             "(for the parameters the spec leaves out)"))
    if rounding is not None:
        rows.append(("rounding", f"every intermediate rounded to {rounding} decimals before use, as by hand"))
    rows.append(("precision", f"{precision} decimals shown"))
    return Header(spec.name or "nntrace trace", rows)


def gradcheck_table(checks) -> Table:
    table = Table(title="Backpropagation against central finite differences", title_justify="left",
                  box=box.SIMPLE_HEAD)
    table.add_column("parameter", no_wrap=True)
    table.add_column("shape", no_wrap=True)
    table.add_column("max relative error", justify="right", no_wrap=True)
    table.add_column("max absolute error", justify="right", no_wrap=True)
    table.add_column("verdict", no_wrap=True)
    for check in checks:
        verdict = Text("ok", style="green") if check.passed else Text("FAIL", style="bold red")
        table.add_row(check.key, "\u00d7".join(map(str, check.shape)), f"{check.largest_relative_error:.2e}",
                      f"{check.largest_absolute_error:.2e}", verdict)
    return table
