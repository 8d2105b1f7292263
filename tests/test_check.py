"""`nntrace check`: claimed numbers judged at their printed decimals, the first error, its cause.

The claims here are made from nntrace's own values and then spoiled the way people spoil them,
the spoiled numbers computed in the test with numpy (a doubled error, a transposed index, the
updated weights, rounded exponentials); the shipped claims files give the published errata.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from conftest import CONFIGS

from nntrace import api
from nntrace.checking.claims import Number
from nntrace.engine.network import build_network, train
from nntrace.spec.validate import load_spec


@pytest.mark.parametrize(
    "printed, right",
    [
        ("0.12", True),  # 2 decimals
        ("0.123", True),  # 3
        ("0.1235", True),  # 4: 0.12345678 rounds up
        ("0.1234", False),
        ("0.12345679", True),  # 8
        ("0.12345678", False),
        ("0.1", True),
        ("0", True),
    ],
)
def test_a_number_claims_the_value_rounded_to_its_own_decimals(printed, right):
    assert Number.read(printed, "x").holds(0.123456789, tolerance=0) is right


def test_halves_round_away_from_zero_on_the_decimal_value():
    assert Number.read("0.063", "x").holds(0.0625, 0) and not Number.read("0.062", "x").holds(0.0625, 0)
    assert Number.read("-0.063", "x").holds(-0.0625, 0)
    assert Number.read("1.01", "x").holds(1.005, 0)  # the float 1.005 is 1.00499999999999989...


def test_trailing_zeros_and_the_tolerance_count_the_last_printed_digit():
    assert Number.read("1.10", "x").decimals == 2
    assert Number.read("1.10", "x").holds(1.1049, 0)
    assert not Number.read("1.10", "x").holds(1.106, 0)
    assert Number.read("1.10", "x").holds(1.106, 1)  # one unit off with tolerance: 1
    assert not Number.read("1.10", "x").holds(1.116, 1)
    assert Number.read("1.5e-3", "x").decimals == 4


def write_claims(folder: Path, spec: str, entries: dict, header: str = "") -> Path:
    """A claims file for `spec` (a shipped config's name) with `entries` {name: text or list of texts}."""
    lines = [f"spec: {(CONFIGS / f'{spec}.yaml').as_posix()}", header, "claims:", "  - source: test"]
    for name, value in entries.items():
        lines.append(f"    {name}: {_yaml(value)}")
    path = folder / "claims.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _yaml(value) -> str:
    if isinstance(value, (list, tuple, np.ndarray)):
        return "[" + ", ".join(_yaml(v) for v in value) + "]"
    return value if isinstance(value, str) else f"{value:.6f}"


def epoch1(spec: str, rounding: int | None = None):
    spec_ = load_spec(CONFIGS / f"{spec}.yaml")
    network = build_network(spec_, rounding)
    return spec_, train(network, spec_.inputs, spec_.targets, 1, traced={1}).records[0]


def wrong(report) -> dict:
    return {v.label: v for v in report.wrong}


# --- the shipped claims files -------------------------------------------------------------------


def test_the_papers_claims_give_exactly_its_three_errata():
    report = api.check(CONFIGS / "paper-claims.yaml")
    found = {v.label: (v.cell.number.text, v.correct_text) for v in report.wrong}
    assert found == {
        "H_in[2,3]": ("1.452", "1.620"),
        "E_hidden[2,3]": ("0.074", "0.00749"),  # 0.007485: "0.0075" would read as 0.008 at 3 decimals
        "b_h⁺[3]": ("0.07928", "0.07974"),
    }
    assert [v.label for v in report.first_errors] == ["H_in[2,3]", "E_hidden[2,3]", "b_h⁺[3]"]  # computation order
    assert "a digit dropped: 0.0074 written as 0.074" in wrong(report)["E_hidden[2,3]"].causes
    assert len(report.verdicts) == 82


def test_the_essays_claims_give_its_one_erratum():
    report = api.check("essay-claims")  # by its shipped name
    assert [(v.label, v.cell.number.text, v.correct_text) for v in report.wrong] == [
        ("W_out⁺[1,1]", "0.1271", "0.1571")
    ]


def test_mazurs_published_numbers_are_all_right(cli):
    result = cli("check", str(CONFIGS / "mazur-claims.yaml"))
    assert result.exit_code == 0, result.output
    assert "All 22 claimed numbers are right." in " ".join(result.stdout.split())


def test_the_cli_exits_1_and_lists_the_errata(cli):
    result = cli("check", str(CONFIGS / "paper-claims.yaml"))
    assert result.exit_code == 1
    out = " ".join(result.stdout.split())
    assert "3 of 82 claimed numbers are wrong" in out and "first in the order of computation is H_in[2,3]" in out
    assert "printed 0.07928, correct 0.07974" in out and "no simple explanation found" in out


def test_json_report(cli, tmp_path):
    result = cli("check", str(CONFIGS / "paper-claims.yaml"), "--json", "-")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["wrong"] == 3 and report["first_errors"] == ["H_in[2,3]", "E_hidden[2,3]", "b_h⁺[3]"]
    entry = next(c for c in report["claims"] if c["label"] == "E_hidden[2,3]")
    assert (entry["printed"], entry["correct"], entry["right"], entry["units_off"]) == ("0.074", "0.00749", False, 67)
    out = tmp_path / "report.json"
    assert cli("check", str(CONFIGS / "essay-claims.yaml"), "--json", str(out)).exit_code == 1
    assert json.loads(out.read_text(encoding="utf-8"))["first_errors"] == ["W_out⁺[1,1]"]


@pytest.mark.parametrize("command, name", [("check", "paper-claims"), ("run", "paper")])
def test_a_broken_link_named_like_a_shipped_file_is_the_users_not_the_shipped_one(
    cli, tmp_path, monkeypatch, command, name
):
    monkeypatch.chdir(tmp_path)
    (tmp_path / name).symlink_to("moved-away.yaml")
    result = cli(command, name)
    assert result.exit_code == 2 and name in result.output and "Traceback" not in result.output


def test_json_and_a_document_never_share_stdout(cli, tmp_path):
    both = cli("check", str(CONFIGS / "paper-claims.yaml"), "--json", "-", "--to", "markdown")
    assert both.exit_code == 2 and "--json - and --to markdown would both write to stdout" in both.output
    assert "{" not in both.stdout and "Traceback" not in both.output
    document = tmp_path / "errata.md"
    apart = cli("check", str(CONFIGS / "paper-claims.yaml"), "--json", "-", "--to", "markdown", "-o", str(document))
    assert apart.exit_code == 1 and json.loads(apart.stdout)["wrong"] == 3
    assert "| Step 8 | E_hidden[2,3] |" in document.read_text(encoding="utf-8")


def test_json_and_a_document_never_share_a_file(cli, tmp_path):
    # Before, the document replaced the JSON written a moment earlier.
    same = str(tmp_path / "report")
    result = cli("check", str(CONFIGS / "paper-claims.yaml"), "--json", same, "--to", "markdown", "-o", same)
    assert result.exit_code == 2 and f"--json {same} and -o {same} would both write to {same}" in result.output
    assert not (tmp_path / "report").exists()


def test_json_and_the_plot_never_share_stdout(cli):
    result = cli("run", "--epochs", "2", "--json", "-", "--plot", "-")
    assert result.exit_code == 2 and "--json - and --plot - would both write to stdout" in result.output


def test_markdown_errata_table(cli):
    out = cli("check", str(CONFIGS / "paper-claims.yaml"), "--to", "markdown").stdout
    assert "| Step 8 | E_hidden[2,3] | 0.074 | 0.00749 | a digit dropped: 0.0074 written as 0.074 |" in out


# --- rounding -----------------------------------------------------------------------------------


def test_hand_rounded_claims_match_with_round_or_are_diagnosed(tmp_path):
    # Every step carried at 3 decimals by hand: O_in = 0.815 x 0.30 + 0.856 x 0.25 + 0.750 x 0.23
    # + 0.69 = 1.3210 (exact: 1.3209), W_out[1,1] = 0.30 + 0.1 x (-0.048) = 0.2952 (exact: 0.2951).
    _, record = epoch1("paper", rounding=3)
    np.testing.assert_allclose(record.quantities["H_out"][0], [0.815, 0.856, 0.750])
    entries = {"H_out[1,2]": "0.856", "O_in[1,1]": "1.3210", "W_out+[1,1]": "0.2952"}
    exact = api.check(write_claims(tmp_path, "paper", entries))
    assert {v.label for v in exact.wrong} == {"O_in[1,1]", "W_out⁺[1,1]"}
    for verdict in exact.wrong:
        assert "matches with hand rounding to 3 decimals (every step carried so)" in verdict.causes, verdict.causes
    assert not api.check(write_claims(tmp_path, "paper", entries, "round: 3")).wrong


def test_round_printed_judges_each_step_from_the_numbers_printed_before_it(tmp_path):
    # O_in from H_out cut (not rounded) to 3 decimals, as the paper does: wrong against the exact
    # value, right from the printed numbers.
    _, record = epoch1("paper")
    cut = np.floor(record.quantities["H_out"] * 1000) / 1000
    o_in = cut @ np.array([0.30, 0.25, 0.23]) + 0.69
    entries = {"H_out": [[f"{v:.3f}" for v in row] for row in cut], "O_in[3,1]": f"{o_in[2]:.4f}"}
    exact = api.check(write_claims(tmp_path, "paper", entries, "tolerance: 1"))
    assert [v.label for v in exact.wrong] == ["O_in[3,1]"]
    assert "rounded numbers printed before it" in exact.wrong[0].causes[0]
    assert not api.check(write_claims(tmp_path, "paper", entries, "tolerance: 1\nround: printed")).wrong


def test_rounding_inside_the_softmax_is_found(tmp_path):
    spec, record = epoch1("softmax", rounding=3)
    z = record.quantities["O_in"]
    exponentials = np.array([[float(f"{v:.3f}") for v in row] for row in np.exp(z)])
    by_hand = exponentials / exponentials.sum(axis=1, keepdims=True)
    report = api.check(write_claims(tmp_path, "softmax", {"O_out[1,1]": f"{by_hand[0, 0]:.5f}"}))
    (verdict,) = report.wrong
    assert any("inside softmax" in cause for cause in verdict.causes), verdict.causes


# --- the causes, made in the test ---------------------------------------------------------------


@pytest.mark.parametrize("spec", ["paper", "two-hidden", "classic-2-2-2-rows"])
def test_reading_slips_are_named(tmp_path, spec):
    _, record = epoch1(spec)
    H = record.quantities["H_out" if spec != "two-hidden" else "H1_out"]
    name = "H_out" if spec != "two-hidden" else "H1_out"
    rows, cols = H.shape
    cases = {
        "a sign error": (f"{name}[1,1]", f"{-H[0, 0]:.6f}"),
        "copied from the neighbouring cell": (f"{name}[1,1]", f"{H[0, 1]:.6f}"),
        "two digits swapped": (f"{name}[1,1]", _swap(f"{H[0, 0]:.6f}")),
        "a digit dropped": (f"{name}[1,1]", _drop(f"{H[0, 0]:.7f}")),
    }
    if rows > 1 and cols > 1:
        cases["a transposed index"] = (f"{name}[1,2]", f"{H[1, 0]:.6f}")
    for cause, (reference, text) in cases.items():
        report = api.check(write_claims(tmp_path, spec, {reference: text}))
        (verdict,) = report.wrong
        assert any(c.startswith(cause) for c in verdict.causes), (cause, verdict.causes)


def _swap(text: str) -> str:
    digits = text.split(".")[1]
    for i in range(len(digits) - 1):
        if digits[i] != digits[i + 1]:
            return text.split(".")[0] + "." + digits[:i] + digits[i + 1] + digits[i] + digits[i + 2 :]
    raise AssertionError(text)


def _drop(text: str) -> str:
    head, digits = text.split(".")
    for i in range(1, len(digits)):
        if digits[i] != digits[i - 1]:
            return head + "." + digits[:i] + digits[i + 1 :]
    raise AssertionError(text)


@pytest.mark.parametrize("spec", ["paper", "two-hidden", "tanh-relu-mse"])
def test_the_learning_rate_folded_into_the_delta_and_applied_twice(tmp_path, spec):
    loaded, record = epoch1(spec)
    eta = loaded.learning_rate
    last = [layer.names for layer in build_network(loaded).layers][-1]
    delta = record.quantities[last.delta.key]
    before, after = record.params_before[last.weights.key], record.params_after[last.weights.key]
    twice = before + eta * (after - before)  # W + eta^2 * step
    entries = {f"{last.delta.key}[1,1]": f"{eta * delta[0, 0]:.8f}", f"{last.weights.key}+[1,1]": f"{twice[0, 0]:.8f}"}
    found = wrong(api.check(write_claims(tmp_path, spec, entries)))
    delta_label = next(label for label in found if label.startswith("δ"))
    assert any("folded into the output delta" in c for c in found[delta_label].causes)
    assert any("applied twice in the update (η² instead of η)" in c for c in found[f"{last.weights.key}⁺[1,1]"].causes)


@pytest.mark.parametrize("spec", ["paper", "two-hidden"])
def test_a_dropped_half_and_what_follows_from_it(tmp_path, spec):
    loaded, record = epoch1(spec)
    names = [layer.names for layer in build_network(loaded).layers]
    out = names[-1]
    doubled_error = 2 * record.quantities[out.error.key]
    doubled_delta = doubled_error * record.quantities[out.slope.key]
    entries = {
        f"{out.error.key}[1,1]": f"{doubled_error[0, 0]:.6f}",
        f"{out.delta.key}[1,1]": f"{doubled_delta[0, 0]:.6f}",
    }
    report = api.check(write_claims(tmp_path, spec, entries))
    first, follower = report.wrong
    assert first.label == f"{out.error.key}[1,1]" and follower.follows == (first.label,)
    assert any("½ of the loss dropped" in c for c in first.causes)
    assert report.consequences(first) == [follower]


def test_mean_instead_of_sum(tmp_path):
    _, record = epoch1("paper")
    gradient = -record.quantities["dW_out"] / 3  # dL/dW averaged over the 3 samples
    report = api.check(write_claims(tmp_path, "paper", {"∂L/∂W_out": [f"{v:.6f}" for v in gradient.ravel()]}))
    assert len(report.wrong) == 3 and all(any("mean" in c for c in v.causes) for v in report.wrong)


@pytest.mark.parametrize("spec", ["paper", "two-hidden", "classic-2-2-2-rows"])
def test_updated_weights_used_for_the_hidden_errors(tmp_path, spec):
    loaded, record = epoch1(spec)
    names = [layer.names for layer in build_network(loaded).layers]
    hidden, out = names[-2], names[-1]
    stale = record.quantities[out.delta.key] @ record.params_after[out.weights.key].T  # with W⁺, not W
    report = api.check(write_claims(tmp_path, spec, {f"{hidden.error.key}[1,1]": f"{stale[0, 0]:.8f}"}))
    (verdict,) = report.wrong
    assert any("updated weights" in c for c in verdict.causes), verdict.causes


def test_the_first_error_and_its_consequences(tmp_path):
    # E_hidden[2,3] written ten times too big; delta_hidden[2,3] and W_h+ column 3 computed from it.
    _, record = epoch1("paper")
    q = record.quantities
    e_hidden = q["E_hidden"].copy()
    e_hidden[1, 2] *= 10
    delta_hidden = e_hidden * q["slope_H"]
    W_h = record.params_before["W_h"] + 0.1 * q["X"].T @ delta_hidden
    entries = {
        "E_hidden": [[f"{v:.6f}" for v in row] for row in e_hidden],
        "δ_hidden": [[f"{v:.6f}" for v in row] for row in delta_hidden],
        "W_h+": [[f"{v:.6f}" for v in row] for row in W_h],
    }
    report = api.check(write_claims(tmp_path, "paper", entries))
    (first,) = report.first_errors
    assert first.label == "E_hidden[2,3]"
    # Sample 2's inputs are 1, 0, 1, 1: its delta moves W_h[1,3], W_h[3,3] and W_h[4,3], not W_h[2,3].
    assert [v.label for v in report.consequences(first)] == ["δ_hidden[2,3]", "W_h⁺[1,3]", "W_h⁺[3,3]", "W_h⁺[4,3]"]
    assert report.wrong[-1].follows == ("E_hidden[2,3]", "δ_hidden[2,3]")


def test_no_simple_explanation(tmp_path):
    report = api.check(write_claims(tmp_path, "paper", {"H_in[1,1]": "7.31"}))
    assert report.wrong[0].causes == ()


# --- epochs, batches, layouts ---------------------------------------------------------------------


def test_claims_at_a_later_epoch_and_in_the_columns_layout(tmp_path):
    spec = load_spec(CONFIGS / "classic-2-2-2-columns.yaml")
    network = build_network(spec)
    records = train(network, spec.inputs, spec.targets, 2, traced={2}).records
    w_out = records[0].params_after["W_out"].T  # shown as typed: one row per neuron
    path = tmp_path / "claims.yaml"
    path.write_text(
        f"spec: {(CONFIGS / 'classic-2-2-2-columns.yaml').as_posix()}\nclaims:\n  - epoch: 2\n"
        f"    W_out+[1,2]: {w_out[0, 1]:.9f}\n    W_out+[2,1]: {w_out[1, 0]:.9f}\n",
        encoding="utf-8",
    )
    assert not api.check(path).wrong
    # Epoch 1 against the published numbers: in columns W_out is typed [[w5, w6], [w7, w8]].
    published = tmp_path / "published.yaml"
    published.write_text(
        f"spec: {(CONFIGS / 'classic-2-2-2-columns.yaml').as_posix()}\nclaims:\n"
        "  - W_out+: [[0.35891648, 0.408666186], [0.511301270, 0.561370121]]\n"
        "    W_h+[1,2]: 0.19956143\n",  # w2: from input 2 into h1
        encoding="utf-8",
    )
    assert not api.check(published).wrong
    swapped = path.read_text(encoding="utf-8").replace("W_out+[1,2]", "W_out+[9,9]")
    path.write_text(swapped, encoding="utf-8")
    with pytest.raises(Exception, match=r"W_out⁺ is indexed \[1..2,1..2\]"):
        api.check(path)


# --- bad claims files -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body, message",
    [
        ("claims:\n  - H_out[2,3]: 0.5\n", "spec"),
        ("spec: nowhere.yaml\nclaims:\n  - H_in: 1\n", "no such file"),
        ("spec: {spec}\nclaims:\n  - Q_in[1,1]: 0.5\n", "'Q_in' is not a quantity of this network"),
        ("spec: {spec}\nclaims:\n  - H_in[4,1]: 0.5\n", r"H_in is indexed \[1..3,1..3\]"),
        ("spec: {spec}\nclaims:\n  - H_in: [1, 2]\n", "H_in is 3x3 as printed"),
        ("spec: {spec}\nclaims:\n  - H_in[1,1]: about one\n", "expected a number as printed"),
        ("spec: {spec}\nround: 12\nclaims:\n  - H_in[1,1]: 1.48\n", "round"),
        ("spec: {spec}\ntolerance: -1\nclaims:\n  - H_in[1,1]: 1.48\n", "tolerance"),
        ("spec: {spec}\nclaims:\n  - batch: 2\n    H_in[1,1]: 1.48\n", "batch"),
        ("spec: {spec}\nclaims:\n  - epoch: [1]\n    H_in[1,1]: 1.48\n", "epoch"),
        ("spec: {spec}\nclaims: []\n", "claims"),
        ("spec: {inputs: [[1]], layers: [{weights: [[1]], biases: [0]}]}\nclaims:\n  - O_in: 1\n", "targets"),
    ],
)
def test_a_bad_claims_file_exits_2_naming_the_field(cli, tmp_path, body, message):
    path = tmp_path / "claims.yaml"
    path.write_text(body.replace("{spec}", (CONFIGS / "paper.yaml").as_posix()), encoding="utf-8")
    result = cli("check", str(path))
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    import re

    assert re.search(message, result.stderr), result.stderr


def test_an_unknown_name_lists_the_valid_ones(cli, tmp_path):
    path = tmp_path / "claims.yaml"
    path.write_text(f"spec: {(CONFIGS / 'paper.yaml').as_posix()}\nclaims:\n  - H_ni: 1\n", encoding="utf-8")
    err = cli("check", str(path)).stderr
    assert "H_in" in err and "δ_hidden" in err and "W_out⁺" in err and "∂L/∂W_h" in err


def test_the_report_never_replaces_the_claims_file_or_its_spec(cli, tmp_path):
    spec = tmp_path / "net.yaml"
    spec.write_text((CONFIGS / "essay-one-neuron.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    claims = tmp_path / "claims.yaml"
    claims.write_text("spec: net.yaml\nclaims:\n  - W_out+: 0.1571\n", encoding="utf-8")
    before = claims.read_bytes(), spec.read_bytes()
    assert cli("check", str(claims)).exit_code == 0  # the spec found next to the claims file
    for option in (["--json", str(claims)], ["--json", str(spec)], ["--to", "markdown", "-o", str(claims)]):
        result = cli("check", str(claims), *option)
        assert result.exit_code == 2, (option, result.output)
    assert (claims.read_bytes(), spec.read_bytes()) == before
