"""A worked solution as Markdown whose maths renders on GitHub, in Jupyter, Quarto and Obsidian.

Display maths is a $$ block holding an `aligned` environment (never align*, which those
renderers refuse inside $$), each $$ on a line of its own; inline maths is $...$; the code form
is a fenced Python block; each step has its own heading. The maths is the LaTeX writer's. The
network drawing follows the head as an inline <svg> (one CommonMark HTML block: it starts with
its complete opening tag on a line of its own and holds no blank line), shown wherever raw HTML
passes through (pandoc to HTML, markdown-it with html on); GitHub strips it, as it strips
data: images, so a README links a file `nntrace draw -o` wrote instead.
"""

from __future__ import annotations

from nntrace.common.elision import elided
from nntrace.documents.latex import aligned_line, aligned_numbers
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
from nntrace.notation.nodes import Remark
from nntrace.writers.code import code_line
from nntrace.writers.latex import LatexWriter

_SPECIAL = str.maketrans({character: f"\\{character}" for character in "\\`*_{}[]<>#|"})


def escaped(words: str) -> str:
    """Prose with Markdown's markup characters escaped."""
    return words.translate(_SPECIAL)


class MarkdownWriter(LatexWriter):
    """LaTeX maths, with prose escaped for Markdown rather than for LaTeX's text mode."""

    def prose(self, words: str) -> str:
        return escaped(words)


class MarkdownTemplate(Template):
    def __init__(self, numbers, fragment: bool = False, drawing: str | None = None, heading_level: int = 1):
        super().__init__(numbers, fragment, drawing)
        self.writer = LatexWriter(numbers)  # the maths, as the LaTeX document writes it (and finds it written)
        self.prose = MarkdownWriter(numbers)  # the prose, with the maths inline
        self.level = heading_level

    def _heading(self, depth: int, words: str) -> None:
        self.lines += [f"{'#' * (self.level + depth)} {words}", ""]

    def _math_block(self, body: str) -> None:
        self.lines += ["$$", body, "$$", ""]

    def remark(self, remark: Remark) -> str:
        return self.prose.remark(remark)

    def begin(self, document: Document) -> None:
        if self.fragment:
            return
        self._heading(0, escaped(document.title))
        self.lines += [f"- **{label}**: {self.remark(value)}" for label, value in document.facts] + [""]
        if self.drawing:
            self.lines += [self.drawing.rstrip("\n"), ""]

    def heading(self, section: Section, depth: int) -> None:
        title = self.remark(section.title)
        self._heading(depth, f"Step {section.number} · {title}" if section.number is not None else title)

    def _formulas(self, block: Formulas) -> None:
        self.lines += ["```python", *(code_line(equation) for equation in block.equations), "```", ""]
        writer = self.writer
        rows = [f"{writer.symbols(eq.lhs)} &{writer.relation(eq.relation).lstrip()}{writer.symbols(eq.expr)}"
                for eq in block.equations]  # fmt: skip
        self._math_block(r"\begin{aligned}" + r" \\ ".join(rows) + r"\end{aligned}")

    def _numbers(self, block: Numbers) -> None:
        self._math_block(aligned_numbers(block.equation, self.writer))

    def _givens(self, block: Givens) -> None:
        writer = self.writer
        rows = [f"{writer.symbols(eq.lhs)} &= {writer.values(eq.result)}" for eq in block.equations]
        self._math_block(r"\begin{aligned}" + r" \\ ".join(rows) + r"\end{aligned}")

    def _lines(self, block: Lines) -> None:
        if not block.under:
            for line in block.lines:
                self._math_block(aligned_line(line, self.writer))
            return
        self.lines += [f"- ${self.writer.element_line(line)}$" for line in block.lines]
        if block.more:
            self.lines.append(f"- … and {block.more} more elements, each computed the same way")
        self.lines.append("")

    def _note(self, block: Note) -> None:
        self.lines += [f"*({self.remark(block.remark)})*", ""]

    def _paragraph(self, block: Paragraph) -> None:
        self.lines += [self.remark(block.remark), ""]

    def _display(self, block: Display) -> None:
        self._math_block(r"\begin{aligned}" + self._aligned(block.equation) + r"\end{aligned}")

    def _aligned(self, equation) -> str:
        writer = self.writer
        return f"{writer.symbols(equation.lhs)} &{writer.relation(equation.relation).lstrip()}{writer.symbols(equation.expr)}"

    def _table(self, block: Table) -> None:
        writer, shown = self.writer, elided(len(block.columns), SHOWN_SAMPLES)
        self.lines.append(f"| {block.corner} | " + " | ".join("…" if s is None else block.columns[s] for s in shown) + " |")
        self.lines.append("| --- |" + " ---: |" * len(shown))
        for row in block.rows:
            head = self.remark(row.head) + (f" ({escaped(row.note)})" if row.note else "")
            if row.strong:
                head = f"**{head}**"
            cells = " | ".join("…" if s is None else f"${writer.number(writer.written(row.values[s]))}$" for s in shown)
            self.lines.append(f"| {head} | {cells} |")
        self.lines.append("")

    def text(self) -> str:
        return "\n".join(self.lines).rstrip() + "\n"

