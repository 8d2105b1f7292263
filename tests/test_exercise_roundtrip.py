"""A round trip (issue 23): a class of 30 from the shipped paper template, submissions made from
each student's key with slips planted, graded to the scores and causes the plants call for."""

from __future__ import annotations

import csv
import json

import pytest

BLANKS = 23  # the paper template asks H_in[2,3], H_out (9), O_out (3), E (3), δ_out (3), W_out⁺ (3), b_out⁺


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    from click.testing import CliRunner

    from nntrace.cli import main

    folder = tmp_path_factory.mktemp("roundtrip")
    run = CliRunner().invoke
    made = run(main, ["exercise", "paper-exercise", "--variants", "30", "--only", "moodle", "-o", str(folder / "class")],
               catch_exceptions=False)  # fmt: skip
    assert made.exit_code == 0, made.stderr
    rows = list(csv.reader((folder / "class/key.csv").open(encoding="utf-8")))
    header, body = rows[0], rows[1:]
    o_out, e, delta = header.index("O_out[1,1]"), header.index("E[1,1]"), header.index("delta_out[1,1]")
    for number, row in enumerate(body):
        if number % 3 == 1:  # a sign error in δ_out[1,1]
            row[delta] = row[delta][1:] if row[delta].startswith("-") else "-" + row[delta]
        elif number % 3 == 2:  # O_out[1,1] wrong by 0.111, and E[1,1] = 1 − O_out[1,1] worked from it
            wrong = float(row[o_out]) + 0.111
            row[o_out] = f"{wrong:.3f}"
            row[e] = f"{1 - float(row[o_out]):.3f}"
    with (folder / "answers.csv").open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([header, *body])
    result = run(main, ["grade", str(folder / "class/key.json"), str(folder / "answers.csv"), "-o", str(folder / "g")],
                 catch_exceptions=False)  # fmt: skip
    assert result.exit_code == 0, result.stderr
    book = list(csv.DictReader((folder / "g/gradebook.csv").open(encoding="utf-8")))
    return folder, book


def test_every_student_is_graded_in_roster_order(graded):
    _, book = graded
    assert [row["id"] for row in book] == [f"v{n:02d}" for n in range(1, 31)]
    assert {row["out_of"] for row in book} == {str(BLANKS)}


def test_a_right_submission_scores_full_marks(graded):
    _, book = graded
    for row in book[0::3]:
        assert row["score"] == "23" and row["first_error"] == "" and row["first_error_cause"] == ""


def test_a_sign_error_loses_its_blank_and_is_named(graded):
    _, book = graded
    for row in book[1::3]:
        assert row["score"] == "22"
        assert row["first_error"] == "delta_out[1,1]" and row["delta_out[1,1]"] == "wrong"
        assert row["first_error_cause"].startswith("a sign error: the value is ")


def test_a_consequence_of_an_earlier_error_earns_the_templates_partial_credit(graded):
    folder, book = graded
    for row in book[2::3]:
        # O_out[1,1] wrong (0), E[1,1] follows from it (partial_credit: 0.5), 21 others right
        assert row["score"] == "21.5", row
        assert row["first_error"] == "O_out[1,1]" and row["O_out[1,1]"] == "wrong" and row["E[1,1]"] == "partial"
        feedback = (folder / f"g/feedback/{row['id']}.md").read_text("utf-8")
        assert "| E[1,1] |" in feedback and "follows from O_out[1,1]" in feedback
        results = json.loads((folder / f"g/gradescope/results/{row['id']}.json").read_text("utf-8"))
        assert results["score"] == 21.5 and sum(t["max_score"] for t in results["tests"]) == BLANKS
