"""The work of `nntrace exercise` and `nntrace grade`: a class's variants made, validated and
written as worksheets, keys, a self-checking page and LMS files; submissions graded.

Every file is written, as it is made, into a new folder beside the output (renamed into place when
complete), so a failure leaves no half-written class and no file is replaced unless asked (--force),
and a class is never held in memory whole."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import NamedTuple

from nntrace.common import collection
from nntrace.common.errors import OutputError, SpecError

EXTENSIONS = {"latex": "tex", "typst": "typ", "markdown": "md", "html": "html"}
OUTPUTS = ("latex", "typst", "markdown", "html", "selfcheck", "moodle", "prairielearn", "canvas")


def available_outputs() -> tuple[str, ...]:
    """OUTPUTS, less the document formats the document layer does not have."""
    from nntrace.exercises.sheets import SHEET_FORMATS

    return tuple(name for name in OUTPUTS if name in SHEET_FORMATS or name not in EXTENSIONS)


def load_template(source: str | Path):
    """An exercise template: a path, or a shipped template's name (paper-exercise)."""
    from nntrace.exercises.template import load_template as load
    from nntrace.spec.shipped import exercise_names, exercise_path, shipped_instead

    path = Path(source)
    found = shipped_instead(path, str(source), exercise_path)
    if found is None and not path.exists():
        raise SpecError("TEMPLATE", f"{source}: no such file, and no shipped template is called so",
                        f"give a template's path, or one of: {', '.join(exercise_names())}")  # fmt: skip
    return load(found or path)


def variants(template, roster: str | None = None, count: int | None = None, seed: int | None = None,
             plain: bool = True):  # fmt: skip
    """Every student's variant (a SpecError before anything is written when one cannot be made),
    with a progress bar on stderr where it is a terminal."""
    import dataclasses

    from nntrace.exercises.variants import make_variants, numbered, read_roster

    if (roster is None) == (count is None):
        raise SpecError("--roster/--variants", "give one of them", "e.g. --roster class.csv, or --variants 30")
    if seed is not None:
        template = dataclasses.replace(template, seed=seed)
    students = read_roster(roster) if roster is not None else numbered(count)
    with bar(len(students), "drawing", "students", plain) as progress, collection.batch():
        return template, make_variants(template, students, progress)


@contextlib.contextmanager
def bar(total: int, what: str, unit: str, plain: bool):
    """A progress callback, drawn as a bar on stderr where it is a terminal (else None)."""
    from nntrace.terminal.summary import EpochProgress

    with EpochProgress(total, True, plain, what=what, unit=unit) as drawn:
        yield drawn.callback


def file_names(variants) -> list[str]:
    """A file name for each student: the id with anything but letters, digits, '.', '_' and '-'
    replaced, numbered where two ids would give one name."""
    names, seen = [], set()
    for variant in variants:
        stem = re.sub(r"[^A-Za-z0-9._-]", "_", variant.student).strip(".") or "student"
        name, n = stem, 1
        while name.lower() in seen:
            n += 1
            name = f"{stem}-{n}"
        seen.add(name.lower())
        names.append(name)
    return names


def made_files(template, variants, outputs=None, booklet: bool = False, plain: bool = True):
    """Every file of the class as it is made, (its path in the output folder, its content), for
    write_folder to write each as it comes (a progress bar on stderr where it is a terminal)."""
    with collection.batch():
        yield from _exercise_files(template, variants, outputs, booklet, plain)


def _exercise_files(template, variants, outputs, booklet: bool, plain: bool):
    from nntrace.exercises import lms, sheets

    outputs = available_outputs() if outputs is None else outputs
    yield "key.csv", lms.key_csv(variants)
    yield "key.json", lms.key_json(template, variants)
    documents = [to for to in sheets.SHEET_FORMATS if to in outputs]
    if documents or "selfcheck" in outputs:
        works = [sheets.worked(variant) for variant in variants] if booklet else None
        names = file_names(variants)
        for to in documents if booklet else ():
            extension = EXTENSIONS[to]
            yield f"worksheets.{extension}", sheets.booklet(template, variants, works, to, answers=False)
            yield f"keys.{extension}", sheets.booklet(template, variants, works, to, answers=True)
        # Student by student, every format of one in turn: the numbers of a student's lines are written
        # and their guard digits found once, then met again in the caches by the next format; and a
        # student's worked solution is let go when their files are written.
        with bar(len(variants), "writing", "students", plain) as progress:
            for number, (name, variant) in enumerate(zip(names, variants)):
                yield from _student_files(template, name, variant, works[number] if works else sheets.worked(variant),
                                          documents if not booklet else (), "selfcheck" in outputs)  # fmt: skip
                if progress is not None:
                    progress(number + 1)
    if "moodle" in outputs:
        yield "moodle.xml", lms.moodle_xml(template, variants)
    if "prairielearn" in outputs:
        slug = re.sub(r"[^A-Za-z0-9]+", "-", template.name).strip("-").lower() or "exercise"
        for name, text in lms.prairielearn(template, variants).items():
            yield f"prairielearn/{slug}/{name}", text
    if "canvas" in outputs:
        yield "canvas-qti.zip", lms.qti_zip(template, variants)


def _student_files(template, name: str, variant, work, documents, selfcheck: bool):
    """One student's worksheets, keys and self-checking page, as they are made."""
    from nntrace.exercises import sheets

    page = None  # the HTML worksheet, which the self-checking page is made from
    if documents:  # one document each for the worksheet and the key, written in every format (as export does)
        questions = sheets.sheet_document(template, variant, work, answers=False)
        key = sheets.sheet_document(template, variant, work, answers=True)
    for to in documents:
        extension = EXTENSIONS[to]
        worksheet = sheets.sheet(template, variant, work, to, answers=False, document=questions)
        page = worksheet if to == "html" else page
        yield f"worksheets/{name}.{extension}", worksheet.encode("utf-8")
        answered = sheets.sheet(template, variant, work, to, answers=True, document=key)
        yield f"keys/{name}.{extension}", answered.encode("utf-8")
    if selfcheck:
        yield f"selfcheck/{name}.html", sheets.selfcheck_html(template, variant, work, page).encode("utf-8")


def check_folder(out: str, force: bool) -> Path:
    """Where a folder of outputs goes: a new or empty folder, or (with force) one whose files may be
    replaced; refused before any work when it is a file or its parent does not exist."""
    path = Path(out)
    if path.exists() and not path.is_dir():
        raise OutputError(f"-o {out}: is a file, not a folder", "give a folder's name (it is created)")
    if not path.exists() and not path.resolve().parent.is_dir():
        raise OutputError(f"-o {out}: the folder {path.resolve().parent} does not exist", "create it first")
    if path.is_dir() and any(path.iterdir()) and not force:
        raise OutputError(f"-o {out}: the folder is not empty", "give --force to replace the files it shares, "
                          "or choose a new folder")  # fmt: skip
    return path


def write_folder(files, out: str, force: bool = False, executable=()) -> int:
    """Write `files` (by path, or (path, content) pairs as they are made: made_files) into the folder
    `out`: each into a temporary folder beside it, then all moved in, so an interruption or a full
    disk leaves the folder as it was and no temporary behind. Returns how many were written."""
    target = check_folder(out, force)
    parent = target.resolve().parent
    temporary = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=parent))
    pairs = files.items() if isinstance(files, dict) else files
    names: list[str] = []
    try:
        # mkdtemp makes a private folder; the class's folder is made as mkdir would make it
        from nntrace.common.files import _umask

        temporary.chmod(0o777 & ~_umask())
        made: set[Path] = set()  # folders made: a class's thousands of files are in a handful
        for name, content in pairs:
            names.append(name)
            path = temporary / name
            if path.parent not in made:
                path.parent.mkdir(parents=True, exist_ok=True)
                made.add(path.parent)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
            if name in executable:
                path.chmod(0o755)
        if not target.exists():
            os.rename(temporary, target)
            return len(names)
        if not any(target.iterdir()):
            target.rmdir()
            os.rename(temporary, target)
            return len(names)
        for name in names:  # --force: each file replaces its namesake, the others stay
            destination = target / name
            destination.parent.mkdir(parents=True, exist_ok=True)
            os.replace(temporary / name, destination)
        shutil.rmtree(temporary)
        return len(names)
    except BaseException:
        if hasattr(pairs, "close"):  # the files still to be made are not (a generator's batch ends)
            pairs.close()
        with contextlib.suppress(FileNotFoundError):
            shutil.rmtree(temporary)
        raise


# -- grading ----------------------------------------------------------------------------------------


class GradeResult(NamedTuple):
    graded: list
    problems: list
    files: dict[str, str]


def grade(key_path: str, submissions: list[str], student: str | None = None, plain: bool = True) -> GradeResult:
    """Grade every submission (claims files, or CSVs of rows); a bad one is a problem, not the end.
    A progress bar on stderr where it is a terminal."""
    from nntrace.exercises import grading

    key = grading.read_key(key_path)
    problems: list = []
    found = []
    paths = []
    for given in submissions:
        path = Path(given)
        if path.is_dir():
            paths += sorted(p for p in path.iterdir() if p.suffix.lower() in (".csv", ".yaml", ".yml"))
        elif path.exists():
            paths.append(path)
        else:
            raise SpecError(f"SUBMISSIONS {given}", "no such file or folder", "give the claims files or the CSV")
    if student is not None and len(paths) != 1:
        raise SpecError("--student", f"names the student of one submission, found {len(paths)} files",
                        "give one file with --student")  # fmt: skip
    for path in paths:
        if path.suffix.lower() == ".csv":
            rows = grading.read_csv_submissions(path, key, problems)
            if student is not None:
                for row in rows:
                    row.student = student
            found += rows
        else:
            one = grading.read_claims_submission(path, key, student, problems)
            if one is not None:
                found.append(one)
    seen: dict[str, str] = {}
    graded = []
    with bar(len(found), "grading", "submissions", plain) as progress, collection.batch():
        for number, submission in enumerate(found, start=1):
            if progress is not None:
                progress(number)
            if submission.student in seen:
                problems.append(grading.Problem(submission.where, f"a second submission of {submission.student!r} "
                                                f"(the first: {seen[submission.student]}); not graded"))  # fmt: skip
                continue
            seen[submission.student] = submission.where
            one = grading.grade(submission, key, problems)
            if one is not None:
                graded.append(one)
    files: dict[str, str] = {"gradebook.csv": grading.gradebook_csv(graded, key)}
    names = file_names([_Named(one.student) for one in graded])
    import json

    from nntrace.documents.report import written_report

    for name, one in zip(names, graded):
        checked = written_report(one.report, "Your numbers checked by nntrace", "markdown") if one.report is not None else None
        files[f"feedback/{name}.md"] = grading.feedback_markdown(one, key, checked)
        files[f"gradescope/results/{name}.json"] = json.dumps(grading.gradescope_results(one), indent=1) + "\n"
    files["gradescope/run_autograder"] = grading.RUN_AUTOGRADER
    files["gradescope/setup.sh"] = grading.SETUP
    return GradeResult(graded, problems, files)


class _Named(NamedTuple):
    student: str


def gradescope_json(one, problems=()) -> str:
    """One student's Gradescope results.json, the problems with the submission said in its output."""
    import json

    from nntrace.exercises.grading import gradescope_results

    return json.dumps(gradescope_results(one, problems), indent=1) + "\n"
