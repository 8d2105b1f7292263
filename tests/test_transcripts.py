"""Golden transcripts: what users see, pinned byte for byte (no colour, fixed width).

Regenerate after an intended change with `python -m pytest --update-goldens`,
then read the diff of transcripts/ before committing it.
"""

from __future__ import annotations

import pytest
from conftest import GOLDEN_WIDTH, ROOT

CASES = {
    "run-paper.txt": (["run", "--expand"], GOLDEN_WIDTH),
    "run-paper-80-columns.txt": (["run", "--no-expand"], "80"),
    "run-paper-round-3.txt": (["run", "--round", "3", "--precision", "4", "--no-expand"], GOLDEN_WIDTH),
    "step-paper-epoch2-step10.txt": (["step", "--epoch", "2", "--step", "10"], GOLDEN_WIDTH),
    "run-two-hidden.txt": (["run", "configs/two-hidden.yaml"], GOLDEN_WIDTH),
    "run-tanh-relu-mse.txt": (["run", "configs/tanh-relu-mse.yaml"], GOLDEN_WIDTH),
    "run-softmax.txt": (["run", "configs/softmax.yaml"], GOLDEN_WIDTH),
    "run-softplus.txt": (["run", "configs/softplus.yaml"], GOLDEN_WIDTH),
    "run-elu.txt": (["run", "configs/elu.yaml"], GOLDEN_WIDTH),
    "run-silu.txt": (["run", "configs/silu.yaml"], GOLDEN_WIDTH),
    "run-classic-2-2-2-columns.txt": (["run", "configs/classic-2-2-2-columns.yaml", "--precision", "8"], GOLDEN_WIDTH),
    "run-classic-2-2-2-rows.txt": (["run", "configs/classic-2-2-2-rows.yaml", "--precision", "8"], GOLDEN_WIDTH),
    "run-paper-adam.txt": (["run", "configs/paper-adam.yaml", "--show", "all", "--precision", "6"], GOLDEN_WIDTH),
    "run-paper-momentum.txt": (
        ["run", "configs/paper-momentum.yaml", "--show", "all", "--precision", "6"],
        GOLDEN_WIDTH,
    ),
    "forward-xor-step.txt": (["forward", "configs/xor-step.yaml"], GOLDEN_WIDTH),
    "forward-digits.txt": (["forward", "configs/digits.yaml"], GOLDEN_WIDTH),
    "explain-essay-one-neuron.txt": (
        ["explain", "configs/essay-one-neuron.yaml", "W_out[1,1]", "--precision", "4"],
        GOLDEN_WIDTH,
    ),
    "explain-paper-hidden-weight.txt": (["explain", "W_h[2,3]"], GOLDEN_WIDTH),
    "params-paper.txt": (["params", "4", "5", "7", "5", "2"], GOLDEN_WIDTH),
    "run-paper-training-quiet.txt": (
        ["run", "configs/paper-training.yaml", "--quiet", "--precision", "4"],
        GOLDEN_WIDTH,
    ),
    "run-biomarker-xor-quiet-log.txt": (["run", "configs/biomarker-xor.yaml", "--quiet", "--log-scale"], "80"),
    "check-paper-claims.txt": (["check", "configs/paper-claims.yaml"], GOLDEN_WIDTH),
    "check-essay-claims.txt": (["check", "configs/essay-claims.yaml"], GOLDEN_WIDTH),
    "check-mazur-claims.txt": (["check", "configs/mazur-claims.yaml"], GOLDEN_WIDTH),
}
WRONG_CLAIMS = {"check-paper-claims.txt", "check-essay-claims.txt"}  # exit 1: errata found


@pytest.mark.parametrize("name", list(CASES))
def test_transcript(cli, golden, name, monkeypatch):
    args, width = CASES[name]
    monkeypatch.chdir(ROOT)  # configs/... as a user in the checkout types it
    result = cli(*args, width=width)
    assert result.exit_code == (1 if name in WRONG_CLAIMS else 0), result.stderr
    golden(name, f"$ nntrace {' '.join(args)}\n{result.stdout}")
