"""Expressions written as LaTeX math (amsmath), as papers, MathJax and KaTeX read it.

`LatexMath(precision)` writes an expression with its numbers, `LatexMath()` in symbols.
Matrices are \\left[\\begin{array}{rr...}...\\end{array}\\right], right-aligned so decimal points
line up; large ones keep their first and last rows and columns around \\cdots, \\vdots, \\ddots.
"""

from __future__ import annotations

import numpy as np

from nntrace.common.elision import elided
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
from nntrace.writers.unicode import format_scalar, matrix_cells

MAX_ROWS = 12  # taller matrices keep their first and last rows around \vdots
MAX_COLUMNS = 8  # wider ones their first and last columns around \cdots
GREEK = {"sigma": r"\sigma", "delta": r"\delta", "eta": r"\eta", "alpha": r"\alpha", "partial": r"\partial",
         "Sigma": r"\Sigma", "beta": r"\beta", "mu": r"\mu", "lambda": r"\lambda", "epsilon": r"\varepsilon",
         "tau": r"\tau"}  # fmt: skip
OPERATORS = {
    Op.PLUS: "+",
    Op.MINUS: "-",
    Op.EQUALS: "=",
    Op.APPROX: r"\approx",
    Op.ASSIGN: r"\leftarrow",
    Op.GREATER: ">",
    Op.GREATER_EQUAL: r"\geq",
    Op.HADAMARD: r"\odot",
}
TIMES = {Times.CROSS: r" \times ", Times.DOT: r" \cdot ", Times.HADAMARD: r" \odot ", Times.JUXTAPOSE: "",
         Times.SPACE: r"\,"}  # fmt: skip
_TEXT = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "#": r"\#", "^": r"\^{}",
         "_": r"\_", "%": r"\%", "~": r"\textasciitilde{}", "−": "$-$", "→": r"$\rightarrow$", "×": r"$\times$",
         "·": r"$\cdot$", "√": r"$\surd$", "…": r"\dots{}", "σ": r"$\sigma$", "η": r"$\eta$", "δ": r"$\delta$",
         "Σ": r"$\Sigma$", "∂": r"$\partial$", "⊙": r"$\odot$", "←": r"$\leftarrow$", "≥": r"$\geq$",
         "β": r"$\beta$", "μ": r"$\mu$", "λ": r"$\lambda$", "ε": r"$\varepsilon$", "τ": r"$\tau$"}  # fmt: skip


def text(words: str) -> str:
    """Prose, escaped for LaTeX's text mode."""
    return "".join(_TEXT.get(character, character) for character in words)


def _name(base: str) -> str:
    if base in GREEK:
        return GREEK[base]
    return base if len(base) == 1 else rf"\mathrm{{{base}}}"


class LatexMath:
    """Writes expressions in symbols (no precision) or with their numbers (at `precision`)."""

    def __init__(self, precision: int | None = None):
        self.precision = precision

    @property
    def numeric(self) -> bool:
        return self.precision is not None

    def math(self, expr) -> str:
        return getattr(self, f"_{type(expr).__name__.lower()}")(expr)

    def equation(self, equation: Equation) -> str:
        return f"{self.math(equation.lhs)} {OPERATORS[equation.relation]} {self.math(equation.expr)}"

    def remark(self, remark: Remark, words=None) -> str:
        """Prose and inline math, for text mode; `words` escapes the prose (LaTeX's by default)."""
        return written(remark, words or text, lambda e: f"${self.equation(e)}$", lambda m: f"${self.math(m)}$")

    def matrix(self, value: np.ndarray, function: str | None = None) -> str:
        cells = matrix_cells(np.atleast_2d(value), self.precision)
        rows, columns = elided(len(cells), MAX_ROWS), elided(len(cells[0]), MAX_COLUMNS)
        lines = []
        for r in rows:
            if r is None:
                lines.append(" & ".join(r"\ddots" if c is None else r"\vdots" for c in columns))
            else:
                lines.append(" & ".join(r"\cdots" if c is None else cells[r][c] for c in columns))
        body = rf"\begin{{array}}{{{'r' * len(columns)}}}" + r" \\ ".join(lines) + r"\end{array}"
        if function is None:
            return rf"\left[{body}\right]"
        return rf"{function}\left({body}\right)"

    # -- one method per kind of expression ----------------------------------------------------

    def _sym(self, expr: Sym) -> str:
        out = _name(expr.base)
        if expr.hat:
            out = rf"\hat{{{out}}}"
        if expr.prime:
            out += "'"
        if expr.sub:
            out += rf"_{{\mathrm{{{expr.sub}}}}}"
        if expr.transpose:
            out += r"^{\mathsf{T}}"
        return out

    def _fn(self, expr: Fn) -> str:
        base = expr.display.base
        return GREEK[base] if base in GREEK else rf"\operatorname{{{base}}}"

    def _q(self, expr: Q) -> str:
        if not self.numeric or expr.value is None:
            return self.math(expr.symbol)
        if expr.is_matrix:
            return self.matrix(expr.value)
        return self._number(float(expr.value), expr.exact)

    def _num(self, expr: Num) -> str:
        return self._number(expr.value, expr.exact)

    def _number(self, value: float, exact: bool) -> str:
        if exact or not self.numeric:
            return f"{value:g}"
        return format_scalar(value, self.precision)

    def _seq(self, expr: Seq) -> str:
        items, out = expr.items, []
        for position, item in enumerate(items):
            if isinstance(item, Op):
                left, right = items[position - 1], items[position + 1]
                if item in (Op.PRODUCT, Op.IMPLICIT, Op.HADAMARD):
                    out.append(TIMES[multiplication(item, left, right, self.numeric)])
                else:
                    out.append(f" {OPERATORS[item]} ")
                continue
            written = self.math(item)
            if self.numeric and position and items[position - 1] in (Op.PLUS, Op.MINUS) and _negative(written):
                written = rf"\left({written}\right)"
            out.append(written)
        return "".join(out)

    def _group(self, expr: Group) -> str:
        inner = self.math(expr.inner)
        return rf"\left[{inner}\right]" if expr.square else rf"\left({inner}\right)"

    def _signed(self, expr: Signed) -> str:
        inner = self.math(expr.inner)
        return rf"\left({inner}\right)" if self.numeric and scalar_value(expr.inner) < 0 else inner

    def _apply(self, expr: Apply) -> str:
        name = self.math(expr.function)
        if isinstance(expr.function, Sym) and len(expr.function.base) > 1 and expr.function.base not in GREEK:
            name = rf"\operatorname{{{expr.function.base}}}"
        if self.numeric and len(expr.args) == 1 and isinstance(expr.args[0], Q) and expr.args[0].is_matrix:
            return self.matrix(expr.args[0].value, function=name)
        if not expr.parens:
            return f"{name} {self.math(expr.args[0])}"
        return name + r"\left(" + ", ".join(self.math(arg) for arg in expr.args) + r"\right)"

    def _frac(self, expr: Frac) -> str:
        # The fraction bar groups already: (1 + e^-z) loses its brackets below it.
        top, bottom = (
            self.math(part.inner if isinstance(part, Group) else part) for part in (expr.numerator, expr.denominator)
        )
        if is_atom(expr.numerator) and is_atom(expr.denominator):
            return rf"\tfrac{{{top}}}{{{bottom}}}"
        return rf"\frac{{{top}}}{{{bottom}}}"

    def _power(self, expr: Power) -> str:
        base = self.math(expr.base)
        if expr.exponent == Num(2, True) and has_matrix(expr.base):
            return rf"{base} \odot {base}"
        if expr.exponent == Num(2, True) and self.numeric:
            return rf"{base} \times {base}"
        if isinstance(expr.base, (Group, Q)) or not isinstance(expr.base, Sym):
            base = f"{{{base}}}"
        return f"{base}^{{{self.math(expr.exponent)}}}"

    def _root(self, expr: Root) -> str:
        return rf"\sqrt{{{self.math(expr.inner)}}}"

    def _neg(self, expr: Neg) -> str:
        if self.numeric and isinstance(expr.inner, Num):
            return self._number(-expr.inner.value, expr.inner.exact)
        return f"-{self.math(expr.inner)}"

    def _deriv(self, expr: Deriv) -> str:
        return rf"\frac{{\partial {self.math(expr.of)}}}{{\partial {self.math(expr.wrt)}}}"

    def _sum(self, expr: Sum) -> str:
        head = "".join(r"\sum" for _ in range(expr.count))
        if expr.index:
            head += f"_{{{expr.index}}}"
        return f"{head} {self.math(expr.body)}"

    def _at(self, expr: At) -> str:
        inner = self.math(expr.inner)
        plain = isinstance(expr.inner, Sym) and not expr.inner.sub
        if len(expr.index) == 1 and isinstance(expr.index[0], str) and plain:
            return f"{inner}_{{{expr.index[0]}}}"
        return inner + "[" + ",".join(str(i) for i in expr.index) + "]"

    def _where(self, expr: Where) -> str:
        word = "if" if element_condition(expr) else "where"
        return (
            rf"{self.math(expr.then)} \text{{ {word} }} {self.math(expr.condition)},\ "
            rf"\text{{else }} {self.math(expr.otherwise)}"
        )

    def _compare(self, expr: Compare) -> str:
        return f"{self.math(expr.left)} {OPERATORS[expr.op]} {self.math(expr.right)}"

    def _const(self, expr: Const) -> str:
        return f"{expr.value:g}"

    def _elided(self, expr: Elided) -> str:
        return rf"\cdots\ (\text{{{expr.count} more}})\ \cdots"


def _negative(written: str) -> bool:
    return written.startswith("-") and written[1:2].isdigit()
