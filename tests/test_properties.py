"""Properties over many generated networks (hypothesis): the layouts agree, and one step of
training lowers the loss for a small enough learning rate."""

from __future__ import annotations

import numpy as np
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from nntrace.engine.network import build_network, train
from nntrace.spec.validate import parse_spec

values = st.floats(min_value=-2, max_value=2, allow_nan=False, width=32)


@st.composite
def networks(draw):
    sizes = draw(st.lists(st.integers(1, 3), min_size=2, max_size=4))
    samples = draw(st.integers(1, 4))
    matrix = lambda rows, cols: [[draw(values) for _ in range(cols)] for _ in range(rows)]  # noqa: E731
    layers = [
        {
            "weights": matrix(a, b),
            "biases": [draw(values) for _ in range(b)],
            "activation": draw(st.sampled_from(["sigmoid", "tanh", "linear"])),
        }
        for a, b in zip(sizes, sizes[1:])
    ]
    targets = [[draw(st.floats(0, 1, width=32)) for _ in range(sizes[-1])] for _ in range(samples)]
    return {"inputs": matrix(samples, sizes[0]), "targets": targets, "learning_rate": 0.01, "layers": layers}


def transposed(document: dict) -> dict:
    document = yaml.safe_load(yaml.safe_dump(document))
    document["layout"] = "columns"
    for layer in document["layers"]:
        layer["weights"] = np.array(layer["weights"]).T.tolist()
    return document


@settings(max_examples=60, deadline=None)
@given(networks())
def test_the_column_layout_computes_the_same_numbers(document):
    rows = parse_spec(yaml.safe_dump(document))
    columns = parse_spec(yaml.safe_dump(transposed(document)))
    first = train(build_network(rows), rows.inputs, rows.targets, 2, traced={2}).records[0]
    second = train(build_network(columns), columns.inputs, columns.targets, 2, traced={2}).records[0]
    assert first.loss == second.loss
    for key, value in first.params_after.items():
        np.testing.assert_array_equal(value, second.params_after[key])


@settings(max_examples=60, deadline=None)
@given(networks())
def test_a_small_step_does_not_raise_the_loss(document):
    document["learning_rate"] = 1e-4
    spec = parse_spec(yaml.safe_dump(document))
    losses = train(build_network(spec), spec.inputs, spec.targets, 2).losses
    assert losses[1] <= losses[0] + 1e-12
