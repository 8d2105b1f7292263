"""Cost grows with what is shown, not with the data: each view of a 1,000,000-sample run against
the same run printing only its summary.

The data is memory.py's CSV of 1,000,000 rows (8 features 0-255, normalize: max; two classes),
trained in batches of 1,000 (each view works out epoch 1's first batch and shows it) and as one
full batch (each view shows the whole epoch: every matrix a million rows, or columns, long). The
views: the terminal (`nntrace run`, and `nntrace explain` of one weight), every document format
(`nntrace export --to F`) and the drawing with its values (`nntrace draw --values`), each paired
with `nntrace run --quiet` on the same spec (reading the CSV, training the epoch, the summary:
whole processes, alternating, one OpenBLAS thread, paired.py). Target: each view costs under 1 s
of CPU beyond that run (the medians' difference), and its output's size is printed beside it
(tests/test_shown_not_the_data.py asserts it does not grow with the samples, nor the numbers
written to choose what is shown).

    python benchmarks/shown.py [RUNS]
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

from memory import ROWS
from paired import NNTRACE, PYTHON, paired, verdict

FORMATS = ("latex", "beamer", "typst", "markdown", "html")


def views(spec: str, folder: Path) -> list[tuple[str, list[str], Path | None]]:
    """(label, command, the file it writes or None for stdout) for every view."""
    shown = [("nntrace run", [*NNTRACE, "run", spec, "--epochs", "1"], None),
             ("nntrace explain 'W_h[1,1]'", [*NNTRACE, "explain", spec, "W_h[1,1]"], None)]  # fmt: skip
    for form in FORMATS:
        out = folder / f"out.{form}"
        shown.append((f"nntrace export --to {form}", [*NNTRACE, "export", spec, "--to", form, "-o", str(out)], out))
    out = folder / "net.svg"
    shown.append(("nntrace draw --values", [*NNTRACE, "draw", spec, "--values", "-o", str(out)], out))
    return shown


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        # Written by a child: a child's peak memory counts its parent's at the fork (memory.py).
        subprocess.run([PYTHON, str(Path(__file__).with_name("memory.py")), "--write", name], check=True)
        batches = (folder / "big.yaml").read_text(encoding="utf-8")
        (folder / "full.yaml").write_text(re.sub(r"(?m)^batch_size:.*\n", "", batches), encoding="utf-8")
        print(f"CPU beyond `nntrace run --quiet` on {ROWS:,} samples (medians of {runs} pairs, one OpenBLAS thread)")
        for name, shown in (("big.yaml", "batches of 1,000: the first shown"), ("full.yaml", "one full batch: the epoch shown")):
            spec = str(folder / name)
            quiet = [*NNTRACE, "run", spec, "--quiet", "--epochs", "1"]
            print(f"{shown}:")
            for label, command, written in views(spec, folder):
                result = paired(command, quiet, runs)
                if written is None:
                    size = len(subprocess.run(command, capture_output=True, check=True).stdout)
                else:
                    size = written.stat().st_size
                beyond = result.a - result.b
                print(f"  {label:<44} {beyond:+6.2f} s {verdict(beyond, 1.0):<24} ({result.a:.2f} s against "
                      f"{result.b:.2f} s; output {size / 1000:,.0f} kB)")  # fmt: skip


if __name__ == "__main__":
    main()
