"""The binary trace (`nntrace run --npz`): the JSON trace's content as numpy arrays in one .npz file.

The file is what np.savez writes, a zip of .npy files, and np.load(path) opens it without pickle;
it is written as the records are made, each array the way np.savez writes it (stored, not
compressed), so it costs about what np.savez of the same arrays costs. Its entries:

    trace                          the head, as UTF-8 JSON bytes (uint8): format, spec (without
                                   its inputs and targets), round, layers, and each record's
                                   epoch, batch, n_batches, loss, optimiser step t and the keys
                                   of its arrays, in order
    spec/inputs, spec/targets      X and y of every record (one sample per row, as in the spec)
    losses                         the loss of every epoch
    records/N/samples              record N's samples, 1-based, in the order used
    records/N/params_before/KEY    only where they are not record N-1's parameters after
    records/N/quantities/KEY
    records/N/params_after/KEY
    records/N/optimizer/before/KEY/STATE, records/N/optimizer/after/KEY/STATE

Matrices are in the spec's layout and biases flat, as in the JSON trace; numbers are the float64
values computed, infinities and NaN included. engine.trace_reader.read_trace reads it back into
the same records as the JSON trace.
"""

from __future__ import annotations

import contextlib
import json
import zipfile

import numpy as np

from nntrace.common.files import Output
from nntrace.engine.network import Network, Record
from nntrace.engine.trace_json import CONSTANTS, layer_summaries, normalised_spec, same_parameters
from nntrace.notation.layout import Layout
from nntrace.spec.validate import Spec

FORMAT = "nntrace-trace-npz/1"
BYTES_PER_NUMBER = 8  # a float64


def _oriented(value: np.ndarray, layout: Layout) -> np.ndarray:
    """A matrix in the spec's layout (a view); a bias vector (1-D) as it is."""
    return value if value.ndim == 1 else layout.orient(value)


class NpzTraceWriter:
    """Streams a trace into an .npz file: the constants, then each record's arrays, then the losses
    and the head. As a context manager it opens the output; the file is complete only after
    finish(), and a regular file appears only then (see files.Output)."""

    def __init__(self, output: Output, spec: Spec, network: Network, rounding: int | None = None):
        self.output = output
        self.spec = spec
        self.network = network
        self.rounding = rounding
        self._opened = None
        self._zip: zipfile.ZipFile | None = None
        self._records: list[dict] = []
        self._head: dict = {}
        self.epochs_written = 0
        self._last_epoch = None
        self._last_after: dict | None = None

    def __enter__(self) -> "NpzTraceWriter":
        self._opened = self.output.open(binary=True)
        handle = self._opened.__enter__()
        self._zip = zipfile.ZipFile(handle, mode="w", compression=zipfile.ZIP_STORED, allowZip64=True)
        spec = normalised_spec(self.spec, self.network, self.network.parameters(), samples=False)
        self._head = {"format": FORMAT, "spec": spec, "round": self.rounding, "layers": layer_summaries(self.network)}
        self._array("spec/inputs", self.spec.inputs)
        if self.spec.targets is not None:
            self._array("spec/targets", self.spec.targets)
        return self

    def _array(self, name: str, value: np.ndarray) -> None:
        # As np.savez writes each array.
        with self._zip.open(name + ".npy", mode="w", force_zip64=True) as entry:
            np.lib.format.write_array(entry, np.asanyarray(value), allow_pickle=False)

    def _arrays(self, prefix: str, values: dict[str, np.ndarray]) -> list[str]:
        keys = []
        for key, value in values.items():
            if key not in CONSTANTS:
                self._array(f"{prefix}/{key}", _oriented(value, self.spec.layout))
                keys.append(key)
        return keys

    def write(self, record: Record) -> None:
        prefix = f"records/{len(self._records)}"
        self._array(f"{prefix}/samples", np.asarray(record.samples, dtype=np.int64) + 1)
        meta = {
            "epoch": record.epoch,
            "batch": record.batch,
            "n_batches": record.n_batches,
            "loss": record.loss if record.loss is None or np.isfinite(record.loss) else None,
        }
        if not same_parameters(record.params_before, self._last_after):
            meta["params_before"] = self._arrays(f"{prefix}/params_before", record.params_before)
        meta["quantities"] = self._arrays(f"{prefix}/quantities", record.quantities)
        meta["params_after"] = self._arrays(f"{prefix}/params_after", record.params_after)
        if record.optimizer is not None:
            update = record.optimizer
            meta["optimizer"] = {"t": update.t}
            for moment, states in (("before", update.before), ("after", update.after)):
                meta["optimizer"][moment] = {
                    key: self._arrays(f"{prefix}/optimizer/{moment}/{key}", state) for key, state in states.items()
                }
        self._records.append(meta)
        self._last_after = record.params_after
        if record.epoch != self._last_epoch:
            self.epochs_written += 1
            self._last_epoch = record.epoch

    def finish(self, losses: np.ndarray) -> None:
        self._array("losses", np.asarray(losses, dtype=np.float64))
        head = json.dumps({**self._head, "records": self._records}).encode("utf-8")
        self._array("trace", np.frombuffer(head, dtype=np.uint8))
        self._zip.close()
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
        # Not finished: a regular file is not replaced and its temporary is removed. The zip is
        # closed first (into the temporary, or a stream), where it can be: a stream is left
        # without the head, which read_trace names as unfinished.
        if self._zip is not None and self._opened is not None:
            with contextlib.suppress(OSError, ValueError):
                self._zip.close()
        self._close(error or RuntimeError("the trace was not finished"))
