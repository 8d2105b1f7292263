"""Reading a JSON trace back (formats nntrace-trace/1 and /2) into whole records.

    from nntrace.engine.trace_reader import read_trace
    trace = read_trace("trace.json")
    trace.records[0].quantities["H_in"]      # numpy arrays, in the spec's layout
    trace.records[-1].params_after["W_out"]
    trace.losses                             # every epoch's loss

Format 2 leaves out what is constant (X and y are the spec's inputs and targets) and the
parameters before an update that the previous record already holds; both come back here.
A number written as null (not finite) comes back as NaN.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import numpy as np

FORMATS = ("nntrace-trace/1", "nntrace-trace/2")


@dataclass(frozen=True)
class TracedRecord:
    epoch: int
    batch: int
    n_batches: int
    samples: tuple[int, ...]  # 1-based, in the order the batch used them
    loss: float | None
    params_before: dict[str, np.ndarray]
    quantities: dict[str, np.ndarray]
    params_after: dict[str, np.ndarray]
    # An optimiser's update: {"t": t, "before": {key: {state: array}}, "after": ...}; None for plain SGD.
    optimizer: dict | None = None


@dataclass(frozen=True)
class TraceFile:
    format: str
    spec: dict
    round: int | None
    layers: list[dict]
    records: tuple[TracedRecord, ...]
    losses: np.ndarray


def read_trace(source: str | Path | IO[str]) -> TraceFile:
    document = json.load(source) if hasattr(source, "read") else json.loads(Path(source).read_text("utf-8"))
    kind = document.get("format")
    if kind not in FORMATS:
        raise ValueError(f"not an nntrace trace: format {kind!r}, expected one of {', '.join(FORMATS)}")
    spec = document["spec"]
    columns = spec.get("layout") == "columns"
    constants = {"X": np.array(spec["inputs"], dtype=np.float64)}
    if "targets" in spec:
        constants["y"] = np.array(spec["targets"], dtype=np.float64)
    records, previous_after = [], None
    for raw in document["records"]:
        before = _arrays(raw["params_before"]) if "params_before" in raw else previous_after
        rows = [sample - 1 for sample in raw["samples"]]
        quantities = _arrays(raw["quantities"])
        # y belongs to the passes that compare with targets: those with an output error E.
        restored = {
            key: value[rows].T if columns else value[rows]
            for key, value in constants.items()
            if key not in quantities and (key == "X" or "E" in quantities)
        }
        quantities = {**restored, **quantities}
        after = _arrays(raw["params_after"])
        records.append(
            TracedRecord(
                raw["epoch"],
                raw["batch"],
                raw["n_batches"],
                tuple(raw["samples"]),
                raw["loss"],
                before,
                quantities,
                after,
                _optimizer(raw.get("optimizer")),
            )
        )
        previous_after = after
    losses = np.array([np.nan if loss is None else loss for loss in document["losses"]], dtype=np.float64)
    return TraceFile(kind, spec, document.get("round"), document["layers"], tuple(records), losses)


def _optimizer(raw: dict | None) -> dict | None:
    if raw is None:
        return None
    return {
        "t": raw["t"],
        **{moment: {key: _arrays(state) for key, state in raw[moment].items()} for moment in ("before", "after")},
    }


def _arrays(values: dict) -> dict[str, np.ndarray]:
    return {key: np.array(_nan_for_null(value), dtype=np.float64) for key, value in values.items()}


def _nan_for_null(value):
    if value is None:
        return np.nan
    if isinstance(value, list):
        return [_nan_for_null(item) for item in value]
    return value
