"""Start-up: nntrace against importing what it is built on (numpy, rich.console, click, yaml).

Whole processes, paired and alternating (paired.py), medians of CPU time. Targets:
`nntrace --version` <= 0.3 of the imports; `nntrace run` (the built-in example, all eleven
steps printed) <= 1.1 of them.

    python benchmarks/startup.py [RUNS]
"""

from __future__ import annotations

import sys

from paired import NNTRACE, PYTHON, paired, report_pair

IMPORTS = [PYTHON, "-c", "import numpy, rich.console, click, yaml"]


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    for arguments, target in ((["--version"], 0.3), (["run"], 1.1)):
        label = " ".join(["nntrace", *arguments])
        result = paired([*NNTRACE, *arguments], IMPORTS, runs)
        report_pair(label, label, "import numpy, rich.console, click, yaml", result, target)


if __name__ == "__main__":
    main()
