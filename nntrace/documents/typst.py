"""A worked solution as a Typst document, which `typst compile` (or the `typst` package from PyPI)
turns into a tagged PDF/UA-1 without TeX.

The same steps, fitted the same way as the LaTeX document (the layout is LatexTemplate's: Typst's
New Computer Modern sets maths as wide as Computer Modern), written with the Typst writer:
matrices as mat(delim: "[", ...), each equation a math.equation carrying its text alternative,
which the speech writer writes from the notation ("H in equals X times W h plus b h"), so a
screen reader reads every formula and the PDF/UA-1 check passes. The document has a title and a
language, and the drawing its alt text.
"""

from __future__ import annotations

from nntrace.common.elision import elided
from nntrace.documents.latex import LatexTemplate
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
from nntrace.notation.nodes import Equation, Remark, numeric_parts
from nntrace.writers.code import code_line, wrapped
from nntrace.writers.speech import SpeechWriter
from nntrace.writers.typst import TypstWriter, quoted
from nntrace.writers.unicode import UnicodeWriter

# ";" too: after an embedded call (#math.equation(...)) Typst reads it as the call's end and drops it.
_MARKUP = str.maketrans({character: f"\\{character}" for character in "\\*_#$@<>`[]~=-+/;"})


def markup(words: str) -> str:
    """Prose escaped for Typst's markup."""
    return words.translate(_MARKUP)


def equation(math: str, alt: str, block: bool = True) -> str:
    """Typst maths with its text alternative (PDF/UA-1 refuses an equation without one)."""
    return f"#math.equation(block: {'true' if block else 'false'}, alt: {quoted(alt)}, ${' ' if block else ''}{math}{' ' if block else ''}$)"


class TypstTemplate(LatexTemplate):
    writer_class = TypstWriter
    continued = "quad "
    gap = " wide "

    def __init__(self, numbers, fragment: bool = False, drawing: str | None = None, layout=None):
        from nntrace.documents.pages import Layout

        super().__init__(numbers, fragment, drawing, layout or Layout())
        self.speech = SpeechWriter(numbers)
        self.plain = UnicodeWriter(numbers)

    def begin(self, document: Document) -> None:
        page = self.layout.page
        margin = "1in" if page.name == "letter" else "25mm"
        self.lines += [
            f"#set document(title: {quoted(document.title)})",
            f"#set page(paper: {page.typst}, margin: {margin}, numbering: \"1\")",
            '#set text(size: 11pt, lang: "en")',
            "#show math.equation: set block(breakable: true)",
            "#set math.mat(column-gap: 1em)",
            f"= {markup(document.title)}",
            "",
        ]
        for label, value in document.facts:
            self.lines.append(f"/ {markup(label)}: {self.remark(value)}")
        self.lines.append("")
        if self.drawing:
            alt = f"The network of {document.title}: its layers of neurons and the weights between them."
            self.lines += [f"#align(center, image(bytes({quoted(self.drawing)}), format: \"svg\", width: 100%, alt: {quoted(alt)}))", ""]

    def end(self, document: Document) -> None:
        pass

    def heading(self, section: Section, depth: int) -> None:
        if not self.layout.headings:
            return
        title = self.remark(section.title)
        if section.number is not None:
            title = f"Step {section.number} · {title}"
        self.lines += ["", f"{'=' * (depth + 1)} {title}", ""]

    def remark(self, remark: Remark) -> str:
        """Prose and inline maths, each formula with its text alternative."""
        parts = []
        for part in remark.parts:
            if isinstance(part, str):
                parts.append(markup(part))
            elif isinstance(part, Equation):
                parts.append(equation(self.writer.formula(part), self.speech.formula(part), block=False))
            else:
                parts.append(equation(self.writer.symbols(part), self.speech.symbols(part), block=False))
        return "".join(parts)

    # -- blocks -------------------------------------------------------------------------------------

    def _formulas(self, block: Formulas) -> None:
        """The code form and the formulas, in a block that sticks to what follows: a formula is not
        left at the foot of a page with its numbers on the next."""
        self.lines.append("#block(sticky: true)[")
        if self.layout.code:
            limit = int(self.width / 0.55)
            code = [line for eq in block.equations for line in wrapped(code_line(eq), limit)]
            self.lines += ["```python", *code, "```"]
        for formula in block.equations:
            self.lines.append(equation(rows(self.formula_rows(formula)), self.speech.formula(formula)))
        self.lines.append("]")

    def _numbers(self, block: Numbers) -> None:
        eq = block.equation
        numbers = " equals ".join(self.speech.values(part) for part in numeric_parts(eq))
        alt = f"{self.speech.formula(eq)}, with the numbers: {self.speech.symbols(eq.lhs)} equals {numbers}"
        self.lines.append(equation(rows([row for row, _ in self.numbers_rows(eq)]), alt))

    def scaled_down(self, math: str, room: float) -> str:
        return math  # Typst has no box to scale maths in; the narrowest matrices are used

    def _givens(self, block: Givens) -> None:
        alt = "; ".join(f"{self.speech.symbols(eq.lhs)} equals {self.speech.values(eq.result)}" for eq in block.equations)
        self.lines.append(equation(rows([line for line, _ in self.givens_lines(block)]), alt))

    def _lines(self, block: Lines) -> None:
        for line in block.lines:
            alt = self.speech.element_line(line)
            if block.under:
                item = self.item_rows(line)
                if len(item) == 1:
                    self.lines.append(f"- {equation(item[0], alt, block=False)}")
                else:  # rows of its own, aligned at their = signs, from the item's left edge
                    self.lines.append(f"- #[#set align(start); {equation(rows(item), alt)}]")
            else:
                self.lines.append(equation(rows(self.line_rows(line, self.width)), alt))
        if block.more:
            self.lines.append(f"- … and {block.more} more elements, each computed the same way")
        self.lines.append("")

    def item_room(self) -> float:
        return self.width - 2.0  # a list's indent; its items are in the body's size

    def _note(self, block: Note) -> None:
        self.lines += ["", f"_({self.remark(block.remark)})_", ""]

    def _paragraph(self, block: Paragraph) -> None:
        self.lines += ["", self.remark(block.remark), ""]

    def _display(self, block: Display) -> None:
        self.lines.append(equation(rows(self.formula_rows(block.equation)), self.speech.formula(block.equation)))

    def _table(self, block: Table) -> None:
        shown = elided(len(block.columns), SHOWN_SAMPLES)
        cells = [f"[{markup(block.corner)}]"] + ["[…]" if s is None else f"[{markup(block.columns[s])}]" for s in shown]
        for row in block.rows:
            head = self.remark(row.head) + (f" \\ _{markup(row.note)}_" if row.note else "")
            cells.append(f"[{'*' + head + '*' if row.strong else head}]")
            cells += ["[…]" if s is None else f"[{self.plain.number(self.plain.written(row.values[s]))}]" for s in shown]
        align = "(left," + " right," * len(shown) + ")"
        self.lines.append(f"#table(columns: {len(shown) + 1}, align: {align}, stroke: none, {', '.join(cells)})")

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def rows(lines: list[str]) -> str:
    return " \\\n".join(lines)
