"""Expressions written as Typst math: W_"out", (partial L)/(partial W), mat(delim: "[", 1, 2; 3, 4).

A name of more than one letter is quoted (upright text), a function named by a word is op(...) around its quoted name,
a number with a power of ten is 2.4 times 10^(-6). Matrices larger than 12 × 8 keep their first and
last rows and columns around dots.
"""

from __future__ import annotations

import numpy as np

from nntrace.notation import numbers
from nntrace.notation.nodes import Op, Sym
from nntrace.notation.numbers import Written
from nntrace.notation.symbols import GREEK, OPERATORS, is_word
from nntrace.writers.printer import Printer, Times

MAX_ROWS, MAX_COLUMNS = 12, 8
_TIMES = {Times.CROSS: " times ", Times.DOT: " dot ", Times.HADAMARD: " dot.o ", Times.JUXTAPOSE: " ",
          Times.SPACE: " "}  # fmt: skip
_RELATIONS = {Op.PLUS: "+", Op.MINUS: "-", Op.EQUALS: "=", Op.APPROX: "approx", Op.ASSIGN: "<-", Op.GREATER: ">",
              Op.GREATER_EQUAL: ">=", Op.HADAMARD: "dot.o",
              Op.DISTRIBUTED: "tilde.op"}  # fmt: skip


def quoted(text: str) -> str:
    """A Typst string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def number_typst(number: Written, pad: int = 0) -> str:
    """A number in Typst math: -0.035, 2.4 times 10^(-6), 10^(-8); `pad` digits of space after it."""
    sign = "-" if number.negative else ""
    if number.digits in ("inf", "nan"):
        out = sign + ("infinity" if number.digits == "inf" else quoted("NaN"))
    elif number.exponent is None:
        out = sign + number.digits
    else:
        power = f"10^({number.exponent})"
        out = sign + (power if number.digits == "1" else f"{number.digits} times {power}")
    return out + (f" #h({pad * 0.5}em)" if pad else "")


class TypstWriter(Printer):
    medium = "typst"
    stacked_fractions = True
    subscript_any = False

    def __init__(self, numbers_format=numbers.NumberFormat(), max_rows: int = MAX_ROWS, max_columns: int = MAX_COLUMNS):
        super().__init__(numbers_format)
        # How much of a matrix is shown: a document's template narrows it to fit its page.
        self.max_rows, self.max_columns = max_rows, max_columns

    def name(self, base: str) -> str:
        if base in GREEK:
            return GREEK[base].typst
        return quoted(base) if is_word(base) else base

    def function_name(self, base: str) -> str:
        if base in GREEK:
            return GREEK[base].typst
        return f"op({quoted(base)})" if is_word(base) else base

    def relation(self, op: Op) -> str:
        return f" {_RELATIONS[op]} "

    def times(self, how: Times) -> str:
        return _TIMES[how]

    def number(self, number: Written) -> str:
        return number_typst(number)

    def matrix(self, value, function=None, result=False, quantity=None) -> str:
        return self.array(value, function)

    def array(self, value: np.ndarray, function: str | None = None) -> str:
        columns, grid = numbers.shown_grid(value, self.numbers, self.max_rows, self.max_columns)
        lines = []
        for row, entries in grid:
            if row is None:
                lines.append(", ".join("dots.down" if c is None else "dots.v" for c in columns))
            else:  # Typst's align: #right lines the numbers up without padding
                lines.append(", ".join("dots.c" if e is None else number_typst(e[0]) for e in entries))
        delim = '"("' if function is not None else '"["'
        body = f"mat(delim: {delim}, align: #right, {'; '.join(lines)})"
        return f"{function} {body}" if function is not None else body

    def join(self, parts) -> str:
        return "".join(parts)

    def prose(self, words: str) -> str:
        return words

    def inline(self, math) -> str:
        return f"${math}$"

    def words(self, words: str) -> str:
        return quoted(words)

    def space(self) -> str:
        return " "

    def bracket(self, inner, square: bool = False) -> str:
        return f"lr([{inner}])" if square else f"lr(({inner}))"

    def hat(self, base) -> str:
        return f"hat({base})"

    def prime(self, base) -> str:
        return base + "'"

    def subscript(self, base, sub: str, index: bool = False) -> str:
        return f"{base}_{sub}" if index else f"{base}_{quoted(sub)}"

    def transposed(self, base) -> str:
        return base + "^T"

    def indexed(self, base, index: str) -> str:
        return f"{base} [{index}]"

    def applied(self, name, args) -> str:
        return f"{name}({', '.join(args)})"

    def fraction(self, top, bottom, atoms: bool) -> str:
        return f"({top})/({bottom})"

    def power(self, base, exponent, base_node, exponent_node) -> str:
        bracketed = base.startswith("lr(") and base.endswith(")")  # already one atom, its brackets drawn
        if not bracketed and (not isinstance(base_node, Sym) or base_node.sub or base_node.prime or base_node.hat):
            base = f"({base})"
        return f"{base}^({exponent})"

    def root(self, inner, atom: bool) -> str:
        return f"sqrt({inner})"

    def negated(self, inner) -> str:
        return f"-{inner}"

    def derivative(self, of, wrt) -> str:
        return f"(partial {of})/(partial {wrt})"

    def summation(self, count: int, index, body) -> str:
        head = " ".join(["sum"] * count)
        if index:
            head += f"_{index}"
        return f"{head} {body}"

    def piecewise(self, then, word: str, condition, otherwise) -> str:
        return f'{then} quad {quoted(word)} quad {condition}, quad {quoted("else")} {otherwise}'

    def elision(self, count: int) -> str:
        return f"dots.c {quoted(f'({count} more)')} dots.c"


def typst(expr, numbers_format=None) -> str:
    """`expr` in Typst math: in symbols, or with its numbers written as `numbers_format`."""
    writer = TypstWriter()
    return writer.symbols(expr) if numbers_format is None else writer.values(expr, numbers_format)


__all__ = ["TypstWriter", "typst", "quoted", "number_typst", "OPERATORS"]
