"""Layer names, per-layer options, and what they do to the trace."""

from __future__ import annotations

import numpy as np

from nntrace.engine.network import build_network, train
from nntrace.spec.validate import parse_spec

NAMED = """
inputs: [[1, 2], [0.5, -1]]
targets: [[1], [0]]
learning_rate: 0.5
layers:
  - name: enc
    weights: [[0.1, 0.2], [0.3, -0.4]]
    biases: [0.1, 0.1]
    train_biases: false
  - activation: leaky_relu
    alpha: 0.2
    weights: [[0.5, -0.5], [0.25, 0.75]]
    biases: 0
  - weights: [[0.3], [-0.6]]
    biases: [0.2]
"""


def test_a_named_layer_uses_its_name_and_the_others_keep_theirs():
    spec = parse_spec(NAMED)
    network = build_network(spec)
    record = train(network, spec.inputs, spec.targets, 1, traced={1}).records[0]
    assert {"enc_in", "enc_out", "E_enc", "delta_enc", "H2_in", "delta_h2", "O_out", "delta_out"} <= set(
        record.quantities
    )
    assert list(record.params_before) == ["W_enc", "b_enc", "W_h2", "b_h2", "W_out", "b_out"]


def test_train_biases_false_on_one_layer_keeps_only_that_bias():
    spec = parse_spec(NAMED)
    record = train(build_network(spec), spec.inputs, spec.targets, 1, traced={1}).records[0]
    np.testing.assert_array_equal(record.params_after["b_enc"], [0.1, 0.1])
    assert not np.array_equal(record.params_after["b_h2"], record.params_before["b_h2"])
    assert not np.array_equal(record.params_after["b_out"], record.params_before["b_out"])


def test_leaky_relu_uses_the_layers_alpha():
    spec = parse_spec(NAMED)
    record = train(build_network(spec), spec.inputs, spec.targets, 1, traced={1}).records[0]
    z, slope = record.quantities["H2_in"], record.quantities["slope_H2"]
    np.testing.assert_array_equal(slope, np.where(z > 0, 1.0, 0.2))
    np.testing.assert_array_equal(record.quantities["H2_out"], np.where(z > 0, z, 0.2 * z))


def test_named_layers_appear_in_the_steps(cli, tmp_path):
    path = tmp_path / "named.yaml"
    path.write_text(NAMED, encoding="utf-8")
    out = cli("run", str(path), width="100").stdout
    assert "Step 2 · Input of hidden layer 1 (enc)" in out
    assert "b_enc is kept fixed: train_biases is false" in out
