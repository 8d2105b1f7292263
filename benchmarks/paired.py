"""Whole-process measurements, two commands paired and alternating: A B A B ...

Each run is a fresh process; its CPU time (user + system) and peak resident memory are the
kernel's accounting of that child (os.wait4). Medians are reported, and the ratio A/B is
taken pair by pair, so a machine whose speed drifts during the call moves both sides alike;
the range of the pairs' ratios is printed beside the median.

Every command runs with one OpenBLAS thread (OPENBLAS_NUM_THREADS=1), nntrace and yardstick
alike: OpenBLAS's own default starts a thread per core, which spins while it waits for work and
bills that CPU time to the process, so a yardstick left with it is inflated by whatever the
other core is doing (the four imports of startup.py: 1.27 times the CPU time of one thread, median of
15 pairs, farm-bench, 2026-12-04).
"""

from __future__ import annotations

import compileall
import os
import statistics
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
_script = Path(PYTHON).parent / "nntrace"
NNTRACE = [str(_script)] if _script.exists() else [PYTHON, "-m", "nntrace"]
ONE_THREAD = {**os.environ, "OPENBLAS_NUM_THREADS": "1"}


@dataclass(frozen=True)
class Run:
    cpu: float  # seconds, user + system
    peak_mb: float


def run_once(command: list[str]) -> Run:
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ONE_THREAD)
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    error = child.stderr.read().decode(errors="replace")
    child.stderr.close()
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({child.returncode}):\n{error}")
    return Run(usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)  # ru_maxrss: KiB on Linux


def compile_nntrace() -> None:
    """Write nntrace's bytecode, as any installed package has it.

    pip compiles a package when it installs it and Python writes the bytecode on first import, but an
    editable install compiles nothing and these machines set PYTHONDONTWRITEBYTECODE: without this,
    every run would compile nntrace's sources again and the figures would time the compiler.
    """
    compileall.compile_dir(ROOT / "nntrace", quiet=1)
    compileall.compile_dir(ROOT / "configs", quiet=1)  # the package nntrace.examples


def median_cpu(command: list[str], runs: int) -> float:
    compile_nntrace()
    run_once(command)  # warm the file cache
    return statistics.median(run_once(command).cpu for _ in range(runs))


class Paired(NamedTuple):
    a: float  # median CPU seconds of A
    b: float  # median CPU seconds of B
    ratio: float  # median of the pairs' ratios A/B
    low: float  # the smallest and largest of those ratios
    high: float
    pairs: int


def paired(a: list[str], b: list[str], runs: int) -> Paired:
    """Median CPU seconds of A and of B, and the median (and range) of the pairwise ratios A/B."""
    compile_nntrace()
    run_once(a), run_once(b)
    pairs = [(run_once(a).cpu, run_once(b).cpu) for _ in range(runs)]
    ratios = [x / y for x, y in pairs]
    return Paired(
        statistics.median(x for x, _ in pairs),
        statistics.median(y for _, y in pairs),
        statistics.median(ratios),
        min(ratios),
        max(ratios),
        runs,
    )


def verdict(value: float, target: float) -> str:
    return f"(target <= {target}) {'ok' if value <= target else 'OVER TARGET'}"


def report_pair(label: str, a_label: str, b_label: str, result: Paired, target: float) -> None:
    print(f"{label}")
    print(f"  {a_label}: {result.a:.3f} s CPU (median)")
    print(f"  {b_label}: {result.b:.3f} s CPU (median)")
    print(f"  ratio: {result.ratio:.2f} {verdict(result.ratio, target)}; {result.low:.2f}-{result.high:.2f} over {result.pairs} pairs")


def report_line(label: str, result: Paired, target: float) -> None:
    """One line: the ratio beside its target, the range of the pairs and the two medians."""
    print(f"{label:<44} {result.ratio:5.2f} {verdict(result.ratio, target):<28} "
          f"{result.low:.2f}-{result.high:.2f} ({result.pairs} pairs; {result.a:.2f} s against {result.b:.2f} s)")  # fmt: skip
