"""Reading input: inline YAML data at the C loader's speed (issue 25), and limits checked early,
so a hostile or faulty input costs no more than a good one of its size (issue 26).

Whole processes (paired.py), medians of CPU time, one OpenBLAS thread; peak memory is the child's.
  - 10,000 samples x 10 features inline in YAML: nntrace's loader against PyYAML's C loader
    (yaml.load(..., Loader=yaml.CSafeLoader)), paired: <= 1.0; the Python loader beside them.
  - a legal spec of 1.9 million numbers (19,000 x 100 inline): loaded (load_spec) in <= 15 s, peak <= 400 MB.
  - 16 MB of numbers in one list (past the 2,000,000-value limit): refused in <= 10 s, peak <= 300 MB.
  - a 120 MB CSV whose last cell is not a number: refused at <= 2.5x the time of loading the same
    file without the fault, peak <= 1.5x (it was 2.9 GB).
  - a CSV of 60,000 columns: loaded in <= 2 s (it was 35 s: the header was checked in quadratic time).

    python benchmarks/inputs.py [RUNS]
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from paired import PYTHON, Run, compile_nntrace, paired, report_pair, run_once, verdict

LOAD_SPEC = "from nntrace.spec.validate import load_spec; load_spec({path!r})"


def write_inline(path: Path, rows: int, features: int) -> None:
    rng = random.Random(0)
    inputs = ", ".join("[" + ", ".join(f"{rng.random():.4f}" for _ in range(features)) + "]" for _ in range(rows))
    targets = ", ".join(f"[{rng.randint(0, 1)}]" for _ in range(rows))
    weights = "[" + ", ".join(["[0.01]"] * features) + "]"
    path.write_text(f"inputs: [{inputs}]\ntargets: [{targets}]\nlearning_rate: 0.1\nepochs: 0\n"
                    f"layers: [{{weights: {weights}, biases: [0]}}]\n", encoding="utf-8")  # fmt: skip


def write_csv(path: Path, megabytes: int, fault: bool) -> None:
    rng = random.Random(1)
    header = ",".join(f"x{i}" for i in range(19)) + ",y\n"
    line = ",".join(f"{rng.random():.3f}" for _ in range(19)) + ",1\n"
    block = line * 10_000
    with path.open("w", encoding="utf-8") as out:
        out.write(header)
        for _ in range(megabytes * 1024 * 1024 // len(block)):
            out.write(block)
        out.write(",".join(["0.5"] * 19) + (",oops\n" if fault else ",0\n"))
    path.with_suffix(".yaml").write_text(
        f"data: {{csv: {path.name}, target: y}}\nlearning_rate: 0.1\nepochs: 0\ninit: he\nlayers:\n  - {{size: 1}}\n",
        encoding="utf-8",
    )


def seconds_and_peak(command: list[str], runs: int, expect_failure: bool = False) -> tuple[float, float]:
    """Median CPU seconds and peak MB of `command`; with `expect_failure`, a refusal (exit 2) is timed."""
    results = [run_once(command) if not expect_failure else refused_once(command) for _ in range(runs)]
    return statistics.median(r.cpu for r in results), statistics.median(r.peak_mb for r in results)


def refused_once(command: list[str]) -> Run:
    """As paired.run_once, for a command that must end with exit code 2."""
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    if os.waitstatus_to_exitcode(status) != 2:
        raise SystemExit(f"{' '.join(command)}: expected a refusal (exit 2)")
    return Run(usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    compile_nntrace()
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        inline = folder / "inline.yaml"
        write_inline(inline, 10_000, 10)
        ours = [PYTHON, "-c", f"from nntrace.spec import safe_yaml; safe_yaml.load(open({str(inline)!r}).read())"]
        c_loader = [PYTHON, "-c", f"import yaml; yaml.load(open({str(inline)!r}).read(), Loader=yaml.CSafeLoader)"]
        python_loader = [PYTHON, "-c", f"import yaml; yaml.load(open({str(inline)!r}).read(), Loader=yaml.SafeLoader)"]
        report_pair("10,000 x 10 numbers inline in YAML", "nntrace's loader", "PyYAML's C loader",
                    paired(ours, c_loader, runs), 1.0)  # fmt: skip
        print(f"  PyYAML's Python loader: {statistics.median(run_once(python_loader).cpu for _ in range(3)):.3f} s CPU")

        legal = folder / "legal.yaml"
        write_inline(legal, 19_000, 100)
        cpu, peak = seconds_and_peak([PYTHON, "-c", LOAD_SPEC.format(path=str(legal))], max(1, runs // 2))
        print(f"a legal spec of 1.9 million numbers ({legal.stat().st_size / 2**20:.0f} MB): {cpu:.1f} s CPU "
              f"{verdict(cpu, 15)}, peak {peak:.0f} MB {verdict(peak, 400)}")  # fmt: skip

        hostile = folder / "hostile.yaml"
        row = "[" + ", ".join(["0.1"] * 100) + "]"
        rows = 16 * 2**20 // (len(row) + 2) - 10
        hostile.write_text("inputs: [" + ", ".join([row] * rows) + "]\n", encoding="utf-8")
        cpu, peak = seconds_and_peak([PYTHON, "-c", LOAD_SPEC.format(path=str(hostile))], max(1, runs // 2), True)
        print(f"16 MB of numbers, past the 2,000,000-value limit: refused in {cpu:.1f} s CPU {verdict(cpu, 10)}, "
              f"peak {peak:.0f} MB {verdict(peak, 300)}")  # fmt: skip

        good, bad = folder / "good.csv", folder / "bad.csv"
        write_csv(good, 120, fault=False)
        write_csv(bad, 120, fault=True)
        good_cpu, good_peak = seconds_and_peak([PYTHON, "-c", LOAD_SPEC.format(path=str(good.with_suffix(".yaml")))], 3)
        bad_cpu, bad_peak = seconds_and_peak([PYTHON, "-c", LOAD_SPEC.format(path=str(bad.with_suffix(".yaml")))], 3,
                                             True)  # fmt: skip
        print(f"a 120 MB CSV with one bad cell at its end: refused in {bad_cpu:.1f} s CPU, peak {bad_peak:.0f} MB; "
              f"the same file without the fault loads in {good_cpu:.1f} s, peak {good_peak:.0f} MB")
        print(f"  ratios: time {bad_cpu / good_cpu:.2f} {verdict(bad_cpu / good_cpu, 2.5)}, "
              f"memory {bad_peak / good_peak:.2f} {verdict(bad_peak / good_peak, 1.5)}")  # fmt: skip

        wide = folder / "wide.csv"
        header = ",".join(f"c{i}" for i in range(59_999)) + ",y\n"
        wide.write_text(header + "\n".join(",".join(["1"] * 60_000) for _ in range(3)) + "\n", encoding="utf-8")
        wide.with_suffix(".yaml").write_text(
            "data: {csv: wide.csv, target: y}\nlearning_rate: 0.1\nepochs: 0\ninit: he\nlayers:\n  - {size: 1}\n",
            encoding="utf-8",
        )
        cpu, _ = seconds_and_peak([PYTHON, "-c", LOAD_SPEC.format(path=str(wide.with_suffix(".yaml")))], 3)
        print(f"a CSV of 60,000 columns: loaded in {cpu:.2f} s CPU {verdict(cpu, 2.0)}")


if __name__ == "__main__":
    main()
