"""A worked solution as one self-contained HTML page: maths as MathML, a stepper on top.

Without JavaScript the page is a plain long worked solution. With it, one step shows at a
time: Previous/Next buttons, the arrow keys, and the list of steps move between them, and
hovering or focusing an element of a result highlights the row and column (or element) of
each operand it came from and shows its arithmetic. Nothing is loaded from the network.
"""

from __future__ import annotations

from html import escape

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
from nntrace.notation.nodes import Equation, Op, Q, Remark, Seq, numeric_parts
from nntrace.writers.code import code_line
from nntrace.writers.mathml import MathMLWriter
from nntrace.writers.unicode import UnicodeWriter, join

STYLE = """
body { font-family: Georgia, 'Times New Roman', serif; max-width: 60rem; margin: 0 auto; padding: 1rem 2rem;
       color: #1b1b1b; line-height: 1.45; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.3rem; border-bottom: 1px solid #ccc; } h3 { font-size: 1.1rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.1rem 1rem; }
dl.facts dt { color: #666; }
pre { background: #f5f5f2; padding: 0.5rem 0.8rem; overflow-x: auto; }
math[display="block"] { margin: 0.6rem 0; max-width: 100%; }
ul.expansions { color: #444; font-size: 0.95rem; }
.note { color: #555; font-style: italic; }
.arithmetic { min-height: 1.4em; color: #0b4f8a; font-family: 'DejaVu Sans Mono', monospace; font-size: 0.9rem; }
nav.steps ol { columns: 2; font-size: 0.9rem; }
.controls { position: sticky; top: 0; background: #fff; padding: 0.4rem 0; border-bottom: 1px solid #ddd; }
.controls button { font-size: 1rem; padding: 0.2rem 0.8rem; }
mtd[data-result] { cursor: pointer; }
mtd.lit { background: #ffe38a; }
mtd.source { background: #cde6ff; }
.js section.step:not(.current) { display: none; }
.js section.part > h2 { display: none; }
.js section.part.current-part > h2 { display: block; }
svg.network { max-width: 100%; height: auto; }
"""

SCRIPT = """
(function () {
  var steps = Array.prototype.slice.call(document.querySelectorAll('section.step'));
  if (!steps.length) { return; }
  document.documentElement.classList.add('js');
  var controls = document.querySelector('.controls');
  controls.hidden = false;
  var where = document.getElementById('where');
  var current = 0;
  function show(index, scroll) {
    current = Math.max(0, Math.min(steps.length - 1, index));
    steps.forEach(function (step, i) { step.classList.toggle('current', i === current); });
    document.querySelectorAll('section.part').forEach(function (part) {
      part.classList.toggle('current-part', part.contains(steps[current]));
    });
    where.textContent = steps[current].getAttribute('data-label') + ' (' + (current + 1) + ' of ' + steps.length + ')';
    if (history.replaceState) { history.replaceState(null, '', '#' + steps[current].id); }
    if (scroll) { steps[current].scrollIntoView({block: 'start'}); window.scrollBy(0, -60); }
  }
  document.getElementById('prev').addEventListener('click', function () { show(current - 1, true); });
  document.getElementById('next').addEventListener('click', function () { show(current + 1, true); });
  document.addEventListener('keydown', function (event) {
    if (event.key === 'ArrowRight' || event.key === 'PageDown') { show(current + 1, true); event.preventDefault(); }
    if (event.key === 'ArrowLeft' || event.key === 'PageUp') { show(current - 1, true); event.preventDefault(); }
  });
  document.querySelectorAll('nav.steps a').forEach(function (link) {
    link.addEventListener('click', function (event) {
      var target = document.getElementById(link.getAttribute('href').slice(1));
      var index = steps.indexOf(target);
      if (index >= 0) { show(index, true); event.preventDefault(); }
    });
  });
  function light(cell, on) {
    var equation = cell.closest('.equation');
    var r = cell.getAttribute('data-r'), c = cell.getAttribute('data-c');
    equation.querySelectorAll('mtable[data-pick]').forEach(function (table) {
      var pick = table.getAttribute('data-pick');
      table.querySelectorAll('mtd').forEach(function (other) {
        var match = (pick === 'row' && other.getAttribute('data-r') === r) ||
                    (pick === 'col' && other.getAttribute('data-c') === c) ||
                    (pick === 'cell' && other.getAttribute('data-r') === r && other.getAttribute('data-c') === c);
        other.classList.toggle('source', on && match);
      });
    });
    cell.classList.toggle('lit', on);
    equation.querySelector('.arithmetic').textContent = on ? (cell.getAttribute('data-arithmetic') || '') : '';
  }
  document.querySelectorAll('mtd[data-result]').forEach(function (cell) {
    cell.setAttribute('tabindex', '0');
    ['mouseenter', 'focus'].forEach(function (name) {
      cell.addEventListener(name, function () { light(cell, true); });
    });
    ['mouseleave', 'blur'].forEach(function (name) {
      cell.addEventListener(name, function () { light(cell, false); });
    });
  });
  var start = steps.findIndex(function (step) { return '#' + step.id === location.hash; });
  show(start >= 0 ? start : 0);
})();
"""


class HtmlTemplate(Template):
    def __init__(self, numbers, fragment: bool = False, drawing: str | None = None):
        super().__init__(numbers, fragment, drawing)
        self.writer = MathMLWriter(numbers)
        self.body: list[str] = []
        self.index: list[tuple[str, str]] = []  # (id, label) of every step
        self.title = "nntrace"
        self.open_step = False

    def _math(self, inner: str, block: bool = True) -> str:
        display = ' display="block"' if block else ""
        return f"<math{display}>{inner}</math>"

    def remark(self, remark: Remark) -> str:
        """Prose as HTML, equations and expressions as inline MathML."""
        writer, out = self.writer, []
        for part in remark.parts:
            if isinstance(part, str):
                out.append(escape(part))
            elif isinstance(part, Equation):
                out.append(self._math(writer.formula(part), block=False))
            else:
                out.append(self._math(writer.symbols(part), block=False))
        return "".join(out)

    def begin(self, document: Document) -> None:
        self.title = document.title
        rows = "".join(f"<dt>{escape(label)}</dt><dd>{self.remark(value)}</dd>" for label, value in document.facts)
        self.body.append(f'<header><h1>{escape(document.title)}</h1><dl class="facts">{rows}</dl></header>')
        if self.drawing:
            self.body.append(f'<figure class="drawing">{self.drawing}</figure>')

    def heading(self, section: Section, depth: int) -> None:
        title = self.remark(section.title)
        if depth == 1 and section.sections:
            self.body.append(f'<section class="part"><h2>{title}</h2>')
            return
        identifier = f"step-{len(self.index) + 1}"
        if section.number is not None:
            label, heading = section.label, f"Step {section.number} · {title}"
            self.index.append((identifier, f"{label} · {plain_text(section.title)}"))
        else:  # an explanation: one part, one step
            label, heading = section.label, title
            self.index.append((identifier, label))
            self.body.append('<section class="part">')
        self.body.append(f'<section class="step" id="{identifier}" data-label="{escape(label)}">')
        self.body.append(f"<h3>{heading}</h3>")

    def close(self, section: Section, depth: int) -> None:
        self.body.append("</section>")
        if section.number is None and not section.sections:
            self.body.append("</section>")

    def _formulas(self, block: Formulas) -> None:
        self.body.append("<pre><code>" + escape("\n".join(code_line(equation) for equation in block.equations)) + "</code></pre>")
        for equation in block.equations:
            self.body.append(self._math(self.writer.formula(equation)))

    def _numbers(self, block: Numbers) -> None:
        equation = block.equation
        parts = numeric_parts(equation)
        marks = _operand_marks(parts, equation.result)
        arithmetic = _arithmetic_by_cell(equation, self.numbers)

        def annotate(quantity: Q):
            if quantity is equation.result and quantity.is_matrix:

                def cell(r, c):
                    lines = " ; ".join(arithmetic.get((r, c), []))
                    return f' data-result="" data-r="{r}" data-c="{c}" data-arithmetic="{escape(lines)}"'

                return ' data-role="result"', cell
            pick = marks.get(id(quantity))
            if pick is None:
                return "", None
            return f' data-pick="{pick}"', lambda r, c: f' data-r="{r}" data-c="{c}"'

        writer = MathMLWriter(self.numbers, annotate)
        sides = [writer.values(part) for part in parts]
        inner = "<mrow>" + writer.symbols(equation.lhs) + writer.relation(equation.relation) + "<mo>=</mo>".join(sides) + "</mrow>"
        self.body.append(
            f'<div class="equation">{self._math(inner)}<p class="arithmetic" aria-live="polite"></p></div>'
        )

    def _givens(self, block: Givens) -> None:
        writer = self.writer
        for equation in block.equations:
            inner = "<mrow>" + writer.symbols(equation.lhs) + "<mo>=</mo>" + writer.values(equation.result) + "</mrow>"
            self.body.append(self._math(inner))

    def _lines(self, block: Lines) -> None:
        if not block.under:
            for line in block.lines:
                self.body.append(self._math(self.writer.element_line(line)))
            return
        items = [f"<li>{self._math(self.writer.element_line(line), block=False)}</li>" for line in block.lines]
        if block.more:
            items.append(f"<li>… and {block.more} more elements, each computed the same way</li>")
        self.body.append('<ul class="expansions">' + "".join(items) + "</ul>")

    def _note(self, block: Note) -> None:
        self.body.append(f'<p class="note">({self.remark(block.remark)})</p>')

    def _paragraph(self, block: Paragraph) -> None:
        self.body.append(f'<p class="loss">{self.remark(block.remark)}</p>')

    def _display(self, block: Display) -> None:
        self.body.append(self._math(self.writer.formula(block.equation)))

    def _table(self, block: Table) -> None:
        writer, shown = self.writer, elided(len(block.columns), SHOWN_SAMPLES)
        heads = "".join(f"<th>{'…' if s is None else escape(block.columns[s])}</th>" for s in shown)
        rows = []
        for row in block.rows:
            head = self.remark(row.head) + (f"<br><em>{escape(row.note)}</em>" if row.note else "")
            cells = "".join("<td>…</td>" if s is None else f"<td>{self._math(writer.number(writer.written(row.values[s])), block=False)}</td>"
                            for s in shown)  # fmt: skip
            tag = "th" if row.strong else "td"
            rows.append(f"<tr><{tag}>{head}</{tag}>{cells}</tr>")
        self.body.append(f"<table><tr><th>{escape(block.corner)}</th>{heads}</tr>{''.join(rows)}</table>")

    def text(self) -> str:
        listing = "".join(f'<li><a href="#{identifier}">{escape(label)}</a></li>' for identifier, label in self.index)
        return (
            '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(self.title)}</title><style>{STYLE}</style></head><body>"
            '<div class="controls" hidden><button id="prev" type="button">← Previous</button> '
            '<span id="where"></span> <button id="next" type="button">Next →</button></div>'
            + "".join(self.body[:1])
            + f'<nav class="steps"><h2>Steps</h2><ol>{listing}</ol></nav><main>'
            + "\n".join(self.body[1:])
            + f"</main><script>{SCRIPT}</script></body></html>\n"
        )


def plain_text(remark: Remark) -> str:
    """A remark as plain Unicode (the list of steps, the arithmetic shown on hover)."""
    return join(UnicodeWriter().remark(remark))


def _operand_marks(parts: list, result: Q | None) -> dict[int, str]:
    """Which part of each operand matrix a result element comes from: its row, column, or element."""
    marks: dict[int, str] = {}
    if result is None or not result.is_matrix:
        return marks
    shape = result.value.shape

    def visit(expr) -> None:
        if isinstance(expr, Seq):
            items = expr.items
            for position, item in enumerate(items):
                if isinstance(item, Q) and item.is_matrix and item is not result:
                    before = items[position - 1] if position else None
                    after = items[position + 1] if position + 1 < len(items) else None
                    if after is Op.PRODUCT and _is_matrix(items[position + 2]):
                        marks[id(item)] = "row"
                    elif before is Op.PRODUCT and _is_matrix(items[position - 2]):
                        marks[id(item)] = "col"
                    else:
                        marks[id(item)] = _by_shape(item.value.shape, shape)
                elif not isinstance(item, Op):
                    visit(item)
        elif isinstance(expr, Q) and expr.is_matrix and expr is not result:
            marks[id(expr)] = _by_shape(expr.value.shape, shape)
        elif isinstance(expr, tuple):  # a node's fields, or a field's terms
            for value in expr:
                visit(value)

    for part in parts:
        visit(part)
    return marks


def _is_matrix(expr) -> bool:
    return isinstance(expr, Q) and expr.is_matrix


def _by_shape(operand: tuple, result: tuple) -> str:
    if operand == result:
        return "cell"
    return "col" if operand[0] == 1 else "row"


def _arithmetic_by_cell(equation: Equation, fmt) -> dict[tuple[int, int], list[str]]:
    """The expansions of an equation, as text, by the result element they compute."""
    if equation.result is None or not equation.result.is_matrix:
        return {}
    columns = equation.result.value.shape[1]
    writer = UnicodeWriter(fmt)
    by_cell: dict[tuple[int, int], list[str]] = {}
    for group in equation.expansions:
        for e in group.shown:
            index = e.target.index
            cell = (index[0] - 1, index[1] - 1) if len(index) == 2 else divmod(index[0] - 1, columns)
            by_cell.setdefault(cell, []).append(join(writer.element_line(e)))
    return by_cell
