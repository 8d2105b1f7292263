"""Input files (a spec, its CSV) read with a size cap, and never from a device.

`/dev/zero` or `/dev/urandom` given as a spec would otherwise be read forever. A named pipe
(`<(...)` in a shell) is fine: it ends, and the cap bounds it. Each kind of input has its cap
(a spec 16 MB, a CSV 256 MB); `--max-input SIZE` (common.limits) replaces them for a run that
means to read more. A regular file is mapped into memory rather than copied into it (`mapped`),
so the CSV reader parses it from the page cache whatever its size.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

from nntrace.common.errors import SpecError
from nntrace.common.limits import MAX_INPUT_OPTION, cap, describe_size, given_limit, suggested_limit


def read_text(path: Path, field: str, limit: int, what: str) -> str:
    """The UTF-8 text at `path` (a BOM is dropped), or a SpecError on `field` saying why not.

    With no `field` (the spec itself) the caller names the file, so the messages do not.
    """
    return decoded(read_bytes(path, field, limit, what), path, field)


def decoded(data: bytes, path: Path, field: str) -> str:
    """`data` as UTF-8 text (a BOM dropped), or a SpecError on `field` naming the first bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise not_utf8(path, field, error.start) from None


def not_utf8(path: Path, field: str, position: int) -> SpecError:
    """The error for a file whose byte at `position` (0-based) is not UTF-8."""
    name = f"{path} " if field else ""
    return SpecError(
        field, f"{name}is not UTF-8 text (byte {position + 1} cannot be decoded)", "save the file as UTF-8 text"
    )


def read_bytes(path: Path, field: str, limit: int, what: str) -> bytes:
    """The bytes at `path`, checked as read_text checks them (devices, size), not yet decoded."""
    with _opened(path, field, limit, what) as (handle, size):
        if size is not None:
            _check_size(size, path, field, limit, what)
        data = _read_up_to(handle, cap(limit), size)
    _check_size(len(data), path, field, limit, what)
    return data


PIECE = 1 << 20  # a file of unknown size (a pipe) is read a megabyte at a time


def _read_up_to(handle, most: int, size: int | None) -> bytes:
    """Up to `most` + 1 bytes of `handle` (one more than the cap, to tell a file over it), never
    setting aside room for more than there is: read(n) makes a buffer of n bytes before it reads
    one, and the cap a user gives may be a terabyte. A regular file's `size` is known; a pipe is
    read a piece at a time."""
    if size is not None:
        return handle.read(min(size, most) + 1)
    pieces, total = [], 0
    while total <= most:
        piece = handle.read(min(PIECE, most + 1 - total))
        if not piece:
            break
        pieces.append(piece)
        total += len(piece)
    return b"".join(pieces)


@contextlib.contextmanager
def mapped(path: Path, field: str, limit: int, what: str):
    """The bytes at `path` checked as read_bytes checks them: a regular file mapped into memory
    (an mmap, which slices, finds and reads lines as bytes do, without a copy of the file), any
    other readable file (a named pipe) read into bytes. Valid within the block."""
    import mmap

    with _opened(path, field, limit, what) as (handle, size):
        if size is None:  # not a regular file: read it, up to the cap
            data = _read_up_to(handle, cap(limit), None)
            _check_size(len(data), path, field, limit, what)
            yield data
            return
        _check_size(size, path, field, limit, what)
        if size == 0:
            yield b""
            return
        with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as view:
            yield view


@contextlib.contextmanager
def _opened(path: Path, field: str, limit: int, what: str):
    """(the file opened for reading in binary, its size if it is a regular file, else None)."""
    name = f"{path} " if field else ""
    try:
        mode = os.stat(path).st_mode
        if stat.S_ISDIR(mode):
            raise SpecError(field, f"{name}is a directory, not {what}", f"give the path of {what}")
        if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
            raise SpecError(field, f"{name}is a device, not {what}", f"give the path of {what}")
        handle = open(path, "rb")
    except FileNotFoundError:
        fix = "check the path (a relative path starts in the spec's folder)"
        if not field:
            fix = "check the path; `nntrace examples` lists the shipped examples, which can be named instead"
        raise SpecError(field, f"{name}no such file", fix) from None
    except OSError as error:
        raise SpecError(field, f"{name}cannot be read ({error.strerror})", "check the file's permissions") from None
    with handle:
        size = os.fstat(handle.fileno()).st_size if stat.S_ISREG(mode) else None
        try:
            yield handle, size
        except OSError as error:
            raise SpecError(field, f"{name}cannot be read ({error.strerror})", "check the file") from None


def _check_size(size: int, path: Path, field: str, limit: int, what: str) -> None:
    allowed = cap(limit)
    if size <= allowed:
        return
    name = f"{path} " if field else ""
    whose = f"the {MAX_INPUT_OPTION} given" if given_limit() is not None else f"the cap for {what}"
    raise SpecError(
        field,
        f"{name}is larger than {describe_size(allowed)}, {whose}",
        f"check that this is the file you meant; to read it anyway, give e.g. "
        f"{MAX_INPUT_OPTION} {suggested_limit(size)}",
    )
