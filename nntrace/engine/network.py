"""Forward and backward passes of a small dense network, with every quantity recorded.

Pure numpy, float64, in the row layout (samples are rows, H_in = X . W_h + b_h).
One pass computes, in the paper's order: each layer's input and activation, the
output error E = -dL/dO, every layer's slope, the output delta, each hidden
layer's error and delta, and the products the updates add:
    W <- W + eta * (A_prev^T . delta),    b <- b + eta * (column sums of delta).
Epoch N is the pass made with the parameters left by epoch N-1.
"""

from __future__ import annotations

import functools
import math
from typing import Callable, Container

import numpy as np

from nntrace.common.records import record
from nntrace.engine.lean import LeanPasses
from nntrace.model.activations import Activation, activation
from nntrace.model.initialisers import DRAWS
from nntrace.model.losses import Loss, loss_for
from nntrace.model.optimizers import PLAIN_SGD, Optimizer, Updates
from nntrace.notation import numbers
from nntrace.notation.names import INPUTS, TARGETS, Convention, LayerNames, Name, layer_names
from nntrace.spec.validate import Spec

_add, _multiply = np.add, np.multiply  # looked up once: a pass calls them for every layer
PREDICT_ROWS = 16_384  # samples a forward pass takes at once in predict()


@record(eq=False, frozen=False)  # holds arrays, which have no one truth value: compared by identity
class Layer:
    """One layer's parameters and activation; the weights and biases are updated in place."""

    names: LayerNames
    activation: Activation
    weights: np.ndarray  # n_in x n_out
    biases: np.ndarray  # 1 x n_out
    train_biases: bool
    shared_bias: bool = False  # one bias for the layer: its gradient sums over samples and neurons
    # The weights over the biases, (n_in + 1) x n_out, when the two are views of it (build_network):
    # the untraced loop then scales and adds both steps in one call each.
    stacked: np.ndarray | None = None

    def __post_init__(self):
        # Bound once: the untraced training loop calls these every epoch.
        self.forward = self.activation.forward
        self.slope = self.activation.slope

    @property
    def size(self) -> int:
        return self.weights.shape[1]


@record(eq=False, frozen=False)  # holds arrays, which have no one truth value: compared by identity
class Record:
    """Everything one pass computed, by the quantities' keys."""

    epoch: int
    batch: int
    n_batches: int
    samples: np.ndarray  # 0-based indices of the batch's samples, in the order used
    loss: float | None
    params_before: dict[str, np.ndarray]
    quantities: dict[str, np.ndarray]
    params_after: dict[str, np.ndarray]
    optimizer: UpdateRecord | None = None  # an optimiser other than plain gradient descent at work
    updated: bool = False  # whether the pass moved the parameters (params_after differ from before)

    def first_non_finite(self) -> str | None:
        """The first quantity of the pass, or value of its optimiser's update, that is NaN or infinite."""
        broken = first_non_finite(self.quantities)
        if broken is None and self.optimizer is not None:
            for key, states in self.optimizer.after.items():
                named = {f"the optimiser's {name} of {key}": value for name, value in states.items()}
                broken = broken or first_non_finite(named)
            for key, lines in self.optimizer.lines.items():
                broken = broken or first_non_finite({f"a line of the update of {key}": line for line in lines})
        return broken


@record(eq=False, frozen=False)  # holds arrays, which have no one truth value: compared by identity
class UpdateRecord:
    """An optimiser's update of one pass: its number t, each parameter's state before and after, and
    the value of each of the optimiser's lines for each parameter (biases flat, as in params)."""

    t: int
    before: dict[str, dict[str, np.ndarray]]
    after: dict[str, dict[str, np.ndarray]]
    lines: dict[str, list[np.ndarray]]


@record(frozen=False)
class Divergence:
    """Where a run stopped because a number became infinite or NaN."""

    epoch: int
    quantity: str
    during_update: bool  # True: a parameter went non-finite in this epoch's update


@record(eq=False, frozen=False)  # holds arrays, which have no one truth value: compared by identity
class Training:
    """What a run gives: the loss of every epoch, the records kept, and how it ended."""

    losses: np.ndarray  # one loss per completed epoch
    records: list[Record]
    divergence: Divergence | None = None
    interrupted: bool = False  # stopped at an epoch boundary on request (Ctrl-C)

    @property
    def epochs_done(self) -> int:
        return len(self.losses)


class Network:
    def __init__(
        self,
        layers: list[Layer],
        loss: Loss,
        learning_rate: float | None,
        rounding: int | None = None,
        optimizer: Optimizer = PLAIN_SGD,
        output_first: bool = False,
    ):
        self.layers = layers
        self.loss = loss
        self.learning_rate = learning_rate
        self.rounding = rounding  # decimals every intermediate is rounded to, as by hand
        self.optimizer = optimizer
        self.updates = Updates(optimizer, learning_rate) if not optimizer.plain else None
        self.output_first = output_first  # update_order: output_first
        self.convention = Convention.DESCENT  # how the names write what the engine computes (delta:)
        # Sees every quantity a pass computes, by key, and may replace it (check.py judges claims
        # this way); it replaces the hand rounding.
        self.tap: Callable[[str, np.ndarray], np.ndarray] | None = None

    @property
    def lean(self) -> bool:
        """Whether the untraced loop of lean.py computes what run_pass does: always, but where each
        quantity is rounded by hand or seen by a tap as it is made, or for an optimiser whose
        lines have no update_into."""
        return (
            self.rounding is None
            and self.tap is None
            and (self.updates is None or self.optimizer.updates_in_place)
        )

    def signs(self) -> dict[str, float]:
        """The keys whose arrays the names write with the other sign (spec delta: dL/dz), with that sign."""
        names = (name for layer in self.layers for name in layer.names if hasattr(name, "sign"))
        return {name.key: name.sign for name in names if name.sign != 1.0}

    def parameters(self) -> dict[str, np.ndarray]:
        """Copies of all parameters by key, weights then biases, layer by layer."""
        params = {}
        for layer in self.layers:
            params[layer.names.weights.key] = layer.weights.copy()
            params[layer.names.biases.key] = layer.biases.ravel().copy()
        return params

    def set_parameter(self, key: str, value: np.ndarray) -> None:
        for layer in self.layers:
            if key == layer.names.weights.key:
                layer.weights[...] = value
                return
            if key == layer.names.biases.key:
                layer.biases[...] = np.reshape(value, layer.biases.shape)
                return
        raise KeyError(key)

    def input_name(self, index: int) -> Name:
        """What enters layer `index`: X, or the output of the layer before."""
        return self.layers[index - 1].names.a if index else INPUTS

    def _output(self, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The output layer's input and output."""
        a = z = X
        for layer in self.layers:
            z = np.dot(a, layer.weights) + layer.biases
            a = layer.forward(z)
        return z, a

    def kink_sides(self, X: np.ndarray) -> np.ndarray:
        """Which side of 0 every input of a kinked unit (relu, leaky_relu) lies on, for all samples."""
        sides, a = [], X
        for layer in self.layers:
            z = np.dot(a, layer.weights) + layer.biases
            if layer.activation.kinked:
                sides.append((z > 0).ravel())
            a = layer.forward(z)
        return np.concatenate(sides) if sides else np.zeros(0, dtype=bool)

    def predict(self, X: np.ndarray) -> np.ndarray:
        """The outputs for inputs X: for many samples, block by block, so that the forward pass's
        intermediate arrays are a block's, not copies of the whole data."""
        if len(X) <= PREDICT_ROWS:
            return self._output(X)[1]
        outputs = np.empty((len(X), self.layers[-1].size))
        for at in range(0, len(X), PREDICT_ROWS):
            outputs[at : at + PREDICT_ROWS] = self._output(X[at : at + PREDICT_ROWS])[1]
        return outputs

    def loss_value(self, X: np.ndarray, y: np.ndarray) -> float:
        return self.evaluate(X, y)[1]

    def evaluate(self, X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
        """The outputs and the loss for inputs X and targets y, from one forward pass."""
        z, a = self._output(X)
        return a, self.loss.value(y, a, z)

    def gradients(self, X: np.ndarray, y: np.ndarray) -> dict[str, np.ndarray]:
        """dL/dtheta for every parameter at the current parameters."""
        _, weight_steps, bias_steps, _, _ = self.run_pass(X, y, record=False, update=False)
        grads = {}
        for layer, dW, db in zip(self.layers, weight_steps, bias_steps):
            grads[layer.names.weights.key] = -dW
            grads[layer.names.biases.key] = -db.ravel()
        return grads

    def run_pass(self, X: np.ndarray, y: np.ndarray | None, record: bool, update: bool):
        """One forward and (with targets) backward pass, and with `update` the update (unless the
        loss is not finite: train() reports that).

        Returns (loss, weight steps, bias steps, quantities, optimiser update): the steps are -dL/dW
        and -dL/db per layer (computed for fixed biases too; they are not applied); the quantities,
        by key, and an optimiser's UpdateRecord only when `record`.
        """
        keep = self.tap or (self._round if self.rounding is not None else _unchanged)
        quantities: dict = {}
        layers = self.layers
        layer_inputs, zs, outputs = [], [], []
        a = z = X
        for layer in layers:
            layer_inputs.append(a)
            # ndarray.dot is np.dot (the same BLAS call) with less dispatch; the biases are added in place
            z = a.dot(layer.weights)
            _add(z, layer.biases, z)
            z = keep(layer.names.z.key, z)
            a = keep(layer.names.a.key, layer.forward(z))
            zs.append(z)
            outputs.append(a)
            if record:
                quantities[layer.names.z.key] = z
                quantities[layer.names.a.key] = a
        if y is None:
            return None, None, None, quantities, None
        loss, error = self.loss.value_and_error(y, a, z)
        update = update and math.isfinite(loss)
        optimizing = update and self.updates is not None
        rate = np.array(self.learning_rate) if update and not optimizing else None
        lines: dict[str, list[np.ndarray]] | None = {} if record else None
        if optimizing:
            state_before = self.updates.snapshot() if record else None
            self.updates.begin()

        last = len(layers) - 1
        cancels = self.loss.slope_cancels
        names = [layer.names for layer in layers]
        error = keep(names[last].error.key, error)
        slopes = [
            None if i == last and cancels else keep(names[i].slope.key, layers[i].slope(zs[i], outputs[i]))
            for i in range(last + 1)
        ]
        errors = [None] * last + [error]
        deltas = [None] * last + [error if cancels else keep(names[last].delta.key, error * slopes[last])]
        weight_steps, bias_steps = [None] * (last + 1), [None] * (last + 1)
        for i in range(last, -1, -1):
            if i < last:
                # With output_first, layer i + 1 is updated already: its new weights carry the error.
                errors[i] = keep(names[i].error.key, deltas[i + 1].dot(layers[i + 1].weights.T))
                deltas[i] = keep(names[i].delta.key, errors[i] * slopes[i])
            weight_steps[i] = keep(names[i].weight_gradient.key, layer_inputs[i].T.dot(deltas[i]))
            bias_steps[i] = keep(names[i].bias_gradient.key, self._bias_step(layers[i], deltas[i]))
            if update and self.output_first:
                self._update(layers[i], weight_steps[i], bias_steps[i], keep, lines, rate)
        if update and not self.output_first:
            for i in range(last, -1, -1):
                self._update(layers[i], weight_steps[i], bias_steps[i], keep, lines, rate)
        optimized = None
        if record:
            self._record_backward(quantities, errors, slopes, deltas, weight_steps, bias_steps)
            if optimizing:
                optimized = self._update_record(state_before, lines)
        return loss, weight_steps, bias_steps, quantities, optimized

    @staticmethod
    def _bias_step(layer: Layer, delta: np.ndarray) -> np.ndarray:
        """-dL/db: summed over the samples; for a shared bias over the neurons too (each entry the
        total, delta's sum, which the untraced loop takes the same way)."""
        if layer.shared_bias:
            return np.full((1, delta.shape[1]), delta.sum())
        return column_sums(delta)

    def _update(self, layer: Layer, weight_step: np.ndarray, bias_step: np.ndarray, keep, lines, rate) -> None:
        """Move one layer's parameters: theta <- theta + eta . step (`rate`: eta as a 0-d array, which
        numpy takes by a quicker path than a Python float, to the same product), or by the optimiser."""
        if self.updates is None:
            _add(layer.weights, _multiply(rate, weight_step), layer.weights)
            if layer.train_biases:
                _add(layer.biases, _multiply(rate, bias_step), layer.biases)
            return
        parameters = [(layer.names.weights.key, layer.weights, weight_step)]
        if layer.train_biases:
            parameters.append((layer.names.biases.key, layer.biases, bias_step))
        for key, theta, step in parameters:
            values = self.updates.update(key, theta, -step, functools.partial(keep, f"{key}:update"))
            if lines is not None:
                lines[key] = values

    def _update_record(self, state_before: dict, lines: dict) -> UpdateRecord:
        biases = {layer.names.biases.key for layer in self.layers}

        def flat(key: str, value: np.ndarray) -> np.ndarray:  # a bias flat, as in params
            return value.ravel() if key in biases else value

        def states(snapshot: dict) -> dict:
            return {key: {name: flat(key, value) for name, value in state.items()} for key, state in snapshot.items()}

        return UpdateRecord(
            self.updates.t,
            states(state_before),
            states(self.updates.snapshot()),
            {key: [flat(key, value) for value in values] for key, values in lines.items()},
        )

    def error_weights(self, record: Record) -> dict[str, np.ndarray]:
        """The weights each hidden error came back through: as this pass updated them under
        output_first, else as the pass started."""
        return record.params_after if self.output_first and record.updated else record.params_before

    def _record_backward(self, quantities, errors, slopes, deltas, weight_steps, bias_steps) -> None:
        """Add the backward quantities in the order the steps present them."""
        layers, last = self.layers, len(self.layers) - 1
        quantities[layers[last].names.error.key] = errors[last]
        for i in range(last, -1, -1):
            if slopes[i] is not None:
                quantities[layers[i].names.slope.key] = slopes[i]
        quantities[layers[last].names.delta.key] = deltas[last]
        for i in range(last - 1, -1, -1):
            quantities[layers[i].names.error.key] = errors[i]
            quantities[layers[i].names.delta.key] = deltas[i]
        for i in range(last, -1, -1):
            quantities[layers[i].names.weight_gradient.key] = weight_steps[i]
        for i in range(last, -1, -1):
            quantities[layers[i].names.bias_gradient.key] = bias_steps[i]

    def record_pass(
        self,
        X: np.ndarray,
        y: np.ndarray | None,
        epoch: int = 0,
        batch: int = 1,
        n_batches: int = 1,
        samples: np.ndarray | None = None,
        update: bool = True,
    ) -> Record:
        before = self.parameters()
        # Overflow is reported by name (first_non_finite), not warned about.
        with np.errstate(over="ignore", invalid="ignore"):
            loss, _, _, quantities, optimized = self.run_pass(X, y, record=True, update=update)
        quantities = {INPUTS.key: X, **({TARGETS.key: y} if y is not None else {}), **quantities}
        return Record(
            epoch=epoch,
            batch=batch,
            n_batches=n_batches,
            samples=np.arange(len(X)) if samples is None else samples,
            loss=loss,
            params_before=before,
            quantities=_flatten_biases(quantities, self.layers),
            params_after=self.parameters(),
            optimizer=optimized,
            updated=update and y is not None and math.isfinite(loss),
        )

    def record_forward(self, X: np.ndarray) -> Record:
        """The forward pass alone, at the current parameters, recorded as epoch 0."""
        return self.record_pass(X, None, epoch=0, update=False)

    def _round(self, key: str, value: np.ndarray) -> np.ndarray:
        return hand_round(value, self.rounding)

    def first_non_finite_parameter(self) -> str | None:
        """The key of the first parameter, weights then biases layer by layer, holding a NaN or an
        infinity (read where they are, not copied)."""
        return first_non_finite(
            {key: value for layer in self.layers
             for key, value in ((layer.names.weights.key, layer.weights), (layer.names.biases.key, layer.biases))}
        )  # fmt: skip


def initial_parameters(spec: Spec) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Weights (n_in x n_out) and biases (n_out,) of every layer, as float64 copies."""
    rng = np.random.RandomState(spec.init.seed) if spec.init else None
    weights, biases = [], []
    n_in = spec.inputs.shape[1]
    for layer in spec.layers:
        if rng is not None:
            draw_weights, draw_biases = DRAWS[spec.init.method](rng, n_in, layer.size)
        weights.append(layer.weights.copy() if layer.weights is not None else draw_weights())
        biases.append(layer.biases.copy() if layer.biases is not None else draw_biases())
        n_in = layer.size
    return weights, biases


def build_network(spec: Spec, rounding: int | None = None) -> Network:
    weights, biases = initial_parameters(spec)
    activations = [activation(layer_spec.activation, layer_spec.alpha) for layer_spec in spec.layers]
    loss = loss_for(spec.loss, activations[-1], spec.reduction)
    last = len(spec.layers) - 1
    layers = []
    for position, (layer_spec, act, W, b) in enumerate(zip(spec.layers, activations, weights, biases)):
        if spec.shared_biases:
            b = np.full_like(b, b[0])  # drawn biases differ: the layer's one bias is its first
        stacked = np.vstack([W, np.reshape(b, (1, -1))])
        names = layer_names(layer_spec.name, act.symbol, spec.delta, position == last, loss.slope_cancels)
        layers.append(
            Layer(
                names=names,
                activation=act,
                weights=stacked[:-1],
                biases=stacked[-1:],
                train_biases=layer_spec.train_biases,
                shared_bias=spec.shared_biases,
                stacked=stacked,
            )
        )
    network = Network(layers, loss, spec.learning_rate, rounding, spec.optimizer, spec.update_order == "output_first")
    network.convention = spec.delta
    return network


def batches(X: np.ndarray, y: np.ndarray, batch_size: int | None, order: np.ndarray | None = None) -> list[tuple]:
    """(sample indices, inputs, targets) of each batch of an epoch: in `order`, slices of the samples
    gathered once in that order (two gathers an epoch instead of two a batch); without an order,
    slices of the samples themselves, which are then held once."""
    samples = range(len(X)) if order is None else order  # a range: no index array the size of the data
    size = batch_size or len(samples)
    if order is not None:
        X, y = X[order], y[order]
    return [(samples[at : at + size], X[at : at + size], y[at : at + size]) for at in range(0, len(samples), size)]


class BatchOrder:
    """The batches of successive epochs: the same every epoch, or reshuffled by a seeded generator."""

    def __init__(self, X: np.ndarray, y: np.ndarray, batch_size: int | None, shuffle: int | None):
        self.X, self.y, self.batch_size = X, y, batch_size
        self.rng = np.random.RandomState(shuffle) if shuffle is not None else None
        # Without shuffling the batches are the same every epoch: cut them once.
        self.fixed = None if self.rng is not None else batches(X, y, batch_size)

    def next_epoch(self) -> list[tuple]:
        return self.fixed or batches(self.X, self.y, self.batch_size, self.rng.permutation(len(self.X)))


def train(
    network: Network,
    X: np.ndarray,
    y: np.ndarray,
    epochs: int,
    *,
    batch_size: int | None = None,
    shuffle: int | None = None,
    traced: Container[int] = (),
    traced_batches: Container[int] | None = None,
    on_record: Callable[[Record], None] | None = None,
    progress: Callable[[int], None] | None = None,
    progress_every: int = 1,
    stop_requested: Callable[[], bool] | None = None,
) -> Training:
    """Train for `epochs` epochs, recording the epochs in `traced` (1-based): of each, the
    batches in `traced_batches` (None: every batch).

    Records go to `on_record` as they are made when given (so a long run keeps
    none in memory), else into the result. Stops at the first epoch whose loss or
    parameters (or, in a traced epoch, any quantity) are not finite, and before an
    epoch when `stop_requested()` says so.
    """
    records: list[Record] = []
    keep_record = on_record or records.append
    losses = np.empty(epochs, dtype=np.float64)
    n = len(X)
    order = BatchOrder(X, y, batch_size, shuffle)
    averaged = network.loss.averaged
    # The lean loop serves every optimiser, update order and bias sharing; hand rounding and a tap
    # take run_pass, unrecorded.
    lean = LeanPasses(network) if network.lean else None
    divergence = None
    interrupted = False
    done = 0
    # A diverging run overflows to inf and NaN: it is stopped and reported, not warned about.
    with np.errstate(over="ignore", invalid="ignore"):
        for epoch in range(1, epochs + 1):
            if stop_requested is not None and stop_requested():
                interrupted = True
                break
            epoch_parts = order.next_epoch()
            loss = 0.0
            tracing = epoch in traced  # asked once an epoch: an EpochSelection answers in Python
            for number, (samples, Xb, yb) in enumerate(epoch_parts, start=1):
                if tracing and (traced_batches is None or number in traced_batches):
                    record = network.record_pass(Xb, yb, epoch, number, len(epoch_parts), np.asarray(samples))
                    keep_record(record)
                    batch_loss = record.loss
                    broken = record.first_non_finite()
                    if broken is not None and math.isfinite(batch_loss):
                        divergence = Divergence(epoch, broken, during_update=False)
                        break
                elif lean is not None:
                    batch_loss = lean.run(Xb, yb)
                else:
                    batch_loss = network.run_pass(Xb, yb, record=False, update=True)[0]
                if not math.isfinite(batch_loss):
                    divergence = _diagnose(network, Xb, yb, epoch)
                    break
                loss += batch_loss * len(samples) / n if averaged else batch_loss
            if divergence:
                break
            if not math.isfinite(loss):  # every batch's loss is finite, their sum is not
                divergence = Divergence(epoch, "the epoch's loss (the sum of its batches' losses)", False)
                break
            losses[done] = loss
            done += 1
            if progress is not None and epoch % progress_every == 0:
                progress(epoch)
            # A shuffled epoch's gathered samples (and the last batch's views of them) go before the
            # next epoch gathers its own: the data is held twice at most, never three times.
            epoch_parts = samples = Xb = yb = None
        broken = network.first_non_finite_parameter() if divergence is None and done else None
        if broken is not None:
            divergence = Divergence(done, broken, during_update=True)
    return Training(losses=losses[:done], records=records, divergence=divergence, interrupted=interrupted)


def _diagnose(network: Network, X: np.ndarray, y: np.ndarray, epoch: int) -> Divergence:
    """Name what went non-finite: a parameter (broken by the previous update) or a quantity of this pass."""
    bad_parameter = network.first_non_finite_parameter()
    if bad_parameter is not None:
        return Divergence(epoch - 1, bad_parameter, during_update=True)
    quantities = network.run_pass(X, y, record=True, update=False)[3]
    return Divergence(epoch, first_non_finite(quantities) or "loss", during_update=False)


def column_sums(values: np.ndarray) -> np.ndarray:
    """The sum over the samples (rows), 1 x n: a row of ones times `values`, one BLAS call, which
    the untraced loop makes into a buffer (lean.py) at a third of the cost of a numpy reduction."""
    return _ones(len(values)).dot(values)


@functools.lru_cache(maxsize=16)
def _ones(count: int) -> np.ndarray:
    """A row of `count` ones, made once per batch size (read-only: every pass shares it)."""
    ones = np.ones((1, count))
    ones.flags.writeable = False
    return ones


def _unchanged(key: str, value: np.ndarray) -> np.ndarray:
    return value


def first_non_finite(quantities: dict[str, np.ndarray]) -> str | None:
    """The key of the first quantity holding a NaN or an infinity, if any: all are tested at once
    (a pass records some twenty small arrays, and a test of each costs a microsecond or more), and
    one by one only where that finds one, to name the first."""
    if not quantities or _all_finite(quantities.values()):
        return None
    for key, value in quantities.items():
        if not np.isfinite(value).all():
            return key
    return None


CONCATENATED = 65_536  # entries in all: up to this many, tested flattened together


def _all_finite(arrays) -> bool:
    """Whether every entry of `arrays` is surely finite (False sends first_non_finite to test each
    array). Many small arrays: one test of them all, flattened together (counting the finite
    entries costs half what ndarray.all, a Python method, does). Large ones (a pass over a million
    samples): each array's sum, without copying them: it is finite only if every entry is (a NaN or
    an infinity carries through it); one that overflows is tested entry by entry there."""
    arrays = list(arrays)
    if sum(np.size(array) for array in arrays) <= CONCATENATED:  # (some are Python floats)
        flat = np.concatenate(arrays, axis=None)
        return np.count_nonzero(np.isfinite(flat)) == flat.size
    with np.errstate(over="ignore", invalid="ignore"):  # (an overflowing sum is no news)
        return all(np.isfinite(array.sum()) for array in arrays)


def hand_round(values: np.ndarray, decimals: int) -> np.ndarray:
    """`values` rounded as a person rounds: on the decimal value, halves away from zero (see
    notation.numbers). np.round rounds the binary value half to even, giving 0.0625 -> 0.062 and
    0.35 x 0.1 -> 0.03; by hand they are 0.063 and 0.04."""
    return numbers.hand_round(values, decimals)


def _flatten_biases(quantities: dict[str, np.ndarray], layers: list[Layer]) -> dict[str, np.ndarray]:
    flat = {layer.names.bias_gradient.key for layer in layers}
    return {key: value.ravel() if key in flat else value for key, value in quantities.items()}
