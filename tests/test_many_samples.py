"""A run over many samples is summarised as a person reads it: the first and last predictions
around a marked gap, the accuracy, and a confusion matrix, never a row per sample."""

from __future__ import annotations

import re

import numpy as np
import yaml
from conftest import write_spec


def classification(samples: int, classes: int, seed: int = 3) -> tuple[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(samples, 2))
    labels = np.digitize(X[:, 0] + 0.5 * X[:, 1], np.linspace(-1.5, 1.5, classes - 1))
    spec = {"inputs": X.round(3).tolist(), "targets": np.eye(classes)[labels].tolist(), "loss": "cross_entropy",
            "learning_rate": 0.1, "epochs": 100, "init": {"method": "xavier", "seed": 1},
            "layers": [{"size": 8}, {"size": classes, "activation": "softmax"}]}  # fmt: skip
    return yaml.safe_dump(spec), labels


def test_many_samples_show_the_first_and_last_around_a_gap_with_a_confusion_matrix(cli, tmp_path):
    text, labels = classification(90, 3)
    out = cli("run", write_spec(tmp_path, text), "--quiet", width="100").stdout
    listing = out.split("Confusion matrix")[0]
    rows = [int(n) for n in re.findall(r"^\s+(\d+)\s+[01]\s", listing, flags=re.MULTILINE)]
    assert rows == [*range(1, 9), *range(83, 91)]
    assert re.search(r"^\s+⋮(\s+⋮)+$", out, flags=re.MULTILINE)
    assert "(the first and last 8 of 90 samples)" in out
    matrix = out.split("Confusion matrix")[1].split("Loss per epoch")[0]
    counts = [[int(n) for n in line.split()[1:]] for line in matrix.splitlines() if re.match(r"^\s+\d+\s", line)]
    assert [sum(row) for row in counts] == np.bincount(labels, minlength=3).tolist()  # every sample, by true class
    correct = int(re.search(r"(\d+) of 90 samples classified correctly: accuracy ([\d.]+)%", out).group(1))
    assert correct == sum(counts[i][i] for i in range(3))


def test_many_classes_show_each_samples_class_not_every_output(cli, tmp_path):
    text, _ = classification(40, 6)
    out = cli("run", write_spec(tmp_path, text), "--quiet", width="100").stdout
    assert "target class" in out and "largest output" in out and "output 6" not in out


def test_few_samples_are_listed_in_full(cli, tmp_path):
    text, _ = classification(12, 3)
    out = cli("run", write_spec(tmp_path, text), "--quiet", width="100").stdout
    assert "⋮" not in out.split("Loss per epoch")[0] and "Confusion matrix" not in out


def _softmax_net_outputs(spec_path):
    """The digits net's outputs at its initial parameters, by a plain numpy forward pass."""
    from nntrace.engine.network import build_network
    from nntrace.spec.validate import load_spec

    spec = load_spec(spec_path)
    a = spec.inputs
    for layer in build_network(spec).layers[:-1]:
        a = 1 / (1 + np.exp(-(a @ layer.weights + layer.biases)))
    last = build_network(spec).layers[-1]
    z = a @ last.weights + last.biases
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def test_the_forward_table_of_many_samples_and_wide_layers_fits_the_width(cli):
    """Before, 1,500 rows of 117 columns were squeezed by rich to nothing: 1,500 blank lines in 4 s."""
    from conftest import CONFIGS
    from rich.cells import cell_len

    outputs = _softmax_net_outputs(CONFIGS / "digits.yaml")
    for width in (200, 120, 80):
        out = cli("run", str(CONFIGS / "digits.yaml"), "--epochs", "0", "--quiet", width=str(width)).stdout
        table = out.split("Outputs per sample\n")[1].split("(the first and last")[0]
        lines = table.splitlines()
        assert all(cell_len(line) <= width for line in lines)
        assert not re.search(r"\d\u2026", table)  # no number cut short
        rows = [line.split() for line in lines if re.match(r"^\s+\d+\s", line)]
        assert [int(row[0]) for row in rows] == [*range(1, 9), *range(1493, 1501)]
        header = lines[0].split()
        assert header[0] == "sample" and "a33" in header and "y1" in header
        first_output = header.index("a33")
        for row in rows:  # the first output neuron of each shown sample, as numpy computes it
            assert float(row[first_output]) == round(outputs[int(row[0]) - 1, 0], 3)
        assert "(the first and last 8 of 1,500 samples)" in out
    wide = cli("run", str(CONFIGS / "digits.yaml"), "--epochs", "0", "--quiet", width="200").stdout
    assert wide.split("\n")[1].split().count("\u2026") == 5  # each group elided once: inputs, 3 layers, targets
