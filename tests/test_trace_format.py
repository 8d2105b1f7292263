"""JSON trace format 2: what is constant is written once, the output validates against the
published schema, and the reader restores whole records (format 1 too)."""

from __future__ import annotations

import io
import json
from importlib import resources

import numpy as np
import pytest
from conftest import CONFIGS, DIVERGING_SPEC, write_spec
from tools import require_module

from nntrace.engine.network import build_network, train
from nntrace.engine.trace_reader import read_trace
from nntrace.spec.validate import load_spec

RUNS = {
    "one epoch": [],
    "three epochs": ["--epochs", "3"],
    "online, shuffled": ["--epochs", "3"],  # the spec below adds batch_size 1 and shuffle
    "columns": [str(CONFIGS / "classic-2-2-2-columns.yaml"), "--epochs", "2"],
    "with a gap": ["--epochs", "5", "--trace-epochs", "1,4-5"],
    "forward only": ["--epochs", "0"],
    "adam, mini-batches": [str(CONFIGS / "paper-adam.yaml"), "--epochs", "3"],  # the spec adds batch_size 2
}


def trace_text(cli, tmp_path, name: str) -> str:
    args = RUNS[name]
    if name == "online, shuffled":
        spec = (CONFIGS / "paper.yaml").read_text(encoding="utf-8") + "batch_size: 1\nshuffle: 3\n"
        args = [write_spec(tmp_path, spec), *args]
    if name == "adam, mini-batches":
        spec = (CONFIGS / "paper-adam.yaml").read_text(encoding="utf-8") + "batch_size: 2\n"
        args = [write_spec(tmp_path, spec), *args[1:]]
    result = cli("run", *args, "--json", "-")
    assert result.exit_code == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("name", list(RUNS))
def test_every_trace_validates_against_the_published_schema(cli, tmp_path, name):
    jsonschema = require_module("jsonschema", "pip install jsonschema")
    schema = json.loads(resources.files("nntrace").joinpath("trace.schema.json").read_text("utf-8"))
    jsonschema.validate(json.loads(trace_text(cli, tmp_path, name)), schema)


def test_a_diverged_trace_validates_too(cli, tmp_path):
    jsonschema = require_module("jsonschema", "pip install jsonschema")
    schema = json.loads(resources.files("nntrace").joinpath("trace.schema.json").read_text("utf-8"))
    result = cli("run", write_spec(tmp_path, DIVERGING_SPEC), "--quiet", "--json", "-")
    assert result.exit_code == 1
    jsonschema.validate(json.loads(result.stdout), schema)


def test_constants_and_repeated_parameters_are_written_once(cli, tmp_path):
    records = json.loads(trace_text(cli, tmp_path, "with a gap"))["records"]
    assert [r["epoch"] for r in records] == [1, 4, 5]
    assert all("X" not in r["quantities"] and "y" not in r["quantities"] for r in records)
    assert ["params_before" in r for r in records] == [True, True, False]  # epoch 4 follows a gap


def test_the_reader_restores_what_the_engine_recorded(cli, tmp_path):
    text = trace_text(cli, tmp_path, "online, shuffled")
    spec = load_spec(write_spec(tmp_path, (CONFIGS / "paper.yaml").read_text("utf-8") + "batch_size: 1\nshuffle: 3\n"))
    expected = train(build_network(spec), spec.inputs, spec.targets, 3, batch_size=1, shuffle=3,
                     traced=range(1, 4)).records  # fmt: skip
    restored = read_trace(io.StringIO(text)).records
    assert len(restored) == len(expected) == 9
    for mine, theirs in zip(restored, expected):
        assert mine.samples == tuple(int(i) + 1 for i in theirs.samples)
        for key, value in theirs.params_before.items():
            np.testing.assert_array_equal(mine.params_before[key], value)
        for key in ("X", "y", "H_out", "delta_out"):
            np.testing.assert_array_equal(mine.quantities[key], theirs.quantities[key])


def test_format_1_is_still_read(cli, tmp_path):
    text = trace_text(cli, tmp_path, "three epochs")
    current = read_trace(io.StringIO(text))
    document = json.loads(text)
    document["format"] = "nntrace-trace/1"
    for raw, whole in zip(document["records"], current.records):  # as format 1 wrote every record
        raw["params_before"] = {key: value.tolist() for key, value in whole.params_before.items()}
        raw["quantities"] = {key: value.tolist() for key, value in whole.quantities.items()}
    old = read_trace(io.StringIO(json.dumps(document)))
    assert old.format == "nntrace-trace/1" and len(old.records) == 3
    for mine, theirs in zip(old.records, current.records):
        for key, value in theirs.quantities.items():
            np.testing.assert_array_equal(mine.quantities[key], value)
    with pytest.raises(ValueError, match="not an nntrace trace"):
        read_trace(io.StringIO('{"format": "something else"}'))


def test_an_optimisers_state_is_recorded_before_and_after_each_update(cli, tmp_path):
    trace = read_trace(io.StringIO(trace_text(cli, tmp_path, "adam, mini-batches")))
    assert trace.spec["optimizer"] == {"name": "adam", "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weight_decay": 0.0}
    updates = [record.optimizer for record in trace.records]
    assert [update["t"] for update in updates] == [1, 2, 3, 4, 5, 6]  # two batches an epoch
    assert updates[0]["before"] == {}  # no state before the first update: zeros
    for earlier, later in zip(updates, updates[1:]):
        for key, state in earlier["after"].items():
            for name, value in state.items():
                np.testing.assert_array_equal(later["before"][key][name], value)
    # m after the first update is (1 - beta1) g, g = -dW (the recorded descent direction)
    first = trace.records[0]
    np.testing.assert_allclose(first.optimizer["after"]["W_out"]["m"], -0.1 * first.quantities["dW_out"], rtol=1e-12)
