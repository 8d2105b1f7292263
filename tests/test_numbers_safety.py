"""No wrong number with exit 0: NaN and infinity always come with a message and exit 1,
softmax targets must be distributions, hand rounding is a person's, and gradcheck fails
only wrong gradients."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import DIVERGING_SPEC, write_spec

from nntrace.engine.gradcheck import check_gradients
from nntrace.engine.network import build_network, hand_round
from nntrace.spec.validate import parse_spec

# z = 1e200 * 1e200 overflows to inf, yet the sigmoid of it is 1 and the loss is 0: finite.
OVERFLOWING = """
inputs: [[1.0e200]]
targets: [[1]]
learning_rate: 0.1
layers:
  - weights: [[1.0e200]]
    biases: [0]
"""


def assert_reported(result, *fragments: str) -> None:
    assert result.exit_code == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr


def test_softmax_targets_that_are_not_distributions_are_refused(cli, tmp_path):
    spec = (
        "inputs: [[1, 0], [0, 1]]\ntargets: [[1, 1, 0], [0, 0, 1]]\nloss: cross_entropy\nlearning_rate: 0.1\n"
        "init: {method: xavier, seed: 1}\nlayers:\n  - {size: 2}\n  - {size: 3, activation: softmax}\n"
    )
    result = cli("run", write_spec(tmp_path, spec))
    assert result.exit_code == 2
    assert "targets[1]: sums to 2" in result.stderr and "sigmoid outputs with cross_entropy" in result.stderr
    soft = spec.replace("[[1, 1, 0], [0, 0, 1]]", "[[0.7, 0.2, 0.1], [0, 0, 1]]")
    assert cli("run", write_spec(tmp_path, soft)).exit_code == 0


def test_run_stops_on_an_infinite_intermediate_even_when_the_loss_is_finite(cli, tmp_path):
    result = cli("run", write_spec(tmp_path, OVERFLOWING))
    assert_reported(result, "in epoch 1, O_in became NaN or infinite")
    assert "Training summary" in result.stdout


def test_an_infinite_quantity_is_null_in_the_json_trace(cli, tmp_path):
    import json

    trace = tmp_path / "trace.json"
    assert cli("run", write_spec(tmp_path, OVERFLOWING), "--json", str(trace)).exit_code == 1
    record = json.loads(trace.read_text(encoding="utf-8"))["records"][0]
    assert record["quantities"]["O_in"] == [[None]] and record["quantities"]["O_out"] == [[1.0]]


def test_forward_reports_overflow(cli, tmp_path):
    assert_reported(cli("forward", write_spec(tmp_path, OVERFLOWING)), "in the forward pass, O_in is NaN or infinite")


def test_gradcheck_blames_the_starting_point_not_the_gradients(cli, tmp_path):
    result = cli("gradcheck", write_spec(tmp_path, OVERFLOWING))
    assert_reported(result, "at the starting parameters O_in is NaN or infinite")
    assert "FAIL" not in result.stdout


def test_step_and_explain_after_divergence_say_so(cli, tmp_path):
    path = write_spec(tmp_path, DIVERGING_SPEC)
    result = cli("step", path, "--epoch", "25")
    assert_reported(result, "training diverged", "epoch 25 was never reached")
    assert_reported(cli("explain", path, "W_out[1,1]", "--epoch", "25"), "training diverged")


def test_step_at_the_diverging_epoch_shows_it_then_says_so(cli, tmp_path):
    path = write_spec(tmp_path, DIVERGING_SPEC)
    run = cli("run", path, "--quiet")
    assert_reported(run, "training diverged")
    done = int(run.stderr.split("stopped after ")[1].split(" ")[0])
    result = cli("step", path, "--epoch", str(done + 1))
    assert_reported(result, "training diverged")
    assert "Step 1" in result.stdout


def test_a_divergence_found_in_the_last_update_is_reported(cli, tmp_path):
    # The update of epoch 1 overflows W; the loss of epoch 1 itself was finite.
    spec = DIVERGING_SPEC.replace("epochs: 30", "epochs: 1").replace("1.0e30", "1.0e308")
    result = cli("run", write_spec(tmp_path, spec), "--quiet")
    assert_reported(result, "the update of epoch 1 made W_out NaN or infinite")


@pytest.mark.parametrize(
    ("value", "decimals", "rounded"),
    [
        (0.0625, 3, 0.063),
        (-0.0625, 3, -0.063),
        (1.005, 2, 1.01),
        (2.675, 2, 2.68),
        (0.125, 2, 0.13),
        (0.0105, 3, 0.011),
    ],
)
def test_hand_rounding_is_half_away_from_zero_on_the_decimal_value(value, decimals, rounded):
    assert hand_round(np.array([value]), decimals)[0] == rounded


def test_round_option_rounds_a_product_as_by_hand(cli, tmp_path):
    spec = (
        "inputs: [[0.25]]\ntargets: [[0]]\nactivation: linear\nlearning_rate: 0.1\n"
        "layers:\n  - {weights: [[0.25]], biases: [0]}\n"
    )
    out = cli("run", write_spec(tmp_path, spec), "--round", "3", "--precision", "4").stdout
    assert "O_in[1,1] = (0.2500 × 0.2500) + 0 = 0.0630" in out


def test_gradcheck_reports_kinks_instead_of_failing(cli, tmp_path):
    # Hidden unit 1's input is exactly 0 for the sample: relu has no derivative there.
    spec = (
        "inputs: [[1, 0]]\ntargets: [[1]]\nlearning_rate: 0.1\n"
        "layers:\n  - {weights: [[0.5, -0.3], [0.2, 0.1]], biases: [-0.5, 0], activation: relu}\n"
        "  - {weights: [[0.7], [0.4]], biases: [0.1]}\n"
    )
    result = cli("gradcheck", write_spec(tmp_path, spec))
    assert result.exit_code == 0, result.stdout
    assert "not differentiable here" in result.stdout


def random_smooth_spec(rng: np.random.RandomState) -> str:
    depth = rng.randint(1, 4)
    sizes = [int(n) for n in rng.randint(1, 5, size=depth + 1)]
    samples = rng.randint(1, 5)
    loss = rng.choice(["half_sse", "sse", "mse", "cross_entropy", "softmax"])
    output = {"cross_entropy": "sigmoid", "softmax": "softmax"}.get(loss, rng.choice(["sigmoid", "tanh", "linear"]))
    if output == "softmax":
        sizes[-1] = max(sizes[-1], 2)
        targets = np.eye(sizes[-1])[rng.randint(0, sizes[-1], samples)]
    else:
        targets = rng.uniform(0.05, 0.95, (samples, sizes[-1]))
    layers = []
    for position, (n_in, n_out) in enumerate(zip(sizes, sizes[1:])):
        activation = output if position == depth - 1 else rng.choice(["sigmoid", "tanh", "linear"])
        layers.append(
            f"  - {{weights: {rng.normal(0, 1, (n_in, n_out)).tolist()}, "
            f"biases: {rng.normal(0, 1, n_out).tolist()}, activation: {activation}}}"
        )
    return (
        f"inputs: {rng.uniform(-2, 2, (samples, sizes[0])).tolist()}\ntargets: {targets.tolist()}\n"
        f"loss: {'cross_entropy' if loss == 'softmax' else loss}\nlearning_rate: 0.1\nlayers:\n" + "\n".join(layers)
    )


def test_no_false_failure_over_400_random_smooth_networks():
    rng = np.random.RandomState(2026)
    failures = []
    for number in range(400):
        spec = parse_spec(random_smooth_spec(rng))
        checks = check_gradients(build_network(spec), spec.inputs, spec.targets)
        failures += [(number, check) for check in checks if not check.passed]
    assert failures == []


def test_a_100_layer_network_with_tiny_gradients_passes():
    layers = "\n".join(["  - {size: 2}"] * 100)
    spec = parse_spec(
        f"inputs: [[0.5, -0.2], [0.1, 0.9]]\ntargets: [[1, 0], [0, 1]]\nlearning_rate: 0.1\n"
        f"init: {{method: xavier, seed: 3}}\nlayers:\n{layers}\n"
    )
    network = build_network(spec)
    checks = check_gradients(network, spec.inputs, spec.targets)
    assert min(abs(g).max() for g in network.gradients(spec.inputs, spec.targets).values()) < 1e-10
    assert all(check.passed for check in checks), [c for c in checks if not c.passed]
