"""A worked solution as a LaTeX document (amsmath; tikz for the drawing), or a fragment to paste.

Each step is a numbered subsection: the code form, the formulas, then each equation with its
numbers broken at "=" in an aligned display, then its elements' arithmetic as a list of
inline formulas (which break across lines where they must).
"""

from __future__ import annotations

from nntrace.common.elision import elided, present
from nntrace.common.kept import ByKey
from nntrace.documents.pages import Layout
from nntrace.documents.structure import (
    SHOWN_SAMPLES,
    Display,
    Document,
    Formulas,
    Givens,
    Lines,
    Note,
    Numbers,
    Paragraph,
    Section,
    Table,
)
from nntrace.documents.template import Template
from nntrace.notation.nodes import Equation, Op, numeric_parts
from nntrace.writers import forms
from nntrace.writers.code import code_line, wrapped
from nntrace.writers.latex import MAX_COLUMNS, LatexWriter, text
from nntrace.writers.latex_width import LatexHeight, LatexWidth, number_width

SAFETY = 1.08  # the width estimate is at most 4 % narrow of pdflatex's (tests/test_page_fit.py): lines are fitted to 1/1.08 of the text
COLUMNS = (8, 6, 5, 4, 3)  # the columns a wide matrix is narrowed to, in turn, until its line fits
BREAK_AT = 5  # below this many columns, a line breaks at its operators before its matrices narrow further
TT = 0.525  # a typewriter character, in ems: the code form's lines are wrapped to the text's width
SMALL = 10 / 10.95  # \small at 11 pt
ITEM_INDENT = 2.5  # itemize's left margin, in ems
QUAD = 1.0  # a continued line's indent, after its first operand
SUMS = ("+", "-", "−")  # the operators a long line is best broken before
GAP = 2.0  # \qquad between givens sharing a line
NEED_CAP = 0.6  # the most of a page a step's head and first numbers are kept together on

# A box too wide for the line (or for its room, the optional argument), or taller than most of a
# page, is scaled down to it: the drawing, and a line nothing narrower can be found for (on a slide).
# \typeout tells the log, so the tests can see that the documents' own lines never need it.
MACROS = r"""\newsavebox{\nntracebox}
\newlength{\nntraceheight}
\AtBeginDocument{\setlength{\nntraceheight}{0.8\textheight}}
\newcommand{\nntracefit}[2][\linewidth]{\sbox{\nntracebox}{#2}%
  \ifdim\wd\nntracebox>#1\typeout{nntrace: scaled to fit}\sbox{\nntracebox}{\resizebox{#1}{!}{\usebox{\nntracebox}}}\fi
  \ifdim\ht\nntracebox>\nntraceheight\typeout{nntrace: scaled to fit}%
    \sbox{\nntracebox}{\resizebox{!}{\nntraceheight}{\usebox{\nntracebox}}}\fi
  \usebox{\nntracebox}}
\newcommand{\nntracescaled}[2]{\typeout{nntrace: a line scaled down}\nntracefit[#1]{#2}}
% Start a new page unless #1 of it is left: a step's formula stays with its numbers.
\newcommand{\nntraceneed}[1]{\par\vskip 0pt plus #1\relax\penalty-200\vskip 0pt plus -#1\relax}
"""
PREAMBLE = r"""\documentclass[11pt]{article}
\usepackage[%s]{geometry}
\usepackage{amsmath}
\usepackage{graphicx}
\usepackage{tikz}
\allowdisplaybreaks
\setcounter{secnumdepth}{0}
"""
HEADINGS = {1: r"\subsection*", 2: r"\subsubsection*"}
_FORMULA_ROWS = ByKey()  # (template, width, forms of the equation's sides, writers' settings) -> its rows


class LatexTemplate(Template):
    """A worked solution set on a page (Layout): every line fitted to the text's width before TeX
    sees it (LatexWidth measures what the writer writes), matrices narrowed and long lines broken
    at their operators, each step's head kept on the page with its first numbers."""

    writer_class = LatexWriter
    continued = r"\quad{}"  # what starts a row that continues a line, before its operator
    gap = r"\qquad "  # between givens that share a line
    heights = False  # whether each row's height is measured (a page breaks by itself; a slide's frames need them)

    def __init__(self, numbers, fragment: bool = False, drawing: str | None = None, layout: Layout | None = None):
        super().__init__(numbers, fragment, drawing)
        self.layout = layout = layout or Layout()
        page = layout.page
        self.width = (page.fragment_width if fragment else page.width) / SAFETY
        self.writer = self.writer_class(numbers, page.max_rows)
        self.measure = LatexWidth(numbers, page.max_rows)
        self.height = LatexHeight(numbers, page.max_rows)

    # -- the document and its sections ------------------------------------------------------------

    def begin(self, document: Document) -> None:
        if not self.fragment:
            self.lines += [PREAMBLE % self.layout.page.geometry + MACROS, r"\begin{document}"]
            self.lines.append(rf"\section*{{{text(document.title)}}}")
            self.lines.append(r"\begin{description}\raggedright")  # long names break where they can
            for label, value in document.facts:
                self.lines.append(rf"\item[{text(label)}] {self.writer.remark(value)}")
            self.lines.append(r"\end{description}")
        if self.drawing:
            self.lines += [r"\begin{center}", rf"\nntracefit{{{self.drawing}}}", r"\end{center}"]

    def end(self, document: Document) -> None:
        if not self.fragment:
            self.lines.append(r"\end{document}")

    def heading(self, section: Section, depth: int) -> None:
        if not self.layout.headings:
            return
        if not self.fragment and section.number is not None:
            self.lines.append(rf"\nntraceneed{{{self.head_height(section):.1f}em}}")
        elif not self.fragment and section.sections:  # an epoch's heading goes with its first step's head
            self.lines.append(rf"\nntraceneed{{{self.head_height(section.sections[0]) + 2.5:.1f}em}}")
        title = self.writer.remark(section.title)
        if section.number is not None:
            title = rf"Step {section.number} $\cdot$ {title}"
        self.lines.append(rf"{HEADINGS[min(depth, 2)]}{{{title}}}")

    def head_height(self, section: Section) -> float:
        """How tall a step's heading, formulas and first equation with its numbers are, in ems (at
        most NEED_CAP of the page): what must be left of a page for them to start on it."""
        height = 3.0
        for block in section.blocks:
            if isinstance(block, Formulas):
                height += 2.0 + 1.6 * len(block.equations) * (2 if self.layout.code else 1)
            elif isinstance(block, Numbers):
                height += 2.0 + self.height.values(numeric_parts(block.equation)[0])
                break
            else:
                break
        return min(height, NEED_CAP * self.layout.page.height)

    # -- blocks -----------------------------------------------------------------------------------

    def _formulas(self, block: Formulas) -> None:
        if self.layout.code:
            limit = int(self.width / TT)
            code = [wrapped_line for equation in block.equations for wrapped_line in wrapped(code_line(equation), limit)]
            self.lines += [r"\begin{verbatim}", *code, r"\end{verbatim}"]
        self.lines.append(self.formulas_display(block))

    def formulas_display(self, block: Formulas) -> str:
        """The formulas in symbols, aligned at their relations."""
        body = r" \\ ".join(row for equation in block.equations for row in self.formula_rows(equation))
        return rf"\[\begin{{aligned}}{body}\end{{aligned}}\]"

    def formula_rows(self, equation: Equation) -> list[str]:
        """An equation in symbols as aligned rows: one, or more where it is too long, broken before
        its operators. Kept by its sides' forms in symbols (forms.symbols_form), which decide all
        that its symbols are written as: every student's key sets the same formulas, in LaTeX and
        in Typst, and they were cut into pieces, measured and packed into rows for each."""
        lhs, expr = forms.symbols_form(equation.lhs), forms.symbols_form(equation.expr)
        if lhs is None or expr is None:
            return self._formula_rows(equation)
        key = (type(self), self.width, lhs, equation.relation, expr, self.writer.settings(), self.measure.settings())
        rows = _FORMULA_ROWS.get(key)
        return list(rows if rows is not None else _FORMULA_ROWS.keep(key, self._formula_rows(equation)))

    def _formula_rows(self, equation: Equation) -> list[str]:
        lead = self.measure.symbols(equation.lhs) + self.measure.relation(equation.relation)
        pieces = self.writer.symbol_pieces(equation.expr) or [self.writer.symbols(equation.expr)]
        widths = self.measure.symbol_pieces(equation.expr) or [self.measure.symbols(equation.expr)]
        packed = rows_of(pieces, widths, self.width - lead, self.continued) or [pieces]
        return aligned_rows(self.writer.symbols(equation.lhs), self.writer.relation(equation.relation), [packed])

    def _numbers(self, block: Numbers) -> None:
        self.lines.append(align([row for row, _ in self.numbers_rows(block.equation)]))

    def numbers_rows(self, equation: Equation) -> list[tuple[str, float]]:
        """An equation with its numbers as aligned rows fitted to the width, each with its height."""
        return [row for side in self.numbers_sides(equation) for row in side]

    def numbers_sides(self, equation: Equation) -> list[list[tuple[str, float]]]:
        """The rows of each side of an equation with its numbers (lhs = first side, = each further
        side), each row with its height."""
        lead = self.measure.symbols(equation.lhs) + self.measure.relation(equation.relation)
        sides, heights = [], []
        for part in numeric_parts(equation):
            rows, height = self.fitted(part, self.width - lead)
            sides.append(rows)
            heights.append(height)
        rows = iter(aligned_rows(self.writer.symbols(equation.lhs), self.writer.relation(equation.relation), sides))
        return [[(next(rows), height) for _ in side] for side, height in zip(sides, heights)]

    def fitted(self, part, room: float) -> tuple[list[list[str]], float]:
        """One side of an equation with its numbers as the rows it takes in `room` ems, and the
        height of each: whole if it fits, its matrices narrowed first (down to BREAK_AT columns),
        then broken before its operators, narrowing further until each row fits."""
        try:
            for columns in COLUMNS:
                self.narrow(columns)
                if self.measure.values(part) <= room:
                    return [[self.writer.values(part)]], self.height_of(part)
                if columns <= BREAK_AT:
                    for deep in (False, True):  # at its own operators first, then inside its products
                        pieces = self.writer.value_pieces(part, deep=deep)
                        widths = self.measure.value_pieces(part, deep=deep)
                        rows = rows_of(pieces, widths, room, self.continued) if pieces else None
                        if rows:
                            return rows, self.height_of(part)
            return [[self.scaled_down(self.writer.values(part), room)]], self.height_of(part)
        finally:
            self.narrow(MAX_COLUMNS)

    def height_of(self, part) -> float:
        """How tall `part` is, in ems, where the template measures heights (else 0)."""
        return self.height.values(part) if self.heights else 0.0

    def scaled_down(self, math: str, room: float) -> str:
        """Maths nothing narrower can be found for, scaled down to its room (only ever on a slide)."""
        return rf"\nntracescaled{{{room:.2f}em}}{{$\displaystyle {math}$}}"

    def narrow(self, columns: int) -> None:
        self.writer.max_columns = self.measure.max_columns = self.height.max_columns = columns

    def _givens(self, block: Givens) -> None:
        lines = [line for line, _ in self.givens_lines(block)]
        self.lines += [r"\begin{gather*}", BETWEEN_ROWS.join(lines), r"\end{gather*}"]

    def givens_lines(self, block: Givens) -> list[tuple[str, float]]:
        """Short givens share a line, as many as fit; a wide one is narrowed to fit alone. Each
        line with its height."""
        lines, line, used, height = [], [], 0.0, 0.0
        for equation in block.equations:
            given, width = self.given(equation)
            if line and used + GAP + width > self.width:
                lines.append((self.gap.join(line), height))
                line, used, height = [], 0.0, 0.0
            line.append(given)
            used += width + (GAP if len(line) > 1 else 0.0)
            height = max(height, self.height_of(equation.result))
        if line:
            lines.append((self.gap.join(line), height))
        return lines

    def given(self, equation: Equation) -> tuple[str, float]:
        lead = self.measure.symbols(equation.lhs) + self.measure.relation(equation.relation)
        try:
            for columns in COLUMNS:
                self.narrow(columns)
                width = lead + self.measure.values(equation.result)
                if width <= self.width or columns == COLUMNS[-1]:
                    return f"{self.writer.symbols(equation.lhs)} = {self.writer.values(equation.result)}", width
        finally:
            self.narrow(MAX_COLUMNS)

    def _lines(self, block: Lines) -> None:
        self.lines += self.lines_latex(block)

    def lines_latex(self, block: Lines) -> list[str]:
        """Element lines: under an equation, a small list, each line on one row where it fits;
        a derivation's lines displayed. A line too long is set in rows (line_rows)."""
        if not block.under:
            return [align(self.line_rows(line, self.width)) for line in block.lines]
        items = [self.item(line) for line in block.lines]
        if block.more:
            items.append(rf"\item \dots{{}} and {block.more} more elements, each computed the same way")
        return [r"{\small\begin{itemize}", *items, r"\end{itemize}}"]

    def item(self, line) -> str:
        rows = self.item_rows(line)
        if len(rows) == 1:
            return rf"\item $\displaystyle {rows[0]}$"
        body = r" \\ ".join(rows)
        return rf"\item $\displaystyle\begin{{aligned}}[t]{body}\end{{aligned}}$"

    def item_rows(self, line) -> list[str]:
        """An element line in a list: one row if it fits, else its sides' rows (line_rows)."""
        room = self.item_room()
        if self.measure.element_line(line) <= room:
            return [self.writer.element_line(line)]
        return self.line_rows(line, room)

    def item_room(self) -> float:
        """The width of a list's item, in ems of its type (a \\small list, indented)."""
        return (self.width - ITEM_INDENT) / SMALL

    def line_rows(self, line, room: float) -> list[str]:
        """An element line in rows aligned at its relation: one if it fits, else each side on a row
        of its own, a long arithmetic broken before its operators."""
        head, sides = self.writer.element_sides(line, pieces=True)
        if self.measure.element_line(line) <= room:
            equals = self.writer.relation(Op.EQUALS)
            return [f"{head} &{self.writer.relation(line.relation).lstrip()}" + equals.join("".join(side) for side in sides)]
        head_width, side_widths = self.measure.element_sides(line, pieces=True)
        lead = head_width + self.measure.relation(line.relation)
        packed = [rows_of(side, widths, room - lead, self.continued) or [side] for side, widths in zip(sides, side_widths)]
        return aligned_rows(head, self.writer.relation(line.relation), packed)

    def _note(self, block: Note) -> None:
        self.lines.append(rf"\par\noindent\textit{{({self.writer.remark(block.remark)})}}\par")

    def _paragraph(self, block: Paragraph) -> None:
        self.lines.append(rf"\par\noindent {self.writer.remark(block.remark)}\par")

    def _display(self, block: Display) -> None:
        self.lines.append(self.display_latex(block))

    def display_latex(self, block: Display) -> str:
        return align(self.formula_rows(block.equation))

    def _table(self, block: Table) -> None:
        self.lines += self.table_latex(block)

    def table_latex(self, block: Table) -> list[str]:
        """A table of factors, showing as many samples as fit the width (the first and last)."""
        writer = self.writer
        # Only the samples the table could ever show are written (of a million, the first and last few).
        candidates = present(elided(len(block.columns), SHOWN_SAMPLES))
        numbers = [{s: writer.written(row.values[s]) for s in candidates} for row in block.rows]
        cells = [{s: writer.number(number) for s, number in row.items()} for row in numbers]
        widest = max((number_width(number) for row in numbers for number in row.values()), default=1.0)
        heads = max((self.measure.remark(row.head) for row in block.rows), default=3.0)
        fits = max(2, int((self.width - heads - 1.0) / (widest + 1.0)))  # each column: its widest cell and \tabcolsep
        shown = elided(len(block.columns), min(SHOWN_SAMPLES, fits))
        lines = [rf"\begin{{center}}\begin{{tabular}}{{l{'r' * len(shown)}}}"]
        titles = " & ".join(r"\dots" if s is None else f"${text(block.columns[s])}$" for s in shown)
        lines.append(f"{text(block.corner)} & {titles}" + r" \\ \hline")
        for row, written in zip(block.rows, cells):
            values = " & ".join(r"\dots" if s is None else f"${written[s]}$" for s in shown)
            head = writer.remark(row.head)
            if row.strong:
                lines.append(rf"\hline {head} & {values} \\")
            else:
                note = rf"\multicolumn{{{len(shown) + 1}}}{{l}}{{\quad\textit{{{text(row.note)}}}}} \\" if row.note else ""
                lines.append(rf"{head} & {values} \\ {note}".rstrip())
        lines.append(r"\end{tabular}\end{center}")
        return lines

    def text(self) -> str:
        out = "\n".join(self.lines) + "\n"
        if self.fragment and r"\nntracescaled" in out:  # the host has no nntrace macros (graphicx it must have)
            out = r"\providecommand{\nntracescaled}[2]{\resizebox{#1}{!}{#2}}" + "\n" + out
        return out


def rows_of(pieces: list, widths: list[float], room: float, continued: str = r"\quad{}") -> list[list] | None:
    """Operands and operators in turn (operands at even positions) packed into rows of at most
    `room` ems, each row after the first indented and starting at an operator, as a long sum is
    broken by hand: before a + or − where the row has one (a term is not cut from its factor),
    else before the operator that overflows; None where one operand alone is wider than a row."""
    if any(width > room for width in widths[::2]):
        return None
    breaks, start = [], 0  # each row's first piece (an operator, after the first)
    used = widths[0]
    for at in range(1, len(pieces), 2):
        width = widths[at] + widths[at + 1]
        if used + width > room:
            sums = [k for k in range(at - 2, start, -2) if pieces[k].strip() in SUMS]
            cut = sums[0] if sums else at
            breaks.append(cut)
            start = cut
            used = QUAD + sum(widths[cut : at + 2])
            if used > room:  # the terms after the + do not fit with this one: break here instead
                breaks[-1] = start = at
                used = QUAD + width
        else:
            used += width
    bounds = [0, *breaks, len(pieces)]
    spans = [(bounds[k], bounds[k + 1]) for k in range(len(bounds) - 1)]
    if any(sum(widths[a:b]) + (QUAD if a else 0.0) > room for a, b in spans):
        return None
    rows = [list(pieces[a:b]) for a, b in spans]
    for row in rows[1:]:
        row[0] = continued + row[0].lstrip()
    return rows


BETWEEN_ROWS = " \\displaybreak[0]\\\\\n"  # a page may break between a display's rows, in someone's document too


def align(rows: list[str]) -> str:
    """Rows of a display aligned at their relations (align*, which may break across pages)."""
    return "\\begin{align*}\n" + BETWEEN_ROWS.join(rows) + "\n\\end{align*}"


def aligned_rows(head: str, relation: str, sides: list[list[list[str]]]) -> list[str]:
    """An equation's rows aligned at its relation: head relation first side, then = each further
    side, each side's own rows continuing under it."""
    rows = []
    for number, side in enumerate(sides):
        for row_number, row in enumerate(side):
            start = f"{head} &{relation.lstrip()}" if number == 0 and row_number == 0 else ("&= " if row_number == 0 else "& ")
            rows.append(start + "".join(row))
    return rows


def aligned_numbers(equation: Equation, writer: LatexWriter) -> str:
    """lhs relation side & = side & = result, one side a line: long equations break at '='."""
    sides = [writer.values(part) for part in numeric_parts(equation)]
    lines = [f"{writer.symbols(equation.lhs)} &{writer.relation(equation.relation).lstrip()}{sides[0]}"]
    lines += [f"&= {side}" for side in sides[1:]]
    return r"\begin{aligned}" + r" \\ ".join(lines) + r"\end{aligned}"


def aligned_line(line, writer: LatexWriter) -> str:
    """A derivation's line in two rows where it has a formula: head = formula, then = arithmetic = result."""
    head, sides = writer.element_sides(line)
    relation = writer.relation(line.relation).lstrip()
    if line.formula is None or len(sides) < 2:
        return r"\begin{aligned}" + f"{head} &{relation}" + " = ".join(sides) + r"\end{aligned}"
    return r"\begin{aligned}" + f"{head} &{relation}{sides[0]} \\\\ &= " + " = ".join(sides[1:]) + r"\end{aligned}"
