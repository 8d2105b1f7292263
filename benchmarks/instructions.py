"""Instructions executed by whole processes (valgrind's cachegrind), nntrace beside its yardstick.

On a shared machine CPU time moves by about 5 % from run to run; the instruction count of the
same command does not, so a change's effect shows even when it is smaller than the noise. The
targets are CPU time (speed.py, startup.py): these counts explain them, they do not replace them.
One OpenBLAS thread for every command, so the count is the process's own work.

    python benchmarks/instructions.py        # needs valgrind (Debian: apt-get install valgrind)
"""

from __future__ import annotations

import re
import shutil
import subprocess

from paired import NNTRACE, ONE_THREAD, PYTHON, ROOT, compile_nntrace, verdict

PLAIN = [PYTHON, str(ROOT / "benchmarks" / "plain_numpy.py")]
DIGITS = str(ROOT / "configs" / "digits.yaml")
IMPORTS = [PYTHON, "-c", "import numpy, rich.console, click, yaml"]
# (label, nntrace's command, the yardstick, the target of the CPU ratio the count explains)
CASES = [
    ("nntrace --version", [*NNTRACE, "--version"], IMPORTS, 0.3),
    ("nntrace run (all eleven steps)", [*NNTRACE, "run"], IMPORTS, 1.2),
    ("100 epochs of the digits", [*NNTRACE, "run", DIGITS, "--quiet", "--epochs", "100"], [*PLAIN, "digits", "100"], 1.1),
    (
        "10,000 epochs of the paper's network",
        [*NNTRACE, "run", "paper", "--quiet", "--epochs", "10000"],
        [*PLAIN, "paper", "10000"],
        0.9,
    ),
]


def instructions(command: list[str]) -> int:
    result = subprocess.run(
        ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null", *command],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=ONE_THREAD,
        check=True,
    )
    return int(re.search(r"I\s+refs:\s+([\d,]+)", result.stderr).group(1).replace(",", ""))


def main() -> None:
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (Debian: apt-get install valgrind)")
    compile_nntrace()
    for label, ours, yardstick, target in CASES:
        a, b = instructions(ours), instructions(yardstick)
        print(f"{label:<44} {a / b:5.2f} {verdict(a / b, target):<28} {a / 1e6:,.0f} M against {b / 1e6:,.0f} M")


if __name__ == "__main__":
    main()
