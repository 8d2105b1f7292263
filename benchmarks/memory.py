"""Memory: a long run keeps 8 bytes per epoch (its loss) and nothing else that grows.

Peak resident memory of `nntrace run paper --quiet` for 100 and for 1,000,000 epochs, each
a fresh process (paired.py), and the growth per epoch beyond the first 100. Target: <= 10
bytes per epoch (1,000,000 epochs within +10 MB).

    python benchmarks/memory.py [LONG_EPOCHS]
"""

from __future__ import annotations

import statistics
import sys

from paired import NNTRACE, run_once, verdict


def peak_mb(epochs: int) -> float:
    command = [*NNTRACE, "run", "paper", "--quiet", "--epochs", str(epochs)]
    return statistics.median(run_once(command).peak_mb for _ in range(3))


def main() -> None:
    long_epochs = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    short, long = peak_mb(100), peak_mb(long_epochs)
    per_epoch = (long - short) * 1024 * 1024 / (long_epochs - 100)
    print(f"peak memory, 100 epochs: {short:.1f} MB; {long_epochs:,} epochs: {long:.1f} MB")
    print(f"growth: {per_epoch:.1f} bytes per epoch {verdict(per_epoch, 10)}")


if __name__ == "__main__":
    main()
