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
from nntrace.writers.speech import SpeechWriter
from nntrace.writers.unicode import UnicodeText, UnicodeWriter, join

STYLE = """
:root { --ink: #1b1b1b; --muted: #5a5a5a; --paper: #fff; --rule: #d4d4d4; --code: #f3f3ef; --link: #0b4f8a;
        --lit: #ffe38a; --source: #cde6ff; --shade: rgba(0, 0, 0, 0.22); color-scheme: light dark; }
@media (prefers-color-scheme: dark) {
  :root { --ink: #e6e6e6; --muted: #a8a8a8; --paper: #16181b; --rule: #3a3d42; --code: #23262b; --link: #8cc4ff;
          --lit: #6b5a12; --source: #1f4a70; --shade: rgba(255, 255, 255, 0.3); }
  svg.network { background: #f4f4f4; border-radius: 0.3rem; }
}
html { background: var(--paper); }
body { font-family: Georgia, 'Times New Roman', serif; max-width: 60rem; margin: 0 auto; padding: 0 2rem 1rem;
       color: var(--ink); background: var(--paper); line-height: 1.45; overflow-wrap: break-word; }
a { color: var(--link); }
h1 { font-size: 1.6rem; } h2 { font-size: 1.3rem; border-bottom: 1px solid var(--rule); } h3 { font-size: 1.1rem; }
dl.facts { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 0.1rem 1rem; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; min-width: 0; overflow-x: auto; }
pre { background: var(--code); padding: 0.5rem 0.8rem; overflow-x: auto; }
math { color: var(--ink); }
.scroll { overflow-x: auto; max-width: 100%; position: relative; margin: 0.6rem 0; }
.scroll, ul.expansions li {
  /* a shadow at an edge while there is more to scroll that way (the covers scroll with the content) */
  background: linear-gradient(to right, var(--paper) 30%, transparent) left / 2.5rem 100% no-repeat local,
              linear-gradient(to left, var(--paper) 30%, transparent) right / 2.5rem 100% no-repeat local,
              radial-gradient(farthest-side at 0 50%, var(--shade), transparent) left / 0.9rem 100% no-repeat scroll,
              radial-gradient(farthest-side at 100% 50%, var(--shade), transparent) right / 0.9rem 100% no-repeat scroll; }
.scroll > math[display="block"] { margin: 0.3rem 0; width: max-content; padding-right: 0.5rem; }
.scroll:focus-visible, mtd:focus-visible, button:focus-visible, a:focus-visible, summary:focus-visible {
  outline: 3px solid var(--link); outline-offset: 2px; }
.hint { display: none; font-size: 0.8rem; color: var(--muted); text-align: right; margin: -0.4rem 0 0; }
.wide + .hint { display: block; }
ul.expansions { color: var(--muted); font-size: 0.95rem; padding-left: 1.2rem; }
ul.expansions li { overflow-x: auto; }
.note { color: var(--muted); font-style: italic; }
.arithmetic { min-height: 1.4em; margin: 0.3rem 0; color: var(--link); font-family: 'DejaVu Sans Mono', monospace; font-size: 0.9rem;
              overflow-wrap: anywhere; }
.table { overflow-x: auto; }
nav.steps ol { columns: 2; column-gap: 3rem; font-size: 0.9rem; }
section.step, section.part { scroll-margin-top: 4.5rem; }  /* a #step-N link lands below the controls */
.controls { position: sticky; top: 0; z-index: 2; background: var(--paper); padding: 0.4rem 0;
            border-bottom: 1px solid var(--rule); display: flex; flex-wrap: wrap; gap: 0.4rem 0.6rem; align-items: center; }
.controls[hidden] { display: none; }
.controls button { font: inherit; font-size: 0.95rem; padding: 0.2rem 0.7rem; }
#where { flex: 1 1 8rem; text-align: center; font-size: 0.9rem; line-height: 1.2; }
#present { order: 3; }
.keys { font-size: 0.85rem; color: var(--muted); margin: 0.5rem 0; }
.keys kbd { font-family: inherit; border: 1px solid var(--rule); border-radius: 0.2rem; padding: 0 0.25rem; }
mtd[data-result] { cursor: pointer; }
mtd.lit { background: var(--lit); }
mtd.source { background: var(--source); }
.js section.step:not(.current) { display: none; }
.js section.part > h2 { display: none; }
.js section.part.current-part > h2 { display: block; }
svg.network { max-width: 100%; height: auto; }
.js main::after { content: ""; display: block; height: calc(100vh - 6rem); }  /* a short step, too, starts at the top */
figure.drawing { margin: 1rem 0; overflow-x: auto; }
.presenting body { max-width: none; padding: 0 4vw; font-size: clamp(1rem, 2.3vw, 1.9rem); }
.presenting header, .presenting nav.steps, .presenting .keys, .presenting figure.drawing,
.presenting section.part > h2 { display: none !important; }
.presenting section.step h3 { font-size: 1.5em; margin: 0.6em 0; }
.presenting [data-fragment].later, .presenting [data-fragment].later + .hint { display: none; }
.presenting .controls { position: fixed; bottom: 0; top: auto; left: 0; right: 0; padding: 0.3rem 4vw;
                        border-top: 1px solid var(--rule); border-bottom: 0; font-size: 1rem; }
.presenting main { padding-bottom: 4rem; }
@media (max-width: 40rem) {
  body { padding: 0 0.8rem 1rem; }
  .controls { flex-wrap: nowrap; gap: 0.3rem; }
  .controls button { padding: 0.2rem 0.6rem; font-size: 0.9rem; }
  .controls .word { display: none; }
  #where { flex: 1 1 auto; min-width: 0; font-size: 0.8rem; }
  nav.steps ol { columns: 1; }
  dl.facts { grid-template-columns: minmax(0, 1fr); }
  dl.facts dd { margin-bottom: 0.3rem; }
}
.presenting main::after { height: 0; }
@media print {
  .controls, .keys, .hint { display: none !important; }
  html, body { background: #fff; color: #000; max-width: none; }
  section.step, section.part, section.part > h2 { display: block !important; }
  section.step, section.part { break-before: page; }
  section.part > h2 + section.step { break-before: auto; }  /* an epoch's heading starts the page of its first step */
  main::after { display: none; }
  .scroll, ul.expansions li, dl.facts dd, figure.drawing { overflow: visible; background: none; }
  .scroll > math[display="block"] { width: auto; }
  .equation, math[display="block"] { break-inside: avoid; }
  [data-fragment].later { display: block; }
}
"""

SCRIPT = """
(function () {
  var steps = Array.prototype.slice.call(document.querySelectorAll('section.step'));
  if (!steps.length) { return; }
  var root = document.documentElement;
  root.classList.add('js');
  var controls = document.querySelector('.controls');
  controls.hidden = false;
  document.querySelector('.keys').hidden = false;
  var where = document.getElementById('where');
  var present = document.getElementById('present');
  var current = 0, shown = 0, title = document.title;
  function fragments(step) {  // the levels a step reveals in turn: formula, numbers, element arithmetic
    var levels = [];
    step.querySelectorAll('[data-fragment]').forEach(function (block) {
      var level = +block.getAttribute('data-fragment');
      if (levels.indexOf(level) < 0) { levels.push(level); }
    });
    return levels.sort();
  }
  function reveal() {
    var levels = fragments(steps[current]);
    var upto = levels.length ? levels[Math.min(shown, levels.length - 1)] : 0;
    steps[current].querySelectorAll('[data-fragment]').forEach(function (block) {
      block.classList.toggle('later', +block.getAttribute('data-fragment') > upto);
    });
  }
  function indexOf(hash) {
    return steps.findIndex(function (step) { return '#' + step.id === hash; });
  }
  function show(index, how) {  // how: 'push' a history entry (a reader's move), or just show
    current = Math.max(0, Math.min(steps.length - 1, index));
    steps.forEach(function (step, i) { step.classList.toggle('current', i === current); });
    document.querySelectorAll('section.part').forEach(function (part) {
      part.classList.toggle('current-part', part.contains(steps[current]));
    });
    where.textContent = steps[current].getAttribute('data-label') + ' (' + (current + 1) + ' of ' + steps.length + ')';
    document.title = steps[current].getAttribute('data-label') + ' · ' + title;
    document.getElementById('prev').disabled = current === 0;
    document.getElementById('next').disabled = current === steps.length - 1;
    reveal();
    markWide(steps[current]);
    if (how === 'push' && location.hash !== '#' + steps[current].id) {
      history.pushState(null, '', '#' + steps[current].id);
    }
    if (how) {  // the step starts just under the controls
      var top = steps[current].getBoundingClientRect().top + window.scrollY - controls.offsetHeight - 8;
      window.scrollTo(0, Math.max(0, root.classList.contains('presenting') ? 0 : top));
    }
  }
  function move(by) {
    var levels = fragments(steps[current]).length;
    if (root.classList.contains('presenting')) {
      if (by > 0 && shown < levels - 1) { shown += 1; reveal(); return; }
      if (by < 0 && shown > 0) { shown -= 1; reveal(); return; }
    }
    if (current + by < 0 || current + by >= steps.length) { return; }
    shown = by < 0 ? fragments(steps[current + by]).length - 1 : 0;
    show(current + by, 'push');
  }
  function go(index) { shown = 0; show(index, 'push'); }
  function markWide(scope) {  // a box too narrow for its equation says it scrolls, and takes focus to
    scope.querySelectorAll('.scroll').forEach(function (box) {
      var wide = box.scrollWidth > box.clientWidth + 1;
      box.classList.toggle('wide', wide);
      if (wide) { box.setAttribute('tabindex', '0'); } else { box.removeAttribute('tabindex'); }
    });
  }
  function presenting(on) {
    root.classList.toggle('presenting', on);
    present.setAttribute('aria-pressed', on ? 'true' : 'false');
    present.textContent = on ? 'Leave presentation' : 'Present';
    shown = 0;
    show(current, 'scroll');
  }
  function togglePresenting() {
    var on = !root.classList.contains('presenting');
    presenting(on);
    if (on && root.requestFullscreen) {
      root.requestFullscreen().catch(function () {});
    } else if (!on && document.fullscreenElement) {
      document.exitFullscreen().catch(function () {});
    }
  }
  document.addEventListener('fullscreenchange', function () {
    if (!document.fullscreenElement && root.classList.contains('presenting')) { presenting(false); }
  });
  document.getElementById('prev').addEventListener('click', function () { move(-1); });
  document.getElementById('next').addEventListener('click', function () { move(1); });
  present.addEventListener('click', togglePresenting);
  document.addEventListener('keydown', function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }  // Alt+← is the browser's Back
    var inBox = event.target.closest && event.target.closest('.scroll');
    var key = event.key;
    if ((key === 'ArrowRight' || key === 'ArrowLeft') && inBox) { return; }  // scroll the equation instead
    if (key === 'ArrowRight' || key === 'PageDown' || key === 'ArrowDown' && root.classList.contains('presenting')) { move(1); }
    else if (key === 'ArrowLeft' || key === 'PageUp' || key === 'ArrowUp' && root.classList.contains('presenting')) { move(-1); }
    else if (key === 'Home') { go(0); }
    else if (key === 'End') { go(steps.length - 1); }
    else if (key === 'f' || key === 'F') { togglePresenting(); }
    else if (key === 'Escape' && root.classList.contains('presenting')) { togglePresenting(); }
    else { return; }
    event.preventDefault();
  });
  document.querySelectorAll('nav.steps a').forEach(function (link) {
    link.addEventListener('click', function (event) {
      var index = indexOf(link.getAttribute('href'));
      if (index >= 0) { go(index); event.preventDefault(); }
    });
  });
  function follow() {  // Back, Forward and a changed #step-N move the stepper
    var index = indexOf(location.hash);
    shown = 0;
    show(index >= 0 ? index : 0, 'scroll');
  }
  window.addEventListener('popstate', follow);
  window.addEventListener('hashchange', follow);
  window.addEventListener('resize', function () { markWide(steps[current]); });
  function light(cell, on) {
    var equation = cell.closest('.equation');
    var r = cell.parentNode.getAttribute('data-r'), c = cell.getAttribute('data-c');
    equation.querySelectorAll('mtable[data-pick]').forEach(function (table) {
      var pick = table.getAttribute('data-pick');
      table.querySelectorAll('mtd').forEach(function (other) {
        var row = other.parentNode.getAttribute('data-r'), column = other.getAttribute('data-c');
        var match = (pick === 'row' && row === r) || (pick === 'col' && column === c) ||
                    (pick === 'cell' && row === r && column === c);
        other.classList.toggle('source', on && match);
      });
    });
    cell.classList.toggle('lit', on);
    var said = cell.getAttribute('data-arithmetic') || "this element's arithmetic is not written out in this export";
    equation.querySelector('.arithmetic').textContent = on ? said : '';
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
  var start = indexOf(location.hash);
  show(start >= 0 ? start : 0, start >= 0 ? 'scroll' : null);
  if (start < 0) { window.scrollTo(0, 0); }  // a page opens at its title and list of steps
})();
"""

KEYS = (
    '<p class="keys" hidden>Keys: <kbd>←</kbd> <kbd>→</kbd> step, <kbd>Home</kbd> <kbd>End</kbd> first and last, '
    "<kbd>f</kbd> present (the arrows then reveal formula, numbers, arithmetic). Hover over a result's number, "
    "or <kbd>Tab</kbd> to it, to see where it came from and its arithmetic.</p>"
)
# A page is read on phones as well as screens: a matrix keeps its first and last rows and columns
# around ⋮ and ⋯ sooner than on paper (12 × 8), which keeps a page of 64-input layers light.
MAX_ROWS, MAX_COLUMNS = 8, 6
# What a presentation reveals in turn within a step.
FORMULA, NUMBERS, ELEMENTS = 1, 2, 3


class HtmlTemplate(Template):
    def __init__(self, numbers, fragment: bool = False, drawing: str | None = None):
        super().__init__(numbers, fragment, drawing)
        self.writer = MathMLWriter(numbers, max_rows=MAX_ROWS, max_columns=MAX_COLUMNS)
        self.speech = SpeechWriter(numbers)  # every equation's text alternative
        self.body: list[str] = []
        self.index: list[tuple[str, str]] = []  # (id, label) of every step
        self.title = "nntrace"
        self.open_step = False

    def _math(self, inner: str, spoken: str, block: bool = True, fragment: int = 0) -> str:
        """An equation with its words; a displayed one in its own box, which scrolls sideways when
        the equation is wider than the page (marked by the script, and then cued: a shadow at the
        edge with more, and a hint)."""
        words = escape(" ".join(spoken.split()))
        math = f'<math aria-label="{words}"' + (' display="block">' if block else ">") + f"{inner}</math>"
        if not block:
            return math
        part = f' data-fragment="{fragment}"' if fragment else ""
        return f'<div class="scroll"{part}>{math}</div><p class="hint" aria-hidden="true">scroll →</p>'

    def remark(self, remark: Remark) -> str:
        """Prose as HTML, equations and expressions as inline MathML."""
        writer, out = self.writer, []
        for part in remark.parts:
            if isinstance(part, str):
                out.append(escape(part))
            elif isinstance(part, Equation):
                out.append(self._math(writer.formula(part), self.speech.formula(part), block=False))
            else:
                out.append(self._math(writer.symbols(part), self.speech.symbols(part), block=False))
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
        code = escape("\n".join(code_line(equation) for equation in block.equations))
        self.body.append(f'<pre data-fragment="{FORMULA}"><code>{code}</code></pre>')
        for equation in block.equations:
            self.body.append(self._math(self.writer.formula(equation), self.speech.formula(equation), fragment=FORMULA))

    def _numbers(self, block: Numbers) -> None:
        equation = block.equation
        parts = numeric_parts(equation)
        marks = _operand_marks(parts, equation.result)
        arithmetic = _arithmetic_by_cell(equation, self.numbers)

        def annotate(quantity: Q):
            if quantity is equation.result and quantity.is_matrix:

                def cell(r, c):
                    lines = " ; ".join(arithmetic.get((r, c), []))
                    said = f' data-arithmetic="{escape(lines)}"' if lines else ""
                    return f' data-result="" data-r="{r}" data-c="{c}"{said}'

                return ' data-role="result"', cell
            pick = marks.get(id(quantity))
            if pick is None:
                return "", None
            # only what the pick compares beyond the row (which each <mtr> says): the column
            return f' data-pick="{pick}"', (lambda r, c: "") if pick == "row" else (lambda r, c: f' data-c="{c}"')

        writer = MathMLWriter(self.numbers, annotate, MAX_ROWS, MAX_COLUMNS)
        sides = [writer.values(part) for part in parts]
        inner = "<mrow>" + writer.symbols(equation.lhs) + writer.relation(equation.relation) + "<mo>=</mo>".join(sides) + "</mrow>"
        speech = self.speech
        words = speech.join([speech.symbols(equation.lhs), speech.relation(equation.relation),
                             " equals ".join(speech.values(part) for part in parts)])  # fmt: skip
        self.body.append(
            f'<div class="equation" data-fragment="{NUMBERS}">{self._math(inner, words)}'
            '<p class="arithmetic" aria-live="polite"></p></div>'
        )

    def _givens(self, block: Givens) -> None:
        writer = self.writer
        for equation in block.equations:
            inner = "<mrow>" + writer.symbols(equation.lhs) + "<mo>=</mo>" + writer.values(equation.result) + "</mrow>"
            words = f"{self.speech.symbols(equation.lhs)} equals {self.speech.values(equation.result)}"
            self.body.append(self._math(inner, words))

    def _lines(self, block: Lines) -> None:
        writer, speech = self.writer, self.speech
        if not block.under:
            for line in block.lines:
                self.body.append(self._math(writer.element_line(line), speech.element_line(line), fragment=ELEMENTS))
            return
        items = [f"<li>{self._math(writer.element_line(line), speech.element_line(line), block=False)}</li>"
                 for line in block.lines]  # fmt: skip
        if block.more:
            items.append(f"<li>… and {block.more} more elements, each computed the same way</li>")
        self.body.append(f'<ul class="expansions" data-fragment="{ELEMENTS}">' + "".join(items) + "</ul>")

    def _note(self, block: Note) -> None:
        self.body.append(f'<p class="note">({self.remark(block.remark)})</p>')

    def _paragraph(self, block: Paragraph) -> None:
        self.body.append(f'<p class="loss">{self.remark(block.remark)}</p>')

    def _display(self, block: Display) -> None:
        self.body.append(self._math(self.writer.formula(block.equation), self.speech.formula(block.equation)))

    def _table(self, block: Table) -> None:
        shown = elided(len(block.columns), SHOWN_SAMPLES)
        heads = "".join(f"<th>{'…' if s is None else escape(block.columns[s])}</th>" for s in shown)
        rows = []
        for row in block.rows:
            head = self.remark(row.head) + (f"<br><em>{escape(row.note)}</em>" if row.note else "")
            cells = "".join("<td>…</td>" if s is None else f"<td>{self._number(row.values[s])}</td>"
                            for s in shown)  # fmt: skip
            tag = "th" if row.strong else "td"
            rows.append(f"<tr><{tag}>{head}</{tag}>{cells}</tr>")
        self.body.append(f'<div class="table"><table><tr><th>{escape(block.corner)}</th>{heads}</tr>{"".join(rows)}</table></div>')

    def _number(self, value: float) -> str:
        written = self.writer.written(value)
        return self._math(self.writer.number(written), self.speech.number(written), block=False)

    def text(self) -> str:
        listing = "".join(f'<li><a href="#{identifier}">{escape(label)}</a></li>' for identifier, label in self.index)
        return (
            '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(self.title)}</title><style>{STYLE}</style></head><body>"
            '<div class="controls" role="navigation" aria-label="Steps" hidden>'
            '<button id="prev" type="button" aria-label="Previous step" aria-keyshortcuts="ArrowLeft">←<span class="word"> Previous</span></button>'
            '<span id="where" aria-live="polite" aria-atomic="true"></span>'
            '<button id="next" type="button" aria-label="Next step" aria-keyshortcuts="ArrowRight"><span class="word">Next </span>→</button>'
            '<button id="present" type="button" aria-pressed="false" aria-keyshortcuts="f">Present</button></div>'
            + "".join(self.body[:1])
            + f'<nav class="steps" aria-label="List of steps"><h2>Steps</h2>{KEYS}<ol>{listing}</ol></nav><main>'
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
    writer = UnicodeText(fmt)
    by_cell: dict[tuple[int, int], list[str]] = {}
    for group in equation.expansions:
        for e in group.shown:
            index = e.target.index
            cell = (index[0] - 1, index[1] - 1) if len(index) == 2 else divmod(index[0] - 1, columns)
            by_cell.setdefault(cell, []).append(join(writer.element_line(e)))
    return by_cell
