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
