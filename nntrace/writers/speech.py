"""Expressions written as words, the text alternative of an equation for a screen reader or a PDF
(Typst's PDF/UA alt text, the HTML's aria-label): "H in equals X times W h plus b h".

It knows what each expression means: a product is "times", an element-by-element one "element-wise
times", ∂L/∂W "the derivative of L with respect to W", Wᵀ "W transposed", a matrix with its numbers
"a 3 by 4 matrix" (its numbers are in the table a reader can explore, not in a sentence).
"""

from __future__ import annotations

import numpy as np

from nntrace.notation.nodes import Op
from nntrace.notation.numbers import Written
from nntrace.notation.symbols import GREEK
from nntrace.writers.printer import Printer, Times

_RELATIONS = {Op.PLUS: "plus", Op.MINUS: "minus", Op.EQUALS: "equals", Op.APPROX: "is about", Op.ASSIGN: "becomes",
              Op.GREATER: "is greater than", Op.GREATER_EQUAL: "is at least", Op.HADAMARD: "element-wise times",
              Op.DISTRIBUTED: "is drawn from"}  # fmt: skip
_TIMES = {Times.CROSS: "times", Times.DOT: "times", Times.HADAMARD: "element-wise times", Times.JUXTAPOSE: "times",
          Times.SPACE: "times"}  # fmt: skip
_NAMES = {"partial": "partial", "Sigma": "sum", "e": "e"}


def spoken_number(number: Written) -> str:
    sign = "negative " if number.negative else ""
    if number.digits in ("inf", "nan"):
        return sign + ("infinity" if number.digits == "inf" else "not a number")
    if number.exponent is None:
        return sign + number.digits
    power = f"10 to the power {'minus ' if number.exponent < 0 else ''}{abs(number.exponent)}"
    return sign + (power if number.digits == "1" else f"{number.digits} times {power}")


class SpeechWriter(Printer):
    medium = "speech"
    shared_lines = True  # the Typst and HTML documents say the same lines as alt text

    def name(self, base: str) -> str:
        return _NAMES.get(base, GREEK[base].ascii if base in GREEK else base)

    def function_name(self, base: str) -> str:
        return {"sigma": "sigma", "ln": "the natural log of", "max": "the maximum of"}.get(base, self.name(base))

    def relation(self, op: Op) -> str:
        return f" {_RELATIONS[op]} "

    def times(self, how: Times) -> str:
        return f" {_TIMES[how]} "

    def number(self, number: Written) -> str:
        return spoken_number(number)

    def matrix(self, value, function=None, result=False, quantity=None) -> str:
        rows, columns = np.atleast_2d(value).shape
        matrix = f"a {rows} by {columns} matrix"
        return f"{function} of {matrix}" if function else matrix

    def join(self, parts) -> str:
        # the parts' words, one space apart: each part's own spaces are collapsed with those between
        return " ".join(" ".join(parts).split()).replace(" ,", ",")

    def prose(self, words: str) -> str:
        return words

    def bracket(self, inner, square: bool = False) -> str:
        return f"the quantity {inner}" if len(inner.split()) > 2 else inner

    def hat(self, base) -> str:
        return f"{base} hat"

    def prime(self, base) -> str:
        return f"{base} prime"

    def subscript(self, base, sub: str, index: bool = False) -> str:
        return f"{base} {sub}"

    def transposed(self, base) -> str:
        return f"{base} transposed"

    def indexed(self, base, index: str) -> str:
        where = index.split(",")
        if len(where) == 2:
            return f"{base}, row {where[0]} column {where[1]},"
        return f"{base}, entry {index},"

    def applied(self, name, args) -> str:
        return f"{name} of {' and '.join(args)}"

    def fraction(self, top, bottom, atoms: bool) -> str:
        return f"{top} over {bottom}" if atoms else f"the fraction {top} over {bottom}"

    def power(self, base, exponent, base_node, exponent_node) -> str:
        if exponent == "2":
            return f"{base} squared"
        return f"{base} to the power {exponent}"

    def root(self, inner, atom: bool) -> str:
        return f"the square root of {inner}"

    def negated(self, inner) -> str:
        return f"minus {inner}"

    def derivative(self, of, wrt) -> str:
        return f"the derivative of {of} with respect to {wrt}"

    def summation(self, count: int, index, body) -> str:
        over = f" over {index}" if index else (" over all entries" if count > 1 else "")
        return f"the sum{over} of {body}"

    def piecewise(self, then, word: str, condition, otherwise) -> str:
        return f"{then} {word} {condition}, else {otherwise}"

    def elision(self, count: int) -> str:
        return f"{count} more terms"
