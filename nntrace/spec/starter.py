"""A commented starter spec for a dense network of given layer sizes (`nntrace new 2 3 1`).

The numbers are small and typed out, so the first trace can be checked by hand; every
key that is left at its default is shown commented out.
"""

from __future__ import annotations

import numpy as np

MAX_STARTER_SIZE = 64  # neurons per layer that are still worth typing out


def _row(values) -> str:
    return "[" + ", ".join(f"{value:g}" for value in values) + "]"


def _matrix(rows) -> str:
    return "[" + ", ".join(_row(row) for row in rows) + "]"


def starter_spec(sizes: list[int], seed: int = 1) -> str:
    """YAML text of a spec with inputs of sizes[0] features and layers of sizes[1:] neurons."""
    rng = np.random.RandomState(seed)
    n_in, n_out = sizes[0], sizes[-1]
    samples = 3
    inputs = rng.randint(0, 2, (samples, n_in))
    targets = rng.randint(0, 2, (samples, n_out))
    lines = [
        f"# A starter spec: {' -> '.join(str(size) for size in sizes)} (inputs first), written by `nntrace new`.",
        "# Replace the samples and the numbers with your own; `nntrace run THIS_FILE` traces it.",
        "# Every key is explained in the README's spec format.",
        "name: My network",
        f"inputs:  {_matrix(inputs)}   # one sample per row, {n_in} feature(s) each",
        f"targets: {_matrix(targets)}   # one row per sample, {n_out} value(s) each",
        "activation: sigmoid        # sigmoid, tanh, relu, leaky_relu, linear, softmax (output only), step",
        "loss: half_sse             # half_sse, sse, mse, cross_entropy",
        "learning_rate: 0.1",
        "epochs: 1",
        "# layout: rows            # or columns: weights typed one row per neuron (z = W . x + b)",
        "# batch_size: full        # or a number of samples per update",
        "# init: {method: numpy_rand, seed: 42}   # draws the weights and biases you leave out",
        "layers:",
    ]
    for number, (before, size) in enumerate(zip(sizes, sizes[1:]), start=1):
        role = "the output layer" if number == len(sizes) - 1 else f"hidden layer {number}"
        weights = np.round(rng.uniform(0.05, 0.95, (before, size)), 2)
        biases = np.round(rng.uniform(0.05, 0.95, size), 2)
        lines += [
            f"  - # {role}: {size} neuron(s), weights one row per input ({before}) and one column per neuron",
            f"    weights: {_matrix(weights)}",
            f"    biases: {_row(biases)}",
        ]
    return "\n".join(lines) + "\n"
