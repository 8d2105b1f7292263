"""The hand-written loop a user would write, as a yardstick: plain numpy, the loss kept every epoch.

    python benchmarks/plain_numpy.py paper EPOCHS    # the paper's 4-3-1 sigmoid network, full batch
    python benchmarks/plain_numpy.py digits EPOCHS   # 64-16-16-10 on configs/digits.csv, batches of 32
    python benchmarks/plain_numpy.py paper EPOCHS VARIANT   # with an optimiser, update order or bias sharing

Both do what nntrace's spec says (configs/paper.yaml, configs/digits.yaml): the same
arithmetic in the paper's case, the same kind and amount of work in the digits' case. A
VARIANT (one of VARIANTS) trains with the update rule a user would write from the published
equations (torch.optim's definitions): one function per rule, called for every parameter
array, each keeping its own state; `output_first` moves the output layer before the hidden
error is taken, `per_layer` moves one bias per layer by the sum of its gradient.
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
    X, y, Ws, bs = digits_start()
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


def digits_start():
    data = np.loadtxt(CONFIGS / "digits.csv", delimiter=",", skiprows=1)[:-297]
    X, y = data[:, :64], data[:, 64:]
    rng = np.random.RandomState(1)
    sizes = [64, 16, 16, 10]
    Ws = [rng.uniform(-1, 1, (m, n)) * np.sqrt(6 / (m + n)) for m, n in zip(sizes, sizes[1:])]
    bs = [np.zeros((1, n)) for n in sizes[1:]]
    return X, y, Ws, bs


# The update rules, as a user writes them from torch.optim's documentation: p moved in place by its
# gradient g; s is the parameter's own state (zeros to start), t the update's number from 1.


def sgd(p, g, s, t, lr, weight_decay=0.0):
    if weight_decay:
        g = g + weight_decay * p
    p -= lr * g


def momentum(p, g, s, t, lr, momentum=0.9, dampening=0.0, nesterov=False, weight_decay=0.0):
    if weight_decay:
        g = g + weight_decay * p
    s["v"] = g.copy() if t == 1 else momentum * s["v"] + (1 - dampening) * g
    p -= lr * (g + momentum * s["v"] if nesterov else s["v"])


def rmsprop(p, g, s, t, lr, alpha=0.99, eps=1e-8, weight_decay=0.0):
    if weight_decay:
        g = g + weight_decay * p
    s["s"] = alpha * s["s"] + (1 - alpha) * g * g
    p -= lr * g / (np.sqrt(s["s"]) + eps)


def adam(p, g, s, t, lr, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0, decoupled=False):
    if decoupled:
        p -= lr * weight_decay * p
    elif weight_decay:
        g = g + weight_decay * p
    s["m"] = beta1 * s["m"] + (1 - beta1) * g
    s["v"] = beta2 * s["v"] + (1 - beta2) * g * g
    m_hat = s["m"] / (1 - beta1**t)
    v_hat = s["v"] / (1 - beta2**t)
    p -= lr * m_hat / (np.sqrt(v_hat) + eps)


# name: (the spec's lines, the rule and its settings). The specs' settings are the rule's.
VARIANTS = {
    "sgd-decay": ("optimizer: {name: sgd, weight_decay: 0.001}", sgd, {"weight_decay": 0.001}),
    "momentum": ("optimizer: momentum", momentum, {}),
    "momentum-dampened": (
        "optimizer: {name: momentum, dampening: 0.1, weight_decay: 0.001}",
        momentum,
        {"dampening": 0.1, "weight_decay": 0.001},
    ),
    "nesterov": ("optimizer: {name: momentum, nesterov: true}", momentum, {"nesterov": True}),
    "rmsprop": ("optimizer: rmsprop", rmsprop, {}),
    "adam": ("optimizer: adam", adam, {}),
    "adamw": ("optimizer: adamw", adam, {"weight_decay": 0.01, "decoupled": True}),
    "output-first": ("update_order: output_first", sgd, {}),
    "per-layer": ("bias_sharing: per_layer", sgd, {}),
    "adam-output-first": ("optimizer: adam\nupdate_order: output_first", adam, {}),
}


def _states(params):
    return [{"v": np.zeros_like(p), "s": np.zeros_like(p), "m": np.zeros_like(p)} for p in params]


def paper_variant(epochs, variant, spec=None):
    """The paper's network trained with a VARIANT's rule, order or bias sharing."""
    _, rule, settings = VARIANTS[variant]
    output_first, per_layer = variant.endswith("output-first"), variant == "per-layer"
    spec = spec or yaml.safe_load((CONFIGS / "paper.yaml").read_text())
    X, y = np.array(spec["inputs"], float), np.array(spec["targets"], float)
    (hidden, out), lr = spec["layers"], spec["learning_rate"]
    W_h, b_h = np.array(hidden["weights"], float), np.array([hidden["biases"]], float)
    W_o, b_o = np.array(out["weights"], float), np.array([out["biases"]], float)
    if per_layer:  # one bias a layer: each layer's first
        b_h[:], b_o[:] = b_h[0, 0], b_o[0, 0]
    s_Wh, s_bh, s_Wo, s_bo = _states((W_h, b_h, W_o, b_o))
    losses = np.empty(epochs)
    for t in range(1, epochs + 1):
        h = sigmoid(X.dot(W_h) + b_h)
        o = sigmoid(h.dot(W_o) + b_o)
        error = o - y
        losses[t - 1] = 0.5 * (error * error).sum()
        d_o = error * (o * (1 - o))
        g_Wo = h.T.dot(d_o)
        g_bo = d_o.sum() if per_layer else d_o.sum(axis=0, keepdims=True)
        if output_first:
            rule(W_o, g_Wo, s_Wo, t, lr, **settings)
            rule(b_o, g_bo, s_bo, t, lr, **settings)
        d_h = d_o.dot(W_o.T) * (h * (1 - h))
        rule(W_h, X.T.dot(d_h), s_Wh, t, lr, **settings)
        rule(b_h, d_h.sum() if per_layer else d_h.sum(axis=0, keepdims=True), s_bh, t, lr, **settings)
        if not output_first:
            rule(W_o, g_Wo, s_Wo, t, lr, **settings)
            rule(b_o, g_bo, s_bo, t, lr, **settings)
    return losses, (W_h, b_h, W_o, b_o)


def digits_variant(epochs, variant):
    """The digits trained with a VARIANT's rule, order or bias sharing (the same kind and amount of work)."""
    _, rule, settings = VARIANTS[variant]
    output_first, per_layer = variant.endswith("output-first"), variant == "per-layer"
    X, y, Ws, bs = digits_start()
    W_states, b_states = _states(Ws), _states(bs)
    order_rng, lr, losses, t = np.random.RandomState(1), 0.003, np.empty(epochs), 0
    for epoch in range(epochs):
        order, total = order_rng.permutation(len(X)), 0.0
        for start in range(0, len(X), 32):
            t += 1
            batch = order[start : start + 32]
            x, target = X[batch], y[batch]
            h1 = sigmoid(x.dot(Ws[0]) + bs[0])
            h2 = sigmoid(h1.dot(Ws[1]) + bs[1])
            z = h2.dot(Ws[2]) + bs[2]
            shifted = z - z.max(axis=1, keepdims=True)
            log_o = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
            total += -(target * log_o).sum()
            d = np.exp(log_o) - target
            for i, a in ((2, h2), (1, h1), (0, x)):
                g_W = a.T.dot(d)
                g_b = d.sum() if per_layer else d.sum(axis=0, keepdims=True)
                if output_first:
                    rule(Ws[i], g_W, W_states[i], t, lr, **settings)
                    rule(bs[i], g_b, b_states[i], t, lr, **settings)
                if i:
                    d = d.dot(Ws[i].T) * (a * (1 - a))
                if not output_first:
                    rule(Ws[i], g_W, W_states[i], t, lr, **settings)
                    rule(bs[i], g_b, b_states[i], t, lr, **settings)
        losses[epoch] = total
    return losses, (*Ws, *bs)


if __name__ == "__main__":
    network, epochs = sys.argv[1], int(sys.argv[2])
    if len(sys.argv) > 3:
        losses, _ = {"paper": paper_variant, "digits": digits_variant}[network](epochs, sys.argv[3])
    else:
        losses, _ = {"paper": paper, "digits": digits}[network](epochs)
    print(f"loss: epoch 1 {losses[0]:.6f}, epoch {len(losses)} {losses[-1]:.6f}")
