"""How long `nntrace check` takes: whole processes, paired and alternating (paired.py), medians of
CPU time, with one OpenBLAS thread.

Targets (issue 24): every shipped claims file judged in at most 0.5 s of CPU; a claim on the digits
example (1,500 samples in batches of 32, 64-16-16-10) in at most 1 s, also one after the 94th pass.
Issue 26: a claims file naming a 33,000-character quantity refused in at most 1 s (it took 19 s).
Each is paired with `nntrace check --template` of the same spec (the same start-up, imports and
spec read, and no judging), so the ratio beside each figure is what the judging costs on top.

    python benchmarks/check.py [RUNS]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from paired import NNTRACE, ROOT, compile_nntrace

DIGITS_CLAIMS = {
    "a claim in the first pass": "spec: {spec}\nclaims:\n  - O_out[1,1]: 0.5\n",
    "a claim after the 94th pass (epoch 2's last batch)": "spec: {spec}\nclaims:\n  - epoch: 2\n    W_out+[1,1]: 0.5\n",
}
LONG_NAME = "spec: paper\nclaims:\n  - ? " + "W[1" * 11000 + "\n    : 0.5\n"


def cpu_of(command: list[str], codes: tuple[int, ...]) -> float:
    """One run's CPU seconds (user + system, the kernel's accounting of the child); check exits 1
    for wrong claims and 2 for a file it refuses, which is what some of these runs are for."""
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if code not in codes:
        raise SystemExit(f"{' '.join(command)} exited {code}")
    return usage.ru_utime + usage.ru_stime


def paired(command: list[str], yardstick: list[str], runs: int) -> tuple[float, float, float]:
    """Medians of A's and B's CPU and of the ratios A/B, run A B A B ... after one of each unmeasured."""
    cpu_of(command, (0, 1, 2)), cpu_of(yardstick, (0,))
    pairs = [(cpu_of(command, (0, 1, 2)), cpu_of(yardstick, (0,))) for _ in range(runs)]
    return (statistics.median(a for a, _ in pairs), statistics.median(b for _, b in pairs),
            statistics.median(a / b for a, b in pairs))  # fmt: skip


def measure(label: str, command: list[str], yardstick: list[str], runs: int, target: float) -> None:
    cpu, base, ratio = paired(command, yardstick, runs)
    verdict = "ok" if cpu <= target else "OVER TARGET"
    print(f"{label}\n  {cpu:.3f} s CPU (median; target <= {target} s) {verdict}; "
          f"{base:.3f} s for the yardstick, ratio {ratio:.2f}")  # fmt: skip


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    os.environ["OPENBLAS_NUM_THREADS"] = "1"
    compile_nntrace()
    check = [*NNTRACE, "check"]
    print(f"nntrace check, {runs} runs each, paired with `nntrace check --template SPEC` (start-up and spec read)")
    for name, spec in (("paper-claims", "paper"), ("essay-claims", "essay-one-neuron"), ("mazur-claims", "classic-2-2-2-rows")):
        measure(f"nntrace check {name}", [*check, name], [*check, "--template", spec], runs, 0.5)
    digits = str(ROOT / "configs" / "digits.yaml")
    with tempfile.TemporaryDirectory() as folder:
        for label, text in DIGITS_CLAIMS.items():
            path = Path(folder) / "claims.yaml"
            path.write_text(text.format(spec=digits), encoding="utf-8")
            measure(f"digits, {label}", [*check, str(path)], [*check, "--template", digits], runs, 1.0)
        path = Path(folder) / "long.yaml"
        path.write_text(LONG_NAME, encoding="utf-8")
        measure("a quantity named with 33,000 characters (refused)", [*check, str(path)],
                [*check, "--template", "paper"], runs, 1.0)  # fmt: skip


if __name__ == "__main__":
    main()
