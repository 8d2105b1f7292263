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

from nntrace.common.kept import ByKey
from nntrace.common.records import NamedTuple
from nntrace.notation.nodes import At, Elided, Expansion, Expansions, Expr, Group, Num, Op, Seq

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
    arithmetic_of: Callable[..., Expr],
    vector: bool = False,
    operands: tuple[np.ndarray, ...] = (),
) -> Expansions | None:
    """Expansions of the first elements of `result` (row by row), each written by `arithmetic_of`,
    or None where there are none: the policy says so, or `arithmetic_of` has nothing to write out
    (None: the value is read off, as a relu's slope is).

    `arithmetic_of(index, *numbers)` is given each element's index and, for each of `operands`
    (arrays of the result's shape), its number there as a Python float: the few shown elements are
    read off at once, not one numpy scalar at a time. `vector`: index the elements with one number
    (biases), not row and column.
    """
    count = policy.elements(result.size, terms)
    if count == 0:
        return None
    indices, targets = _targets(symbol, result.shape, count, vector)
    if operands:
        numbers = zip(*(_first(operand, count) for operand in operands))
        arithmetic = [arithmetic_of(index, *at) for index, at in zip(indices, numbers)]
    else:
        arithmetic = [arithmetic_of(index) for index in indices]
    if arithmetic[0] is None:
        return None
    shown = tuple(map(Expansion, targets, arithmetic, _first(result, count)))
    return Expansions(shown, result.size - count)


def _first(values: np.ndarray, count: int) -> list[float]:
    """The first `count` elements of `values` in row-major order, as Python floats."""
    return values.flat[:count].tolist()


def _targets(symbol: Expr, shape: tuple[int, ...], count: int, vector: bool) -> tuple[tuple, tuple]:
    """The indices of the first `count` elements of a result of `shape` in row-major order, as
    np.ndindex gives them (without walking the rest), and the elements of `symbol` they name:
    the same for every epoch and every variant of an exercise, so made once."""
    key = (symbol, shape, count, vector)
    found = _TARGETS.get(key)
    if found is None:
        indices = tuple(itertools.islice(itertools.product(*map(range, shape)), count))
        found = _TARGETS.keep(key, (indices, tuple(At(symbol, _label(index, vector)) for index in indices)))
    return found


_TARGETS = ByKey(most=1024)


def _label(index: tuple[int, ...], vector: bool) -> tuple[int, ...]:
    return (max(index) + 1,) if vector else tuple(i + 1 for i in index)


def shown_terms(count: int) -> list[int]:
    """The positions of the terms a sum of `count` terms writes out: all of a short sum; of a long
    one the first SHOWN_TERMS - 2 and the last, the rest said to be left out."""
    return list(range(count)) if count <= SHOWN_TERMS else [*range(SHOWN_TERMS - 2), count - 1]


def sum_of_products(left, right, bias: float | None = None) -> Expr:
    """(l1 x r1) + (l2 x r2) + ... [+ bias], long sums shortened in the middle (`left` and `right`:
    sequences of numbers, lists or arrays; only the terms written out are read)."""
    shown = shown_terms(len(left))
    return shown_products(len(left), [Num(float(left[k])) for k in shown], [Num(float(right[k])) for k in shown], bias)


def shown_products(count: int, left: list[Num], right: list[Num], bias: float | None = None) -> Expr:
    """sum_of_products of `count` terms given only the numbers of the terms it writes out (those of
    shown_terms(count)), as nodes: a long sum's hidden terms are neither read nor made, and a
    number that enters several elements' sums (a row of the left factor) is made once for them all."""
    product = Op.PRODUCT
    terms: list = [Group(Seq((a, product, b))) for a, b in zip(left, right)]
    if count > SHOWN_TERMS:
        terms.insert(SHOWN_TERMS - 2, Elided(count - (SHOWN_TERMS - 1)))
    items = [Op.PLUS] * (2 * len(terms) - 1)
    items[::2] = terms  # the products with + between them
    if bias is not None:
        items += [Op.MINUS if bias < 0 else Op.PLUS, Num(abs(float(bias)))]
    return Seq(tuple(items))


def plain_sum(values) -> Expr:
    """v1 + v2 - |v3| ..., long sums shortened in the middle."""
    count = len(values)
    shown = [float(values[k]) for k in shown_terms(count)]
    last = shown.pop() if count > SHOWN_TERMS else None
    items: list = [Num(shown[0])]
    for value in shown[1:]:
        items += [Op.MINUS if value < 0 else Op.PLUS, Num(abs(value))]
    if last is not None:
        items += [Op.PLUS, Elided(count - SHOWN_TERMS + 1), Op.MINUS if last < 0 else Op.PLUS, Num(abs(last))]
    return Seq(tuple(items))
