"""Input files (a spec, its CSV) read whole, with a size cap, and never from a device.

`/dev/zero` or `/dev/urandom` given as a spec would otherwise be read forever. A named pipe
(`<(...)` in a shell) is fine: it ends, and the cap bounds it.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from nntrace.common.errors import SpecError


def read_text(path: Path, field: str, limit: int, what: str) -> str:
    """The UTF-8 text at `path` (a BOM is dropped), or a SpecError on `field` saying why not.

    With no `field` (the spec itself) the caller names the file, so the messages do not.
    """
    return decoded(read_bytes(path, field, limit, what), path, field)


def decoded(data: bytes, path: Path, field: str) -> str:
    """`data` as UTF-8 text (a BOM dropped), or a SpecError on `field` naming the first bad byte."""
    name = f"{path} " if field else ""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SpecError(
            field,
            f"{name}is not UTF-8 text (byte {error.start + 1} cannot be decoded)",
            "save the file as UTF-8 text",
        ) from None


def read_bytes(path: Path, field: str, limit: int, what: str) -> bytes:
    """The bytes at `path`, checked as read_text checks them (devices, size), not yet decoded."""
    name = f"{path} " if field else ""
    try:
        mode = os.stat(path).st_mode
        if stat.S_ISDIR(mode):
            raise SpecError(field, f"{name}is a directory, not {what}", f"give the path of {what}")
        if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
            raise SpecError(field, f"{name}is a device, not {what}", f"give the path of {what}")
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)
    except FileNotFoundError:
        fix = "check the path (a relative path starts in the spec's folder)"
        if not field:
            fix = "check the path; `nntrace examples` lists the shipped examples, which can be named instead"
        raise SpecError(field, f"{name}no such file", fix) from None
    except OSError as error:
        raise SpecError(field, f"{name}cannot be read ({error.strerror})", "check the file's permissions") from None
    if len(data) > limit:
        raise SpecError(
            field,
            f"{name}is larger than {limit // (1024 * 1024)} MB, more than {what} can be",
            "check that this is the file you meant",
        )
    return data
