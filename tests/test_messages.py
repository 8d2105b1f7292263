"""Messages and commands that do what the README and the help say."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
import yaml
from conftest import CONFIGS, DIVERGING_SPEC, write_spec

FORWARD_ONLY = """
inputs: [[0, 0], [0, 1], [1, 0], [1, 1]]
layers:
  - weights: [[0.5, -0.5], [0.5, -0.5]]
    biases: [0, 0]
  - weights: [[1], [1]]
    biases: [0]
"""


def test_forward_and_run_epochs_0_need_neither_targets_nor_learning_rate(cli, tmp_path):
    path = write_spec(tmp_path, FORWARD_ONLY)
    for args in (("forward", path), ("run", path, "--epochs", "0")):
        result = cli(*args)
        assert result.exit_code == 0, result.stderr
        assert "Outputs per sample" in result.stdout
    result = cli("run", path)
    assert result.exit_code == 2
    assert "targets: is missing: training for 1 epoch compares" in result.stderr and "nntrace forward" in result.stderr


def test_json_of_a_forward_only_run(cli, tmp_path):
    trace = tmp_path / "forward.json"
    result = cli("run", write_spec(tmp_path, FORWARD_ONLY), "--epochs", "0", "--json", str(trace))
    assert result.exit_code == 0, result.stderr
    document = json.loads(trace.read_text(encoding="utf-8"))
    assert document["losses"] == [] and [r["epoch"] for r in document["records"]] == [0]
    # every hidden unit's input is 0 for the first sample: O_out = sigmoid(0.5 + 0.5) = 0.7310585786300049
    assert document["records"][0]["quantities"]["O_out"][0] == [1 / (1 + np.exp(-1.0))]


@pytest.mark.parametrize("config", ["paper.yaml", "softmax.yaml", "classic-2-2-2-columns.yaml", "two-hidden.yaml"])
def test_the_json_traces_spec_runs_again_as_it_is(cli, tmp_path, config):
    first = tmp_path / "first.json"
    assert cli("run", str(CONFIGS / config), "--round", "4", "--json", str(first)).exit_code == 0
    document = json.loads(first.read_text(encoding="utf-8"))
    assert document["round"] == 4
    again = write_spec(tmp_path, yaml.safe_dump(document["spec"]), "again.yaml")
    second = tmp_path / "second.json"
    result = cli("run", again, "--round", "4", "--json", str(second))
    assert result.exit_code == 0, result.stderr
    assert json.loads(second.read_text(encoding="utf-8"))["records"] == document["records"]


def test_the_cross_entropy_error_step_says_what_e_is(cli):
    out = cli("run", str(CONFIGS / "softmax.yaml")).stdout
    assert "(E = −∂L/∂O_in, for the loss L = −ΣΣ y ln O: with softmax outputs the slope" in out


def test_a_batch_loss_is_labelled_as_the_batchs(cli, tmp_path):
    spec = (CONFIGS / "paper.yaml").read_text(encoding="utf-8") + "batch_size: 2\n"
    out = cli("run", write_spec(tmp_path, spec)).stdout
    assert re.search(r"^Loss L = .* \(epoch 1, batch 1 of 2, before its\s+update\)$", out, re.MULTILINE)
    assert re.search(r"^Loss L = .* \(epoch 1, batch 2 of 2, before its\s+update\)$", out, re.MULTILINE)


def test_weights_typed_transposed_get_the_hint(cli, tmp_path):
    spec = (CONFIGS / "paper.yaml").read_text(encoding="utf-8")
    spec = spec.replace("[[0.30], [0.25], [0.23]]", "[[0.30, 0.25, 0.23]]")
    result = cli("run", write_spec(tmp_path, spec))
    assert result.exit_code == 2
    assert "fix: W_out looks typed transposed: transpose it, or set `layout: columns`" in result.stderr


@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        ("inputs: [[1, 0]]\n\tlayers: []\n", ["line 2", "a tab character: YAML indents with spaces only"]),
        ("inputs: [[1, 0]]\n  targets: [[1]]\n", ["line 2", "indented differently"]),
        ("inputs: [[1, 0]]\nname: a: b\n", ["line 2", "indented too far, or its value holds ': '"]),
        ("layers:\n  - weights: [[1]]\n biases: [0]\n", ["line 3", "indented"]),
        ("inputs: [[1, 0]\ntargets: [[1]]\n", ["line 2", "not closed"]),
    ],
)
def test_yaml_syntax_errors_are_explained_in_plain_words(cli, tmp_path, text, fragments):
    result = cli("run", write_spec(tmp_path, text))
    assert result.exit_code == 2
    assert "\n  fix: " in result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr


def test_after_divergence_the_json_message_says_how_many_epochs_were_written(cli, tmp_path):
    trace = tmp_path / "trace.json"
    result = cli("run", write_spec(tmp_path, DIVERGING_SPEC), "--quiet", "--json", str(trace))
    assert result.exit_code == 1
    document = json.loads(trace.read_text(encoding="utf-8"))
    written = len({record["epoch"] for record in document["records"]})
    assert f"wrote the trace of {written} epoch{'' if written == 1 else 's'} to" in result.stderr
    assert written < 30
    # a non-finite number of the diverged epoch is written as null
    assert document["records"][-1]["loss"] is None  # the loss that overflowed
    assert len(document["losses"]) == written - 1


def test_quiet_on_a_forward_only_run_prints_only_the_outputs(cli, tmp_path):
    out = cli("run", write_spec(tmp_path, FORWARD_ONLY), "--epochs", "0", "--quiet").stdout
    assert out.startswith("Outputs per sample") and "Step 1" not in out


def test_show_and_quiet_together_are_refused(cli):
    result = cli("run", "--quiet", "--show", "1")
    assert result.exit_code == 2 and "give only one of them" in result.stderr


def test_a_reversed_show_range_is_refused(cli):
    result = cli("run", "--epochs", "9", "--show", "8-3")
    assert result.exit_code == 2 and "e.g. 3-8" in result.stderr


def test_no_color_on_a_terminal_has_no_styles_at_all(cli, monkeypatch):
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    monkeypatch.setenv("FORCE_COLOR", "1")
    styled = cli("run", "--epochs", "2").stdout
    assert "\x1b[1m" in styled  # the terminal is really styled...
    assert "\x1b[" not in cli("run", "--epochs", "2", "--no-color").stdout  # ...and --no-color removes it all
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in cli("run", "--epochs", "2").stdout  # as does NO_COLOR


def test_a_plot_of_one_epoch_draws_a_point(cli, tmp_path):
    pytest.importorskip("matplotlib")
    image = tmp_path / "loss.svg"
    result = cli("run", "--plot", str(image))
    assert result.exit_code == 0, result.stderr
    svg = image.read_text(encoding="utf-8")
    assert "<svg" in svg and 'id="m' in svg  # the marker that draws the single point


def test_examples_are_listed_printed_and_written_out(cli, tmp_path, monkeypatch):
    listing = cli("examples").stdout
    for name in ("paper", "two-hidden", "biomarker-xor", "xor-step"):
        assert re.search(rf"^{name}\s", listing, re.MULTILINE)
    assert cli("examples", "paper").stdout == (CONFIGS / "paper.yaml").read_text(encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # outside the clone
    result = cli("examples", "biomarker-xor", "-o", "bx.yaml")
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["biomarker-xor.csv", "bx.yaml"]
    assert cli("run", "bx.yaml", "--quiet").exit_code == 0
    again = cli("examples", "biomarker-xor", "-o", "bx.yaml")
    assert again.exit_code == 2 and "--force" in again.stderr
    assert cli("examples", "biomarker-xor", "-o", "bx.yaml", "--force").exit_code == 0
    assert cli("examples", "nope").exit_code == 2


def test_a_shipped_example_can_be_named_as_config(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli("run", "two-hidden")
    assert result.exit_code == 0 and "example two-hidden.yaml" in result.stdout


def test_new_writes_a_commented_spec_that_runs(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli("new", "2", "3", "1", "-o", "my.yaml")
    assert result.exit_code == 0, result.stderr
    text = (tmp_path / "my.yaml").read_text(encoding="utf-8")
    assert text.startswith("# A starter spec: 2 -> 3 -> 1")
    spec = yaml.safe_load(text)
    assert np.array(spec["inputs"]).shape[1] == 2 and np.array(spec["layers"][0]["weights"]).shape == (2, 3)
    run = cli("run", "my.yaml")
    assert run.exit_code == 0 and "2 inputs → 3 sigmoid (h) → 1 sigmoid (out)" in run.stdout
    assert cli("new", "2", "3", "1", "-o", "my.yaml").exit_code == 2
    assert cli("new", "2", "3", "1", "-o", "my.yaml", "--force").exit_code == 0
    assert cli("new", "4").exit_code == 2


def test_the_starter_shows_every_key_of_the_spec_and_each_may_be_uncommented_as_it_is():
    import re

    from nntrace.model.activations import ACTIVATIONS
    from nntrace.spec.starter import starter_spec
    from nntrace.spec.validate import LAYER_KEYS, TOP_LEVEL_KEYS, parse_spec

    text = starter_spec([2, 3, 1])
    keys = re.findall(r"^(?:# )?(\w+):", text, re.M)
    assert [key for key in keys if key in TOP_LEVEL_KEYS] == list(TOP_LEVEL_KEYS)  # all, in the spec's order
    layer_keys = re.findall(r"^    (?:# )?(\w+):", text, re.M)
    assert layer_keys == list(LAYER_KEYS) * 2
    assert all(name in text for name in ACTIVATIONS)
    commented = [line for line in text.splitlines() if re.match(r"^\s*# \w+: ", line)]
    assert len(commented) >= 15
    for line in commented:
        if line.startswith("# data:"):  # samples from a file instead of inputs: and targets:
            continue
        uncommented = text.replace(line, line.replace("# ", "", 1), 1)
        parse_spec(uncommented)  # each optional key, as shown, is a valid setting


def test_counts_in_messages_are_written_as_a_person_writes_them():
    from nntrace.common.wording import counted

    assert [counted(n, "epoch") for n in (0, 1, 2, 2000)] == ["0 epochs", "1 epoch", "2 epochs", "2,000 epochs"]
    assert counted(1, "complete epoch") == "1 complete epoch" and counted(3, "entry", "entries") == "3 entries"
