"""The long fuzz: seeded hostile cases through every command, counted (issue 26).

Each case is a spec and one command line from tests/fuzzing.py (the generators the fuzz test in CI
draws through hypothesis), drawn here from random.Random(seed, case number), so any case can be run
again alone. A worker process runs the cases through click's runner; a case that takes longer than
--timeout seconds is a hang (the worker is killed and a new one started). Counted:

  tracebacks   an exception reached the user, or the last line of defence (exit 70)
  hangs        a case still running after --timeout seconds
  non-finite   exit 0 with NaN or an infinity printed or written
  other        any exit code but 0, 1 and 2; a numpy warning on stderr

and the exit codes of each command. The target is 0 tracebacks, 0 hangs, 0 non-finite.

    nice -n 19 python benchmarks/fuzz.py [--cases 10000] [--seed 26] [--timeout 20] [--report fuzz.json]
    python benchmarks/fuzz.py --case 1234 [--seed 26]        # one case again, shown in full
"""

from __future__ import annotations

import argparse
import collections
import json
import multiprocessing
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from fuzzing import RandomPick, case, judge, run_case  # noqa: E402


def make_case(seed: int, number: int):
    return case(RandomPick(random.Random(f"{seed}:{number}")))


def outcome_of(seed: int, number: int) -> dict:
    one = make_case(seed, number)
    with tempfile.TemporaryDirectory(prefix="nntrace-fuzz-") as folder:
        started = time.perf_counter()
        outcome = run_case(Path(folder), one)
        seconds = time.perf_counter() - started
    problem = judge(outcome)
    if problem is None and "Warning" in outcome.stderr:
        problem = "warning"
    return {
        "case": number,
        "command": one.arguments[0],
        "exit": outcome.exit_code,
        "problem": problem,
        "seconds": round(seconds, 3),
        "detail": None if problem is None else {
            "arguments": one.arguments,
            "spec": one.spec[:4000],
            "files": {name: content[:2000].decode("utf-8", "replace") for name, content in one.files.items()},
            "stderr": outcome.stderr[-3000:],
            "exception": repr(outcome.exception),
        },
    }


def worker(connection, seed: int) -> None:
    import warnings

    warnings.simplefilter("default")  # a warning is printed (and counted), not raised
    while True:
        number = connection.recv()
        if number is None:
            return
        connection.send(outcome_of(seed, number))


class Runner:
    """One worker process at a time, replaced when a case hangs."""

    def __init__(self, seed: int):
        self.seed = seed
        self.context = multiprocessing.get_context("fork")
        self.start()

    def start(self) -> None:
        self.connection, child = self.context.Pipe()
        self.process = self.context.Process(target=worker, args=(child, self.seed), daemon=True)
        self.process.start()

    def run(self, number: int, timeout: float) -> dict | None:
        self.connection.send(number)
        if self.connection.poll(timeout):
            return self.connection.recv()
        self.process.kill()
        self.process.join()
        self.start()
        return None

    def stop(self) -> None:
        self.connection.send(None)
        self.process.join(10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=26)
    parser.add_argument("--timeout", type=float, default=20.0)
    parser.add_argument("--report", type=Path, help="write every problem case, in full, as JSON")
    parser.add_argument("--case", type=int, help="run one case and show it")
    options = parser.parse_args()
    if options.case is not None:
        print(json.dumps(outcome_of(options.seed, options.case) | {"spec": make_case(options.seed, options.case).spec},
                         indent=2, ensure_ascii=False))  # fmt: skip
        return
    runner = Runner(options.seed)
    counts: collections.Counter = collections.Counter()
    exits: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    problems, slowest = [], []
    started = time.perf_counter()
    for number in range(options.cases):
        result = runner.run(number, options.timeout)
        if result is None:
            one = make_case(options.seed, number)
            detail = {"arguments": one.arguments, "spec": one.spec[:4000]}
            result = {"case": number, "command": one.arguments[0], "exit": None, "problem": "hang",
                      "seconds": options.timeout, "detail": detail}  # fmt: skip
        exits[result["command"]][result["exit"]] += 1
        counts[result["problem"] or "ok"] += 1
        slowest = sorted([*slowest, (result["seconds"], number, result["command"])], reverse=True)[:5]
        if result["problem"]:
            problems.append(result)
            print(f"case {number}: {result['problem']} ({result['command']})", file=sys.stderr)
        if (number + 1) % 500 == 0:
            print(f"{number + 1} cases, {time.perf_counter() - started:.0f} s: {dict(counts)}", file=sys.stderr)
    runner.stop()
    print(f"{options.cases:,} cases (seed {options.seed}) in {time.perf_counter() - started:.0f} s")
    for name in ("traceback", "hang", "non-finite", "warning"):
        print(f"  {name + 's':12} {counts[name]}")
    other = sum(count for name, count in counts.items() if name.startswith("exit "))
    print(f"  {'other exits':12} {other}")
    print("exit codes by command:")
    for command in sorted(exits):
        shown = ", ".join(f"{code}: {count}" for code, count in sorted(exits[command].items(), key=str))
        print(f"  {command:10} {shown}")
    print("slowest cases: " + ", ".join(f"#{number} {command} {seconds:.1f} s" for seconds, number, command in slowest))
    if options.report:
        options.report.write_text(json.dumps(problems, indent=2, ensure_ascii=False), encoding="utf-8")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
