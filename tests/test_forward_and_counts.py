"""Forward-only networks (the paper's XOR of step neurons), hand rounding, parameter counts."""

from __future__ import annotations

import re

from conftest import CONFIGS


def table_rows(out: str) -> list[list[str]]:
    block = out.split("Outputs per sample")[1]
    return [line.split() for line in block.splitlines() if re.match(r"^\s*\d+\s", line)]


def test_xor_of_step_neurons_is_the_papers_table_4(cli):
    result = cli("forward", str(CONFIGS / "xor-step.yaml"))
    assert result.exit_code == 0, result.stderr
    rows = table_rows(result.stdout)
    columns = list(zip(*rows))
    header = [line for line in result.stdout.splitlines() if line.startswith("sample")][0].split()
    assert header == ["sample", "x1", "x2", "a1", "a2", "a3", "y"]
    assert columns[3] == ("0", "1", "0", "0")  # a1 = NOT(X1).X2
    assert columns[4] == ("0", "0", "1", "0")  # a2 = X1.NOT(X2)
    assert columns[5] == ("0", "1", "1", "0")  # a3 = their OR: XOR
    assert "Error at the output" not in result.stdout


def test_epochs_0_makes_run_forward_only(cli):
    out = cli("run", str(CONFIGS / "xor-step.yaml")).stdout
    assert "Forward pass" in out and "Outputs per sample" in out and "Error at the output" not in out


def test_forward_only_specs_need_no_targets_or_learning_rate(cli, tmp_path):
    path = tmp_path / "fwd.yaml"
    path.write_text(
        "inputs: [[1, 2]]\nepochs: 0\nlayers:\n  - weights: [[0.5], [0.25]]\n    biases: [0]\n", encoding="utf-8"
    )
    result = cli("run", str(path))
    assert result.exit_code == 0, result.stderr
    assert "Outputs per sample" in result.stdout and "Loss" not in result.stdout


def test_forward_on_a_training_spec_uses_its_starting_parameters(cli):
    out = cli("forward").stdout
    assert "0.789" in out and "Weight updates" not in out


def test_hand_rounding_reproduces_the_papers_b_out(cli):
    rounded = cli("run", "--round", "3", "--precision", "4").stdout
    assert "b_out[1] = 0.6900 + 0.1 × (-0.0630) = 0.6837" in rounded
    assert "rounded to 3 decimals" in rounded
    full = cli("run", "--precision", "4").stdout
    assert "b_out[1] = 0.6900 + 0.1 × (-0.0637) = 0.6836" in full


def test_hand_rounding_leaves_the_parameters_unrounded(cli):
    import json

    record = json.loads(cli("run", "--round", "3", "--json", "-").stdout)["records"][0]
    assert record["quantities"]["delta_out"] == [[0.035], [0.033], [-0.131]]
    assert record["params_after"]["b_out"][0] == 0.69 + 0.1 * -0.063


def test_parameter_counts(cli):
    assert re.search(r"^total\s+119$", cli("params", "4", "5", "7", "5", "2").stdout, flags=re.M)
    assert re.search(r"^total\s+13002$", cli("params", "784", "16", "16", "10").stdout, flags=re.M)
    result = cli("params", "4")
    assert result.exit_code == 2 and "at least two" in result.stderr
    assert cli("params", "4", "0").exit_code == 2


def test_run_header_states_the_parameter_count(cli):
    assert "19 parameters" in cli("run").stdout
