"""Samples from CSV: the loader, normalisation, and its errors (exit code 2, row and column named)."""

from __future__ import annotations

import os
import re
import threading

import numpy as np
import pytest
from conftest import CONFIGS

from nntrace.spec.reading import read_text
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


# --- a file with a problem is read a block at a time (issue 26) -------------------------------------


BAD_FILES = {
    "a word": "a,b,label\n" + "1,2,1\n" * 300 + "3,x,0\n" + "1,2,1\n" * 20,
    "an empty cell": "a,b,label\n" + "1,2,1\n" * 150 + "3,,0\n" + "1,2,1\n" * 20,
    "a short row": "a,b,label\n" + "1,2,1\n" * 200 + "3,0\n",
    "an infinity": "\n\na,b,label\n" + "1,2,1\n" * 250 + "3,inf,0\n",
    "bad UTF-8": "a,b,label\n" + "1,2,1\n" * 250 + "3,\xff,0\n",
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_the_block_reader_names_the_same_cell_as_the_whole_file_reader(tmp_path, monkeypatch, name):
    import nntrace.spec.dataset as dataset

    text = BAD_FILES[name]
    path = write(tmp_path, "")
    (tmp_path / "data.csv").write_bytes(text.encode("latin-1" if "\xff" in text else "utf-8"))
    with pytest.raises(SpecError) as whole:
        load_spec(path)
    monkeypatch.setattr(dataset, "_BLOCK_BYTES", 97)  # blocks of a few lines, cut anywhere
    with pytest.raises(SpecError) as blocks:
        load_spec(path)
    assert str(blocks.value) == str(whole.value)
    assert re.search(r"line \d+|byte \d+", str(whole.value)), str(whole.value)
    # numbered as a reader counts: the header is line 1 (3 after two blank lines)
    expected = {"a word": "line 302", "an empty cell": "line 152", "a short row": "line 202",
                "an infinity": "line 254", "bad UTF-8": "byte 1513"}[name]  # fmt: skip
    assert expected in str(whole.value), str(whole.value)


def test_a_bad_cell_at_the_end_of_a_large_file_is_read_cell_by_cell_in_its_block_alone(tmp_path, monkeypatch):
    import nntrace.spec.dataset as dataset

    path = write(tmp_path, "a,b,label\n" + "0.5,2,1\n" * 20_000 + "3,x,0\n")
    read_by_cells = []
    original = dataset._read_rows

    def counted(lines, *args, **kwargs):
        lines = list(lines)
        read_by_cells.append(len(lines))
        return original(iter(lines), *args, **kwargs)

    monkeypatch.setattr(dataset, "_read_rows", counted)
    monkeypatch.setattr(dataset, "_BLOCK_BYTES", 4096)
    with pytest.raises(SpecError, match="line 20002, column 2: expected a number, found 'x'"):
        load_spec(path)
    assert read_by_cells[0] == 1 and sum(read_by_cells) < 600  # the header, then one block of ~512 rows


def test_a_file_with_quoted_cells_and_lone_carriage_returns_still_loads(tmp_path):
    path = write(tmp_path, 'a,"b",label\r"1",2,1\r3,4,0\r', normalize="none")
    spec = load_spec(path)
    assert spec.inputs.tolist() == [[1.0, 2.0], [3.0, 4.0]] and spec.targets.tolist() == [[1.0], [0.0]]


def test_a_csv_read_from_a_named_pipe(tmp_path):
    import os
    import threading

    path = write(tmp_path, "")
    os.remove(tmp_path / "data.csv")
    os.mkfifo(tmp_path / "data.csv")
    writer = threading.Thread(target=lambda: (tmp_path / "data.csv").write_text("a,b,label\n1,2,1\n3,4,0\n"))
    writer.start()
    spec = load_spec(path)
    writer.join(30)
    assert spec.inputs.tolist() == [[1.0, 2.0], [3.0, 4.0]]


def test_sixty_thousand_columns_are_read_and_named_briefly(tmp_path):
    header = [f"c{i}" for i in range(59_999)] + ["label"]
    row = ",".join(["1"] * 60_000)
    path = write(tmp_path, ",".join(header) + "\n" + row + "\n" + row + "\n", target="nope")
    with pytest.raises(SpecError) as caught:
        load_spec(path)
    message = str(caught.value)
    assert len(message) < 400, len(message)
    assert "its columns are: c0, c1, c2, c3, c4, c5, … (59,992 more) …, c59998, label" in message
    duplicated = header[:59_000] + ["c3"] + header[59_001:]
    (tmp_path / "data.csv").write_text(",".join(duplicated) + "\n" + row + "\n", encoding="utf-8")
    with pytest.raises(SpecError, match="columns 4 and 59001 are both called 'c3'"):
        load_spec(path)


def test_a_csv_above_its_cap_names_the_option_that_lifts_it(cli, tmp_path, monkeypatch):
    import nntrace.spec.dataset as dataset

    path = write(tmp_path, "a,b,label\n" + "1,2,1\n" * 200)  # 1,210 bytes
    monkeypatch.setattr(dataset, "MAX_CSV_BYTES", 1024)
    result = cli("run", str(path), "--epochs", "0")
    assert result.exit_code == 2
    assert "data.csv: " in result.stderr and "is larger than 1 KB, the cap for a CSV file" in result.stderr
    assert "give e.g. --max-input 64MB" in result.stderr
    assert cli("run", str(path), "--epochs", "0", "--max-input", "2KB").exit_code == 0
    lowered = cli("run", str(path), "--epochs", "0", "--max-input", "1000")
    assert lowered.exit_code == 2 and "larger than 1000 bytes, the --max-input given" in lowered.stderr
    refused = cli("run", str(path), "--max-input", "lots")
    assert refused.exit_code == 2 and "expected a size such as 300MB" in refused.stderr


def test_a_cap_far_above_the_file_sets_no_room_aside_for_it(cli, tmp_path):
    # A terabyte's cap: the spec and its CSV are read, from a file and from a pipe, as without it
    # (reading up to the cap once made a buffer of the cap's size: out of memory on every command).
    path = write(tmp_path, "a,b,label\n" + "1,2,1\n" * 20)
    for command in (("run", str(path), "--epochs", "0"), ("gradcheck", str(path))):
        assert cli(*command, "--max-input", "1TB").exit_code == 0, command
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    writer = threading.Thread(target=lambda: pipe.write_text(path.read_text(encoding="utf-8"), encoding="utf-8"),
                              daemon=True)  # (it waits for a reader: a failed read must not hang the run)  # fmt: skip
    writer.start()
    try:
        text = read_text(pipe, "", 2**40, "a spec")  # (a pipe's size is not known before it is read)
    finally:
        writer.join(timeout=10)
    assert text == path.read_text(encoding="utf-8")


def test_sizes_as_users_write_them():
    from nntrace.common.limits import describe_size, parse_size, suggested_limit

    assert [parse_size(text) for text in ("300MB", "2G", "1.5GiB", "512k", "1000", " 4 mb ")] == [
        300 * 2**20, 2 * 2**30, int(1.5 * 2**30), 512 * 2**10, 1000, 4 * 2**20,
    ]  # fmt: skip
    for bad in ("", "MB", "-1MB", "0", "3 parsecs"):
        with pytest.raises(ValueError):
            parse_size(bad)
    assert describe_size(256 * 2**20) == "256 MB" and describe_size(1536 * 2**20) == "1.5 GB"
    assert suggested_limit(269 * 2**20) == "320MB" and suggested_limit(3 * 2**30 + 1) == "4GB"
