"""Mini-batches and online learning against a plain numpy loop written for this test."""

from __future__ import annotations

import numpy as np

from nntrace.engine.network import build_network, train
from nntrace.spec.validate import builtin_example_text, parse_spec


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def plain_minibatch_training(X, y, W_h, b_h, W_o, b_o, rate, epochs, batch_size, orders):
    W_h, b_h, W_o, b_o = W_h.copy(), b_h.copy(), W_o.copy(), b_o.copy()
    for epoch in range(epochs):
        order = orders[epoch]
        for start in range(0, len(X), batch_size):
            idx = order[start : start + batch_size]
            x, t = X[idx], y[idx]
            h = sigmoid(x @ W_h + b_h)
            o = sigmoid(h @ W_o + b_o)
            d_o = (t - o) * o * (1 - o)
            d_h = (d_o @ W_o.T) * h * (1 - h)
            W_o += rate * h.T @ d_o
            W_h += rate * x.T @ d_h
            b_o += rate * d_o.sum(axis=0)
            b_h += rate * d_h.sum(axis=0)
    return W_h, b_h, W_o, b_o


def test_online_and_minibatch_training_match_a_plain_loop():
    for batch_size, shuffle in ((1, None), (2, None), (2, 5)):
        extra = f"batch_size: {batch_size}\n" + (f"shuffle: {shuffle}\n" if shuffle is not None else "")
        spec = parse_spec(builtin_example_text() + extra)
        network = build_network(spec)
        start = network.parameters()
        train(network, spec.inputs, spec.targets, 5, batch_size=spec.batch_size, shuffle=spec.shuffle)
        rng = np.random.RandomState(shuffle) if shuffle is not None else None
        orders = [rng.permutation(3) if rng is not None else np.arange(3) for _ in range(5)]
        expected = plain_minibatch_training(
            spec.inputs,
            spec.targets,
            start["W_h"],
            start["b_h"],
            start["W_out"],
            start["b_out"],
            0.1,
            5,
            batch_size,
            orders,
        )
        got = network.parameters()
        for key, value in zip(("W_h", "b_h", "W_out", "b_out"), expected):
            np.testing.assert_allclose(got[key], value, rtol=0, atol=1e-14, err_msg=f"{batch_size} {key}")


def test_an_epoch_of_batches_is_traced_batch_by_batch(cli, tmp_path):
    path = tmp_path / "batches.yaml"
    path.write_text(builtin_example_text() + "batch_size: 2\n", encoding="utf-8")
    out = cli("run", str(path)).stdout
    assert "Epoch 1, batch 1 of 2" in out and "Epoch 1, batch 2 of 2" in out
    assert "batch 2 of 2: samples 3" in out


def test_many_batches_are_counted_with_separators_and_the_note_wraps_cleanly(cli, tmp_path):
    # 1,200 one-sample batches: the counts are grouped by thousands, and the lines too wide for
    # the terminal break between words with no blank left at the end of a line.
    rng = np.random.default_rng(3)
    rows = "\n".join(f"  - [{a:.2f}, {b:.2f}]" for a, b in rng.random((1200, 2)))
    targets = "\n".join(f"  - [{int(a > b)}]" for a, b in rng.random((1200, 2)))
    spec = f"inputs:\n{rows}\ntargets:\n{targets}\nlearning_rate: 0.5\nbatch_size: 1\nepochs: 1\n"
    spec += "init: {method: xavier, seed: 1}\nlayers:\n  - size: 2\n  - size: 1\n"
    path = tmp_path / "many.yaml"
    path.write_text(spec, encoding="utf-8")
    for width in ("60", "80", "100"):
        out = cli("run", str(path), "--no-color", width=width).stdout
        assert "Epoch 1, batch 1 of 1,200" in out
        note = out[out.index("(each epoch") : out.index("shows others)")]
        assert "1,200 batches of 1 sample;" in " ".join(note.split())
        # nowhere a blank before a break (the note, a formula, the loss line wrap at 60 columns)
        assert [line for line in out.splitlines() if line != line.rstrip()] == []
