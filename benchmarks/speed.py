"""Untraced training speed: nntrace against a plain numpy loop doing the same arithmetic.

Trains the paper's network (configs/paper.yaml) for 100,000 epochs both ways in one
process, alternating, three rounds each, and prints the best times and their ratio.
Target: nntrace / numpy <= 1.3.

    python benchmarks/speed.py [EPOCHS]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

from nntrace.engine import build_network, train
from nntrace.spec import load_spec

CONFIG = Path(__file__).resolve().parent.parent / "configs" / "paper.yaml"
TARGET = 1.3


def numpy_loop(X, y, W_h, b_h, W_out, b_out, rate, epochs):
    """The paper's network by hand: forward, loss, backward, updates, as its code writes them."""
    losses = np.empty(epochs)
    for epoch in range(epochs):
        H_in = np.dot(X, W_h) + b_h
        H_out = 1 / (1 + np.exp(-H_in))
        O_in = np.dot(H_out, W_out) + b_out
        O_out = 1 / (1 + np.exp(-O_in))
        error = y - O_out
        losses[epoch] = 0.5 * np.sum(error * error)
        delta_out = error * (O_out * (1 - O_out))
        error_hidden = np.dot(delta_out, W_out.T)
        delta_hidden = error_hidden * (H_out * (1 - H_out))
        W_out += rate * np.dot(H_out.T, delta_out)
        W_h += rate * np.dot(X.T, delta_hidden)
        b_out += rate * np.sum(delta_out, axis=0, keepdims=True)
        b_h += rate * np.sum(delta_hidden, axis=0, keepdims=True)
    return losses, W_h, b_h, W_out, b_out


def time_numpy(spec, epochs):
    p = build_network(spec).parameters()
    start = time.perf_counter()
    result = numpy_loop(
        spec.inputs,
        spec.targets,
        p["W_h"],
        p["b_h"].reshape(1, -1),
        p["W_out"],
        p["b_out"].reshape(1, -1),
        spec.learning_rate,
        epochs,
    )
    return time.perf_counter() - start, result


def time_nntrace(spec, epochs):
    network = build_network(spec)
    start = time.perf_counter()
    training = train(network, spec.inputs, spec.targets, epochs)
    return time.perf_counter() - start, (training.losses, network.parameters())


def main() -> None:
    epochs = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    spec = load_spec(CONFIG)
    numpy_times, nntrace_times = [], []
    for _ in range(3):
        seconds, (reference_losses, *reference_params) = time_numpy(spec, epochs)
        numpy_times.append(seconds)
        seconds, (losses, params) = time_nntrace(spec, epochs)
        nntrace_times.append(seconds)
    # Same arithmetic, so the same numbers: a benchmark of different work would prove nothing.
    assert np.allclose(losses, reference_losses, rtol=1e-12), "the two loops disagree"
    assert np.allclose(params["W_h"], reference_params[0], rtol=1e-12)
    best_numpy, best_nntrace = min(numpy_times), min(nntrace_times)
    ratio = best_nntrace / best_numpy
    print(f"epochs: {epochs:,} of the paper's network (4-3-1 sigmoid, 3 samples)")
    print(f"plain numpy loop: {best_numpy:.2f} s ({best_numpy / epochs * 1e6:.1f} us/epoch)")
    print(f"nntrace engine:   {best_nntrace:.2f} s ({best_nntrace / epochs * 1e6:.1f} us/epoch)")
    print(f"ratio nntrace/numpy: {ratio:.2f} (target <= {TARGET}) {'ok' if ratio <= TARGET else 'OVER TARGET'}")


if __name__ == "__main__":
    main()
