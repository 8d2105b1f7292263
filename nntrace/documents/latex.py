"""A worked solution as a LaTeX document (amsmath; tikz for the drawing), or a fragment to paste.

Each step is a numbered subsection: the code form, the formulas, then each equation with its
numbers broken at "=" in an aligned display, then its elements' arithmetic as a list of
inline formulas (which break across lines where they must).
"""

from __future__ import annotations

from nntrace.documents.structure import Writer
from nntrace.notation.nodes import Equation, Expansions, Remark, numeric_parts
from nntrace.writers.latex import OPERATORS, LatexMath, text
from nntrace.writers.unicode import format_scalar

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


class LatexWriter(Writer):
    def __init__(self, precision: int, fragment: bool = False, drawing: str | None = None):
        self.symbols, self.numbers_of = LatexMath(), LatexMath(precision)
        self.precision = precision
        self.fragment = fragment
        self.drawing = drawing
        self.lines: list[str] = []

    def begin(self, facts) -> None:
        if not self.fragment:
            self.lines += [PREAMBLE, r"\begin{document}", rf"\section*{{{text(facts.title)}}}"]
            self.lines.append(r"\begin{description}")
            for label, value in facts.rows:
                self.lines.append(rf"\item[{text(label)}] {self.symbols.remark(value)}")
            self.lines.append(r"\end{description}")
        if self.drawing:
            self.lines += [r"\begin{center}", self.drawing, r"\end{center}"]

    def end(self) -> None:
        if not self.fragment:
            self.lines.append(r"\end{document}")

    def section(self, title: str) -> None:
        self.lines.append(rf"\subsection*{{{text(title)}}}")

    def step_heading(self, number: int, title: str) -> None:
        self.lines.append(rf"\subsubsection*{{Step {number} $\cdot$ {text(title)}}}")

    def code(self, lines: list[str]) -> None:
        self.lines += [r"\begin{verbatim}", *lines, r"\end{verbatim}"]

    def formulas(self, equations: list[Equation]) -> None:
        body = r" \\ ".join(self._aligned_formula(equation) for equation in equations)
        self.lines.append(rf"\[\begin{{aligned}}{body}\end{{aligned}}\]")

    def _aligned_formula(self, equation: Equation) -> str:
        math = self.symbols.math
        return f"{math(equation.lhs)} &{OPERATORS[equation.relation]} {math(equation.expr)}"

    def numbers(self, equation: Equation) -> None:
        self.lines.append(rf"\[{aligned_numbers(equation, self.symbols, self.numbers_of)}\]")

    def givens(self, equations: list[Equation]) -> None:
        shown = [f"${self.symbols.math(eq.lhs)} = {self.numbers_of.math(eq.result)}$" for eq in equations]
        self.lines.append(r"\noindent" + r"\quad ".join(shown) + r"\par")

    def expansions(self, group: Expansions) -> None:
        items = [
            rf"\item $\displaystyle {self.symbols.math(e.target)} = {self.numbers_of.math(e.arithmetic)} = "
            rf"{format_scalar(e.result, self.precision)}$"
            for e in group.shown
        ]
        if group.more:
            items.append(rf"\item \dots{{}} and {group.more} more elements, each computed the same way")
        self.lines += [r"{\small\begin{itemize}", *items, r"\end{itemize}}"]

    def note(self, remark: Remark) -> None:
        self.lines.append(rf"\par\noindent\textit{{({self.symbols.remark(remark)})}}\par")

    def paragraph(self, remark: Remark) -> None:
        self.lines.append(rf"\par\noindent {self.symbols.remark(remark)}\par")

    def explanation(self, ex) -> None:
        symbols, numbers, number = self.symbols, self.numbers_of, self._number
        self.lines.append(rf"\subsection*{{${symbols.math(ex.derivative)}$ by the chain rule, epoch {ex.epoch}}}")
        self.lines.append(rf"\noindent ${symbols.math(ex.parameter.label)} = {number(ex.value)}$\par")
        self.lines.append(rf"\[{symbols.math(ex.derivative)} = {symbols.math(ex.chain)}\]")
        columns = len(ex.products)
        self.lines.append(rf"\begin{{center}}\begin{{tabular}}{{l{'r' * columns}}}")
        self.lines.append("factor & " + " & ".join(f"$s={s + 1}$" for s in range(columns)) + r" \\ \hline")
        for factor in ex.factors:
            cells = " & ".join(f"${number(v)}$" for v in factor.values)
            formula = f"${symbols.math(factor.symbol)} = {symbols.math(factor.formula)}$"
            self.lines.append(
                rf"{formula} & {cells} \\ "
                rf"\multicolumn{{{columns + 1}}}{{l}}{{\quad\textit{{{text(factor.meaning)}}}}} \\"
            )
        self.lines.append(r"\hline product & " + " & ".join(f"${number(v)}$" for v in ex.products) + r" \\")
        self.lines.append(r"\end{tabular}\end{center}")
        if ex.paths:
            self.lines.append(r"\noindent the paths through the next layer, sample by sample:")
            items = [
                rf"\item $s={p.sample}$: ${symbols.math(p.lhs)} = {numbers.math(p.arithmetic)} = {number(p.total)}$"
                for p in ex.paths
            ]
            self.lines += [r"\begin{itemize}", *items, r"\end{itemize}"]
        if columns > 1:
            self.lines.append(
                rf"\[{symbols.math(ex.derivative)} = {numbers.math(ex.sum_over_samples)} = {number(ex.gradient)}"
                r"\quad\text{(summed over the samples)}\]"
            )
        if ex.fixed:
            self.lines.append(rf"\noindent ${symbols.math(ex.parameter.label)}$ is kept fixed (train\_biases: false).")
        else:
            for line in ex.updates:
                lhs = rf"\text{{new }} {symbols.math(line.lhs)}" if line.new else symbols.math(line.lhs)
                arithmetic = rf"{numbers.math(line.expr)} = " if line.worked else ""
                self.lines.append(
                    rf"\[{lhs} {OPERATORS[line.relation]} {symbols.math(line.expr)} = "
                    rf"{arithmetic}{number(line.result)}\]"
                )

    def _number(self, value: float) -> str:
        return format_scalar(value, self.precision)

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def aligned_numbers(equation: Equation, symbols: LatexMath, numbers: LatexMath) -> str:
    """lhs relation side & = side & = result, one side a line: long equations break at '='."""
    sides = [numbers.math(part) for part in numeric_parts(equation)]
    lines = [f"{symbols.math(equation.lhs)} &{OPERATORS[equation.relation]} {sides[0]}"] + [
        f"&= {side}" for side in sides[1:]
    ]
    return r"\begin{aligned}" + r" \\ ".join(lines) + r"\end{aligned}"
