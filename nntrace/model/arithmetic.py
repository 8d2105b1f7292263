"""An element-wise formula, written in notation, turned into the function that computes it.

An update rule is written once, as the expression the steps print; `compiled` makes the
numpy arithmetic of that same expression, so what is shown and what is computed cannot part.
Every product here is by a scalar or element by element (no matrix product occurs in an update
rule), and a quantity is read by its key from the values it is called with.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np

from nntrace.notation.nodes import Frac, Group, Neg, Num, Op, Power, Q, Root, Seq, Signed

Values = Mapping[str, np.ndarray | float]
Compiled = Callable[[Values], np.ndarray | float]

_PRODUCTS = (Op.PRODUCT, Op.IMPLICIT, Op.HADAMARD)


def compiled(expr) -> Compiled:
    """The function computing `expr` from the values of its quantities, by key."""
    if isinstance(expr, Q):
        key = expr.key
        return lambda values: values[key]
    if isinstance(expr, Num):
        number = expr.value
        return lambda values: number
    if isinstance(expr, (Group, Signed)):
        return compiled(expr.inner)
    if isinstance(expr, Neg):
        inner = compiled(expr.inner)
        return lambda values: -inner(values)
    if isinstance(expr, Frac):
        top, bottom = compiled(expr.numerator), compiled(expr.denominator)
        return lambda values: top(values) / bottom(values)
    if isinstance(expr, Power):
        base, exponent = compiled(expr.base), compiled(expr.exponent)
        return lambda values: base(values) ** exponent(values)
    if isinstance(expr, Root):
        inner = compiled(expr.inner)
        return lambda values: np.sqrt(inner(values))
    if isinstance(expr, Seq):
        return _terms(expr.items)
    raise TypeError(f"{type(expr).__name__} is not element-wise arithmetic")


def _terms(items: tuple) -> Compiled:
    """Products bind before sums: a + b . c - d is a + (b . c) - d."""
    terms: list[tuple[int, Compiled]] = []
    sign, factors = 1, []
    for item in (*items, Op.PLUS):
        if item in _PRODUCTS:
            continue
        if isinstance(item, Op):
            if item not in (Op.PLUS, Op.MINUS):
                raise TypeError(f"{item} is not element-wise arithmetic")
            terms.append((sign, _product(factors)))
            sign, factors = (1 if item is Op.PLUS else -1), []
        else:
            factors.append(compiled(item))
    (first_sign, first), *rest = terms

    def value(values: Values):
        total = first(values) if first_sign > 0 else -first(values)
        for sign, term in rest:
            total = total + term(values) if sign > 0 else total - term(values)
        return total

    return value


def _product(factors: list[Compiled]) -> Compiled:
    if len(factors) == 1:
        return factors[0]

    def value(values: Values):
        result = factors[0](values)
        for factor in factors[1:]:
            result = result * factor(values)
        return result

    return value
