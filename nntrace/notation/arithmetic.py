"""Arithmetic written in notation, turned into the function that computes it.

An update rule is written once, as the expression the steps print; `compiled` makes the numpy
arithmetic of that same expression, so what is shown and what is computed cannot part. The same
evaluation reads an element's written arithmetic back (`evaluated`), with each number as printed,
to check that a reader redoing it by hand gets the result printed beside it.

Every product here is by a scalar or element by element (no matrix product occurs in an update rule
or in one element's arithmetic); a quantity is read by its key from the values it is called with;
a function applied computes with its own numerics (`Fn.numeric`); Euler's e is the number.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping

import numpy as np

from nntrace.notation.nodes import EULER, Apply, Fn, Frac, Group, Neg, Num, Op, Power, Q, Root, Seq, Signed

Values = Mapping[str, np.ndarray | float]
Compiled = Callable[[Values], np.ndarray | float]
Number = Callable[[Num], float]  # what a written number stands for: its value, or as printed

_PRODUCTS = (Op.PRODUCT, Op.IMPLICIT, Op.HADAMARD)


class NotArithmetic(TypeError):
    """An expression with something no number can be computed from (a symbol, an elision)."""


def _value(number: Num) -> float:
    return number.value


def compiled(expr, number: Number = _value) -> Compiled:
    """The function computing `expr` from the values of its quantities, by key; `number` says what
    each written number stands for (by default its value)."""
    if isinstance(expr, Q):
        key = expr.key
        return lambda values: values[key]
    if isinstance(expr, Num):
        constant = number(expr)
        return lambda values: constant
    if expr == EULER:
        return lambda values: math.e
    if isinstance(expr, (Group, Signed)):
        return compiled(expr.inner, number)
    if isinstance(expr, Neg):
        inner = compiled(expr.inner, number)
        return lambda values: -inner(values)
    if isinstance(expr, Frac):
        top, bottom = compiled(expr.numerator, number), compiled(expr.denominator, number)
        return lambda values: top(values) / bottom(values)
    if isinstance(expr, Power):
        base, exponent = compiled(expr.base, number), compiled(expr.exponent, number)
        # np.power, not **: Python's float ** raises OverflowError where numpy's, as the engine's, is inf.
        return lambda values: np.power(base(values), exponent(values))
    if isinstance(expr, Root):
        inner = compiled(expr.inner, number)
        return lambda values: np.sqrt(inner(values))
    if isinstance(expr, Apply) and isinstance(expr.function, Fn) and expr.function.numeric is not None:
        function, args = expr.function.numeric, [compiled(arg, number) for arg in expr.args]
        return lambda values: function(*(arg(values) for arg in args))
    if isinstance(expr, Seq):
        return _terms(expr.items, number)
    raise NotArithmetic(f"{type(expr).__name__} is not arithmetic on numbers")


def evaluated(expr, number: Number = _value) -> float | None:
    """The number `expr` (written arithmetic over numbers) gives, or None where it cannot be
    computed from what is written (a symbol, terms left out)."""
    try:
        with np.errstate(all="ignore"):
            return float(compiled(expr, number)({}))
    except (NotArithmetic, KeyError, ZeroDivisionError, OverflowError, ValueError):
        return None


def _terms(items: tuple, number: Number) -> Compiled:
    """Products bind before sums: a + b . c - d is a + (b . c) - d."""
    terms: list[tuple[int, Compiled]] = []
    sign, factors = 1, []
    for item in (*items, Op.PLUS):
        if item in _PRODUCTS:
            continue
        if isinstance(item, Op):
            if item not in (Op.PLUS, Op.MINUS):
                raise NotArithmetic(f"{item} is not element-wise arithmetic")
            terms.append((sign, _product(factors)))
            sign, factors = (1 if item is Op.PLUS else -1), []
        else:
            factors.append(compiled(item, number))
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
