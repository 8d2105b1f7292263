"""Samples from a CSV file: a header row, one sample per row, numeric cells.

The target columns become y; every other column is a feature of X, normalised as
the spec asks: `max` divides each feature by its column maximum (as the blog's
code in the seeds does), `minmax` maps each onto [0, 1], `none` keeps the numbers.
`test_rows: N` holds the last N rows out of training as a test set; the normalisation
is measured on the training rows alone and applied to both, as it would be to new data.
"""

from __future__ import annotations

import csv
import io
import math
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from nntrace.common.errors import SpecError
from nntrace.spec.reading import decoded, read_bytes

MAX_CSV_BYTES = 256 * 1024 * 1024


@dataclass(frozen=True)
class DataSpec:
    """Where a spec's samples come from: a CSV file, its target columns, the normalisation."""

    csv: Path
    target: tuple[str, ...]
    normalize: str
    test_rows: int = 0


@dataclass(frozen=True, eq=False)  # holds arrays, which have no one truth value: compared by identity
class Samples:
    """A CSV's samples: the training inputs and targets, the held-out test rows, the column names."""

    inputs: np.ndarray
    targets: np.ndarray
    test_inputs: np.ndarray | None
    test_targets: np.ndarray | None
    feature_names: tuple[str, ...]
    target_names: tuple[str, ...]


def load_csv(data: DataSpec) -> Samples:
    """The samples of `data`, or a SpecError naming the file, row and column."""
    raw = read_bytes(data.csv, "data.csv", MAX_CSV_BYTES, "a CSV file")
    header, values = _parsed(raw, data)
    missing = [name for name in data.target if name not in header]
    if missing:
        raise SpecError(
            "data.target",
            f"column {missing[0]!r} is not in {data.csv.name}; its columns are: {', '.join(header)}",
            "name one of those columns as the target",
        )
    features = [name for name in header if name not in data.target]
    if not features:
        raise SpecError(
            "data.target", f"leaves no feature columns in {data.csv.name}", "keep at least one column as an input"
        )
    feature_columns = _columns([header.index(name) for name in features])
    target_columns = _columns([header.index(name) for name in data.target])
    if data.test_rows >= len(values):
        raise SpecError(
            "data.test_rows",
            f"holds out {data.test_rows} rows, but {data.csv.name} has only {len(values)} samples",
            f"hold out fewer than {len(values)} rows, so that some are left to train on",
        )
    train = len(values) - data.test_rows
    inputs = values[:train, feature_columns]  # a view of the loaded array where the columns run in order
    test_inputs = values[train:, feature_columns] if data.test_rows else None
    scale = _normalisation(inputs, features, data)
    scale(inputs)  # in place: the samples are held once
    if test_inputs is not None:
        scale(test_inputs)
    test = values[train:] if data.test_rows else None
    return Samples(
        inputs=inputs,
        targets=values[:train, target_columns],
        test_inputs=test_inputs,
        test_targets=None if test is None else test[:, target_columns],
        feature_names=tuple(features),
        target_names=tuple(data.target),
    )


def _parsed(raw: bytes, data: DataSpec) -> tuple[list[str], np.ndarray]:
    """The header and the numbers: parsed by numpy, or, when that fails, cell by cell to name
    the cell at fault (the slow path runs only for a file with a problem)."""
    fast = _by_numpy(raw)
    if fast is not None:
        _check_header(fast[0], data)
        return fast
    text = decoded(raw, data.csv, "data.csv")
    header, rows = _read(text, data)
    values = [[_cell(row, column, line, data) for column in range(len(header))] for line, row in rows]
    return header, np.array(values, dtype=np.float64)


def _by_numpy(raw: bytes) -> tuple[list[str], np.ndarray] | None:
    """Parsed from the bytes as read: no decoded copy of the text, no list of its lines."""
    start, skipped = 0, 0
    while start < len(raw):
        end = raw.find(b"\n", start)
        end = len(raw) if end < 0 else end
        if raw[start:end].strip():
            break
        start, skipped = end + 1, skipped + 1
    else:
        return None
    try:
        header = [name.strip() for name in next(csv.reader([raw[start:end].decode("utf-8-sig")]))]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a file of only a header: the checking path says so
            values = _loaded(raw, skipped + 1, end)
    except (ValueError, UnicodeDecodeError):
        return None
    if values.shape[0] == 0 or values.shape[1] != len(header) or not np.isfinite(values).all():
        return None
    return header, values


def _loaded(raw: bytes, skiprows: int, header_end: int) -> np.ndarray:
    """The cells as float64. A file of whole numbers (pixel counts, one-hot targets) is parsed as
    integers, which numpy does about five times faster than floats, then converted in place: an
    integer's float64 is the one its digits parse to (correctly rounded both ways), and a file
    holding "-0", a fraction or an exponent never takes that path."""
    if not any(raw.find(mark, header_end) >= 0 for mark in (b".", b"e", b"E", b"-0")):
        try:
            return _as_float64(_loadtxt(raw, skiprows, np.int64))
        except (ValueError, OverflowError):  # beyond int64, or not integers after all
            pass
    return _loadtxt(raw, skiprows, np.float64)


def _loadtxt(raw: bytes, skiprows: int, dtype: type) -> np.ndarray:
    return np.loadtxt(
        io.BytesIO(raw),  # shares the bytes: no copy
        delimiter=",",
        skiprows=skiprows,
        ndmin=2,
        comments=None,
        dtype=dtype,
        encoding="utf-8",
    )


def _as_float64(integers: np.ndarray, rows: int = 1024) -> np.ndarray:
    """The same array's memory, now holding float64: a block of rows at a time, so the temporary
    numpy makes for an overlapping assignment is one block, not a second array."""
    floats = integers.view(np.float64)
    for start in range(0, len(integers), rows):
        floats[start : start + rows] = integers[start : start + rows]
    return floats


def _columns(indices: list[int]) -> list[int] | slice:
    """Column indices, as a slice where they run in order (a view of the loaded array, not a copy)."""
    if indices == list(range(indices[0], indices[-1] + 1)):
        return slice(indices[0], indices[-1] + 1)
    return indices


def _check_header(header: list[str], data: DataSpec) -> None:
    for column, name in enumerate(header, start=1):
        first = header.index(name) + 1
        if first != column:
            raise SpecError(
                "data.csv",
                f"{data.csv.name}: columns {first} and {column} are both called {name!r}",
                "give every column its own name",
            )


def _read(text: str, data: DataSpec) -> tuple[list[str], list[tuple[int, list[str]]]]:
    try:
        lines = [
            (number, row)
            for number, row in enumerate(csv.reader(io.StringIO(text, newline="")), start=1)
            if any(cell.strip() for cell in row)
        ]
    except csv.Error as error:
        raise SpecError("data.csv", f"{data.csv} cannot be read as CSV ({error})", "check the file is CSV") from None
    if not lines:
        raise SpecError(
            "data.csv",
            f"{data.csv} is empty: expected a header row and one row per sample",
            "write the column names on the first line, then one sample per line",
        )
    header = [name.strip() for name in lines[0][1]]
    if len(lines) == 1:
        raise SpecError("data.csv", f"{data.csv} has a header but no samples", "add one row per sample")
    _check_header(header, data)
    for number, row in lines[1:]:
        if len(row) != len(header):
            raise SpecError(
                "data.csv",
                f"{data.csv.name}, line {number}: {len(row)} cells, but the header has "
                f"{len(header)} columns ({', '.join(header)})",
                "give every row one cell per column",
            )
    return header, lines[1:]


def _cell(row: list[str], column: int, line: int, data: DataSpec) -> float:
    text = row[column].strip()
    where = f"{data.csv.name}, line {line}, column {column + 1}"
    if not text:
        raise SpecError("data.csv", f"{where}: the cell is empty", "fill in every cell with a number")
    try:
        value = float(text)
    except ValueError:
        raise SpecError(
            "data.csv",
            f"{where}: expected a number, found {text!r}",
            "use numbers only (encode categories as 0/1 columns)",
        ) from None
    if not math.isfinite(value):
        raise SpecError("data.csv", f"{where}: expected a finite number, found {text!r}")
    return value


def _normalisation(X: np.ndarray, names: list[str], data: DataSpec):
    """The map the spec's normalisation makes of the training inputs X, applied in place to any inputs
    (the same operations as out of place, so the same numbers)."""
    if data.normalize == "none":
        return lambda inputs: None
    if data.normalize == "max":
        maxima = X.max(axis=0)
        for name, maximum in zip(names, maxima):
            if maximum <= 0:
                raise SpecError(
                    "data.normalize",
                    f"column {name!r} has maximum {maximum:g}: dividing by it would not scale it into [0, 1]",
                    "use `normalize: minmax` or `none`",
                )
        return lambda inputs: np.divide(inputs, maxima, out=inputs)
    low, high = X.min(axis=0), X.max(axis=0)
    for name, a, b in zip(names, low, high):
        if a == b:
            raise SpecError(
                "data.normalize",
                f"column {name!r} is constant ({a:g}): minmax would divide by zero",
                "drop the column, or use `normalize: none`",
            )
    span = high - low

    def minmax(inputs: np.ndarray) -> None:
        np.subtract(inputs, low, out=inputs)
        np.divide(inputs, span, out=inputs)

    return minmax
