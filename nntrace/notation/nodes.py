"""Mathematics as data: the expressions a worked solution is made of, and no glyph.

A formula is built once, from quantities that carry both their symbol and their value
(`Q`); each writer renders it: as a formula line (symbols), as the equation with the
numbers (values), as numpy code (keys). How an operator or a symbol looks is the
writer's business: here a product is `Op.PRODUCT`, sigma is `Sym("sigma")`.

Symbol bases name Greek letters by their English names (sigma, delta, eta, alpha, partial);
the symbol table (symbols.py) maps them to each medium's characters. A function carries its
numerics beside its name (`Fn.numeric`), so an expression of numbers can be evaluated as written.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum

import numpy as np

from nntrace.common import records
from nntrace.common.records import NamedTuple


class Op(Enum):
    __hash__ = object.__hash__  # in C, by identity: a node's hash meets its every operator (Enum hashes names in Python)
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
    DISTRIBUTED = "distributed"  # drawn from: W ∼ U(−1, 1)


class Sym(NamedTuple):
    """A symbol: base (a letter, a word, or a Greek letter's name), subscript, prime, transpose, hat
    (an estimate corrected for its bias, as Adam's m-hat)."""

    base: str
    sub: str | None = None
    prime: bool = False
    transpose: bool = False
    hat: bool = False


class Fn(NamedTuple):
    """A function: its name as written (`display`, a symbol), as numpy code calls it (`code`), and
    what it computes on numbers (`numeric`), so written arithmetic can be evaluated as written."""

    display: Sym
    code: str
    numeric: Callable | None = None


class Q:
    """A quantity: its symbol in formulas, its value in equations, its key in code.

    `value` is a matrix (2-D, oriented as shown), a scalar, or None for a symbol with no
    value here. `exact` scalars are shown as given (a learning rate), not at the precision.

    Immutable and compared by identity (its value may be an array), as a frozen dataclass with
    eq=False, written out: @dataclass compiles source for it as nntrace starts (common/records.py).
    """

    __record_fields__ = ("symbol", "value", "key", "result", "exact")  # read by records.replace
    __record_hidden__ = frozenset()

    symbol: Expr
    value: np.ndarray | float | None
    key: str | None
    result: bool  # the quantity an equation computes (set in bold)
    exact: bool

    def __init__(self, symbol: Expr, value: np.ndarray | float | None = None, key: str | None = None,
                 result: bool = False, exact: bool = False) -> None:  # fmt: skip
        fields = self.__dict__  # written into directly: a call of object.__setattr__ a field costs twice as much
        fields["symbol"] = symbol
        fields["value"] = value
        fields["key"] = key
        fields["result"] = result
        fields["exact"] = exact

    __setattr__ = records.frozen_setattr
    __delattr__ = records.frozen_delattr
    __repr__ = records.record_repr

    @property
    def is_matrix(self) -> bool:
        return isinstance(self.value, np.ndarray)


class Num(NamedTuple):
    """A number: computed values are shown at the precision, `exact` ones as given (0.1, 2)."""

    value: float
    exact: bool = False


class Seq(NamedTuple):
    """Terms joined by operators: a, Op, b, Op, c."""

    items: tuple[Expr | Op, ...]


class Group(NamedTuple):
    """An expression in brackets."""

    inner: Expr
    square: bool = False  # [ ] instead of ( )


class Signed(NamedTuple):
    """A term set in brackets when its value is a negative number: 0.3 + 0.1 x (-0.049)."""

    inner: Expr


class Apply(NamedTuple):
    """A function applied: f(x), max(0, z); `parens=False` for ln O."""

    function: Fn | Sym
    args: tuple[Expr, ...]
    parens: bool = True


class Frac(NamedTuple):
    """A fraction: numerator over denominator."""

    numerator: Expr
    denominator: Expr


class Power(NamedTuple):
    """`base` raised to `exponent` (e^z, v², a power of β)."""

    base: Expr
    exponent: Expr


class Root(NamedTuple):
    """The square root, element by element for a matrix."""

    inner: Expr


class Neg(NamedTuple):
    """The negative of an expression: −z."""

    inner: Expr


class Deriv(NamedTuple):
    """The partial derivative of `of` with respect to `wrt`."""

    of: Expr
    wrt: Expr


class Sum(NamedTuple):
    """A sum: over an index (Σ_k), over the samples (`axis`: the one numpy sums along), or a
    double sum (`count=2`) over all entries."""

    body: Expr
    index: str | None = None
    count: int = 1
    axis: int | None = None


class At(NamedTuple):
    """One element: H_in[1,1], H_out[s,3], z_i. Indices are 1-based numbers or index names."""

    inner: Expr
    index: tuple[int | str, ...]


class Where(NamedTuple):
    """Piecewise: `then` where (or, element by element, if) `condition`, else `otherwise`."""

    condition: Expr
    then: Expr
    otherwise: Expr


class Compare(NamedTuple):
    """A condition in a piecewise definition: z > 0."""

    left: Expr
    op: Op
    right: Expr


class Const(NamedTuple):
    """A constant spread over the shape of a quantity (the slope 1 of a linear unit)."""

    value: float
    like: Q


class Digits(NamedTuple):
    """A number as someone wrote it down, its digits kept as given (a claim's 0.4730, -1.2e-05):
    the writers set it as a number, neither rounded nor padded by the number policy."""

    text: str

    @property
    def written(self):
        from nntrace.notation.numbers import as_written

        return as_written(self.text)


class Elided(NamedTuple):
    """Terms left out of a long sum, as `count` more."""

    count: int


# An expression is any of the nodes above. Each is a named tuple: immutable and compared by value
# (Num(2, True) == Num(2, True)), and a fifth of a frozen dataclass's cost to define when nntrace
# starts; `_compared_by_kind` below makes nodes of two kinds unequal even where their fields agree.
Expr = (Sym | Fn | Q | Num | Seq | Group | Signed | Apply | Frac | Power | Root | Neg | Deriv | Sum | At | Where
        | Compare | Const | Digits | Elided)  # fmt: skip


class Equation(NamedTuple):
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


class Expansion(NamedTuple):
    """One element's arithmetic, written as a line a reader can redo by hand:

        [label] target relation [formula =] [arithmetic =] result [(note)]

    `formula` is the same computation in symbols (an update line: W − η · ∂L/∂W); `label` is prose
    before the target ("s=2: " for one sample's sum, "new " for an updated value); an arithmetic
    that is one number or quantity is not repeated (g = ∂L/∂W = 0.005); `final`: the line gives the
    result the others lead to."""

    target: Expr
    arithmetic: Expr | None  # None: the result is read off, nothing to work out
    result: float
    relation: Op = Op.EQUALS
    formula: Expr | None = None
    label: str | None = None
    note: str | None = None
    final: bool = False


class Expansions(NamedTuple):
    """The elements of one result worked out, and how many more were computed the same way."""

    shown: tuple[Expansion, ...]
    more: int = 0  # further elements computed the same way, not written out


class Remark(NamedTuple):
    """A note: prose words and expressions, in order ("E = ", expr, ", for the loss ", formula)."""

    parts: tuple[str | Expr | Equation, ...] = ()


def _compared_by_kind(cls):
    """Make a named tuple node equal only to a node of its own kind: Root(x) is not Neg(x). Its hash
    stays the tuple's (nodes equal by kind and fields hash alike, as they must; Root(x) and Neg(x)
    merely share a hash): a form's shape, deep in nodes, is hashed in C on every lookup."""

    def __eq__(self, other):
        return type(other) is type(self) and tuple.__eq__(self, other)

    def __ne__(self, other):
        return not __eq__(self, other)

    cls.__eq__, cls.__ne__, cls.__hash__ = __eq__, __ne__, tuple.__hash__
    return cls


NODES = (Sym, Fn, Num, Seq, Group, Signed, Apply, Frac, Power, Root, Neg, Deriv, Sum, At, Where, Compare, Const,
         Digits, Elided, Equation, Expansion, Expansions, Remark)  # fmt: skip
for _node in NODES:
    _compared_by_kind(_node)

EULER = Sym("e")  # Euler's number: e^z, which arithmetic reads as the number


def _exact(numeric, exact):
    """`numeric` (numpy's) carrying `exact`, its form for exact decimal arithmetic (arithmetic.redone)."""

    def function(*args):
        return numeric(*args)

    function.exact = exact
    return function


LN = Fn(Sym("ln"), "np.log", _exact(np.log, lambda x: x.ln()))
MAX = Fn(Sym("max"), "np.maximum", _exact(np.maximum, max))


def has_matrix(expr) -> bool:
    """Whether `expr` holds a whole matrix (not one element of one)."""
    if isinstance(expr, Q):
        return expr.is_matrix
    if isinstance(expr, (At, Num, Sym, Fn, Elided, Const, Digits)):
        return False
    if isinstance(expr, Seq):
        return any(has_matrix(item) for item in expr.items if not isinstance(item, Op))
    if isinstance(expr, Apply):
        return any(has_matrix(arg) for arg in expr.args)
    return any(has_matrix(value) for value in parts(expr))


def only_numbers(expr) -> bool:
    """Whether `expr` is arithmetic on numbers alone (Euler's e counts as one)."""
    if isinstance(expr, Num) or expr == EULER:
        return True
    if isinstance(expr, Q):
        return not expr.is_matrix and expr.value is not None
    if isinstance(expr, (Group, Signed, Neg)):
        return only_numbers(expr.inner)
    if isinstance(expr, Seq):
        return all(only_numbers(item) for item in expr.items if not isinstance(item, Op))
    if isinstance(expr, (Frac, Power, Root)):
        return all(only_numbers(value) for value in parts(expr))
    return False


def scalar_value(expr) -> float:
    """The number a scalar leaf holds (0 for anything else)."""
    if isinstance(expr, Num):
        return expr.value
    if isinstance(expr, Q) and not expr.is_matrix and expr.value is not None:
        return float(expr.value)
    return 0.0


def element_condition(expr: Where) -> bool:
    """Whether a piecewise expression is about one element (if) rather than a whole matrix (where)."""
    left = expr.condition.left if isinstance(expr.condition, Compare) else expr.condition
    return isinstance(left, At)


def parts(expr) -> list:
    """The fields of a node that are expressions."""
    return [value for value in expr if isinstance(value, NODES) or isinstance(value, Q)]


def numeric_parts(equation: Equation) -> list[Expr]:
    """The sides of an equation with its numbers: the expression, its stages, the result.

    An expression that is a bare quantity is not repeated: X = [X], delta_out = [E].
    """
    sides = ([] if is_bare_quantity(equation.expr) else [equation.expr]) + list(equation.stages)
    return sides + ([equation.result] if equation.result is not None else [])


def is_bare_quantity(expr) -> bool:
    """A quantity alone (bracketed where negative, or not): with the numbers, it is its own result,
    so an equation writes it once (g = dL/dW = 0.005, not = 0.005 = 0.005)."""
    return isinstance(expr.inner if isinstance(expr, Signed) else expr, Q)


def mentions(expr, leaf: Expr) -> bool:
    """Whether `leaf` (compared by identity) occurs in `expr`."""
    if expr is leaf:
        return True
    if isinstance(expr, Q):
        return mentions(expr.symbol, leaf)
    if isinstance(expr, tuple):  # a node's fields, or a field's terms
        return any(mentions(item, leaf) for item in expr)
    return False


def seq(*items: Expr | Op) -> Seq:
    return Seq(items)  # (a star parameter is a tuple already)


def sym(base: str, sub: str | None = None) -> Sym:
    return Sym(base, sub)
