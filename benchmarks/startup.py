"""Start-up: nntrace against importing what it is built on (numpy, rich.console, click, yaml).

Whole processes, paired and alternating (paired.py: one OpenBLAS thread on both sides), medians
of CPU time; then, where valgrind is installed, the instructions each executes (which do not
move with the machine's load). Targets: `nntrace --version` <= 0.3 of the imports; `nntrace run`
(the built-in example, all eleven steps printed) <= 1.2 of them.

    python benchmarks/startup.py [RUNS]
"""

from __future__ import annotations

import shutil
import sys

from instructions import instructions
from paired import NNTRACE, PYTHON, paired, report_line, verdict

IMPORTS = [PYTHON, "-c", "import numpy, rich.console, click, yaml"]
CASES = ((["--version"], 0.3), (["run"], 1.2))


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 21
    print(f"CPU time against `import numpy, rich.console, click, yaml` (median of {runs} pairs, one OpenBLAS thread each)")
    for arguments, target in CASES:
        report_line(" ".join(["nntrace", *arguments]), paired([*NNTRACE, *arguments], IMPORTS, runs), target)
    if shutil.which("valgrind") is None:
        print("(valgrind is not installed: no instruction counts)")
        return
    yardstick = instructions(IMPORTS)
    print(f"instructions against the imports' {yardstick / 1e6:,.0f} M")
    for arguments, target in CASES:
        count = instructions([*NNTRACE, *arguments])
        label = " ".join(["nntrace", *arguments])
        print(f"{label:<44} {count / yardstick:5.2f} {verdict(count / yardstick, target):<28} {count / 1e6:,.0f} M")


if __name__ == "__main__":
    main()
