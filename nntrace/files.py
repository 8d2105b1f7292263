"""Output files that appear whole or not at all."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


class WholeFile:
    """A temporary file beside `path`: commit() renames it into place, discard() removes it.

    As a context manager it commits when the block succeeds and discards when it fails.
    """

    def __init__(self, path: str | Path):
        self.path = Path(path)
        handle, self.temporary = tempfile.mkstemp(
            prefix=f".{self.path.name}.", suffix=f"{self.path.suffix}.tmp", dir=self.path.parent
        )
        os.close(handle)

    def commit(self) -> None:
        os.chmod(self.temporary, 0o666 & ~_umask())  # mkstemp makes the file private to its owner
        os.replace(self.temporary, self.path)

    def discard(self) -> None:
        if os.path.exists(self.temporary):
            os.unlink(self.temporary)

    def __enter__(self) -> "WholeFile":
        return self

    def __exit__(self, kind, error, traceback) -> None:
        if kind is None:
            self.commit()
        else:
            self.discard()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
