"""How long a class takes: `nntrace exercise` for 300 students × 20 blanks (every variant drawn,
validated and written in every format) and `nntrace grade` of their 300 submissions. Whole
processes, medians of CPU time, one OpenBLAS thread; each paired with `nntrace check --template
paper` (the start-up and a spec read), so the ratio beside each figure is the work on top.

Targets (issue 23): the class written in under 10 s; its submissions graded in under 10 s.

With --instructions (and valgrind installed), also the instructions a class of 30 takes to write:
unlike CPU time on this shared machine, a count that does not move from run to run, so a change's
effect on the work per student shows (about two minutes under valgrind).

    python benchmarks/exercises.py [RUNS] [--instructions]
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


def cpu_of(command: list[str], before=None) -> float:
    if before is not None:
        before()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise SystemExit(f"{' '.join(command)} exited {code}: {child.stderr.read().decode()[-500:]}")
    return usage.ru_utime + usage.ru_stime


def measure(label: str, command: list[str], clear, yardstick: list[str], runs: int, target: float) -> None:
    pairs = [(cpu_of(command, clear), cpu_of(yardstick)) for _ in range(runs)]
    cpu = statistics.median(a for a, _ in pairs)
    base = statistics.median(b for _, b in pairs)
    ratio = statistics.median(a / b for a, b in pairs)
    verdict = "ok" if cpu < target else "OVER TARGET"
    print(f"{label}\n  {cpu:.2f} s CPU (median of {runs}; target < {target} s) {verdict}; "
          f"{base:.3f} s for the yardstick, ratio {ratio:.1f}")  # fmt: skip


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
    counted = "--instructions" in sys.argv
    arguments = [argument for argument in sys.argv[1:] if argument != "--instructions"]
    runs = int(arguments[0]) if arguments else 3
    os.environ["OPENBLAS_NUM_THREADS"] = "1"
    compile_nntrace()
    yardstick = [*NNTRACE, "check", "--template", "paper"]
    text = (ROOT / "configs" / "paper-exercise.yaml").read_text("utf-8")
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        template = folder / "class-exercise.yaml"
        template.write_text(text[: text.index("ask:")] + ASK, encoding="utf-8")
        roster = folder / "roster.csv"
        roster.write_text("id,name\n" + "".join(f"s{n:03d},Student {n}\n" for n in range(1, STUDENTS + 1)))
        out, graded = folder / "class", folder / "graded"

        def clear(path: Path):
            return lambda: shutil.rmtree(path, ignore_errors=True)

        exercise = [*NNTRACE, "exercise", str(template), "--roster", str(roster), "-o", str(out)]
        measure(f"nntrace exercise: {STUDENTS} students x 20 blanks, every format", exercise, clear(out),
                yardstick, runs, 10.0)  # fmt: skip
        answers = folder / "answers.csv"
        planted(out / "key.csv", answers)
        grade = [*NNTRACE, "grade", str(out / "key.json"), str(answers), "-o", str(graded)]
        measure(f"nntrace grade: {STUDENTS} submissions (a third right, a third a sign error, a third a wrong "
                "output)", grade, clear(graded), yardstick, runs, 10.0)  # fmt: skip
        if counted and shutil.which("valgrind") is None:
            print("(valgrind is not installed: no instruction count)")
        elif counted:
            from instructions import instructions

            thirty = folder / "roster30.csv"
            thirty.write_text("".join(roster.read_text().splitlines(keepends=True)[:31]))
            clear(out)()
            count = instructions([*NNTRACE, "exercise", str(template), "--roster", str(thirty), "-o", str(out)])
            print(f"nntrace exercise: 30 students, instructions\n  {count / 1e9:.2f} G")


if __name__ == "__main__":
    main()
