"""Cost grows with what is shown, not with the data: each view of a 1,000,000-sample run against
the same run printing only its summary.

The data is memory.py's CSV of 1,000,000 rows (8 features 0-255, normalize: max; two classes;
batches of 1,000). Each view works out epoch 1's first batch and shows it: the terminal
(`nntrace run`), every document format (`nntrace export --to F`) and the drawing with its values
(`nntrace draw --values`), each paired with `nntrace run --quiet` (reading the CSV, training the
epoch, the summary: whole processes, alternating, one OpenBLAS thread, paired.py). Target: each
view costs under 1 s of CPU beyond that run (the medians' difference), and its output's size is
printed beside it (tests/test_shown_not_the_data.py asserts it does not grow with the samples).

    python benchmarks/shown.py [RUNS]
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from memory import ROWS
from paired import NNTRACE, PYTHON, paired, verdict

FORMATS = ("latex", "beamer", "typst", "markdown", "html")


def views(spec: str, folder: Path) -> list[tuple[str, list[str], Path | None]]:
    """(label, command, the file it writes or None for stdout) for every view."""
    shown = [("nntrace run (epoch 1, its first batch shown)", [*NNTRACE, "run", spec, "--epochs", "1"], None)]
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
        spec = str(folder / "big.yaml")
        quiet = [*NNTRACE, "run", spec, "--quiet", "--epochs", "1"]
        print(f"CPU beyond `nntrace run --quiet` on {ROWS:,} samples (medians of {runs} pairs, one OpenBLAS thread)")
        for label, command, written in views(spec, folder):
            result = paired(command, quiet, runs)
            if written is None:
                size = len(subprocess.run(command, capture_output=True, check=True).stdout)
            else:
                size = written.stat().st_size
            beyond = result.a - result.b
            print(f"{label:<46} {beyond:+6.2f} s {verdict(beyond, 1.0):<24} ({result.a:.2f} s against "
                  f"{result.b:.2f} s; output {size / 1000:,.0f} kB)")  # fmt: skip


if __name__ == "__main__":
    main()
