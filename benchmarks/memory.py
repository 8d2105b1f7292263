"""Memory: a long run keeps no per-epoch state beyond the loss history.

Runs `nntrace run configs/paper.yaml --quiet` for 100 and for 1,000,000 epochs in
child processes and prints their peak resident memory. Target: the long run peaks
within 50 MB of the short one.

    python benchmarks/memory.py [LONG_EPOCHS]
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_MB = 50


def peak_mb(epochs: int) -> float:
    code = (
        "import resource, sys; from nntrace.cli import main\n"
        "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, "run", str(ROOT / "configs" / "paper.yaml"), "--quiet", "--epochs", str(epochs)],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(done.stderr.strip().splitlines()[-1]) / 1024  # ru_maxrss is in KiB on Linux


def main() -> None:
    long_epochs = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    short, long = peak_mb(100), peak_mb(long_epochs)
    print(f"peak memory, 100 epochs:       {short:.1f} MB")
    print(f"peak memory, {long_epochs:,} epochs: {long:.1f} MB")
    growth = long - short
    print(f"growth: {growth:.1f} MB (target <= {TARGET_MB} MB) {'ok' if growth <= TARGET_MB else 'OVER TARGET'}")


if __name__ == "__main__":
    main()
