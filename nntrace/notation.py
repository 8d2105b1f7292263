"""Mathematics as data: the expressions a worked solution is made of, and no glyph.

A formula is built once, from quantities that carry both their symbol and their value
(`Q`); each backend renders it: as a formula line (symbols), as the equation with the
numbers (values), as numpy code (keys). How an operator or a symbol looks is the
backend's business: here a product is `Op.PRODUCT`, sigma is `Sym("sigma")`.

Symbol bases name Greek letters by their English names (sigma, delta, eta, alpha, partial);
a backend maps them to its own characters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

import numpy as np


class Op(Enum):
    PRODUCT = "product"  # a matrix product, or a scalar times anything
    IMPLICIT = "implicit"  # a product written by juxtaposition: 2(y - O), 0.01z
    HADAMARD = "hadamard"  # element by element; between scalars, an ordinary product
    PLUS = "plus"
    MINUS = "minus"
    EQUALS = "equals"
    APPROX = "approx"
    ASSIGN = "assign"  # an update: W <- W + ...
    GREATER = "greater"
    GREATER_EQUAL = "greater_equal"


class Expr:
    """Base of every expression."""


@dataclass(frozen=True)
class Sym(Expr):
    """A symbol: base (a letter, a word, or a Greek letter's name), subscript, prime, transpose."""

    base: str
    sub: str | None = None
    prime: bool = False
    transpose: bool = False


@dataclass(frozen=True)
class Fn(Expr):
    """A function's name as written (`display`, a symbol) and as numpy code calls it (`code`)."""

    display: Sym
    code: str


@dataclass(frozen=True, eq=False)
class Q(Expr):
    """A quantity: its symbol in formulas, its value in equations, its key in code.

    `value` is a matrix (2-D, oriented as shown), a scalar, or None for a symbol with no
    value here. `exact` scalars are shown as given (a learning rate), not at the precision.
    """

    symbol: Expr
    value: np.ndarray | float | None = None
    key: str | None = None
    result: bool = False  # the quantity an equation computes (set in bold)
    exact: bool = False

    @property
    def is_matrix(self) -> bool:
        return isinstance(self.value, np.ndarray)


@dataclass(frozen=True)
class Num(Expr):
    """A number: computed values are shown at the precision, `exact` ones as given (0.1, 2)."""

    value: float
    exact: bool = False


@dataclass(frozen=True)
class Seq(Expr):
    """Terms joined by operators: a, Op, b, Op, c."""

    items: tuple[Expr | Op, ...]


@dataclass(frozen=True)
class Group(Expr):
    inner: Expr
    square: bool = False  # [ ] instead of ( )


@dataclass(frozen=True)
class Signed(Expr):
    """A term set in brackets when its value is a negative number: 0.3 + 0.1 x (-0.049)."""

    inner: Expr


@dataclass(frozen=True)
class Apply(Expr):
    """A function applied: f(x), max(0, z); `parens=False` for ln O."""

    function: Fn | Sym
    args: tuple[Expr, ...]
    parens: bool = True


@dataclass(frozen=True)
class Frac(Expr):
    numerator: Expr
    denominator: Expr


@dataclass(frozen=True)
class Power(Expr):
    base: Expr
    exponent: Expr


@dataclass(frozen=True)
class Neg(Expr):
    inner: Expr


@dataclass(frozen=True)
class Deriv(Expr):
    """The partial derivative of `of` with respect to `wrt`."""

    of: Expr
    wrt: Expr


@dataclass(frozen=True)
class Sum(Expr):
    """A sum: over an index (Σ_k), over the samples (`axis`: the one numpy sums along), or a
    double sum (`count=2`) over all entries."""

    body: Expr
    index: str | None = None
    count: int = 1
    axis: int | None = None


@dataclass(frozen=True)
class At(Expr):
    """One element: H_in[1,1], H_out[s,3], z_i. Indices are 1-based numbers or index names."""

    inner: Expr
    index: tuple[int | str, ...]


@dataclass(frozen=True)
class Where(Expr):
    """Piecewise: `then` where (or, element by element, if) `condition`, else `otherwise`."""

    condition: Expr
    then: Expr
    otherwise: Expr


@dataclass(frozen=True)
class Compare(Expr):
    left: Expr
    op: Op
    right: Expr


@dataclass(frozen=True)
class Const(Expr):
    """A constant spread over the shape of a quantity (the slope 1 of a linear unit)."""

    value: float
    like: Q


@dataclass(frozen=True)
class Elided(Expr):
    """Terms left out of a long sum, as `count` more."""

    count: int


@dataclass(frozen=True)
class Equation:
    """lhs relation expression: the formula, its stages with the numbers, and its result.

    The formula line shows `lhs relation expr` in symbols; the equation with the numbers
    shows `lhs relation expr = stage = ... = result` in values. An expression that is a bare
    quantity shows only the result (X = [X], delta_out = E).
    """

    lhs: Expr
    expr: Expr
    relation: Op = Op.EQUALS
    stages: tuple[Expr, ...] = ()
    result: Q | None = None
    code_target: str | None = None  # the key code assigns to; None: no code form
    expansions: tuple = ()  # Expansions, element by element, written under the equation
    remark: tuple = ()  # prose and expressions written after the formula line


@dataclass(frozen=True)
class Expansion:
    """One element's arithmetic: target = arithmetic = result."""

    target: Expr
    arithmetic: Expr
    result: float


@dataclass(frozen=True)
class Expansions:
    shown: tuple[Expansion, ...]
    more: int = 0  # further elements computed the same way, not written out


@dataclass(frozen=True)
class Remark:
    """A note: prose words and expressions, in order ("E = ", expr, ", for the loss ", formula)."""

    parts: tuple[str | Expr | Equation, ...] = field(default_factory=tuple)


def mentions(expr, leaf: Expr) -> bool:
    """Whether `leaf` (compared by identity) occurs in `expr`."""
    if expr is leaf:
        return True
    if isinstance(expr, Seq):
        return any(mentions(item, leaf) for item in expr.items)
    if isinstance(expr, Expr) and hasattr(expr, "__dataclass_fields__"):
        return any(mentions(getattr(expr, name), leaf) for name in expr.__dataclass_fields__)
    if isinstance(expr, tuple):
        return any(mentions(item, leaf) for item in expr)
    return False


def seq(*items: Expr | Op) -> Seq:
    return Seq(tuple(items))


def sym(base: str, sub: str | None = None) -> Sym:
    return Sym(base, sub)
