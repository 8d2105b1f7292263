"""The nntrace command line: parse options, call the API, map errors to exit codes.

Exit codes: 0 success; 1 training diverged, a quantity became NaN or infinite, or a gradient
check failed; 2 bad input or usage (nothing was written); 70 a bug in nntrace (an exception no
input should reach: one line says so, NNTRACE_DEBUG=1 shows the traceback); 130 interrupted by
Ctrl-C; 141 the reader of stdout went away (`nntrace run | head`); 129 and 143 hung up or terminated.
Results go to stdout, progress and messages to stderr.

The group (group.py) maps every way a command can end to its exit code; each command lives in the
module of its kind (training.py: run, step, forward; explain.py; checking.py: check, gradcheck;
documents.py: export, draw; specs.py: examples, new, params; classes.py: exercise, grade), which is
imported only when that command is the one run: `nntrace run` does not define the options of the
twelve others (their click decorators were a third of the cost of importing the command line).
shared.py holds what the commands share: bad input, the options, the spec and trace, the outputs.

May import: api, common.
"""

import os

# Measured on this project's 2-core machines: for these small matrices a second OpenBLAS thread
# costs CPU and saves no time (784-16-16-10, 2,000 samples: 0.76x the CPU on one thread, the same
# wall time). Set before numpy is first imported; an explicit OPENBLAS_NUM_THREADS wins.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from nntrace.cli.group import main  # noqa: E402  (after the thread count, which numpy reads as it loads)

__all__ = ["main"]
