"""Untraced training speed: nntrace against the plain numpy loop a user would write.

Whole processes, paired and alternating (paired.py: one OpenBLAS thread on both sides), medians
of CPU time, each ratio printed beside its target:
  - 100,000 epochs of the paper's network: `nntrace run paper --quiet` against
    plain_numpy.py paper (the same arithmetic; checked to give the same losses first).
    Target: <= 0.9.
  - 100 epochs of the digits (configs/digits.yaml, batches of 32) against plain_numpy.py
    digits on the same CSV. Target: <= 1.1.
  - Every optimiser, update order and bias sharing (plain_numpy.VARIANTS), on the paper's
    network (30,000 epochs) and on the digits (100 epochs), against the same loop with the
    same rule written as a user would (checked to give the same losses first). Target: <= 1.1.

    python benchmarks/speed.py [RUNS] [NAME ...]   # NAMEs: sgd or a variant, to run only those
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import numpy as np
import plain_numpy  # beside this script, so on the path it is run with
from paired import NNTRACE, PYTHON, ROOT, paired, report_line

PLAIN = [PYTHON, str(ROOT / "benchmarks" / "plain_numpy.py")]
PAPER_EPOCHS, VARIANT_EPOCHS, DIGITS_EPOCHS = 100_000, 30_000, 100


def variant_specs(folder: Path, variant: str) -> tuple[Path, Path]:
    """configs/paper.yaml and configs/digits.yaml with the variant's lines, written to `folder`."""
    lines = plain_numpy.VARIANTS[variant][0]
    paper = folder / f"paper-{variant}.yaml"
    paper_text = (ROOT / "configs" / "paper.yaml").read_text()
    if variant == "per-layer":  # one bias a layer: each layer's first, as plain_numpy takes it
        paper_text = paper_text.replace("biases: [0.46, 0.72, 0.08]", "biases: 0.46")
    paper.write_text(paper_text + "\n" + lines + "\n")
    digits_text = (ROOT / "configs" / "digits.yaml").read_text()
    digits_text = digits_text.replace("csv: digits.csv", f"csv: {ROOT / 'configs' / 'digits.csv'}")
    digits = folder / f"digits-{variant}.yaml"
    digits.write_text(digits_text + "\n" + lines + "\n")
    return paper, digits


def same_numbers(spec_path: Path, variant: str | None, epochs: int) -> None:
    """The paper's loop and nntrace's engine agree, so the timing compares the same work (to the
    last bits: nntrace sums over the samples by one BLAS call, the loop by numpy's sum)."""
    from nntrace.engine.network import build_network, train
    from nntrace.spec.validate import load_spec

    spec = load_spec(spec_path)
    network = build_network(spec)
    training = train(network, spec.inputs, spec.targets, epochs)
    if variant is None:
        losses, (W_h, *_) = plain_numpy.paper(epochs)
    else:
        losses, (W_h, *_) = plain_numpy.paper_variant(epochs, variant)
    assert np.allclose(training.losses, losses, rtol=1e-9, atol=0), f"{variant}: the two loops disagree"
    assert np.allclose(network.parameters()["W_h"], W_h, rtol=1e-9, atol=0), f"{variant}: the two loops disagree"


def main() -> None:
    arguments = sys.argv[1:]
    runs = int(arguments.pop(0)) if arguments and arguments[0].isdigit() else 7
    chosen = set(arguments) or {"sgd", *plain_numpy.VARIANTS}
    paper = ROOT / "configs" / "paper.yaml"
    digits = str(ROOT / "configs" / "digits.yaml")
    print(f"ratio of CPU time, nntrace / plain numpy (median of {runs} pairs, one OpenBLAS thread each)")
    if "sgd" in chosen:
        same_numbers(paper, None, 1000)
        epochs = str(PAPER_EPOCHS)
        result = paired([*NNTRACE, "run", "paper", "--quiet", "--epochs", epochs], [*PLAIN, "paper", epochs], runs)
        report_line(f"paper, sgd, {PAPER_EPOCHS:,} epochs", result, 0.9)
        epochs = str(DIGITS_EPOCHS)
        result = paired([*NNTRACE, "run", digits, "--quiet", "--epochs", epochs], [*PLAIN, "digits", epochs], runs)
        report_line(f"digits, sgd, {DIGITS_EPOCHS} epochs", result, 1.1)
    with tempfile.TemporaryDirectory() as folder:
        for variant in plain_numpy.VARIANTS:
            if variant not in chosen:
                continue
            paper_spec, digits_spec = variant_specs(Path(folder), variant)
            same_numbers(paper_spec, variant, 1000)
            for name, spec, epochs in (("paper", paper_spec, VARIANT_EPOCHS), ("digits", digits_spec, DIGITS_EPOCHS)):
                ours = [*NNTRACE, "run", str(spec), "--quiet", "--epochs", str(epochs)]
                result = paired(ours, [*PLAIN, name, str(epochs), variant], runs)
                report_line(f"{name}, {variant}, {epochs:,} epochs", result, 1.1)


if __name__ == "__main__":
    main()
