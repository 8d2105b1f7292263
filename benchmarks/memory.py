"""Memory: a long run keeps 8 bytes per epoch (its loss) and nothing else that grows; the samples
of a large CSV are held once.

  - Peak resident memory of `nntrace run paper --quiet` for 100 and for 1,000,000 epochs, each
    a fresh process (paired.py), and the growth per epoch beyond the first 100. Target: <= 10
    bytes per epoch (1,000,000 epochs within +10 MB).
  - A generated CSV of 1,000,000 rows x 10 columns (8 features 0-255, normalize: max; 2 one-hot
    targets; batches of 1,000, not shuffled), 80 MB as float64: the peak resident memory of
    `nntrace run big.yaml --quiet --epochs 1` beyond that of the same spec on 100 rows, against
    the data array. Target: <= 1.3.

    python benchmarks/memory.py [LONG_EPOCHS]
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from paired import NNTRACE, PYTHON, run_once, verdict

SPEC = """data: {{csv: {name}.csv, target: [a, b], normalize: max}}
loss: cross_entropy
learning_rate: 0.001
batch_size: {batch}
init: {{method: xavier, seed: 1}}
layers:
  - size: 4
  - {{size: 2, activation: softmax}}
"""
ROWS, COLUMNS = 1_000_000, 10


def peak_mb(command: list[str]) -> float:
    return statistics.median(run_once(command).peak_mb for _ in range(3))


def write_csvs(folder: Path) -> None:
    import numpy as np

    rng = np.random.default_rng(0)
    for rows, name, batch in ((ROWS, "big", 1000), (100, "small", 10)):
        features = rng.integers(0, 256, (rows, COLUMNS - 2))
        targets = np.eye(2, dtype=int)[rng.integers(0, 2, rows)]
        header = ",".join([f"x{i}" for i in range(COLUMNS - 2)] + ["a", "b"])
        np.savetxt(folder / f"{name}.csv", np.hstack([features, targets]), fmt="%d", delimiter=",", header=header,
                   comments="")  # fmt: skip
        (folder / f"{name}.yaml").write_text(SPEC.format(name=name, batch=batch), encoding="utf-8")


def main() -> None:
    if sys.argv[1:2] == ["--write"]:
        write_csvs(Path(sys.argv[2]))
        return
    long_epochs = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    short = peak_mb([*NNTRACE, "run", "paper", "--quiet", "--epochs", "100"])
    long = peak_mb([*NNTRACE, "run", "paper", "--quiet", "--epochs", str(long_epochs)])
    per_epoch = (long - short) * 1024 * 1024 / (long_epochs - 100)
    print(f"peak memory, 100 epochs: {short:.1f} MB; {long_epochs:,} epochs: {long:.1f} MB")
    print(f"growth: {per_epoch:.1f} bytes per epoch {verdict(per_epoch, 10)}")
    with tempfile.TemporaryDirectory() as folder:
        # Written by a child: a child's peak memory counts its parent's at the fork.
        subprocess.run([PYTHON, __file__, "--write", folder], check=True)
        small = peak_mb([*NNTRACE, "run", str(Path(folder) / "small.yaml"), "--quiet", "--epochs", "1"])
        big = peak_mb([*NNTRACE, "run", str(Path(folder) / "big.yaml"), "--quiet", "--epochs", "1"])
        array = ROWS * COLUMNS * 8 / 2**20
        ratio = (big - small) / array
        print(f"a CSV of {ROWS:,} rows x {COLUMNS} columns ({array:.0f} MB as float64): peak {big:.0f} MB, "
              f"{big - small:.0f} MB beyond 100 rows' {small:.0f} MB, ratio {ratio:.2f} {verdict(ratio, 1.3)}")  # fmt: skip


if __name__ == "__main__":
    main()
