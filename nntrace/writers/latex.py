"""Expressions written as LaTeX math (amsmath), as papers, MathJax and KaTeX read it.

Matrices are \\left[\\begin{array}{rr...}...\\end{array}\\right], right-aligned with a digit's
\\phantom where decimals differ, so decimal points line up; large ones keep their first and last
rows and columns around \\cdots, \\vdots, \\ddots. A number in scientific notation is
2.4 \\times 10^{-6}, never 2.4e-06.
"""

from __future__ import annotations

import numpy as np

from nntrace.notation import numbers
from nntrace.notation.nodes import Op, Sym
from nntrace.notation.numbers import Written
from nntrace.notation.symbols import GREEK, OPERATORS, is_word
from nntrace.writers.printer import OPERATOR_GLYPHS, Printer, Times

MAX_ROWS = 12  # taller matrices keep their first and last rows around \vdots
MAX_COLUMNS = 8  # wider ones their first and last columns around \cdots
_RELATIONS = {op: f" {glyph.latex} " for op, glyph in OPERATOR_GLYPHS.items()}
_TIMES = {Times.CROSS: r" \times ", Times.DOT: r" \cdot ", Times.HADAMARD: r" \odot ", Times.JUXTAPOSE: "",
          Times.SPACE: r"\,"}  # fmt: skip
# Prose in text mode: LaTeX's special characters escaped (a line may break after an underscore:
# file and feature names are long), the symbols nntrace's words use set as maths.
_TEXT = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "#": r"\#", "^": r"\^{}",
         "_": r"\_\allowbreak{}", "%": r"\%", "~": r"\textasciitilde{}", "→": r"$\rightarrow$", "…": r"\dots{}",
         **{glyph.unicode: f"${glyph.latex}$" for glyph in GREEK.values()},
         **{OPERATORS[name].unicode: f"${OPERATORS[name].latex}$"
            for name in ("minus", "cross", "dot", "hadamard", "assign", "greater_equal", "approx")},
         "√": r"$\surd$"}  # fmt: skip


def text(words: str) -> str:
    """Prose, escaped for LaTeX's text mode."""
    return "".join(_TEXT.get(character, character) for character in words)


def number_latex(number: Written, pad: int = 0) -> str:
    """A number in LaTeX math: -0.035, 2.4 \\times 10^{-6}, 10^{-8}; `pad` digits of space after it."""
    sign = "-" if number.negative else ""
    if number.exponent is None:
        out = sign + (r"\infty" if number.digits == "inf" else r"\mathrm{NaN}" if number.digits == "nan" else number.digits)
    else:
        power = f"10^{{{number.exponent}}}"
        out = sign + (power if number.digits == "1" else rf"{number.digits} \times {power}")
    return out + (rf"\phantom{{{'0' * pad}}}" if pad else "")


class LatexWriter(Printer):
    medium = "latex"
    stacked_fractions = True
    subscript_any = False  # O_{in}_{k} would be a double subscript
    shared_lines = True  # a key's LaTeX and Markdown documents write the same maths: each finds it written

    def __init__(self, numbers_format=numbers.NumberFormat(), max_rows: int = MAX_ROWS, max_columns: int = MAX_COLUMNS):
        super().__init__(numbers_format)
        # How much of a matrix is shown: a document's template narrows it to fit its page.
        self.max_rows, self.max_columns = max_rows, max_columns

    def settings(self) -> tuple:
        return (self.numbers, self.max_rows, self.max_columns)

    def name(self, base: str) -> str:
        if base in GREEK:
            return GREEK[base].latex
        return rf"\mathrm{{{base}}}" if is_word(base) else base

    def function_name(self, base: str) -> str:
        return GREEK[base].latex if base in GREEK else rf"\operatorname{{{base}}}"

    def relation(self, op: Op) -> str:
        return _RELATIONS[op]

    def times(self, how: Times) -> str:
        return _TIMES[how]

    def number(self, number: Written) -> str:
        return number_latex(number)

    def matrix(self, value, function=None, result=False, quantity=None) -> str:
        return self.array(value, function)

    def array(self, value: np.ndarray, function: str | None = None) -> str:
        columns, grid = numbers.shown_grid(value, self.numbers, self.max_rows, self.max_columns)
        lines = []
        for row, entries in grid:
            if row is None:
                lines.append(" & ".join(r"\ddots" if c is None else r"\vdots" for c in columns))
            else:
                lines.append(" & ".join(r"\cdots" if e is None else number_latex(*e) for e in entries))
        body = rf"\begin{{array}}{{{'r' * len(columns)}}}" + r" \\ ".join(lines) + r"\end{array}"
        if function is None:
            return rf"\left[{body}\right]"
        return rf"{function}\left({body}\right)"

    def join(self, parts) -> str:
        return "".join(parts)

    def prose(self, words: str) -> str:
        return text(words)

    def inline(self, math) -> str:
        return f"${math}$"

    def words(self, words: str) -> str:
        return rf"\text{{{text(words)}}}"

    def space(self) -> str:
        return " "

    def bracket(self, inner, square: bool = False) -> str:
        return rf"\left[{inner}\right]" if square else rf"\left({inner}\right)"

    def hat(self, base) -> str:
        return rf"\hat{{{base}}}"

    def prime(self, base) -> str:
        return base + "'"

    def subscript(self, base, sub: str, index: bool = False) -> str:
        return f"{base}_{{{sub}}}" if index else rf"{base}_{{\mathrm{{{sub}}}}}"

    def transposed(self, base) -> str:
        return base + r"^{\mathsf{T}}"

    def indexed(self, base, index: str) -> str:
        return f"{base}[{index}]"

    def applied(self, name, args) -> str:
        return name + r"\left(" + ", ".join(args) + r"\right)"

    def fraction(self, top, bottom, atoms: bool) -> str:
        return rf"\tfrac{{{top}}}{{{bottom}}}" if atoms else rf"\frac{{{top}}}{{{bottom}}}"

    def power(self, base, exponent, base_node, exponent_node) -> str:
        if not isinstance(base_node, Sym) or base_node.sub or base_node.prime or base_node.hat:
            base = f"{{{base}}}"
        return f"{base}^{{{exponent}}}"

    def root(self, inner, atom: bool) -> str:
        return rf"\sqrt{{{inner}}}"

    def negated(self, inner) -> str:
        return f"-{inner}"

    def derivative(self, of, wrt) -> str:
        return rf"\frac{{\partial {of}}}{{\partial {wrt}}}"

    def summation(self, count: int, index, body) -> str:
        head = r"\sum" * count
        if index:
            head += f"_{{{index}}}"
        return f"{head} {body}"

    def piecewise_pieces(self, then, word: str, condition, otherwise) -> list:
        return [rf"{then} \text{{ {word} }} {condition},", "", rf"\text{{else }} {otherwise}"]

    def piecewise(self, then, word: str, condition, otherwise) -> str:
        return rf"{then} \text{{ {word} }} {condition},\ \text{{else }} {otherwise}"

    def elision(self, count: int) -> str:
        return rf"\cdots\ (\text{{{count} more}})\ \cdots"


def latex(expr, numbers_format=None) -> str:
    """`expr` in LaTeX: in symbols, or with its numbers written as `numbers_format`."""
    writer = LatexWriter()
    return writer.symbols(expr) if numbers_format is None else writer.values(expr, numbers_format)
