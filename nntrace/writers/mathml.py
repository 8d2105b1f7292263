"""Expressions written as MathML (MathML Core), which current browsers lay out natively.

Like the LaTeX and Unicode writers, `MathML(precision)` writes numbers and `MathML()` symbols.
A matrix becomes a bracketed <mtable>; `annotate` may add attributes to a matrix and its cells
(the HTML stepper marks which row or column of an operand each result element comes from).
"""

from __future__ import annotations

from html import escape
from typing import Callable

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
    Root,
    Seq,
    Signed,
    Sum,
    Sym,
    Times,
    Where,
    element_condition,
    has_matrix,
    multiplication,
    scalar_value,
)
from nntrace.writers.unicode import GREEK, OPERATORS, SUBSCRIPTS, format_scalar, matrix_cells

TIMES = {Times.CROSS: "×", Times.DOT: "·", Times.HADAMARD: "⊙", Times.JUXTAPOSE: "", Times.SPACE: "\u2006"}


def mi(name: str) -> str:
    variant = ' mathvariant="normal"' if len(name) > 1 else ""
    return f"<mi{variant}>{escape(name)}</mi>"


def mn(value: str) -> str:
    if value.startswith("-"):
        return f"<mrow><mo>-</mo><mn>{escape(value[1:])}</mn></mrow>"
    return f"<mn>{escape(value)}</mn>"


def mo(symbol: str, **attributes) -> str:
    extra = "".join(f' {key}="{value}"' for key, value in attributes.items())
    return f"<mo{extra}>{escape(symbol)}</mo>"


def row(*parts: str) -> str:
    return "<mrow>" + "".join(parts) + "</mrow>"


def fenced(inner: str, opening: str = "(", closing: str = ")") -> str:
    return row(mo(opening, stretchy="true"), inner, mo(closing, stretchy="true"))


class MathML:
    def __init__(self, precision: int | None = None, annotate: Callable[[Q], tuple[str, Callable]] | None = None):
        self.precision = precision
        self.annotate = annotate

    @property
    def numeric(self) -> bool:
        return self.precision is not None

    def math(self, expr) -> str:
        return getattr(self, f"_{type(expr).__name__.lower()}")(expr)

    def equation(self, equation: Equation) -> str:
        return row(self.math(equation.lhs), mo(OPERATORS[equation.relation]), self.math(equation.expr))

    def matrix(self, value: np.ndarray, attributes: str = "", cell: Callable | None = None) -> str:
        cells = matrix_cells(np.atleast_2d(value), self.precision)
        rows = []
        for r, line in enumerate(cells):
            tds = []
            for c, text in enumerate(line):
                extra = cell(r, c) if cell else ""
                tds.append(f"<mtd{extra}>{mn(text)}</mtd>")
            rows.append("<mtr>" + "".join(tds) + "</mtr>")
        align = " ".join(["right"] * len(cells[0]))
        return f'<mtable columnalign="{align}"{attributes}>' + "".join(rows) + "</mtable>"

    def _sym(self, expr: Sym) -> str:
        base = mi(GREEK.get(expr.base, expr.base))
        if expr.hat:
            base = f'<mover accent="true">{base}{mo("^")}</mover>'
        if expr.prime:
            base = f"<msup>{base}{mo('′')}</msup>"
        if expr.sub:
            base = f"<msub>{base}{mi(expr.sub)}</msub>"
        if expr.transpose:
            base = f"<msup>{base}{mi('T')}</msup>"
        return base

    def _fn(self, expr: Fn) -> str:
        return self._sym(expr.display)

    def _q(self, expr: Q) -> str:
        if not self.numeric or expr.value is None:
            return self.math(expr.symbol)
        if expr.is_matrix:
            attributes, cell = self.annotate(expr) if self.annotate else ("", None)
            return fenced(self.matrix(expr.value, attributes, cell), "[", "]")
        return self._number(float(expr.value), expr.exact)

    def _num(self, expr: Num) -> str:
        return self._number(expr.value, expr.exact)

    def _number(self, value: float, exact: bool) -> str:
        return mn(f"{value:g}" if exact or not self.numeric else format_scalar(value, self.precision))

    def _seq(self, expr: Seq) -> str:
        items, out = expr.items, []
        for position, item in enumerate(items):
            if isinstance(item, Op):
                left, right = items[position - 1], items[position + 1]
                if item in (Op.PRODUCT, Op.IMPLICIT, Op.HADAMARD):
                    symbol = TIMES[multiplication(item, left, right, self.numeric)]
                    out.append(mo(symbol) if symbol else "")
                else:
                    out.append(mo(OPERATORS[item]))
                continue
            written = self.math(item)
            negative = isinstance(item, Num) and item.value < 0 and not item.exact
            if self.numeric and position and items[position - 1] in (Op.PLUS, Op.MINUS) and negative:
                written = fenced(written)
            out.append(written)
        return row(*out)

    def _group(self, expr: Group) -> str:
        return fenced(self.math(expr.inner), *("[]" if expr.square else "()"))

    def _signed(self, expr: Signed) -> str:
        inner = self.math(expr.inner)
        return fenced(inner) if self.numeric and scalar_value(expr.inner) < 0 else inner

    def _apply(self, expr: Apply) -> str:
        name = self.math(expr.function)
        if self.numeric and len(expr.args) == 1 and isinstance(expr.args[0], Q) and expr.args[0].is_matrix:
            attributes, cell = self.annotate(expr.args[0]) if self.annotate else ("", None)
            return row(name, fenced(self.matrix(expr.args[0].value, attributes, cell)))
        if not expr.parens:
            return row(name, mo("\u2061"), self.math(expr.args[0]))
        args = mo(",").join(self.math(arg) for arg in expr.args)
        return row(name, mo("\u2061"), fenced(row(args)))

    def _frac(self, expr: Frac) -> str:
        top, bottom = (
            self.math(part.inner if isinstance(part, Group) else part) for part in (expr.numerator, expr.denominator)
        )
        return f"<mfrac>{top}{bottom}</mfrac>"

    def _power(self, expr: Power) -> str:
        base = self.math(expr.base)
        if expr.exponent == Num(2, True) and has_matrix(expr.base):
            return row(base, mo("⊙"), base)
        if expr.exponent == Num(2, True) and self.numeric:
            return row(base, mo("×"), base)
        return f"<msup>{base}{self.math(expr.exponent)}</msup>"

    def _root(self, expr: Root) -> str:
        return f"<msqrt>{self.math(expr.inner)}</msqrt>"

    def _neg(self, expr: Neg) -> str:
        if self.numeric and isinstance(expr.inner, Num):
            return self._number(-expr.inner.value, expr.inner.exact)
        return row(mo("−"), self.math(expr.inner))

    def _deriv(self, expr: Deriv) -> str:
        return f"<mfrac>{row(mo('∂'), self.math(expr.of))}{row(mo('∂'), self.math(expr.wrt))}</mfrac>"

    def _sum(self, expr: Sum) -> str:
        sigma = "".join(mo("∑") for _ in range(expr.count))
        if expr.index:
            sigma = f"<munder>{mo('∑')}{mi(expr.index)}</munder>"
        return row(sigma, self.math(expr.body))

    def _at(self, expr: At) -> str:
        inner = self.math(expr.inner)
        if len(expr.index) == 1 and isinstance(expr.index[0], str) and expr.index[0] in SUBSCRIPTS:
            return f"<msub>{inner}{mi(expr.index[0])}</msub>"
        return row(inner, mo("["), mn(",".join(str(i) for i in expr.index)), mo("]"))

    def _where(self, expr: Where) -> str:
        word = "if" if element_condition(expr) else "where"
        return row(self.math(expr.then), f"<mtext>\u2002{word}\u2002</mtext>", self.math(expr.condition),
                   "<mtext>,\u2002else\u2002</mtext>", self.math(expr.otherwise))  # fmt: skip

    def _compare(self, expr: Compare) -> str:
        return row(self.math(expr.left), mo(OPERATORS[expr.op]), self.math(expr.right))

    def _const(self, expr: Const) -> str:
        return mn(f"{expr.value:g}")

    def _elided(self, expr: Elided) -> str:
        return f"<mtext>… {expr.count} more …</mtext>"
