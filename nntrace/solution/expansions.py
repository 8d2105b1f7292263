"""Element-by-element arithmetic: each entry of a result written out as by hand.

"H_in[1,1] = (1 x 0.42) + (0 x 0.10) + (1 x 0.60) + (0 x 0.92) + 0.46 = 1.48".
An expansion is notation over numbers, so a backend prints them at its precision. Small
results are expanded by default; large ones show their first elements and say how many more
were computed the same way, and long sums show their first and last terms.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

import numpy as np

from nntrace.common.records import NamedTuple
from nntrace.notation.nodes import At, Elided, Expansion, Expansions, Expr, Group, Num, Op, Seq, seq

AUTO_ELEMENTS = 16  # by default, results of at most this many elements are expanded...
AUTO_TERMS = 8  # ...when each is a sum of at most this many terms
SHOWN_ELEMENTS = 16  # forced on, at most this many elements are written out
SHOWN_TERMS = 8  # longer sums show their first SHOWN_TERMS - 2 terms, the count left out, and the last


class Policy(NamedTuple):
    """Whether to expand: None (small results only), True (always, summarised), False (never)."""

    mode: bool | None = None

    def elements(self, size: int, terms: int) -> int:
        """How many elements of a result of `size` elements, each a sum of `terms` terms, to write out."""
        if self.mode is False:
            return 0
        if self.mode is None and (size > AUTO_ELEMENTS or terms > AUTO_TERMS):
            return 0
        return min(size, SHOWN_ELEMENTS)


def expand_elements(
    policy: Policy,
    symbol: Expr,
    result: np.ndarray,
    terms: int,
    arithmetic_of: Callable[[tuple[int, ...]], Expr],
    vector: bool = False,
) -> Expansions | None:
    """Expansions of the first elements of `result` (row by row), each written by `arithmetic_of`,
    or None where there are none: the policy says so, or `arithmetic_of` has nothing to write out
    (None: the value is read off, as a relu's slope is).

    `vector`: index the elements with one number (biases), not row and column.
    """
    count = policy.elements(result.size, terms)
    if count == 0:
        return None
    # the first `count` indices in row-major order, as np.ndindex gives them, without walking the rest
    indices = list(itertools.islice(itertools.product(*map(range, result.shape)), count))
    arithmetic = [arithmetic_of(index) for index in indices]
    if arithmetic[0] is None:
        return None
    shown = tuple(
        Expansion(At(symbol, _label(index, vector)), written, float(result[index]))
        for index, written in zip(indices, arithmetic)
    )
    return Expansions(shown, result.size - count)


def _label(index: tuple[int, ...], vector: bool) -> tuple[int, ...]:
    return (max(index) + 1,) if vector else tuple(i + 1 for i in index)


def sum_of_products(left: np.ndarray, right: np.ndarray, bias: float | None = None) -> Expr:
    """(l1 x r1) + (l2 x r2) + ... [+ bias], long sums shortened in the middle."""
    products: list[Expr] = [Group(seq(Num(float(a)), Op.PRODUCT, Num(float(b)))) for a, b in zip(left, right)]
    if len(products) > SHOWN_TERMS:
        hidden = len(products) - (SHOWN_TERMS - 1)
        products = products[: SHOWN_TERMS - 2] + [Elided(hidden)] + products[-1:]
    items: list = []
    for number, product in enumerate(products):
        items += ([Op.PLUS] if number else []) + [product]
    if bias is not None:
        items += [Op.MINUS if bias < 0 else Op.PLUS, Num(abs(float(bias)))]
    return Seq(tuple(items))


def plain_sum(values: np.ndarray) -> Expr:
    """v1 + v2 - |v3| ..., long sums shortened in the middle."""
    values = [float(v) for v in values]
    shown = values
    if len(values) > SHOWN_TERMS:
        shown = values[: SHOWN_TERMS - 2]
    items: list = [Num(shown[0])]
    for value in shown[1:]:
        items += [Op.MINUS if value < 0 else Op.PLUS, Num(abs(value))]
    if len(values) > SHOWN_TERMS:
        last = values[-1]
        items += [Op.PLUS, Elided(len(values) - SHOWN_TERMS + 1), Op.MINUS if last < 0 else Op.PLUS, Num(abs(last))]
    return Seq(tuple(items))
