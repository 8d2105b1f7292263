"""Samples from CSV: the loader, normalisation, and its errors (exit code 2, row and column named)."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import CONFIGS

from nntrace.spec.validate import SpecError, load_spec

SPEC = """
data: {csv: data.csv, target: TARGET, normalize: NORMALIZE}
learning_rate: 0.1
layers:
  - weights: [[0.1], [0.2]]
    biases: [0]
"""


def write(tmp_path, csv_text, target="label", normalize="none"):
    (tmp_path / "data.csv").write_text(csv_text, encoding="utf-8")
    path = tmp_path / "spec.yaml"
    path.write_text(SPEC.replace("TARGET", target).replace("NORMALIZE", normalize), encoding="utf-8")
    return path


def test_features_and_target_are_read_and_normalised_by_the_column_maximum(tmp_path):
    spec = load_spec(write(tmp_path, "a,b,label\n2,10,1\n4,5,0\n", normalize="max"))
    np.testing.assert_array_equal(spec.inputs, [[0.5, 1.0], [1.0, 0.5]])
    np.testing.assert_array_equal(spec.targets, [[1], [0]])
    assert spec.feature_names == ("a", "b") and spec.target_names == ("label",)


def test_minmax_and_none(tmp_path):
    assert load_spec(write(tmp_path, "a,b,label\n2,10,1\n4,5,0\n6,0,1\n", normalize="minmax")).inputs.tolist() == [
        [0.0, 1.0],
        [0.5, 0.5],
        [1.0, 0.0],
    ]
    assert load_spec(write(tmp_path, "a,b,label\n2,10,1\n", normalize="none")).inputs.tolist() == [[2.0, 10.0]]


def test_a_list_of_target_columns(tmp_path):
    path = write(tmp_path, "x,y1,y2\n1,0,1\n2,1,0\n").read_text().replace("target: label", "target: [y1, y2]")
    spec_path = tmp_path / "two.yaml"
    spec_path.write_text(
        path.replace("weights: [[0.1], [0.2]]", "weights: [[0.1, 0.2]]").replace("biases: [0]", "biases: [0, 0]"),
        encoding="utf-8",
    )
    spec = load_spec(spec_path)
    assert spec.inputs.shape == (2, 1) and spec.targets.tolist() == [[0, 1], [1, 0]]


@pytest.mark.parametrize(
    "csv_text, target, fragments",
    [
        ("a,b\n1,2\n", "label", ["data.target", "'label'", "a, b"]),
        ("", "label", ["data.csv", "empty"]),
        ("a,b,label\n", "label", ["no samples"]),
        ("a,b,label\n1,2,1\n3,x,0\n", "label", ["line 3, column 2", "'x'"]),
        ("a,b,label\n1,2,1\n3,,0\n", "label", ["line 3, column 2", "empty"]),
        ("a,b,label\n1,2,1\n3,0\n", "label", ["line 3", "2 cells", "3 columns"]),
    ],
)
def test_bad_csv_is_a_clear_error(tmp_path, csv_text, target, fragments):
    with pytest.raises(SpecError) as caught:
        load_spec(write(tmp_path, csv_text, target))
    for fragment in fragments:
        assert fragment in str(caught.value)


def test_missing_csv_file_and_exit_code(cli, tmp_path):
    path = tmp_path / "spec.yaml"
    path.write_text(SPEC.replace("TARGET", "label").replace("NORMALIZE", "max"), encoding="utf-8")
    result = cli("run", str(path))
    assert result.exit_code == 2 and "data.csv" in result.stderr and "no such file" in result.stderr


def test_the_shipped_csv_example_runs_from_any_directory(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli("run", str(CONFIGS / "biomarker-xor.yaml"), "--quiet")
    assert result.exit_code == 0, result.stderr
    assert "16 of 16 samples classified correctly" in result.stdout


def test_steps_show_the_normalised_inputs(cli):
    out = cli("run", str(CONFIGS / "biomarker-xor.yaml"), "--epochs", "1", "--no-expand").stdout
    assert "1.000" in out.split("Step 2")[0]  # the column maxima are 1 after normalising
    assert "56.7" not in out


def test_data_and_inline_inputs_together_is_an_error(tmp_path):
    path = write(tmp_path, "a,b,label\n1,2,1\n")
    path.write_text(path.read_text() + "inputs: [[1, 2]]\n", encoding="utf-8")
    with pytest.raises(SpecError, match="cannot be combined"):
        load_spec(path)


def test_numpy_parses_the_file_and_the_checking_path_agrees(tmp_path):
    from nntrace.spec.dataset import DataSpec, load_csv

    rows = ["a,b,y", "1.5, 2,1", "", "3,4.25,0"]
    plain = tmp_path / "plain.csv"
    plain.write_text("\n".join(rows) + "\n", encoding="utf-8")
    quoted = tmp_path / "quoted.csv"  # numpy does not take quoted cells: the checking path reads it
    quoted.write_text('a,b,y\n"1.5","2",1\n\n3,4.25,0\n', encoding="utf-8")
    first, second = (load_csv(DataSpec(path, ("y",), "none")) for path in (plain, quoted))
    np.testing.assert_array_equal(first.inputs, [[1.5, 2.0], [3.0, 4.25]])
    np.testing.assert_array_equal(first.inputs, second.inputs)
    np.testing.assert_array_equal(first.targets, second.targets)


@pytest.mark.parametrize(
    "cells",
    [
        ["0", "255", "-7", "+3", " 12", "007"],
        ["9007199254740993", "-9007199254740995", "123456789012345678"],  # beyond 2**53: rounded as strtod does
        ["99999999999999999999", "1", "2"],  # beyond int64: parsed as floats
        ["-0", "5", "6"],  # the float path keeps the sign of zero
        ["1e3", "2", "3"],
    ],
)
def test_a_file_of_whole_numbers_gives_the_floats_its_digits_parse_to(tmp_path, monkeypatch, cells):
    """Each cell against Python's own float() of its text, bit for bit (the sign of zero included)."""
    from nntrace.spec import dataset
    taken = []
    monkeypatch.setattr(dataset, "_as_float64", lambda a, convert=dataset._as_float64: taken.append(a) or convert(a))
    path = tmp_path / "whole.csv"
    names = [f"c{i}" for i in range(len(cells))]
    path.write_text(",".join(names) + "\n" + "\n".join([",".join(cells)] * 3) + "\n", encoding="utf-8")
    samples = dataset.load_csv(dataset.DataSpec(path, (names[-1],), "none"))
    expected = np.array([float(cell) for cell in cells[:-1]])
    for row in samples.inputs:
        assert row.tobytes() == expected.tobytes()
    assert samples.targets[0, 0] == float(cells[-1])
    integral = not any(mark in "".join(cells) for mark in ("-0", "e", "999999999999"))
    assert bool(taken) == integral


def test_a_large_whole_number_file_is_converted_block_by_block(tmp_path):
    from nntrace.spec.dataset import _as_float64

    integers = np.arange(-2500, 2500, dtype=np.int64).reshape(2500, 2) * 3_000_000_007
    expected = integers.astype(np.float64)
    floats = _as_float64(integers.copy(), rows=7)
    assert floats.tobytes() == expected.tobytes()
