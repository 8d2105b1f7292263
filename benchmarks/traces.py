"""Writing a trace: the JSON and the .npz trace of one digits epoch against np.savez of the same arrays.

The 47 records of epoch 1 of configs/digits.yaml (every batch traced) are made once; then, in
turn and in one process (one OpenBLAS thread), the .npz trace (--npz), the JSON trace (--json;
with orjson where it is installed, nntrace[fast], and with the standard library's json) and
np.savez of exactly the arrays the .npz trace holds are written to files, RUNS times each.
Medians of CPU time, the ratio to np.savez taken round by round, and the files' sizes.
Targets: the .npz trace <= 1.2 of np.savez ("about its cost"); the JSON trace <= 3.

    python benchmarks/traces.py [RUNS]
"""

from __future__ import annotations

import os

os.environ["OPENBLAS_NUM_THREADS"] = "1"  # before numpy is imported

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from paired import ROOT, verdict

from nntrace.common.files import resolve_output
from nntrace.engine.network import build_network, train
from nntrace.engine.trace_json import TraceWriter, json_encoder
from nntrace.engine.trace_npz import NpzTraceWriter
from nntrace.spec.validate import load_spec


class StandardLibraryTraceWriter(TraceWriter):
    """The JSON trace as written without orjson."""

    def __init__(self, *args):
        super().__init__(*args)
        self._dumps = json.dumps


def cpu_seconds(write) -> float:
    start = time.process_time()
    write()
    return time.process_time() - start


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    spec = load_spec(ROOT / "configs" / "digits.yaml").with_epochs(1)
    network = build_network(spec)
    training = train(
        network, spec.inputs, spec.targets, 1, batch_size=spec.batch_size, shuffle=spec.shuffle, traced={1}
    )
    records, losses = training.records, training.losses
    start = build_network(spec)  # the trace's head states the starting parameters
    with tempfile.TemporaryDirectory() as folder:
        json_path, orjson_path, npz_path, savez_path = (
            Path(folder) / name for name in ("json.json", "orjson.json", "t.npz", "savez.npz")
        )

        def write(writer_class, path: Path) -> None:
            with writer_class(resolve_output(str(path), "--trace"), spec, start) as writer:
                for record in records:
                    writer.write(record)
                writer.finish(losses)

        write(NpzTraceWriter, npz_path)
        with np.load(npz_path, allow_pickle=False) as written:  # exactly the arrays the .npz trace holds
            arrays = {name: written[name] for name in written.files if name != "trace"}
        numbers = sum(value.size for value in arrays.values())
        cases = {
            "np.savez": lambda: np.savez(savez_path, **arrays),
            "npz trace": lambda: write(NpzTraceWriter, npz_path),
            "JSON, json": lambda: write(StandardLibraryTraceWriter, json_path),
        }
        if json_encoder() is not json.dumps:
            cases["JSON, orjson"] = lambda: write(TraceWriter, orjson_path)
        else:
            print("(orjson is not installed: pip install 'nntrace[fast]' writes the JSON trace with it)")
        for case in cases.values():  # warm up
            case()
        times = {name: [] for name in cases}
        for _ in range(runs):
            for name, case in cases.items():
                times[name].append(cpu_seconds(case))
        sizes = {"np.savez": savez_path, "npz trace": npz_path, "JSON, json": json_path, "JSON, orjson": orjson_path}
        print(f"one digits epoch: {len(records)} records, {len(arrays)} arrays, {numbers:,} numbers "
              f"(median of {runs} rounds, CPU time)")  # fmt: skip
        for name, target in (("np.savez", None), ("npz trace", 1.2), ("JSON, json", 3.0), ("JSON, orjson", 3.0)):
            if name not in cases:
                continue
            seconds = statistics.median(times[name])
            size = sizes[name].stat().st_size / 1e6
            line = f"  {name:<12} {seconds:6.3f} s  {size:6.1f} MB"
            if target is not None:
                ratios = [mine / theirs for mine, theirs in zip(times[name], times["np.savez"])]
                ratio = statistics.median(ratios)
                line += f"  ratio {ratio:5.2f} {verdict(ratio, target)}  {min(ratios):.2f}-{max(ratios):.2f}"
                line += f"; size {size / (sizes['np.savez'].stat().st_size / 1e6):.2f}x"
            print(line)


if __name__ == "__main__":
    main()
