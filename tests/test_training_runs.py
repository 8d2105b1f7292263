"""Long training runs: the summary, the paper's own code reproduced, --show, --quiet, --plot,
divergence."""

from __future__ import annotations

import re

import numpy as np
import pytest
from conftest import CONFIGS

from nntrace.terminal.summary import curve_rows, predicted_classes


def papers_code_trained_fully(epochs=10_000):
    """The paper's listing (np.random.seed(42), rand, learning rate 0.1) with the hidden-layer
    updates of its Steps 8-11, which the printed listing lost."""
    sigmoid = lambda x: 1 / (1 + np.exp(-x))  # noqa: E731
    X = np.array([[1, 0, 1, 0], [1, 0, 1, 1], [0, 1, 0, 1]])
    y = np.array([[1], [1], [0]])
    np.random.seed(42)
    W_h, b_h, W_out, b_out = np.random.rand(4, 3), np.random.rand(1, 3), np.random.rand(3, 1), np.random.rand(1, 1)
    for _ in range(epochs):
        H_out = sigmoid(np.dot(X, W_h) + b_h)
        O_out = sigmoid(np.dot(H_out, W_out) + b_out)
        error = y - O_out
        delta_out = error * (O_out * (1 - O_out))
        delta_hidden = np.dot(delta_out, W_out.T) * (H_out * (1 - H_out))
        W_out += 0.1 * np.dot(H_out.T, delta_out)
        b_out += 0.1 * np.sum(delta_out, axis=0, keepdims=True)
        W_h += 0.1 * np.dot(X.T, delta_hidden)
        b_h += 0.1 * np.sum(delta_hidden, axis=0, keepdims=True)
    return sigmoid(np.dot(sigmoid(np.dot(X, W_h) + b_h), W_out) + b_out)


def test_paper_training_quiet_prints_the_codes_final_predictions_and_the_curve(cli):
    result = cli("run", str(CONFIGS / "paper-training.yaml"), "--quiet", "--precision", "4")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    expected = papers_code_trained_fully()
    rows = re.findall(r"^\s+(\d)\s+([01])\s+(\d\.\d{4})\s+([01])\s+✓$", out, flags=re.M)
    assert [float(r[2]) for r in rows] == pytest.approx(expected.ravel(), abs=6e-5)
    assert "Loss per epoch" in out and "10000" in out and "Step 1" not in out
    assert "3 of 3 samples classified correctly" in out


def test_show_prints_the_steps_of_the_epochs_asked_for(cli):
    out = cli("run", "--epochs", "20", "--show", "1,10,last", "--no-expand").stdout
    assert re.findall(r"─ (Epoch \d+) ─", out) == ["Epoch 1", "Epoch 10", "Epoch 20"]
    assert "Training summary" in out


def test_show_beyond_the_run_is_an_input_error(cli):
    result = cli("run", "--epochs", "5", "--show", "6")
    assert result.exit_code == 2 and "--show 6" in result.stderr


def test_no_progress_bar_when_stderr_is_not_a_terminal(cli):
    result = cli("run", "--epochs", "3000", "--quiet")
    assert result.stderr == ""


def test_predicted_classes_for_labels_one_hot_and_regression():
    outputs = np.array([[0.7], [0.2]])
    predicted, true = predicted_classes(outputs, np.array([[1.0], [1.0]]))
    assert predicted.tolist() == [1, 0] and true.tolist() == [1, 1]
    predicted, true = predicted_classes(np.array([[0.1, 0.7, 0.2]]), np.array([[0.0, 1.0, 0.0]]))
    assert predicted.tolist() == [2] and true.tolist() == [2]
    assert predicted_classes(outputs, np.array([[0.5], [1.2]])) is None


def test_the_terminal_curve_falls_from_top_left_to_bottom_right():
    rows = curve_rows(np.linspace(1.0, 0.0, 50), width=10, height=4, log=False)
    assert len(rows) == 4 and all(len(row) == 10 for row in rows)
    assert rows[0][0] != " " and rows[0][-1] == " "
    assert rows[-1][-1] != " " and rows[-1][0] == " "


def test_log_scale_is_labelled(cli):
    assert "Loss per epoch (log scale)" in cli("run", "--epochs", "50", "--quiet", "--log-scale").stdout


DIVERGING = """
name: Diverging on purpose
inputs: [[3, 4], [5, 6]]
targets: [[1], [2]]
loss: sse
learning_rate: 1.0
epochs: 100
activation: linear
layers:
  - weights: [[0.1, 0.2], [0.3, 0.4]]
    biases: [0, 0]
  - weights: [[0.5], [0.6]]
    biases: [0]
"""


def test_divergence_stops_with_a_message_the_summary_and_exit_1(cli, tmp_path):
    path = tmp_path / "diverging.yaml"
    path.write_text(DIVERGING, encoding="utf-8")
    result = cli("run", str(path), "--quiet")
    assert result.exit_code == 1
    assert re.search(
        r"training diverged: in epoch 6, O_in became NaN or infinite; stopped after 5 complete", result.stderr
    )
    assert "5 of 100 (stopped early)" in result.stdout
    assert "Traceback" not in result.stderr


def test_divergence_raises_no_numpy_warnings(tmp_path):
    import warnings

    from nntrace.engine.network import build_network, train
    from nntrace.spec.validate import parse_spec

    spec = parse_spec(DIVERGING)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        training = train(build_network(spec), spec.inputs, spec.targets, spec.epochs)
    assert training.divergence.epoch == 6 and training.epochs_done == 5


def test_sigmoid_neither_overflows_nor_warns_for_large_inputs():
    import warnings

    from nntrace.model.activations import sigmoid

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        values = sigmoid(np.array([-1e6, -800.0, -30.0, 0.0, 30.0, 1e6]))
    assert values[0] < 1e-300 and values[-1] == 1.0 and values[3] == 0.5
    assert values[2] == 1 / (1 + np.exp(30.0))


def test_plot_writes_png_and_svg(cli, tmp_path):
    pytest.importorskip("matplotlib")
    for name in ("loss.png", "loss.svg"):
        path = tmp_path / name
        result = cli("run", "--epochs", "30", "--quiet", "--plot", str(path))
        assert result.exit_code == 0, result.stderr
        assert path.stat().st_size > 1000
    assert (tmp_path / "loss.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert b"<svg" in (tmp_path / "loss.svg").read_bytes()[:2000]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["loss.png", "loss.svg"]


def test_plot_without_matplotlib_says_how_to_install(cli, tmp_path, monkeypatch):
    import nntrace.documents.plot

    monkeypatch.setattr(nntrace.documents.plot, "plotting_available", lambda: False)
    result = cli("run", "--epochs", "3", "--plot", str(tmp_path / "loss.png"))
    assert result.exit_code == 2
    assert "pip install 'nntrace[plot]'" in result.stderr
    assert result.stdout == "" and not list(tmp_path.iterdir())


def test_plot_needs_a_png_or_svg_name(cli, tmp_path):
    result = cli("run", "--epochs", "3", "--plot", str(tmp_path / "loss.jpg"))
    assert result.exit_code == 2 and ".png or .svg" in result.stderr


def test_the_curves_range_skips_what_it_cannot_draw():
    from nntrace.terminal.summary import plotted_range

    losses = np.array([np.nan, 4.0, -1.0, np.inf, 0.5, 2.0])
    assert plotted_range(losses, log=False) == (-1.0, 4.0)
    assert plotted_range(losses, log=True) == (0.5, 4.0)  # no negative on a log scale
    assert plotted_range(np.array([np.nan, -np.inf]), log=False) is None


def test_the_first_non_finite_quantity_is_named_in_order():
    """All quantities are tested at once and one by one only to name the first: NaN and both
    infinities are found wherever they are, huge finite numbers are not taken for them, and an
    update with no state (plain gradient descent with weight decay) has nothing to find."""
    from nntrace.engine.network import first_non_finite

    ones = np.ones((3, 2))
    assert first_non_finite({}) is None
    assert first_non_finite({"W": ones, "b": np.ones(2)}) is None
    assert first_non_finite({"W": np.full((2, 2), 1e200), "b": np.array([-1e308, 5e-324])}) is None
    assert first_non_finite({"W": ones, "b": np.array([1.0, np.nan]), "c": np.array([np.inf])}) == "b"
    assert first_non_finite({"W": ones, "c": np.array([[0.0], [-np.inf]])}) == "c"
    assert first_non_finite({"t": np.array(np.inf)}) == "t"
    # Arrays too large to flatten together (a pass over many samples): the same answers, where a
    # sum of finite numbers overflows too.
    big = np.ones((100_000, 2))
    assert first_non_finite({"W": big, "H": np.full((100_000, 2), 1e308)}) is None
    for bad in (np.nan, np.inf, -np.inf):
        broken = big.copy()
        broken[77_777, 1] = bad
        assert first_non_finite({"W": big, "H": broken, "b": np.ones(2)}) == "H"
        assert first_non_finite({"H": np.full((100_000, 2), 1e308), "W": broken}) == "W"


def test_a_non_finite_parameter_is_named_without_moving_the_parameters():
    from nntrace.engine.network import build_network
    from nntrace.spec.validate import parse_spec

    network = build_network(parse_spec(DIVERGING))
    assert network.first_non_finite_parameter() is None
    network.layers[-1].biases[0, 0] = np.nan
    network.layers[0].weights[0, 0] = -np.inf
    assert network.first_non_finite_parameter() == network.layers[0].names.weights.key
    network.layers[0].weights[0, 0] = 1.0
    assert network.first_non_finite_parameter() == network.layers[-1].names.biases.key
    assert network.layers[0].weights[0, 0] == 1.0
