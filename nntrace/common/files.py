"""Where an output goes, decided before any work is done, and written so that no file is harmed.

- `-`, /dev/stdout, /dev/stderr and /dev/fd/N write to the process's own descriptor.
- A character device (/dev/null) or a named pipe is streamed to, as `cat > PATH` would:
  it is never replaced by a regular file.
- A regular file, or a new one, is written under a temporary name in the same directory and
  renamed over the target when complete (a symlink is followed and its target replaced), with
  the permissions the old file had. A failed or interrupted run leaves the old file as it was
  and no temporary behind.
- A directory, a block device, a socket, a missing directory, the run's own input files and
  the examples shipped with nntrace are refused with an OutputError before anything is computed.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Iterator, Sequence

from nntrace.common.errors import OutputError

_OWN_DESCRIPTOR = r"^/(?:dev/fd|proc/self/fd)/(\d+)$"
_NAMED_DESCRIPTORS = {"-": 1, "/dev/stdout": 1, "/dev/stderr": 2}


@dataclass(frozen=True)
class Output:
    """A checked destination: a descriptor of this process, a device or pipe, or a regular file."""

    given: str  # as the user typed it
    descriptor: int | None = None  # write to this descriptor of the process
    stream: Path | None = None  # a character device or named pipe, opened for writing as it is
    file: Path | None = None  # a regular file (the symlink's target), replaced whole
    mode: int | None = None  # the permissions of the file being replaced

    @property
    def is_stdout(self) -> bool:
        return self.descriptor == 1

    @property
    def destination(self) -> int | Path | None:
        """Where the bytes land: the descriptor, the device or pipe, or the file. Two outputs
        with one destination would write one after the other, or the second over the first."""
        return self.descriptor if self.descriptor is not None else self.stream or self.file

    @contextlib.contextmanager
    def open(self, binary: bool = False) -> Iterator[IO]:
        """The destination opened for writing; a regular file is only replaced if the block completes."""
        if self.file is None:
            with self._open_stream(binary) as handle:
                yield handle
            return
        import tempfile  # only a run that writes a file needs it (it brings shutil, bz2, lzma, random)

        handle, temporary = tempfile.mkstemp(prefix=f".{self.file.name}.", suffix=".tmp", dir=self.file.parent)
        try:
            with os.fdopen(handle, "wb" if binary else "w", **({} if binary else {"encoding": "utf-8"})) as out:
                yield out
            os.chmod(temporary, self.mode if self.mode is not None else 0o666 & ~_umask())
            os.replace(temporary, self.file)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
            raise

    def _open_stream(self, binary: bool) -> IO:
        if self.descriptor is not None:
            if self.descriptor == 1 and not binary:
                sys.stdout.flush()
                return contextlib.nullcontext(sys.stdout)
            descriptor = os.dup(self.descriptor)
        else:
            # No O_CREAT, no O_TRUNC: a device or pipe is written to, never made into a file.
            descriptor = os.open(self.stream, os.O_WRONLY)
        return os.fdopen(descriptor, "wb" if binary else "w", **({} if binary else {"encoding": "utf-8"}))


def resolve_output(given: str, option: str, inputs: Sequence[Path] = (), shipped: Sequence[Path] = ()) -> Output:
    """Check where `given` (the value of `option`) would write, before anything is computed: never
    over one of `inputs` (the run's own files) or of `shipped` (the examples installed with nntrace)."""
    if given in _NAMED_DESCRIPTORS:
        return Output(given, descriptor=_NAMED_DESCRIPTORS[given])
    own = re.match(_OWN_DESCRIPTOR, given)
    if own:
        return Output(given, descriptor=int(own.group(1)))
    try:
        status = os.stat(given)  # follows symlinks
    except FileNotFoundError:
        return _new_file(given, option)
    except OSError as error:
        raise OutputError(f"{option} {given}: cannot be used ({error.strerror})", "choose another path") from None
    mode = status.st_mode
    if stat.S_ISDIR(mode):
        raise OutputError(
            f"{option} {given}: is a directory",
            f"give a file name inside it, e.g. {os.path.join(given, 'out' + Path(given).suffix)}",
        )
    if stat.S_ISCHR(mode) or stat.S_ISFIFO(mode):
        return Output(given, stream=Path(given))
    if not stat.S_ISREG(mode):
        kind = "a block device (a disk)" if stat.S_ISBLK(mode) else "neither a file, a pipe nor a terminal"
        raise OutputError(f"{option} {given}: is {kind}; nntrace will not write to it", "choose a file name")
    for source in inputs:
        with contextlib.suppress(OSError):
            if os.path.samefile(given, source):
                raise OutputError(
                    f"{option} {given}: is this run's own input ({source}); writing there would destroy it",
                    "choose another file name for the output",
                )
    for source in shipped:
        with contextlib.suppress(OSError):
            if os.path.samefile(given, source):
                raise OutputError(
                    f"{option} {given}: is {source.name}, an example shipped with nntrace; writing there "
                    "would change it for every later run",
                    f"choose another file name (`nntrace examples {source.stem} -o FILE` copies it to edit)",
                )
    target = Path(os.path.realpath(given))
    if not os.access(target, os.W_OK) or not os.access(target.parent, os.W_OK | os.X_OK):
        raise OutputError(f"{option} {given}: is not writable", "choose a file in a directory you can write to")
    return Output(given, file=target, mode=stat.S_IMODE(mode))


def _new_file(given: str, option: str) -> Output:
    target = Path(os.path.realpath(given))  # a dangling symlink is followed to the file it names
    if not target.parent.is_dir():
        raise OutputError(
            f"{option} {given}: the directory {target.parent} does not exist", "create it first, or choose another path"
        )
    if not os.access(target.parent, os.W_OK | os.X_OK):
        raise OutputError(f"{option} {given}: the directory {target.parent} is not writable", "choose another path")
    return Output(given, file=target)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
