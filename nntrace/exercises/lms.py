"""The class's variants for a learning-management system, and as a plain key.

- Moodle XML: a category per exercise, then one Cloze (embedded answers) question per variant; each
  blank a NUMERICAL sub-question with the key and its absolute tolerance (the blank's window: the
  relative tolerance times |key|, or one unit of the last decimal asked, whichever is larger), then
  each catalogued slip's answer as a 0 % answer whose feedback names the slip.
- PrairieLearn: a question directory: info.json (a UUID made from the exam's seed and name, so a
  second export keeps it), question.html (a pl-number-input per blank, with its absolute tolerance),
  and server.py, whose generate() picks a variant from the table it carries and whose grade() names
  the slip behind each wrong answer.
- Canvas: a QTI 1.2 package (a zip of imsmanifest.xml and one assessment), a question group per asked
  blank, one numerical question per variant in it, the key with its margin.
- A plain key: CSV (a row per student, a column per blank) and JSON (with windows and slips).
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import json
import uuid
import zipfile

from nntrace.checking.claims import rounded_text
from nntrace.common.kept import ByIdentity
from nntrace.engine.network import build_network
from nntrace.exercises.template import Template
from nntrace.exercises.variants import Blank, Variant
from nntrace.notation.numbers import NumberFormat, written


def xml_escape(text: str) -> str:
    """Text in XML: &, < and > escaped, as xml.sax.saxutils.escape does (whose import brings in
    urllib, http and ssl: some 17 ms of a class's start)."""
    return html.escape(text, quote=False)


# -- the givens as plain HTML, which every LMS shows -------------------------------------------------


def givens_html(template: Template, variant: Variant) -> str:
    """A variant's givens as plain HTML: the same text for its Moodle, Canvas and PrairieLearn
    questions, written once (by the variant, and the template's fields it depends on)."""
    return _GIVENS.get(variant, (template.given_decimals, template.give), lambda: _givens_html(template, variant))


_GIVENS = ByIdentity(most=1024)


def _givens_html(template: Template, variant: Variant) -> str:
    spec = variant.spec
    decimals = template.given_decimals
    shown: list[tuple[str, object]] = []
    if "inputs" in template.give:
        shown.append(("X (one sample a row)", spec.inputs))
    if "targets" in template.give and spec.targets is not None:
        shown.append(("y", spec.targets))
    network = build_network(spec)
    for layer, layer_spec in zip(network.layers, spec.layers):
        if "weights" in template.give:
            shown.append((layer.names.weights.key, layer_spec.weights))
        if "biases" in template.give:
            shown.append((layer.names.biases.key, [layer_spec.biases]))
    parts = []
    for name, matrix in shown:
        rows = "".join(
            "<tr>" + "".join(f"<td>{written(float(x), NumberFormat(decimals)).plain()}</td>" for x in row) + "</tr>"
            for row in matrix
        )
        parts.append(f'<p>{html.escape(name)} =</p><table border="1" class="nntrace-given">{rows}</table>')
    facts = []
    if "activation" in template.give:
        facts.append(
            "activations: " + ", ".join(f"{layer.names.layer} {layer.activation.name}" for layer in network.layers)
        )
    if "loss" in template.give:
        facts.append(f"loss: {spec.loss}")
    if "learning_rate" in template.give and spec.learning_rate is not None:
        facts.append(f"learning rate η = {spec.learning_rate:g}")
    if facts:
        parts.append("<p>" + html.escape("; ".join(facts)) + "</p>")
    return "".join(parts)


def question_words(blank: Blank) -> str:
    words = f"{blank.label}"
    if blank.label.split("[")[0].endswith("⁺"):
        words += " after the update"
    if blank.epoch != 1:
        words += f" in epoch {blank.epoch}"
    if blank.scale != 1:
        words += f", times {blank.scale:g}"
    return words + f", to {blank.decimals} decimals"


def tolerance_text(blank: Blank) -> str:
    """The absolute tolerance, written with the digits it has (no float noise)."""
    return f"{blank.window:.12g}"


def _uuid(template: Template, what: str) -> str:
    digest = hashlib.sha256(f"nntrace\x00{template.seed}\x00{template.name}\x00{what}".encode()).digest()
    return str(uuid.UUID(bytes=digest[:16], version=4))


# -- Moodle ---------------------------------------------------------------------------------------


def cloze_escape(text: str) -> str:
    """Text inside a Cloze answer or feedback: }, #, ~, /, " and \\ are escaped with a backslash."""
    for character in '\\}#~/"':
        text = text.replace(character, "\\" + character)
    return text


def cloze_blank(blank: Blank) -> str:
    tolerance = tolerance_text(blank)
    answers = [f"={blank.key_text}:{tolerance}#{cloze_escape('Right.')}"]
    for slip in blank.slips:
        feedback = f"Likely slip: {slip.words}." + (f" Look at {blank.step}." if blank.step else "")
        answers.append(f"%0%{rounded_text(slip.value, blank.decimals)}:{tolerance}#{cloze_escape(feedback)}")
    return "{1:NUMERICAL:" + "~".join(answers) + "}"


def moodle_xml(template: Template, variants: list[Variant]) -> str:
    out = ['<?xml version="1.0" encoding="UTF-8"?>', "<quiz>"]
    out.append(f'<question type="category"><category><text>$course$/top/{xml_escape(template.name)}</text>'
               "</category></question>")  # fmt: skip
    for variant in variants:
        lines = [givens_html(template, variant), "<ol>"]
        for blank in variant.blanks:
            lines.append(f"<li>{html.escape(question_words(blank))}: {cloze_blank(blank)}</li>")
        lines.append("</ol>")
        text = "".join(lines).replace("]]>", "]]]]><![CDATA[>")
        name = f"{template.name} — {variant.student}"
        out.append(
            '<question type="cloze">'
            f"<name><text>{xml_escape(name)}</text></name>"
            f'<questiontext format="html"><text><![CDATA[{text}]]></text></questiontext>'
            '<generalfeedback format="html"><text></text></generalfeedback>'
            f"<penalty>0</penalty><hidden>0</hidden><idnumber>{xml_escape(variant.student)}</idnumber>"
            "</question>"
        )
    out.append("</quiz>")
    return "\n".join(out) + "\n"


# -- PrairieLearn ------------------------------------------------------------------------------------

SERVER = '''"""A PrairieLearn question written by nntrace: generate() picks a variant from VARIANTS, grade()
names the catalogued slip behind a wrong answer."""

import random

VARIANTS = __VARIANTS__


def _variant(data):
    return VARIANTS[data["params"]["variant"]]


def generate(data):
    number = random.randrange(len(VARIANTS))
    variant = VARIANTS[number]
    data["params"]["variant"] = number
    data["params"]["student"] = variant["student"]
    data["params"]["givens"] = variant["givens"]
    for blank in variant["blanks"]:
        data["params"][blank["name"] + "_label"] = blank["question"]
        data["correct_answers"][blank["name"]] = blank["key"]


def grade(data):
    variant = _variant(data)
    scores = []
    for blank in variant["blanks"]:
        name = blank["name"]
        if name in data.get("format_errors", {}):
            scores.append(0.0)
            continue
        try:
            answer = float(data["submitted_answers"].get(name))
        except (TypeError, ValueError):
            scores.append(0.0)
            continue
        slack = blank["window"] * (1 + 1e-9)
        right = abs(answer - blank["key"]) <= slack
        data["partial_scores"][name] = {"score": 1.0 if right else 0.0, "weight": 1}
        scores.append(1.0 if right else 0.0)
        if not right:
            words = "Not right."
            for slip in blank["slips"]:
                if abs(answer - slip["value"]) <= slack:
                    words += " Likely slip: " + slip["words"] + "."
                    break
            if blank["look_at"]:
                words += " Look at " + blank["look_at"] + "."
            data["feedback"][name] = words
    data["score"] = sum(scores) / len(scores) if scores else 0.0
'''


def prairielearn(template: Template, variants: list[Variant]) -> dict[str, str]:
    """The files of a PrairieLearn question directory, by name."""
    table = []
    for variant in variants:
        table.append({
            "student": variant.student,
            "givens": givens_html(template, variant),
            "blanks": [
                {"name": f"b{n}", "id": blank.id, "question": question_words(blank), "key": blank.value,
                 "window": blank.window, "look_at": blank.step,
                 "slips": [{"value": slip.value, "words": slip.words} for slip in blank.slips]}
                for n, blank in enumerate(variant.blanks, start=1)
            ],
        })  # fmt: skip
    info = {
        "uuid": _uuid(template, "prairielearn"),
        "title": template.name,
        "topic": "Backpropagation",
        "tags": ["nntrace", "backpropagation"],
        "type": "v3",
    }
    first = variants[0]
    inputs = "\n".join(
        f'  <p>{{{{params.b{n}_label}}}}</p>\n  <pl-number-input answers-name="b{n}" comparison="relabs" rtol="0" '
        f'atol="{tolerance_text(blank)}" label="{html.escape(blank.label)} =" show-correct-answer="true">'
        "</pl-number-input>"
        for n, blank in enumerate(first.blanks, start=1)
    )
    question = (
        "<pl-question-panel>\n  <p>Work one pass of backpropagation by hand for this network.</p>\n"
        "  {{{params.givens}}}\n</pl-question-panel>\n" + inputs + "\n"
    )
    server = SERVER.replace("__VARIANTS__", json_rows(table, ensure_ascii=True))
    return {"info.json": json.dumps(info, indent=2) + "\n", "question.html": question, "server.py": server}


# -- Canvas (QTI 1.2) --------------------------------------------------------------------------------

QTI_NS = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"


def _qti_item(template: Template, variant: Variant, givens: str, blank: Blank, number: int) -> str:
    """One numerical question; `givens`: the variant's givens as HTML, already escaped for XML (once a
    variant: escaping text piece by piece is escaping it whole)."""
    low, high = blank.value - blank.window, blank.value + blank.window
    text = givens + xml_escape(f"<p>{html.escape(question_words(blank))}</p>")
    ident = f"{variant.student}-{number}"
    field = ("<qtimetadatafield><fieldlabel>{}</fieldlabel><fieldentry>{}</fieldentry></qtimetadatafield>").format
    return (
        f'<item ident="{xml_escape(_uuid(template, ident))}" title="{xml_escape(blank.label + " — " + variant.student)}">'
        "<itemmetadata><qtimetadata>"
        + field("question_type", "numerical_question")
        + field("points_possible", "1")
        + "</qtimetadata></itemmetadata>"
        f'<presentation><material><mattext texttype="text/html">{text}</mattext></material>'
        '<response_str ident="response1" rcardinality="Single"><render_fib fibtype="Decimal">'
        '<response_label ident="answer1"/></render_fib></response_str></presentation>'
        '<resprocessing><outcomes><decvar maxvalue="100" minvalue="0" varname="SCORE" vartype="Decimal"/></outcomes>'
        '<respcondition continue="No"><conditionvar><or>'
        f'<varequal respident="response1">{blank.key_text}</varequal>'
        f'<and><vargte respident="response1">{low:.12g}</vargte><varlte respident="response1">{high:.12g}</varlte></and>'
        '</or></conditionvar><setvar action="Set" varname="SCORE">100</setvar></respcondition>'
        "</resprocessing></item>"
    )


def qti_zip(template: Template, variants: list[Variant]) -> bytes:
    assessment_id = _uuid(template, "qti")
    groups = []
    givens = [xml_escape(givens_html(template, variant)) for variant in variants]
    for number, blank in enumerate(variants[0].blanks, start=1):
        items = "".join(_qti_item(template, variant, given, variant.blanks[number - 1], number)
                        for variant, given in zip(variants, givens))  # fmt: skip
        groups.append(
            f'<section ident="{_uuid(template, f"group-{number}")}" title="{xml_escape(blank.label)}">'
            "<selection_ordering><selection><selection_number>1</selection_number>"
            "<selection_extension><points_per_item>1</points_per_item></selection_extension>"
            f"</selection></selection_ordering>{items}</section>"
        )
    assessment = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<questestinterop xmlns="{QTI_NS}">'
        f'<assessment ident="{assessment_id}" title="{xml_escape(template.name)}">'
        '<section ident="root_section">' + "".join(groups) + "</section></assessment></questestinterop>\n"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<manifest identifier="{_uuid(template, "manifest")}" xmlns="http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1">'
        "<metadata><schema>IMS Content</schema><schemaversion>1.1.3</schemaversion></metadata><organizations/>"
        f'<resources><resource identifier="{assessment_id}" type="imsqti_xmlv1p2">'
        f'<file href="{assessment_id}/{assessment_id}.xml"/></resource></resources></manifest>\n'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in (("imsmanifest.xml", manifest), (f"{assessment_id}/{assessment_id}.xml", assessment)):
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))  # the same bytes every time
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text)
    return buffer.getvalue()


# -- the plain key ------------------------------------------------------------------------------------


def key_csv(variants: list[Variant]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["id", "name", *(blank.id for blank in variants[0].blanks)])
    for variant in variants:
        writer.writerow([variant.student, variant.name, *(blank.key_text for blank in variant.blanks)])
    return buffer.getvalue()


def key_data(template: Template, variants: list[Variant]) -> dict:
    return {
        "format": "nntrace-exercise-key/1",
        "exercise": template.name,
        "seed": template.seed,
        "partial_credit": template.partial_credit,
        "students": [
            {
                "id": variant.student,
                "name": variant.name,
                "spec": variant.spec_document,
                "blanks": [
                    {"id": blank.id, "label": blank.label, "epoch": blank.epoch, "key": blank.key_text,
                     "value": blank.value, "window": blank.window, "decimals": blank.decimals, "scale": blank.scale,
                     "look_at": blank.step,
                     "slips": [{"value": slip.value, "words": slip.words, "kind": slip.kind} for slip in blank.slips]}
                    for blank in variant.blanks
                ],
            }
            for variant in variants
        ],
    }  # fmt: skip


def key_json(template: Template, variants: list[Variant]) -> str:
    data = key_data(template, variants)
    students = data.pop("students")
    head = json.dumps(data, indent=1, ensure_ascii=False)[: -len("\n}")]
    return f'{head},\n "students": {json_rows(students, ensure_ascii=False)}\n}}\n'


def json_rows(rows: list, ensure_ascii: bool) -> str:
    """A JSON list with a row (a student) per line: readable, and written by json's C encoder (an
    indented dump of a class runs its pure-Python one, several times slower)."""
    return "[\n" + ",\n".join(json.dumps(row, ensure_ascii=ensure_ascii) for row in rows) + "\n]"
