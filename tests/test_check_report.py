"""A check's report to hand back (issue 24): numbers never cut by a long source, digits enough to
convince, one slip on many cells said once, the epoch in the list of errors, grammar; every claimed
number in place in Markdown; a claims file to fill in; the shipped claims files listed and copied."""

from __future__ import annotations

import decimal
import json

import pytest
import yaml
from conftest import CONFIGS

from nntrace import api

PAPER = (CONFIGS / "paper.yaml").as_posix()
LONG_SOURCE = "Step 2 of the worked example in section 3.4 of the lecture notes on neural networks, spring term"


def claims(tmp_path, text: str, name: str = "claims.yaml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("width", ["80", "100"])
def test_a_long_source_never_cuts_the_numbers_or_the_marks(cli, tmp_path, width):
    # Before: `-0…` for the numbers, and the ✓/✗ and true-value columns gone.
    body = (
        f"spec: {PAPER}\nclaims:\n  - source: {LONG_SOURCE}\n"
        "    H_in: [[1.48, 1.78, 1.10], [2.40, 1.89, 1.452], [1.48, 1.56, 1.28]]\n    E[3,1]: -0.789324\n"  # -0.789335
    )
    out = cli("check", claims(tmp_path, body), width=width).stdout
    lines = out.splitlines()
    assert all(len(line) <= int(width) for line in lines), max(lines, key=len)
    row = next(line for line in lines if "H_in[2,3]" in line and "1.452" in line)
    assert row.split()[-3:] == ["1.452", "1.620", "✗"]
    assert next(line for line in lines if "E[3,1]" in line).split()[-3:] == ["-0.789324", "-0.789335", "✗"]
    assert "✗ 8 of 9 right" in out and "…" not in out
    words = " ".join(out.split())
    assert LONG_SOURCE in words  # folded onto further lines, every word kept


def test_the_right_value_has_the_digits_that_convince(tmp_path):
    # E_hidden[2,3] = 0.0325 x 0.23 = 0.007485: a student's 0.008 is wrong at three decimals (0.007).
    # Before: "correct 0.0075", which reads as 0.008 again.
    report = api.check(claims(tmp_path, f"spec: {PAPER}\nclaims:\n  - E_hidden[2,3]: 0.008\n"))
    (verdict,) = report.wrong
    assert verdict.correct_text == "0.00749"
    shown = decimal.Decimal(verdict.correct_text).quantize(decimal.Decimal("0.001"), rounding=decimal.ROUND_HALF_UP)
    assert str(shown) == "0.007"


def test_one_slip_on_every_element_is_listed_once_with_its_cells(cli, tmp_path):
    # E with the ½ of the loss dropped: 2 (y − O) = 2 x (0.210676, 0.201936, -0.789335).
    body = f"spec: {PAPER}\nclaims:\n  - source: Step 5\n    E: [0.421352, 0.403871, -1.578671]\n"
    out = " ".join(cli("check", claims(tmp_path, body)).stdout.split())
    # Before: three entries, one per element, each with the same cause.
    assert "1. E[1,1], E[2,1], E[3,1] (Step 5)" in out and "\n2." not in out and " 2. " not in out
    assert "printed 0.421352, 0.403871, -1.578671 correct 0.210676, 0.201936, -0.789335" in out
    assert "likely cause: the ½ of the loss dropped (the loss and its gradient doubled)" in out


def test_the_list_of_errors_names_the_epoch(cli, tmp_path):
    # Epoch 2 starts from W_out = (0.2951, 0.2450, 0.2251) (README's paper run); 0.4 is no weight of it.
    body = f"spec: {PAPER}\nclaims:\n  - epoch: 2\n    source: the second pass\n    W_out[1,1]: 0.4\n"
    out = cli("check", claims(tmp_path, body)).stdout
    assert "1. W_out[1,1] (the second pass, epoch 2)" in out  # before: no epoch


def test_one_that_follows_is_said_in_the_singular(cli, tmp_path):
    # E_hidden[2,3] ten times too big (0.07485) and δ_hidden[2,3] = 0.07485 x σ′(H)[2,3] from it, where
    # σ′(H)[2,3] = 0.834795 x 0.165205 = 0.137912: 0.07485 x 0.137912 = 0.010323.
    body = f"spec: {PAPER}\nclaims:\n  - E_hidden[2,3]: 0.07485\n    δ_hidden[2,3]: 0.010323\n"
    out = " ".join(cli("check", claims(tmp_path, body)).stdout.split())
    assert "1 first error and 1 that follows from it." in out  # before: "1 that follow from them"


def test_the_markdown_report_puts_every_claimed_number_in_place(cli):
    out = cli("check", str(CONFIGS / "paper-claims.yaml"), "--to", "markdown").stdout
    assert "| Step 8 | E_hidden[2,3] | 0.074 | 0.00749 | a digit dropped: 0.0074 written as 0.074 |" in out
    assert "### The claimed numbers in place" in out and "#### Step 8" in out
    assert "| 2 | 0.010 ✓ | 0.008 ✓ | 0.074 ✗ (0.00749) |" in out
    assert "| | 0.4597 ✓ | 0.7197 ✓ | 0.07928 ✗ (0.07974) |" in out.replace("|  |", "| |")
    assert "b_out⁺[1] = 0.6837 ✓" in out


def test_the_reports_data_is_what_every_form_says():
    from nntrace.checking.report import annotated

    data = annotated(api.check(CONFIGS / "paper-claims.yaml"), "title")
    assert [e.labels for e in data.errata] == [("H_in[2,3]",), ("E_hidden[2,3]",), ("b_h⁺[3]",)]
    assert data.errata[1].correct == ("0.00749",) and data.errata[1].where == "Step 8"
    h_in = data.entries[0]
    assert (h_in.quantity, h_in.shape, h_in.right, len(h_in.marks)) == ("H_in", (3, 3), 8, 9)
    mark = h_in.grid()[1][2]
    assert (mark.printed, mark.right, mark.correct, mark.judged, mark.sign) == ("1.452", False, "1.620", "1.620", "✗")


def test_json_has_no_infinity(cli, tmp_path):
    # A claim on a diverging run: the value judged against overflows; JSON has no Infinity, so null.
    body = (
        "spec:\n  inputs: [[1e200]]\n  targets: [[0]]\n  activation: linear\n  loss: sse\n  learning_rate: 0.1\n"
        "  layers:\n    - {weights: [[1e200]], biases: [0]}\nclaims:\n  - L: 1.5\n"
    )
    result = cli("check", claims(tmp_path, body), "--json", "-")
    assert result.exit_code == 1 and "Infinity" not in result.stdout and "NaN" not in result.stdout
    assert json.loads(result.stdout)["claims"][0]["value"] is None


# --- a claims file to fill in ----------------------------------------------------------------------


def test_a_template_lists_every_claimable_name_with_its_shape(cli, tmp_path):
    out = tmp_path / "mine.yaml"
    result = cli("check", "--template", "paper", "-o", str(out))
    assert result.exit_code == 0 and "nntrace check" in result.stderr
    text = out.read_text(encoding="utf-8")
    for line in (
        "spec: paper ",
        "H_in: [[~, ~, ~], [~, ~, ~], [~, ~, ~]]    # 3x3",
        "σ′(O): [[~], [~], [~]]    # 3x1; also slope_O",
        "δ_out: [[~], [~], [~]]    # 3x1; also delta_out",
        "∂L/∂O_in: [[~], [~], [~]]    # 3x1; also dL/dO_in",
        "b_h⁺: [~, ~, ~]    # 3 values; also b_h+",
        "L: ~    # one number",
        "L_epoch: ~    # one number",
    ):
        assert line in text, line
    # Filled in, it is a claims file (its spec found by the shipped name).
    filled = text.replace("\n    H_in: [[~, ~, ~], [~, ~, ~], [~, ~, ~]]", "\n    H_in: [[1.48, ~, ~], [~, ~, 1.452], [~, ~, ~]]")
    out.write_text(filled, encoding="utf-8")
    report = api.check(out)
    assert [v.label for v in report.verdicts] == ["H_in[1,1]", "H_in[2,3]"] and len(report.wrong) == 1
    assert cli("check", "--template", "paper", "-o", str(out)).exit_code == 2  # never replaces a file


def test_a_template_of_a_large_spec_offers_elements(cli):
    text = cli("check", "--template", "digits").stdout
    document = yaml.safe_load(text)
    entry = document["claims"][0]
    assert entry["batch"] == 1 and entry["X[1,1]"] is None and "O_out[1,1]" in entry
    assert "e^O_in[1,1]" in entry and "Σe^O_in" in entry or "Σe^O_in[1]" in entry


def test_a_template_with_a_claims_file_is_refused(cli):
    result = cli("check", "paper-claims", "--template", "paper")
    assert result.exit_code == 2 and "--template" in result.stderr
    result = cli("check")
    assert result.exit_code == 2 and "--template SPEC" in result.stderr


def test_the_shipped_claims_files_are_listed_and_copied(cli, tmp_path, monkeypatch):
    listing = cli("examples").stdout
    assert "paper-claims" in listing and "nntrace check paper-claims" in listing  # before: not listed
    monkeypatch.chdir(tmp_path)
    result = cli("examples", "paper-claims", "-o", "errata.yaml")  # before: "no shipped example"
    assert result.exit_code == 0 and "check it with: nntrace check errata.yaml" in result.stderr
    report = api.check(tmp_path / "errata.yaml")  # spec: paper.yaml, found by its shipped name
    assert [v.label for v in report.first_errors] == ["H_in[2,3]", "E_hidden[2,3]", "b_h⁺[3]"]
