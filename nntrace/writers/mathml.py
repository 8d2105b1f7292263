"""Expressions written as MathML (MathML Core), which current browsers lay out natively.

A matrix becomes a bracketed <mtable>; one larger than 12 × 8 keeps its first and last rows and
columns around ⋯, ⋮ and ⋱, as the terminal and LaTeX show it. `annotate` may add attributes to a
matrix and its cells (the HTML stepper marks which row or column of an operand each result element
comes from). A number in scientific notation is 2.4 × <msup>10 −6</msup>, never 2.4e-06.

What a layout cannot say is said with MathML's `intent`: a derivative, a transpose and an
element-wise product (the ⊙ also with an aria-label, which screen readers that do not know intent
yet read), so that ∂L/∂W is not read as "partial L over partial W". A whole equation's text
alternative is the HTML document's to give (its <math> carries alttext and aria-label, written
by the SpeechWriter).
"""

from __future__ import annotations

import functools
from html import escape
from typing import Callable

import numpy as np

from nntrace.notation import numbers
from nntrace.notation.nodes import Op, Q
from nntrace.notation.numbers import Written
from nntrace.notation.symbols import GREEK
from nntrace.writers.printer import OPERATOR_GLYPHS, Printer, Times

Annotate = Callable[[Q], tuple[str, Callable | None]]
MAX_ROWS = 12  # taller matrices keep their first and last rows around ⋮
MAX_COLUMNS = 8  # wider ones their first and last columns around ⋯


# The few names, operators and digit strings of a document, each escaped once, not at every use.
_escaped = functools.lru_cache(maxsize=4096)(escape)


def mi(name: str) -> str:
    variant = ' mathvariant="normal"' if len(name) > 1 else ""
    return f"<mi{variant}>{_escaped(name)}</mi>"


def mo(symbol: str, **attributes) -> str:
    extra = "".join(f' {key}="{value}"' for key, value in attributes.items())
    return f"<mo{extra}>{_escaped(symbol)}</mo>"


def row(*parts: str) -> str:
    return "<mrow>" + "".join(parts) + "</mrow>"


def fenced(inner: str, opening: str = "(", closing: str = ")") -> str:
    return row(mo(opening, stretchy="true"), inner, mo(closing, stretchy="true"))


def number_mathml(number: Written, pad: int = 0) -> str:
    """A number in MathML: <mn>, its sign an <mo>, a power of ten an <msup>; `pad` digits of space."""
    if number.digits in ("inf", "nan"):
        digits = mi("∞") if number.digits == "inf" else mi("NaN")
    else:
        digits = f"<mn>{_escaped(number.digits)}</mn>"
    if number.exponent is not None:
        raised = row(mo("−"), f"<mn>{-number.exponent}</mn>") if number.exponent < 0 else f"<mn>{number.exponent}</mn>"
        power = f"<msup><mn>10</mn>{raised}</msup>"
        digits = power if number.digits == "1" else row(digits, mo("×"), power)
    if pad:
        digits = row(digits, f"<mphantom><mn>{'0' * pad}</mn></mphantom>")
    return row(mo("-"), digits) if number.negative else digits


def _arg(inner: str, name: str) -> str:
    """`inner` named as an argument of its parent's intent."""
    return f'<mrow arg="{name}">{inner}</mrow>'


@functools.lru_cache(maxsize=4096)  # a matrix is written again wherever it is an operand
def _cell(number: Written, pad: int) -> str:
    """A matrix's number: a negative one with its minus sign inside the <mn> (−0.125, as tables of
    numbers are written), which halves the markup of a large matrix's cells."""
    if number.negative and number.exponent is None and number.digits not in ("inf", "nan"):
        number = Written(False, "−" + number.digits)  # built directly: namedtuple's _replace is slow, and cells are many
    return number_mathml(number, pad)


_TIMES = {Times.CROSS: "×", Times.DOT: "·", Times.HADAMARD: "⊙", Times.JUXTAPOSE: "", Times.SPACE: "\u2006"}
_RELATIONS = {op: mo(glyph.mathml) for op, glyph in OPERATOR_GLYPHS.items()}


class MathMLWriter(Printer):
    medium = "mathml"
    stacked_fractions = True

    def __init__(self, numbers_format=numbers.NumberFormat(), annotate: Annotate | None = None,
                 max_rows: int = MAX_ROWS, max_columns: int = MAX_COLUMNS):  # fmt: skip
        super().__init__(numbers_format)
        self.annotate = annotate
        self.max_rows, self.max_columns = max_rows, max_columns

    def name(self, base: str) -> str:
        return mi(GREEK[base].mathml if base in GREEK else base)

    def relation(self, op: Op) -> str:
        if op is Op.HADAMARD:
            return self.times(Times.HADAMARD)
        return _RELATIONS[op]

    def times(self, how: Times) -> str:
        if how is Times.HADAMARD:
            return mo("⊙", intent="element-wise-product", **{"aria-label": "element-wise times"})
        return mo(_TIMES[how]) if _TIMES[how] else ""

    def number(self, number: Written) -> str:
        return number_mathml(number)

    def matrix(self, value, function=None, result=False, quantity=None) -> str:
        attributes, cell = self.annotate(quantity) if self.annotate and quantity is not None else ("", None)
        table = self.table(value, attributes, cell)
        if function is None:
            return fenced(table, "[", "]")
        return row(function, fenced(table))

    def table(self, value: np.ndarray, attributes: str = "", cell: Callable | None = None) -> str:
        """The matrix's cells, elided to max_rows × max_columns; `cell(r, c)` gives a shown cell's
        attributes by its place in the whole matrix (and then each row says which it is: data-r)."""
        columns, grid = numbers.shown_grid(value, self.numbers, self.max_rows, self.max_columns)
        lines = []
        for r, entries in grid:
            if r is None:
                # an annotated matrix's ⋮ says its column too: it stands for the cells left out of it
                where = (lambda c: f' data-c="{c}"' if cell and c is not None else "")
                gap = "".join(f"<mtd{where(c)}>{mo('⋱' if c is None else '⋮')}</mtd>" for c in columns)
                lines.append(f"<mtr>{gap}</mtr>")
                continue
            tds = [f"<mtd>{mo('⋯')}</mtd>" if e is None else f"<mtd{cell(r, c) if cell else ''}>{_cell(*e)}</mtd>"
                   for c, e in zip(columns, entries)]  # fmt: skip
            lines.append(f'<mtr data-r="{r}">{"".join(tds)}</mtr>' if cell else f"<mtr>{''.join(tds)}</mtr>")
        align = " ".join(["right"] * len(columns))
        return f'<mtable columnalign="{align}"{attributes}>' + "".join(lines) + "</mtable>"

    def join(self, parts) -> str:
        return row(*parts)

    def prose(self, words: str) -> str:
        return f"<mtext>{escape(words)}</mtext>"

    def words(self, words: str) -> str:
        return f"<mtext>{escape(words)}</mtext>"

    def space(self) -> str:
        return mo("\u2061")

    def bracket(self, inner, square: bool = False) -> str:
        return fenced(inner, *("[]" if square else "()"))

    def hat(self, base) -> str:
        return f'<mover accent="true">{base}{mo("^")}</mover>'

    def prime(self, base) -> str:
        return f"<msup>{base}{mo('′')}</msup>"

    def subscript(self, base, sub: str, index: bool = False) -> str:
        # A subscript names (h, out, 1): upright; an index letter (s, k, i) is a variable: italic.
        label = mi(sub) if index else f'<mi mathvariant="normal">{escape(sub)}</mi>'
        return f"<msub>{base}{label}</msub>"

    def transposed(self, base) -> str:
        return f'<msup intent="transpose($m)">{_arg(base, "m")}{mi("T")}</msup>'

    def indexed(self, base, index: str) -> str:
        # brackets as tall as the index, not as the base (∂L/∂W[1,1] would stretch them to the fraction)
        return row(base, mo("[", stretchy="false"), f"<mn>{escape(index)}</mn>", mo("]", stretchy="false"))

    def applied(self, name, args) -> str:
        return row(name, mo("\u2061"), fenced(row(mo(",").join(args))))

    def fraction(self, top, bottom, atoms: bool) -> str:
        return f"<mfrac>{top}{bottom}</mfrac>"

    def power(self, base, exponent, base_node, exponent_node) -> str:
        return f"<msup>{base}{exponent}</msup>"

    def root(self, inner, atom: bool) -> str:
        return f"<msqrt>{inner}</msqrt>"

    def negated(self, inner) -> str:
        return row(mo("−"), inner)

    def derivative(self, of, wrt) -> str:
        # intent's partial-derivative(order, expression, variable), as MathML 4's core list names it
        return (f'<mfrac intent="partial-derivative(1, $of, $wrt)">'
                f"{row(mo('∂'), _arg(of, 'of'))}{row(mo('∂'), _arg(wrt, 'wrt'))}</mfrac>")

    def summation(self, count: int, index, body) -> str:
        sigma = "".join(mo("∑") for _ in range(count))
        if index:
            sigma = f"<munder>{mo('∑')}{mi(index)}</munder>"
        return row(sigma, body)

    def piecewise(self, then, word: str, condition, otherwise) -> str:
        return row(then, f"<mtext>\u2002{word}\u2002</mtext>", condition, "<mtext>,\u2002else\u2002</mtext>", otherwise)

    def elision(self, count: int) -> str:
        return f"<mtext>… {count} more …</mtext>"
