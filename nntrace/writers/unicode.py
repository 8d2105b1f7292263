"""Expressions written as Unicode text, as the terminal shows them.

The writer gives a list of pieces rather than one string, so the terminal can lay an equation out:
text, `Break` (an operator a long line may break before) and `MatrixPiece` (a matrix, which the
terminal draws as a block of lines). `text()` joins the pieces of an expression without a matrix.
Negative numbers keep the ASCII hyphen (-0.789) the terminal has always printed; the binary minus
between terms is −.
"""

from __future__ import annotations

import numpy as np

from nntrace.common.records import NamedTuple
from nntrace.notation.nodes import Neg, Num, Op, Q, Sym
from nntrace.notation.numbers import NumberFormat, Written
from nntrace.notation.symbols import GREEK, OPERATORS, SUBSCRIPTS, is_word, superscript
from nntrace.writers import forms
from nntrace.writers.printer import OPERATOR_GLYPHS, Printer, Times


class Break(NamedTuple):
    """An operator an equation may break a line before."""

    text: str


class MatrixPiece:
    """A matrix in a line of an equation, possibly inside a function's brackets: σ(matrix); the
    terminal draws it, its numbers written by `numbers` (only the cells it shows)."""

    def __init__(self, value: np.ndarray, numbers: NumberFormat, function: str | None = None, result: bool = False):
        self.value, self.numbers, self.function, self.result = value, numbers, function, result


Piece = str | Break | MatrixPiece

_RELATIONS = {op: Break(f" {glyph.unicode} ") for op, glyph in OPERATOR_GLYPHS.items()}
_TIMES = {Times.CROSS: Break(" × "), Times.DOT: Break(" · "), Times.HADAMARD: Break(" ⊙ "), Times.JUXTAPOSE: "",
          Times.SPACE: " "}  # fmt: skip


def number_text(number: Written, compact: bool = False) -> str:
    """A number in Unicode: -0.035, 2.4 × 10⁻⁶, 10⁻⁸; `compact` (a cell of a matrix or a table, where
    spaces part the cells): 2.4×10⁻⁶."""
    sign = "-" if number.negative else ""
    if number.exponent is None:
        return sign + number.digits
    power = "10" + superscript(str(number.exponent))
    times = "×" if compact else " × "
    return sign + (power if number.digits == "1" else f"{number.digits}{times}{power}")


class UnicodeWriter(Printer):
    medium = "unicode"

    # -- what callers use -------------------------------------------------------------------

    def text(self, expr, numbers: NumberFormat | None = None, numeric: bool | None = None) -> str:
        """`expr` on one line: in symbols, or with its numbers when `numbers` is given (or numeric)."""
        pieces = self.values(expr, numbers) if numbers is not None or numeric else self.symbols(expr)
        return join(pieces)

    def formula_text(self, equation) -> str:
        """The formula line: lhs relation expr, then its remark in brackets."""
        line = join(self.formula(equation))
        if equation.remark:
            from nntrace.notation.nodes import Remark

            line += f" ({join(self.remark(Remark(equation.remark)))})"
        return line

    # -- leaves -----------------------------------------------------------------------------

    def name(self, base: str):
        return [GREEK[base].unicode if base in GREEK else base]

    def relation(self, op: Op):
        return [_RELATIONS[op]]

    def times(self, how: Times):
        return [_TIMES[how]]

    def number(self, number: Written):
        return [number_text(number)]

    def matrix(self, value, function=None, result=False, quantity=None):
        return [MatrixPiece(value, self.numbers, join(function) if function is not None else None, result)]

    def form_template(self, expr, operands, form):
        marked = self.marked(expr, operands, form)
        if marked is None or any(isinstance(piece, MatrixPiece) for piece in marked):
            return None
        return [piece if isinstance(piece, Break) else forms.text_template(piece) for piece in marked]

    def form_filled(self, template, digits):
        return [piece if isinstance(piece, Break) else forms.filled(piece, digits) for piece in template]

    def join(self, parts):
        out: list[Piece] = []
        run: list[str] = []  # the strings since the last break or matrix, joined once
        for part in parts:
            for piece in part:
                if isinstance(piece, str):
                    run.append(piece)
                    continue
                if run:
                    text = "".join(run)
                    if text:
                        out.append(text)
                    run = []
                out.append(piece)
        text = "".join(run)
        if text:
            out.append(text)
        return out

    def prose(self, words: str):
        return [words]

    def bracket(self, inner, square: bool = False):
        opening, closing = ("[", "]") if square else ("(", ")")
        return [opening, *inner, closing]

    def hat(self, base):
        return [join(base) + "\u0302"]  # the combining circumflex: m̂

    def prime(self, base):
        return [join(base) + OPERATORS["prime"].unicode]

    def subscript(self, base, sub: str, index: bool = False):
        if index:
            return [join(base) + SUBSCRIPTS[sub]]
        return [f"{join(base)}_{sub}"]

    def transposed(self, base):
        return [join(base) + OPERATORS["transpose"].unicode]

    def indexed(self, base, index: str):
        return [*base, f"[{index}]"]

    def applied(self, name, args):
        out = [join(name) + "("]
        for number, arg in enumerate(args):
            out += ([", "] if number else []) + list(arg)
        return [*out, ")"]

    def fraction(self, top, bottom, atoms: bool):
        if not self.numeric and join(top) == "1" and join(bottom) == "2":
            return [OPERATORS["half"].unicode]
        if atoms:
            return [*top, "/", *bottom]
        return [*top, Break(" / "), *bottom]

    def power(self, base, exponent, base_node, exponent_node):
        if not self.numeric:
            raised = _raised(exponent_node)
            if raised is not None:
                return [*base, raised]
        if any(" " in (piece.text if isinstance(piece, Break) else piece) for piece in exponent
               if isinstance(piece, (str, Break))):  # e^(2.4 × 10⁻⁶): an exponent with spaces is bracketed
            return [*base, "^(", *exponent, ")"]
        return [*base, "^", *exponent]

    def root(self, inner, atom: bool):
        sign = OPERATORS["root"].unicode
        if len(inner) == 1 and isinstance(inner[0], MatrixPiece):  # drawn as √⎛matrix⎞
            matrix = inner[0]
            return [MatrixPiece(matrix.value, matrix.numbers, sign, matrix.result)]
        # A number with a power of ten is no atom in print: √(5.4 × 10⁻⁶), not √5.4 × 10⁻⁶.
        atom = atom and not any(isinstance(piece, (str, Break)) and " " in str(getattr(piece, "text", piece))
                                for piece in inner)  # fmt: skip
        return [sign, *inner] if atom else [sign + "(", *inner, ")"]

    def negated(self, inner):
        return ["−", *inner]

    def derivative(self, of, wrt):
        partial = GREEK["partial"].unicode
        return [partial, *of, "/" + partial, *wrt]

    def summation(self, count: int, index, body):
        head = GREEK["Sigma"].unicode * count + (SUBSCRIPTS[index] if index else "")
        return [f"{head} ", *body]

    def piecewise(self, then, word: str, condition, otherwise):
        return [*then, f" {word} ", *condition, ", else ", *otherwise]

    def elision(self, count: int):
        return [f"… {count} more …"]


class UnicodeText(UnicodeWriter):
    """The Unicode writer's text, for a caller that wants text, not pieces to lay out (the
    arithmetic an HTML page shows on hover): each join is its pieces' text, one string, where
    UnicodeWriter keeps each break apart for the terminal and merges the text between (a class's
    keys write 98 lines a student so: 116,000 instructions a line, 91,000 as text)."""

    def join(self, parts):
        return [join([piece for part in parts for piece in part])]


def _raised(exponent) -> str | None:
    """An exponent written as a superscript in symbols: e⁻ᶻ, β₁ᵗ, v²."""
    if isinstance(exponent, Q):
        exponent = exponent.symbol
    if isinstance(exponent, Num) and exponent.exact and float(exponent.value).is_integer():
        return superscript(str(int(exponent.value)))
    if isinstance(exponent, Sym) and not exponent.sub and not is_word(exponent.base):
        return superscript(exponent.base)
    if isinstance(exponent, Neg) and isinstance(exponent.inner, Sym) and not exponent.inner.sub:
        raised = superscript(exponent.inner.base)
        return None if raised is None else "⁻" + raised
    return None


def join(pieces: list[Piece]) -> str:
    """Pieces of one line as text (a line that holds a matrix has none)."""
    return "".join([piece if type(piece) is str else _text_of(piece) for piece in pieces])


def _text_of(piece: Piece) -> str:
    if isinstance(piece, MatrixPiece):
        raise ValueError("a matrix cannot be written on one line")
    return piece.text


def text(expr, numbers: NumberFormat | None = None) -> str:
    """`expr` as one line of Unicode: in symbols, or with its numbers written as `numbers`."""
    return UnicodeWriter().text(expr, numbers)
