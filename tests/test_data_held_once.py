"""The samples are held once: a CSV's features are normalised in place in the loaded array, and an
epoch that is not shuffled takes its batches as slices of the samples, not a copy of them. The
numbers are the ones the out-of-place arithmetic gives (written here), to the last bit."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import write_spec

from nntrace.engine.network import BatchOrder, build_network, train
from nntrace.spec.validate import load_spec

ROWS = [[3, 10, 7, 0, 1], [6, 20, 1, 1, 0], [9, 5, 4, 0, 1], [1, 15, 8, 1, 0], [4, 0, 2, 0, 1]]


def csv_spec(tmp_path, normalize: str, test_rows: int = 0, columns: str = "a,b,c,y0,y1") -> str:
    names = columns.split(",")
    order = [["a", "b", "c", "y0", "y1"].index(name) for name in names]
    lines = [columns] + [",".join(str(row[i]) for i in order) for row in ROWS]
    (tmp_path / "data.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return write_spec(
        tmp_path,
        f"data: {{csv: data.csv, target: [y0, y1], normalize: {normalize}, test_rows: {test_rows}}}\n"
        "loss: cross_entropy\nlearning_rate: 0.1\nbatch_size: 2\ninit: {method: xavier, seed: 1}\n"
        "layers: [{size: 3}, {size: 2, activation: softmax}]\n",
    )


@pytest.mark.parametrize("normalize", ["max", "minmax", "none"])
def test_features_are_normalised_in_the_loaded_array(tmp_path, normalize):
    spec = load_spec(csv_spec(tmp_path, normalize, test_rows=1))
    X = np.array(ROWS, dtype=np.float64)[:, :3]
    train_rows, test_rows = X[:4], X[4:]
    if normalize == "max":
        expected, expected_test = train_rows / train_rows.max(axis=0), test_rows / train_rows.max(axis=0)
    elif normalize == "minmax":
        low, high = train_rows.min(axis=0), train_rows.max(axis=0)
        expected, expected_test = (train_rows - low) / (high - low), (test_rows - low) / (high - low)
    else:
        expected, expected_test = train_rows, test_rows
    np.testing.assert_array_equal(spec.inputs, expected)
    np.testing.assert_array_equal(spec.test_inputs, expected_test)
    np.testing.assert_array_equal(spec.targets, np.array(ROWS, dtype=np.float64)[:4, 3:])
    # One array: the features, the targets and the held-out rows are views of what was loaded.
    for other in (spec.targets, spec.test_inputs, spec.test_targets):
        assert np.shares_memory(spec.inputs.base, other)


def test_columns_out_of_order_are_normalised_too(tmp_path):
    spec = load_spec(csv_spec(tmp_path, "max", columns="a,y0,b,y1,c"))
    X = np.array(ROWS, dtype=np.float64)[:, :3]
    np.testing.assert_array_equal(spec.inputs, X / X.max(axis=0))


def test_unshuffled_batches_are_slices_of_the_samples_and_shuffled_ones_a_gather():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(10, 3)), rng.normal(size=(10, 2))
    fixed = BatchOrder(X, y, 4, None).next_epoch()
    assert [len(Xb) for _, Xb, _ in fixed] == [4, 4, 2]
    assert all(np.shares_memory(Xb, X) and np.shares_memory(yb, y) for _, Xb, yb in fixed)
    assert [list(samples) for samples, _, _ in fixed] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    shuffled = BatchOrder(X, y, 4, 7).next_epoch()
    order = np.random.RandomState(7).permutation(10)
    np.testing.assert_array_equal(np.concatenate([Xb for _, Xb, _ in shuffled]), X[order])
    assert not any(np.shares_memory(Xb, X) for _, Xb, _ in shuffled)


def test_a_run_from_a_csv_records_its_batches_as_before(tmp_path):
    spec = load_spec(csv_spec(tmp_path, "max"))
    training = train(build_network(spec), spec.inputs, spec.targets, 2, batch_size=2, traced={2})
    assert [list(record.samples) for record in training.records] == [[0, 1], [2, 3], [4]]
    assert all(isinstance(record.samples, np.ndarray) for record in training.records)
    for record in training.records:
        np.testing.assert_array_equal(record.quantities["X"], spec.inputs[record.samples])


def test_predictions_of_many_samples_are_made_block_by_block_to_the_same_numbers(monkeypatch):
    import nntrace.engine.network as engine
    from nntrace.spec.validate import parse_spec

    spec = parse_spec(
        "inputs: [[0.1, 0.2], [0.3, 0.1], [0.9, 0.5], [0.2, 0.8], [0.6, 0.4]]\n"
        "targets: [[1], [0], [1], [0], [1]]\nlearning_rate: 0.1\ninit: {method: xavier, seed: 2}\n"
        "layers: [{size: 3}, {size: 1}]\n"
    )
    network = build_network(spec)
    whole = network.predict(spec.inputs)
    monkeypatch.setattr(engine, "PREDICT_ROWS", 2)
    np.testing.assert_array_equal(network.predict(spec.inputs), whole)


# Checks over the samples go a block of rows at a time (no mask or copy the size of the data); the
# answers are the same whatever the block, so here blocks of 2 rows cross every boundary.


def test_classes_and_their_counts_a_block_at_a_time(monkeypatch):
    from nntrace.terminal import summary

    monkeypatch.setattr(summary, "CLASS_ROWS", 2)
    outputs = np.array([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7], [0.6, 0.4], [0.2, 0.8]])
    targets = np.array([[0.0, 1.0], [0.0, 1.0], [0.0, 1.0], [1.0, 0.0], [1.0, 0.0]])
    predicted, true = summary.predicted_classes(outputs, targets)
    assert predicted.tolist() == [2, 1, 2, 1, 2] and true.tolist() == [2, 2, 2, 1, 1]
    # true class 1: one given 1, one given 2; true class 2: one given 1, two given 2
    assert summary.class_counts(predicted, true)[1:, 1:].tolist() == [[1, 1], [1, 2]]
    soft = targets.copy()
    soft[4] = [0.5, 0.5]  # the last block holds a row that is not one-hot
    assert summary.predicted_classes(outputs, soft) is None


def test_the_row_that_does_not_sum_to_one_is_named_across_blocks(tmp_path, monkeypatch):
    from nntrace.common.errors import SpecError
    from nntrace.spec import validate

    monkeypatch.setattr(validate._first_row_not_summing_to_one, "__defaults__", (2,))
    targets = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 0.0], [0.0, 1.0], [0.7, 0.2]])
    assert validate._first_row_not_summing_to_one(targets) == 4
    spec = tmp_path / "s.yaml"
    spec.write_text(
        "inputs: [[1], [2], [3], [4], [5]]\ntargets: " + str(targets.tolist()) + "\n"
        "loss: cross_entropy\ninit: {method: xavier, seed: 1}\nlayers: [{size: 2, activation: softmax}]\n",
        encoding="utf-8",
    )
    with pytest.raises(SpecError, match=r"sums to 0\.9"):
        load_spec(spec)


def test_a_csv_is_counted_and_checked_without_a_copy(tmp_path):
    import mmap

    from nntrace.spec import dataset

    text = b"a,b\n1,2\n3,4\n\n5,6"
    (tmp_path / "d.csv").write_bytes(text)
    with open(tmp_path / "d.csv", "rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as raw:
        assert dataset._line_count(raw, block=3) == 5 == dataset._line_count(text)
    assert dataset._all_finite(np.array([[1.0], [2.0], [np.inf]]), rows=2) is False
    assert dataset._all_finite(np.array([[1.0], [2.0], [3.0]]), rows=2) is True
