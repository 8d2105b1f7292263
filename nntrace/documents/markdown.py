"""A worked solution as Markdown whose maths renders on GitHub, in Jupyter, Quarto and Obsidian.

Display maths is a $$ block holding an `aligned` environment (never align*, which those
renderers refuse inside $$), each $$ on a line of its own; inline maths is $...$; the code form
is a fenced Python block; each step has its own heading.
"""

from __future__ import annotations

from nntrace.documents.latex import aligned_numbers
from nntrace.documents.structure import Writer
from nntrace.notation.nodes import Equation, Expansions, Remark
from nntrace.writers.latex import OPERATORS, LatexMath
from nntrace.writers.unicode import format_scalar

_SPECIAL = str.maketrans({character: f"\\{character}" for character in "\\`*_{}[]<>#|"})


def escaped(words: str) -> str:
    """Prose with Markdown's markup characters escaped."""
    return words.translate(_SPECIAL)


class MarkdownWriter(Writer):
    def __init__(self, precision: int, heading_level: int = 1):
        self.symbols, self.numbers_of = LatexMath(), LatexMath(precision)
        self.precision = precision
        self.level = heading_level
        self.lines: list[str] = []

    def _heading(self, depth: int, words: str) -> None:
        self.lines += [f"{'#' * (self.level + depth)} {words}", ""]

    def _display(self, body: str) -> None:
        self.lines += ["$$", body, "$$", ""]

    def _remark(self, remark: Remark) -> str:
        return self.symbols.remark(remark, words=escaped)

    def begin(self, facts) -> None:
        self._heading(0, escaped(facts.title))
        self.lines += [f"- **{label}**: {self._remark(value)}" for label, value in facts.rows] + [""]

    def section(self, title: str) -> None:
        self._heading(1, title)

    def step_heading(self, number: int, title: str) -> None:
        self._heading(2, f"Step {number} · {escaped(title)}")

    def code(self, lines: list[str]) -> None:
        self.lines += ["```python", *lines, "```", ""]

    def formulas(self, equations: list[Equation]) -> None:
        math = self.symbols.math
        rows = [f"{math(eq.lhs)} &{OPERATORS[eq.relation]} {math(eq.expr)}" for eq in equations]
        self._display(r"\begin{aligned}" + r" \\ ".join(rows) + r"\end{aligned}")

    def numbers(self, equation: Equation) -> None:
        self._display(aligned_numbers(equation, self.symbols, self.numbers_of))

    def givens(self, equations: list[Equation]) -> None:
        rows = [f"{self.symbols.math(eq.lhs)} &= {self.numbers_of.math(eq.result)}" for eq in equations]
        self._display(r"\begin{aligned}" + r" \\ ".join(rows) + r"\end{aligned}")

    def expansions(self, group: Expansions) -> None:
        for e in group.shown:
            target, arithmetic = self.symbols.math(e.target), self.numbers_of.math(e.arithmetic)
            self.lines.append(f"- ${target} = {arithmetic} = {format_scalar(e.result, self.precision)}$")
        if group.more:
            self.lines.append(f"- … and {group.more} more elements, each computed the same way")
        self.lines.append("")

    def note(self, remark: Remark) -> None:
        self.lines += [f"*({self._remark(remark)})*", ""]

    def paragraph(self, remark: Remark) -> None:
        self.lines += [self._remark(remark), ""]

    def explanation(self, ex) -> None:
        symbols, numbers = self.symbols, self.numbers_of
        number = self._number
        self._heading(1, f"${symbols.math(ex.derivative)}$ by the chain rule, epoch {ex.epoch}")
        self.lines += [f"${symbols.math(ex.parameter.label)} = {number(ex.value)}$", ""]
        self._display(rf"\begin{{aligned}}{symbols.math(ex.derivative)} &= {symbols.math(ex.chain)}\end{{aligned}}")
        samples = len(ex.products)
        self.lines.append("| factor | " + " | ".join(f"s={s + 1}" for s in range(samples)) + " |")
        self.lines.append("| --- |" + " ---: |" * samples)
        for factor in ex.factors:
            formula = f"${symbols.math(factor.symbol)} = {symbols.math(factor.formula)}$ ({escaped(factor.meaning)})"
            self.lines.append(f"| {formula} | " + " | ".join(number(v) for v in factor.values) + " |")
        self.lines += ["| **product** | " + " | ".join(number(v) for v in ex.products) + " |", ""]
        if ex.paths:
            self.lines.append("The paths through the next layer, sample by sample:")
            self.lines += [
                f"- $s={p.sample}$: ${symbols.math(p.lhs)} = {numbers.math(p.arithmetic)} = {number(p.total)}$"
                for p in ex.paths
            ] + [""]
        if samples > 1:
            self._display(
                rf"\begin{{aligned}}{symbols.math(ex.derivative)} &= {numbers.math(ex.sum_over_samples)} "
                rf"= {number(ex.gradient)}\end{{aligned}}"
            )
        if not ex.fixed:
            for line in ex.updates:
                lhs = rf"\text{{new }} {symbols.math(line.lhs)}" if line.new else symbols.math(line.lhs)
                arithmetic = rf"{numbers.math(line.expr)} = " if line.worked else ""
                self._display(
                    rf"\begin{{aligned}}{lhs} &{OPERATORS[line.relation]} {symbols.math(line.expr)} \\ "
                    rf"&= {arithmetic}{number(line.result)}\end{{aligned}}"
                )

    def _number(self, value: float) -> str:
        return format_scalar(value, self.precision)

    def text(self) -> str:
        return "\n".join(self.lines).rstrip() + "\n"
