"""A worked solution as a LaTeX document (amsmath; tikz for the drawing), or a fragment to paste.

Each step is a numbered subsection: the code form, the formulas, then each equation with its
numbers broken at "=" in an aligned display, then its elements' arithmetic as a list of
inline formulas (which break across lines where they must).
"""

from __future__ import annotations

from nntrace.common.elision import elided
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
from nntrace.notation.nodes import Equation, numeric_parts
from nntrace.writers.code import code_line
from nntrace.writers.latex import LatexWriter, text

PREAMBLE = r"""\documentclass[11pt]{article}
\usepackage{amsmath}
\usepackage{tikz}
\setlength{\textwidth}{6.5in}
\setlength{\oddsidemargin}{0in}
\setlength{\evensidemargin}{0in}
\setlength{\textheight}{9in}
\setlength{\topmargin}{-0.5in}
\allowdisplaybreaks
\setcounter{secnumdepth}{0}
"""
HEADINGS = {1: r"\subsection*", 2: r"\subsubsection*"}


class LatexTemplate(Template):
    def __init__(self, numbers, fragment: bool = False, drawing: str | None = None):
        super().__init__(numbers, fragment, drawing)
        self.writer = LatexWriter(numbers)

    def begin(self, document: Document) -> None:
        if not self.fragment:
            self.lines += [PREAMBLE, r"\begin{document}", rf"\section*{{{text(document.title)}}}"]
            self.lines.append(r"\begin{description}")
            for label, value in document.facts:
                self.lines.append(rf"\item[{text(label)}] {self.writer.remark(value)}")
            self.lines.append(r"\end{description}")
        if self.drawing:
            self.lines += [r"\begin{center}", self.drawing, r"\end{center}"]

    def end(self, document: Document) -> None:
        if not self.fragment:
            self.lines.append(r"\end{document}")

    def heading(self, section: Section, depth: int) -> None:
        title = self.writer.remark(section.title)
        if section.number is not None:
            title = rf"Step {section.number} $\cdot$ {title}"
        self.lines.append(rf"{HEADINGS[min(depth, 2)]}{{{title}}}")

    def _formulas(self, block: Formulas) -> None:
        self.lines += [r"\begin{verbatim}", *(code_line(equation) for equation in block.equations), r"\end{verbatim}"]
        body = r" \\ ".join(self._aligned_formula(equation) for equation in block.equations)
        self.lines.append(rf"\[\begin{{aligned}}{body}\end{{aligned}}\]")

    def _aligned_formula(self, equation: Equation) -> str:
        writer = self.writer
        return f"{writer.symbols(equation.lhs)} &{writer.relation(equation.relation).lstrip()}{writer.symbols(equation.expr)}"

    def _numbers(self, block: Numbers) -> None:
        self.lines.append(rf"\[{aligned_numbers(block.equation, self.writer)}\]")

    def _givens(self, block: Givens) -> None:
        writer = self.writer
        shown = [f"${writer.symbols(eq.lhs)} = {writer.values(eq.result)}$" for eq in block.equations]
        self.lines.append(r"\noindent" + r"\quad ".join(shown) + r"\par")

    def _lines(self, block: Lines) -> None:
        if not block.under:
            for line in block.lines:
                self.lines.append(rf"\[{self.writer.element_line(line)}\]")
            return
        items = [rf"\item $\displaystyle {self.writer.element_line(line)}$" for line in block.lines]
        if block.more:
            items.append(rf"\item \dots{{}} and {block.more} more elements, each computed the same way")
        self.lines += [r"{\small\begin{itemize}", *items, r"\end{itemize}}"]

    def _note(self, block: Note) -> None:
        self.lines.append(rf"\par\noindent\textit{{({self.writer.remark(block.remark)})}}\par")

    def _paragraph(self, block: Paragraph) -> None:
        self.lines.append(rf"\par\noindent {self.writer.remark(block.remark)}\par")

    def _display(self, block: Display) -> None:
        self.lines.append(rf"\[{self.writer.formula(block.equation)}\]")

    def _table(self, block: Table) -> None:
        writer, shown = self.writer, elided(len(block.columns), SHOWN_SAMPLES)
        self.lines.append(rf"\begin{{center}}\begin{{tabular}}{{l{'r' * len(shown)}}}")
        heads = " & ".join(r"\dots" if s is None else f"${text(block.columns[s])}$" for s in shown)
        self.lines.append(f"{text(block.corner)} & {heads}" + r" \\ \hline")
        for row in block.rows:
            cells = " & ".join(r"\dots" if s is None else f"${writer.number(writer.written(row.values[s]))}$"
                               for s in shown)  # fmt: skip
            head = writer.remark(row.head)
            if row.strong:
                self.lines.append(rf"\hline {head} & {cells} \\")
            else:
                note = rf"\multicolumn{{{len(shown) + 1}}}{{l}}{{\quad\textit{{{text(row.note)}}}}} \\" if row.note else ""
                self.lines.append(rf"{head} & {cells} \\ {note}".rstrip())
        self.lines.append(r"\end{tabular}\end{center}")

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


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
