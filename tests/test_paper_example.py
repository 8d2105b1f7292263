"""The paper's worked example (seeds/000), checked against values worked out independently.

The expected numbers are those of the issue (the paper's table with its typos
corrected: 1.62 not 1.452, 0.07974 not 0.07928), not recomputed by the engine's formulas.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import CONFIGS

from nntrace.engine.gradcheck import central_difference
from nntrace.engine.network import build_network, train
from nntrace.spec.validate import builtin_example_text, load_builtin_example


@pytest.fixture(scope="module")
def epoch1():
    spec = load_builtin_example()
    network = build_network(spec)
    return train(network, spec.inputs, spec.targets, 1, traced={1}).records[0]


def column(values):
    return np.array(values, dtype=float).reshape(-1, 1)


@pytest.mark.parametrize(
    "key, expected",
    [
        ("H_in", [[1.48, 1.78, 1.10], [2.40, 1.89, 1.62], [1.48, 1.56, 1.28]]),
        ("H_out", [[0.81457, 0.85570, 0.75026], [0.91683, 0.86876, 0.83480], [0.81457, 0.82635, 0.78245]]),
        ("O_in", column([1.32086, 1.37424, 1.32092])),
        ("O_out", column([0.78932, 0.79806, 0.78934])),
        ("E", column([0.21068, 0.20194, -0.78934])),
        ("delta_out", column([0.03503, 0.03254, -0.13125])),
    ],
)
def test_epoch1_quantities(epoch1, key, expected):
    np.testing.assert_allclose(epoch1.quantities[key], expected, atol=1e-4)


def test_epoch1_hidden_delta_row3(epoch1):
    np.testing.assert_allclose(epoch1.quantities["delta_hidden"][2], [-0.00595, -0.00471, -0.00514], atol=1e-5)


def test_epoch1_updated_parameters(epoch1):
    np.testing.assert_allclose(epoch1.params_after["W_out"], column([0.29515, 0.24498, 0.22508]), atol=1e-5)
    np.testing.assert_allclose(epoch1.params_after["b_h"], [0.45964, 0.71973, 0.07974], atol=1e-5)
    np.testing.assert_allclose(epoch1.params_after["b_out"], [0.68363], atol=1e-5)


def test_epoch2_starts_from_epoch1_parameters():
    spec = load_builtin_example()
    records = train(build_network(spec), spec.inputs, spec.targets, 2, traced={1, 2}).records
    for key, value in records[0].params_after.items():
        np.testing.assert_array_equal(records[1].params_before[key], value)
    np.testing.assert_allclose(records[1].params_before["b_out"], [0.68363], atol=1e-5)


def test_update_descends_the_half_sse_loss_numerically():
    """The paper's rule W += eta * A^T delta is gradient descent on L = 1/2 sum (y - O)^2."""
    spec = load_builtin_example()
    network = build_network(spec)
    grads = network.gradients(spec.inputs, spec.targets)
    for key in network.parameters():
        numeric = central_difference(network, key, spec.inputs, spec.targets)
        np.testing.assert_allclose(grads[key], numeric, atol=1e-8)


def test_builtin_example_is_configs_paper_yaml():
    assert builtin_example_text() == (CONFIGS / "paper.yaml").read_text(encoding="utf-8")


def test_run_prints_the_correct_values_not_the_papers_typos(cli):
    out = cli("run", "--precision", "5").stdout
    assert "1.62000" in out and "1.452" not in out
    assert "0.07974" in out and "0.07928" not in out
    assert "Step 11" in out and "Step 12" not in out
