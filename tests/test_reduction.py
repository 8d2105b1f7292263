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
