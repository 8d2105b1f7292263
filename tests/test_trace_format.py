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


# The binary trace (--npz): the same records as the JSON trace, as numpy arrays.


def both_traces(cli, tmp_path, name: str, *extra: str):
    """The run `name` of RUNS written as JSON and as .npz by one run, both read back."""
    args = RUNS[name]
    if name == "online, shuffled":
        args = [write_spec(tmp_path, (CONFIGS / "paper.yaml").read_text("utf-8") + "batch_size: 1\nshuffle: 3\n"), *args]
    if name == "adam, mini-batches":
        spec = (CONFIGS / "paper-adam.yaml").read_text(encoding="utf-8") + "batch_size: 2\n"
        args = [write_spec(tmp_path, spec), *args[1:]]
    json_path, npz_path = tmp_path / "trace.json", tmp_path / "trace.npz"
    result = cli("run", *args, "--quiet", "--json", str(json_path), "--npz", str(npz_path), *extra)
    return result, read_trace(json_path), read_trace(npz_path), npz_path


@pytest.mark.parametrize("name", list(RUNS))
def test_the_npz_trace_reads_back_as_the_json_trace(cli, tmp_path, name):
    result, json_trace, npz_trace, npz_path = both_traces(cli, tmp_path, name)
    assert result.exit_code == 0, result.stderr
    assert npz_trace.format == "nntrace-trace-npz/1"
    assert (npz_trace.round, npz_trace.layers) == (json_trace.round, json_trace.layers)
    spec = dict(npz_trace.spec)
    np.testing.assert_array_equal(spec.pop("inputs"), json_trace.spec["inputs"])
    if "targets" in json_trace.spec:
        np.testing.assert_array_equal(spec.pop("targets"), json_trace.spec["targets"])
    assert spec == {key: value for key, value in json_trace.spec.items() if key not in ("inputs", "targets")}
    np.testing.assert_array_equal(npz_trace.losses, json_trace.losses)
    assert len(npz_trace.records) == len(json_trace.records) > 0
    for mine, theirs in zip(npz_trace.records, json_trace.records):
        assert (mine.epoch, mine.batch, mine.n_batches, mine.samples, mine.loss) == (
            theirs.epoch, theirs.batch, theirs.n_batches, theirs.samples, theirs.loss)  # fmt: skip
        for part in ("params_before", "quantities", "params_after"):
            assert list(getattr(mine, part)) == list(getattr(theirs, part)), part  # the same keys, in order
            for key, value in getattr(theirs, part).items():
                np.testing.assert_array_equal(getattr(mine, part)[key], value, err_msg=f"{part} {key}")
        assert (mine.optimizer is None) == (theirs.optimizer is None)
        if theirs.optimizer is not None:
            assert mine.optimizer["t"] == theirs.optimizer["t"]
            for moment in ("before", "after"):
                for key, states in theirs.optimizer[moment].items():
                    for state, value in states.items():
                        np.testing.assert_array_equal(mine.optimizer[moment][key][state], value)
    with np.load(npz_path, allow_pickle=False) as arrays:  # numpy's own reader, without pickle
        assert "losses" in arrays.files and "trace" in arrays.files


def test_the_npz_trace_keeps_what_a_diverged_run_computed(cli, tmp_path):
    """JSON writes null for a number that is not finite (read back as NaN); the arrays keep the
    infinity itself."""
    # The update of epoch 1 overflows to infinity; epoch 2's pass is recorded with it.
    spec_path = write_spec(tmp_path, DIVERGING_SPEC.replace("learning_rate: 1.0e30", "learning_rate: 1.0e307"))
    result, json_trace, npz_trace, _ = both_traces(cli, tmp_path, "one epoch", spec_path)
    spec = load_spec(spec_path)
    expected = train(build_network(spec), spec.inputs, spec.targets, spec.epochs, traced=range(1, 31))
    assert result.exit_code == 1 and len(npz_trace.records) == len(expected.records) == 2
    last = expected.records[-1].quantities["O_in"]
    assert np.isinf(last).all()
    np.testing.assert_array_equal(npz_trace.records[-1].quantities["O_in"], last)
    assert np.isnan(json_trace.records[-1].quantities["O_in"]).all()
    for mine, theirs in zip(npz_trace.records, expected.records):
        for part in ("params_before", "quantities", "params_after"):
            for key, value in getattr(theirs, part).items():
                np.testing.assert_array_equal(getattr(mine, part)[key], value)


def test_the_npz_trace_streams_to_stdout(tmp_path):
    import subprocess
    import sys

    path = tmp_path / "out.npz"
    with path.open("wb") as out:
        subprocess.run([sys.executable, "-m", "nntrace", "run", "--epochs", "2", "--npz", "-"], stdout=out, check=True)
    trace = read_trace(path)
    assert [record.epoch for record in trace.records] == [1, 2] and len(trace.losses) == 2
    with path.open("rb") as binary:  # an open binary file is read too
        assert read_trace(binary).records[1].params_after.keys() == trace.records[1].params_after.keys()


def test_an_npz_trace_is_refused_where_json_would_be(cli, tmp_path):
    result = cli("run", "--npz", str(tmp_path / "t.npz"), "--json", str(tmp_path / "t.npz"))
    assert result.exit_code == 2 and "would both write" in result.stderr
    result = cli("run", "--npz", str(tmp_path / "nowhere" / "t.npz"))
    assert result.exit_code == 2 and "does not exist" in result.stderr
    result = cli("run", "--trace-epochs", "1")
    assert result.exit_code == 2 and "--npz" in result.stderr
    result = cli("run", "--npz", str(tmp_path / "trace.json"))  # a zip archive under a JSON name
    assert result.exit_code == 2 and "does not end in .npz" in result.stderr and "--json PATH" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_damaged_trace_is_named_as_such(cli, tmp_path):
    import nntrace

    path = tmp_path / "t.npz"
    assert cli("run", "--npz", str(path)).exit_code == 0
    assert len(nntrace.read_trace(path).records) == 1  # (the public name)
    whole = path.read_bytes()
    for damaged, said in ((whole[: len(whole) // 2], "a damaged .npz archive"),
                          (b"\x00\xa1 not a trace", "neither an .npz archive nor JSON"),
                          (b"[1, 2]", "not an nntrace trace: format None")):  # fmt: skip
        path.write_bytes(damaged)
        with pytest.raises(ValueError, match=said):
            read_trace(path)


def test_an_npz_trace_interrupted_midway_leaves_no_file(tmp_path):
    from nntrace.common.files import resolve_output
    from nntrace.engine.trace_npz import NpzTraceWriter
    from nntrace.spec.validate import load_builtin_example

    spec = load_builtin_example()
    network = build_network(spec)
    record = train(network, spec.inputs, spec.targets, 1, traced=(1,)).records[0]
    with pytest.raises(KeyboardInterrupt):
        with NpzTraceWriter(resolve_output(str(tmp_path / "trace.npz"), "--npz"), spec, network) as writer:
            writer.write(record)
            raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []
