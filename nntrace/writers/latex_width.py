"""How wide LaTeX sets an expression, in ems of the body font, without running TeX.

A writer of the family whose leaves return widths instead of text: it walks the same nodes, by the
same shared rules (brackets, products, signs), as the LaTeX writer, and each leaf adds what
Computer Modern's metrics give the LaTeX writer's output for it (letters and digits from the
fonts' tables, the spacing TeX puts around operators and relations, 70 % for sub- and
superscripts, array columns with their separation). A matrix is measured with exactly the rows and
columns the LaTeX writer would show (`shown_cells`), so a template can narrow a matrix until the
line it is on fits its page, before any TeX runs.

The estimate errs wide (unknown characters count as an M), never narrow, so a line judged to fit
does: documents compiled from it have no overfull box.
"""

from __future__ import annotations

import functools

from nntrace.common.kept import ByIdentity
from nntrace.notation.nodes import Op
from nntrace.notation.numbers import Shown, Written, shown, shown_cells
from nntrace.notation.symbols import GREEK, is_word
from nntrace.writers.latex import MAX_COLUMNS, MAX_ROWS
from nntrace.writers.printer import UNSPLIT, Printer, Times

# Character widths in ems of Computer Modern (cmmi10 italic letters, cmr10 roman letters, digits
# and punctuation), rounded up.
_ITALIC = dict(zip("abcdefghijklmnopqrstuvwxyz", (0.53, 0.43, 0.44, 0.53, 0.47, 0.49, 0.48, 0.58, 0.35, 0.42, 0.53,
                                                    0.30, 0.88, 0.60, 0.49, 0.51, 0.45, 0.46, 0.47, 0.37, 0.58, 0.49,
                                                    0.72, 0.58, 0.49, 0.47)))  # fmt: skip
_ITALIC.update(zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ", (0.75, 0.76, 0.72, 0.83, 0.74, 0.65, 0.79, 0.84, 0.44, 0.56, 0.85,
                                                   0.69, 0.97, 0.81, 0.77, 0.65, 0.80, 0.76, 0.62, 0.59, 0.69, 0.59,
                                                   0.95, 0.83, 0.59, 0.69)))  # fmt: skip
_ROMAN = dict(zip("abcdefghijklmnopqrstuvwxyz", (0.50, 0.56, 0.45, 0.56, 0.45, 0.31, 0.50, 0.56, 0.28, 0.31, 0.53,
                                                  0.28, 0.84, 0.56, 0.50, 0.56, 0.53, 0.40, 0.40, 0.39, 0.56, 0.53,
                                                  0.73, 0.53, 0.53, 0.45)))  # fmt: skip
_ROMAN.update({letter: 0.75 for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"})
_ROMAN.update({digit: 0.5 for digit in "0123456789"})
_ROMAN.update({".": 0.28, ",": 0.28, ":": 0.28, ";": 0.28, "(": 0.39, ")": 0.39, "[": 0.28, "]": 0.28, " ": 0.34,
               "-": 0.34, "/": 0.5, "'": 0.28, "=": 0.78, "+": 0.78, "%": 0.84, "?": 0.48, "!": 0.28,
               "·": 0.28, "×": 0.78, "−": 0.78, "…": 1.0})  # fmt: skip
_UNKNOWN = 1.0  # an M: what is not in the tables is taken wide

THIN, MEDIUM, THICK = 3 / 18, 4 / 18, 5 / 18  # TeX's math spaces
SCRIPT = 0.7  # sub- and superscripts' size
OPERATOR = 0.78  # +, −, ×, =, ←: the width of the sign itself
BRACKETS = 0.7  # a square bracket stretched around a matrix
PARENTHESIS = 0.85  # a parenthesis stretched around one (a function applied to it)
SMALL_DELIMITER = 0.39
GROUP = 0.6  # \\left( \\right) around what may hold a matrix (0.39 around a number)
CDOTS = 1.2  # \cdots, \vdots, \ddots in an array column
NULL_DELIMITER = 0.24  # the space either side of a fraction
_CELLS = ByIdentity()  # a shown matrix's cells' width, by the column gap (LatexWidth.matrix)


@functools.lru_cache(maxsize=8192)  # the same names, digits and words are measured over and over
def roman(words: str) -> float:
    """Upright text (\\text, \\mathrm, \\operatorname, digits) in ems."""
    return sum(_ROMAN.get(character, _UNKNOWN) for character in words)


@functools.lru_cache(maxsize=1024)
def italic(letters: str) -> float:
    return sum(_ITALIC.get(character, _ROMAN.get(character, _UNKNOWN)) for character in letters)


def number_width(number: Written, pad: int = 0) -> float:
    """A number as number_latex sets it: -0.035, 2.4 × 10^{-6}, 10^{-8}, with `pad` digits of space."""
    width = (OPERATOR if number.negative else 0.0) + 0.5 * pad
    if number.exponent is None:
        return width + (1.0 if number.digits == "inf" else roman(number.digits))
    power = 1.0 + SCRIPT * (roman(str(abs(number.exponent))) + (OPERATOR if number.exponent < 0 else 0))
    if number.digits == "1":
        return width + power
    return width + roman(number.digits) + 2 * MEDIUM + OPERATOR + power


class LatexWidth(Printer):
    """The LaTeX writer's output measured: each leaf returns its width in ems."""

    medium = "latex"
    stacked_fractions = True
    subscript_any = False
    shared_lines = True  # the LaTeX and Typst templates measure the same lines

    def __init__(self, numbers_format, max_rows: int = MAX_ROWS, max_columns: int = MAX_COLUMNS, column_gap: float = 1.0):
        super().__init__(numbers_format)
        self.max_rows, self.max_columns = max_rows, max_columns
        self.column_gap = column_gap  # 2 \arraycolsep in ems of the body font (10 pt at 10 pt)

    def settings(self) -> tuple:
        return (self.numbers, self.max_rows, self.max_columns, self.column_gap)

    def name(self, base: str) -> float:
        if base in GREEK:
            return 0.62
        return roman(base) if is_word(base) else italic(base)

    def function_name(self, base: str) -> float:
        return 0.62 if base in GREEK else roman(base) + THIN

    def relation(self, op: Op) -> float:
        return 2 * THICK + OPERATOR

    def operator(self, op: Op) -> float:
        return 2 * MEDIUM + OPERATOR

    def times(self, how: Times) -> float:
        return {Times.CROSS: 2 * MEDIUM + OPERATOR, Times.DOT: 2 * MEDIUM + 0.28, Times.HADAMARD: 2 * MEDIUM + OPERATOR,
                Times.JUXTAPOSE: 0.0, Times.SPACE: THIN}[how]  # fmt: skip

    def number(self, number: Written) -> float:
        return number_width(number)

    # A form's width is its measured form's: every digit is as wide as another (forms.py).
    def form_key(self, form) -> int:
        return form.measured

    def form_template(self, expr, operands, form) -> float:
        return self.values(expr, operands)

    def form_filled(self, template: float, digits) -> float:
        return template

    def pieces_template(self, expr, operands, form) -> list[float] | tuple:
        split = self.value_pieces(expr, operands)
        return UNSPLIT if split is None else split

    def matrix(self, value, function=None, result=False, quantity=None) -> float:
        # a matrix is measured at each width a page tries: its cells' width is found once per way shown
        cells = shown(value, self.numbers, self.max_rows, self.max_columns)
        width = _CELLS.get(cells, self.column_gap, lambda: self.cells_width(cells))
        return width + (2 * BRACKETS if function is None else function + 2 * PARENTHESIS)

    def cells_width(self, found: Shown) -> float:
        """The width of a matrix's shown columns, each as wide as its widest number, and their gaps."""
        width, shown_column = 0.0, 0
        for column in found.columns:
            if column is None:
                width += CDOTS + self.column_gap
                continue
            width += max(number_width(row[shown_column], found.pads[shown_column][r])
                         for r, row in enumerate(found.cells)) + self.column_gap  # fmt: skip
            shown_column += 1
        return width

    def join(self, parts) -> float:
        return sum(parts)

    def prose(self, words: str) -> float:
        return roman(words)

    def words(self, words: str) -> float:
        return roman(words)

    def space(self) -> float:
        return 0.0

    def bracket(self, inner, square: bool = False) -> float:
        return inner + 2 * GROUP

    def hat(self, base) -> float:
        return base

    def prime(self, base) -> float:
        return base + 0.3

    def subscript(self, base, sub: str, index: bool = False) -> float:
        return base + SCRIPT * (italic(sub) if index else roman(sub))

    def transposed(self, base) -> float:
        return base + SCRIPT * 0.7

    def indexed(self, base, index: str) -> float:
        return base + roman(f"[{index}]")

    def applied(self, name, args) -> float:
        return name + 2 * SMALL_DELIMITER + sum(args) + (len(args) - 1) * (0.28 + THIN)

    def fraction(self, top, bottom, atoms: bool) -> float:
        return (SCRIPT if atoms else 1.0) * max(top, bottom) + 2 * NULL_DELIMITER

    def power(self, base, exponent, base_node, exponent_node) -> float:
        return base + SCRIPT * exponent

    def root(self, inner, atom: bool) -> float:
        return inner + 0.84

    def negated(self, inner) -> float:
        return OPERATOR + inner

    def derivative(self, of, wrt) -> float:
        return max(of, wrt) + 0.5 + 2 * NULL_DELIMITER

    def summation(self, count: int, index, body) -> float:
        return 1.45 * count + body

    def piecewise_pieces(self, then, word: str, condition, otherwise) -> list:
        return [then + roman(f" {word} ") + condition + 0.28, 0.0, roman("else ") + otherwise]

    def piecewise(self, then, word: str, condition, otherwise) -> float:
        return then + roman(f" {word} ") + condition + 0.28 + roman("else ") + THICK + otherwise

    def elision(self, count: int) -> float:
        return 2 * CDOTS + roman(f"{count} more") + 2 * THICK + 2 * SMALL_DELIMITER


LINE = 1.25  # a line of maths, or a matrix's row: \baselineskip at 11 pt (13.6 pt), in ems


class LatexHeight(LatexWidth):
    """The LaTeX writer's output measured upright: how tall each part is, in ems, so a template can
    keep a formula on the page with its numbers and split a slide's step between frames. Parts side
    by side take the tallest's height; a matrix its shown rows'; a fraction both its parts'."""

    def name(self, base: str) -> float:
        return LINE

    def function_name(self, base: str) -> float:
        return LINE

    def relation(self, op: Op) -> float:
        return LINE

    def operator(self, op: Op) -> float:
        return LINE

    def times(self, how: Times) -> float:
        return 0.0

    def number(self, number: Written) -> float:
        return LINE

    def matrix(self, value, function=None, result=False, quantity=None) -> float:
        rows = shown_cells(value, self.numbers, self.max_rows, self.max_columns)[0]
        return LINE * len(rows) + 0.2

    def join(self, parts) -> float:
        return max(parts, default=0.0)

    def prose(self, words: str) -> float:
        return LINE

    def words(self, words: str) -> float:
        return LINE

    def bracket(self, inner, square: bool = False) -> float:
        return inner + 0.2

    def prime(self, base) -> float:
        return base

    def subscript(self, base, sub: str, index: bool = False) -> float:
        return base + 0.2

    def transposed(self, base) -> float:
        return base + 0.2

    def indexed(self, base, index: str) -> float:
        return base

    def applied(self, name, args) -> float:
        return max([name, *args]) + 0.2

    def fraction(self, top, bottom, atoms: bool) -> float:
        return (SCRIPT if atoms else 1.0) * (top + bottom) + 0.2

    def power(self, base, exponent, base_node, exponent_node) -> float:
        return base + SCRIPT * exponent * 0.5

    def root(self, inner, atom: bool) -> float:
        return inner + 0.2

    def negated(self, inner) -> float:
        return inner

    def derivative(self, of, wrt) -> float:
        return of + wrt + 0.6  # ∂ is tall, and the bar has space above and below

    def summation(self, count: int, index, body) -> float:
        return max(2.2, body)

    def piecewise_pieces(self, then, word: str, condition, otherwise) -> list:
        return [max(then, condition), 0.0, otherwise]

    def piecewise(self, then, word: str, condition, otherwise) -> float:
        return max(then, condition, otherwise)

    def elision(self, count: int) -> float:
        return LINE
