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

The loss at a shifted entry is computed from the forward pass at the starting parameters, kept
(Probe): moving W[i, j] of a layer moves only column j of that layer's input z, by h times
column i of what enters the layer, so only that column, and what it reaches in the layers
after, is computed again. On a 784-256-10 network that is a few hundred times less work than
a forward pass per shift. A large network can be checked on a seeded random sample of its
entries (`entries`); a shared bias (bias_sharing: per_layer) is one parameter, so its
difference moves every neuron's bias at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from nntrace.engine.network import Network

STEP = 1e-4
TOLERANCE = 1e-5
ABSOLUTE = 1e-9  # per unit of loss: well above the difference's round-off, far below a real error
SEED = 0  # of the random sample of entries checked
OFFSETS = (STEP, -STEP, 2 * STEP, -2 * STEP)


@dataclass(frozen=True)
class ParameterCheck:
    key: str
    shape: tuple[int, ...]
    largest_relative_error: float
    largest_absolute_error: float
    tolerance: float
    failures: int  # entries beyond the tolerance, or not finite
    undefined: int  # entries at a kink, not compared
    checked: int = 0  # entries whose difference was taken: all of them, or the sample's
    size: int = 0  # entries of the matrix
    absolute_only: int = 0  # entries within the absolute allowance but not the relative tolerance
    allowed_absolute: float = 0.0  # that allowance: ABSOLUTE * max(1, |L|)
    non_finite: int = 0  # entries whose gradient or finite difference is NaN or infinite

    @property
    def passed(self) -> bool:
        return self.failures == 0

    @property
    def sampled(self) -> bool:
        return self.checked < self.size


class Probe:
    """The forward pass at the starting parameters, kept, and the loss with one entry moved."""

    def __init__(self, network: Network, X: np.ndarray, y: np.ndarray):
        self.network, self.y = network, y
        self.inputs, self.zs, self.outputs = [], [], []
        a = X
        for layer in network.layers:
            self.inputs.append(a)
            z = np.dot(a, layer.weights) + layer.biases
            a = layer.forward(z)
            self.zs.append(z)
            self.outputs.append(a)
        self.loss = network.loss.value(y, a, self.zs[-1])

    def place(self, key: str) -> tuple[int, bool]:
        """The layer of parameter `key` and whether it is the layer's biases."""
        for index, layer in enumerate(self.network.layers):
            if key in (layer.names.weights.key, layer.names.biases.key):
                return index, key == layer.names.biases.key
        raise KeyError(key)

    def moved(self, index: int, bias: bool, entry: tuple[int, ...], offset: float) -> tuple[float, list]:
        """The loss with entry `entry` of layer `index`'s weights (or biases) moved by `offset`, less
        that of the samples it leaves alone, and the inputs z of the kinked units it moved (to find
        the kinks it crosses). A weight moves only the samples whose input to it is not 0 (most of
        an image's pixels are): only those are computed, and the difference of two such losses is
        the difference of the whole losses."""
        layers = self.network.layers
        layer = layers[index]
        shared = bias and layer.shared_bias
        rows = slice(None)
        source = 1.0
        if not bias:
            source = self.inputs[index][:, entry[0]]
            reached = np.flatnonzero(source)
            if not len(reached):  # an input that is 0 for every sample: the weight moves nothing
                return 0.0, []
            if len(reached) < len(source) // 2:
                rows, source = reached, source[reached]
        neuron = entry[-1]
        moved_z = []
        if shared or layer.activation.output_only or index == len(layers) - 1:
            z = self.zs[index][rows].copy() if isinstance(rows, slice) else self.zs[index][rows]
            if shared:  # one bias for the layer: every neuron's moves
                z += offset
            else:
                z[:, neuron] += offset * source
            a = layer.forward(z)
            if layer.activation.kinked:
                moved_z.append(z)
        else:  # an element-wise activation: one column moves, and each next layer's input by its row
            column = self.zs[index][rows, neuron] + offset * source
            change = layer.forward(column) - self.outputs[index][rows, neuron]
            if layer.activation.kinked:
                moved_z.append(column)
            index += 1
            layer = layers[index]
            z = self.zs[index][rows] + np.outer(change, layer.weights[neuron])
            a = layer.forward(z)
            if layer.activation.kinked:
                moved_z.append(z)
        for layer in layers[index + 1 :]:
            z = np.dot(a, layer.weights) + layer.biases
            a = layer.forward(z)
            if layer.activation.kinked:
                moved_z.append(z)
        loss = self.network.loss
        value = loss.value(self.y[rows], a, z)
        if loss.averaged and not isinstance(rows, slice):  # a mean over the samples reached: as a part of the whole
            value *= len(rows) / len(self.y)
        return value, moved_z

    def difference(self, key: str, entry: tuple[int, ...], step: float = STEP) -> tuple[float, bool]:
        """The entry's central difference, and whether a kinked unit's input crosses 0 within 2h."""
        index, bias = self.place(key)
        near = self.moved(index, bias, entry, step)[0] - self.moved(index, bias, entry, -step)[0]
        far_up, up_z = self.moved(index, bias, entry, 2 * step)
        far_down, down_z = self.moved(index, bias, entry, -2 * step)
        at_kink = any(not np.array_equal(up > 0, down > 0) for up, down in zip(up_z, down_z))
        return (8 * near - (far_up - far_down)) / (12 * step), at_kink


def central_difference(network: Network, key: str, X: np.ndarray, y: np.ndarray, step: float = STEP) -> np.ndarray:
    """Every entry's central difference for parameter `key`."""
    probe = Probe(network, X, y)
    shape = network.parameters()[key].shape
    numeric = np.zeros(shape)
    for entry in np.ndindex(shape):
        numeric[entry] = probe.difference(key, entry, step)[0]
    return numeric


def relative_error(analytic: np.ndarray, numeric: np.ndarray) -> np.ndarray:
    # Entries where both gradients are ~0 are compared absolutely, not divided by ~0.
    scale = np.maximum(np.maximum(np.abs(analytic), np.abs(numeric)), 1e-8)
    return np.abs(analytic - numeric) / scale


def sampled_entries(shapes: dict[str, tuple[int, ...]], entries: int | None, seed: int = SEED) -> dict[str, list]:
    """The entries to check of each parameter: all of them, or (with `entries` below the total) a
    seeded random sample of that many, shared among the parameters in proportion to their sizes
    (largest remainders first), at least one each."""
    sizes = {key: int(np.prod(shape)) for key, shape in shapes.items()}
    total = sum(sizes.values())
    if entries is None or entries >= total:
        return {key: list(np.ndindex(shape)) for key, shape in shapes.items()}
    quotas = {key: entries * size / total for key, size in sizes.items()}
    counts = {key: max(1, int(quota)) for key, quota in quotas.items()}
    for key in sorted(quotas, key=lambda key: quotas[key] - int(quotas[key]), reverse=True):
        if sum(counts.values()) >= entries:
            break
        counts[key] = min(sizes[key], counts[key] + 1)
    rng = np.random.RandomState(seed)
    return {
        key: [
            np.unravel_index(flat, shapes[key]) for flat in sorted(rng.choice(sizes[key], counts[key], replace=False))
        ]
        for key in shapes
    }


def check_gradients(
    network: Network,
    X: np.ndarray,
    y: np.ndarray,
    tolerance: float = TOLERANCE,
    step: float = STEP,
    entries: int | None = None,
    progress: Callable[[int], None] | None = None,
    seed: int = SEED,
) -> list[ParameterCheck]:
    """Every parameter matrix checked, or with `entries` a seeded random sample of that many
    entries; `progress` is told how many entries are done as it goes."""
    with np.errstate(over="ignore", invalid="ignore"):  # a start that overflows is reported before this
        return _checks(network, X, y, tolerance, step, entries, progress, seed)


def entries_to_check(network: Network, entries: int | None, seed: int = SEED) -> dict[str, list]:
    """What check_gradients will compare, by parameter: for a progress bar's total."""
    return sampled_entries({key: value.shape for key, value in network.parameters().items()}, entries, seed)


def _checks(network, X, y, tolerance, step, entries, progress, seed) -> list[ParameterCheck]:
    analytic = network.gradients(X, y)
    probe = Probe(network, X, y)
    allowed_absolute = ABSOLUTE * max(1.0, abs(probe.loss))
    chosen = entries_to_check(network, entries, seed)
    checks, done = [], 0
    for key, gradient in analytic.items():
        numeric, given = [], []
        undefined = 0
        for entry in chosen[key]:
            value, at_kink = probe.difference(key, entry, step)
            done += 1
            if progress is not None:
                progress(done)
            if at_kink:
                undefined += 1
                continue
            numeric.append(value)
            given.append(gradient[entry])
        numeric, given = np.array(numeric), np.array(given)
        difference = np.abs(given - numeric)
        relative_allowance = tolerance * np.maximum(np.abs(given), np.abs(numeric))
        finite = np.isfinite(given) & np.isfinite(numeric)
        within = (difference <= relative_allowance + allowed_absolute) & finite  # inf <= inf is no pass
        with np.errstate(invalid="ignore"):  # a difference that is not finite shows as nan
            largest_relative = relative_error(given, numeric).max(initial=0.0)
        checks.append(
            ParameterCheck(
                key=key,
                shape=gradient.shape,
                largest_relative_error=float(largest_relative),
                largest_absolute_error=float(difference.max(initial=0.0)),
                tolerance=tolerance,
                failures=int((~within).sum()),
                undefined=undefined,
                checked=len(chosen[key]),
                size=gradient.size,
                absolute_only=int((within & (difference > relative_allowance)).sum()),
                allowed_absolute=allowed_absolute,
                non_finite=int((~finite).sum()),
            )
        )
    return checks
