"""`nntrace grade` against numbers worked out independently (issue 23): a claims file is judged at
the digits the student wrote, a bad ask is a clear error, and a later epoch's blank is keyed and
graded by a plain numpy loop written out in tests/plain_training.py."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import pytest
from plain_training import cell, epochs
from test_exercises import PAPER_SPEC

# The paper's network with nothing drawn (its numbers are the README's): H_in row 2 is
# (2.40, 1.89, 1.62), so H_out[2,1] = σ(2.40) = 0.916827.
PAPER = PAPER_SPEC


def sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-z))


def make_class(cli, folder: Path, template: str, variants: int) -> dict:
    (folder / "t.yaml").write_text(template, encoding="utf-8")
    result = cli("exercise", str(folder / "t.yaml"), "--variants", str(variants), "--only", "moodle",
                 "-o", str(folder / "class"))  # fmt: skip
    assert result.exit_code == 0, result.stderr
    return json.loads((folder / "class/key.json").read_text("utf-8"))


def gradebook(folder: Path) -> list[dict]:
    return list(csv.DictReader((folder / "gradebook.csv").open(encoding="utf-8")))


def test_a_claims_file_is_judged_at_the_digits_written(tmp_path, cli):
    # H_out[2,1] asked at 4 decimals is 0.9168; O_out[2,1] at 6 is σ(0.3·0.916827 + 0.25·σ(1.89) +
    # 0.23·σ(1.62) + 0.69) = 0.798064. The student writes 0.9170 (wrong: 0.00017 off, window 0.0001)
    # and works O_out[2,1] on from it: σ(0.3·0.9170 + …) = 0.798073, a consequence worth the
    # partial credit. Read as 0.917 (three decimals), H_out[2,1] would be right, and O_out[2,1] a
    # first error worth nothing.
    template = PAPER + "ask: [{quantity: 'H_out[2,1]', decimals: 4}, {quantity: 'O_out[2,1]', decimals: 6}]\n"
    key = make_class(cli, tmp_path, template + "partial_credit: 0.5\n", 1)
    assert [b["key"] for b in key["students"][0]["blanks"]] == ["0.9168", "0.798064"]
    on_from = sigmoid(0.3 * 0.9170 + 0.25 * sigmoid(1.89) + 0.23 * sigmoid(1.62) + 0.69)
    assert f"{on_from:.6f}" == "0.798073"
    claims = tmp_path / "v1.yaml"
    claims.write_text("claims:\n  - H_out[2,1]: 0.9170\n    O_out[2,1]: 0.798073\n", encoding="utf-8")
    result = cli("grade", str(tmp_path / "class/key.json"), str(claims), "-o", str(tmp_path / "g"))
    assert result.exit_code == 0, result.stderr
    (row,) = gradebook(tmp_path / "g")
    assert row["score"] == "0.5" and row["H_out[2,1]"] == "wrong" and row["O_out[2,1]"] == "partial"
    feedback = (tmp_path / "g/feedback/v1.md").read_text("utf-8")
    assert "| H_out[2,1] | 0.9170 | ✗ | 0.9168 |" in feedback  # the answer as written
    assert "| O_out[2,1] | 0.798073 | ½ (follows) | 0.798064 | follows from H_out[2,1] |" in feedback


def test_a_claims_file_keeps_its_own_spec_out_of_the_grading(tmp_path, cli):
    # the spec the file names is the student's variant's, whatever the file says
    key = make_class(cli, tmp_path, PAPER + "ask: [{quantity: 'H_out[2,1]', decimals: 4}]\n", 1)
    assert key["students"][0]["blanks"][0]["key"] == "0.9168"
    claims = tmp_path / "v1.yaml"
    claims.write_text("spec: no-such-spec.yaml\nclaims:\n  - H_out[2,1]: 0.9168\n", encoding="utf-8")
    result = cli("grade", str(tmp_path / "class/key.json"), str(claims), "-o", str(tmp_path / "g"))
    assert result.exit_code == 0, result.stderr
    assert gradebook(tmp_path / "g")[0]["score"] == "1"


@pytest.mark.parametrize("ask", ["H_out[²,1]", "H_out[1,x]", "H_out[,1]", "H_out[1.5,1]"])
def test_a_blank_with_an_odd_index_is_a_clear_error(tmp_path, cli, ask):
    template = tmp_path / "t.yaml"
    template.write_text(PAPER + f"ask: ['H_in[2,3]', '{ask}']\n", encoding="utf-8")
    result = cli("exercise", str(template), "--variants", "2", "-o", str(tmp_path / "out"))
    assert result.exit_code == 2, result.stderr
    assert f"ask[2]: {ask} is out of range: H_out is indexed [1..3,1..3]" in result.stderr
    assert "fix: index H_out within [1..3,1..3], counting from 1" in result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert not (tmp_path / "out").exists()


# Two epochs of a 2-2-1 sigmoid network at learning rate 1, H_out asked after each.
TWO_EPOCHS = """
seed: 11
spec:
  inputs: [[1, 0], [0, 1], [1, 1]]
  targets: [[1], [0], [1]]
  activation: sigmoid
  learning_rate: 1.0
  layers:
    - weights: {uniform: [-0.9, 0.9], decimals: 2, shape: [2, 2]}
      biases: {uniform: [-0.5, 0.5], decimals: 2, shape: [2]}
    - weights: {uniform: [-0.9, 0.9], decimals: 2, shape: [2, 1]}
      biases: {uniform: [-0.5, 0.5], decimals: 2, shape: [1]}
ask:
  - H_out
  - {quantity: H_out, epoch: 2}
decimals: 4
"""


def test_a_later_epochs_blank_is_keyed_and_graded_by_a_plain_two_epoch_loop(tmp_path, cli):
    key = make_class(cli, tmp_path, TWO_EPOCHS, 3)
    ids = [f"H_out[{r},{c}]" for r in (1, 2, 3) for c in (1, 2)]
    first = key["students"][0]
    assert [b["id"] for b in first["blanks"]] == ids + [f"e2:{i}" for i in ids]
    # by hand for v1 (W_h = [[0.55, 0.11], [-0.8, -0.25]], b_h = [0.4, 0.12] as drawn):
    # H_out[1,1] = σ(1·0.55 + 0·(−0.8) + 0.4) = σ(0.95) = 0.72112
    assert first["spec"]["layers"][0] == {"weights": [[0.55, 0.11], [-0.8, -0.25]], "biases": [0.4, 0.12]}
    assert first["blanks"][0]["key"] == "0.7211" and f"{sigmoid(0.95):.4f}" == "0.7211"
    for student in key["students"]:
        one, two = epochs(student["spec"], 2)
        for blank in student["blanks"]:
            value = cell(two if blank["epoch"] == 2 else one, blank["id"])
            assert blank["epoch"] == (2 if blank["id"].startswith("e2:") else 1)
            assert blank["value"] == pytest.approx(value, abs=1e-12)
            assert blank["window"] == 0.0001 and abs(float(blank["key"]) - value) <= 0.00005 + 1e-12
        assert first["blanks"][6]["key"] == "0.7170"  # e2:H_out[1,1] of v1, after one update
    # v1 answers every blank right; v2 gives epoch 1's H_out for epoch 2's; v3 leaves epoch 2 out
    rows = [["id", *(b["id"] for b in first["blanks"])]]
    for student, epoch_two in zip(key["students"], ("two", "one", None)):
        one, two = epochs(student["spec"], 2)
        later = {"two": two, "one": one}.get(epoch_two)
        answers = [f"{cell(one, i):.4f}" for i in ids]
        answers += [f"{cell(later, i):.4f}" if later else "" for i in ids]
        rows.append([student["id"], *answers])
    with (tmp_path / "answers.csv").open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    result = cli("grade", str(tmp_path / "class/key.json"), str(tmp_path / "answers.csv"), "-o", str(tmp_path / "g"))
    assert result.exit_code == 1, result.stderr  # v3's empty answers are reported, the class still graded
    assert ("answers.csv, line 4: no answer for e2:H_out[1,1], e2:H_out[1,2], e2:H_out[2,1], e2:H_out[2,2], "
            "e2:H_out[3,1], e2:H_out[3,2]; marked missing") in result.stderr.replace("\n", " ")  # fmt: skip
    assert "line 2" not in result.stderr and "line 3" not in result.stderr
    book = {row["id"]: row for row in gradebook(tmp_path / "g")}
    assert {ident: row["score"] for ident, row in book.items()} == {"v1": "12", "v2": "6", "v3": "6"}
    assert all(book["v1"][i] == "right" for i in ids + [f"e2:{i}" for i in ids])
    assert all(book["v2"][i] == "right" and book["v2"][f"e2:{i}"] == "wrong" for i in ids)
    assert all(book["v3"][f"e2:{i}"] == "missing" for i in ids)
    assert book["v2"]["first_error"] == "e2:H_out[1,1]"


def test_a_missing_answer_and_a_missing_column_are_reported_and_the_rest_graded(tmp_path, cli):
    # H_out[2,1] = σ(2.40) = 0.9168 and H_out[2,2] = σ(1.89) = 0.8688, at 4 decimals (the paper's numbers)
    template = PAPER + "ask: [{quantity: 'H_out[2,1]', decimals: 4}, {quantity: 'H_out[2,2]', decimals: 4}]\n"
    make_class(cli, tmp_path, template, 2)
    assert (f"{sigmoid(2.40):.4f}", f"{sigmoid(1.89):.4f}") == ("0.9168", "0.8688")
    key = str(tmp_path / "class/key.json")
    # a claims file that claims one of the two blanks
    claims = tmp_path / "v1.yaml"
    claims.write_text("claims:\n  - H_out[2,1]: 0.9168\n", encoding="utf-8")
    result = cli("grade", key, str(claims), "-o", str(tmp_path / "g1"))
    assert result.exit_code == 1, result.stderr
    assert "v1.yaml: no answer for H_out[2,2]; marked missing" in result.stderr
    (row,) = gradebook(tmp_path / "g1")
    assert (row["score"], row["H_out[2,1]"], row["H_out[2,2]"]) == ("1", "right", "missing")
    # a CSV without H_out[2,2]'s column: said once, for the file, not for each row
    answers = tmp_path / "answers.csv"
    answers.write_text('id,"H_out[2,1]"\nv1,0.9168\nv2,0.9168\n', encoding="utf-8")
    result = cli("grade", key, str(answers), "-o", str(tmp_path / "g2"))
    assert result.exit_code == 1, result.stderr
    said = result.stderr.replace("\n", " ")
    assert said.count("H_out[2,2]") == 1 and "has no column for H_out[2,2]; marked missing for every student" in said
    book = {row["id"]: row for row in gradebook(tmp_path / "g2")}
    assert {ident: (row["H_out[2,1]"], row["H_out[2,2]"]) for ident, row in book.items()} == {
        "v1": ("right", "missing"),
        "v2": ("right", "missing"),
    }
    # every answer given: nothing said, exit 0
    answers.write_text('id,"H_out[2,1]","H_out[2,2]"\nv1,0.9168,0.8688\nv2,0.9168,0.8688\n', encoding="utf-8")
    result = cli("grade", key, str(answers), "-o", str(tmp_path / "g3"))
    assert result.exit_code == 0 and "no answer" not in result.stderr, result.stderr
    assert [row["score"] for row in gradebook(tmp_path / "g3")] == ["2", "2"]
