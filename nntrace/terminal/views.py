"""The terminal's template over the neutral structure (documents.structure): a worked pass, its
steps and an explanation laid out for the console, plus the tables only the terminal prints (the
forward pass's outputs per sample, the gradient check, the shipped examples).

A step prints its title, its formulas as code and as mathematics, each equation with its numbers
(terminal/equations.py lays them out) and the arithmetic of its elements, then its notes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.padding import Padding
from rich.rule import Rule
from rich.text import Text

from nntrace.common.elision import elided, present
from nntrace.common.errors import printable
from nntrace.documents.structure import (
    Display,
    Formulas,
    Givens,
    Lines,
    Note,
    Numbers,
    Paragraph,
    Section,
    Table,
    explanation_section,
    heading,
    loss_line,
    loss_remark,
    pass_section,
    step_section,
)
from nntrace.engine.network import Network, Record
from nntrace.notation.nodes import Equation, Remark
from nntrace.notation.numbers import NumberFormat
from nntrace.solution.options import DEFAULT_OPTIONS, RenderOptions
from nntrace.solution.overview import Facts, trace_facts
from nntrace.terminal.console import (
    INDENT,
    Grid,
    Hanging,
    Trimmed,
    as_printed,
    grid_width,
    in_words,
    listed_note,
    listed_samples,
    simple_table,
)
from nntrace.terminal.equations import cell_rows, equation_lines, hanging, indented, side_by_side
from nntrace.writers.code import code_line
from nntrace.writers.glyphs import to_ascii
from nntrace.writers.unicode import UnicodeWriter, join, number_text, text

if TYPE_CHECKING:
    from nntrace.solution.explain import Explanation
    from nntrace.solution.steps import Solution, Step

MAX_SAMPLE_COLUMNS = 8  # a table of factors shows at most this many samples side by side


def _width(render: RenderOptions, options: ConsoleOptions) -> int:
    return min(render.width, options.max_width) if render.width else options.max_width


class SectionLines:
    """Lays out the blocks of a section for the terminal, one method per kind of block."""

    def __init__(self, render: RenderOptions, console: Console, options: ConsoleOptions):
        self.render, self.console, self.options = render, console, options
        self.fmt = render.numbers
        self.writer = UnicodeWriter(self.fmt)
        self.writer.formed = False  # the terminal writes each line once: finding its form costs more than it saves
        self.width = _width(render, options) - len(INDENT)
        self.fitted = options.update_width(_width(render, options))
        self.shown_samples: set[int] | None = None  # the samples the last table showed (1-based)

    def remark(self, remark: Remark) -> str:
        return join(self.writer.remark(remark))

    def block(self, block) -> list[Text]:
        return getattr(self, f"_{type(block).__name__.lower()}")(block)

    def _formulas(self, block: Formulas) -> list[Text]:
        code = [code_line(equation) for equation in block.equations]
        math = [self.writer.formula_text(equation) for equation in block.equations]
        lines = []
        for label, written in (("code", code), ("math", math)):
            for i, line in enumerate(written):
                lead = INDENT + (f"{label}  " if i == 0 else "      ")  # the whole line dim: formulas, not numbers
                for text_line in hanging(line, self.console, self.fitted, lead, " " * (len(lead) + 2), "dim"):
                    text_line.stylize("dim", 0, len(lead))  # too wide: it goes on two columns in
                    lines.append(text_line)
        return lines

    def _numbers(self, block: Numbers) -> list[Text]:
        return list(indented(equation_lines(block.equation, self.fmt, self.width, self.options.ascii_only)))

    def _givens(self, block: Givens) -> list[Text]:
        groups = [equation_lines(eq, self.fmt, self.width, self.options.ascii_only) for eq in block.equations]
        return list(indented(side_by_side(groups, self.width)))

    def _lines(self, block: Lines) -> list[Text]:
        first, rest = (INDENT * 2, INDENT * 4) if block.under else (INDENT, INDENT * 3)
        out = []
        for number, line in enumerate(block.lines):
            if block.samples and self.shown_samples is not None and block.samples[number] not in self.shown_samples:
                if block.samples[number] - 1 in self.shown_samples:  # the first left out marks the gap
                    out.append(Text(f"{INDENT * 2}\u22ee (the samples the table leaves out)", style="dim"))
                continue
            style = "dim" if block.under else ("bold" if line.final else "")
            out += hanging(join(self.writer.element_line(line)), self.console, self.fitted, first, rest, style)
        if block.more:
            out.append(Text(f"{INDENT * 2}… and {block.more} more elements, each computed the same way",
                            style="dim italic"))  # fmt: skip
        return out

    def _note(self, block: Note) -> list[Text]:
        return hanging(f"({self.remark(block.remark)})", self.console, self.options, INDENT, INDENT + " ", "italic dim")

    def _paragraph(self, block: Paragraph) -> list[Text]:
        return hanging(self.remark(block.remark), self.console, self.fitted, INDENT, INDENT * 3)

    def _display(self, block: Display) -> list[Text]:
        return hanging(self.writer.formula_text(block.equation), self.console, self.fitted, INDENT, INDENT * 3)

    def _table(self, block: Table) -> list[Text]:
        """Factors by sample: the heads keep their width, the samples get the columns that are left."""
        ascii_only = self.options.ascii_only
        heads = []
        for row in block.rows:
            cell = Text(_glyphs(self.remark(row.head), ascii_only) + ("\n" if row.note else ""))
            if row.note:
                cell.append(f"{INDENT}{row.note}", style="italic dim")
            heads.append(cell)
        width = self.width + len(INDENT)
        head_width = min(max(cell_len(line) for cell in heads for line in cell.plain.split("\n")), width // 2)
        count = len(block.columns)
        # Only the samples the table could ever show are written (of a million, the first and last few).
        candidates = present(elided(count, MAX_SAMPLE_COLUMNS))
        written = [dict(zip(candidates, (number_text(self.writer.written(row.values[s]), compact=True)
                                         for s in candidates))) for row in block.rows]  # fmt: skip
        number_width = max(len(t) for row in written for t in row.values())
        room = (width - len(INDENT) - head_width) // (max(number_width, len(f"s={count}")) + 2)
        shown = elided(count, max(3, min(MAX_SAMPLE_COLUMNS, room)))
        self.shown_samples = {s + 1 for s in shown if s is not None}
        table = simple_table(show_edge=False, pad_edge=False)
        table.add_column(block.corner, min_width=head_width)
        for s in shown:
            table.add_column("\u2026" if s is None else block.columns[s], justify="right", no_wrap=True)
        for row, cell, texts in zip(block.rows, heads, written):
            table.add_row(cell, *("\u2026" if s is None else texts[s] for s in shown), style="bold" if row.strong else None)
        return [Trimmed(Padding(table, (0, 0, 0, len(INDENT))))]


def _glyphs(words: str, ascii_only: bool) -> str:
    return to_ascii(words) if ascii_only else words


class StepView:
    """One numbered step: title, its formulas in code and in mathematics, then the numbers."""

    def __init__(self, step: Step, options: RenderOptions = DEFAULT_OPTIONS):
        self.step, self.options = step, options

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield from as_printed(step_lines(step_section(self.step), self.options, console, options), console, options)


def step_lines(section: Section, render: RenderOptions, console: Console, options: ConsoleOptions) -> list:
    """A step's lines: its title, its formulas and a blank line, its equations (set apart by blank
    lines, as on paper) each with its element lines, its notes, and a blank line."""
    layout = SectionLines(render, console, options)
    separator = "-" if options.ascii_only else "\u00b7"
    lines: list = [Text(f"Step {section.number} {separator} {join(layout.writer.remark(section.title))}", style="bold")]
    equations = 0
    for block in section.blocks:
        if isinstance(block, Numbers):
            if equations:
                lines.append(Text())
            equations += 1
        lines += layout.block(block)
        if isinstance(block, Formulas):
            lines.append(Text())
    lines.append(Text())
    return lines


def solution_heading(solution: Solution) -> Rule:
    return Rule(heading(solution), style="dim")


def solution_loss(solution: Solution, render: RenderOptions = DEFAULT_OPTIONS) -> Hanging | None:
    line = loss_line(solution)
    return None if line is None else in_words(join(UnicodeWriter(render.numbers).remark(line)), INDENT)


class SolutionView:
    """A worked pass in full: its heading, every numbered step, and its loss."""

    def __init__(self, solution: Solution, options: RenderOptions = DEFAULT_OPTIONS):
        self.solution, self.options = solution, options

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        section = pass_section(self.solution)
        yield solution_heading(self.solution)
        yield Text()
        for step in section.sections:
            yield from as_printed(step_lines(step, self.options, console, options), console, options)
        line = solution_loss(self.solution, self.options)
        if line is not None:
            yield line


def loss_text(formula: Equation, value: float, render: RenderOptions, when: str) -> Hanging:
    return in_words(join(UnicodeWriter(render.numbers).remark(loss_remark(formula, value, when))), INDENT)


class ExplanationView:
    """The chain rule for one parameter, with the numbers of one epoch: the explanation's section,
    its groups set apart by blank lines."""

    def __init__(self, explanation: Explanation, options: RenderOptions = DEFAULT_OPTIONS):
        self.explanation, self.options = explanation, options

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        section = explanation_section(self.explanation)
        layout = SectionLines(self.options, console, options)
        yield Text(layout.remark(section.title), style="bold")
        previous = None
        for block in section.blocks:
            if _set_apart(block, previous):
                yield Text()
            for line in layout.block(block):
                yield from (as_printed([line], console, options) if isinstance(line, Text) else [line])
            previous = block


def _set_apart(block, previous) -> bool:
    """Whether a blank line goes before `block`: around the table, and before the derivation's lines."""
    if isinstance(block, Table) or isinstance(previous, Table):
        return True
    return _derivation(block) and not _derivation(previous)


def _derivation(block) -> bool:
    return isinstance(block, Lines) and not block.under


class Header:
    """The name of the trace, then labelled lines whose values wrap under themselves."""

    LABEL_WIDTH = 12

    def __init__(self, facts: Facts, render: RenderOptions = DEFAULT_OPTIONS):
        self.facts, self.render = facts, render

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        writer = UnicodeWriter(self.render.numbers)
        lines = [Text(printable(self.facts.title), style="bold")]
        for label, value in self.facts.rows:
            value = printable(join(writer.remark(value)))
            wrapped = hanging(value, console, options, " " * self.LABEL_WIDTH, " " * self.LABEL_WIDTH)
            wrapped[0] = Text(f"  {label}".ljust(self.LABEL_WIDTH), style="dim") + wrapped[0][self.LABEL_WIDTH :]
            lines += wrapped
        yield from as_printed(lines, console, options)


def trace_header(spec, network, options: RenderOptions, rounding: int | None = None) -> Header:
    return Header(trace_facts(spec, network, options.numbers, rounding), options)


def gradcheck_table(checks) -> "Trimmed":
    table = simple_table(title="Backpropagation against central finite differences", title_justify="left")
    # Names are never cut: on a narrow terminal the headers of the numbers wrap instead.
    table.add_column("parameter", no_wrap=True, min_width=max(len(check.key) for check in checks))
    table.add_column("shape", no_wrap=True)
    table.add_column("max relative error", justify="right", min_width=8)
    table.add_column("max absolute error", justify="right", min_width=8)
    table.add_column("verdict", no_wrap=True)
    for check in checks:
        verdict = Text("ok", style="green") if check.passed else Text("FAIL", style="bold red")
        if check.non_finite:
            verdict.append(" (not finite)", style="")
        elif check.passed and check.absolute_only:
            verdict.append(" (absolute)", style="")
        if check.undefined:
            verdict.append(f", {check.undefined} at kinks", style="")
        table.add_row(
            check.key,
            "\u00d7".join(map(str, check.shape)),
            f"{check.largest_relative_error:.2e}",
            f"{check.largest_absolute_error:.2e}",
            verdict,
        )
    return Trimmed(table)




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
        fmt: NumberFormat,
        feature_names: tuple[str, ...] | None = None,
    ):
        self.network, self.record, self.targets = network, record, targets
        self.fmt, self.feature_names = fmt, feature_names

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        inputs = self.record.quantities["X"]
        groups = [(list(self.feature_names or [f"x{j + 1}" for j in range(inputs.shape[1])]), inputs)]
        caption, number = [], 0
        for layer in self.network.layers:
            labels = [f"a{number + j + 1}" for j in range(layer.size)]
            caption.append(
                f"{_label_range(labels)}: {text(layer.names.a.symbol)} (layer {layer.names.layer})"
            )
            groups.append((labels, self.record.quantities[layer.names.a.key]))
            number += layer.size
        if self.targets is not None:
            count = self.targets.shape[1]
            groups.append(([f"y{j + 1}" if count > 1 else "y" for j in range(count)], self.targets))
        listed = listed_samples(len(inputs))
        rows = present(listed)
        headers = [[printable(name) for name in names] for names, _ in groups]
        cells = [cell_rows(values[rows], self.fmt) for _, values in groups]
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



def examples_table(entries: list[tuple[str, str]]) -> "Trimmed":
    table = simple_table(show_edge=False, pad_edge=False)
    table.add_column("example", no_wrap=True)
    table.add_column("what it shows")
    for name, summary in entries:
        table.add_row(name, summary)
    return Trimmed(table)
