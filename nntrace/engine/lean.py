"""The untraced pass: Network.run_pass and apply's arithmetic, operation for operation, into
buffers allocated once per batch size.

A long run spends its time here, so nothing is recorded and no array is allocated per epoch
(allocating and freeing the larger batches' arrays also made glibc return memory to the system
and fault it back in every epoch). The results are bit-identical to the traced pass: the same
numpy operations on the same operands in the same order; only where they write changes.
Hand rounding (--round) takes the traced path, which rounds each quantity.
"""

from __future__ import annotations

import math

import numpy as np


class LeanLayer:
    """One layer's buffers for a batch of `rows` samples, and the bound operations that fill them."""

    def __init__(self, layer, rows: int):
        n_in, n_out = layer.weights.shape
        self.weights, self.biases = layer.weights, layer.biases  # updated in place, so these stay true
        self.weights_T = layer.weights.T
        self.train_biases = layer.train_biases
        self.forward_into = layer.activation.forward_into
        self.slope_into = layer.activation.slope_into
        self.z = np.empty((rows, n_out))
        self.a = np.empty((rows, n_out))
        self.a_T = self.a.T  # a view: follows the buffer's contents
        self.slope = np.empty((rows, n_out))
        self.delta = np.empty((rows, n_out))
        self.error = np.empty((rows, n_out))
        self.ones = np.ones((1, rows))  # engine.column_sums: ones . delta
        # (step, parameters) pairs scaled by eta and added: one pair for weights and biases stacked
        # in one array, as build_network makes them; element by element, the same numbers either way.
        stacked = layer.stacked
        if stacked is not None and self.train_biases and layer.weights.base is stacked is layer.biases.base:
            step = np.empty(stacked.shape)
            self.weight_step, self.bias_step = step[:-1], step[-1:]
            self.updates = [(step, stacked)]
        else:
            self.weight_step, self.bias_step = np.empty((n_in, n_out)), np.empty((1, n_out))
            self.updates = [(self.weight_step, self.weights)]
            if self.train_biases:
                self.updates.append((self.bias_step, self.biases))


class LeanPass:
    """Forward, loss, backward and update of one batch size, in place.

    ndarray.dot(b, out) is np.dot(a, b, out) (the same BLAS call) with less dispatch, and a
    0-d array stands for a Python float, which numpy takes by a slower path: at the paper's
    sizes a call costs about half a microsecond, so the number of calls is the speed.
    """

    def __init__(self, network, rows: int):
        self.loss = network.loss
        self.layers = [LeanLayer(layer, rows) for layer in network.layers]
        self.reversed = self.layers[::-1]
        self.scratch = np.empty_like(self.layers[-1].a)
        self.rate = np.array(network.learning_rate)
        if self.loss.slope_cancels:  # the output delta is E itself: one buffer, no copy
            self.layers[-1].delta = self.layers[-1].error

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
        if not loss_fn.slope_cancels:
            last.slope_into(last.z, a, last.slope)
            multiply(last.error, last.slope, last.delta)
        above = last
        for below in self.reversed[1:]:
            above.delta.dot(above.weights_T, below.error)
            below.slope_into(below.z, below.a, below.slope)
            multiply(below.error, below.slope, below.delta)
            above = below
        rate = self.rate
        inputs_T = X.T
        # Every delta is known before a parameter moves, so updating layer by layer is the
        # simultaneous update of Network.apply: theta <- theta + eta * step, each product taken
        # into its step's buffer.
        for lean in self.layers:
            inputs_T.dot(lean.delta, lean.weight_step)
            if lean.train_biases:
                lean.ones.dot(lean.delta, lean.bias_step)  # engine.column_sums
            for step, parameters in lean.updates:
                multiply(rate, step, step)
                add(parameters, step, parameters)
            inputs_T = lean.a_T
        return loss


class LeanPasses:
    """A LeanPass for each batch size met (a run has at most two: the batch size and the rest)."""

    def __init__(self, network):
        self.network = network
        self.by_rows: dict[int, LeanPass] = {}

    def run(self, X: np.ndarray, y: np.ndarray) -> float:
        rows = len(X)
        lean = self.by_rows.get(rows)
        if lean is None:
            lean = self.by_rows[rows] = LeanPass(self.network, rows)
        return lean.run(X, y)
