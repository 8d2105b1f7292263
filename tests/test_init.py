"""Initialisation: the paper's own code reproduced bit for bit, and the other methods."""

from __future__ import annotations

import numpy as np
import pytest

from nntrace.engine.network import build_network
from nntrace.spec.validate import parse_spec

PAPER_SIZES = """
inputs:  [[1, 0, 1, 0], [1, 0, 1, 1], [0, 1, 0, 1]]
targets: [[1], [1], [0]]
learning_rate: 0.1
init: {method: METHOD, seed: 42}
layers:
  - size: 3
  - size: 1
"""


def network_for(method: str, extra: str = ""):
    return build_network(parse_spec(PAPER_SIZES.replace("METHOD", method) + extra))


def test_numpy_rand_reproduces_the_papers_code():
    np.random.seed(42)
    W_h = np.random.rand(4, 3)
    b_h = np.random.rand(1, 3)
    W_out = np.random.rand(3, 1)
    b_out = np.random.rand(1, 1)
    params = network_for("numpy_rand").parameters()
    np.testing.assert_array_equal(params["W_h"], W_h)
    np.testing.assert_array_equal(params["b_h"], b_h.ravel())
    np.testing.assert_array_equal(params["W_out"], W_out)
    np.testing.assert_array_equal(params["b_out"], b_out.ravel())


def test_numpy_rand_first_draws_are_numpys_published_sequence():
    # np.random.seed(42); np.random.rand() starts 0.3745401188473625, 0.9507143064099162.
    W_h = network_for("numpy_rand").parameters()["W_h"]
    assert W_h[0, 0] == 0.3745401188473625
    assert W_h[0, 1] == 0.9507143064099162


def test_given_parameters_are_kept_and_only_the_rest_drawn():
    spec = PAPER_SIZES.replace("METHOD", "numpy_rand").replace("  - size: 1", "  - size: 1\n    biases: [0.5]")
    params = build_network(parse_spec(spec)).parameters()
    assert params["b_out"].tolist() == [0.5]


@pytest.mark.parametrize("method", ["uniform", "xavier", "he"])
def test_other_methods_draw_zero_biases_and_seeded_weights(method):
    first, second = network_for(method).parameters(), network_for(method).parameters()
    np.testing.assert_array_equal(first["W_h"], second["W_h"])
    assert not first["b_h"].any() and not first["b_out"].any()


def test_uniform_is_the_classes_u_minus_1_1():
    W_h = network_for("uniform").parameters()["W_h"]
    np.testing.assert_array_equal(W_h, np.random.RandomState(42).uniform(-1, 1, (4, 3)))


def test_xavier_stays_within_its_limit():
    W_h = network_for("xavier").parameters()["W_h"]
    assert np.abs(W_h).max() <= np.sqrt(6 / 7)


def test_xavier_and_he_are_their_published_distributions():
    # Glorot & Bengio: U(+-sqrt(6 / (n_in + n_out))); He et al.: N(0, 2 / n_in). W_h is 4 x 3.
    rng = np.random.RandomState(42)
    np.testing.assert_array_equal(
        network_for("xavier").parameters()["W_h"], rng.uniform(-((6 / 7) ** 0.5), (6 / 7) ** 0.5, (4, 3))
    )
    rng = np.random.RandomState(42)
    np.testing.assert_array_equal(network_for("he").parameters()["W_h"], rng.normal(0.0, 0.5**0.5, (4, 3)))


def test_he_spreads_a_wide_layer_by_sqrt_2_over_n_in():
    spec = PAPER_SIZES.replace("METHOD", "he").replace("[[1, 0, 1, 0], [1, 0, 1, 1], [0, 1, 0, 1]]", str([[0.5] * 800]))
    spec = spec.replace("[[1], [1], [0]]", "[[1]]").replace("size: 3", "size: 200")
    W_h = build_network(parse_spec(spec)).parameters()["W_h"]
    assert W_h.std() == pytest.approx((2 / 800) ** 0.5, rel=0.02)
    assert abs(W_h.mean()) < 0.002


def test_header_states_method_and_seed(cli, tmp_path):
    path = tmp_path / "init.yaml"
    path.write_text(PAPER_SIZES.replace("METHOD", "numpy_rand"), encoding="utf-8")
    out = cli("run", str(path), width="100").stdout
    assert "numpy_rand, seed 42" in out
