"""Worksheets and keys as documents, and the self-checking HTML worksheet.

A sheet is one document made from one source through the document layer `nntrace export` uses
(documents.formats): the facts of the network, the givens (the steps' Step 1, cut to what the
template gives), and the questions, each a blank; with `answers`, each blank holds its key and the
variant's worked solution follows. So a worksheet and its key cannot disagree on a given number.

The self-checking worksheet is the HTML worksheet with a form: one labelled field per blank, judged
in the page at the blank's window; a wrong number that a catalogued slip gives is named, with the
step to look at. The page carries its key and slips as data and sends nothing anywhere.
"""

from __future__ import annotations

import html
import json
from typing import NamedTuple

from nntrace.documents.formats import FORMATS
from nntrace.documents.structure import Document, Givens, Paragraph, Section, pass_section
from nntrace.engine.network import build_network, train
from nntrace.exercises.template import Template
from nntrace.exercises.variants import Blank, Variant
from nntrace.notation.nodes import At, Remark
from nntrace.solution.options import RenderOptions
from nntrace.solution.overview import trace_facts
from nntrace.solution.steps import epoch_solution

# The sheets' formats: those of the document layer's registry that write a whole document (Typst
# where the layer has it; beamer's frames are for slides, not worksheets).
SHEET_FORMATS = tuple(name for name in ("latex", "typst", "markdown", "html") if name in FORMATS)
GIVEN_KEYS = {
    "inputs": ("X",),
    "targets": ("y",),
    "learning_rate": ("eta", "lr", "η"),
}
BLANK = "________"


class Worked(NamedTuple):
    """What the sheets of one variant are made from."""

    facts: object
    solutions: tuple
    symbols: dict  # quantity key → its symbol
    options: RenderOptions


def worked(variant: Variant) -> Worked:
    spec = variant.spec
    epochs = max(blank.epoch for blank in variant.blanks)
    network = build_network(spec.with_epochs(epochs, "spec"))
    options = RenderOptions(precision=variant.precision)
    training = train(network, spec.inputs, spec.targets, epochs, batch_size=spec.batch_size, shuffle=spec.shuffle,
                     traced=set(range(1, epochs + 1)))  # fmt: skip
    solutions = tuple(epoch_solution(network, record, spec.layout, options.expansion_policy)
                      for record in training.records)  # fmt: skip
    symbols = {}
    for solution in solutions:
        for step in solution.steps:
            for equation in step.equations:
                key = getattr(equation.result, "key", None)
                if key and key not in symbols:
                    symbols[key] = equation.result.symbol
    facts = trace_facts(spec, build_network(spec), options.numbers)
    return Worked(facts, as_far_as_asked(solutions, variant.blanks), symbols, options)


def as_far_as_asked(solutions: tuple, blanks) -> tuple:
    """The worked passes up to the step of the last asked number: a key works what its questions
    ask (a sheet that asks the output layer's update is not followed by the hidden layer's).

    Cut only where every asked quantity is the result of a step: one that is not (a change ΔW, the
    loss, an optimiser's line) could be worked anywhere in the pass, and an epoch of several
    batches is worked whole, as a blank does not say its batch."""
    asked = {(blank.epoch, blank.step_key) for blank in blanks}
    if any(solution.n_batches > 1 for solution in solutions):
        return solutions
    found, last = set(), None
    for at, solution in enumerate(solutions):
        for number, step in enumerate(solution.steps, start=1):
            keys = {getattr(node, "key", None) for equation in step.equations for node in (equation.result, equation.lhs)}
            here = {(solution.epoch, key) for key in keys} & asked
            if here:
                found |= here
                last = (at, number)
    if last is None or found != asked:
        return solutions
    at, number = last
    return (*solutions[:at], solutions[at]._replace(steps=solutions[at].steps[:number]))


def _given(template: Template, equation) -> bool:
    key = getattr(equation.result, "key", None) or ""
    for name in template.give:
        if key in GIVEN_KEYS.get(name, ()):
            return True
        if name == "weights" and key.startswith("W"):
            return True
        if name == "biases" and key.startswith("b"):
            return True
    return False


def blank_remark(number: int, blank: Blank, symbol, answer: str | None) -> Remark:
    """'3. H_out[2,1] = ____' (the symbol as the steps write it), or with the answer."""
    parts: list = [f"{number}. "]
    index = tuple(int(i) for i in blank.label.rsplit("[", 1)[1].rstrip("]").split(",")) if "[" in blank.label else ()
    parts.append(At(symbol, index) if symbol is not None and index else symbol or blank.label)
    if blank.label.split("[")[0].endswith("⁺"):
        parts.append(" after the update")
    if blank.epoch != 1:
        parts.append(f" (epoch {blank.epoch})")
    if blank.scale != 1:
        parts.append(f", times {blank.scale:g}")
    parts.append(f" to {blank.decimals} decimals: " if answer is None else " = ")
    parts.append(BLANK if answer is None else answer)
    return Remark(tuple(parts))


def sheet_document(template: Template, variant: Variant, work: Worked, answers: bool) -> Document:
    first = work.solutions[0].steps[0]
    givens = tuple(equation for equation in first.equations if _given(template, equation))
    who = variant.name or variant.student
    questions = tuple(
        Paragraph(blank_remark(n, blank, work.symbols.get(_key(blank)), blank.key_text if answers else None))
        for n, blank in enumerate(variant.blanks, start=1)
    )
    sections = [
        Section(Remark(("Given",)), (Givens(givens),), label="Given"),
        Section(Remark(("Questions" if not answers else "Answers",)), questions, label="Questions"),
    ]
    if answers:
        sections += [pass_section(solution) for solution in work.solutions]
    title = f"{template.name}: {'key' if answers else 'worksheet'} for {who}"
    return Document(title, work.facts.rows, tuple(sections))


def _key(blank: Blank) -> str:
    """The engine's key of a blank's quantity, as its symbol is found in the steps."""
    return blank.step_key


def sheet(template: Template, variant: Variant, work: Worked, to: str, answers: bool,
          document: Document | None = None) -> str:  # fmt: skip
    """The worksheet (or with `answers`, the key) in the document format `to`; `document`: the
    sheet's document (sheet_document) where the caller writes it in several formats."""
    # a worksheet prints its givens with the template's decimals; a key every number at the most asked
    numbers = work.options.numbers if answers else RenderOptions(precision=template.given_decimals).numbers
    return document_template(to, numbers).write(document or sheet_document(template, variant, work, answers))


def document_template(to: str, numbers):
    """The registered format's template, as `export` makes it: a whole document (not a fragment),
    no drawing, on the default page."""
    from nntrace.documents.pages import Layout

    return FORMATS[to].template(numbers, False, None, Layout())


# -- the self-checking worksheet --------------------------------------------------------------------


def selfcheck_data(variant: Variant) -> list[dict]:
    return [
        {
            "id": f"b{n}",
            "label": blank.label,
            "key": blank.value,
            "window": blank.window,
            "decimals": blank.decimals,
            "look_at": blank.step,
            "slips": [{"value": slip.value, "words": slip.words} for slip in blank.slips],
        }
        for n, blank in enumerate(variant.blanks, start=1)
    ]


FORM_STYLE = """
form.selfcheck fieldset{border:1px solid #999;padding:.5em 1em;margin:1em 0}
form.selfcheck .blank{margin:.6em 0}
form.selfcheck label{display:inline-block;min-width:16em}
form.selfcheck input{font:inherit;width:9em}
form.selfcheck .verdict{margin-left:1em}
form.selfcheck .right{color:#05631b} form.selfcheck .wrong{color:#a1000f}
"""

# Judged as the grader judges: right within the blank's window; else the slip whose answer it is.
SELFCHECK_SCRIPT = r"""
(function () {
  var blanks = JSON.parse(document.getElementById('nntrace-blanks').textContent);
  function parse(text) {
    var t = text.trim().replace(/\u2212/g, '-').replace(/^\+/, '');
    if (!/^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t)) return null;
    var v = Number(t);
    return isFinite(v) ? v : null;
  }
  function judge(blank) {
    var input = document.getElementById(blank.id);
    var out = document.getElementById(blank.id + '-verdict');
    var text = input.value;
    if (text.trim() === '') { out.textContent = 'No answer yet.'; out.className = 'verdict'; return; }
    var v = parse(text);
    if (v === null) {
      out.textContent = 'Not a number: type a number such as -0.125.';
      out.className = 'verdict wrong'; input.setAttribute('aria-invalid', 'true'); return;
    }
    var slack = blank.window * (1 + 1e-9);
    if (Math.abs(v - blank.key) <= slack) {
      out.textContent = 'Right.'; out.className = 'verdict right'; input.setAttribute('aria-invalid', 'false'); return;
    }
    input.setAttribute('aria-invalid', 'true');
    var words = 'Not right.';
    for (var i = 0; i < blank.slips.length; i++) {
      if (Math.abs(v - blank.slips[i].value) <= slack) { words += ' Likely slip: ' + blank.slips[i].words + '.'; break; }
    }
    if (blank.look_at) words += ' Look at ' + blank.look_at + '.';
    out.textContent = words; out.className = 'verdict wrong';
  }
  var form = document.getElementById('nntrace-selfcheck');
  form.addEventListener('submit', function (event) { event.preventDefault(); blanks.forEach(judge); });
  blanks.forEach(function (blank) {
    document.getElementById(blank.id + '-check').addEventListener('click', function () { judge(blank); });
    document.getElementById(blank.id).addEventListener('change', function () { judge(blank); });
  });
})();
"""


def selfcheck_html(template: Template, variant: Variant, work: Worked, page: str | None = None) -> str:
    """One offline page: the worksheet (`page`, the HTML worksheet where it is written already),
    then a form that judges each blank as it is typed in."""
    page = page or sheet(template, variant, work, "html", answers=False)
    rows = []
    for n, blank in enumerate(variant.blanks, start=1):
        ident = f"b{n}"
        what = f"{n}. {blank.label}" + (f" (epoch {blank.epoch})" if blank.epoch != 1 else "")
        what += f", times {blank.scale:g}" if blank.scale != 1 else ""
        rows.append(
            f'<div class="blank"><label for="{ident}">{html.escape(what)}, to {blank.decimals} decimals</label>'
            f'<input id="{ident}" name="{ident}" type="text" inputmode="decimal" autocomplete="off" '
            f'aria-describedby="{ident}-verdict">'
            f'<button type="button" id="{ident}-check">Check {html.escape(blank.label)}</button>'
            f'<span class="verdict" id="{ident}-verdict" role="status" aria-live="polite"></span></div>'
        )
    data = json.dumps(selfcheck_data(variant), ensure_ascii=True).replace("</", "<\\/")
    form = (
        '<section aria-labelledby="selfcheck-heading"><h2 id="selfcheck-heading">Check your answers</h2>'
        "<p>Type each number and press Enter or its button. It is judged in this page; nothing is sent anywhere.</p>"
        f'<form class="selfcheck" id="nntrace-selfcheck" novalidate><fieldset><legend>Answers</legend>{"".join(rows)}'
        '</fieldset><button type="submit">Check all</button></form></section>'
        f'<script type="application/json" id="nntrace-blanks">{data}</script>'
        f"<script>{SELFCHECK_SCRIPT}</script><style>{FORM_STYLE}</style>"
    )
    at = page.rindex("</main>")
    return page[:at] + form + page[at:]


def booklet(template: Template, variants: list[Variant], works: list[Worked], to: str, answers: bool) -> str:
    """Every variant's worksheet (or key) in one document, a part per student."""
    parts = []
    for variant, work in zip(variants, works):
        one = sheet_document(template, variant, work, answers)
        parts.append(Section(Remark((one.title,)), sections=one.sections, label=variant.student))
    first = works[0]
    numbers = first.options.numbers if answers else RenderOptions(precision=template.given_decimals).numbers
    title = f"{template.name}: {'keys' if answers else 'worksheets'}"
    return document_template(to, numbers).write(Document(title, first.facts.rows, tuple(parts)))
