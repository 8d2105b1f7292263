"""Element-by-element arithmetic: each entry of a result written out as by hand.

"H_in[1,1] = (1 x 0.42) + (0 x 0.10) + (1 x 0.60) + (0 x 0.92) + 0.46 = 1.48".
An expansion keeps its numbers as floats, so the renderer prints them at the
chosen precision. Small results are expanded by default; large ones show their
first elements and say how many more were computed the same way, and long sums
show their first and last terms.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

TIMES = "\u00d7"
MINUS = "\u2212"
AUTO_ELEMENTS = 16  # by default, results of at most this many elements are expanded...
AUTO_TERMS = 8  # ...when each is a sum of at most this many terms
SHOWN_ELEMENTS = 16  # forced on, at most this many elements are written out
SHOWN_TERMS = 8  # longer sums show their first SHOWN_TERMS - 2 terms, an ellipsis, and the last

Part = float | str


@dataclass(frozen=True)
class Expansion:
    target: str
    parts: tuple[Part, ...]
    result: float


@dataclass(frozen=True)
class Expansions:
    shown: tuple[Expansion, ...]
    more: int = 0  # further elements computed the same way, not written out


@dataclass(frozen=True)
class Policy:
    """Whether to expand: None (small results only), True (always, summarised), False (never)."""

    mode: bool | None = None

    def count(self, size: int, terms: int) -> int:
        if self.mode is False:
            return 0
        if self.mode is None and (size > AUTO_ELEMENTS or terms > AUTO_TERMS):
            return 0
        return min(size, SHOWN_ELEMENTS)


def label(symbol: str, index: tuple[int, ...], vector: bool) -> str:
    if vector:
        return f"{symbol}[{max(index) + 1}]"
    return f"{symbol}[{','.join(str(i + 1) for i in index)}]"


def expand_elements(
    policy: Policy,
    symbol: str,
    result: np.ndarray,
    terms: int,
    parts_of: Callable[[tuple[int, ...]], Sequence[Part]],
    vector: bool = False,
) -> Expansions | None:
    """Expansions of the first elements of `result` (row by row), each written by `parts_of`.

    `vector`: index the elements with one number (biases), not row and column.
    """
    count = policy.count(result.size, terms)
    if count == 0:
        return None
    indices = list(np.ndindex(result.shape))[:count]
    shown = tuple(
        Expansion(label(symbol, index, vector), tuple(parts_of(index)), float(result[index])) for index in indices
    )
    return Expansions(shown, result.size - count)


def scaled(factor: str, value: float) -> list[Part]:
    """factor x value, a negative value in brackets."""
    return [factor, f" {TIMES} ", *(["(", value, ")"] if value < 0 else [value])]


def signed_terms(first: Sequence[Part], rest: Sequence[float]) -> list[Part]:
    """first + r1 - |r2| ...: later plain numbers joined by their sign, as a sum is written."""
    parts = list(first)
    for value in rest:
        parts += [f" {MINUS} " if value < 0 else " + ", abs(value)]
    return parts


def sum_of_products(left: np.ndarray, right: np.ndarray, bias: float | None = None) -> list[Part]:
    """(l1 x r1) + (l2 x r2) + ... [+ bias], long sums shortened in the middle."""
    products = [["(", float(a), f" {TIMES} ", float(b), ")"] for a, b in zip(left, right)]
    if len(products) > SHOWN_TERMS:
        hidden = len(products) - (SHOWN_TERMS - 1)
        products = products[: SHOWN_TERMS - 2] + [[f"\u2026 {hidden} more \u2026"]] + products[-1:]
    parts: list[Part] = []
    for number, product in enumerate(products):
        parts += ([" + "] if number else []) + product
    return signed_terms(parts, [] if bias is None else [float(bias)])


def plain_sum(values: np.ndarray) -> list[Part]:
    values = [float(v) for v in values]
    if len(values) > SHOWN_TERMS:
        shown = signed_terms([values[0]], values[1 : SHOWN_TERMS - 2])
        return shown + [f" + \u2026 {len(values) - SHOWN_TERMS + 1} more \u2026"] + signed_terms([], values[-1:])
    return signed_terms([values[0]], values[1:])
