"""Reading a trace back into whole records: JSON (formats nntrace-trace/1 and /2) or the binary
.npz trace (nntrace-trace-npz/1).

    from nntrace.engine.trace_reader import read_trace
    trace = read_trace("trace.json")         # or "trace.npz"
    trace.records[0].quantities["H_in"]      # numpy arrays, in the spec's layout
    trace.records[-1].params_after["W_out"]
    trace.losses                             # every epoch's loss

Format 2 and the .npz trace leave out what is constant (X and y are the spec's inputs and
targets) and the parameters before an update that the previous record already holds; both come
back here. In JSON a number written as null (not finite) comes back as NaN; the .npz trace holds
every number as computed. Of an .npz trace, `spec["inputs"]` and `spec["targets"]` are arrays.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import numpy as np

FORMATS = ("nntrace-trace/1", "nntrace-trace/2")
NPZ_FORMAT = "nntrace-trace-npz/1"
ZIP_MAGIC = b"PK\x03\x04"


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


def read_trace(source: str | Path | IO) -> TraceFile:
    """The trace at `source`: a path, or a file open for reading (text for JSON; binary for either)."""
    if _is_npz(source):
        try:
            return _read_npz(source)
        except (zipfile.BadZipFile, EOFError, KeyError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise ValueError(f"not a whole nntrace trace: a damaged .npz archive ({error})") from None
    try:
        document = json.load(source) if hasattr(source, "read") else json.loads(Path(source).read_text("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(f"not an nntrace trace: neither an .npz archive nor JSON ({error})") from None
    kind = document.get("format") if isinstance(document, dict) else None
    if kind not in FORMATS:
        raise ValueError(f"not an nntrace trace: format {kind!r}, expected one of {', '.join((*FORMATS, NPZ_FORMAT))}")
    spec = document["spec"]
    targets = np.array(spec["targets"], dtype=np.float64) if "targets" in spec else None
    constants = _constants(np.array(spec["inputs"], dtype=np.float64), targets)
    columns = spec.get("layout") == "columns"
    records, previous_after = [], None
    for raw in document["records"]:
        before = _arrays(raw["params_before"]) if "params_before" in raw else previous_after
        after = _arrays(raw["params_after"])
        quantities, optimizer = _arrays(raw["quantities"]), _optimizer(raw.get("optimizer"))
        records.append(_record(raw, raw["samples"], before, quantities, after, optimizer, constants, columns))
        previous_after = after
    losses = np.array([np.nan if loss is None else loss for loss in document["losses"]], dtype=np.float64)
    return TraceFile(kind, spec, document.get("round"), document["layers"], tuple(records), losses)


def _constants(inputs: np.ndarray, targets: np.ndarray | None) -> dict[str, np.ndarray]:
    return {"X": inputs} if targets is None else {"X": inputs, "y": targets}


def _record(raw: dict, samples, before, quantities, after, optimizer, constants, columns: bool) -> TracedRecord:
    """A whole record: X (and y, for a pass that compares with targets: one with an output error
    E) put back from the spec's inputs and targets at the record's samples."""
    rows = [int(sample) - 1 for sample in samples]
    restored = {
        key: value[rows].T if columns else value[rows]
        for key, value in constants.items()
        if key not in quantities and (key == "X" or "E" in quantities)
    }
    return TracedRecord(
        raw["epoch"], raw["batch"], raw["n_batches"], tuple(int(sample) for sample in samples), raw["loss"], before,
        {**restored, **quantities}, after, optimizer,
    )  # fmt: skip


def _is_npz(source) -> bool:
    if not hasattr(source, "read"):
        with open(source, "rb") as file:
            return file.read(len(ZIP_MAGIC)) == ZIP_MAGIC
    if isinstance(source, io.TextIOBase) or not source.seekable():
        return False
    at = source.tell()
    start = source.read(len(ZIP_MAGIC))
    source.seek(at)
    return start == ZIP_MAGIC


def _read_npz(source) -> TraceFile:
    with np.load(source, allow_pickle=False) as arrays:
        if "trace" not in arrays.files:
            raise ValueError("not a whole nntrace trace: an .npz without its head (a run stopped while writing it?)")
        head = json.loads(arrays["trace"].tobytes().decode("utf-8"))
        if head.get("format") != NPZ_FORMAT:
            raise ValueError(f"not an nntrace trace: format {head.get('format')!r}, expected {NPZ_FORMAT}")
        spec = head["spec"]
        spec["inputs"] = arrays["spec/inputs"]
        if "spec/targets" in arrays.files:
            spec["targets"] = arrays["spec/targets"]
        constants = _constants(spec["inputs"], spec.get("targets"))
        columns = spec.get("layout") == "columns"

        def read(prefix: str, keys: list[str]) -> dict[str, np.ndarray]:
            return {key: arrays[f"{prefix}/{key}"] for key in keys}

        records, previous_after = [], None
        for number, raw in enumerate(head["records"]):
            prefix = f"records/{number}"
            before = read(f"{prefix}/params_before", raw["params_before"]) if "params_before" in raw else previous_after
            after = read(f"{prefix}/params_after", raw["params_after"])
            optimizer = None
            if "optimizer" in raw:
                optimizer = {"t": raw["optimizer"]["t"]}
                for moment in ("before", "after"):
                    optimizer[moment] = {
                        key: read(f"{prefix}/optimizer/{moment}/{key}", names)
                        for key, names in raw["optimizer"][moment].items()
                    }
            quantities = read(f"{prefix}/quantities", raw["quantities"])
            samples = arrays[f"{prefix}/samples"].tolist()
            records.append(_record(raw, samples, before, quantities, after, optimizer, constants, columns))
            previous_after = after
        return TraceFile(NPZ_FORMAT, spec, head["round"], head["layers"], tuple(records), arrays["losses"])


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
