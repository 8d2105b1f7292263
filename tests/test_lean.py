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
    from nntrace.engine.lean import LeanLayer, lean_parameters

    spec = parse_spec(spec_text("tanh", "sigmoid", "sse", "rows", "batch_size: 2\nshuffle: 7"))
    stacked, separate = build_network(spec), build_network(spec)
    for layer in separate.layers:
        layer.weights, layer.biases = layer.weights.copy(), layer.biases.copy()

    def updates(layer):
        return len(LeanLayer(layer, 2, lean_parameters(layer, None)).updates)

    assert [updates(layer) for layer in stacked.layers] == [1, 1, 1]
    assert [updates(layer) for layer in separate.layers] == [2, 2, 2]
    options = dict(batch_size=spec.batch_size, shuffle=spec.shuffle)
    one = train(stacked, spec.inputs, spec.targets, EPOCHS, **options)
    two = train(separate, spec.inputs, spec.targets, EPOCHS, **options)
    np.testing.assert_array_equal(one.losses, two.losses)
    for key, value in separate.parameters().items():
        np.testing.assert_array_equal(stacked.parameters()[key], value, err_msg=key)


OPTIMIZERS = [
    "sgd",
    "{name: sgd, weight_decay: 0.01}",
    "momentum",
    "{name: momentum, momentum: 0.8, dampening: 0.3, weight_decay: 0.01}",
    "{name: momentum, nesterov: true}",
    "{name: momentum, nesterov: true, weight_decay: 0.02}",
    "rmsprop",
    "{name: rmsprop, alpha: 0.9, eps: 0.001, weight_decay: 0.01}",
    "adam",
    "{name: adam, beta1: 0.8, beta2: 0.99, weight_decay: 0.1}",
    "adamw",
    "{name: adamw, weight_decay: 0.05, eps: 1.0e-6}",
]
ORDERS = ["simultaneous", "output_first"]
SHARING = ["per_neuron", "per_layer"]


def optimizer_spec(optimizer: str, order: str, sharing: str, batching: str, train_biases: bool = True) -> str:
    text = spec_text("tanh", "sigmoid", "half_sse", "rows", batching, train_biases)
    return text.replace("learning_rate: 0.3", "learning_rate: 0.05") + (
        f"optimizer: {optimizer}\nupdate_order: {order}\nbias_sharing: {sharing}\n"
    )


def assert_same_runs(one, two):
    (fast, lean), (slow, traced) = one, two
    assert len(fast.losses) == len(slow.losses) == EPOCHS
    np.testing.assert_array_equal(fast.losses, slow.losses)
    for key, value in traced.parameters().items():
        np.testing.assert_array_equal(lean.parameters()[key], value, err_msg=key)
    if traced.updates is not None:
        assert lean.updates.t == traced.updates.t
        for key, state in traced.updates.state.items():
            for name, value in state.items():
                np.testing.assert_array_equal(lean.updates.state[key][name], value, err_msg=f"{key} {name}")


def untapped_and_tapped(text: str):
    """The lean loop, and Network.run_pass unrecorded (a tap that changes nothing keeps a network
    off the lean loop) for every epoch."""
    spec = parse_spec(text)
    lean, traced = build_network(spec), build_network(spec)
    traced.tap = lambda key, value: value
    assert lean.lean and not traced.lean
    options = dict(batch_size=spec.batch_size, shuffle=spec.shuffle)
    fast = train(lean, spec.inputs, spec.targets, EPOCHS, **options)
    slow = train(traced, spec.inputs, spec.targets, EPOCHS, **options)
    return (fast, lean), (slow, traced)


@pytest.mark.parametrize("sharing", SHARING)
@pytest.mark.parametrize("order", ORDERS)
@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_every_optimizer_order_and_bias_sharing_is_bit_identical_on_the_lean_loop(optimizer, order, sharing):
    for batching in ("", "batch_size: 2", "batch_size: 2\nshuffle: 7"):
        assert_same_runs(*untapped_and_tapped(optimizer_spec(optimizer, order, sharing, batching)))


@pytest.mark.parametrize("optimizer", ["{name: momentum, nesterov: true, weight_decay: 0.02}", "rmsprop", "adamw"])
def test_fixed_biases_with_an_optimizer_stay_fixed_in_the_lean_loop(optimizer):
    text = optimizer_spec(optimizer, "output_first", "per_neuron", "batch_size: 2", train_biases=False)
    (fast, lean), two = untapped_and_tapped(text)
    assert_same_runs((fast, lean), two)
    assert not lean.parameters()["b_h1"].any() and not lean.parameters()["b_out"].any()


@pytest.mark.parametrize("optimizer", ["{name: momentum, dampening: 0.3}", "rmsprop", "adam", "adamw"])
def test_recorded_and_lean_epochs_interleave_sharing_the_optimizers_state(optimizer):
    """Epochs recorded by record_pass between lean ones (as --show 1,last and --trace-epochs make
    them) continue the same optimiser state and step count: every epoch recorded gives the same
    numbers as some epochs recorded, as none."""
    text = optimizer_spec(optimizer, "simultaneous", "per_neuron", "batch_size: 2\nshuffle: 7")
    spec = parse_spec(text)
    options = dict(batch_size=spec.batch_size, shuffle=spec.shuffle, on_record=lambda record: None)
    runs = []
    for traced in (ALL, {1, 2, 150, EPOCHS}, ()):
        network = build_network(spec)
        runs.append((train(network, spec.inputs, spec.targets, EPOCHS, traced=traced, **options), network))
    assert_same_runs(runs[1], runs[0])
    assert_same_runs(runs[2], runs[0])
    # The records keep the state they were made with, not the arrays the lean loop goes on updating.
    network = build_network(spec)
    records = train(network, spec.inputs, spec.targets, 3, traced={1}, batch_size=2).records
    before = {key: {name: value.copy() for name, value in state.items()} for key, state in records[-1].optimizer.after.items()}
    train(network, spec.inputs, spec.targets, 5, batch_size=2)
    for key, state in records[-1].optimizer.after.items():
        for name, value in state.items():
            np.testing.assert_array_equal(value, before[key][name])


def plain_tanh_network(update, epochs: int, output_first: bool = False):
    """A plain numpy loop written here: 3-4-2 tanh then linear, half the sum of squares, full batch,
    each parameter moved by `update(theta, g, state, t)`. It takes the products as the engine does
    (`.dot`; a sum over the samples as a row of ones times delta), so it agrees to the last bit."""
    rng = np.random.RandomState(3)
    X, y = rng.uniform(-1, 1, (5, 3)), rng.uniform(-1, 1, (5, 2))
    W1, b1, W2, b2 = rng.normal(0, 0.5, (3, 4)), rng.normal(0, 0.1, (1, 4)), rng.normal(0, 0.5, (4, 2)), np.zeros((1, 2))
    spec = f"""
inputs: {X.tolist()}
targets: {y.tolist()}
loss: half_sse
learning_rate: 0.01
layers:
  - {{weights: {W1.tolist()}, biases: {b1.ravel().tolist()}, activation: tanh}}
  - {{weights: {W2.tolist()}, biases: {b2.ravel().tolist()}, activation: linear}}
"""
    params, states, ones, losses = [W1, b1, W2, b2], [{}, {}, {}, {}], np.ones((1, len(X))), []
    for t in range(1, epochs + 1):
        W1, b1, W2, b2 = params
        h = np.tanh(X.dot(W1) + b1)
        o = h.dot(W2) + b2
        error = y - o
        losses.append(0.5 * float(np.vdot(error, error)))
        delta_out = error
        grads_out = [-h.T.dot(delta_out), -ones.dot(delta_out)]
        if output_first:
            params[2:] = [update(p, g, s, t) for p, g, s in zip(params[2:], grads_out, states[2:])]
        delta_h = delta_out.dot(params[2].T) * (1 - h * h)
        grads_h = [-X.T.dot(delta_h), -ones.dot(delta_h)]
        params[:2] = [update(p, g, s, t) for p, g, s in zip(params[:2], grads_h, states[:2])]
        if not output_first:
            params[2:] = [update(p, g, s, t) for p, g, s in zip(params[2:], grads_out, states[2:])]
    return spec, np.array(losses), params


ETA = 0.01


def plain_adam(theta, g, state, t, b1=0.9, b2=0.999, eps=1e-8, decoupled=0.0):
    theta = theta - ETA * decoupled * theta
    state["m"] = b1 * state.get("m", 0) + (1 - b1) * g
    state["v"] = b2 * state.get("v", 0) + (1 - b2) * g**2
    m_hat, v_hat = state["m"] / (1 - b1**t), state["v"] / (1 - b2**t)
    return theta - ETA * (m_hat / (np.sqrt(v_hat) + eps))


def plain_nesterov(theta, g, state, t, mu=0.9, lam=0.02):
    g = g + lam * theta
    state["v"] = g if t == 1 else mu * state["v"] + g
    return theta - ETA * (g + mu * state["v"])


def plain_rmsprop(theta, g, state, t, alpha=0.99, eps=1e-8):
    state["s"] = alpha * state.get("s", 0) + (1 - alpha) * g**2
    return theta - ETA * (g / (np.sqrt(state["s"]) + eps))


PLAIN = {
    "adam": plain_adam,
    "{name: adamw, weight_decay: 0.05}": lambda *a: plain_adam(*a, decoupled=0.05),
    "{name: momentum, nesterov: true, weight_decay: 0.02}": plain_nesterov,
    "rmsprop": plain_rmsprop,
}


@pytest.mark.parametrize("order", ORDERS)
@pytest.mark.parametrize("optimizer", PLAIN)
def test_the_lean_loop_is_a_plain_numpy_loop_of_the_published_equations_to_the_last_bit(optimizer, order):
    text, losses, params = plain_tanh_network(PLAIN[optimizer], EPOCHS, order == "output_first")
    spec = parse_spec(text + f"optimizer: {optimizer}\nupdate_order: {order}\n")
    network = build_network(spec)
    training = train(network, spec.inputs, spec.targets, EPOCHS)
    np.testing.assert_array_equal(training.losses, losses)
    got = network.parameters()
    for key, value in zip(("W_h", "b_h", "W_out", "b_out"), params):
        np.testing.assert_array_equal(got[key], value.reshape(got[key].shape), err_msg=key)


@pytest.mark.parametrize("order", ORDERS)
@pytest.mark.parametrize("traced", [(), ALL])
def test_plain_gradient_descent_traced_or_not_is_a_plain_numpy_loop_to_the_last_bit(order, traced):
    """The paper's rule, theta - eta . g: the traced pass (every epoch recorded) and the lean loop
    against the numpy loop written above."""
    text, losses, params = plain_tanh_network(lambda theta, g, state, t: theta - ETA * g, EPOCHS,
                                              order == "output_first")  # fmt: skip
    spec = parse_spec(text + f"update_order: {order}\n")
    network = build_network(spec)
    training = train(network, spec.inputs, spec.targets, EPOCHS, traced=traced, on_record=lambda record: None)
    np.testing.assert_array_equal(training.losses, losses)
    got = network.parameters()
    for key, value in zip(("W_h", "b_h", "W_out", "b_out"), params):
        np.testing.assert_array_equal(got[key], value.reshape(got[key].shape), err_msg=key)


def test_an_optimizer_without_update_into_trains_through_its_lines():
    """Every shipped rule has update_into; one registered without it, or a subclass that changes a
    rule's lines alone, keeps untraced epochs on the traced pass (the compiled lines), not on
    numbers that are not its own."""
    from nntrace.model.optimizers import SGD, Adam, AdamW, Momentum, Optimizer, RMSProp

    assert all(kind().updates_in_place for kind in (SGD, Momentum, RMSProp, Adam, AdamW))

    class Halved(Adam):
        def lines(self, first):
            return super().lines(first)

    class Bare(Optimizer):
        def lines(self, first):
            return ()

    assert not Halved().updates_in_place and not Bare().updates_in_place
    spec = parse_spec(optimizer_spec("adam", "simultaneous", "per_neuron", ""))
    network = build_network(spec)
    network.optimizer = Halved()
    assert not network.lean
