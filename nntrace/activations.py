"""Activation functions and their slopes, element-wise on numpy arrays.

Each slope is written the way worked examples write it: the sigmoid's and
tanh's in terms of the activation a = f(z), the piecewise ones in terms of z.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass
from typing import Callable

import numpy as np


EXP_LIMIT = 709.0  # exp(709) is finite in float64; exp(710) overflows


def sigmoid(z: np.ndarray) -> np.ndarray:
    # The paper's own formula, so its numbers are reproduced to the last bit. Below
    # z = -709, exp(-z) would overflow: z is held there, giving 1.2e-308 instead of a
    # smaller number or 0, an error far below anything float64 prints.
    return 1.0 / (1.0 + np.exp(-np.maximum(z, -EXP_LIMIT)))


def sigmoid_slope(z: np.ndarray, a: np.ndarray) -> np.ndarray:
    return a * (1.0 - a)


def tanh_slope(z: np.ndarray, a: np.ndarray) -> np.ndarray:
    return 1.0 - a * a


def relu(z: np.ndarray) -> np.ndarray:
    return np.maximum(z, 0.0)


def relu_slope(z: np.ndarray, a: np.ndarray) -> np.ndarray:
    return (z > 0).astype(np.float64)


def leaky_relu(z: np.ndarray, alpha: float) -> np.ndarray:
    return np.where(z > 0, z, alpha * z)


def leaky_relu_slope(z: np.ndarray, a: np.ndarray, alpha: float) -> np.ndarray:
    return np.where(z > 0, 1.0, alpha)


def linear(z: np.ndarray) -> np.ndarray:
    return z.copy()


def linear_slope(z: np.ndarray, a: np.ndarray) -> np.ndarray:
    return np.ones_like(z)


def step(z: np.ndarray) -> np.ndarray:
    return (z >= 0).astype(np.float64)


def softmax(z: np.ndarray) -> np.ndarray:
    # Row-wise over the output neurons; shifting by the row maximum keeps exp from overflowing.
    shifted = np.exp(z - z.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


@dataclass(frozen=True)
class Activation:
    name: str
    symbol: str  # as written in formulas: sigma(H_in), tanh(H_in), ...
    formula: str  # f(z) = ...
    forward: Callable
    slope: Callable | None  # None: the function has no usable derivative (step) or none of its own (softmax)
    alpha: float | None = None
    slope_template: str = ""  # the slope in terms of a layer's {a} and {z}, for explanations
    kinked: bool = False  # the slope jumps at z = 0, where no derivative exists

    def slope_of(self, a: str, z: str) -> str:
        return self.slope_template.format(a=a, z=z, alpha=f"{self.alpha:g}" if self.alpha is not None else "")

    def bound_forward(self) -> Callable[[np.ndarray], np.ndarray]:
        return self.forward if self.alpha is None else functools.partial(self.forward, alpha=self.alpha)

    def bound_slope(self) -> Callable[[np.ndarray, np.ndarray], np.ndarray] | None:
        if self.slope is None or self.alpha is None:
            return self.slope
        return functools.partial(self.slope, alpha=self.alpha)


ACTIVATIONS = {
    "sigmoid": Activation(
        "sigmoid",
        "\u03c3",
        "\u03c3(z) = 1 / (1 + e\u207b\u1dbb)",
        sigmoid,
        sigmoid_slope,
        slope_template="{a}(1 \u2212 {a})",
    ),
    "tanh": Activation(
        "tanh",
        "tanh",
        "tanh(z) = (e\u1dbb \u2212 e\u207b\u1dbb) / (e\u1dbb + e\u207b\u1dbb)",
        np.tanh,
        tanh_slope,
        slope_template="1 \u2212 {a}\u00b2",
    ),
    "relu": Activation(
        "relu", "relu", "relu(z) = max(0, z)", relu, relu_slope, slope_template="1 if {z} > 0, else 0", kinked=True
    ),
    "leaky_relu": Activation(
        "leaky_relu",
        "lrelu",
        "lrelu(z) = z where z > 0, else \u03b1z",
        leaky_relu,
        leaky_relu_slope,
        alpha=0.01,
        slope_template="1 if {z} > 0, else {alpha}",
        kinked=True,
    ),
    "linear": Activation("linear", "id", "id(z) = z", linear, linear_slope, slope_template="1"),
    "step": Activation("step", "step", "step(z) = 1 where z \u2265 0, else 0", step, None),
    "softmax": Activation("softmax", "softmax", "softmax(z)\u1d62 = e^z\u1d62 / \u03a3\u2c7c e^z\u2c7c", softmax, None),
}


def activation(name: str, alpha: float | None = None) -> Activation:
    """The activation called `name`; leaky_relu takes its alpha from the layer."""
    base = ACTIVATIONS[name]
    if base.alpha is None or alpha is None:
        return base
    return dataclasses.replace(base, formula=base.formula.replace("\u03b1", f"{alpha:g}"), alpha=alpha)
