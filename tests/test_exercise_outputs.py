"""What `nntrace exercise` writes, read back by real readers of each format, and `nntrace grade`
(issue 23). The rules each format is checked against are written out beside each test."""

from __future__ import annotations

import csv
import importlib.util
import json
import os
import random
import re
import subprocess
import uuid
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from plain_training import cell, epochs
from tools import offline, require

CLASS = 6  # variants of the shipped paper template in the shared class folder


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """One class of the shipped paper template, every output."""
    from click.testing import CliRunner

    from nntrace.cli import main

    folder = tmp_path_factory.mktemp("class") / "out"
    result = CliRunner().invoke(main, ["exercise", "paper-exercise", "--variants", str(CLASS), "-o", str(folder)],
                                catch_exceptions=False)  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert f"for {CLASS} students (23 blanks each" in result.stderr
    return folder


def key_of(folder: Path) -> dict:
    return json.loads((folder / "key.json").read_text("utf-8"))


# The shipped paper template asks these at 3 and 4 decimals: a blank's window is one unit of them.
PAPER_WINDOWS = {"H_in": 0.001, "H_out": 0.001, "O_out": 0.001, "E": 0.001, "delta_out": 0.0001, "W_out+": 0.0001,
                 "b_out+": 0.0001}  # fmt: skip


def worked(student: dict) -> list[tuple[float, float]]:
    """(value, window) of each of a student's blanks: the value by a plain numpy loop on the
    student's drawn numbers (tests/plain_training.py), the window from the template's decimals."""
    (one,) = epochs(student["spec"], 1)
    return [(cell(one, blank["id"]), PAPER_WINDOWS[blank["id"].split("[")[0]]) for blank in student["blanks"]]


def test_the_class_folder_holds_every_output(made):
    names = {path.relative_to(made).as_posix() for path in made.rglob("*") if path.is_file()}
    for n in range(1, CLASS + 1):
        for folder, extension in (
            ("worksheets", "tex"),
            ("worksheets", "md"),
            ("worksheets", "html"),
            ("keys", "tex"),
            ("keys", "md"),
            ("keys", "html"),
            ("selfcheck", "html"),
        ):
            assert f"{folder}/v{n}.{extension}" in names
    assert {"key.csv", "key.json", "moodle.xml", "canvas-qti.zip"} <= names
    assert sum(name.startswith("prairielearn/") for name in names) == 3
    rows = list(csv.reader((made / "key.csv").open(encoding="utf-8")))
    assert rows[0][:4] == ["id", "name", "H_in[2,3]", "H_out[1,1]"] and len(rows) == CLASS + 1 and len(rows[0]) == 25


def test_a_worksheet_has_blanks_and_its_key_the_answers_and_the_worked_solution(made):
    key = key_of(made)["students"][0]
    worksheet = (made / "worksheets/v1.md").read_text("utf-8")
    answers = (made / "keys/v1.md").read_text("utf-8")
    assert worksheet.count(r"\_\_\_\_\_\_\_\_") == 23 and "Step 7" not in worksheet
    assert "## Given" in worksheet and "## Questions" in worksheet
    for blank in key["blanks"]:
        assert f"= {blank['key']}" in answers
    assert "Step 7" in answers and "Step 11" in answers
    # the givens printed with the template's 2 decimals on the worksheet
    w = key["spec"]["layers"][0]["weights"][0][0]
    assert f"{w:.2f}" in worksheet


def test_the_latex_worksheet_and_key_compile(made, tmp_path):
    pdflatex = require("pdflatex", "texlive-latex-base")
    for name in ("worksheets/v1.tex", "keys/v1.tex"):
        source = tmp_path / Path(name).name.replace("v1", Path(name).parent.name)
        source.write_text((made / name).read_text("utf-8"), encoding="utf-8")
        done = subprocess.run([pdflatex, "-interaction=nonstopmode", "-halt-on-error", source.name], check=False, cwd=tmp_path,
                              capture_output=True, text=True, timeout=120)  # fmt: skip
        assert done.returncode == 0, done.stdout[-2000:]
        assert source.with_suffix(".pdf").stat().st_size > 1000


CLOZE_NUMERICAL = re.compile(r"\{1:NUMERICAL:(.*?)\}(?=</li>)")


def cloze_answers(body: str) -> list[tuple[str, float, float, str]]:
    """(fraction, answer, tolerance, feedback) of a NUMERICAL sub-question: answers are separated by
    an unescaped ~, each is [=|%n%]answer:tolerance#feedback, with }, #, ~, / escaped by a backslash."""
    parts = re.split(r"(?<!\\)~", body)
    found = []
    for part in parts:
        match = re.fullmatch(r"(=|%(\d+)%)(-?[0-9.]+):([0-9.e-]+)#(.*)", part, re.DOTALL)
        assert match, part
        fraction = "100" if match.group(1) == "=" else match.group(2)
        found.append((fraction, float(match.group(3)), float(match.group(4)), match.group(5)))
    return found


def test_moodle_xml_is_a_category_and_a_cloze_question_per_variant(made):
    # Moodle's XML import: <quiz> holds <question> elements; a type="category" question whose
    # <category><text> is $course$/top/NAME files the questions after it under NAME; a type="cloze"
    # question carries its sub-questions inside <questiontext>, each {weight:NUMERICAL:answers},
    # where the answer marked = earns full marks within ±tolerance (absolute), and answers marked
    # %0% give their #feedback and no marks.
    root = ET.parse(made / "moodle.xml").getroot()
    assert root.tag == "quiz"
    questions = root.findall("question")
    assert questions[0].get("type") == "category"
    assert questions[0].find("category/text").text == "$course$/top/One epoch of the paper's network by hand"
    clozes = questions[1:]
    assert len(clozes) == CLASS and {q.get("type") for q in clozes} == {"cloze"}
    key = key_of(made)
    for question, student in zip(clozes, key["students"]):
        assert question.find("idnumber").text == student["id"]
        text = question.find("questiontext/text").text
        bodies = CLOZE_NUMERICAL.findall(text)
        assert len(bodies) == 23
        for body, blank, (true, window) in zip(bodies, student["blanks"], worked(student)):
            answers = cloze_answers(body)
            fraction, answer, tolerance, _ = answers[0]
            assert fraction == "100" and answer == float(blank["key"])
            assert abs(answer - true) <= window / 2 + 1e-12  # the true value rounded to the asked decimals
            # the absolute tolerance is the window: one unit of the last asked decimal here
            assert tolerance == window
            for fraction, value, _, feedback in answers[1:]:
                assert fraction == "0" and feedback.startswith("Likely slip: ")
                assert abs(value - true) > window


def test_a_relative_tolerance_becomes_each_blanks_absolute_tolerance(tmp_path, cli):
    template = tmp_path / "t.yaml"
    text = (Path(__file__).parent.parent / "configs/paper-exercise.yaml").read_text("utf-8")
    text = text[: text.index("ask:")] + "ask: [{quantity: δ_out, decimals: 5, tolerance: 0.002}, W_out+]\n"
    template.write_text(text, encoding="utf-8")
    result = cli("exercise", str(template), "--variants", "2", "--only", "moodle", "-o", str(tmp_path / "o"))
    assert result.exit_code == 0, result.stderr
    key = key_of(tmp_path / "o")
    text = ET.parse(tmp_path / "o/moodle.xml").getroot().findall("question")[1].find("questiontext/text").text
    bodies = CLOZE_NUMERICAL.findall(text)
    assert len(bodies) == 6
    (plain,) = epochs(key["students"][0]["spec"], 1)
    for body, blank in zip(bodies, key["students"][0]["blanks"]):
        tolerance = cloze_answers(body)[0][2]
        if blank["label"].startswith("δ"):  # 0.2 % of a delta of about 0.1 is more than 1e-5
            assert tolerance == pytest.approx(0.002 * abs(cell(plain, blank["id"])), rel=1e-9) and tolerance > 1e-5
        else:  # no relative tolerance: one unit of the third decimal
            assert tolerance == 0.001


QTI = "{http://www.imsglobal.org/xsd/ims_qtiasiv1p2}"


def test_the_canvas_package_is_qti_1_2_with_a_group_per_blank(made):
    # A QTI 1.2 package for Canvas: a zip whose imsmanifest.xml lists a resource of type
    # imsqti_xmlv1p2 and its file; that file's <questestinterop> holds one <assessment> with a root
    # <section>; a nested <section> with <selection_ordering><selection><selection_number>1 is a
    # question group that draws one of its items; an <item> whose metadata says numerical_question
    # is answered by number, and its <resprocessing> sets SCORE to 100 when the response is the key
    # or lies between <vargte> and <varlte> (the margin).
    with zipfile.ZipFile(made / "canvas-qti.zip") as archive:
        manifest = ET.fromstring(archive.read("imsmanifest.xml"))
        ns = "{http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1}"
        resource = manifest.find(f"{ns}resources/{ns}resource")
        assert resource.get("type") == "imsqti_xmlv1p2"
        assessment = ET.fromstring(archive.read(resource.find(f"{ns}file").get("href")))
    assert assessment.tag == f"{QTI}questestinterop"
    root = assessment.find(f"{QTI}assessment/{QTI}section")
    groups = root.findall(f"{QTI}section")
    assert len(groups) == 23
    key = key_of(made)
    for number, group in enumerate(groups):
        assert group.find(f"{QTI}selection_ordering/{QTI}selection/{QTI}selection_number").text == "1"
        items = group.findall(f"{QTI}item")
        assert len(items) == CLASS
        for item, student in zip(items, key["students"]):
            blank = student["blanks"][number]
            true, window = worked(student)[number]
            fields = {f.find(f"{QTI}fieldlabel").text: f.find(f"{QTI}fieldentry").text
                      for f in item.iter(f"{QTI}qtimetadatafield")}  # fmt: skip
            assert fields["question_type"] == "numerical_question"
            condition = item.find(f"{QTI}resprocessing/{QTI}respcondition")
            assert condition.find(f"{QTI}setvar").text == "100"
            low = float(condition.find(f".//{QTI}vargte").text)
            high = float(condition.find(f".//{QTI}varlte").text)
            assert low == pytest.approx(true - window, abs=1e-12) and high == pytest.approx(true + window, abs=1e-12)
            assert condition.find(f".//{QTI}varequal").text == blank["key"]


def load_server(path: Path):
    spec = importlib.util.spec_from_file_location("pl_server", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_prairielearn_question_generates_a_variant_and_grades_it_naming_a_slip(made):
    # PrairieLearn: a question directory holds info.json (a uuid, a title, a topic, type v3),
    # question.html (elements such as pl-number-input, each answers-name'd) and server.py, whose
    # generate(data) fills data["params"] and data["correct_answers"], and whose grade(data) may set
    # data["partial_scores"][name], data["feedback"][name] and data["score"] from
    # data["submitted_answers"] (with data["format_errors"] for answers that did not parse).
    (folder,) = (made / "prairielearn").iterdir()
    info = json.loads((folder / "info.json").read_text("utf-8"))
    assert uuid.UUID(info["uuid"]).version == 4 and info["type"] == "v3" and info["title"] and info["topic"]
    question = (folder / "question.html").read_text("utf-8")
    names = re.findall(r'<pl-number-input answers-name="(b\d+)"', question)
    assert names == [f"b{n}" for n in range(1, 24)]
    server = load_server(folder / "server.py")
    random.seed(3)
    data = {"params": {}, "correct_answers": {}, "submitted_answers": {}, "format_errors": {},
            "partial_scores": {}, "score": 0, "feedback": {}, "variant_seed": 3, "options": {}}  # fmt: skip
    server.generate(data)
    variant = server.VARIANTS[data["params"]["variant"]]
    key = next(s for s in key_of(made)["students"] if s["id"] == variant["student"])
    assert data["correct_answers"]["b1"] == key["blanks"][0]["value"]
    data["submitted_answers"] = {name: value for name, value in data["correct_answers"].items()}
    delta = key["blanks"][16]  # δ_out[1,1]
    assert delta["label"] == "δ_out[1,1]"
    data["submitted_answers"]["b17"] = -delta["value"]  # a sign error
    data["submitted_answers"]["b18"] = "abc"
    data["format_errors"]["b18"] = "Invalid format"
    server.grade(data)
    assert data["score"] == pytest.approx(21 / 23)
    assert data["partial_scores"]["b17"]["score"] == 0 and data["partial_scores"]["b1"]["score"] == 1
    assert data["feedback"]["b17"].startswith("Not right. Likely slip: a sign error")
    assert "Look at Step 7 (Output delta)." in data["feedback"]["b17"]


def test_the_self_checking_worksheet_judges_answers_in_the_page(made, browser):
    key = key_of(made)["students"][0]
    context, requested = offline(browser)
    page = context.new_page()
    page.goto((made / "selfcheck/v1.html").as_uri())
    h_out = key["blanks"][1]  # H_out[1,1]
    delta = key["blanks"][16]  # δ_out[1,1]
    # each field has its label and a live region that a screen reader announces
    assert page.get_by_label(re.compile(r"^2\. H_out\[1,1\], to 3 decimals")).count() == 1
    assert page.locator("#b2-verdict").get_attribute("aria-live") == "polite"
    page.get_by_label(re.compile(r"^2\. H_out\[1,1\]")).fill(h_out["key"])
    page.keyboard.press("Enter")  # the form is checked from the keyboard
    assert page.locator("#b2-verdict").inner_text() == "Right."
    page.get_by_label(re.compile(r"^17\. δ_out\[1,1\]")).fill(f"{-delta['value']:.4f}")
    page.locator("#b17-check").click()
    words = page.locator("#b17-verdict").inner_text()
    assert words.startswith("Not right. Likely slip: a sign error") and words.endswith("Look at Step 7 (Output delta).")
    page.get_by_label(re.compile(r"^18\. δ_out\[2,1\]")).fill("0,12x")
    page.locator("#b18-check").click()
    assert page.locator("#b18-verdict").inner_text().startswith("Not a number")
    assert page.locator("#b18").get_attribute("aria-invalid") == "true"
    assert all(url.startswith("file://") for url in requested), requested
    context.close()


def test_a_roster_with_a_duplicate_id_writes_nothing(tmp_path, cli):
    roster = tmp_path / "class.csv"
    roster.write_text("id,name\n1001,Ada\n1002,Ben\n1001,Cy\n", encoding="utf-8")
    result = cli("exercise", "paper-exercise", "--roster", str(roster), "-o", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert "line 4: the id '1001' is also on line 2" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists() and [p.name for p in tmp_path.iterdir()] == ["class.csv"]


def test_a_template_no_draw_satisfies_is_refused_and_nothing_is_written(tmp_path, cli):
    text = (Path(__file__).parent.parent / "configs/classic-2-2-2-exercise.yaml").read_text("utf-8")
    template = tmp_path / "t.yaml"
    template.write_text(text + "smallest: 100\nredraws: 4\n", encoding="utf-8")
    result = cli("exercise", str(template), "--variants", "3", "-o", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert "no draw of 4 for 'v1' passes the checks" in result.stderr and "below 100" in result.stderr
    assert not (tmp_path / "out").exists()


def test_the_same_roster_gives_the_same_class(tmp_path, cli):
    roster = tmp_path / "class.csv"
    roster.write_text("id,name\nada@uni,Ada\nben@uni,Ben\n", encoding="utf-8")
    for out in ("a", "b"):
        assert cli("exercise", "classic-2-2-2-exercise", "--roster", str(roster), "--only", "moodle",
                   "-o", str(tmp_path / out)).exit_code == 0  # fmt: skip
    assert (tmp_path / "a/key.json").read_text() == (tmp_path / "b/key.json").read_text()
    assert (tmp_path / "a/moodle.xml").read_bytes() == (tmp_path / "b/moodle.xml").read_bytes()
    other = cli("exercise", "classic-2-2-2-exercise", "--roster", str(roster), "--seed", "1", "--only", "moodle",
                "-o", str(tmp_path / "c"))  # fmt: skip
    assert other.exit_code == 0
    assert (tmp_path / "a/key.json").read_text() != (tmp_path / "c/key.json").read_text()


def test_a_folder_that_is_not_empty_is_refused_without_force(tmp_path, cli):
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    result = cli("exercise", "classic-2-2-2-exercise", "--variants", "2", "-o", str(out))
    assert result.exit_code == 2 and "the folder is not empty" in result.stderr
    assert [p.name for p in out.iterdir()] == ["notes.txt"]
    assert cli("exercise", "classic-2-2-2-exercise", "--variants", "2", "--only", "moodle", "--force",
               "-o", str(out)).exit_code == 0  # fmt: skip
    assert (out / "notes.txt").read_text() == "mine" and (out / "moodle.xml").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.")]


# -- grading ------------------------------------------------------------------------------------------


def answers_csv(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)


def test_bad_submissions_are_named_and_the_rest_graded(made, tmp_path, cli):
    rows = list(csv.reader((made / "key.csv").open(encoding="utf-8")))
    header = rows[0] + ["Q_out[1,1]"]
    body = [row + ["1"] for row in rows[1:]]
    body[1][header.index("O_out[1,1]")] = "0.7x"
    body[2][header.index("E[2,1]")] = ""
    body.append(["nobody", "", *body[0][2:]])
    answers_csv(tmp_path / "answers.csv", [header, *body])
    result = cli("grade", str(made / "key.json"), str(tmp_path / "answers.csv"), "-o", str(tmp_path / "g"))
    assert result.exit_code == 1, result.stderr
    assert "column 'Q_out[1,1]': is not a blank of this exercise" in result.stderr
    assert "answers.csv, line 3, O_out[1,1]: '0.7x' is not a number" in result.stderr
    assert f"answers.csv, line {CLASS + 2}: no student 'nobody' in the key" in result.stderr
    book = list(csv.DictReader((tmp_path / "g/gradebook.csv").open(encoding="utf-8")))
    assert [row["id"] for row in book] == [f"v{n}" for n in range(1, CLASS + 1)]
    scores = {row["id"]: row["score"] for row in book}
    assert scores == {"v1": "23", "v2": "22", "v3": "22", **{f"v{n}": "23" for n in range(4, CLASS + 1)}}
    assert book[1]["O_out[1,1]"] == "not a number" and book[2]["E[2,1]"] == "missing"
    assert book[2]["first_error"] == "E[2,1]" and book[2]["first_error_cause"] == "no answer given"
    # nothing is overwritten: a second grading into the same folder is refused
    again = cli("grade", str(made / "key.json"), str(tmp_path / "answers.csv"), "-o", str(tmp_path / "g"))
    assert again.exit_code == 2 and "not empty" in again.stderr


def test_a_gradescope_autograder_is_written_and_one_student_graded_for_it(made, tmp_path, cli):
    rows = list(csv.reader((made / "key.csv").open(encoding="utf-8")))
    answers_csv(tmp_path / "all.csv", rows)
    result = cli("grade", str(made / "key.json"), str(tmp_path / "all.csv"), "-o", str(tmp_path / "g"))
    assert result.exit_code == 0, result.stderr
    script = tmp_path / "g/gradescope/run_autograder"
    assert os.access(script, os.X_OK) and "--results /autograder/results/results.json" in script.read_text()
    claims = tmp_path / "answers.yaml"
    key = key_of(made)["students"][1]
    h_out = [[b["key"] for b in key["blanks"][1 + 3 * r : 4 + 3 * r]] for r in range(3)]
    claims.write_text("claims:\n  - H_out: " + json.dumps(h_out).replace('"', "") + "\n", encoding="utf-8")
    out = tmp_path / "results.json"
    result = cli("grade", str(made / "key.json"), str(claims), "--student", key["id"], "--results", str(out))
    results = json.loads(out.read_text("utf-8"))
    # the nine H_out cells right; the 14 other blanks not answered
    assert results["score"] == 9 and len(results["tests"]) == 23
    assert [t["status"] for t in results["tests"][1:10]] == ["passed"] * 9
    assert results["tests"][0]["output"] == "missing: no answer given"
    # the unanswered blanks are said on stderr, exit 1 (run_autograder lets 1 pass: the results stand)
    assert result.exit_code == 1 and "answers.yaml: no answer for H_in[2,3], O_out[1,1]" in result.stderr


def test_a_booklet_is_one_worksheet_and_one_key_for_the_class(tmp_path, cli):
    result = cli("exercise", "classic-2-2-2-exercise", "--variants", "3", "--booklet", "--only", "markdown",
                 "-o", str(tmp_path / "b"))  # fmt: skip
    assert result.exit_code == 0, result.stderr
    names = sorted(p.relative_to(tmp_path / "b").as_posix() for p in (tmp_path / "b").rglob("*") if p.is_file())
    assert names == ["key.csv", "key.json", "keys.md", "worksheets.md"]
    worksheets = (tmp_path / "b/worksheets.md").read_text("utf-8")
    keys = (tmp_path / "b/keys.md").read_text("utf-8")
    for student in ("v1", "v2", "v3"):
        assert f"worksheet for {student}" in worksheets and f"key for {student}" in keys
    assert worksheets.count(r"\_\_\_\_\_\_\_\_") == 3 * 11 and keys.count("Step 5") >= 3


def test_an_unknown_output_is_refused_before_any_work(tmp_path, cli):
    result = cli("exercise", "paper-exercise", "--variants", "2", "--only", "latex,pdf", "-o", str(tmp_path / "o"))
    assert result.exit_code == 2 and "--only: 'pdf' is not an output" in result.stderr
    assert "fix: choose from latex" in result.stderr and not (tmp_path / "o").exists()
    both = cli("exercise", "paper-exercise", "--variants", "2", "--roster", "r.csv", "-o", str(tmp_path / "o"))
    assert both.exit_code == 2 and "--roster/--variants: give one of them" in both.stderr


def test_files_are_written_as_they_are_made_and_a_failure_midway_leaves_nothing(tmp_path):
    from nntrace.api.exercises import write_folder

    made: list[str] = []

    def files(fail: bool):
        for number in range(3):
            if fail and number == 2:
                raise OSError("no space left on device")
            made.append(f"keys/s{number}.md")
            yield f"keys/s{number}.md", f"key {number}\n"

    assert write_folder(files(False), str(tmp_path / "class")) == 3
    assert sorted(p.name for p in (tmp_path / "class" / "keys").iterdir()) == ["s0.md", "s1.md", "s2.md"]
    made.clear()
    with pytest.raises(OSError):
        write_folder(files(True), str(tmp_path / "other"))
    assert made == ["keys/s0.md", "keys/s1.md"]  # two were written before the failure...
    assert sorted(p.name for p in tmp_path.iterdir()) == ["class"]  # ...and neither they nor a temporary stay
