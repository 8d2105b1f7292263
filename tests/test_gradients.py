"""Backpropagation against central finite differences, for every activation and loss, depths 1-4.

The reference is numeric: the loss evaluated at shifted parameters, not a second
copy of the backward formulas.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from nntrace.engine.gradcheck import central_difference, check_gradients, relative_error
from nntrace.engine.network import build_network
from nntrace.spec.validate import parse_spec

HIDDEN = ["sigmoid", "tanh", "relu", "leaky_relu", "linear"]
OUTPUT_AND_LOSS = [
    (output, loss) for output in ("sigmoid", "tanh", "linear", "leaky_relu") for loss in ("half_sse", "sse", "mse")
] + [("sigmoid", "cross_entropy"), ("softmax", "cross_entropy")]


def random_spec(depth: int, hidden: str, output: str, loss: str, seed: int) -> str:
    rng = np.random.default_rng(seed)
    sizes = [3] + [4, 3, 2][: depth - 1] + [2]
    inputs = rng.normal(size=(5, sizes[0])).round(3).tolist()
    if output == "softmax":
        targets = np.eye(2)[rng.integers(0, 2, size=5)].tolist()
    else:
        targets = rng.uniform(0.05, 0.95, size=(5, sizes[-1])).round(3).tolist()
    layers = []
    for n_in, n_out in zip(sizes, sizes[1:]):
        layers.append(
            {
                "weights": rng.normal(scale=0.8, size=(n_in, n_out)).round(4).tolist(),
                "biases": rng.normal(scale=0.3, size=n_out).round(4).tolist(),
                "activation": hidden,
            }
        )
    layers[-1]["activation"] = output
    import yaml

    return yaml.safe_dump({"inputs": inputs, "targets": targets, "loss": loss, "learning_rate": 0.1, "layers": layers})


@pytest.mark.parametrize(
    "depth, hidden, output_loss",
    [
        (depth, hidden, output_loss)
        for depth, hidden, output_loss in itertools.product(range(1, 5), HIDDEN, OUTPUT_AND_LOSS)
        if depth > 1 or hidden == "sigmoid"  # one layer has no hidden activation to vary
    ],
)
def test_backpropagation_matches_finite_differences(depth, hidden, output_loss):
    output, loss = output_loss
    spec = parse_spec(random_spec(depth, hidden, output, loss, seed=depth * 100 + len(hidden)))
    checks = check_gradients(build_network(spec), spec.inputs, spec.targets, tolerance=1e-5)
    worst = max(checks, key=lambda c: c.largest_relative_error)
    assert all(check.passed for check in checks), f"{worst.key}: {worst.largest_relative_error:.2e}"


def test_central_difference_of_a_known_function():
    """One linear neuron with sse: dL/dw = -2 (y - w x) x exactly, here -2 (1 - 0.6) 2 = -1.6."""
    spec = parse_spec(
        "inputs: [[2]]\ntargets: [[1]]\nloss: sse\nlearning_rate: 0.1\n"
        "layers: [{weights: [[0.3]], biases: [0], activation: linear}]"
    )
    numeric = central_difference(build_network(spec), "W_out", spec.inputs, spec.targets)
    assert numeric[0, 0] == pytest.approx(-1.6, abs=1e-8)


def test_relative_error_compares_tiny_gradients_absolutely():
    assert relative_error(np.array([1e-12]), np.array([0.0]))[0] < 1e-3
    assert relative_error(np.array([1.0]), np.array([1.1]))[0] == pytest.approx(0.1 / 1.1)


def test_gradcheck_command_passes_and_reports_every_parameter(cli):
    result = cli("gradcheck", "configs/two-hidden.yaml")
    assert result.exit_code == 0, result.stdout
    for key in ("W_h1", "b_h1", "W_h2", "b_h2", "W_out", "b_out"):
        assert key in result.stdout
    assert "agree within" in result.stdout


def test_gradcheck_fails_with_exit_1_when_backpropagation_is_wrong(cli, monkeypatch):
    # A slope 1% too large: every gradient through a sigmoid is off by about 1%.
    import nntrace.engine.network as engine

    original = engine.Layer.__post_init__

    def skewed(layer):
        original(layer)
        slope = layer.slope
        layer.slope = lambda z, a: 1.01 * slope(z, a)

    monkeypatch.setattr(engine.Layer, "__post_init__", skewed)
    result = cli("gradcheck")
    assert result.exit_code == 1
    assert "FAIL" in result.stdout
