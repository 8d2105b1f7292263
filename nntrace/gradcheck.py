"""Backpropagated gradients against central finite differences.

One parameter entry at a time, at the starting parameters over all samples, the
fourth-order central difference
    dL/dtheta ~ (8 [L(theta + h) - L(theta - h)] - [L(theta + 2h) - L(theta - 2h)]) / 12h,
whose error (about 1e-12 here) is small enough to check gradients of deep networks,
which can be as small as 1e-6.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nntrace.engine import Network

STEP = 1e-4
TOLERANCE = 1e-5


@dataclass(frozen=True)
class ParameterCheck:
    key: str
    shape: tuple[int, ...]
    largest_relative_error: float
    largest_absolute_error: float
    tolerance: float

    @property
    def passed(self) -> bool:
        return self.largest_relative_error <= self.tolerance


def central_difference(network: Network, key: str, X: np.ndarray, y: np.ndarray, step: float = STEP) -> np.ndarray:
    value = network.parameters()[key]
    numeric = np.zeros_like(value)
    shifted = value.copy()

    def loss_at(index, offset: float) -> float:
        shifted[index] = value[index] + offset
        network.set_parameter(key, shifted)
        return network.loss_value(X, y)

    for index in np.ndindex(value.shape):
        near = loss_at(index, step) - loss_at(index, -step)
        far = loss_at(index, 2 * step) - loss_at(index, -2 * step)
        shifted[index] = value[index]
        numeric[index] = (8 * near - far) / (12 * step)
    network.set_parameter(key, value)
    return numeric


def relative_error(analytic: np.ndarray, numeric: np.ndarray) -> np.ndarray:
    # Entries where both gradients are ~0 are compared absolutely, not divided by ~0.
    scale = np.maximum(np.maximum(np.abs(analytic), np.abs(numeric)), 1e-8)
    return np.abs(analytic - numeric) / scale


def check_gradients(
    network: Network, X: np.ndarray, y: np.ndarray, tolerance: float = TOLERANCE, step: float = STEP
) -> list[ParameterCheck]:
    analytic = network.gradients(X, y)
    checks = []
    for key, gradient in analytic.items():
        numeric = central_difference(network, key, X, y, step)
        checks.append(
            ParameterCheck(
                key=key,
                shape=gradient.shape,
                largest_relative_error=float(relative_error(gradient, numeric).max()),
                largest_absolute_error=float(np.abs(gradient - numeric).max()),
                tolerance=tolerance,
            )
        )
    return checks
