"""How much a run may read: each kind of input has its cap (a spec 16 MB, a CSV 256 MB), and
`--max-input SIZE` replaces them for a run that means to read more (`input_limit`)."""

from __future__ import annotations

import contextlib
import contextvars
import re
from collections.abc import Iterator

MAX_INPUT_OPTION = "--max-input"
_limit: contextvars.ContextVar[int | None] = contextvars.ContextVar("input_limit", default=None)
_SIZE = r"(?i)^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?\s*$"
_UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3, "t": 1024**4}


@contextlib.contextmanager
def input_limit(size: int | None) -> Iterator[None]:
    """Within the block every input file may be up to `size` bytes, whatever its usual cap (None: the caps)."""
    token = _limit.set(size)
    try:
        yield
    finally:
        _limit.reset(token)


def given_limit() -> int | None:
    """The size `input_limit` set, or None."""
    return _limit.get()


def cap(default: int) -> int:
    """The cap in force for an input whose usual cap is `default`."""
    limit = _limit.get()
    return default if limit is None else limit


def parse_size(text: str) -> int:
    """Bytes from a size as a user writes it: 300MB, 2G, 1.5GiB, 500000 (K, M, G, T are powers of 1024)."""
    match = re.match(_SIZE, text)
    if match is None or float(match.group(1)) <= 0:
        raise ValueError(f"expected a size such as 300MB or 2GB, found {text!r}")
    return int(float(match.group(1)) * _UNITS[match.group(2).lower()])


def describe_size(size: int) -> str:
    """A size in the largest unit that keeps it above 1: 256 MB, 1.5 GB."""
    for unit, scale in (("TB", 1024**4), ("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if size >= scale:
            return f"{size / scale:.3g} {unit}"
    return f"{size} bytes"


def suggested_limit(size: int) -> str:
    """A round --max-input at or above `size`: in steps of 64 MB, or of 1 GB from 1 GB."""
    megabytes = -(-size // 1024**2)
    if megabytes < 1024:
        return f"{-(-megabytes // 64) * 64}MB"
    return f"{-(-megabytes // 1024)}GB"
