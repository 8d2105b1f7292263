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
import re
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from nntrace.common.errors import SpecError
from nntrace.spec.reading import mapped, not_utf8

MAX_CSV_BYTES = 256 * 1024 * 1024
SHOWN_NAMES = 8  # column names a message lists before it elides the middle ones
_BLOCK = 4096  # rows the cell-by-cell reader converts at a time
_BLOCK_BYTES = 4 * 1024 * 1024  # bytes of a file with a problem that numpy parses at a time
_BARE_CR = r"(?<=\r)(?!\n)"  # a line ending of a lone \r (old Macs), where a text line ends too


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
    with mapped(data.csv, "data.csv", MAX_CSV_BYTES, "a CSV file") as raw:
        header, values = _parsed(raw, data)
    position = {name: column for column, name in enumerate(header)}
    missing = [name for name in data.target if name not in position]
    if missing:
        import difflib  # for a misspelt name only

        close = difflib.get_close_matches(missing[0], header[:10_000], n=1)
        raise SpecError(
            "data.target",
            f"column {missing[0]!r} is not in {data.csv.name}; its columns are: {listed(header)}",
            f"did you mean {close[0]!r}?" if close else "name one of those columns as the target",
        )
    features = [name for name in header if name not in data.target]
    if not features:
        raise SpecError(
            "data.target", f"leaves no feature columns in {data.csv.name}", "keep at least one column as an input"
        )
    feature_columns = _columns([position[name] for name in features])
    target_columns = _columns([position[name] for name in data.target])
    if data.test_rows >= len(values):
        raise SpecError(
            "data.test_rows",
            f"holds out {data.test_rows:,} rows, but {data.csv.name} has only {len(values):,} samples",
            f"hold out fewer than {len(values):,} rows, so that some are left to train on",
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


def listed(names: list[str]) -> str:
    """Column names for a message: all of a few, or the first and last around the count left out."""
    if len(names) <= SHOWN_NAMES:
        return ", ".join(names)
    head, tail = names[: SHOWN_NAMES - 2], names[-2:]
    return f"{', '.join(head)}, … ({len(names) - SHOWN_NAMES:,} more) …, {', '.join(tail)}"


def _parsed(raw, data: DataSpec) -> tuple[list[str], np.ndarray]:
    """The header and the numbers: parsed by numpy, or, when that fails, cell by cell to name
    the cell at fault (the slow path runs only for a file with a problem, or quoted cells)."""
    fast = _by_numpy(raw)
    if fast is not None:
        _check_header(fast[0], data)
        return fast
    return _by_cells(raw, data)


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
    except (ValueError, UnicodeDecodeError, csv.Error):
        return None
    if values.shape[0] == 0 or values.shape[1] != len(header) or not _all_finite(values):
        return None
    return header, values


def _loaded(raw: bytes, skiprows: int, header_end: int) -> np.ndarray:
    """The cells as float64. A file of whole numbers (pixel counts, one-hot targets) is parsed as
    integers, which numpy does about five times faster than floats, then converted in place: an
    integer's float64 is the one its digits parse to (correctly rounded both ways), and a file
    holding "-0", a fraction or an exponent never takes that path."""
    rows = _line_count(raw) - skiprows
    integers = not any(raw.find(mark, header_end) >= 0 for mark in (b".", b"e", b"E", b"-0"))
    _released(raw, 0, len(raw))  # these searches read every page: they need not stay beside the array
    if integers:
        try:
            return _as_float64(_loadtxt(raw, skiprows, np.int64, rows))
        except (ValueError, OverflowError):  # beyond int64, or not integers after all
            pass
    return _loadtxt(raw, skiprows, np.float64, rows)


def _loadtxt(raw, skiprows: int, dtype: type, rows: int | None = None) -> np.ndarray:
    # Given at most how many rows there are, numpy allocates the array once (it grows it by a
    # quarter at a time otherwise, and the last growth can need the old and the new array at once).
    if rows is None:
        rows = _line_count(raw) - skiprows
    return np.loadtxt(
        _lines(raw),
        delimiter=",",
        skiprows=skiprows,
        max_rows=max(rows, 1),
        ndmin=2,
        comments=None,
        dtype=dtype,
        encoding="utf-8",
    )


def _all_finite(values: np.ndarray, rows: int = 1 << 16) -> bool:
    """Whether every value is finite, checked a block of rows at a time (np.isfinite of the whole
    array is a mask an eighth of its size)."""
    return all(np.isfinite(values[start : start + rows]).all() for start in range(0, len(values), rows))


def _line_count(raw, block: int = 1 << 20) -> int:
    """How many lines `raw` holds (its newlines, and one more): counted a block at a time, so a
    mapped file is never copied whole."""
    if isinstance(raw, bytes):
        return 1 + raw.count(b"\n")
    count = 1
    for start in range(0, len(raw), block):  # numpy reads the mapped pages in place
        count += int(np.count_nonzero(np.frombuffer(raw, np.uint8, min(block, len(raw) - start), start) == 10))
    return count


def _lines(raw):
    """The lines of `raw` as bytes, one at a time: of bytes through a BytesIO (which shares them),
    of an mmap by its readline (each line copied as it is read, never the whole file), the pages
    read released as it goes."""
    if isinstance(raw, bytes):
        return io.BytesIO(raw)
    return _mapped_lines(raw)


RELEASED_EVERY = 1 << 22  # bytes of a mapped file read before its pages are let go


def _mapped_lines(raw):
    raw.seek(0)
    released = 0
    for line in iter(raw.readline, b""):
        yield line
        if raw.tell() - released >= RELEASED_EVERY:
            released = _released(raw, released, raw.tell())
    _released(raw, released, len(raw))


def _released(raw, start: int, end: int) -> int:
    """Lets the pages of a mapped file between `start` and `end` go (the kernel reads them again
    if they are touched), so that a file once read does not count in the process's memory beside
    the array parsed from it. Returns where the next release starts (a page boundary)."""
    import mmap

    if isinstance(raw, bytes) or not hasattr(raw, "madvise"):
        return start
    start -= start % mmap.PAGESIZE
    end -= end % mmap.PAGESIZE if end < len(raw) else 0
    if end > start:
        raw.madvise(mmap.MADV_DONTNEED, start, end - start)
    return end


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
    first: dict[str, int] = {}
    for column, name in enumerate(header, start=1):
        if name in first:
            raise SpecError(
                "data.csv",
                f"{data.csv.name}: columns {first[name]} and {column} are both called {name!r}",
                "give every column its own name",
            )
        first[name] = column


def _by_cells(raw, data: DataSpec) -> tuple[list[str], np.ndarray]:
    """The header and the numbers, or a SpecError naming the first row or cell at fault. A block of
    lines at a time is parsed by numpy and only a block numpy refuses is read cell by cell, so a bad
    cell near the end of a large file costs about what a good file does, in time and in memory."""
    start, skipped = _first_line(raw)
    end = _line_end(raw, start)
    if raw.find(b'"') >= 0 or b"\r" in raw[start:end].rstrip(b"\r"):
        # Quoted cells may hold line breaks, and lines may end in a lone \r: the csv module reads it all.
        return _read_rows(_text_lines(raw, data, 0), data)
    header, _ = _read_rows(_text_lines(raw[start:end], data, start), data, skipped + 1, header_only=True)
    blocks, number, at = [], skipped + 2, end + 1
    while at < len(raw):
        stop = _line_end(raw, min(at + _BLOCK_BYTES, len(raw)))
        chunk = raw[at:stop]
        values = _block_by_numpy(chunk, len(header))
        if values is None:
            _, values = _read_rows(_text_lines(chunk, data, at), data, number, header)
        blocks.append(values)
        number += chunk.count(b"\n") + 1
        at = stop + 1
    blocks = [block for block in blocks if len(block)]
    if not blocks:
        raise SpecError("data.csv", f"{data.csv} has a header but no samples", "add one row per sample")
    return header, blocks[0] if len(blocks) == 1 else np.concatenate(blocks)


def _first_line(raw) -> tuple[int, int]:
    """Where the first line with anything on it starts, and how many blank lines come before it."""
    start, skipped = 0, 0
    while start < len(raw):
        end = _line_end(raw, start)
        if raw[start:end].strip():
            break
        start, skipped = end + 1, skipped + 1
    return start, skipped


def _line_end(raw, at: int) -> int:
    """The position of the line break ending the line that `at` is on (the end of `raw` if none)."""
    end = raw.find(b"\n", at)
    return len(raw) if end < 0 else end


def _block_by_numpy(chunk: bytes, columns: int) -> np.ndarray | None:
    """A block of rows parsed by numpy, or None where it cannot (the rows' cells then name the fault)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a block of blank lines
            values = _loadtxt(chunk, 0, np.float64)
    except (ValueError, UnicodeDecodeError):
        return None
    if values.size == 0:
        return np.empty((0, columns))
    if values.shape[1] != columns or not _all_finite(values):
        return None
    return values


def _read_rows(lines, data: DataSpec, first_number: int = 1, header: list[str] | None = None,
               header_only: bool = False) -> tuple[list[str], np.ndarray | None]:  # fmt: skip
    """The header (unless given) and the rows of `lines`, numbered from `first_number`, read cell by
    cell: a SpecError names the first row or cell at fault."""
    blocks, block = [], []
    try:
        for number, row in enumerate(csv.reader(lines), start=first_number):
            if not any(cell.strip() for cell in row):
                continue
            if header is None:
                header = [name.strip() for name in row]
                _check_header(header, data)
                if header_only:
                    return header, None
                continue
            if len(row) != len(header):
                raise SpecError(
                    "data.csv",
                    f"{data.csv.name}, line {number}: {len(row)} cells, but the header has "
                    f"{len(header)} columns ({listed(header)})",
                    "give every row one cell per column",
                )
            block.append([_cell(row, column, number, data) for column in range(len(header))])
            if len(block) == _BLOCK:
                blocks.append(np.array(block, dtype=np.float64))
                block = []
    except csv.Error as error:
        raise SpecError("data.csv", f"{data.csv} cannot be read as CSV ({error})", "check the file is CSV") from None
    if header is None:
        raise SpecError(
            "data.csv",
            f"{data.csv} is empty: expected a header row and one row per sample",
            "write the column names on the first line, then one sample per line",
        )
    if block:
        blocks.append(np.array(block, dtype=np.float64))
    if not blocks and first_number == 1:
        raise SpecError("data.csv", f"{data.csv} has a header but no samples", "add one row per sample")
    values = np.concatenate(blocks) if blocks else np.empty((0, len(header)))
    return header, values


def _text_lines(raw, data: DataSpec, offset: int):
    """The lines of `raw` (which starts at byte `offset` of the file) decoded as UTF-8 (a BOM
    dropped), ending where a text file's lines end (\\n, \\r\\n or a lone \\r), one at a time."""
    for line in _lines(raw):
        try:
            text = line.decode("utf-8-sig" if offset == 0 else "utf-8")
        except UnicodeDecodeError as error:
            raise not_utf8(data.csv, "data.csv", offset + error.start) from None
        offset += len(line)
        if "\r" in text:
            yield from re.split(_BARE_CR, text)
        else:
            yield text


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
        raise SpecError("data.csv", f"{where}: expected a finite number, found {text!r}", "replace it with a number")
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
