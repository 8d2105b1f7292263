"""The hand-written loop a user would write, as a yardstick: plain numpy, the loss kept every epoch.

    python benchmarks/plain_numpy.py paper EPOCHS    # the paper's 4-3-1 sigmoid network, full batch
    python benchmarks/plain_numpy.py digits EPOCHS   # 64-16-16-10 on configs/digits.csv, batches of 32

Both do what nntrace's spec says (configs/paper.yaml, configs/digits.yaml): the same
arithmetic in the paper's case, the same kind and amount of work in the digits' case.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import yaml

CONFIGS = Path(__file__).resolve().parent.parent / "configs"


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def paper(epochs, spec=None):
    spec = spec or yaml.safe_load((CONFIGS / "paper.yaml").read_text())
    X, y = np.array(spec["inputs"], float), np.array(spec["targets"], float)
    (hidden, out), rate = spec["layers"], spec["learning_rate"]
    W_h, b_h = np.array(hidden["weights"], float), np.array([hidden["biases"]], float)
    W_o, b_o = np.array(out["weights"], float), np.array([out["biases"]], float)
    losses = np.empty(epochs)
    for epoch in range(epochs):
        h = sigmoid(X.dot(W_h) + b_h)
        o = sigmoid(h.dot(W_o) + b_o)
        error = y - o
        losses[epoch] = 0.5 * (error * error).sum()
        delta_o = error * (o * (1 - o))
        delta_h = delta_o.dot(W_o.T) * (h * (1 - h))
        W_o += rate * h.T.dot(delta_o)
        W_h += rate * X.T.dot(delta_h)
        b_o += rate * delta_o.sum(axis=0, keepdims=True)
        b_h += rate * delta_h.sum(axis=0, keepdims=True)
    return losses, (W_h, b_h, W_o, b_o)


def digits(epochs):
    data = np.loadtxt(CONFIGS / "digits.csv", delimiter=",", skiprows=1)[:-297]
    X, y = data[:, :64], data[:, 64:]
    rng = np.random.RandomState(1)
    sizes = [64, 16, 16, 10]
    Ws = [rng.uniform(-1, 1, (m, n)) * np.sqrt(6 / (m + n)) for m, n in zip(sizes, sizes[1:])]
    bs = [np.zeros((1, n)) for n in sizes[1:]]
    order_rng, rate, losses = np.random.RandomState(1), 0.003, np.empty(epochs)
    for epoch in range(epochs):
        order, total = order_rng.permutation(len(X)), 0.0
        for start in range(0, len(X), 32):
            batch = order[start : start + 32]
            x, t = X[batch], y[batch]
            h1 = sigmoid(x.dot(Ws[0]) + bs[0])
            h2 = sigmoid(h1.dot(Ws[1]) + bs[1])
            z = h2.dot(Ws[2]) + bs[2]
            shifted = z - z.max(axis=1, keepdims=True)
            log_o = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
            total += -(t * log_o).sum()
            d3 = t - np.exp(log_o)
            d2 = d3.dot(Ws[2].T) * (h2 * (1 - h2))
            d1 = d2.dot(Ws[1].T) * (h1 * (1 - h1))
            for W, b, a, d in zip(Ws, bs, (x, h1, h2), (d1, d2, d3)):
                W += rate * a.T.dot(d)
                b += rate * d.sum(axis=0, keepdims=True)
        losses[epoch] = total
    return losses, (*Ws, *bs)


if __name__ == "__main__":
    losses, _ = {"paper": paper, "digits": digits}[sys.argv[1]](int(sys.argv[2]))
    print(f"loss: epoch 1 {losses[0]:.6f}, epoch {len(losses)} {losses[-1]:.6f}")
