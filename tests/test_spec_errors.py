"""Bad input: exit code 2, one clear message naming the field, no traceback, nothing on stdout."""

from __future__ import annotations

import pytest

GOOD_LAYERS = """
layers:
  - weights: [[0.1, 0.3, 0.4], [0.2, 0.1, 0.1]]
    biases: [0, 0, 0]
  - weights: [[0.1], [0.2], [0.3]]
    biases: [0]
"""
GOOD = "inputs: [[1, 0], [0, 1]]\ntargets: [[1], [0]]\nlearning_rate: 0.1\n" + GOOD_LAYERS


CASES = {
    "yaml that does not parse": ("inputs: [[1, 0], [0, 1]\ntargets: [[1], [0]]\n", ["line 2", "does not parse"]),
    "missing required key": (GOOD.replace("targets: [[1], [0]]\n", ""), ["targets", "missing"]),
    "missing layers": (GOOD.split("layers:")[0], ["layers", "missing"]),
    "ragged matrix": (GOOD.replace("[[1, 0], [0, 1]]", "[[1, 0], [0]]"), ["inputs", "ragged", "row 2 has 1"]),
    "non-numeric entry": (GOOD.replace("[[1, 0], [0, 1]]", "[[1, 0], [0, abc]]"), ["inputs[2][2]", "'abc'"]),
    "non-finite entry": (GOOD.replace("[[1], [0]]", "[[1], [.inf]]"), ["targets[2][1]", "finite"]),
    "boolean entry": (GOOD.replace("[[1], [0]]", "[[1], [yes]]"), ["targets[2][1]", "boolean"]),
    "weights that do not fit the layer before": (
        GOOD.replace("[[0.1], [0.2], [0.3]]", "[[0.1], [0.2]]"),
        ["layers[2].weights", "W_out", "layer 2 ('out')", "2\u00d71", "layer 1 ('h') has 3 neurons", "3\u00d71"],
    ),
    "first layer that does not fit the inputs": (
        GOOD.replace("[[0.1, 0.3, 0.4], [0.2, 0.1, 0.1]]", "[[0.1, 0.3, 0.4]]"),
        ["layers[1].weights", "1\u00d73", "2 features", "2\u00d73"],
    ),
    "bias of the wrong length": (
        GOOD.replace("biases: [0, 0, 0]", "biases: [0, 0]"),
        ["layers[1].biases", "expected 3", "found 2"],
    ),
    "unknown activation": (
        GOOD + "activation: sigmod\n",
        ["activation", "'sigmod'", "sigmoid, tanh, relu", "did you mean sigmoid"],
    ),
    "negative learning rate": (
        GOOD.replace("learning_rate: 0.1", "learning_rate: -0.1"),
        ["learning_rate", "positive", "-0.1"],
    ),
    "zero learning rate": (GOOD.replace("learning_rate: 0.1", "learning_rate: 0"), ["learning_rate", "positive"]),
    "non-numeric learning rate": (
        GOOD.replace("learning_rate: 0.1", "learning_rate: fast"),
        ["learning_rate", "'fast'"],
    ),
    "unknown key": (GOOD + "learnig_rate: 0.2\n", ["learnig_rate", "not a known key"]),
    "targets for fewer samples": (GOOD.replace("[[1], [0]]", "[[1]]"), ["targets", "one row per sample"]),
    "not a mapping": ("- 1\n- 2\n", ["expected a mapping"]),
    "step activation with training": (GOOD + "activation: step\n", ["step", "cannot be trained", "epochs: 0"]),
    "softmax on a hidden layer": (
        GOOD.replace("biases: [0, 0, 0]", "biases: [0, 0, 0]\n    activation: softmax") + "loss: cross_entropy\n",
        ["layers[1].activation", "softmax", "output layer"],
    ),
    "softmax without cross-entropy": (
        GOOD.replace("biases: [0]", "biases: [0]\n    activation: softmax"),
        ["softmax", "cross_entropy"],
    ),
    "cross-entropy with targets outside [0, 1]": (
        GOOD.replace("[[1], [0]]", "[[2], [0]]") + "loss: cross_entropy\n",
        ["targets", "between 0 and 1", "from 0 to 2"],
    ),
    "cross-entropy with linear outputs": (
        GOOD.replace("biases: [0]", "biases: [0]\n    activation: linear") + "loss: cross_entropy\n",
        ["cross_entropy", "sigmoid or softmax"],
    ),
    "batch size larger than the samples": (GOOD + "batch_size: 3\n", ["batch_size", "at most", "(2)", "found 3"]),
    "unknown init method": (GOOD + "init: {method: glorot, seed: 1}\n", ["init.method", "'glorot'", "xavier"]),
    "empty layers": (GOOD.split("layers:")[0] + "layers: []\n", ["layers", "at least one layer"]),
    "unknown loss": (GOOD + "loss: l2\n", ["loss", "'l2'", "half_sse"]),
    "unknown layout": (GOOD + "layout: cols\n", ["layout", "'cols'", "did you mean columns"]),
    "weights missing without init": (
        GOOD.replace("  - weights: [[0.1], [0.2], [0.3]]\n    biases: [0]", "  - biases: [0]"),
        ["layers[2].weights", "init"],
    ),
    "columns weights that do not fit": (
        GOOD.replace("[[0.1, 0.3, 0.4], [0.2, 0.1, 0.1]]", "[[0.1, 0.3, 0.4], [0.2, 0.1, 0.1]]") + "layout: columns\n",
        ["layers[1].weights", "2\u00d73", "columns, one per input", "(shape 2\u00d72)"],
    ),
    "duplicate layer names": (GOOD.replace("biases: [0]", "biases: [0]\n    name: h"), ["'h'", "more than once"]),
}


@pytest.mark.parametrize("name", list(CASES))
def test_bad_spec_is_one_clear_error(cli, tmp_path, name):
    text, fragments = CASES[name]
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    result = cli("run", str(path))
    assert result.exit_code == 2
    assert result.stdout == ""
    message = result.stderr
    assert message.startswith(f"nntrace: error: {path}: ")
    assert "Traceback" not in message
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in {message!r}"
    assert "\n  fix: " in message, f"no fix line in {message!r}"


def test_missing_file(cli, tmp_path):
    result = cli("run", str(tmp_path / "nope.yaml"))
    assert result.exit_code == 2
    assert "nope.yaml: no such file" in result.stderr


def test_directory_instead_of_file(cli, tmp_path):
    result = cli("step", str(tmp_path))
    assert result.exit_code == 2
    assert "is a directory" in result.stderr


def test_the_good_spec_of_these_cases_runs(cli, tmp_path):
    path = tmp_path / "good.yaml"
    path.write_text(GOOD, encoding="utf-8")
    assert cli("run", str(path)).exit_code == 0


def test_yaml_is_read_with_the_safe_loader(cli, tmp_path):
    # An unsafe loader would call open(marker, "w") while reading the spec.
    marker = tmp_path / "created-by-yaml"
    path = tmp_path / "unsafe.yaml"
    path.write_text(f"inputs: !!python/object/apply:builtins.open ['{marker}', 'w']\n", encoding="utf-8")
    result = cli("run", str(path))
    assert result.exit_code == 2
    assert not marker.exists()
    assert "a tag (!!...) asks for a Python object" in result.stderr
