"""Untraced training speed: nntrace against the plain numpy loop a user would write.

Whole processes, paired and alternating (paired.py), medians of CPU time:
  - 100,000 epochs of the paper's network: `nntrace run paper --quiet` against
    plain_numpy.py paper (the same arithmetic; checked to give the same losses first).
    Target: <= 0.9.
  - 100 epochs of the digits (configs/digits.yaml, batches of 32) against plain_numpy.py
    digits on the same CSV. Target: <= 1.1.
The yardstick runs with OPENBLAS_NUM_THREADS=1 too, its faster setting for these sizes, so
the ratio measures nntrace's own code.

    python benchmarks/speed.py [RUNS]
"""

from __future__ import annotations

import os
import sys

import numpy as np
import plain_numpy  # beside this script, so on the path it is run with
from paired import NNTRACE, PYTHON, ROOT, paired, report_pair

PLAIN = [PYTHON, str(ROOT / "benchmarks" / "plain_numpy.py")]


def same_numbers(epochs: int) -> None:
    """The paper's loop and nntrace's engine agree, so the timing compares the same work (to the last
    bit but where nntrace sums by one BLAS call: the column sums and the loss)."""
    from nntrace.engine.network import build_network, train
    from nntrace.spec.validate import load_spec

    spec = load_spec(ROOT / "configs" / "paper.yaml")
    network = build_network(spec)
    training = train(network, spec.inputs, spec.targets, epochs)
    losses, (W_h, *_) = plain_numpy.paper(epochs)
    assert np.allclose(training.losses, losses, rtol=1e-12, atol=0), "the two loops disagree"
    assert np.allclose(network.parameters()["W_h"], W_h, rtol=1e-12, atol=0)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    os.environ["OPENBLAS_NUM_THREADS"] = "1"
    same_numbers(1000)
    epochs = "100000"
    result = paired([*NNTRACE, "run", "paper", "--quiet", "--epochs", epochs], [*PLAIN, "paper", epochs], runs)
    report_pair(
        "100,000 epochs of the paper's network (4-3-1 sigmoid, 3 samples)",
        "nntrace run paper --quiet --epochs 100000",
        "plain_numpy.py paper 100000",
        result,
        0.9,
    )
    digits = str(ROOT / "configs" / "digits.yaml")
    result = paired([*NNTRACE, "run", digits, "--quiet", "--epochs", "100"], [*PLAIN, "digits", "100"], runs)
    report_pair(
        "100 epochs of the digits (64-16-16-10, 1,500 samples, batches of 32)",
        "nntrace run configs/digits.yaml --quiet --epochs 100",
        "plain_numpy.py digits 100",
        result,
        1.1,
    )


if __name__ == "__main__":
    main()
