"""`nntrace explain`: the chain rule for one parameter, checked against the essay, the trace
and finite differences."""

from __future__ import annotations

import pytest
from conftest import CONFIGS

from nntrace.engine.gradcheck import central_difference
from nntrace.engine.network import build_network, train
from nntrace.notation.layout import COLUMNS, ROWS
from nntrace.solution.explain import UnknownParameter, explain, parse_parameter, valid_parameters
from nntrace.spec.validate import load_spec


def test_the_essays_one_neuron_example(cli):
    out = cli("explain", str(CONFIGS / "essay-one-neuron.yaml"), "W_out[1,1]", "--precision", "4").stdout
    assert "-0.7551" in out  # dL/do = 2(0.6225 - 1)
    assert "0.2350" in out  # do/dz = sigma'(0.5)
    assert "0.8000" in out  # dz/dw = the input
    assert "-0.1420" in out  # their product
    assert "= 0.1571" in out  # 0.15 - 0.05 x (-0.142), not the essay's 0.1271


def test_the_essays_numbers_as_values():
    spec = load_spec(CONFIGS / "essay-one-neuron.yaml")
    network = build_network(spec)
    record = train(network, spec.inputs, spec.targets, 1, traced={1}).records[0]
    ex = explain(network, record, parse_parameter("W_out[1,1]", network, ROWS), ROWS)
    values = [float(f.values[0]) for f in ex.factors]
    assert values == pytest.approx([-0.755, 0.235, 0.8], abs=5e-4)
    assert ex.gradient == pytest.approx(-0.142, abs=5e-4)
    assert ex.new_value == pytest.approx(0.1571, abs=5e-5)


@pytest.mark.parametrize("epoch", [1, 3])
def test_every_parameter_of_a_two_hidden_layer_network(epoch):
    spec = load_spec(CONFIGS / "two-hidden.yaml")
    network = build_network(spec)
    record = train(network, spec.inputs, spec.targets, epoch, traced={epoch}).records[0]
    before = build_network(spec)
    for key, value in record.params_before.items():
        before.set_parameter(key, value)
    checked = 0
    for reference in _all_references(network, ROWS):
        parameter = parse_parameter(reference, network, ROWS)
        ex = explain(network, record, parameter, ROWS)
        numeric = central_difference(before, parameter.key, spec.inputs, spec.targets)
        index = (parameter.neuron,) if parameter.is_bias else (parameter.source, parameter.neuron)
        assert ex.gradient == pytest.approx(numeric[index], abs=1e-9), reference
        step = record.quantities[f"d{parameter.key}"]
        assert ex.gradient == pytest.approx(-step[index], abs=1e-12), reference
        assert ex.new_value == pytest.approx(record.params_after[parameter.key][index], abs=1e-12), reference
        checked += 1
    assert checked == 6 + 3 + 6 + 2 + 2 + 1


def _all_references(network, layout):
    for layer in network.layers:
        n_in, n_out = layer.weights.shape
        for i in range(n_in):
            for j in range(n_out):
                yield f"{layer.names.weights.key}[{i + 1},{j + 1}]"
        for j in range(n_out):
            yield f"{layer.names.biases.key}[{j + 1}]"


def test_columns_layout_indexes_weights_as_typed(cli):
    # W_out[1,2] in column notation is w6 = 0.45 of the classic example; it becomes 0.408666186.
    out = cli("explain", str(CONFIGS / "classic-2-2-2-columns.yaml"), "W_out[1,2]", "--precision", "9").stdout
    assert "W_out[1,2] = 0.450000000" in out and "= 0.408666186" in out


def test_softmax_output_weight_uses_the_cancelled_slope():
    spec = load_spec(CONFIGS / "softmax.yaml")
    network = build_network(spec)
    record = train(network, spec.inputs, spec.targets, 1, traced={1}).records[0]
    ex = explain(network, record, parse_parameter("W_out[2,3]", network, ROWS), ROWS)
    assert len(ex.factors) == 2 and ex.slope_cancels
    assert ex.gradient == pytest.approx(-record.quantities["dW_out"][1, 2], abs=1e-12)


def test_unknown_parameter_lists_the_valid_names_and_ranges(cli):
    result = cli("explain", "W_h[5,1]")
    assert result.exit_code == 2
    assert "W_h[1..4,1..3], b_h[1..3], W_out[1..3,1], b_out[1]" in result.stderr
    assert cli("explain", "V[1,1]").exit_code == 2
    assert cli("explain", "W_out").exit_code == 2


def test_parse_parameter_rejects_bias_with_two_indices():
    spec = load_spec(CONFIGS / "paper.yaml")
    network = build_network(spec)
    with pytest.raises(UnknownParameter):
        parse_parameter("b_h[1,1]", network, ROWS)
    assert valid_parameters(network, COLUMNS)[0] == "W_h[1..3,1..4]"


def test_explain_a_later_epoch_agrees_with_the_trace(cli):
    out = cli("explain", "b_h[2]", "--epoch", "2", "--precision", "6", width="120").stdout
    spec = load_spec(CONFIGS / "paper.yaml")
    record = train(build_network(spec), spec.inputs, spec.targets, 2, traced={2}).records[0]
    assert f"= {record.params_after['b_h'][1]:.6f}" in out
