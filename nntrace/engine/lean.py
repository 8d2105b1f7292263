"""The untraced pass: Network.run_pass and its updates, operation for operation, into buffers
allocated once per batch size.

A long run spends its time here, so nothing is recorded and no array is allocated per epoch
(allocating and freeing the larger batches' arrays also made glibc return memory to the system
and fault it back in every epoch). The results are bit-identical to the traced pass: the same
numpy operations on the same operands in the same order; only where they write changes. Every
optimiser (its `update_into`), both update orders and shared biases run here. Hand rounding
(--round) and check's tap take the traced path, which rounds or replaces each quantity as it is
made.
"""

from __future__ import annotations

import math

import numpy as np

_multiply, _add = np.multiply, np.add  # looked up once: the untraced loop calls them every batch


class LeanParameter:
    """An array the loop updates in one go (a layer's weights and biases stacked, or either alone),
    with its optimiser's state and scratch buffers: shared by the passes of every batch size and,
    through Updates.keep_state_in, with the traced pass, so traced and untraced epochs interleave."""

    def __init__(self, array: np.ndarray, parts: dict[str, slice], updates):
        self.array = array
        self.state: tuple[np.ndarray, ...] = ()
        self.scratch: tuple[np.ndarray, ...] = ()
        if updates is not None:
            names = updates.optimizer.states
            self.state = tuple(np.zeros(array.shape) for _ in names)
            for key, part in parts.items():
                updates.keep_state_in(key, {name: state[part] for name, state in zip(names, self.state)})
            self.scratch = (np.empty(array.shape), np.empty(array.shape))


def lean_parameters(layer, updates) -> list[LeanParameter]:
    """The arrays a layer's update moves: its stacked weights and biases when both are trained and
    views of one array (build_network makes them so), else the weights and the trained biases."""
    weights, biases = layer.names.weights.key, layer.names.biases.key
    stacked = layer.stacked
    if stacked is not None and layer.train_biases and layer.weights.base is stacked is layer.biases.base:
        return [LeanParameter(stacked, {weights: slice(None, -1), biases: slice(-1, None)}, updates)]
    whole = slice(None)
    parameters = [LeanParameter(layer.weights, {weights: whole}, updates)]
    if layer.train_biases:
        parameters.append(LeanParameter(layer.biases, {biases: whole}, updates))
    return parameters


class LeanLayer:
    """One layer's buffers for a batch of `rows` samples, and the bound operations that fill them."""

    def __init__(self, layer, rows: int, parameters: list[LeanParameter]):
        n_in, n_out = layer.weights.shape
        self.weights, self.biases = layer.weights, layer.biases  # updated in place, so these stay true
        self.weights_T = layer.weights.T
        self.train_biases = layer.train_biases
        self.shared_bias = layer.shared_bias
        self.forward_into = layer.activation.forward_into
        self.slope_into = layer.activation.slope_into
        self.z = np.empty((rows, n_out))
        self.a = np.empty((rows, n_out))
        self.a_T = self.a.T  # a view: follows the buffer's contents
        self.slope = np.empty((rows, n_out))
        self.delta = np.empty((rows, n_out))
        self.error = np.empty((rows, n_out))
        self.ones = np.ones((1, rows))  # engine.column_sums: ones . delta
        # (step, parameter) pairs: the step (-dL/dtheta) is taken into its buffer, then moves the
        # parameter; for weights and biases stacked in one array, one pair, so one call per operation.
        if len(parameters) == 1 and parameters[0].array is layer.stacked:
            step = np.empty(layer.stacked.shape)
            self.weight_step, self.bias_step = step[:-1], step[-1:]
            self.updates = [(step, parameters[0])]
        else:
            self.weight_step, self.bias_step = np.empty((n_in, n_out)), np.empty((1, n_out))
            self.updates = list(zip((self.weight_step, self.bias_step), parameters))


class LeanPass:
    """Forward, loss, backward and update of one batch size, in place.

    ndarray.dot(b, out) is np.dot(a, b, out) (the same BLAS call) with less dispatch, and a
    0-d array stands for a Python float, which numpy takes by a slower path: at the paper's
    sizes a call costs about half a microsecond, so the number of calls is the speed.
    """

    def __init__(self, network, rows: int, parameters: list[list[LeanParameter]]):
        self.loss = network.loss
        self.layers = [LeanLayer(layer, rows, mine) for layer, mine in zip(network.layers, parameters)]
        self.reversed = self.layers[::-1]
        self.scratch = np.empty_like(self.layers[-1].a)
        self.rate = np.array(network.learning_rate)
        self.updates = network.updates  # None: the paper's rule, theta <- theta + eta . step
        self.output_first = network.output_first
        if self.loss.slope_cancels:  # the output delta is E itself: one buffer, no copy
            self.layers[-1].delta = self.layers[-1].error
        # What enters each layer but the first (transposed), and for output_first each layer below
        # the output with the one above it and its input (None: the batch's X).
        self.inputs_T = [lean.a_T for lean in self.layers[:-1]]
        self.below_each = list(zip(self.reversed, self.reversed[1:], [*self.inputs_T[::-1][1:], None]))

    def run(self, X: np.ndarray, y: np.ndarray) -> float:
        """The batch's loss; the update is applied when it is finite (train() reports it when not)."""
        add, multiply = np.add, np.multiply
        a = X
        for lean in self.layers:
            a.dot(lean.weights, lean.z)
            add(lean.z, lean.biases, lean.z)
            lean.forward_into(lean.z, lean.a)
            a = lean.a
        last = self.layers[-1]
        loss_fn = self.loss
        loss = loss_fn.value_and_error_into(y, a, last.z, last.error, self.scratch)
        if not math.isfinite(loss):
            return loss
        if self.updates is not None:
            self.updates.begin()
        if not loss_fn.slope_cancels:
            last.slope_into(last.z, a, last.slope)
            multiply(last.error, last.slope, last.delta)
        if self.output_first:
            # Each layer moves as soon as its step is known; the error of the layer below comes back
            # through the weights just updated (Network.run_pass with output_first).
            self._move(last, self.inputs_T[-1] if len(self.layers) > 1 else X.T)
            for above, below, inputs_T in self.below_each:
                self._delta(above, below)
                self._move(below, X.T if inputs_T is None else inputs_T)
            return loss
        above = last
        for below in self.reversed[1:]:
            self._delta(above, below)
            above = below
        # Every delta is known before a parameter moves, so updating layer by layer is the
        # simultaneous update of Network.run_pass.
        inputs_T = X.T
        for lean in self.layers:
            self._move(lean, inputs_T)
            inputs_T = lean.a_T
        return loss

    @staticmethod
    def _delta(above: LeanLayer, below: LeanLayer) -> None:
        """The error and delta of `below` from the delta of the layer above it."""
        above.delta.dot(above.weights_T, below.error)
        below.slope_into(below.z, below.a, below.slope)
        np.multiply(below.error, below.slope, below.delta)

    def _move(self, lean: LeanLayer, inputs_T: np.ndarray) -> None:
        """Take the layer's steps (-dL/dW = A^T . delta, -dL/db its column sums) and update it."""
        delta = lean.delta
        inputs_T.dot(delta, lean.weight_step)
        if lean.shared_bias:  # one bias for the layer: delta's sum over the samples and neurons, in each entry
            if lean.train_biases:
                lean.bias_step.fill(delta.sum())
        elif lean.train_biases:
            lean.ones.dot(delta, lean.bias_step)  # engine.column_sums
        updates = self.updates
        if updates is None:
            rate = self.rate
            for step, parameter in lean.updates:
                array = parameter.array
                _multiply(rate, step, step)
                _add(array, step, array)
            return
        optimizer, eta, t = updates.optimizer, updates.learning_rate, updates.t
        for step, parameter in lean.updates:
            optimizer.update_into(parameter.array, step, parameter.state, parameter.scratch, eta, t)


class LeanPasses:
    """A LeanPass for each batch size met (a run has at most two: the batch size and the rest)."""

    def __init__(self, network):
        self.network = network
        self.by_rows: dict[int, LeanPass] = {}
        self.parameters = [lean_parameters(layer, network.updates) for layer in network.layers]

    def run(self, X: np.ndarray, y: np.ndarray) -> float:
        rows = len(X)
        lean = self.by_rows.get(rows)
        if lean is None:
            lean = self.by_rows[rows] = LeanPass(self.network, rows, self.parameters)
        return lean.run(X, y)
