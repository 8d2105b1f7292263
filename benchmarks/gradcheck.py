"""gradcheck on a large network: 784-256-10 (sigmoid, softmax, cross-entropy) over 5,000 samples.

A generated CSV of 5,000 rows x 794 columns (784 pixels 0-255, every one drawn, so no input is
0 and every sample is computed again for every shift: the worst case; 10 one-hot targets).
Whole processes (paired.py: one OpenBLAS thread), medians of CPU time:
  - `nntrace gradcheck big.yaml --entries 1000`: a seeded sample of 1,000 of its 203,530
    entries. Target: < 10 s.
  - the cost of one entry, from the run with 1,000 entries and one with 100, and so what
    checking every entry would take.

    python benchmarks/gradcheck.py [RUNS]
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from paired import NNTRACE, PYTHON, compile_nntrace, run_once, verdict

SPEC = """name: 784-256-10 on generated images
data: {csv: big.csv, target: [d0, d1, d2, d3, d4, d5, d6, d7, d8, d9], normalize: max}
loss: cross_entropy
learning_rate: 0.01
init: {method: xavier, seed: 1}
layers:
  - size: 256
  - {size: 10, activation: softmax}
"""
ENTRIES = 203_530  # 784 x 256 + 256 + 256 x 10 + 10


def write_big(folder: Path) -> None:
    import numpy as np

    rng = np.random.default_rng(0)
    pixels = rng.integers(1, 256, (5_000, 784))
    one_hot = np.eye(10, dtype=int)[rng.integers(0, 10, 5_000)]
    header = ",".join([f"p{i}" for i in range(784)] + [f"d{i}" for i in range(10)])
    np.savetxt(folder / "big.csv", np.hstack([pixels, one_hot]), fmt="%d", delimiter=",", header=header, comments="")
    (folder / "big.yaml").write_text(SPEC, encoding="utf-8")


def main() -> None:
    if sys.argv[1:2] == ["--write"]:
        write_big(Path(sys.argv[2]))
        return
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    compile_nntrace()
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run([PYTHON, __file__, "--write", folder], check=True)  # a child: see sizes.py
        spec = str(Path(folder) / "big.yaml")
        seconds = {}
        for entries in (100, 1000):
            command = [*NNTRACE, "gradcheck", spec, "--entries", str(entries)]
            run_once(command)  # warm the file cache
            seconds[entries] = statistics.median(run_once(command).cpu for _ in range(runs))
        per_entry = (seconds[1000] - seconds[100]) / 900
        print(f"nntrace gradcheck (784-256-10, 5,000 samples) --entries 1000: {seconds[1000]:.2f} s CPU (median of "
              f"{runs}) {verdict(seconds[1000], 10)}")  # fmt: skip
        print(f"  {per_entry * 1e3:.1f} ms an entry (from --entries 100: {seconds[100]:.2f} s); every entry, "
              f"{ENTRIES:,} of them: about {per_entry * ENTRIES / 60:.0f} minutes")  # fmt: skip


if __name__ == "__main__":
    main()
