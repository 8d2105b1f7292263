"""How long a class takes: `nntrace exercise` for 300 students × 20 blanks (every variant drawn,
validated and written in every format) and `nntrace grade` of their 300 submissions. Whole
processes, medians of CPU time, one OpenBLAS thread; each paired with `nntrace check --template
paper` (the start-up and a spec read), so the ratio beside each figure is the work on top.

Targets (issue 23): the class written in under 10 s; its submissions graded in under 10 s.

Each run writes into a folder of its own, and all are removed after the last: ext4 passes over
the inodes freed in the last minutes when it allocates one (fs/ext4/ialloc.c, recently_deleted),
so writing a class's 2,700 files just after deleting the previous class's cost up to 2 s of system
time (0.7 ms a file against 20 us), the benchmark's own doing and not nntrace's. The folders are
made in the current directory (where an instructor writes a class), or in --dir. User and system
time are printed apart: the system time is mostly the files' creation, which the disk sets.

With --instructions (and valgrind installed), also the instructions a class of 30 takes to write:
unlike CPU time on this shared machine, a count that does not move from run to run, so a change's
effect on the work per student shows (about two minutes under valgrind).

    python benchmarks/exercises.py [RUNS] [--instructions] [--dir DIR]
"""

from __future__ import annotations

import csv
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from paired import NNTRACE, ROOT, compile_nntrace

STUDENTS = 300
# The paper's network, drawn; 20 blanks: H_out (9), O_out (3), E (3), δ_out (3), W_out⁺[1,1], b_out⁺.
ASK = "ask: [H_out, O_out, E, {quantity: δ_out, decimals: 4}, {quantity: 'W_out+[1,1]', decimals: 4}, " \
      "{quantity: b_out+, decimals: 4}]\n"  # fmt: skip


def cpu_of(command: list[str]) -> tuple[float, float]:
    """The user and system CPU time of `command`, a whole process."""
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise SystemExit(f"{' '.join(command)} exited {code}: {child.stderr.read().decode()[-500:]}")
    return usage.ru_utime, usage.ru_stime


def measure(label: str, command, yardstick: list[str], runs: int, target: float) -> None:
    """`command(run)` (a new output folder each run) paired with the yardstick, `runs` times."""
    pairs = [(cpu_of(command(run)), sum(cpu_of(yardstick))) for run in range(runs)]
    cpu = statistics.median(sum(a) for a, _ in pairs)
    user = statistics.median(a[0] for a, _ in pairs)
    system = statistics.median(a[1] for a, _ in pairs)
    base = statistics.median(b for _, b in pairs)
    ratio = statistics.median(sum(a) / b for a, b in pairs)
    verdict = "ok" if cpu < target else "OVER TARGET"
    print(f"{label}\n  {cpu:.2f} s CPU (median of {runs}; target < {target} s) {verdict}: user {user:.2f} s, "
          f"system {system:.2f} s; {base:.3f} s for the yardstick, ratio {ratio:.1f}")  # fmt: skip


def planted(key_csv: Path, answers: Path) -> None:
    """Every student's key, a third with a sign error in δ_out[1,1], a third with O_out[1,1] wrong."""
    rows = list(csv.reader(key_csv.open(encoding="utf-8")))
    header, body = rows[0], rows[1:]
    delta, o_out = header.index("delta_out[1,1]"), header.index("O_out[1,1]")
    for number, row in enumerate(body):
        if number % 3 == 1:
            row[delta] = row[delta][1:] if row[delta].startswith("-") else "-" + row[delta]
        elif number % 3 == 2:
            row[o_out] = f"{float(row[o_out]) + 0.111:.3f}"
    with answers.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([header, *body])


def main() -> None:
    arguments = sys.argv[1:]
    counted = "--instructions" in arguments
    where = Path(arguments[arguments.index("--dir") + 1]) if "--dir" in arguments else Path.cwd()
    numbers = [argument for argument in arguments if argument.isdigit()]
    runs = int(numbers[0]) if numbers else 3
    os.environ["OPENBLAS_NUM_THREADS"] = "1"
    compile_nntrace()
    yardstick = [*NNTRACE, "check", "--template", "paper"]
    text = (ROOT / "configs" / "paper-exercise.yaml").read_text("utf-8")
    with tempfile.TemporaryDirectory(prefix="nntrace-class-benchmark-", dir=where) as folder:
        folder = Path(folder)
        template = folder / "class-exercise.yaml"
        template.write_text(text[: text.index("ask:")] + ASK, encoding="utf-8")
        roster = folder / "roster.csv"
        roster.write_text("id,name\n" + "".join(f"s{n:03d},Student {n}\n" for n in range(1, STUDENTS + 1)))

        def exercise(run: int) -> list[str]:
            return [*NNTRACE, "exercise", str(template), "--roster", str(roster), "-o", str(folder / f"class{run}")]

        measure(f"nntrace exercise: {STUDENTS} students x 20 blanks, every format", exercise, yardstick, runs, 10.0)
        answers = folder / "answers.csv"
        planted(folder / "class0" / "key.csv", answers)

        def grade(run: int) -> list[str]:
            key = folder / "class0" / "key.json"
            return [*NNTRACE, "grade", str(key), str(answers), "-o", str(folder / f"graded{run}")]

        measure(f"nntrace grade: {STUDENTS} submissions (a third right, a third a sign error, a third a wrong "
                "output)", grade, yardstick, runs, 10.0)  # fmt: skip
        if counted and shutil.which("valgrind") is None:
            print("(valgrind is not installed: no instruction count)")
        elif counted:
            from instructions import instructions

            thirty = folder / "roster30.csv"
            thirty.write_text("".join(roster.read_text().splitlines(keepends=True)[:31]))
            out = folder / "class-of-30"
            count = instructions([*NNTRACE, "exercise", str(template), "--roster", str(thirty), "-o", str(out)])
            print(f"nntrace exercise: 30 students, instructions\n  {count / 1e9:.2f} G")


if __name__ == "__main__":
    main()
