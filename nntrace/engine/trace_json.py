"""The JSON trace (format nntrace-trace/2), written as the records are made.

Format 2 writes what is constant once: X and y are the spec's inputs and targets (a record
lists its samples), and a record's parameters before its update are written only where they
are not the previous record's parameters after it. `trace_file.read_trace` reads both formats
back into whole records; `trace.schema.json` describes the format.

Matrices are nested lists in the spec's layout, biases flat lists, numbers at
full float64 precision (the shortest text that reads back as the same float64); a
non-finite number, which only a diverged run can hold, is written as null. Writing
the numbers is most of the cost: CPython's float repr takes about half a microsecond a
number, so where orjson is installed (the optional extra nntrace[fast]) it writes the
same document about twenty times faster. A regular file is written
under a temporary name and renamed when complete, so a failed run never leaves half
a trace (files.Output).
"""

from __future__ import annotations

import json
from typing import IO, Callable

import numpy as np

from nntrace.common.files import Output
from nntrace.engine.network import Network, Record
from nntrace.notation.layout import Layout
from nntrace.spec.validate import Spec

FORMAT = "nntrace-trace/2"
BYTES_PER_NUMBER = 20  # a float64's shortest repr and its separator, about
QUANTITIES_PER_NEURON = 5  # its input, output, slope, error and delta, per sample
CONSTANTS = ("X", "y")  # the spec's inputs and targets, which records do not repeat


def oriented(value: np.ndarray, layout: Layout) -> list:
    """A matrix as nested lists in the spec's layout; a bias vector (1-D) as a flat list."""
    return _numbers(value if value.ndim == 1 else layout.orient(value))


def _numbers(value: np.ndarray) -> list:
    finite = np.isfinite(value)
    if finite.all():
        return value.tolist()
    objects = value.astype(object)
    objects[~finite] = None
    return objects.tolist()


def normalised_spec(spec: Spec, network: Network, initial: dict[str, np.ndarray], samples: bool = True) -> dict:
    """The spec with every default filled in and the starting parameters written out; without its
    inputs and targets unless `samples` (the .npz trace holds them as arrays)."""
    document = {
        "version": 1,
        **({"name": spec.name} if spec.name is not None else {}),
        **({"inputs": spec.inputs.tolist()} if samples else {}),
        **({"targets": spec.targets.tolist()} if samples and spec.targets is not None else {}),
        "loss": spec.loss,
        "reduction": spec.reduction,
        "optimizer": {"name": spec.optimizer.name, **spec.optimizer.settings},
        "update_order": spec.update_order,
        "bias_sharing": "per_layer" if spec.shared_biases else "per_neuron",
        **({"learning_rate": spec.learning_rate} if spec.learning_rate is not None else {}),
        "epochs": spec.epochs,
        "layout": spec.layout.name,
        **({"init": {"method": spec.init.method, "seed": spec.init.seed}} if spec.init else {}),
        "batch_size": "full" if spec.batch_size is None else spec.batch_size,
        "shuffle": False if spec.shuffle is None else spec.shuffle,
        "delta": spec.delta.value,
        "layers": [],
    }
    for layer_spec, layer in zip(spec.layers, network.layers):
        document["layers"].append(
            {
                "name": layer_spec.name,
                "size": layer_spec.size,
                "activation": layer_spec.activation,
                **({"alpha": layer_spec.alpha} if layer_spec.alpha is not None else {}),
                "weights": oriented(initial[layer.names.weights.key], spec.layout),
                "biases": oriented(initial[layer.names.biases.key], spec.layout),
                "train_biases": layer_spec.train_biases,
            }
        )
    return document


def estimated_size(spec: Spec, network: Network, epochs_recorded: int, bytes_per_number: int = BYTES_PER_NUMBER) -> int:
    """About how many bytes a trace recording `epochs_recorded` epochs takes (at `bytes_per_number`:
    the .npz trace's are 8)."""
    samples = len(spec.inputs)
    per_sample = QUANTITIES_PER_NEURON * sum(layer.size for layer in network.layers)
    parameters = sum(layer.weights.size + layer.biases.size for layer in network.layers)
    batches = -(-samples // (spec.batch_size or samples))
    # Each batch's record holds the parameters after its update and their two gradients.
    per_epoch = samples * per_sample + batches * 3 * parameters
    return bytes_per_number * (epochs_recorded * per_epoch + spec.epochs)


def layer_summaries(network: Network) -> list[dict]:
    return [
        {
            "name": layer.names.layer,
            "weights": layer.names.weights.key,
            "biases": layer.names.biases.key,
            "activation": layer.activation.name,
            "size": layer.size,
        }
        for layer in network.layers
    ]


def record_document(record: Record, network: Network, layout: Layout, previous_after: dict | None = None) -> dict:
    """A record as format 2 writes it: without X and y, and without the parameters before its
    update where they are `previous_after`, the parameters the previous record left."""

    def matrices(values: dict[str, np.ndarray], signs: dict[str, float] | None = None) -> dict:
        signs = signs or {}
        return {key: oriented(signs.get(key, 1.0) * value if key in signs else value, layout)
                for key, value in values.items() if key not in CONSTANTS}  # fmt: skip

    document = {
        "epoch": record.epoch,
        "batch": record.batch,
        "n_batches": record.n_batches,
        "samples": [int(i) + 1 for i in record.samples],
        "loss": record.loss if record.loss is None or np.isfinite(record.loss) else None,
    }
    if not same_parameters(record.params_before, previous_after):
        document["params_before"] = matrices(record.params_before)
    # Errors, deltas and gradients in the trace's sign convention (spec delta:), as the steps show them.
    document["quantities"] = matrices(record.quantities, network.signs())
    document["params_after"] = matrices(record.params_after)
    if record.optimizer is not None:
        update = record.optimizer
        document["optimizer"] = {
            "t": update.t,
            **{
                moment: {key: matrices(state) for key, state in states.items()}
                for moment, states in (("before", update.before), ("after", update.after))
            },
        }
    return document


def same_parameters(params: dict[str, np.ndarray], other: dict[str, np.ndarray] | None) -> bool:
    """Whether a record's parameters are `other`, the previous record's after its update (then written once)."""
    return other is not None and all(np.array_equal(value, other[key], equal_nan=True) for key, value in params.items())


def json_encoder() -> Callable[[object], str]:
    """json.dumps, or orjson's where it is installed: the same document, the same numbers (orjson
    writes each float's shortest round-trip text too, and null for one that is not finite)."""
    try:
        import orjson
    except ImportError:
        return json.dumps
    dumps = orjson.dumps
    return lambda document: dumps(document).decode("utf-8")


class TraceWriter:
    """Streams a trace document: the head, then each record, then every epoch's loss.

    As a context manager it opens the output; the document is complete only after finish(),
    and a regular file appears only then (see files.Output).
    """

    def __init__(self, output: Output, spec: Spec, network: Network, rounding: int | None = None):
        self.output = output
        self.spec = spec
        self.network = network
        self.rounding = rounding
        self._opened = None
        self._file: IO[str] | None = None
        self.records_written = 0
        self.epochs_written = 0
        self._last_epoch = None
        self._last_after: dict | None = None
        self._dumps = json_encoder()

    def __enter__(self) -> "TraceWriter":
        self._opened = self.output.open()
        self._file = self._opened.__enter__()
        head = {
            "format": FORMAT,
            "spec": normalised_spec(self.spec, self.network, self.network.parameters()),
            "round": self.rounding,
            "layers": layer_summaries(self.network),
        }
        self._file.write(self._dumps(head)[:-1] + ', "records": [')
        return self

    def write(self, record: Record) -> None:
        separator = ", " if self.records_written else ""
        document = record_document(record, self.network, self.spec.layout, self._last_after)
        self._file.write(separator + self._dumps(document))
        self._last_after = record.params_after
        self.records_written += 1
        if record.epoch != self._last_epoch:
            self.epochs_written += 1
            self._last_epoch = record.epoch

    def finish(self, losses: np.ndarray) -> None:
        self._file.write('], "losses": ' + self._dumps(_numbers(np.asarray(losses))) + "}\n")
        self._file.flush()
        self._close(None)

    def _close(self, error: BaseException | None) -> None:
        opened, self._opened = self._opened, None
        if opened is None:
            return
        if error is None:
            opened.__exit__(None, None, None)
        else:
            opened.__exit__(type(error), error, error.__traceback__)

    def __exit__(self, kind, error, traceback) -> None:
        # Not finished: a regular file is not replaced and its temporary is removed.
        self._close(error or RuntimeError("the trace was not finished"))
