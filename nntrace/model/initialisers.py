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


def _law(weights, biases=None) -> tuple:
    """W ∼ weights, b ∼ biases (b = 0 where None), as notation."""
    from nntrace.notation.nodes import Equation, Num, Op, Sym

    b = Sym("b")
    bias = Equation(b, biases, Op.DISTRIBUTED) if biases is not None else Equation(b, Num(0, exact=True))
    return (Equation(Sym("W"), weights, Op.DISTRIBUTED), ", ", bias)


def _distribution(name: str, *args):
    from nntrace.notation.nodes import Apply, Sym

    return Apply(Sym(name), tuple(args))


def _numpy_rand_law() -> tuple:
    from nntrace.notation.nodes import Num

    uniform = _distribution("U", Num(0, exact=True), Num(1, exact=True))
    return ("np.random.seed(seed), then rand layer by layer: ", *_law(uniform, uniform))


def _uniform_law() -> tuple:
    from nntrace.notation.nodes import Neg, Num

    return _law(_distribution("U", Neg(Num(1, exact=True)), Num(1, exact=True)))


def _xavier_law() -> tuple:
    from nntrace.notation.nodes import Frac, Group, Neg, Num, Op, Root, Sym, seq

    # The sum is grouped: a stacked fraction's bar drops the brackets, a written-out one keeps them.
    limit = Root(Frac(Num(6, exact=True), Group(seq(Sym("n", "in"), Op.PLUS, Sym("n", "out")))))
    return _law(_distribution("U", Neg(limit), limit))


def _he_law() -> tuple:
    from nntrace.notation.nodes import Frac, Num, Sym

    return _law(_distribution("N", Num(0, exact=True), Frac(Num(2, exact=True), Sym("n", "in"))))


# How each method draws a layer's parameters, as prose and notation (a Remark's parts).
LAWS = {"numpy_rand": _numpy_rand_law, "uniform": _uniform_law, "xavier": _xavier_law, "he": _he_law}


def description(method: str) -> tuple:
    return LAWS[method]()
