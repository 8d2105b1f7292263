"""`exercise` (a class's variants, worksheets, keys and LMS files) and `grade` (submissions
graded against the key)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from nntrace.cli.shared import (
    InputError,
    force_option,
    notify,
    output,
    plain,
    write_text,
)


@click.command(
    epilog="""
\b
Examples:
  nntrace exercise paper-exercise --variants 30 -o class/
  nntrace exercise my-exercise.yaml --roster students.csv --seed 2027 -o exam/
  nntrace exercise paper-exercise --roster students.csv --only latex,moodle --booklet -o exam/
\b
Writes into the folder (created; refused if it holds files, unless --force):
  key.csv, key.json                  the key: a row per student, a column per blank
  worksheets/ID.tex .typ .md .html   the questions with blanks (or worksheets.* with --booklet)
  keys/ID.tex .typ .md .html         the same with the answers and the worked solution
  selfcheck/ID.html                  an offline page that judges each answer as typed
  moodle.xml                         a category, a Cloze question per student
  prairielearn/NAME/                 info.json, question.html, server.py
  canvas-qti.zip                     QTI 1.2: a question group per blank
A progress bar is shown on stderr while the class is drawn and written.
"""
)
@click.argument("template_source", metavar="TEMPLATE")
@click.option("--roster", metavar="CSV", help="One variant per student of this CSV (a column `id`, perhaps `name`).")
@click.option("--variants", "count", type=click.IntRange(min=1), metavar="N", help="N variants, numbered v01...")
@click.option("--seed", type=click.IntRange(min=0), metavar="S", help="The exam's seed (default: the template's seed:).")
@click.option("-o", "--output", "output_dir", required=True, metavar="DIR", help="The folder to write into.")
@click.option("--only", metavar="LIST",
              help="Write only these, comma-separated: latex, typst (where the document layer has it), markdown, "
                   "html, selfcheck, moodle, prairielearn, canvas (the key is always written).")  # fmt: skip
@click.option("--booklet", is_flag=True, help="One worksheet and one key document for the class, not one per student.")
@force_option("Replace files of the same names in a folder that is not empty.")
def exercise(template_source, roster, count, seed, output_dir, only, booklet, force):
    """Make an exercise for a class: one variant per student, its worksheet and key, LMS files.

    Each student's numbers are drawn from the template's ranges with a seed made from
    the exam's seed and the student's id, so the same student always gets the same
    variant. Every variant is checked before anything is written (no saturated or dead
    unit, no answer an LMS cannot grade, no catalogued slip that gives a right-looking
    answer), redrawn where it fails, and a template no draw satisfies is refused with
    the reasons.
    """
    from nntrace.api import exercises

    outputs = exercises.available_outputs()
    if only:
        chosen = tuple(part.strip() for part in only.split(",") if part.strip())
        unknown = [part for part in chosen if part not in outputs]
        if unknown:
            missing = " (this install's document layer has no such format)" if unknown[0] in exercises.OUTPUTS else ""
            raise InputError(f"--only: {unknown[0]!r} is not an output{missing}", f"choose from {', '.join(outputs)}")
        outputs = chosen
    exercises.check_folder(output_dir, force)
    template = exercises.load_template(template_source)
    template, variants = exercises.variants(template, roster, count, seed, plain=plain(False))
    # each file written as it is made: a class is never held in memory whole
    files = exercises.made_files(template, variants, outputs, booklet, plain=plain(False))
    written = exercises.write_folder(files, output_dir, force)
    draws = sum(variant.draws for variant in variants)
    notify(f"wrote {written} files for {len(variants)} students ({len(variants[0].blanks)} blanks each; "
           f"{draws} draws) to {output_dir}")  # fmt: skip


@click.command(
    epilog="""
\b
Examples:
  nntrace grade class/key.json answers.csv -o graded/
  nntrace grade class/key.json submissions/ -o graded/      # claims files named ID.yaml
  nntrace grade key.json answers.yaml --student 12345 --results results.json   # Gradescope
\b
Writes into the folder: gradebook.csv (score, each blank right or wrong, the first
error and its cause), feedback/ID.md, gradescope/results/ID.json, and
gradescope/run_autograder with setup.sh, to upload with key.json as an autograder.
"""
)
@click.argument("key_path", metavar="KEY")
@click.argument("submissions", nargs=-1, required=True, metavar="SUBMISSIONS...")
@click.option("-o", "--output", "output_dir", metavar="DIR", help="The folder to write into.")
@click.option("--student", metavar="ID", help="The student of the one submission given (Gradescope).")
@click.option("--results", "results_path", metavar="FILE", help="Write that student's Gradescope results.json to FILE.")
@force_option("Replace files of the same names in a folder that is not empty.")
def grade(key_path, submissions, output_dir, student, results_path, force):
    """Grade submissions against the key `nntrace exercise` wrote.

    SUBMISSIONS are claims files (the student is the file's stem, or --student) or CSVs
    with a column `id` and a column per blank. A wrong answer that follows from an
    earlier wrong one is said so (and earns the template's partial_credit); another is
    named by its likely slip. A bad submission is reported on stderr naming its row and
    field, and the rest are graded. Exit code 0, or 1 when some submission had a problem.
    """
    from nntrace.api import exercises

    if (output_dir is None) == (results_path is None):
        raise InputError("give -o DIR, or --results FILE for one student", "e.g. -o graded/")
    if output_dir is not None:
        exercises.check_folder(output_dir, force)
    target = output("--results", results_path, [Path(key_path), *map(Path, submissions)]) if results_path else None
    result = exercises.grade(key_path, list(submissions), student, plain=plain(False))
    for problem in result.problems:
        notify(str(problem))
    if target is not None:
        if not result.graded:
            raise InputError("no submission could be graded", "see the messages above")
        write_text(target, exercises.gradescope_json(result.graded[0], result.problems))
    else:
        exercises.write_folder(result.files, output_dir, force, executable=("gradescope/run_autograder", "gradescope/setup.sh"))
        notify(f"graded {len(result.graded)} submissions into {output_dir}")
    sys.exit(1 if result.problems else 0)
