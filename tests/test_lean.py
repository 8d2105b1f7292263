"""The untraced loop (lean.py) against the traced pass: the same numbers to the last bit, for every
activation, loss, layout and batching, over hundreds of epochs."""

from __future__ import annotations

import numpy as np
import pytest

from nntrace.engine.network import build_network, train
from nntrace.model.activations import ACTIVATIONS
from nntrace.model.losses import LOSSES
from nntrace.spec.validate import parse_spec

EPOCHS = 300
ALL = range(1, EPOCHS + 1)


def spec_text(hidden: str, output: str, loss: str, layout: str, batching: str, train_biases: bool = True) -> str:
    one_hot = output == "softmax"
    targets = "[[1, 0], [0, 1], [1, 0], [0, 1], [1, 0]]" if one_hot else "[[1, 0], [0, 1], [1, 1], [0, 0], [1, 0]]"
    inputs = "[[0.5, 0.1, 0.3], [0.9, 0.8, 0.1], [0.2, 0.7, 0.5], [0.4, 0.4, 0.9], [0.1, 0.3, 0.2]]"
    # With drawn weights the layout changes only how the steps are written; the engine is the same.
    return f"""
inputs: {inputs}
targets: {targets}
layout: {layout}
activation: {hidden}
loss: {loss}
learning_rate: 0.3
train_biases: {str(train_biases).lower()}
init: {{method: xavier, seed: 4}}
{batching}
layers:
  - size: 4
  - size: 3
  - {{size: 2, activation: {output}}}
"""


def combinations():
    hidden = [name for name, act in ACTIVATIONS.items() if act.trainable and not act.output_only]
    for name in hidden:
        yield name, "sigmoid", "half_sse"
    for loss in LOSSES:
        yield "tanh", "sigmoid", loss
    for output in ("tanh", "linear", "relu", "softplus"):
        yield "sigmoid", output, "mse"
    yield "relu", "softmax", "cross_entropy"
    yield "relu", "softmax", "cross_entropy\nreduction: mean"
    yield "sigmoid", "sigmoid", "half_sse\nreduction: mean"


def both_ways(text: str):
    spec = parse_spec(text)
    lean, traced = build_network(spec), build_network(spec)
    options = dict(batch_size=spec.batch_size, shuffle=spec.shuffle)
    fast = train(lean, spec.inputs, spec.targets, EPOCHS, **options)
    slow = train(traced, spec.inputs, spec.targets, EPOCHS, traced=ALL, on_record=lambda record: None, **options)
    return (fast, lean), (slow, traced)


@pytest.mark.parametrize("hidden, output, loss", list(combinations()))
@pytest.mark.parametrize("layout", ["rows", "columns"])
def test_untraced_epochs_are_bit_identical_to_traced_ones(hidden, output, loss, layout):
    for batching in ("", "batch_size: 2", "batch_size: 2\nshuffle: 7"):
        (fast, lean), (slow, traced) = both_ways(spec_text(hidden, output, loss, layout, batching))
        assert len(fast.losses) == len(slow.losses) == EPOCHS
        np.testing.assert_array_equal(fast.losses, slow.losses)
        for key, value in traced.parameters().items():
            np.testing.assert_array_equal(lean.parameters()[key], value, err_msg=key)


def test_fixed_biases_stay_fixed_in_the_lean_loop():
    (fast, lean), (slow, traced) = both_ways(spec_text("sigmoid", "sigmoid", "half_sse", "rows", "", False))
    np.testing.assert_array_equal(fast.losses, slow.losses)
    assert not lean.parameters()["b_h1"].any() and not lean.parameters()["b_out"].any()


def test_a_diverging_run_stops_at_the_same_epoch_both_ways():
    text = spec_text("linear", "linear", "sse", "rows", "").replace("learning_rate: 0.3", "learning_rate: 1.0e30")
    (fast, _), (slow, _) = both_ways(text)
    assert fast.divergence is not None and fast.divergence == slow.divergence
    np.testing.assert_array_equal(fast.losses, slow.losses)


def test_stacked_and_separate_parameters_give_the_same_numbers():
    """build_network makes each layer's weights and biases views of one array, which the lean loop
    scales and adds in one call each; parameters that are not so (rebound by a caller) are updated
    one array at a time, to the same bits."""
    from nntrace.engine.lean import LeanLayer

    spec = parse_spec(spec_text("tanh", "sigmoid", "sse", "rows", "batch_size: 2\nshuffle: 7"))
    stacked, separate = build_network(spec), build_network(spec)
    for layer in separate.layers:
        layer.weights, layer.biases = layer.weights.copy(), layer.biases.copy()
    assert [len(LeanLayer(layer, 2).updates) for layer in stacked.layers] == [1, 1, 1]
    assert [len(LeanLayer(layer, 2).updates) for layer in separate.layers] == [2, 2, 2]
    options = dict(batch_size=spec.batch_size, shuffle=spec.shuffle)
    one = train(stacked, spec.inputs, spec.targets, EPOCHS, **options)
    two = train(separate, spec.inputs, spec.targets, EPOCHS, **options)
    np.testing.assert_array_equal(one.losses, two.losses)
    for key, value in separate.parameters().items():
        np.testing.assert_array_equal(stacked.parameters()[key], value, err_msg=key)
