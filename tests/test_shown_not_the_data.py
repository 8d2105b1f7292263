"""What a run shows grows with what is shown, not with the data: the terminal's view of an epoch,
every document format and the drawing of a spec of 60,000 samples are no larger than those of the
same spec on 600: each pass is over all the samples, and every matrix, table and drawing shows
the first and last of them around a marked gap. benchmarks/shown.py times these views on
1,000,000 samples."""

from __future__ import annotations

import numpy as np
import pytest

from nntrace.notation import numbers

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
    "explain-latex": (["W_h[1,1]", "--to", "latex"], None),
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


def _size(cli, spec: str, view: str, monkeypatch, folder) -> tuple[int, int]:
    """The view's size in bytes, and how many numbers it wrote out (numbers.written, through which
    every medium writes a number: writing one that is not shown is the cost that grew with the data)."""
    arguments, written = VIEWS[view]
    monkeypatch.chdir(folder)
    command = view.split("-")[0] if view.split("-")[0] in ("run", "explain", "draw") else "export"
    calls, write = 0, numbers.written

    def counted(*args, **kwargs):
        nonlocal calls
        calls += 1
        return write(*args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(numbers, "written", counted)
        result = cli(command, spec, *arguments, width="100")
    assert result.exit_code == 0, result.stderr
    return (len(result.stdout.encode()) if written is None else (folder / written).stat().st_size), calls


@pytest.mark.parametrize("view", list(VIEWS))
def test_a_view_of_a_hundred_times_the_samples_is_no_larger(cli, specs, view, monkeypatch, tmp_path):
    few, few_numbers = _size(cli, specs[FEW], view, monkeypatch, tmp_path)
    many, many_numbers = _size(cli, specs[MANY], view, monkeypatch, tmp_path)
    # The numbers shown differ, and a count of samples has more digits: a few bytes either way.
    assert many <= few * 1.02 + 64, f"{view}: {many:,} bytes for {MANY:,} samples, {few:,} for {FEW:,}"
    assert few > 1_000  # (the view was written at all)
    # Nor does it write out more numbers to choose what it shows (a matrix's columns, a table's samples).
    assert many_numbers <= few_numbers * 1.02 + 16, f"{view}: {many_numbers:,} numbers written, {few_numbers:,} for {FEW:,}"


def _columns_when_all_were_written(widths: list[int], max_width: int, across: int) -> list[int | None]:
    """The columns a matrix shows, chosen as before only some were written: all if they fit, else
    the first and last around a gap, two fewer places at a time from one fewer, until they fit."""
    from nntrace.common.elision import elided

    count = len(widths)
    if count <= 2 or sum(widths) + count - 1 + 2 <= max_width:
        return list(range(count))
    limit = count - 1
    while True:
        picked = elided(count, limit)
        grid = sum(widths[c] for c in picked if c is not None) + across + len(picked) - 1
        if limit <= 2 or grid + 2 <= max_width:
            return picked
        limit -= 2


def test_a_matrix_of_many_columns_shows_the_columns_it_showed_when_all_were_written():
    from nntrace.terminal.equations import _fitting_columns, written_columns

    rng = np.random.default_rng(25)
    for _ in range(3_000):
        count, max_width, across = int(rng.integers(1, 400)), int(rng.integers(4, 160)), int(rng.choice([1, 3]))
        widths = [int(w) for w in rng.integers(1, 15, count)]
        written = written_columns(count, max_width)
        real = [c for c in written if c is not None]
        picked = _fitting_columns([widths[c] for c in real], max_width, across, gap=None in written)
        shown = [None if c is None else real[c] for c in picked]
        assert shown == _columns_when_all_were_written(widths, max_width, across), (count, max_width, across)
        assert len(real) == count or len(real) <= max_width // 2 + 3  # (of many columns, only what a row can hold)
