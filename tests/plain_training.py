"""A plain numpy training loop for the exercises' tests: nothing of nntrace is used, the formulas
are written out. Samples are rows; every layer is sigmoid (or tanh); the loss is half the sum of
squared errors, L = ½ Σ (y − o)²; one full batch an epoch; plain gradient descent. As the paper
writes them: E = y − o, δ_out = E ⊙ f′(O_in), δ_h = (δ_out W_outᵀ) ⊙ f′(H_in) with the weights
the pass started with, W⁺ = W + η aᵀ δ and b⁺ = b + η Σ_samples δ."""

from __future__ import annotations

import numpy as np

FUNCTIONS = {
    # activation: (f(z), f′ written from the output a = f(z))
    "sigmoid": (lambda z: 1.0 / (1.0 + np.exp(-z)), lambda a: a * (1.0 - a)),
    "tanh": (np.tanh, lambda a: 1.0 - a * a),
}


def epochs(spec: dict, count: int) -> list[dict[str, np.ndarray]]:
    """Each epoch's quantities for a two-layer spec as key.json holds it (the drawn numbers):
    H_in, H_out, O_in, O_out, E, delta_out, delta_h, slope_h (f′ of the hidden layer), and the
    parameters after the epoch's update, W_h+, b_h+, W_out+, b_out+."""
    f, slope = FUNCTIONS[spec.get("activation", "sigmoid")]
    x = np.array(spec["inputs"], dtype=float)
    y = np.array(spec["targets"], dtype=float)
    eta = float(spec["learning_rate"])
    (hidden, output) = spec["layers"]
    w_h, b_h = np.array(hidden["weights"], dtype=float), np.array(hidden["biases"], dtype=float)
    w_o, b_o = np.array(output["weights"], dtype=float), np.array(output["biases"], dtype=float)
    found = []
    for _ in range(count):
        h_in = x @ w_h + b_h
        h_out = f(h_in)
        o_in = h_out @ w_o + b_o
        o_out = f(o_in)
        error = y - o_out
        delta_out = error * slope(o_out)
        delta_h = (delta_out @ w_o.T) * slope(h_out)  # W_out before its update
        w_o, b_o = w_o + eta * h_out.T @ delta_out, b_o + eta * delta_out.sum(axis=0)
        w_h, b_h = w_h + eta * x.T @ delta_h, b_h + eta * delta_h.sum(axis=0)
        found.append({"H_in": h_in, "H_out": h_out, "O_in": o_in, "O_out": o_out, "E": error,
                      "delta_out": delta_out, "delta_h": delta_h, "slope_h": slope(h_out),
                      "W_h+": w_h, "b_h+": b_h, "W_out+": w_o, "b_out+": b_o})  # fmt: skip
    return found


def cell(values: dict[str, np.ndarray], blank_id: str) -> float:
    """The value of a blank named as key.csv names it (H_out[2,1], W_out+[1,1], b_out+[1], e2:…)."""
    name = blank_id.split(":", 1)[1] if ":" in blank_id else blank_id
    quantity, _, index = name.partition("[")
    at = tuple(int(i) - 1 for i in index.rstrip("]").split(","))
    array = values[quantity]
    return float(array[at] if array.ndim == len(at) else array[at[0]])
