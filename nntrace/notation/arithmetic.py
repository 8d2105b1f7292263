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
import operator
from collections.abc import Callable, Mapping

import numpy as np

from nntrace.notation.nodes import EULER, Apply, Fn, Frac, Group, Neg, Num, Op, Power, Q, Root, Seq, Signed, Sym

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
        if expr.value is not None and not expr.is_matrix:  # a number of the line, written as a quantity
            return compiled(Num(float(expr.value), expr.exact), number)
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
        return lambda values: _power(base(values), exponent(values))
    if isinstance(expr, Root):
        inner = compiled(expr.inner, number)
        return lambda values: np.sqrt(inner(values))
    if isinstance(expr, Apply) and isinstance(expr.function, Fn) and expr.function.numeric is not None:
        function, args = expr.function.numeric, [compiled(arg, number) for arg in expr.args]
        return lambda values: function(*(arg(values) for arg in args))
    if isinstance(expr, Seq):
        return _terms(expr.items, number)
    raise NotArithmetic(f"{type(expr).__name__} is not arithmetic on numbers")


def _power(base, exponent):
    """base ** exponent as the lean loop computes it (the same bits), and where Python's float power
    raises OverflowError, numpy's inf, as the engine's arrays have it."""
    try:
        return base**exponent
    except OverflowError:
        return np.power(base, exponent)


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
        if isinstance(item, Op):  # first: `node in _PRODUCTS` would compare a node with each operator
            if item in _PRODUCTS:
                continue
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


MOST_DIGITS = 340  # 1 + e^-700 keeps its last digit; a span beyond it costs seconds a number


def redone(expr, text: Callable[[Num], str]) -> float | None:
    """The number a reader gets from written arithmetic over numbers, computed as by hand: in exact
    decimal arithmetic on each number as written (`text(number)`, e.g. "0.0325"), so that
    ln(1 + e^-32.3) is 9.2 × 10⁻¹⁵ where float64's 1 + e^-32.3 would lose it. None where it cannot be
    computed from what is written (a symbol, terms left out).

    Digits enough for every value on the way: first 50, which hold any sum whose terms lie within
    ten powers of ten of each other; where they lie further apart (1 + e^-700), again with that span
    and 40 more, up to MOST_DIGITS. (Decimal's exp at 340 digits costs 45 times its exp at 40.)"""

    span = _Span()
    value = _redone_to(expr, text, 50, span)
    if value is not None and span.widest > 10:
        value = _redone_to(expr, text, min(span.widest + 40, MOST_DIGITS), None)
    return value


_ULP = 2.0**-52  # float64's relative spacing: a correctly rounded operation errs by at most half of it


def redone_bounded(expr, text: Callable[[Num], str]) -> tuple[float, float] | None:
    """The arithmetic redone in float64, as `redone` redoes it exactly, with a bound on how far
    the float is from the exact number: a caller decides by the float where the bound cannot change
    its answer (most lines: exact decimal arithmetic costs ten times more) and redoes it exactly
    where it can. None where the float cannot be bounded (an overflow, a bracket that may hold 0)."""
    return bounded(expr, lambda number: read(text(number)))


Read = Callable[[Num], tuple[float, float]]  # a number as written, read into float64, and its error


def bounded(expr, number: Read) -> tuple[float, float] | None:
    """`redone_bounded` with each number read by `number` (`read` of its text, or that kept: a
    line's numbers are read at every guard digit tried, and the same numbers recur line after line)."""
    try:
        value, error = _bounded_sequence(expr, number) if type(expr) is Seq else _bounded(expr, number)
    except (NotArithmetic, ArithmeticError, ValueError, TypeError, KeyError):
        return None
    if not (math.isfinite(value) and math.isfinite(error)):
        return None
    return value, error


def read(written: str) -> tuple[float, float]:
    """A number's digits as float64, and the error of reading them: half an ulp at most, and none
    for a whole number's digits below 2^53, which float64 holds exactly (so a square is computed
    here rather than refused as a power of an uncertain exponent)."""
    value = float(written)
    if abs(value) < 2**53 and written.lstrip("-").isdigit():
        return value, 0.0
    return value, _ULP * abs(value)


def _rounded(value: float, error: float) -> tuple[float, float]:
    """A result and its error: what it carried in, and its own rounding (a function of numpy's or
    math's errs by at most an ulp; two are counted). Near float64's smallest numbers, where its
    relative error no longer holds, there is no bound."""
    if value != 0 and abs(value) < 1e-290:
        raise ArithmeticError("a number too small for float64's relative error")
    return value, error + 2 * _ULP * abs(value)


def _bounded(expr, number: Read) -> tuple[float, float]:
    kind = type(expr)  # the kinds of every element line first, without a dictionary's dispatch
    if kind is Seq:
        return _bounded_sequence(expr, number)
    if kind is Num:
        return number(expr)
    if kind is Group or kind is Signed:
        return _bounded(expr.inner, number)
    way = _BOUNDED.get(kind)  # by the node's kind: a line's nodes are met many times a line
    if way is None:  # a kind's subclass (a printer's bracketed Signed) is worked as its kind
        way = next((_BOUNDED[base] for base in kind.__mro__ if base in _BOUNDED), None)
        if way is None:
            raise NotArithmetic(f"{kind.__name__} is not arithmetic on numbers")
    return way(expr, number)


def _bounded_number(expr: Num, number: Read) -> tuple[float, float]:
    return number(expr)


def _bounded_quantity(expr: Q, number: Read) -> tuple[float, float]:
    if expr.value is None or expr.is_matrix:
        raise NotArithmetic("a quantity without one number is not arithmetic on numbers")
    return number(Num(float(expr.value), expr.exact))


def _bounded_symbol(expr: Sym, number: Read) -> tuple[float, float]:
    if expr != EULER:
        raise NotArithmetic("a symbol is not arithmetic on numbers")
    return math.e, _ULP * math.e


def _bounded_inner(expr: Group | Signed, number: Read) -> tuple[float, float]:
    return _bounded(expr.inner, number)


def _bounded_negated(expr: Neg, number: Read) -> tuple[float, float]:
    value, error = _bounded(expr.inner, number)
    return -value, error


def _bounded_fraction(expr: Frac, number: Read) -> tuple[float, float]:
    (top, top_error), (bottom, bottom_error) = _bounded(expr.numerator, number), _bounded(expr.denominator, number)
    if abs(bottom) <= 2 * bottom_error:
        raise ArithmeticError("a denominator that may be 0")
    bound = (abs(top) * bottom_error + abs(bottom) * top_error) / (abs(bottom) * (abs(bottom) - bottom_error))
    return _rounded(top / bottom, bound)


def _bounded_power(expr: Power, number: Read) -> tuple[float, float]:
    exponent, exponent_error = _bounded(expr.exponent, number)
    if expr.base is EULER or expr.base == EULER:
        if exponent_error > 1e-3 or exponent < -600:
            raise ArithmeticError("an exponent too uncertain, or a power near float64's smallest")
        value = math.exp(exponent)
        return _rounded(value, value * math.expm1(exponent_error))
    base, base_error = _bounded(expr.base, number)
    if exponent_error or exponent != 2:
        raise ArithmeticError("a power other than a square")  # exact decimal arithmetic decides
    return _rounded(base * base, 2 * abs(base) * base_error + base_error * base_error)


def _bounded_root(expr: Root, number: Read) -> tuple[float, float]:
    inner, inner_error = _bounded(expr.inner, number)
    if inner - inner_error <= 0:
        raise ArithmeticError("a root of what may be negative")
    value = math.sqrt(inner)
    return _rounded(value, inner_error / (math.sqrt(inner - inner_error) + value))


def _bounded_application(expr: Apply, number: Read) -> tuple[float, float]:
    if not isinstance(expr.function, Fn) or expr.function.numeric is None:
        raise NotArithmetic("a function without numerics is not arithmetic on numbers")
    return _applied(expr.function.numeric, [_bounded(arg, number) for arg in expr.args])


def _bounded_sequence(expr: Seq, number: Read) -> tuple[float, float]:
    """A sequence's terms added and subtracted, each the product of its factors, as
    `_sum_of_products` combines them (the same operations in the same order), written out: a line
    is mostly sums of products of numbers, and a generic fold, with a call through a lambda and a
    dispatch for each factor and an enum's attribute for each operator, cost more than their
    arithmetic."""
    total = product = None
    negative = False
    for item in expr.items:
        kind = type(item)
        if kind is Num:
            factor = number(item)
        elif kind is Op:
            if item is _PLUS or item is _MINUS:
                total = _bounded_sum(total, product, negative)
                negative, product = item is _MINUS, None
            elif item not in _PRODUCTS:
                raise NotArithmetic(f"{item} is not element-wise arithmetic")
            continue
        else:
            while kind is Group or kind is Signed:  # a factor in brackets: 1 x (-0.38), (1 x 0.42) + ...
                item = item.inner
                kind = type(item)
            if kind is Num:
                factor = number(item)
            elif kind is Seq:
                factor = _bounded_sequence(item, number)
            else:
                factor = _bounded(item, number)
        product = factor if product is None else _bounded_product(product, factor)
    return _bounded_sum(total, product, negative)  # the last term


def _bounded_product(left: tuple[float, float], right: tuple[float, float]) -> tuple[float, float]:
    (a, a_error), (b, b_error) = left, right
    if a * b == 0 and a != 0 and b != 0:
        raise ArithmeticError("a product below float64's smallest number")
    return _rounded(a * b, abs(a) * b_error + abs(b) * a_error + a_error * b_error)


def _bounded_sum(total: tuple[float, float] | None, term: tuple[float, float], negative: bool):
    """`total` (None before the first term) with `term` added, or subtracted (`negative`)."""
    if negative:
        term = (-term[0], term[1])  # (a TypeError where no term came after a sign)
    if total is None:
        return term
    return _rounded(total[0] + term[0], total[1] + term[1])


_PLUS, _MINUS = Op.PLUS, Op.MINUS


_BOUNDED = {Num: _bounded_number, Q: _bounded_quantity, Sym: _bounded_symbol, Group: _bounded_inner,
            Signed: _bounded_inner, Neg: _bounded_negated, Frac: _bounded_fraction, Power: _bounded_power,
            Root: _bounded_root, Apply: _bounded_application, Seq: _bounded_sequence}  # fmt: skip


def _sum_of_products(expr: Seq, value, add, multiply, negate):
    """A sequence's terms added and subtracted, each the product of its factors: `value` of each
    factor, combined by `add`, `multiply` and `negate` (of decimals; `_bounded_sequence` is this
    for floats with their bounds, written out)."""
    total, sign, product = None, 1, None
    for item in (*expr.items, Op.PLUS):
        if isinstance(item, Op):  # first: `node in _PRODUCTS` would compare a node with each operator
            if item in _PRODUCTS:
                continue
            if item not in (Op.PLUS, Op.MINUS):
                raise NotArithmetic(f"{item} is not element-wise arithmetic")
            term = product if sign > 0 else negate(product)
            total = term if total is None else add(total, term)
            sign, product = (1 if item is Op.PLUS else -1), None
        else:
            factor = value(item)
            product = factor if product is None else multiply(product, factor)
    return total


def _applied(function, args: list[tuple[float, float]]) -> tuple[float, float]:
    """A function (ln, max, an activation) in float64, its error bounded by its values at the ends of
    each argument's interval, widened by the half ulp `redone` rounds the exact argument to before
    it applies a function it has no exact form of: the functions applied in element lines are
    monotonic or smooth there, so between the ends they stay between their values (a jump, as a
    step's at 0, shows as a wide bound)."""
    with np.errstate(all="ignore"):  # ln of what may be 0: a bound that is not finite, not a warning
        return _spread(function, args)


def _spread(function, args: list[tuple[float, float]]) -> tuple[float, float]:
    value = float(function(*(arg for arg, _ in args)))
    spread = 0.0
    for position, (arg, error) in enumerate(args):
        half_width = error + _ULP * abs(arg)
        if half_width:
            ends = [float(function(*[end if at == position else other for at, (other, _) in enumerate(args)]))
                    for end in (arg - half_width, arg + half_width)]  # fmt: skip
            spread += max(abs(end - value) for end in ends)
    return _rounded(value, spread)


class _Span:
    """The powers of ten spanned by the nonzero values seen on the way."""

    def __init__(self) -> None:
        self.low = self.high = None

    def see(self, value):
        if value and value.is_finite():
            power = value.adjusted()
            self.low = power if self.low is None else min(self.low, power)
            self.high = power if self.high is None else max(self.high, power)
        return value

    @property
    def widest(self) -> int:
        return 0 if self.low is None else self.high - self.low


def _redone_to(expr, text, digits: int, span: _Span | None) -> float | None:
    import decimal

    context = decimal.Context(prec=digits, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN)  # e^2390451 too
    seen = span.see if span is not None else (lambda value: value)
    try:
        with decimal.localcontext(context):
            return float(_exactly(expr, text, decimal.Decimal, seen))
    except (NotArithmetic, KeyError, ArithmeticError, ValueError, TypeError):
        return None


def _exactly(expr, text, D, seen):
    return seen(_value(expr, text, D, seen))


def _value(expr, text, D, seen):
    if isinstance(expr, Num):
        return D(text(expr))
    if isinstance(expr, Q) and expr.value is not None and not expr.is_matrix:
        return _exactly(Num(float(expr.value), expr.exact), text, D, seen)
    if expr == EULER:
        return D(1).exp()
    if isinstance(expr, (Group, Signed)):
        return _exactly(expr.inner, text, D, seen)
    if isinstance(expr, Neg):
        return -_exactly(expr.inner, text, D, seen)
    if isinstance(expr, Frac):
        return _exactly(expr.numerator, text, D, seen) / _exactly(expr.denominator, text, D, seen)
    if isinstance(expr, Power):
        exponent = _exactly(expr.exponent, text, D, seen)
        if expr.base == EULER:
            return exponent.exp()
        base = _exactly(expr.base, text, D, seen)
        return base**exponent if exponent == exponent.to_integral_value() else (exponent * base.ln()).exp()
    if isinstance(expr, Root):
        return _exactly(expr.inner, text, D, seen).sqrt()
    if isinstance(expr, Apply) and isinstance(expr.function, Fn) and expr.function.numeric is not None:
        args = [_exactly(arg, text, D, seen) for arg in expr.args]
        exact = getattr(expr.function.numeric, "exact", None)
        if exact is not None:
            return exact(*args)
        # A function without an exact form: float64's, which loses nothing here (no cancellation in it).
        return D(repr(float(expr.function.numeric(*(float(arg) for arg in args)))))
    if isinstance(expr, Seq):
        return _sum_of_products(expr, lambda item: _exactly(item, text, D, seen), operator.add, operator.mul,
                                operator.neg)  # fmt: skip
    raise NotArithmetic(f"{type(expr).__name__} is not arithmetic on numbers")
