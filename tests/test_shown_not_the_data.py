"""What a run shows grows with what is shown, not with the data: the terminal's view of an epoch,
every document format and the drawing of a spec of 60,000 samples are no larger than those of the
same spec on 600: each pass is over all the samples, and every matrix, table and drawing shows
the first and last of them around a marked gap. benchmarks/shown.py times these views on
1,000,000 samples."""

from __future__ import annotations

import numpy as np
import pytest

SPEC = """data: {csv: data.csv, target: [a, b], normalize: max}
loss: cross_entropy
learning_rate: 0.001
epochs: 1
init: {method: xavier, seed: 1}
layers:
  - size: 4
  - {size: 2, activation: softmax}
"""
FEW, MANY = 600, 60_000
# The views, each as the command's arguments after the spec and the file it writes (None: stdout).
VIEWS = {
    "run": ([], None),
    "explain": (["W_h[1,1]"], None),
    **{form: (["--to", form, "-o", f"out.{form}"], f"out.{form}") for form in ("latex", "beamer", "typst", "markdown", "html")},
    "draw": (["--values", "-o", "out.svg"], "out.svg"),
}


def _spec(folder, rows: int) -> str:
    """A spec of `rows` samples of 8 features (0-255, as pixels) and two classes, in `folder`."""
    rng = np.random.default_rng(rows)
    features = rng.integers(0, 256, (rows, 8))
    targets = np.eye(2, dtype=int)[rng.integers(0, 2, rows)]
    header = ",".join([f"x{i}" for i in range(8)] + ["a", "b"])
    folder.mkdir()
    np.savetxt(folder / "data.csv", np.hstack([features, targets]), fmt="%d", delimiter=",", header=header, comments="")
    (folder / "spec.yaml").write_text(SPEC, encoding="utf-8")
    return str(folder / "spec.yaml")


@pytest.fixture(scope="module")
def specs(tmp_path_factory):
    root = tmp_path_factory.mktemp("shown")
    return {rows: _spec(root / str(rows), rows) for rows in (FEW, MANY)}


def _size(cli, spec: str, view: str, monkeypatch, folder) -> int:
    arguments, written = VIEWS[view]
    monkeypatch.chdir(folder)
    command = view if view in ("run", "explain", "draw") else "export"
    result = cli(command, spec, *arguments, width="100")
    assert result.exit_code == 0, result.stderr
    return len(result.stdout.encode()) if written is None else (folder / written).stat().st_size


@pytest.mark.parametrize("view", list(VIEWS))
def test_a_view_of_a_hundred_times_the_samples_is_no_larger(cli, specs, view, monkeypatch, tmp_path):
    few = _size(cli, specs[FEW], view, monkeypatch, tmp_path)
    many = _size(cli, specs[MANY], view, monkeypatch, tmp_path)
    # The numbers shown differ, and a count of samples has more digits: a few bytes either way.
    assert many <= few * 1.02 + 64, f"{view}: {many:,} bytes for {MANY:,} samples, {few:,} for {FEW:,}"
    assert few > 1_000  # (the view was written at all)
