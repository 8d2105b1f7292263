"""A check's report to hand back, as one document structure written as LaTeX, Markdown or HTML.

The report (checking/report.py) is traversed once, here, into a Document of the export's kind:
its facts (the rule, what float64 cannot carry, the verdict), a section of errata (every wrong
number: where, its label, the number printed, the right value and the likely cause) and a section
per source with every claimed quantity in place, each number marked ✓ or ✗ and a wrong one's right
value beside it. Labels, numbers and causes are notation (expression nodes, a number's digits as
printed, remarks), so each medium typesets them with its own writer: LaTeX as maths, HTML as
MathML, Markdown in Unicode, which reads as plain text in a terminal, an email or an issue.
"""

from __future__ import annotations

from html import escape

from nntrace.checking.check import CheckReport
from nntrace.checking.report import Mark, annotated, cause_remark, summary_remark, where
from nntrace.common.records import NamedTuple
from nntrace.documents.html import HtmlTemplate
from nntrace.documents.latex import MACROS, PREAMBLE, LatexTemplate
from nntrace.documents.markdown import MarkdownTemplate
from nntrace.documents.structure import Document, Paragraph, Section
from nntrace.notation.nodes import Digits, Remark
from nntrace.notation.numbers import NumberFormat
from nntrace.writers.latex import LatexWriter, text
from nntrace.writers.unicode import UnicodeWriter, join

ERRATA = "Errata"
IN_PLACE = "The claimed numbers in place"
NO_SOURCE = "(no source given)"
LEGEND = Remark(("Each number as it was printed: ✓ right, ✗ wrong with the right value in brackets.",))


# -- blocks ----------------------------------------------------------------------------------------


class Wrong(NamedTuple):
    """One wrong number of the errata: where, its label, as printed, the right value, the cause."""

    where: str
    label: object  # an Expr
    printed: Digits
    correct: Digits
    cause: Remark


class Errata(NamedTuple):
    """Every wrong number, in the order of computation."""

    wrong: tuple[Wrong, ...]


class Claimed(NamedTuple):
    """One claimed quantity in place: its label, shape and every claimed cell's mark by row
    (None where a cell is not claimed), only the rows and columns that hold a claim, with their
    numbers as printed (from 1); one claimed number alone is a line, not a matrix."""

    symbol: object  # an Expr
    shape: tuple[int, ...]
    rows: tuple[tuple[Mark | None, ...], ...]
    right: int
    claimed: int
    row_numbers: tuple[int, ...] = ()
    column_numbers: tuple[int, ...] = ()

    @property
    def whole(self) -> bool:
        """Whether every row and column of the quantity is shown (it reads as its matrix)."""
        rows, columns = (1, self.shape[0]) if len(self.shape) == 1 else self.shape
        return len(self.row_numbers) == rows and len(self.column_numbers) == columns

    @property
    def single(self) -> Mark | None:
        marks = [mark for row in self.rows for mark in row if mark is not None]
        return marks[0] if self.claimed == 1 or (len(self.rows) == 1 and len(self.rows[0]) == 1) else None


# -- the structure ---------------------------------------------------------------------------------


def report_document(report: CheckReport, title: str) -> Document:
    """The report as a Document: its facts, the errata, then every claimed number in place."""
    data = annotated(report, title)
    facts = [("Rule", Remark((data.rule,)))]
    facts += [("Note", Remark((note,))) for note in data.notes]
    facts.append(("Verdict", summary_remark(report)))
    sections = []
    if data.wrong:
        rows = tuple(
            Wrong(where(v, report), v.claim.quantity.element_symbol(v.cell.shown), Digits(v.cell.number.text),
                  Digits(v.correct_text), cause_remark(v, report))
            for v in data.wrong
        )  # fmt: skip
        sections.append(Section(Remark((ERRATA,)), (Errata(rows),), label=ERRATA))
    by_source: list[Section] = []
    for entry in data.entries:
        heading = entry.where or NO_SOURCE
        if not by_source or by_source[-1].label != heading:
            by_source.append(Section(Remark((heading,)), label=heading))
        claimed = _claimed(entry.symbol, entry.shape, entry.grid(), entry.right, len(entry.marks))
        by_source[-1] = by_source[-1]._replace(blocks=by_source[-1].blocks + (claimed,))
    sections.append(Section(Remark((IN_PLACE,)), (Paragraph(LEGEND),), tuple(by_source), label=IN_PLACE))
    return Document(title, tuple(facts), tuple(sections))


def _claimed(symbol, shape, grid: list[list[Mark | None]], right: int, claimed: int) -> Claimed:
    """The quantity's grid cut to the rows and columns that hold a claim (two claims on a 32 × 10
    matrix are two cells, not 320)."""
    rows = [r for r, row in enumerate(grid) if any(mark is not None for mark in row)]
    columns = [c for c in range(len(grid[0])) if any(grid[r][c] is not None for r in rows)]
    kept = tuple(tuple(grid[r][c] for c in columns) for r in rows)
    return Claimed(symbol, shape, kept, right, claimed, tuple(r + 1 for r in rows), tuple(c + 1 for c in columns))


def written_report(report: CheckReport, title: str, to: str) -> str:
    """The report written in the document format `to` (latex, markdown or html)."""
    template = TEMPLATES[to](NumberFormat())
    return template.write(report_document(report, title))


# -- LaTeX -----------------------------------------------------------------------------------------

MARKS = r"""\usepackage{amssymb}
\usepackage{xcolor}
\newcommand{\rightclaim}{\textcolor{green!45!black}{$\checkmark$}}
\newcommand{\wrongclaim}{\textcolor{red!75!black}{$\boldsymbol{\times}$}}
\newcommand{\wrongnumber}[1]{\textcolor{red!75!black}{#1}}
"""
# Characters the words of a cause or a label may hold that LaTeX's text mode has no glyph for.
_TEXT_MATH = {"′": "$'$", "⁺": "$^{+}$", "ᵀ": r"$^{\mathsf{T}}$", "½": r"$\frac{1}{2}$", "²": "$^{2}$",
              "✓": r"\rightclaim{}", "✗": r"\wrongclaim{}", "∑": r"$\sum$", "≤": r"$\leq$", "≠": r"$\neq$"}  # fmt: skip


class ReportLatexWriter(LatexWriter):
    def prose(self, words: str) -> str:
        return "".join(_TEXT_MATH.get(character) or text(character) for character in words)


class LatexReport(LatexTemplate):
    """The report as a LaTeX article: the errata as a list, each quantity as a matrix of marks."""

    def __init__(self, numbers, fragment: bool = False, drawing: str | None = None):
        super().__init__(numbers, fragment, drawing)
        self.writer = ReportLatexWriter(numbers)

    def begin(self, document: Document) -> None:
        title = self.writer.prose(document.title).replace("/", r"/\allowbreak{}")  # a long path breaks
        self.lines += [PREAMBLE % self.layout.page.geometry + MACROS + MARKS, r"\begin{document}", r"{\raggedright", rf"\section*{{{title}}}", "}"]
        for _, value in document.facts:  # each fact says what it is (Rule: ...)
            self.lines.append(rf"\par\noindent {self.writer.remark(value)}\par\smallskip")
        self.lines.append(r"\medskip")

    def heading(self, section: Section, depth: int) -> None:
        command = r"\subsection*" if depth == 1 else r"\subsubsection*"
        self.lines.append(rf"{command}{{{self.writer.remark(section.title)}}}")

    def _digits(self, digits: Digits) -> str:
        return f"${self.writer.symbols(digits)}$"

    def _errata(self, block: Errata) -> None:
        writer = self.writer
        self.lines.append(r"\begin{itemize}")
        for wrong in block.wrong:
            place = rf" \textit{{({writer.prose(wrong.where)})}}" if wrong.where else ""
            self.lines.append(
                rf"\item ${writer.symbols(wrong.label)} = \wrongnumber{{{writer.symbols(wrong.printed)}}}$"
                r"~\wrongclaim{}, "
                rf"correct {self._digits(wrong.correct)}{place}.\\ Likely cause: {writer.remark(wrong.cause)}."
            )
        self.lines.append(r"\end{itemize}")

    def _claimed(self, block: Claimed) -> None:
        writer, single = self.writer, block.single
        if single is not None:
            self.lines.append(rf"\par\noindent ${writer.symbols(single.symbol)} = {self._cell(single)}$\par")
            return
        widths = [max(_width(row[c]) for row in block.rows) for c in range(len(block.column_numbers))]
        count = f"({block.right} of {block.claimed} right)"
        if block.whole and len(block.rows) <= MATRIX_ROWS and sum(widths) <= MATRIX_WIDTH:
            body = r" \\ ".join(" & ".join(self._cell(mark) for mark in row) for row in block.rows)
            matrix = rf"\left[\begin{{array}}{{{'r' * len(widths)}}}{body}\end{{array}}\right]"
            self.lines.append(rf"\[{writer.symbols(block.symbol)} = {matrix}\quad\text{{{count}}}\]")
            return
        # Too wide, too tall or cut to its claimed cells: a table with the rows' and columns' numbers,
        # in as many pieces as fit the page.
        self.lines.append(rf"\par\noindent ${writer.symbols(block.symbol)}$ {count}:\par")
        for columns in _pieces(widths, TABLE_WIDTH):
            for start in range(0, len(block.rows), TABLE_ROWS):
                self._table_of_marks(block, columns, range(start, min(start + TABLE_ROWS, len(block.rows))))

    def _table_of_marks(self, block: Claimed, columns: list[int], rows) -> None:
        heads = " & ".join(rf"\textit{{{block.column_numbers[c]}}}" for c in columns)
        lines = [rf"\par\smallskip\noindent\begin{{tabular}}{{r|{'r' * len(columns)}}}", rf" & {heads} \\ \hline"]
        for r in rows:
            head = rf"\textit{{{block.row_numbers[r]}}}" if len(block.shape) == 2 else ""
            lines.append(head + " & " + " & ".join(f"${self._cell(block.rows[r][c])}$" for c in columns) + r" \\")
        self.lines += [*lines, r"\end{tabular}\par\smallskip"]

    def _cell(self, mark: Mark | None) -> str:
        if mark is None:
            return r"\cdot"
        printed = self.writer.symbols(Digits(mark.printed))
        if mark.right:
            return rf"{printed}\,\text{{\rightclaim}}"
        correct = self.writer.symbols(Digits(mark.correct))
        return rf"\wrongnumber{{{printed}}}\,\text{{\wrongclaim}}\;({correct})"


MATRIX_ROWS = 12  # a matrix of marks taller than this is set as tables that may break across pages
TABLE_ROWS = 24
MATRIX_WIDTH = 56  # the widths, in digits, of the columns a displayed matrix of marks may take (with
TABLE_WIDTH = 72  # its label and count beside it), and a table's, on the 6.5 in line at 11 pt


def _width(mark: Mark | None) -> int:
    """A cell's width in digits, roughly: the number, its mark, the right value beside a wrong one."""
    if mark is None:
        return 2
    return len(mark.printed) + 4 + (0 if mark.right else len(mark.correct) + 3)


def _pieces(widths: list[int], budget: int) -> list[list[int]]:
    """The columns in consecutive runs whose widths fit `budget` (each run at least one column)."""
    runs: list[list[int]] = [[]]
    used = 0
    for column, width in enumerate(widths):
        if runs[-1] and used + width > budget:
            runs.append([])
            used = 0
        runs[-1].append(column)
        used += width
    return runs


# -- Markdown --------------------------------------------------------------------------------------


class MarkdownReport(MarkdownTemplate):
    """The report as Markdown that reads as plain text: labels and causes in Unicode, the errata and
    each matrix of marks as tables."""

    def __init__(self, numbers, fragment: bool = False, drawing: str | None = None):
        super().__init__(numbers, fragment, drawing, heading_level=1)
        self.unicode = UnicodeWriter(numbers)

    def remark(self, remark: Remark) -> str:
        return join(self.unicode.remark(remark))

    def symbols(self, expr) -> str:
        return join(self.unicode.symbols(expr))

    def begin(self, document: Document) -> None:
        self._heading(1, document.title)
        for _, value in document.facts:
            self.lines += [self.remark(value), ""]

    def heading(self, section: Section, depth: int) -> None:
        self._heading(depth + 1, self.remark(section.title))

    def _errata(self, block: Errata) -> None:
        self.lines += ["| where | quantity | printed | correct | likely cause |", "| --- | --- | ---: | ---: | --- |"]
        for wrong in block.wrong:
            cells = (wrong.where, self.symbols(wrong.label), wrong.printed.text, wrong.correct.text,
                     self.remark(wrong.cause))  # fmt: skip
            self.lines.append("| " + " | ".join(_cell(cell) for cell in cells) + " |")
        self.lines.append("")

    def _claimed(self, block: Claimed) -> None:
        single = block.single
        if single is not None:
            self.lines += [f"{self.symbols(single.symbol)} = {_mark(single)}", ""]
            return
        columns = len(block.column_numbers)
        self.lines += [f"{self.symbols(block.symbol)} ({block.right} of {block.claimed} right):", ""]
        self.lines.append("|  | " + " | ".join(map(str, block.column_numbers)) + " |")
        self.lines.append("| --- |" + " ---: |" * columns)
        for row, marks in zip(block.row_numbers, block.rows):
            heading = row if len(block.shape) == 2 else ""  # a vector's one row needs no number
            self.lines.append(f"| {heading} | " + " | ".join(_mark(mark) if mark else "" for mark in marks) + " |")
        self.lines.append("")


def _mark(mark: Mark) -> str:
    return f"{mark.printed} {mark.sign}" if mark.right else f"{mark.printed} {mark.sign} ({mark.correct})"


def _cell(words: str) -> str:
    """Text safe inside a Markdown table cell."""
    return words.replace("|", "\\|").replace("\n", " ")


# -- HTML ------------------------------------------------------------------------------------------

STYLE = """
body { font-family: Georgia, 'Times New Roman', serif; max-width: 52rem; margin: 0 auto; padding: 1rem;
       color: #1b1b1b; line-height: 1.45; overflow-wrap: break-word; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.25rem; border-bottom: 1px solid #ccc; } h3 { font-size: 1.05rem; }
p.fact { margin: 0.3rem 0; }
ol.errata li { margin-bottom: 0.6rem; } .cause { color: #333; }
.right { color: #1d6b2a; } .wrong { color: #b3261e; }
.wrong .value { font-weight: bold; }
.correct { color: #1b1b1b; font-size: 0.9em; }
figure.claimed { margin: 0.8rem 0; } figure.claimed figcaption { margin-bottom: 0.2rem; }
.grid { overflow-x: auto; max-width: 100%; }
table.marks { border-collapse: collapse; font-variant-numeric: tabular-nums; }
table.marks th { color: #777; font-weight: normal; font-size: 0.85em; padding: 0 0.4rem; }
table.marks td { border: 1px solid #ddd; padding: 0.15rem 0.45rem; text-align: right; white-space: nowrap; }
table.marks td.wrong { background: #fdeceb; }
"""


class HtmlReport(HtmlTemplate):
    """The report as one HTML page: labels and numbers as MathML, each matrix of marks a table."""

    def begin(self, document: Document) -> None:
        self.title = document.title
        facts = "".join(f'<p class="fact">{self.remark(value)}</p>' for _, value in document.facts)
        self.body.append(f"<header><h1>{escape(document.title)}</h1>{facts}</header>")

    def heading(self, section: Section, depth: int) -> None:
        level = min(depth + 1, 4)
        self.body.append(f"<section><h{level}>{self.remark(section.title)}</h{level}>")

    def close(self, section: Section, depth: int) -> None:
        self.body.append("</section>")

    def _inline(self, expr) -> str:
        """An expression as inline MathML, with its spoken words."""
        return self._math(self.writer.symbols(expr), self.speech.symbols(expr), block=False)

    def _digits(self, digits: Digits) -> str:
        return self._inline(digits)

    def _errata(self, block: Errata) -> None:
        items = []
        for wrong in block.wrong:
            place = f" ({escape(wrong.where)})" if wrong.where else ""
            items.append(
                f'<li><span class="wrong">{self._inline(wrong.label)} = '
                f'<span class="value">{self._digits(wrong.printed)}</span> <span class="mark">✗</span></span>, '
                f'correct <span class="correct-value">{self._digits(wrong.correct)}</span>{place}.'
                f'<br><span class="cause">Likely cause: {self.remark(wrong.cause)}.</span></li>'
            )
        self.body.append(f'<ol class="errata">{"".join(items)}</ol>')

    def _claimed(self, block: Claimed) -> None:
        label = self._inline(block.symbol)
        single = block.single
        if single is not None:
            label = self._inline(single.symbol)
            self.body.append(f'<p class="claimed">{label} = {self._cell(single, "span")}</p>')
            return
        heads = "<tr><th></th>" + "".join(f"<th>{c}</th>" for c in block.column_numbers) + "</tr>"
        rows = []
        for number, row in zip(block.row_numbers, block.rows):
            head = f"<th>{number}</th>" if len(block.shape) == 2 else "<th></th>"
            rows.append("<tr>" + head + "".join(self._cell(mark, "td") for mark in row) + "</tr>")
        self.body.append(
            f'<figure class="claimed"><figcaption>{label} ({block.right} of {block.claimed} right)</figcaption>'
            f'<div class="grid"><table class="marks">{heads}{"".join(rows)}</table></div></figure>'
        )

    def _cell(self, mark: Mark | None, tag: str) -> str:
        if mark is None:
            return f"<{tag}></{tag}>"
        printed = f'<span class="value">{self._digits(Digits(mark.printed))}</span>'
        if mark.right:
            return f'<{tag} class="right">{printed} <span class="mark" title="right">✓</span></{tag}>'
        correct = f'<span class="correct">({self._digits(Digits(mark.correct))})</span>'
        return f'<{tag} class="wrong">{printed} <span class="mark" title="wrong">✗</span> {correct}</{tag}>'

    def text(self) -> str:
        return (
            '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(self.title)}</title><style>{STYLE}</style></head><body>"
            + "\n".join(self.body)
            + "</body></html>\n"
        )


TEMPLATES = {"latex": LatexReport, "markdown": MarkdownReport, "html": HtmlReport}
