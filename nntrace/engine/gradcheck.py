"""Backpropagated gradients against central finite differences.

One parameter entry at a time, at the starting parameters over all samples, the
fourth-order central difference
    dL/dtheta ~ (8 [L(theta + h) - L(theta - h)] - [L(theta + 2h) - L(theta - 2h)]) / 12h.
Its truncation error is negligible; its round-off is about 1e-12 |L|, so an entry passes when
    |analytic - numeric| <= tolerance * max(|analytic|, |numeric|) + ABSOLUTE * max(1, |L|),
relative for ordinary gradients and absolute for the tiny ones of deep networks (an entry that
passes by the absolute allowance alone is counted, so the report can say so). Where the input of
a unit with a kink at 0 (relu, leaky_relu, elu) lies within 2h of 0 the difference straddles it
and means nothing: such entries are reported as not differentiable, not compared. An entry whose
gradient or finite difference is not finite (the loss overflows 2h away) fails.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nntrace.engine.network import Network

STEP = 1e-4
TOLERANCE = 1e-5
ABSOLUTE = 1e-9  # per unit of loss: well above the difference's round-off, far below a real error


@dataclass(frozen=True)
class ParameterCheck:
    key: str
    shape: tuple[int, ...]
    largest_relative_error: float
    largest_absolute_error: float
    tolerance: float
    failures: int  # entries beyond the tolerance, or not finite
    undefined: int  # entries at a kink, not compared
    absolute_only: int = 0  # entries within the absolute allowance but not the relative tolerance
    allowed_absolute: float = 0.0  # that allowance: ABSOLUTE * max(1, |L|)
    non_finite: int = 0  # entries whose gradient or finite difference is NaN or infinite

    @property
    def passed(self) -> bool:
        return self.failures == 0


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


def at_kinks(network: Network, key: str, X: np.ndarray, step: float = STEP) -> np.ndarray:
    """True for the entries of `key` whose shifts of +-2h move some kinked unit across 0."""
    value = network.parameters()[key]
    kinked = np.zeros(value.shape, dtype=bool)
    if not any(layer.activation.kinked for layer in network.layers):
        return kinked
    shifted = value.copy()
    for index in np.ndindex(value.shape):
        sides = []
        for offset in (-2 * step, 2 * step):
            shifted[index] = value[index] + offset
            network.set_parameter(key, shifted)
            sides.append(network.kink_sides(X))
        shifted[index] = value[index]
        kinked[index] = not np.array_equal(sides[0], sides[1])
    network.set_parameter(key, value)
    return kinked


def relative_error(analytic: np.ndarray, numeric: np.ndarray) -> np.ndarray:
    # Entries where both gradients are ~0 are compared absolutely, not divided by ~0.
    scale = np.maximum(np.maximum(np.abs(analytic), np.abs(numeric)), 1e-8)
    return np.abs(analytic - numeric) / scale


def check_gradients(
    network: Network, X: np.ndarray, y: np.ndarray, tolerance: float = TOLERANCE, step: float = STEP
) -> list[ParameterCheck]:
    with np.errstate(over="ignore", invalid="ignore"):  # a start that overflows is reported before this
        return _checks(network, X, y, tolerance, step)


def _checks(network: Network, X: np.ndarray, y: np.ndarray, tolerance: float, step: float) -> list[ParameterCheck]:
    analytic = network.gradients(X, y)
    allowed_absolute = ABSOLUTE * max(1.0, abs(network.loss_value(X, y)))
    checks = []
    for key, gradient in analytic.items():
        numeric = central_difference(network, key, X, y, step)
        compared = ~at_kinks(network, key, X, step)
        difference = np.abs(gradient - numeric)
        relative_allowance = tolerance * np.maximum(np.abs(gradient), np.abs(numeric))
        finite = np.isfinite(gradient) & np.isfinite(numeric)
        within = (difference <= relative_allowance + allowed_absolute) & finite  # inf <= inf is no pass
        relative = relative_error(gradient, numeric)
        checks.append(
            ParameterCheck(
                key=key,
                shape=gradient.shape,
                largest_relative_error=float(relative[compared].max(initial=0.0)),
                largest_absolute_error=float(difference[compared].max(initial=0.0)),
                tolerance=tolerance,
                failures=int((~within)[compared].sum()),
                undefined=int((~compared).sum()),
                absolute_only=int((within & (difference > relative_allowance))[compared].sum()),
                allowed_absolute=allowed_absolute,
                non_finite=int((~finite)[compared].sum()),
            )
        )
    return checks
