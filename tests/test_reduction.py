"""`reduction: mean`: the loss and its gradient divided by the batch's number of samples, as
PyTorch's losses do by default, against a plain numpy loop written here."""

from __future__ import annotations

import numpy as np
import pytest

import nntrace
from nntrace.engine.network import build_network, train
from nntrace.spec.validate import SpecError, builtin_example_text, parse_spec


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def test_mean_half_sse_matches_a_plain_loop_and_halves_nothing_else():
    spec = parse_spec(builtin_example_text() + "reduction: mean\nbatch_size: 2\n")
    network = build_network(spec)
    p = network.parameters()
    training = train(network, spec.inputs, spec.targets, 5, batch_size=2)
    X, y = spec.inputs, spec.targets
    W_h, b_h, W_o, b_o = p["W_h"], p["b_h"], p["W_out"], p["b_out"]
    losses = []
    for _ in range(5):
        total = 0.0
        for start in (0, 2):
            x, t = X[start : start + 2], y[start : start + 2]
            n = len(x)
            h = sigmoid(x @ W_h + b_h)
            o = sigmoid(h @ W_o + b_o)
            total += 0.5 * np.sum((t - o) ** 2) / n * n / len(X)  # batches weighted by their size
            d_o = (t - o) / n * o * (1 - o)
            d_h = d_o @ W_o.T * h * (1 - h)
            W_o, W_h = W_o + 0.1 * h.T @ d_o, W_h + 0.1 * x.T @ d_h
            b_o, b_h = b_o + 0.1 * d_o.sum(axis=0), b_h + 0.1 * d_h.sum(axis=0)
        losses.append(total)
    np.testing.assert_allclose(training.losses, losses, rtol=1e-12)
    np.testing.assert_allclose(network.parameters()["W_h"], W_h, rtol=1e-12)


def test_mean_is_the_sum_divided_by_n_on_the_first_pass():
    summed = nntrace.trace(parse_spec(builtin_example_text())).epoch(1).records[0]
    mean = nntrace.trace(parse_spec(builtin_example_text() + "reduction: mean\n")).epoch(1).records[0]
    assert mean.loss == pytest.approx(summed.loss / 3, rel=1e-15)
    np.testing.assert_allclose(mean.quantities["E"], summed.quantities["E"] / 3, rtol=1e-15)
    np.testing.assert_allclose(mean.quantities["dW_h"], summed.quantities["dW_h"] / 3, rtol=1e-12)


def test_mse_is_a_mean_already_and_cross_entropy_takes_the_factor():
    text = builtin_example_text().replace("layers:", "loss: mse\nlayers:")
    mse_sum = nntrace.trace(parse_spec(text)).epoch(1).records[0]
    mse_mean = nntrace.trace(parse_spec(text + "reduction: mean\n")).epoch(1).records[0]
    assert mse_sum.loss == mse_mean.loss
    text = builtin_example_text().replace("layers:", "loss: cross_entropy\nlayers:")
    ce_sum = nntrace.trace(parse_spec(text)).epoch(1).records[0]
    ce_mean = nntrace.trace(parse_spec(text + "reduction: mean\n")).epoch(1).records[0]
    assert ce_mean.loss == pytest.approx(ce_sum.loss / 3, rel=1e-15)


def test_the_steps_and_explain_show_the_factor(cli, tmp_path):
    path = tmp_path / "mean.yaml"
    path.write_text(builtin_example_text() + "reduction: mean\n", encoding="utf-8")
    step = cli("step", str(path), "--step", "5")
    assert "E = (y − O_out) / n" in step.output and "E[1,1] = (1 − 0.789) / 3 = 0.070" in step.output
    assert "n = 3: the number of samples in the batch" in step.output
    explained = cli("explain", str(path), "W_out[1,1]")
    assert "∂L/∂O_out[s,1] = (O_out − y) / n" in explained.output


def test_an_unknown_reduction_names_the_choices():
    with pytest.raises(SpecError) as error:
        parse_spec(builtin_example_text() + "reduction: average\n")
    assert error.value.field == "reduction" and "sum" in str(error.value) and "mean" in str(error.value)


def test_losses_are_compared_by_what_they_are():
    from nntrace.model.activations import Sigmoid, Softmax
    from nntrace.model.losses import HalfSSE, MeanOverSamples, SigmoidCrossEntropy, SoftmaxCrossEntropy, loss_for

    assert loss_for("half_sse", Sigmoid(), "mean") == MeanOverSamples(summed=HalfSSE())
    assert loss_for("cross_entropy", Softmax()) == SoftmaxCrossEntropy() != SigmoidCrossEntropy()
    assert len({loss_for("half_sse", Sigmoid()), HalfSSE()}) == 1


@pytest.mark.parametrize("reduction", ["sum", "mean"])
@pytest.mark.parametrize("name", ["half_sse", "sse", "mse", "cross_entropy"])
def test_a_pass_takes_the_loss_and_its_error_at_once_to_the_same_bits(name, reduction):
    """value_and_error (the traced pass's: the error a loss computes on the way is not computed
    again) gives value() and error() exactly, with the output activations each loss meets."""
    from nntrace.model.activations import activation
    from nntrace.model.losses import loss_for

    y = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 0.0]])
    z = np.array([[0.3, -1.2], [2.5, 0.4], [-0.7, 0.9]])
    for output in ("sigmoid", "softmax"):
        act = activation(output, None)
        loss, o = loss_for(name, act, reduction), act.forward(z)
        value, error = loss.value_and_error(y, o, z)
        assert value == loss.value(y, o, z)
        np.testing.assert_array_equal(error, loss.error(y, o))


def test_half_the_sum_of_squares_and_its_error_in_numbers():
    from nntrace.model.losses import loss_for

    value, error = loss_for("half_sse", None).value_and_error(np.array([[1.0], [0.0]]), np.array([[0.75], [0.5]]), None)
    assert value == 0.15625  # (0.25² + 0.5²) / 2
    np.testing.assert_array_equal(error, [[0.25], [-0.5]])
