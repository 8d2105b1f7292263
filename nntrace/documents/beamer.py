"""A worked solution as beamer slides: a frame per step, a long step split over frames.

The LaTeX template fits each line to the slide's width (its matrices narrowed to fewer columns,
long lines broken at their operators); this one fits each frame to the slide's height: a step's
blocks are measured (LatexHeight) and packed into frames in order, a block taller than a frame
split between its rows. Within a frame, overlays reveal the formula, then the numbers, then the
element lines, as a lecturer works the step on a board.
"""

from __future__ import annotations

from nntrace.common.records import NamedTuple
from nntrace.documents.latex import MACROS, SMALL, LatexTemplate, align
from nntrace.documents.structure import (
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
from nntrace.writers.code import code_line
from nntrace.writers.latex import text

PREAMBLE = r"""\documentclass[11pt,%s]{beamer}
\usepackage{amsmath}
\usepackage{graphicx}
\usepackage{tikz}
\setbeamertemplate{navigation symbols}{}
\setbeamertemplate{footline}[frame number]
\setbeamerfont{frametitle}{size=\normalsize}
"""
FACTS = 9  # the head's facts on a frame (a fact takes a line or two of \small)
TITLE = 3.2  # what a frame's title and foot take of the text height, in ems
DISPLAY = 1.4  # the space around a display
ROW = 1.45  # a row of an element line, in \small, with the space between rows
HEIGHT_SAFETY = 1.08  # heights are estimated, and a frame is filled to 1/1.08 of its height


class Part(NamedTuple):
    """Something a frame shows: its LaTeX, how tall it is, and what it is (for the overlays)."""

    latex: str
    height: float
    kind: str  # "formula", "numbers", "lines", "note"


class BeamerTemplate(LatexTemplate):
    """Slides: each step's parts packed into frames of the slide's height."""

    heights = True

    def __init__(self, numbers, fragment: bool = False, drawing: str | None = None, layout=None):
        from nntrace.documents.pages import PAGES, Layout

        layout = layout or Layout(PAGES["wide-slide"])
        if not layout.page.slide:
            layout = layout._replace(page=PAGES["wide-slide"])
        super().__init__(numbers, fragment, drawing, layout)
        self.width = layout.page.width / 1.08
        self.parts: list[Part] | None = None  # collecting a step's parts

    def begin(self, document: Document) -> None:
        if self.fragment:  # frames to \input into a presentation of one's own
            return
        self.lines += [PREAMBLE % self.layout.page.geometry + MACROS]
        self.lines += [rf"\title{{{text(document.title)}}}", r"\date{}", r"\begin{document}"]
        self.lines.append(r"\begin{frame}\titlepage\end{frame}")
        facts = [rf"\item[{text(label)}] {self.writer.remark(value)}" for label, value in document.facts]
        for start in range(0, len(facts), FACTS):
            title = "The network" + (" (continued)" if start else "")
            self.lines += [rf"\begin{{frame}}[t]{{{title}}}\small\begin{{description}}\raggedright",
                           *facts[start:start + FACTS], r"\end{description}\end{frame}"]  # fmt: skip
        if self.drawing:
            self.lines += [r"\begin{frame}{The network}\centering", rf"\nntracefit{{{self.drawing}}}", r"\end{frame}"]

    def end(self, document: Document) -> None:
        if not self.fragment:
            self.lines.append(r"\end{document}")

    def section(self, section: Section, depth: int) -> None:
        if section.number is None:  # a pass (or an explanation): its steps are frames
            title = self.writer.remark(section.title)
            if self.layout.headings:
                self.lines.append(rf"\section{{{title}}}")
            if section.blocks:
                self.frames(title, self.collected(section.blocks))
            for sub in section.sections:
                self.section(sub, depth + 1)
            if section.after:
                self.frames(title, self.collected(section.after))
            return
        title = rf"Step {section.number} $\cdot$ {self.writer.remark(section.title)}"
        self.frames(title, self.collected(section.blocks))

    def collected(self, blocks) -> list[Part]:
        self.parts = []
        try:
            for block in blocks:
                self.block(block)
            return self.parts
        finally:
            self.parts = None

    def room(self) -> float:
        """The height a frame's parts may fill, in ems."""
        return (self.layout.page.height - TITLE) / HEIGHT_SAFETY

    def frames(self, title: str, parts: list[Part]) -> None:
        """The parts packed into frames of the slide's height, in order; the formula, the numbers
        and the element lines revealed one after another."""
        room = self.room()
        frames, frame, used = [], [], 0.0
        for part in parts:
            if frame and used + part.height > room:
                frames.append(frame)
                frame, used = [], 0.0
            frame.append(part)
            used += part.height
        if frame:
            frames.append(frame)
        for number, frame in enumerate(frames):
            heading = title if number == 0 else title + " (continued)"
            body, kind = [], frame[0].kind
            for part in frame:
                if part.kind != kind:
                    body.append(r"\pause")
                    kind = part.kind
                body.append(part.latex)
            # \relax: a body starting with a {group} would be taken by beamer for the frame's subtitle
            self.lines += [rf"\begin{{frame}}[t]{{{heading}}}\relax", *body, r"\end{frame}"]

    # -- blocks, as parts ----------------------------------------------------------------------------

    def add(self, latex: str, height: float, kind: str) -> None:
        self.parts.append(Part(latex, height, kind))

    def _formulas(self, block: Formulas) -> None:
        if self.layout.code:
            code = r"\\ ".join(text(code_line(equation)) for equation in block.equations)
            self.add(rf"{{\footnotesize\ttfamily {code}\par}}", 1.1 * len(block.equations) + 0.5, "formula")
        self.add(self.formulas_display(block), DISPLAY + 2.0 * len(block.equations), "formula")

    def _numbers(self, block: Numbers) -> None:
        """An equation with its numbers: as many of its sides on a frame as fit (a side broken
        over rows kept whole where it fits a frame); the rest go on."""
        room = self.room() - DISPLAY
        chunk, used = [], 0.0
        for side in self.numbers_sides(block.equation):
            height = sum(row_height + 0.3 for _, row_height in side)
            rows = [side] if height <= room else [[row] for row in side]  # a side taller than a frame: by rows
            for group in rows:
                group_height = sum(row_height + 0.3 for _, row_height in group)
                if chunk and used + group_height > room:
                    self.add(align(chunk), used + DISPLAY, "numbers")
                    chunk, used = [], 0.0
                chunk += [row for row, _ in group]
                used += group_height
        if chunk:
            self.add(align(chunk), used + DISPLAY, "numbers")

    def _givens(self, block: Givens) -> None:
        for line, height in self.givens_lines(block):
            self.add(rf"\[{line}\]", height + DISPLAY, "numbers")

    def _lines(self, block: Lines) -> None:
        """A slide shows the first few element lines (the page's max_lines), as many to a frame
        as fit; the rest are counted."""
        if not block.under:
            for line in block.lines:
                rows = self.line_rows(line, self.width)
                self.add(align(rows), ROW * len(rows) + DISPLAY, "lines")
            return
        shown, more, limit = block.lines, block.more, self.layout.page.max_lines
        if limit and len(shown) > limit:
            shown, more = shown[:limit], more + len(shown) - limit
        room = self.room() - 1.0
        items, used = [], 0.0
        for line in shown:
            # Each row, the first as tall as its tallest part (a fraction: ∂L/∂W, m / (1 − β^t)).
            first = max(ROW, SMALL * self.height.element_line(line))
            height = first + ROW * (len(self.item_rows(line)) - 1) + 0.6
            if items and used + height > room:
                self.add(itemized(items), used + 1.0, "lines")
                items, used = [], 0.0
            items.append(self.item(line))
            used += height
        if more:
            items.append(rf"\item \dots{{}} and {more} more elements, each computed the same way")
            used += ROW
        if items:
            self.add(itemized(items), used + 1.0, "lines")

    def _note(self, block: Note) -> None:
        self.add(rf"\par{{\small\textit{{({self.writer.remark(block.remark)})}}}}\par", self.line_height(block.remark), "note")

    def _paragraph(self, block: Paragraph) -> None:
        self.add(rf"\par {self.writer.remark(block.remark)}\par", self.line_height(block.remark), "note")

    def line_height(self, remark) -> float:
        """A line of prose and inline maths: as tall as its tallest formula (a fraction in a note),
        with the space around a paragraph; a long one may take two lines."""
        lines = 2 if self.measure.remark(remark) > self.width else 1
        return max(ROW, self.height.remark(remark)) * lines + 0.7

    def _display(self, block: Display) -> None:
        self.add(self.display_latex(block), self.height.formula(block.equation) + DISPLAY, "formula")

    def _table(self, block: Table) -> None:
        height = 1.3 * (len(block.rows) + 1) + 1.3 * sum(1 for row in block.rows if row.note) + DISPLAY
        self.add("{\\small " + "\n".join(self.table_latex(block)) + "}", height, "numbers")




def itemized(items: list[str]) -> str:
    return "{\\small\\begin{itemize}\n" + "\n".join(items) + "\n\\end{itemize}}"
