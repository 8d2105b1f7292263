"""A worked solution as one self-contained HTML page: maths as MathML, a stepper on top.

Without JavaScript the page is a plain long worked solution. With it, one step shows at a
time: Previous/Next buttons, the arrow keys, and the list of steps move between them, and
hovering or focusing an element of a result highlights the row and column (or element) of
each operand it came from and shows its arithmetic. Nothing is loaded from the network.
"""

from __future__ import annotations

from html import escape

from nntrace.documents.structure import Writer
from nntrace.notation.nodes import Equation, Expansions, Op, Q, Remark, Seq, numeric_parts, written
from nntrace.writers.mathml import MathML, mo
from nntrace.writers.unicode import OPERATORS, UnicodeMath, format_scalar

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


class HtmlWriter(Writer):
    def __init__(self, precision: int, fragment: bool = False, drawing: str | None = None):
        self.precision = precision
        self.drawing = drawing
        self.symbols = MathML()
        self.body: list[str] = []
        self.index: list[tuple[str, str]] = []  # (id, label) of every step
        self.title = "nntrace"
        self.part = ""
        self.open_part = False
        self.open_step = False

    def _math(self, inner: str, block: bool = True) -> str:
        display = ' display="block"' if block else ""
        return f"<math{display}>{inner}</math>"

    def _remark(self, remark: Remark) -> str:
        symbols = self.symbols
        return written(
            remark,
            escape,
            lambda e: self._math(symbols.equation(e), block=False),
            lambda m: self._math(symbols.math(m), block=False),
        )

    def _close_step(self) -> None:
        if self.open_step:
            self.body.append("</section>")
            self.open_step = False

    def _close_part(self) -> None:
        self._close_step()
        if self.open_part:
            self.body.append("</section>")
            self.open_part = False

    def begin(self, facts) -> None:
        self.title = facts.title
        rows = "".join(f"<dt>{escape(label)}</dt><dd>{self._remark(value)}</dd>" for label, value in facts.rows)
        self.body.append(f'<header><h1>{escape(facts.title)}</h1><dl class="facts">{rows}</dl></header>')
        if self.drawing:
            self.body.append(f'<figure class="drawing">{self.drawing}</figure>')

    def end(self) -> None:
        self._close_part()

    def section(self, title: str) -> None:
        self._close_part()
        self.part = title
        self.body.append(f'<section class="part"><h2>{escape(title)}</h2>')
        self.open_part = True

    def step_heading(self, number: int, title: str) -> None:
        self._close_step()
        identifier = f"step-{len(self.index) + 1}"
        label = f"{self.part} · Step {number}" if self.part else f"Step {number}"
        self.index.append((identifier, f"{label} · {title}"))
        self.body.append(f'<section class="step" id="{identifier}" data-label="{escape(label)}">')
        self.body.append(f"<h3>Step {number} · {escape(title)}</h3>")
        self.open_step = True

    def code(self, lines: list[str]) -> None:
        self.body.append("<pre><code>" + escape("\n".join(lines)) + "</code></pre>")

    def formulas(self, equations: list[Equation]) -> None:
        for equation in equations:
            self.body.append(self._math(self.symbols.equation(equation)))

    def numbers(self, equation: Equation) -> None:
        parts = numeric_parts(equation)
        marks = _operand_marks(parts, equation.result)
        arithmetic = _arithmetic_by_cell(equation, self.precision)

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

        writer = MathML(self.precision, annotate)
        sides = [writer.math(part) for part in parts]
        relation = mo(OPERATORS[equation.relation])
        inner = "<mrow>" + self.symbols.math(equation.lhs) + relation + "<mo>=</mo>".join(sides) + "</mrow>"
        self.body.append(
            f'<div class="equation">{self._math(inner)}<p class="arithmetic" aria-live="polite"></p></div>'
        )

    def givens(self, equations: list[Equation]) -> None:
        numbers = MathML(self.precision)
        for equation in equations:
            inner = (
                "<mrow>" + self.symbols.math(equation.lhs) + "<mo>=</mo>" + numbers.math(equation.result) + "</mrow>"
            )
            self.body.append(self._math(inner))

    def expansions(self, group: Expansions) -> None:
        numbers = MathML(self.precision)
        items = []
        for e in group.shown:
            inner = (
                "<mrow>" + self.symbols.math(e.target) + "<mo>=</mo>" + numbers.math(e.arithmetic) + "<mo>=</mo>"
                f"<mn>{format_scalar(e.result, self.precision)}</mn></mrow>"
            )
            items.append(f"<li>{self._math(inner, block=False)}</li>")
        if group.more:
            items.append(f"<li>… and {group.more} more elements, each computed the same way</li>")
        self.body.append('<ul class="expansions">' + "".join(items) + "</ul>")

    def note(self, remark: Remark) -> None:
        self.body.append(f'<p class="note">({self._remark(remark)})</p>')

    def paragraph(self, remark: Remark) -> None:
        self.body.append(f'<p class="loss">{self._remark(remark)}</p>')

    def explanation(self, ex) -> None:
        self._close_part()
        numbers, number = MathML(self.precision), self._number
        symbols = self.symbols
        self.section(f"By the chain rule, epoch {ex.epoch}")
        self.step_heading(1, "The chain rule")
        self.body.append(self._math(row_of(symbols.math(ex.derivative), "<mo>=</mo>", symbols.math(ex.chain))))
        heads = "".join(f"<th>s={s + 1}</th>" for s in range(len(ex.products)))
        rows = []
        for factor in ex.factors:
            formula = self._math(row_of(symbols.math(factor.symbol), "<mo>=</mo>", symbols.math(factor.formula)), False)
            cells = "".join(f"<td>{number(v)}</td>" for v in factor.values)
            rows.append(f"<tr><td>{formula}<br><em>{escape(factor.meaning)}</em></td>{cells}</tr>")
        rows.append("<tr><th>product</th>" + "".join(f"<td>{number(v)}</td>" for v in ex.products) + "</tr>")
        self.body.append(f"<table><tr><th>factor</th>{heads}</tr>{''.join(rows)}</table>")
        for path in ex.paths:
            inner = row_of(
                symbols.math(path.lhs),
                "<mo>=</mo>",
                numbers.math(path.arithmetic),
                f"<mo>=</mo><mn>{number(path.total)}</mn>",
            )
            self.body.append(f"<p>s={path.sample}: {self._math(inner, False)}</p>")
        self.body.append(
            self._math(
                row_of(
                    symbols.math(ex.derivative),
                    "<mo>=</mo>",
                    numbers.math(ex.sum_over_samples),
                    f"<mo>=</mo><mn>{number(ex.gradient)}</mn>",
                )
            )
        )
        if not ex.fixed:
            for line in ex.updates:
                update = row_of(
                    "<mtext>new\u2002</mtext>" if line.new else "",
                    symbols.math(line.lhs),
                    mo(OPERATORS[line.relation]),
                    symbols.math(line.expr),
                    f"<mo>=</mo>{numbers.math(line.expr)}" if line.worked else "",
                    f"<mo>=</mo><mn>{number(line.result)}</mn>",
                )
                self.body.append(self._math(update))

    def _number(self, value: float) -> str:
        return format_scalar(value, self.precision)

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


def row_of(*parts: str) -> str:
    return "<mrow>" + "".join(parts) + "</mrow>"


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


def _arithmetic_by_cell(equation: Equation, precision: int) -> dict[tuple[int, int], list[str]]:
    """The expansions of an equation, as text, by the result element they compute."""
    if equation.result is None or not equation.result.is_matrix:
        return {}
    columns = equation.result.value.shape[1]
    symbols, numbers = UnicodeMath(), UnicodeMath(precision)
    by_cell: dict[tuple[int, int], list[str]] = {}
    for group in equation.expansions:
        for e in group.shown:
            index = e.target.index
            cell = (index[0] - 1, index[1] - 1) if len(index) == 2 else divmod(index[0] - 1, columns)
            line = f"{symbols.text(e.target)} = {numbers.text(e.arithmetic)} = {format_scalar(e.result, precision)}"
            by_cell.setdefault(cell, []).append(line)
    return by_cell
