"""How parameters a spec leaves out are drawn: the registry of initialisation methods.

All methods draw from numpy's legacy generator seeded with the spec's seed, layer
by layer, weights before biases, skipping what the spec gives. `numpy_rand` is the
paper's own code: np.random.seed(seed), then rand(n_in, n_out) and rand(1, n_out).
"""

from __future__ import annotations

import numpy as np


def _numpy_rand(rng: np.random.RandomState, n_in: int, n_out: int):
    return (lambda: rng.rand(n_in, n_out)), (lambda: rng.rand(1, n_out).ravel())


def _uniform(rng: np.random.RandomState, n_in: int, n_out: int):
    return (lambda: rng.uniform(-1.0, 1.0, (n_in, n_out))), (lambda: np.zeros(n_out))


def _xavier(rng: np.random.RandomState, n_in: int, n_out: int):
    limit = np.sqrt(6.0 / (n_in + n_out))
    return (lambda: rng.uniform(-limit, limit, (n_in, n_out))), (lambda: np.zeros(n_out))


def _he(rng: np.random.RandomState, n_in: int, n_out: int):
    return (lambda: rng.normal(0.0, np.sqrt(2.0 / n_in), (n_in, n_out))), (lambda: np.zeros(n_out))


DRAWS = {"numpy_rand": _numpy_rand, "uniform": _uniform, "xavier": _xavier, "he": _he}

DESCRIPTIONS = {
    "numpy_rand": "np.random.seed(seed); rand(n_in, n_out) for W, rand(1, n_out) for b",
    "uniform": "W ~ U(\u22121, 1), b = 0",
    "xavier": "W ~ U(\u2212\u221a(6/(n_in+n_out)), +\u221a(6/(n_in+n_out))), b = 0",
    "he": "W ~ N(0, 2/n_in), b = 0",
}
