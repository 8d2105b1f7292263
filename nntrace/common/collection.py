"""Garbage collection in a batch of many like pieces of work: a class's variants, its files.

Python's collector looks at its youngest objects every 700 allocations beyond deallocations, and
walks those that survive again in its older generations. A class's work allocates tens of millions
of small objects (the nodes of every student's solution, the lines written from them); nearly all
die by reference counting, and almost none are in cycles (300 students peak at the same memory with
the collector off), but each collection walks whatever is alive at that moment: the kept answers
(common.kept), the class's key, what a student's files are being written from. At 300 students the
walks took 0.7 s of 10 s with the youngest generation collected every 50,000 allocations, 0.14 s
every 200,000, and nothing every 1,000,000, which a class of 300 never reaches. So in a batch the
youngest generation is collected every 1,000,000 allocations (cyclic garbage is still collected, at
most that many allocations late); afterwards the thresholds are as they were.

A command-line process is such a batch from its first import (`for_a_process`): most of what its
imports and its work allocate lives until it exits, so walking it again and again frees nothing.
When its command is done (`at_the_end`), everything still alive is frozen out of the collector: the
interpreter's exit collects twice over all of it (the modules it imported, their classes and
functions, which are cycles) to free memory the operating system takes back anyway. That walk was
about 50 M instructions of `nntrace run`'s 784 M, more than all of its eleven steps' equations.
Nothing is lost by it: exit handlers still run, objects freed by reference counting are still
finalised, and Python never promised to finalise what is left in cycles at exit.
"""

from __future__ import annotations

import contextlib
import gc

YOUNGEST = 1_000_000  # allocations between collections of the youngest generation in a batch
PROCESS_YOUNGEST = 50_000  # the same for a whole command-line process (measured: benchmarks/startup.py)


@contextlib.contextmanager
def batch():
    """The collector's youngest generation collected every YOUNGEST allocations, for the block."""
    kept = gc.get_threshold()
    gc.set_threshold(max(YOUNGEST, kept[0]), *kept[1:])
    try:
        yield
    finally:
        gc.set_threshold(*kept)


def for_a_process() -> None:
    """The collector's youngest generation collected every PROCESS_YOUNGEST allocations from here on:
    for the console script, whose process ends with its command (a library's caller keeps its own)."""
    kept = gc.get_threshold()
    gc.set_threshold(max(PROCESS_YOUNGEST, kept[0]), *kept[1:])


def at_the_end() -> None:
    """Everything alive now left out of the collections the interpreter makes as it exits: for the
    console script, once its command is done (a library's caller goes on)."""
    gc.freeze()
