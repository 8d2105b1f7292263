"""How a run stops: signals become exceptions that unwind (so temporaries are removed),
and Ctrl-C while training becomes a stop at the next epoch boundary.

Exit codes follow the shell's convention, 128 + the signal number: 130 for Ctrl-C
(SIGINT), 129 for SIGHUP, 143 for SIGTERM; 141 (SIGPIPE) for a reader that went away.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from typing import Iterator

CLOSED_PIPE_EXIT = 128 + signal.SIGPIPE
INTERRUPT_EXIT = 128 + signal.SIGINT


class Terminated(BaseException):
    """SIGTERM or SIGHUP arrived: unwind like KeyboardInterrupt, then exit 128 + signal."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.exit_code = 128 + signum


def _raise_terminated(signum, frame):
    raise Terminated(signum)


@contextlib.contextmanager
def unwinding_signals() -> Iterator[None]:
    """SIGTERM and SIGHUP raise Terminated; an oversized write (ulimit -f) fails with EFBIG
    instead of killing the process, so it too is reported and cleaned up."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    wanted = {signal.SIGTERM: _raise_terminated, signal.SIGHUP: _raise_terminated, signal.SIGXFSZ: signal.SIG_IGN}
    previous = {number: signal.signal(number, handler) for number, handler in wanted.items()}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


class StopBetweenEpochs:
    """While active, the first Ctrl-C asks training to stop at the next epoch boundary
    (so the epochs done are summarised exactly); a second one interrupts at once."""

    def __init__(self) -> None:
        self.stopped = False
        self._previous = None

    def requested(self) -> bool:
        return self.stopped

    def _on_interrupt(self, signum, frame):
        if self.stopped:
            raise KeyboardInterrupt
        self.stopped = True

    def __enter__(self) -> "StopBetweenEpochs":
        if threading.current_thread() is threading.main_thread():
            self._previous = signal.signal(signal.SIGINT, self._on_interrupt)
        return self

    def __exit__(self, *exc) -> None:
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)
