"""The JSON trace: its format, what it records, and that it never leaves half a file."""

from __future__ import annotations

import io
import json

import numpy as np
import pytest
from conftest import CONFIGS


def run_json(cli, *args):
    result = cli("run", *args, "--json", "-")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_document_shape_for_the_paper_example(cli):
    document = run_json(cli)
    assert document["format"] == "nntrace-trace/2"
    assert document["layers"] == [
        {"name": "h", "weights": "W_h", "biases": "b_h", "activation": "sigmoid", "size": 3},
        {"name": "out", "weights": "W_out", "biases": "b_out", "activation": "sigmoid", "size": 1},
    ]
    (record,) = document["records"]
    assert record["epoch"] == 1 and record["batch"] == 1
    assert abs(record["loss"] - 0.354106) < 1e-6
    assert set(record["params_before"]) == set(record["params_after"]) == {"W_h", "b_h", "W_out", "b_out"}
    for key in ("H_in", "H_out", "O_in", "O_out", "E", "slope_O", "slope_H", "delta_out", "E_hidden", "delta_hidden"):
        assert key in record["quantities"]
    assert record["params_before"]["b_h"] == [0.46, 0.72, 0.08]  # biases are flat lists
    assert record["quantities"]["H_in"][1][2] == pytest.approx(1.62, abs=1e-12)
    assert document["spec"]["learning_rate"] == 0.1 and document["spec"]["loss"] == "half_sse"


def test_numbers_are_full_float64_precision(cli):
    from nntrace.engine.network import build_network, train
    from nntrace.spec.validate import load_builtin_example

    spec = load_builtin_example()
    expected = train(build_network(spec), spec.inputs, spec.targets, 1, traced={1}).records[0]
    record = run_json(cli)["records"][0]
    assert np.array_equal(np.array(record["quantities"]["H_out"]), expected.quantities["H_out"])
    assert record["loss"] == expected.loss


def test_all_epochs_by_default_and_trace_epochs_narrows(cli):
    assert [r["epoch"] for r in run_json(cli, "--epochs", "4")["records"]] == [1, 2, 3, 4]
    document = run_json(cli, "--epochs", "12", "--trace-epochs", "1,10,last")
    assert [r["epoch"] for r in document["records"]] == [1, 10, 12]
    assert len(document["losses"]) == 12 and all(r["loss"] is not None for r in document["records"])
    assert document["losses"][9] == document["records"][1]["loss"]


def test_trace_epochs_beyond_the_run_is_an_input_error(cli):
    result = cli("run", "--json", "-", "--trace-epochs", "5")
    assert result.exit_code == 2 and "epochs 1 to 1" in result.stderr and result.stdout == ""


def test_trace_epochs_needs_json(cli):
    result = cli("run", "--trace-epochs", "1")
    assert result.exit_code == 2 and "--json" in result.stderr


def test_stdout_carries_nothing_but_json(cli):
    result = cli("run", "--json", "-")
    json.loads(result.stdout)
    assert result.stdout.lstrip().startswith("{")


def test_file_output_is_complete_and_the_terminal_still_shows_the_steps(cli, tmp_path):
    path = tmp_path / "trace.json"
    result = cli("run", "--json", str(path))
    assert result.exit_code == 0 and "Step 11" in result.stdout
    assert json.loads(path.read_text())["format"] == "nntrace-trace/2"
    assert [p.name for p in tmp_path.iterdir()] == ["trace.json"]


def test_failed_run_leaves_no_file(cli, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("inputs: [[1]]\n", encoding="utf-8")
    result = cli("run", str(bad), "--json", str(tmp_path / "trace.json"))
    assert result.exit_code == 2
    assert [p.name for p in tmp_path.iterdir()] == ["bad.yaml"]


def test_missing_output_directory_is_an_input_error(cli, tmp_path):
    result = cli("run", "--json", str(tmp_path / "nowhere" / "trace.json"))
    assert result.exit_code == 2 and "does not exist" in result.stderr and result.stdout == ""


def test_columns_layout_json_is_in_column_notation(cli):
    from nntrace.engine.trace_reader import read_trace

    result = cli("run", str(CONFIGS / "classic-2-2-2-columns.yaml"), "--json", "-")
    record = json.loads(result.stdout)["records"][0]
    assert record["params_before"]["W_h"] == [[0.15, 0.2], [0.25, 0.3]]
    restored = read_trace(io.StringIO(result.stdout)).records[0]
    assert restored.quantities["X"].shape == (2, 1)  # features x samples


def test_batches_are_recorded_one_record_each(cli, tmp_path):
    spec = (CONFIGS / "paper.yaml").read_text(encoding="utf-8") + "batch_size: 1\n"
    path = tmp_path / "online.yaml"
    path.write_text(spec, encoding="utf-8")
    records = run_json(cli, str(path))["records"]
    assert [(r["epoch"], r["batch"], r["n_batches"], r["samples"]) for r in records] == [
        (1, 1, 3, [1]),
        (1, 2, 3, [2]),
        (1, 3, 3, [3]),
    ]


def test_a_trace_interrupted_midway_leaves_no_file(tmp_path, monkeypatch):
    from nntrace.common.files import resolve_output
    from nntrace.engine.network import build_network
    from nntrace.engine.trace_json import TraceWriter
    from nntrace.spec.validate import load_builtin_example

    spec = load_builtin_example()
    path = tmp_path / "trace.json"
    with pytest.raises(KeyboardInterrupt):
        with TraceWriter(resolve_output(str(path), "--json"), spec, build_network(spec)):
            raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []


def test_orjson_writes_the_same_trace_as_the_standard_library(tmp_path):
    """With nntrace[fast] the JSON trace is written by orjson: the same document, every number the
    same float64 (a non-finite one null), whichever writes it."""
    from conftest import DIVERGING_SPEC
    from tools import require_module

    from nntrace.common.files import resolve_output
    from nntrace.engine import trace_json
    from nntrace.engine.network import build_network, train
    from nntrace.spec.validate import parse_spec

    require_module("orjson", "pip install 'nntrace[fast]'")
    assert trace_json.json_encoder() is not json.dumps
    spec = parse_spec(DIVERGING_SPEC.replace("learning_rate: 1.0e30", "learning_rate: 1.0e307"))
    training = train(build_network(spec), spec.inputs, spec.targets, spec.epochs, traced=range(1, 31))
    texts = []
    for encoder in (trace_json.json_encoder(), json.dumps):
        path = tmp_path / f"{len(texts)}.json"
        with trace_json.TraceWriter(resolve_output(str(path), "--json"), spec, build_network(spec)) as writer:
            writer._dumps = encoder
            for record in training.records:
                writer.write(record)
            writer.finish(training.losses)
        texts.append(path.read_text("utf-8"))
    assert texts[0] != texts[1]  # two writers: compact and with spaces, 1e-05 and 0.00001
    assert json.loads(texts[0]) == json.loads(texts[1])
    assert "null" in texts[0] and "null" in texts[1]  # the infinities of the diverged pass
