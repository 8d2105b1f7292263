"""Expressions written as Unicode text, as the terminal shows them.

`UnicodeMath(precision)` writes an expression with the numbers (matrices become layout
pieces, numbers are shown at `precision`); `UnicodeMath()` writes it in symbols. The
typographic rules live here: a product of two numbers is ×, of anything else ·; an
element-by-element product of matrices is ⊙, of two scalars plain multiplication; a square
of a matrix is A ⊙ A; a negative number after + or − is bracketed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from nntrace.notation.nodes import (
    Apply,
    At,
    Compare,
    Const,
    Deriv,
    Elided,
    Equation,
    Fn,
    Frac,
    Group,
    Neg,
    Num,
    Op,
    Power,
    Q,
    Remark,
    Root,
    Seq,
    Signed,
    Sum,
    Sym,
    Times,
    Where,
    element_condition,
    has_matrix,
    is_atom,
    multiplication,
    scalar_value,
    written,
)

_NEGATIVE = re.compile(r"^-\d[\d.]*$")
GREEK = {"sigma": "σ", "delta": "δ", "eta": "η", "alpha": "α", "partial": "∂", "Sigma": "Σ", "beta": "β", "mu": "μ",
         "lambda": "λ", "epsilon": "ε", "tau": "τ"}  # fmt: skip
SUBSCRIPTS = {"s": "ₛ", "k": "ₖ", "i": "ᵢ", "j": "ⱼ"}
SUPERSCRIPTS = {"z": "ᶻ", "2": "²", "t": "ᵗ"}
OPERATORS = {
    Op.PLUS: "+",
    Op.MINUS: "−",
    Op.EQUALS: "=",
    Op.APPROX: "≈",
    Op.ASSIGN: "←",
    Op.GREATER: ">",
    Op.GREATER_EQUAL: "≥",
    Op.HADAMARD: "⊙",
}


class Break(NamedTuple):
    """An operator an equation may break a line before."""

    text: str


TIMES = {
    Times.CROSS: Break(" × "),
    Times.DOT: Break(" · "),
    Times.HADAMARD: Break(" ⊙ "),
    Times.JUXTAPOSE: "",
    Times.SPACE: " ",
}


@dataclass(frozen=True, eq=False)  # holds arrays, which have no one truth value: compared by identity
class MatrixPiece:
    """A matrix in a line of an equation, possibly inside a function's brackets: σ(matrix)."""

    value: np.ndarray
    function: str | None = None  # shown applied: σ(matrix)
    result: bool = False


Piece = str | Break | MatrixPiece


def format_number(value: float, precision: int, integral: bool) -> str:
    if integral:
        return str(int(value)) if abs(value) < 1e15 else f"{value:.0f}"
    text = f"{value:.{precision}f}"
    # A value that rounds to zero is printed as zero, not "-0.000".
    if text.startswith("-") and float(text) == 0:
        text = text[1:]
    return text


def format_scalar(value: float, precision: int) -> str:
    """One number on its own: whole numbers without decimals, others at `precision`."""
    return format_number(value, precision, float(value).is_integer())


def integral(value: np.ndarray) -> bool:
    """Whether every entry is a whole number (then all are shown without decimals)."""
    finite = value[np.isfinite(value)]
    return finite.size == value.size and bool(np.all(finite == np.round(finite)))


def cell_text(v: float, precision: int, whole: bool) -> str:
    return format_number(v, precision, whole) if np.isfinite(v) else str(v)


def matrix_cells(value: np.ndarray, precision: int) -> list[list[str]]:
    whole = integral(value)
    return [[cell_text(v, precision, whole) for v in row] for row in value]


def column_widths(value: np.ndarray, precision: int, whole: bool) -> list[int]:
    """The width of each column's widest cell, formatting two cells a column, not all of them.

    A number's text grows with its magnitude, so the widest positive is the largest; a negative
    adds its sign unless it rounds to zero, and the largest negative decides that. `whole`: the
    matrix is written without decimals (see `integral`).
    """
    finite = np.isfinite(value)
    largest = np.where(finite, np.abs(value), -1.0).max(axis=0)  # -1: the column has no finite number
    most_negative = np.where(finite & (value < 0), value, 0.0).min(axis=0)
    widths = []
    for top, low in zip(largest.tolist(), most_negative.tolist()):
        width = len(format_number(top, precision, whole)) if top >= 0 else 0
        if low < 0:
            width = max(width, len(format_number(low, precision, whole)))
        widths.append(width)
    for row, column in zip(*np.nonzero(~finite)):
        widths[column] = max(widths[column], len(str(value[row, column])))
    return widths


class UnicodeMath:
    """Writes expressions in symbols (no precision) or with their numbers (at `precision`)."""

    def __init__(self, precision: int | None = None):
        self.precision = precision

    @property
    def numeric(self) -> bool:
        return self.precision is not None

    # -- public -----------------------------------------------------------------------------

    def text(self, expr) -> str:
        """`expr` on one line (it may hold no matrix when numeric)."""
        return join(self.pieces(expr))

    def pieces(self, expr) -> list[Piece]:
        return _merged(self._pieces(expr))

    def equation_text(self, equation: Equation) -> str:
        """The formula line: lhs relation expr, then its remark in brackets."""
        line = f"{self.text(equation.lhs)} {OPERATORS[equation.relation]} {self.text(equation.expr)}"
        if equation.remark:
            line += f" ({self.remark(Remark(equation.remark))})"
        return line

    def remark(self, remark: Remark) -> str:
        return written(remark, str, self.equation_text, self.text)

    # -- pieces -----------------------------------------------------------------------------

    def _pieces(self, expr) -> list[Piece]:
        method = getattr(self, f"_{type(expr).__name__.lower()}")
        return method(expr)

    def _sym(self, expr: Sym) -> list[Piece]:
        text = GREEK.get(expr.base, expr.base)
        if expr.hat:
            text += "\u0302"  # combining circumflex: m̂
        if expr.prime:
            text += "′"
        if expr.sub:
            text += f"_{expr.sub}"
        if expr.transpose:
            text += "ᵀ"
        return [text]

    def _fn(self, expr: Fn) -> list[Piece]:
        return self._sym(expr.display)

    def _q(self, expr: Q) -> list[Piece]:
        if not self.numeric or expr.value is None:
            return self._pieces(expr.symbol)
        if expr.is_matrix:
            return [MatrixPiece(expr.value, result=expr.result)]
        return [self._number(float(expr.value), expr.exact)]

    def _num(self, expr: Num) -> list[Piece]:
        return [self._number(expr.value, expr.exact)]

    def _number(self, value: float, exact: bool) -> str:
        if exact or not self.numeric:
            return f"{value:g}"
        return format_scalar(value, self.precision)

    def _seq(self, expr: Seq) -> list[Piece]:
        items = expr.items
        out: list[Piece] = []
        for position, item in enumerate(items):
            if isinstance(item, Op):
                out.append(self._operator(item, items[position - 1], items[position + 1]))
                continue
            pieces = self._pieces(item)
            previous = items[position - 1] if position else None
            if self.numeric and previous in (Op.PLUS, Op.MINUS) and pieces and _negative_number(pieces[:1]):
                pieces = ["(", pieces[0], ")", *pieces[1:]]
            out += pieces
        return out

    def _operator(self, op: Op, left, right) -> Piece:
        if op in (Op.PRODUCT, Op.IMPLICIT, Op.HADAMARD):
            return TIMES[multiplication(op, left, right, self.numeric)]
        return Break(f" {OPERATORS[op]} ")

    def _group(self, expr: Group) -> list[Piece]:
        opening, closing = ("[", "]") if expr.square else ("(", ")")
        return [opening, *self._pieces(expr.inner), closing]

    def _signed(self, expr: Signed) -> list[Piece]:
        pieces = self._pieces(expr.inner)
        return ["(", *pieces, ")"] if self.numeric and scalar_value(expr.inner) < 0 else pieces

    def _apply(self, expr: Apply) -> list[Piece]:
        name = join(self._pieces(expr.function))
        if self.numeric and len(expr.args) == 1 and has_matrix(expr.args[0]) and isinstance(expr.args[0], Q):
            return [MatrixPiece(expr.args[0].value, function=name)]
        if not expr.parens:
            return [f"{name} ", *self._pieces(expr.args[0])]
        out: list[Piece] = [f"{name}("]
        for number, arg in enumerate(expr.args):
            out += ([", "] if number else []) + self._pieces(arg)
        return [*out, ")"]

    def _frac(self, expr: Frac) -> list[Piece]:
        top, bottom = expr.numerator, expr.denominator
        if not self.numeric and top == Num(1, True) and bottom == Num(2, True):
            return ["½"]
        if is_atom(top) and is_atom(bottom):
            return [*self._pieces(top), "/", *self._pieces(bottom)]
        return [*self._pieces(top), Break(" / "), *self._pieces(bottom)]

    def _power(self, expr: Power) -> list[Piece]:
        base, exponent = expr.base, expr.exponent
        if exponent == Num(2, True) and (has_matrix(base) or self.numeric):
            between = Break(" ⊙ ") if has_matrix(base) else " × "
            return [*self._pieces(base), between, *self._pieces(base)]
        if not self.numeric:
            raised = _superscript(exponent)
            if raised is not None:
                return [*self._pieces(base), raised]
        return [*self._pieces(base), "^", *self._pieces(exponent)]

    def _root(self, expr: Root) -> list[Piece]:
        inner = expr.inner
        if isinstance(inner, Signed) and not (self.numeric and scalar_value(inner.inner) < 0):
            inner = inner.inner  # no brackets to add: √0.25 as √ of an atom
        if self.numeric and isinstance(inner, Q) and inner.is_matrix:
            return [MatrixPiece(inner.value, function="√")]
        if is_atom(inner.symbol if isinstance(inner, Q) and not self.numeric else inner):
            return ["√", *self._pieces(inner)]
        return ["√(", *self._pieces(inner), ")"]

    def _neg(self, expr: Neg) -> list[Piece]:
        if self.numeric and isinstance(expr.inner, Num):
            return [self._number(-expr.inner.value, expr.inner.exact)]
        return ["−", *self._pieces(expr.inner)]

    def _deriv(self, expr: Deriv) -> list[Piece]:
        return ["∂", *self._pieces(expr.of), "/∂", *self._pieces(expr.wrt)]

    def _sum(self, expr: Sum) -> list[Piece]:
        head = "Σ" * expr.count + (SUBSCRIPTS[expr.index] if expr.index else "")
        return [f"{head} ", *self._pieces(expr.body)]

    def _at(self, expr: At) -> list[Piece]:
        inner = self._pieces(expr.inner)
        if len(expr.index) == 1 and isinstance(expr.index[0], str) and expr.index[0] in SUBSCRIPTS:
            return [*inner, SUBSCRIPTS[expr.index[0]]]
        return [*inner, "[" + ",".join(str(i) for i in expr.index) + "]"]

    def _where(self, expr: Where) -> list[Piece]:
        word = " if " if element_condition(expr) else " where "
        return [*self._pieces(expr.then), word, *self._pieces(expr.condition), ", else ", *self._pieces(expr.otherwise)]

    def _compare(self, expr: Compare) -> list[Piece]:
        return [*self._pieces(expr.left), f" {OPERATORS[expr.op]} ", *self._pieces(expr.right)]

    def _const(self, expr: Const) -> list[Piece]:
        return [f"{expr.value:g}"]

    def _elided(self, expr: Elided) -> list[Piece]:
        return [f"… {expr.count} more …"]


def _superscript(exponent) -> str | None:
    if isinstance(exponent, Q):
        exponent = exponent.symbol
    if isinstance(exponent, Num) and exponent.exact and f"{exponent.value:g}" in SUPERSCRIPTS:
        return SUPERSCRIPTS[f"{exponent.value:g}"]
    if isinstance(exponent, Sym) and exponent.base in SUPERSCRIPTS and not exponent.sub:
        return SUPERSCRIPTS[exponent.base]
    if isinstance(exponent, Neg) and isinstance(exponent.inner, Sym) and exponent.inner.base in SUPERSCRIPTS:
        return "⁻" + SUPERSCRIPTS[exponent.inner.base]
    return None


def _negative_number(pieces: list[Piece]) -> bool:
    """A single negative number, as written: 1 − (-0.2)."""
    return len(pieces) == 1 and isinstance(pieces[0], str) and _NEGATIVE.match(pieces[0]) is not None


def _merged(pieces: list[Piece]) -> list[Piece]:
    """Adjacent text pieces joined into one."""
    out: list[Piece] = []
    for piece in pieces:
        if isinstance(piece, str) and out and isinstance(out[-1], str):
            out[-1] += piece
        elif piece != "":
            out.append(piece)
    return out


def join(pieces: list[Piece]) -> str:
    out = []
    for piece in pieces:
        if isinstance(piece, MatrixPiece):
            raise ValueError("a matrix cannot be written on one line")
        out.append(piece.text if isinstance(piece, Break) else piece)
    return "".join(out)
