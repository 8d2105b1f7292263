"""Start-up: `nntrace --help` and `--version` against importing what nntrace is built on.

Times each command 15 times in fresh processes and compares the medians with
`python -c "import numpy, rich.console, click, yaml"`. Target: at most 1.5 times it.

    python benchmarks/startup.py
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time

TARGET = 1.5
RUNS = 15


def median_seconds(arguments: list[str]) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run(arguments, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    baseline = median_seconds([sys.executable, "-c", "import numpy, rich.console, click, yaml"])
    print(f"import numpy, rich.console, click, yaml: {baseline * 1000:.0f} ms")
    # The console script that users run, from the environment of this Python.
    script = os.path.join(os.path.dirname(sys.executable), "nntrace")
    command = [script] if os.path.exists(script) else [sys.executable, "-m", "nntrace"]
    for flag in ("--help", "--version"):
        seconds = median_seconds([*command, flag])
        ratio = seconds / baseline
        print(
            f"nntrace {flag}: {seconds * 1000:.0f} ms, ratio {ratio:.2f} (target <= {TARGET}) "
            f"{'ok' if ratio <= TARGET else 'OVER TARGET'}"
        )


if __name__ == "__main__":
    main()
