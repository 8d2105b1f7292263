"""Loss functions, each with its error term E = -dL/dO.

The paper's rule adds eta * (error x slope) to the weights; writing every loss's
error term with that sign keeps its formulas and matrices intact and makes the
update theta <- theta - eta * dL/dtheta for every loss.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np


def half_sse(y: np.ndarray, o: np.ndarray, z: np.ndarray) -> float:
    e = y - o
    return 0.5 * float((e * e).sum())


def sse(y: np.ndarray, o: np.ndarray, z: np.ndarray) -> float:
    e = y - o
    return float((e * e).sum())


def mse(y: np.ndarray, o: np.ndarray, z: np.ndarray) -> float:
    e = y - o
    return float((e * e).mean())


def sigmoid_cross_entropy(y: np.ndarray, o: np.ndarray, z: np.ndarray) -> float:
    # ln o = -softplus(-z) and ln(1 - o) = -softplus(z): finite even where o rounds to 0 or 1.
    return float(np.sum(y * np.logaddexp(0.0, -z) + (1.0 - y) * np.logaddexp(0.0, z)))


def softmax_cross_entropy(y: np.ndarray, o: np.ndarray, z: np.ndarray) -> float:
    shifted = z - z.max(axis=1, keepdims=True)
    log_o = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    return float(-np.sum(y * log_o))


def residual(y: np.ndarray, o: np.ndarray) -> np.ndarray:
    return y - o


def twice_residual(y: np.ndarray, o: np.ndarray) -> np.ndarray:
    return 2.0 * (y - o)


def mean_twice_residual(y: np.ndarray, o: np.ndarray) -> np.ndarray:
    return 2.0 * (y - o) / y.size


@dataclass(frozen=True)
class Loss:
    name: str
    formula: str
    value: Callable
    error: Callable
    # Cross-entropy's error term divided by the output's slope is y - O: the delta is the error itself.
    slope_cancels: bool = False


LOSSES = {
    "half_sse": Loss("half_sse", "L = \u00bd \u03a3\u03a3 (y \u2212 O)\u00b2", half_sse, residual),
    "sse": Loss("sse", "L = \u03a3\u03a3 (y \u2212 O)\u00b2", sse, twice_residual),
    "mse": Loss("mse", "L = (1/nk) \u03a3\u03a3 (y \u2212 O)\u00b2", mse, mean_twice_residual),
    "cross_entropy": Loss(
        "cross_entropy",
        "L = \u2212\u03a3\u03a3 [y ln O + (1 \u2212 y) ln(1 \u2212 O)]",
        sigmoid_cross_entropy,
        residual,
        slope_cancels=True,
    ),
}


SOFTMAX_CROSS_ENTROPY = Loss(
    "cross_entropy", "L = \u2212\u03a3\u03a3 y ln O", softmax_cross_entropy, residual, slope_cancels=True
)


def loss_for(name: str, output_activation: str) -> Loss:
    """The loss called `name`, in its softmax form when the outputs are a softmax."""
    if name == "cross_entropy" and output_activation == "softmax":
        return SOFTMAX_CROSS_ENTROPY
    return LOSSES[name]
