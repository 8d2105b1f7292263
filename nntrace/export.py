"""The JSON trace (format nntrace-trace/1), written as the records are made.

Matrices are nested lists in the spec's layout, biases flat lists, numbers at
full float64 precision (Python's shortest round-trip repr); a non-finite number,
which only a diverged run can hold, is written as null. A file is written under
a temporary name and renamed when complete, so a failed run never leaves half a trace.
"""

from __future__ import annotations

import json
import sys
from typing import IO

import numpy as np

from nntrace.engine import Network, Record
from nntrace.files import WholeFile
from nntrace.spec import Spec, in_layout

FORMAT = "nntrace-trace/1"


def oriented(value: np.ndarray, layout: str) -> list:
    """A matrix as nested lists in the spec's layout; a bias vector (1-D) as a flat list."""
    return _numbers(value if value.ndim == 1 else in_layout(value, layout))


def _numbers(value: np.ndarray) -> list:
    finite = np.isfinite(value)
    if finite.all():
        return value.tolist()
    objects = value.astype(object)
    objects[~finite] = None
    return objects.tolist()


def normalised_spec(spec: Spec, network: Network, initial: dict[str, np.ndarray]) -> dict:
    """The spec with every default filled in and the starting parameters written out."""
    document = {
        "version": 1,
        "name": spec.name,
        "inputs": oriented(spec.inputs, "rows"),
        "targets": oriented(spec.targets, "rows") if spec.targets is not None else None,
        "loss": spec.loss,
        "learning_rate": spec.learning_rate,
        "epochs": spec.epochs,
        "layout": spec.layout,
        "init": {"method": spec.init.method, "seed": spec.init.seed} if spec.init else None,
        "batch_size": "full" if spec.batch_size is None else spec.batch_size,
        "shuffle": False if spec.shuffle is None else spec.shuffle,
        "layers": [],
    }
    for layer_spec, layer in zip(spec.layers, network.layers):
        entry = {
            "name": layer_spec.name,
            "size": layer_spec.size,
            "activation": layer_spec.activation,
            "weights": oriented(initial[layer.names.weights.key], spec.layout),
            "biases": oriented(initial[layer.names.biases.key], spec.layout),
            "train_biases": layer_spec.train_biases,
        }
        if layer_spec.activation == "leaky_relu":
            entry["alpha"] = layer_spec.alpha
        document["layers"].append(entry)
    return document


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


def record_document(record: Record, network: Network, layout: str) -> dict:
    def matrices(values: dict[str, np.ndarray]) -> dict:
        return {key: oriented(value, layout) for key, value in values.items()}

    return {
        "epoch": record.epoch,
        "batch": record.batch,
        "n_batches": record.n_batches,
        "samples": [int(i) + 1 for i in record.samples],
        "loss": record.loss if record.loss is None or np.isfinite(record.loss) else None,
        "params_before": matrices(record.params_before),
        "quantities": matrices(record.quantities),
        "params_after": matrices(record.params_after),
    }


class TraceWriter:
    """Streams a trace document: the head, then each record, then every epoch's loss."""

    def __init__(self, path: str, spec: Spec, network: Network):
        self.path = path
        self.spec = spec
        self.network = network
        self._whole: WholeFile | None = None
        self._file: IO[str] | None = None
        self._records = 0

    def __enter__(self) -> "TraceWriter":
        if self.path == "-":
            self._file = sys.stdout
        else:
            self._whole = WholeFile(self.path)
            self._file = open(self._whole.temporary, "w", encoding="utf-8")
        head = {
            "format": FORMAT,
            "spec": normalised_spec(self.spec, self.network, self.network.parameters()),
            "layers": layer_summaries(self.network),
        }
        self._file.write(json.dumps(head)[:-1] + ', "records": [')
        return self

    def write(self, record: Record) -> None:
        separator = ", " if self._records else ""
        self._file.write(separator + json.dumps(record_document(record, self.network, self.spec.layout)))
        self._records += 1

    def finish(self, losses: np.ndarray) -> None:
        self._file.write('], "losses": ' + json.dumps(_numbers(np.asarray(losses))) + "}\n")
        self._file.flush()
        if self._whole is not None:
            self._file.close()
            self._whole.commit()
            self._whole = None

    def __exit__(self, kind, error, traceback) -> None:
        if self._whole is not None:  # not finished: leave nothing behind
            self._file.close()
            self._whole.discard()
