"""Submissions graded against the class's key (key.json, written by `nntrace exercise`).

A submission is a claims file (as `nntrace check` reads one: its claims by the names nntrace
prints; the student is the file's stem, or the one named) or a row of one CSV (a column `id`, then
a column per blank, named as key.csv names them). Each blank is right when the answer lies within
its window of the key. A wrong one is judged further by `check` on the student's own variant: a
consequence of an earlier wrong answer (the numbers before it, fed on, give it) is said so, and
earns the template's `partial_credit`; a first error is named by the catalogued slip whose answer
it is, else by the causes check finds. A bad submission (an unknown student, a blank the exercise
does not ask, an answer that is not a number, a missing answer, a CSV without a blank's column) is
reported naming its row and field (a missing column once, for its file); every other submission is
still graded.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

from nntrace.checking.check import CheckReport, check
from nntrace.checking.claims import Number, parse_claims
from nntrace.common.errors import SpecError
from nntrace.exercises.variants import Blank, Slip, ascii_name, id_column
from nntrace.spec.reading import read_text

MAX_SUBMISSION_BYTES = 16 << 20


@dataclass(frozen=True)
class KeyStudent:
    id: str
    name: str
    spec: dict
    blanks: tuple[Blank, ...]


@dataclass(frozen=True)
class Key:
    exercise: str
    partial_credit: float
    students: dict[str, KeyStudent]

    @property
    def blank_ids(self) -> list[str]:
        first = next(iter(self.students.values()))
        return [blank.id for blank in first.blanks]


def read_key(path: str | Path) -> Key:
    path = Path(path)
    text = read_text(path, "KEY", 256 << 20, "the key.json `nntrace exercise` wrote")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise SpecError(f"KEY {path}", f"is not JSON: {error.msg} at line {error.lineno}",
                        "give the key.json `nntrace exercise` wrote") from None  # fmt: skip
    if not isinstance(data, dict) or data.get("format") != "nntrace-exercise-key/1":
        raise SpecError(f"KEY {path}", "is not a key written by `nntrace exercise` (format nntrace-exercise-key/1)",
                        "give the key.json from the exercise's output folder")  # fmt: skip
    students = {}
    entries = data.get("students")
    if not isinstance(entries, list) or not entries or not all(isinstance(e, dict) and "blanks" in e for e in entries):
        raise SpecError(f"KEY {path}", "has no students, or a student without blanks",
                        "give the key.json from the exercise's output folder, as `nntrace exercise` wrote it")  # fmt: skip
    for entry in entries:
        blanks = tuple(_blank(b) for b in entry["blanks"])
        students[entry["id"]] = KeyStudent(entry["id"], entry.get("name", ""), entry["spec"], blanks)
    return Key(data.get("exercise", ""), float(data.get("partial_credit", 0)), students)


def _blank(data: dict) -> Blank:
    """A blank as key.json holds it: the variant's Blank again (its claims name is its id without
    the epoch, e2:W_h+[1,1] → W_h+[1,1])."""
    ident = data["id"]
    name = ident.split(":", 1)[1] if ident.startswith("e") and ":" in ident else ident
    slips = tuple(Slip(slip["value"], slip["words"], slip.get("kind", "")) for slip in data["slips"])
    return Blank(ident, name, data["label"], data["epoch"], data["decimals"], data["value"], data["window"],
                 data.get("scale", 1.0), data["look_at"], slips=slips)  # fmt: skip


# -- submissions -----------------------------------------------------------------------------------


@dataclass
class Submission:
    student: str
    where: str  # the file, or the file and its line
    answers: dict[str, str] = field(default_factory=dict)  # blank id → the answer as written
    unanswerable: frozenset[str] = frozenset()  # blanks its file has no place for (reported once, for the file)


@dataclass
class Problem:
    where: str
    words: str

    def __str__(self) -> str:
        return f"{self.where}: {self.words}"


def read_csv_submissions(path: Path, key: Key, problems: list[Problem]) -> list[Submission]:
    text = read_text(path, "SUBMISSIONS", MAX_SUBMISSION_BYTES, "a CSV of answers")
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        problems.append(Problem(str(path), "is empty"))
        return []
    header = [cell.strip() for cell in rows[0]]
    column = id_column(header)
    if column is None:
        raise SpecError(f"SUBMISSIONS {path}", f"expected a header with an id column, found {header[:6]}",
                        "name the column of student ids `id`, and each answer's column as key.csv does")  # fmt: skip
    known = set(key.blank_ids)
    columns = {}
    for index, name in enumerate(header):
        if index == column or name.lower() in ("name",):
            continue
        if name not in known:
            problems.append(
                Problem(
                    f"{path}, column {name!r}",
                    "is not a blank of this exercise; ignored "
                    f"(its blanks: {', '.join(key.blank_ids[:8])}{', …' if len(known) > 8 else ''})",
                )
            )
            continue
        columns[index] = name
    absent = frozenset(key.blank_ids) - set(columns.values())
    if absent:
        names = [ident for ident in key.blank_ids if ident in absent]
        problems.append(Problem(str(path), f"has no column for {_some(names)}; marked missing for every student "
                                           "(fix: add a column for each blank, named as in key.csv)"))  # fmt: skip
    found = []
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        ident = row[column].strip() if column < len(row) else ""
        submission = Submission(ident, f"{path}, line {line}", unanswerable=absent)
        for index, name in columns.items():
            submission.answers[name] = row[index].strip() if index < len(row) else ""
        found.append(submission)
    return found


def read_claims_submission(path: Path, key: Key, student: str | None, problems: list[Problem]) -> Submission | None:
    ident = student or path.stem
    entry = key.students.get(ident)
    if entry is None:
        problems.append(Problem(str(path), f"no student {ident!r} in the key (the file's stem names the student)"))
        return None
    text = read_text(path, "SUBMISSIONS", MAX_SUBMISSION_BYTES, "a YAML claims file")
    try:  # judged on the student's own variant, each number at the digits written (0.4730 claims four)
        file = parse_claims(text, str(path), path.parent, spec=entry.spec)
    except SpecError as error:
        problems.append(Problem(f"{path}, {error.field}", f"{error.problem} (fix: {error.fix})"))
        return None

    submission = Submission(ident, str(path))
    known = {blank.id for blank in entry.blanks}
    for claim in file.claims:
        for cell in claim.cells:
            name = ascii_name(claim.quantity, cell.shown)
            ident_ = name if claim.epoch == 1 else f"e{claim.epoch}:{name}"
            if ident_ not in known:
                problems.append(Problem(f"{path}, {claim.quantity.element_label(cell.shown)}",
                                        "is not asked by this exercise; ignored"))  # fmt: skip
                continue
            submission.answers[ident_] = cell.number.text
    return submission


# -- grading --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mark:
    blank: Blank
    answer: str  # as written ("" when missing)
    verdict: str  # right, wrong, partial, missing, not a number
    score: float
    cause: str = ""


@dataclass(frozen=True)
class Graded:
    student: str
    name: str
    marks: tuple[Mark, ...]
    report: CheckReport | None  # check's judgement of the numbers given

    @property
    def score(self) -> float:
        return sum(mark.score for mark in self.marks)

    @property
    def first_error(self) -> Mark | None:
        return next((mark for mark in self.marks if mark.verdict not in ("right",)), None)


def _some(names: list[str], most: int = 8) -> str:
    """Blank ids for a message: the first `most`, then how many more."""
    shown = ", ".join(names[:most])
    return shown if len(names) <= most else f"{shown} and {len(names) - most} more"


def _number(text: str) -> float | None:
    """The answer as a number, read as a claims file reads one (None: it is not a finite number)."""
    try:
        return float(Number.read(text.replace("−", "-"), "answer").value)
    except SpecError:
        return None


def grade(submission: Submission, key: Key, problems: list[Problem]) -> Graded | None:
    entry = key.students.get(submission.student)
    if entry is None:
        problems.append(Problem(submission.where, f"no student {submission.student!r} in the key; not graded"))
        return None
    values: dict[str, float] = {}
    marks: dict[str, Mark] = {}
    unanswered = []
    for blank in entry.blanks:
        text = submission.answers.get(blank.id, "").strip()
        if not text:
            marks[blank.id] = Mark(blank, "", "missing", 0.0, "no answer given")
            if blank.id not in submission.unanswerable:
                unanswered.append(blank.id)
            continue
        value = _number(text)
        if value is None:
            problems.append(Problem(f"{submission.where}, {blank.id}", f"{text[:40]!r} is not a number; marked wrong"))
            marks[blank.id] = Mark(blank, text, "not a number", 0.0, "not a number")
            continue
        values[blank.id] = value
        if blank.right(value):
            marks[blank.id] = Mark(blank, text, "right", 1.0)
    if unanswered:
        problems.append(Problem(submission.where, f"no answer for {_some(unanswered)}; marked missing"))
    wrong = [blank for blank in entry.blanks if blank.id in values and blank.id not in marks]
    report = None
    if wrong:
        report = _checked(entry, submission, values)
        follows = _follows(report)
        for blank in wrong:
            earlier = follows.get((blank.label, blank.epoch))
            slip = blank.slip_for(values[blank.id])
            if earlier:
                marks[blank.id] = Mark(blank, submission.answers[blank.id], "partial" if key.partial_credit else "wrong",
                                       key.partial_credit, f"follows from {', '.join(earlier)}")  # fmt: skip
            elif slip is not None:
                marks[blank.id] = Mark(blank, submission.answers[blank.id], "wrong", 0.0, slip.words)
            else:
                causes = _causes(report).get((blank.label, blank.epoch))
                cause = causes or "no simple explanation found"
                marks[blank.id] = Mark(blank, submission.answers[blank.id], "wrong", 0.0,
                                       cause + (f"; look at {blank.step}" if blank.step else ""))  # fmt: skip
    return Graded(entry.id, entry.name, tuple(marks[blank.id] for blank in entry.blanks), report)


def _checked(entry: KeyStudent, submission: Submission, values: dict[str, float]) -> CheckReport | None:
    """check's judgement of every numeric answer, on the student's variant (None if it cannot be made).
    Each number keeps the digits it was written with, as a claims file keeps them."""
    groups: dict[int, list[str]] = {}
    for blank in entry.blanks:
        if blank.id in values:
            written = submission.answers[blank.id].replace("−", "-")
            groups.setdefault(blank.epoch, []).append(f"    {json.dumps(blank.name)}: {written}")
    # tolerance 0: the report beside the grade judges as the blank's window does, not a unit more leniently
    text = "tolerance: 0\nclaims:\n"
    for epoch, lines in groups.items():
        text += f"  - epoch: {epoch}\n" + "\n".join(lines) + "\n"
    try:
        return check(parse_claims(text, "<submission>", Path("."), spec=entry.spec))
    except SpecError:
        return None


def _follows(report: CheckReport | None) -> dict[tuple[str, int], tuple[str, ...]]:
    if report is None:
        return {}
    return {(v.label, v.claim.epoch): v.follows for v in report.verdicts if not v.right and v.follows}


def _causes(report: CheckReport | None) -> dict[tuple[str, int], str]:
    if report is None:
        return {}
    return {(v.label, v.claim.epoch): "; ".join(str(c) for c in v.causes) for v in report.verdicts
            if not v.right and v.causes}  # fmt: skip


# -- what grading writes ---------------------------------------------------------------------------


def gradebook_csv(graded: list[Graded], key: Key) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    ids = key.blank_ids
    writer.writerow(["id", "name", "score", "out_of", *ids, "first_error", "first_error_cause"])
    for one in graded:
        first = one.first_error
        writer.writerow([one.student, one.name, f"{one.score:g}", len(one.marks),
                         *(mark.verdict for mark in one.marks),
                         first.blank.id if first else "", first.cause if first else ""])  # fmt: skip
    return buffer.getvalue()


def feedback_markdown(one: Graded, key: Key, check_markdown: str | None) -> str:
    lines = [f"# {key.exercise}: feedback for {one.name or one.student}", "",
             f"Score: {one.score:g} of {len(one.marks)}.", "",
             "| blank | your answer | judged | key | note |", "| --- | ---: | --- | ---: | --- |"]  # fmt: skip
    for mark in one.marks:
        sign = {"right": "✓", "partial": "½ (follows)", "missing": "missing", "not a number": "✗ not a number"}
        judged = sign.get(mark.verdict, "✗")
        note = mark.cause.replace("|", "\\|")
        lines.append(f"| {mark.blank.label} | {mark.answer or '—'} | {judged} | {mark.blank.key_text} | {note} |")
    lines.append("")
    if check_markdown:
        lines += [check_markdown]
    return "\n".join(lines) + "\n"


def gradescope_results(one: Graded, problems=()) -> dict:
    said = "".join(f"\n{problem}" for problem in problems)
    return {
        "score": one.score,
        "output": f"{one.score:g} of {len(one.marks)} right" + said,
        "tests": [
            {"name": mark.blank.label, "score": mark.score, "max_score": 1,
             "status": "passed" if mark.verdict == "right" else "failed",
             "output": "right" if mark.verdict == "right" else f"{mark.verdict}: {mark.cause}"}
            for mark in one.marks
        ],
    }  # fmt: skip


RUN_AUTOGRADER = """#!/usr/bin/env bash
# Gradescope runs this for each submission (upload it with setup.sh and key.json as the autograder).
# The student's answers are a claims file (answers.yaml) or a one-row CSV (answers.csv); the student
# is the submitter's SID, else their email, as submission_metadata.json gives them.
set -euo pipefail
sid=$(python3 -c 'import json; u = json.load(open("/autograder/submission_metadata.json"))["users"][0]; print(u.get("sid") or u["email"])')
# exit code 1: a problem with the submission, which results.json's output says; the results stand
nntrace grade /autograder/source/key.json /autograder/submission/* --student "$sid" \\
  --results /autograder/results/results.json || test $? -eq 1
"""

SETUP = """#!/usr/bin/env bash
# Gradescope runs this once when the autograder is built.
set -euo pipefail
pip3 install nntrace
"""
