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


def full_difference(network, key, X, y, entry, step=1e-4):
    """The fourth-order central difference with the whole forward pass computed again at every shift."""
    value = network.parameters()[key]

    def loss_at(offset):
        shifted = value.copy()
        if key.startswith("b") and any(layer.shared_bias for layer in network.layers):
            shifted += offset  # one shared bias: every entry is the parameter
        else:
            shifted[entry] += offset
        network.set_parameter(key, shifted)
        return network.loss_value(X, y)

    near, far = loss_at(step) - loss_at(-step), loss_at(2 * step) - loss_at(-2 * step)
    network.set_parameter(key, value)
    return (8 * near - far) / (12 * step)


SPARSE = "inputs: [[0, 1, 0], [0, 0.5, 0], [2, 0, 0], [0, 0, 0], [0, 0.3, 0.7]]\n"


@pytest.mark.parametrize(
    "extra",
    [
        "",
        "reduction: mean\n",
        "bias_sharing: per_layer\n",
    ],
)
@pytest.mark.parametrize("hidden, output, loss", [("relu", "softmax", "cross_entropy"), ("tanh", "sigmoid", "mse"),
                                                   ("leaky_relu", "linear", "half_sse")])  # fmt: skip
def test_the_difference_from_the_kept_forward_pass_is_the_whole_passs(hidden, output, loss, extra):
    """Probe computes again only what an entry reaches (one column, the samples whose input is not 0);
    the whole forward pass at each shift gives the same difference."""
    from nntrace.engine.gradcheck import Probe

    targets = "[[1, 0], [0, 1], [1, 0], [0, 1], [1, 0]]" if output == "softmax" else "[[0.2, 0.9], [0.5, 0.1], [0.3, 0.3], [0.8, 0.6], [0.1, 0.4]]"
    spec = parse_spec(
        SPARSE + f"targets: {targets}\nloss: {loss}\nlearning_rate: 0.1\nactivation: {hidden}\n{extra}"
        "init: {method: xavier, seed: 3}\nlayers: [{size: 4}, {size: 3}, {size: 2, activation: " + output + "}]\n"
    )
    network = build_network(spec)
    probe = Probe(network, spec.inputs, spec.targets)
    for key, value in network.parameters().items():
        for entry in np.ndindex(value.shape):
            expected = full_difference(network, key, spec.inputs, spec.targets, entry)
            assert probe.difference(key, entry)[0] == pytest.approx(expected, rel=1e-6, abs=1e-9), (key, entry)


def test_shared_biases_pass_the_gradient_check(cli, tmp_path):
    """A shared bias is one parameter: its difference moves every neuron's bias (it once moved one)."""
    from conftest import CONFIGS, write_spec

    text = (CONFIGS / "classic-2-2-2-rows.yaml").read_text("utf-8").replace("train_biases: false", "train_biases: true")
    result = cli("gradcheck", write_spec(tmp_path, text + "bias_sharing: per_layer\n"))
    assert result.exit_code == 0, result.stdout
    assert "FAIL" not in result.stdout


def test_a_sample_of_entries_is_seeded_shared_by_size_and_reported(cli):
    from nntrace.engine.gradcheck import sampled_entries

    shapes = {"W_h": (784, 256), "b_h": (256,), "W_out": (256, 10), "b_out": (10,)}
    chosen = sampled_entries(shapes, 1000)
    # 1020: 1005.84, 1.28, 12.83, 0.05 make 1005 + 1 + 12 + 1; the one left goes to the largest remainder
    assert [len(entries) for entries in sampled_entries(shapes, 1020).values()] == [1006, 1, 12, 1]
    # 1000 of 203,530 by size: 986.1, 1.26, 12.58 and 0.05, at least one each: 986 + 1 + 12 + 1 = 1000
    assert {key: len(entries) for key, entries in chosen.items()} == {"W_h": 986, "b_h": 1, "W_out": 12, "b_out": 1}
    assert chosen == sampled_entries(shapes, 1000)  # the same entries every time
    assert len(set(map(tuple, chosen["W_h"]))) == 986 and all(0 <= i < 784 and 0 <= j < 256 for i, j in chosen["W_h"])
    assert sampled_entries(shapes, 10**6) == {key: list(np.ndindex(shape)) for key, shape in shapes.items()}
    result = cli("gradcheck", "configs/two-hidden.yaml", "--entries", "8")
    assert result.exit_code == 0, result.stdout
    assert "Checked a random sample of 8 of the 20 entries (seed 0)." in result.stdout
    assert "random sample" not in cli("gradcheck", "configs/two-hidden.yaml", "--entries", "20").stdout
    # another seed, other entries; fewer entries asked than matrices: one of each, and said so
    assert sampled_entries(shapes, 1000, seed=7) != chosen
    assert "(seed 7)." in cli("gradcheck", "configs/two-hidden.yaml", "--entries", "8", "--seed", "7").stdout
    few = " ".join(cli("gradcheck", "--entries", "2").stdout.split())
    assert "a random sample of 4 of the 19 entries (seed 0; at least one of each matrix, so more than --entries 2)" in few
    alone = cli("gradcheck", "--seed", "7")
    assert alone.exit_code == 2 and "give --entries N too" in alone.stderr


def test_a_sample_finds_wrong_gradients_and_progress_counts_every_entry(monkeypatch):
    import nntrace.engine.network as engine

    spec = parse_spec(random_spec(3, "tanh", "sigmoid", "half_sse", seed=5))
    done = []
    checks = check_gradients(build_network(spec), spec.inputs, spec.targets, entries=9, progress=done.append)
    assert all(check.passed and check.sampled for check in checks[:1]) and sum(c.checked for c in checks) == 9
    assert done == list(range(1, 10))
    original = engine.Layer.__post_init__

    def skewed(layer):
        original(layer)
        slope = layer.slope
        layer.slope = lambda z, a: 1.01 * slope(z, a)

    monkeypatch.setattr(engine.Layer, "__post_init__", skewed)
    checks = check_gradients(build_network(spec), spec.inputs, spec.targets, entries=9)
    assert not all(check.passed for check in checks)
