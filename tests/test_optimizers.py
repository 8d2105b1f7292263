"""Optimisers, update order and shared biases against plain numpy written here from the published
equations (Kingma & Ba; Loshchilov & Hutter; Sutskever et al. as torch.optim writes it), and the
published numbers of the classic 2-2-2 example."""

import numpy as np
import pytest
from conftest import CONFIGS

from nntrace.engine.network import build_network, train
from nntrace.spec.validate import parse_spec

RNG = np.random.default_rng(7)
X = RNG.uniform(0, 1, (6, 3))
Y = RNG.uniform(0, 1, (6, 2))
W1, W2, W3 = RNG.normal(0, 0.8, (3, 4)), RNG.normal(0, 0.8, (4, 3)), RNG.normal(0, 0.8, (3, 2))
B1, B2, B3 = RNG.normal(0, 0.3, 4), RNG.normal(0, 0.3, 3), RNG.normal(0, 0.3, 2)


def two_hidden_spec(optimizer: str, batch_size: int = 2, extra: str = "") -> str:
    def rows(matrix):
        return (
            "[" + ", ".join("[" + ", ".join(repr(float(v)) for v in row) + "]" for row in np.atleast_2d(matrix)) + "]"
        )

    return f"""
inputs: {rows(X)}
targets: {rows(Y)}
learning_rate: 0.05
batch_size: {batch_size}
optimizer: {optimizer}
{extra}
layers:
  - {{weights: {rows(W1)}, biases: {list(map(float, B1))}}}
  - {{weights: {rows(W2)}, biases: {list(map(float, B2))}}}
  - {{weights: {rows(W3)}, biases: {list(map(float, B3))}}}
"""


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def gradients(params, x, y):
    """dL/dtheta of L = 1/2 sum (y - o)^2 for sigmoid layers, by the chain rule."""
    (w1, b1), (w2, b2), (w3, b3) = params
    a1 = sigmoid(x @ w1 + b1)
    a2 = sigmoid(a1 @ w2 + b2)
    o = sigmoid(a2 @ w3 + b3)
    d3 = (o - y) * o * (1 - o)
    d2 = d3 @ w3.T * a2 * (1 - a2)
    d1 = d2 @ w2.T * a1 * (1 - a1)
    return [(x.T @ d1, d1.sum(0)), (a1.T @ d2, d2.sum(0)), (a2.T @ d3, d3.sum(0))]


def reference(step, epochs=10, batch=2):
    """Train the two-hidden-layer network with `step(theta, g, state, t)` for every parameter."""
    params = [[W1.copy(), B1.copy()], [W2.copy(), B2.copy()], [W3.copy(), B3.copy()]]
    states = [[{}, {}] for _ in params]
    t = 0
    for _ in range(epochs):
        for start in range(0, len(X), batch):
            t += 1
            grads = gradients(params, X[start : start + batch], Y[start : start + batch])
            for layer, layer_grads in enumerate(grads):
                for which, g in enumerate(layer_grads):
                    params[layer][which] = step(params[layer][which], g, states[layer][which], t)
    return params


ETA = 0.05


def sgd_decay(theta, g, state, t, lam=0.01):
    return theta - ETA * (g + lam * theta)


def momentum(theta, g, state, t, mu=0.9, tau=0.0, nesterov=False, lam=0.0):
    g = g + lam * theta
    state["b"] = g.copy() if t == 1 else mu * state["b"] + (1 - tau) * g
    return theta - ETA * (g + mu * state["b"] if nesterov else state["b"])


def rmsprop(theta, g, state, t, alpha=0.99, eps=1e-8):
    state["s"] = alpha * state.get("s", 0) + (1 - alpha) * g**2
    return theta - ETA * g / (np.sqrt(state["s"]) + eps)


def adam(theta, g, state, t, b1=0.9, b2=0.999, eps=1e-8, lam=0.0, decoupled=0.0):
    theta = theta - ETA * decoupled * theta
    g = g + lam * theta
    state["m"] = b1 * state.get("m", 0) + (1 - b1) * g
    state["v"] = b2 * state.get("v", 0) + (1 - b2) * g**2
    m_hat, v_hat = state["m"] / (1 - b1**t), state["v"] / (1 - b2**t)
    return theta - ETA * m_hat / (np.sqrt(v_hat) + eps)


CASES = {
    "{name: sgd, weight_decay: 0.01}": sgd_decay,
    "momentum": momentum,
    "{name: momentum, momentum: 0.8, dampening: 0.3}": lambda *a: momentum(*a, mu=0.8, tau=0.3),
    "{name: momentum, nesterov: true, weight_decay: 0.02}": lambda *a: momentum(*a, nesterov=True, lam=0.02),
    "rmsprop": rmsprop,
    "{name: rmsprop, alpha: 0.9, eps: 0.001}": lambda *a: rmsprop(*a, alpha=0.9, eps=1e-3),
    "adam": adam,
    "{name: adam, beta1: 0.8, beta2: 0.99, weight_decay: 0.1}": lambda *a: adam(*a, b1=0.8, b2=0.99, lam=0.1),
    "adamw": lambda *a: adam(*a, decoupled=0.01),
}


@pytest.mark.parametrize("optimizer", CASES)
@pytest.mark.parametrize("traced", [(), tuple(range(1, 11))])
def test_every_optimizer_matches_its_published_equations_over_ten_epochs_of_mini_batches(optimizer, traced):
    spec = parse_spec(two_hidden_spec(optimizer))
    network = build_network(spec)
    train(network, spec.inputs, spec.targets, 10, batch_size=spec.batch_size, traced=traced)
    expected = reference(CASES[optimizer])
    got = network.parameters()
    for (w, b), (wk, bk) in zip(expected, (("W_h1", "b_h1"), ("W_h2", "b_h2"), ("W_out", "b_out"))):
        np.testing.assert_allclose(got[wk], w, rtol=1e-10, atol=1e-13)
        np.testing.assert_allclose(got[bk], b, rtol=1e-10, atol=1e-13)


def test_adams_first_update_moves_every_parameter_by_the_learning_rate_against_its_gradients_sign():
    spec = parse_spec(two_hidden_spec("adam", batch_size=6))
    network = build_network(spec)
    record = train(network, spec.inputs, spec.targets, 1, traced=(1,)).records[0]
    for key, before in record.params_before.items():
        gradient = -record.quantities["d" + key]
        moved = record.params_after[key] - before
        np.testing.assert_allclose(moved, -ETA * np.sign(gradient), rtol=1e-5)


def test_online_momentum_equals_the_classic_formulation_after_twenty_epochs():
    """v <- mu v - eta g, theta <- theta + v (the textbook form) on a 2-2-2 sigmoid net, one sample a batch."""
    x = np.array([[0.05, 0.10], [0.9, 0.2], [0.4, 0.7]])
    y = np.array([[0.01, 0.99], [0.8, 0.1], [0.3, 0.6]])
    w1, b1 = np.array([[0.15, 0.25], [0.20, 0.30]]), np.array([0.35, 0.35])
    w2, b2 = np.array([[0.40, 0.50], [0.45, 0.55]]), np.array([0.60, 0.60])
    text = f"""
inputs: {x.tolist()}
targets: {y.tolist()}
learning_rate: 0.5
batch_size: 1
optimizer: {{name: momentum, momentum: 0.9}}
layers:
  - {{weights: {w1.tolist()}, biases: {b1.tolist()}}}
  - {{weights: {w2.tolist()}, biases: {b2.tolist()}}}
"""
    spec = parse_spec(text)
    network = build_network(spec)
    train(network, spec.inputs, spec.targets, 20, batch_size=1)
    params = [w1.copy(), b1.copy(), w2.copy(), b2.copy()]
    velocity = [np.zeros_like(p) for p in params]
    for _ in range(20):
        for s in range(3):
            a = sigmoid(x[s : s + 1] @ params[0] + params[1])
            o = sigmoid(a @ params[2] + params[3])
            d2 = (o - y[s : s + 1]) * o * (1 - o)
            d1 = d2 @ params[2].T * a * (1 - a)
            grads = [x[s : s + 1].T @ d1, d1.sum(0), a.T @ d2, d2.sum(0)]
            for i, g in enumerate(grads):
                velocity[i] = 0.9 * velocity[i] - 0.5 * g
                params[i] = params[i] + velocity[i]
    got = network.parameters()
    for key, value in zip(("W_h", "b_h", "W_out", "b_out"), params):
        np.testing.assert_allclose(got[key], value, rtol=1e-12)


CLASSIC = (CONFIGS / "classic-2-2-2-rows.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "order, published",
    [("output_first", 0.291027924), ("simultaneous", 0.291027774)],
)
def test_the_classic_examples_error_after_one_round_in_either_update_order(order, published):
    spec = parse_spec(CLASSIC + f"update_order: {order}\n")
    for traced in ((), (1,)):
        network = build_network(spec)
        losses = train(network, spec.inputs, spec.targets, 2, traced=traced).losses
        assert round(float(losses[1]), 9) == published


def test_output_first_steps_say_the_hidden_error_used_the_updated_weights():
    spec = parse_spec(CLASSIC + "update_order: output_first\n")
    from nntrace.notation.layout import LAYOUTS
    from nntrace.solution.steps import epoch_solution

    network = build_network(spec)
    record = train(network, spec.inputs, spec.targets, 1, traced=(1,)).records[0]
    step = next(
        s for s in epoch_solution(network, record, LAYOUTS["rows"]).steps if s.title == "Error at the hidden layer"
    )
    equation = step.equations[0]
    assert "as updated in this pass" in equation.remark[0]
    # E_hidden = delta_out . W_out^T with W_out after its update (0.35891648 ... published as w5+ etc.)
    w_out_new = record.params_after["W_out"]
    np.testing.assert_allclose(record.quantities["E_hidden"], record.quantities["delta_out"] @ w_out_new.T)
    assert not np.allclose(
        record.quantities["E_hidden"], record.quantities["delta_out"] @ record.params_before["W_out"].T
    )


def test_a_shared_bias_moves_by_the_gradient_summed_over_samples_and_neurons():
    text = CLASSIC.replace("train_biases: false", "train_biases: true") + "bias_sharing: per_layer\n"
    spec = parse_spec(text)
    network = build_network(spec)
    train(network, spec.inputs, spec.targets, 1)
    x, y = np.array([[0.05, 0.10]]), np.array([[0.01, 0.99]])
    w1, w2 = np.array([[0.15, 0.25], [0.20, 0.30]]), np.array([[0.40, 0.50], [0.45, 0.55]])
    h = sigmoid(x @ w1 + 0.35)
    o = sigmoid(h @ w2 + 0.60)
    d2 = (o - y) * o * (1 - o)
    d1 = d2 @ w2.T * h * (1 - h)
    got = network.parameters()
    np.testing.assert_allclose(got["b_out"], [0.60 - 0.5 * d2.sum()] * 2, rtol=1e-12)
    np.testing.assert_allclose(got["b_h"], [0.35 - 0.5 * d1.sum()] * 2, rtol=1e-12)
    # per neuron (the default) keeps its old behaviour: each bias by its own neuron's delta
    default = build_network(parse_spec(CLASSIC.replace("train_biases: false", "train_biases: true")))
    train(default, spec.inputs, spec.targets, 1)
    np.testing.assert_allclose(default.parameters()["b_out"], 0.60 - 0.5 * d2.ravel(), rtol=1e-12)


@pytest.mark.parametrize("layout_rounding", [("columns", None), ("rows", 4)])
def test_optimisers_run_in_every_layout_and_with_hand_rounding(cli, tmp_path, layout_rounding):
    layout, rounding = layout_rounding
    config = CONFIGS / ("classic-2-2-2-columns.yaml" if layout == "columns" else "paper.yaml")
    path = tmp_path / "spec.yaml"
    extra = "optimizer: adam\nbias_sharing: per_layer\n" if layout == "columns" else "optimizer: rmsprop\n"
    path.write_text(config.read_text(encoding="utf-8") + extra)
    arguments = ["run", str(path), "--epochs", "2", "--show", "all"]
    if rounding:
        arguments += ["--round", str(rounding)]
    result = cli(*arguments)
    assert result.exit_code == 0, result.output
    assert "update of W_out" in result.output


UNEQUAL_BIASES = "layers:\n  - {weights: [[1, 2]], biases: [0.1, 0.2]}\n  - {weights: [[1], [1]], biases: 0}"


@pytest.mark.parametrize(
    "extra, field",
    [
        ("optimizer: adagrad", "optimizer.name"),
        ("optimizer: {name: adam, momentum: 0.9}", "optimizer.momentum"),
        ("optimizer: {name: momentum, nesterov: true, dampening: 0.1}", "optimizer.nesterov"),
        ("optimizer: {name: adam, beta1: 1}", "optimizer.beta1"),
        ("optimizer: {name: rmsprop, eps: 0}", "optimizer.eps"),
        ("optimizer: {name: sgd, weight_decay: -1}", "optimizer.weight_decay"),
        ("optimizer: {name: momentum, nesterov: 1}", "optimizer.nesterov"),
        ("update_order: backwards", "update_order"),
        (f"bias_sharing: per_layer\n{UNEQUAL_BIASES}", "layers[1].biases"),
    ],
)  # fmt: skip
def test_bad_optimizer_settings_name_the_field(cli, tmp_path, extra, field):
    base = "inputs: [[1]]\ntargets: [[1]]\nlearning_rate: 0.1\n"
    if "layers:" not in extra:
        base += "layers:\n  - {weights: [[1]], biases: 0}\n"
    path = tmp_path / "bad.yaml"
    path.write_text(base + extra + "\n")
    result = cli("run", str(path))
    assert result.exit_code == 2
    assert field in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("optimizer", ["adam", "adamw", "{name: momentum, nesterov: true}", "rmsprop"])
@pytest.mark.parametrize("order", ["simultaneous", "output_first"])
def test_explain_follows_the_gradient_through_the_optimiser_to_the_new_value(optimizer, order):
    from nntrace.solution.explain import explain, parse_parameter

    spec = parse_spec(two_hidden_spec(optimizer, extra=f"update_order: {order}"))
    network = build_network(spec)
    records = train(network, spec.inputs, spec.targets, 2, batch_size=2, traced=(2,)).records
    record = records[1]  # epoch 2, batch 2: the optimiser has state from four updates
    for reference, key, index in (
        ("W_out[1,2]", "W_out", (0, 1)),
        ("b_h1[3]", "b_h1", (2,)),
        ("W_h1[2,4]", "W_h1", (1, 3)),
    ):
        ex = explain(network, record, parse_parameter(reference, network, spec.layout), spec.layout)
        # the chain rule's product, summed here, agrees with the engine's matrix products
        assert ex.gradient == pytest.approx(-record.quantities["d" + key][index], rel=1e-9, abs=1e-15)
        assert ex.new_value == pytest.approx(record.params_after[key][index], rel=1e-12)
        assert len(ex.updates) == len(network.optimizer.lines(False)) and ex.updates[-1].final


def test_explain_of_a_shared_bias_says_why_it_is_not_offered(cli, tmp_path):
    path = tmp_path / "shared.yaml"
    path.write_text(CLASSIC + "bias_sharing: per_layer\n")
    result = cli("explain", str(path), "b_h[1]")
    assert result.exit_code == 2
    assert "shared by the layer's 2 neurons" in result.output


@pytest.mark.parametrize(
    "to, bare, worked",
    [
        # 0.1 x 0.005 = 0.0005 is a tie by hand: g carries a guard digit in the arithmetic (0.0051).
        (None, "g = ∂L/∂W_h[2,3] = 0.005\n", "(1 − 0.9) × 0.0051 = 0.001"),
        ("markdown", r"\\ &= 0.005\end{aligned}", r"\left(1 - 0.9\right) \times 0.0051 = 0.001"),
        ("latex", "[2,3]} = 0.005\n\\end{align*}", r"\left(1 - 0.9\right) \times 0.0051 = 0.001"),
        ("html", "</mfrac><mo>=</mo><mn>0.005</mn></mrow>", "<mn>0.0051</mn></mrow><mo>=</mo><mn>0.001</mn>"),
    ],
)  # fmt: skip
def test_explain_writes_a_bare_term_once_and_the_arithmetic_of_the_others(cli, to, bare, worked):
    # Adam on the paper: g is dL/dW itself (0.00514 by the chain rule), so "g = dL/dW = 0.005 = 0.005"
    # would say nothing twice: the line ends at its number. m = 0.9 x 0 + 0.1 x 0.005 has arithmetic.
    result = cli("explain", "paper-adam", "W_h[2,3]", *(("--to", to) if to else ()))
    assert result.exit_code == 0, result.output
    assert bare in result.output and worked in result.output
