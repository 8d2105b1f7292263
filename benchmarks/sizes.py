"""Real data sizes: the digits, and the essay's 784-16-16-10 on 10,000 generated samples.

Whole processes (paired.py), medians of CPU time:
  - `nntrace run configs/digits.yaml --epochs 1` (epoch 1 shown, then the summary): <= 1.0 s.
  - A generated CSV of 10,000 rows x 794 columns (784 pixels, 10 one-hot targets):
      loading it (nntrace's spec loader) against np.loadtxt, paired: <= 1.5;
      the loader's peak memory beyond the interpreter's, against the loaded arrays: <= 2;
      `nntrace run big.yaml --epochs 1` (epoch 1 of 784-16-16-10 shown): <= 2.0 s.

    python benchmarks/sizes.py [RUNS]
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from paired import NNTRACE, PYTHON, ROOT, median_cpu, paired, report_pair, run_once, verdict

BIG_SPEC = """name: 784-16-16-10 on generated images
data: {csv: big.csv, target: [d0, d1, d2, d3, d4, d5, d6, d7, d8, d9]}
loss: cross_entropy
learning_rate: 0.01
batch_size: 100
epochs: 1
init: {method: xavier, seed: 1}
layers:
  - size: 16
  - size: 16
  - {size: 10, activation: softmax}
"""


def write_big(folder: Path) -> None:
    import numpy as np

    rng = np.random.default_rng(0)
    pixels = rng.integers(0, 256, (10_000, 784))
    one_hot = np.eye(10, dtype=int)[rng.integers(0, 10, 10_000)]
    header = ",".join([f"p{i}" for i in range(784)] + [f"d{i}" for i in range(10)])
    np.savetxt(folder / "big.csv", np.hstack([pixels, one_hot]), fmt="%d", delimiter=",", header=header, comments="")
    (folder / "big.yaml").write_text(BIG_SPEC, encoding="utf-8")


def main() -> None:
    if sys.argv[1:2] == ["--write"]:
        write_big(Path(sys.argv[2]))
        return
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    digits = median_cpu([*NNTRACE, "run", str(ROOT / "configs" / "digits.yaml"), "--epochs", "1"], runs)
    print(f"nntrace run configs/digits.yaml --epochs 1: {digits:.3f} s CPU (median) {verdict(digits, 1.0)}")
    with tempfile.TemporaryDirectory() as folder:
        # Written by a child: a child's peak memory counts its parent's at the fork (Linux keeps
        # ru_maxrss across fork and exec), so this process stays small.
        subprocess.run([PYTHON, __file__, "--write", folder], check=True)
        spec = Path(folder) / "big.yaml"
        csv = spec.with_name("big.csv")
        load = [PYTHON, "-c", f"from nntrace.spec.validate import load_spec; load_spec({str(spec)!r})"]
        loadtxt = [PYTHON, "-c", f"import numpy; numpy.loadtxt({str(csv)!r}, delimiter=',', skiprows=1)"]
        report_pair("loading 10,000 x 794 from CSV", "nntrace's loader", "np.loadtxt", paired(load, loadtxt, runs), 1.5)
        bare = statistics.median(run_once([PYTHON, "-c", "import nntrace.spec.validate"]).peak_mb for _ in range(3))
        peak = statistics.median(run_once(load).peak_mb for _ in range(3))
        arrays = 10_000 * 794 * 8 / 2**20
        ratio = (peak - bare) / arrays
        print(f"  peak beyond the interpreter: {peak - bare:.0f} MB for {arrays:.0f} MB of arrays, "
              f"ratio {ratio:.2f} {verdict(ratio, 2.0)}")  # fmt: skip
        shown = median_cpu([*NNTRACE, "run", str(spec), "--epochs", "1"], runs)
        print(f"nntrace run big.yaml --epochs 1 (784-16-16-10): {shown:.3f} s CPU (median) {verdict(shown, 2.0)}")


if __name__ == "__main__":
    main()
