"""Instructions executed by whole processes (valgrind's cachegrind), nntrace beside its yardstick.

On a shared machine CPU time moves by about 5 % from run to run; the instruction count of the
same command does not, so a change's effect shows even when it is smaller than the noise. The
targets are CPU time (speed.py, startup.py): these counts explain them, they do not replace them.
One OpenBLAS thread for every command, so the count is the process's own work.

    python benchmarks/instructions.py        # needs valgrind (Debian: apt-get install valgrind)
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess

from paired import NNTRACE, PYTHON, ROOT, compile_nntrace

PLAIN = [PYTHON, str(ROOT / "benchmarks" / "plain_numpy.py")]
DIGITS = str(ROOT / "configs" / "digits.yaml")
CASES = [
    ("nntrace run (all eleven steps)", [*NNTRACE, "run"], [PYTHON, "-c", "import numpy, rich.console, click, yaml"]),
    (
        "100 epochs of the digits",
        [*NNTRACE, "run", DIGITS, "--quiet", "--epochs", "100"],
        [*PLAIN, "digits", "100"],
    ),
    (
        "10,000 epochs of the paper's network",
        [*NNTRACE, "run", "paper", "--quiet", "--epochs", "10000"],
        [*PLAIN, "paper", "10000"],
    ),
]


def instructions(command: list[str]) -> int:
    result = subprocess.run(
        ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null", *command],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "OPENBLAS_NUM_THREADS": "1"},
        check=True,
    )
    return int(re.search(r"I\s+refs:\s+([\d,]+)", result.stderr).group(1).replace(",", ""))


def main() -> None:
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (Debian: apt-get install valgrind)")
    compile_nntrace()
    for label, ours, yardstick in CASES:
        a, b = instructions(ours), instructions(yardstick)
        print(f"{label}: {a / 1e6:,.0f} M instructions against {b / 1e6:,.0f} M, ratio {a / b:.3f}")


if __name__ == "__main__":
    main()
