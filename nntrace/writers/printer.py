"""The base of every writer, in the manner of sympy's Printer: one dispatch, the shared rules.

`Printer._print(node)` walks the node's type's MRO for a method `_print_<Kind>` and raises
`WriterError`, naming the writer and the node, where there is none. The rules every medium shares
are written here once, in terms of a few leaves each medium provides (how a name, a number, a
bracket, a fraction, a power... look in it):

- a product of two numbers is ×, of anything else ·; element by element of matrices ⊙, of
  scalars plain multiplication; juxtaposed in symbols (2(y − O)), with a space before a word (y ln O);
- a negative number after + or − is bracketed: 0.3 + 0.1 × (-0.049);
- a square of a matrix is A ⊙ A, of a number a × a; in symbols a power is raised;
- a symbol is its name (a Greek letter from the symbol table, a word upright), then its hat, its
  prime, its subscript, its transpose, in that order;
- a single index letter is a subscript (Σₖ, z_i), any other index is written in brackets [1,2];
- a fraction bar groups: a medium that stacks fractions drops the brackets of a bracketed part;
- numbers are written by the number policy (notation.numbers), each medium setting the digits, the
  sign and the power of ten; an element's arithmetic line carries guard digits where a reader
  redoing it needs them (`element_line`);
- an element line's arithmetic is written by its form: the first line of a form is walked with marks
  for its digits, and a later line of that form is the same writing with its own digits (forms.py);
  a formula in symbols is kept by its form too, so the formulas of every variant are written once.

A writer prints an expression in symbols (`symbols`, the formula line) or with its numbers
(`values`). Adding a writer is one module subclassing this, plus its registration in writers/__init__.
"""

from __future__ import annotations

from enum import Enum
from typing import ClassVar

import numpy as np

from nntrace.common.kept import ByIdentity, ByKey
from nntrace.notation import numbers
from nntrace.notation.nodes import (
    Apply,
    At,
    Compare,
    Const,
    Deriv,
    Digits,
    Elided,
    Equation,
    Expansion,
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
    Where,
    element_condition,
    has_matrix,
    only_numbers,
    scalar_value,
)
from nntrace.notation.numbers import NumberFormat, Written
from nntrace.notation.symbols import GREEK, OPERATORS, SUBSCRIPTS, Glyph, is_word
from nntrace.writers import forms

TWO = Num(2, exact=True)


class WriterError(NotImplementedError):
    """A node a writer has no way to write: a bug in nntrace, named precisely."""


class Times(Enum):
    """How a multiplication is written, whatever the medium."""

    __hash__ = object.__hash__  # in C, by identity: a node's hash meets its every operator (Enum hashes names in Python)

    CROSS = "cross"  # between two numbers: 0.3 x 0.2
    DOT = "dot"  # a product involving a matrix or a symbol: eta . H
    HADAMARD = "hadamard"  # element by element, between matrices
    JUXTAPOSE = "juxtapose"  # written side by side: 2(y - O), a(1 - a)
    SPACE = "space"  # side by side, with a space before a function word or a sum: y ln O


def multiplication(op: Op, left, right, numeric: bool) -> Times:
    """How `left op right` is written: in symbols (numeric False) or with the numbers."""
    if op is Op.HADAMARD and (has_matrix(left) or has_matrix(right)):
        return Times.HADAMARD
    if isinstance(left, Digits) and isinstance(right, Digits):  # numbers as written down: 0.1739 × -0.3
        return Times.CROSS
    if numeric:
        return Times.CROSS if only_numbers(left) and only_numbers(right) else Times.DOT
    if op is Op.PRODUCT:
        return Times.DOT
    return Times.SPACE if starts_with_word(right) else Times.JUXTAPOSE


def starts_with_word(expr) -> bool:
    """A function named by a word (ln, tanh) or a sum: juxtaposition keeps a space before it."""
    if isinstance(expr, Sum):
        return True
    if isinstance(expr, Apply):
        function = expr.function.display if isinstance(expr.function, Fn) else expr.function
        return is_word(function.base)
    if isinstance(expr, Neg):
        return starts_with_word(expr.inner)
    return False


class _Leading(Signed):
    """A number bracketed where negative because it leads a term after + or − (a square's first copy)."""


def _leading_signed(term):
    """`term` with its leading number (the first factor of a product, the base of a square) set to be
    bracketed where it is negative: after + or −, 1 − (-0.664) × -0.664, 0.3 + (-0.2)."""
    if isinstance(term, Num) or (isinstance(term, Q) and not term.is_matrix and term.value is not None):
        return _Leading(term)
    if isinstance(term, Seq) and term.items and not isinstance(term.items[0], Op):
        return Seq((_leading_signed(term.items[0]), *term.items[1:]))
    if isinstance(term, Power):
        return Power(_leading_signed(term.base), term.exponent)
    return term


def is_bare(expr) -> bool:
    """One number or quantity alone: with the numbers it is its own result, so a line writes it once."""
    inner = expr.inner if isinstance(expr, Signed) else expr
    return isinstance(inner, Q) or (isinstance(inner, Num) and not inner.exact)


def is_atom(expr) -> bool:
    """A number or a plain symbol: written without brackets in a fraction such as 2/6."""
    return isinstance(expr, (Num, Sym)) or (isinstance(expr, Q) and not expr.is_matrix)


PRODUCTS = (Op.PRODUCT, Op.IMPLICIT, Op.HADAMARD)
# Each operator's glyphs, by the operator: its name is an Enum's value, which Python looks up slowly
OPERATOR_GLYPHS: dict[Op, Glyph] = {op: OPERATORS[op.value] for op in Op if op.value in OPERATORS}
_METHODS: dict = {}  # (writer class, node class) -> the method that writes it (Printer._print)
_TARGETS = ByKey()  # (writer class, number format, element) -> the element as written (Printer.target)
_SHARED = ByIdentity(most=1 << 13)  # lines, values and pieces as written by a writer whose output is shared (Printer._shared)
_TEMPLATES = ByKey()  # (writer class, settings, operands' format, form) -> the form as written (Printer.arithmetic)
_SYMBOLS = ByKey()  # (writer class, settings, form in symbols) -> the expression as written (Printer.symbols)
_NO_SLOT = object()
UNSPLIT = ("unsplit",)  # a form's pieces where its arithmetic is not a sequence (value_pieces gives None)
SIGNS = (Op.PLUS, Op.MINUS)


class Printer:
    """Writes notation in one medium. Subclasses set `medium` (their column of the symbol table) and
    provide the leaves below the line marked LEAVES; they override a `_print_<Kind>` only where
    their medium truly differs."""

    medium: ClassVar[str]
    stacked_fractions: ClassVar[bool] = False  # a fraction is drawn with a bar, which groups its parts

    def __init__(self, numbers: NumberFormat = NumberFormat()):
        self.numbers = numbers  # how computed numbers are written
        self.numeric = False  # printing with the numbers (True) or in symbols (False)
        self._deep = False  # cutting into pieces: a bare sequence inside one is cut too
        self._marks: dict | None = None  # writing a form: id(number node) -> the slot its mark stands for
        self._unmarked = False  # writing a form, a number was met that the form has no slot for

    # -- entry points ---------------------------------------------------------------------------

    def symbols(self, expr):
        """`expr` in symbols: the formula line. Kept by its form (forms.symbols_form) where the writer
        writes forms: the same formulas are written for every epoch and every student's variant."""
        if not self.formed or self._marks is not None:  # (while a form is marked, nothing written is kept)
            return self._in_mode(expr, numeric=False)
        if type(expr) is Sym or (type(expr) is At and type(expr.inner) is Sym):
            form = expr  # a symbol, or an element of one (H_in[1,2]): pure notation, its own form
        else:
            form = forms.symbols_form(expr)
            if form is None:
                return self._in_mode(expr, numeric=False)
        key = (type(self), self.settings(), form)
        written = _SYMBOLS.get(key)
        if written is None:
            written = _SYMBOLS.keep(key, self._in_mode(expr, numeric=False))
        return list(written) if isinstance(written, list) else written  # a caller may add to a list

    def values(self, expr, numbers: NumberFormat | None = None):
        """`expr` with the values of its quantities, numbers written as `numbers` (by default the
        writer's own format)."""
        return self._shared(expr, ("values", numbers), lambda: self._values(expr, numbers))

    def _shared(self, expr, depends: tuple, write):
        """What `write()` writes of `expr`, kept by the expression's identity where this writer's
        output is shared by several documents (shared_lines: the LaTeX and Typst keys measure the
        same matrices, Typst and HTML say them): the next document finds it written."""
        if not self.shared_lines or self._marks is not None:
            return write()
        return _SHARED.get(expr, (type(self), self.settings(), *depends), write)

    def _values(self, expr, numbers: NumberFormat | None = None):
        kept = self.numbers
        self.numbers = numbers or kept
        try:
            return self._in_mode(expr, numeric=True)
        finally:
            self.numbers = kept

    def value_pieces(self, expr, numbers: NumberFormat | None = None, deep: bool = True) -> list | None:
        """`expr` with its values, as its top-level operands and operators in turn (operands at
        even positions), for a medium that breaks a line too long for its page; None where `expr`
        is not a sequence of terms or factors."""
        return self._shared(expr, ("value pieces", numbers, deep), lambda: self._value_pieces(expr, numbers, deep))

    def _value_pieces(self, expr, numbers: NumberFormat | None, deep: bool) -> list | None:
        kept = self.numbers
        self.numbers = numbers or kept
        try:
            return self._pieces(expr, numeric=True, deep=deep)
        finally:
            self.numbers = kept

    def symbol_pieces(self, expr) -> list | None:
        """`expr` in symbols, as its top-level operands and operators in turn (see value_pieces)."""
        return self._shared(expr, ("symbol pieces",), lambda: self._pieces(expr, numeric=False))

    def _pieces(self, expr, numeric: bool, deep: bool = True) -> list | None:
        if not isinstance(expr, (Seq, Where)):
            return None
        kept, kept_deep = self.numeric, self._deep
        self.numeric, self._deep = numeric, deep
        try:
            if isinstance(expr, Where):
                word = "if" if element_condition(expr) else "where"
                pieces = self.piecewise_pieces(self._print(expr.then), word, self._print(expr.condition),
                                               self._print(expr.otherwise))  # fmt: skip
                return pieces if len(pieces) > 1 else None
            return self._seq_pieces(expr)
        finally:
            self.numeric, self._deep = kept, kept_deep

    def formula(self, equation: Equation):
        """lhs relation expr, in symbols."""
        return self.join([self.symbols(equation.lhs), self.relation(equation.relation), self.symbols(equation.expr)])

    # Element lines, values and pieces kept by identity: several documents write the same. Such a
    # writer's output is never changed by its callers (a width, words), so one object serves all.
    shared_lines: ClassVar[bool] = False

    def settings(self) -> tuple:
        """What this writer's output depends on besides the node (a subclass with more adds it)."""
        return (self.numbers,)

    def element_line(self, line: Expansion):
        """One element's arithmetic, [label] target relation [formula =] [arithmetic =] result [(note)],
        its operands with the guard digits a reader redoing it needs (numbers.operand_format).

        A writer whose lines several formats of a document share (a measure of the page's width,
        the spoken words of alt text) keeps each by the line's identity: the same line object is
        written again by the next format."""
        if not self.shared_lines:  # (most writers: no closure made for nothing)
            return self._element_line(line)
        return self._shared(line, ("element line",), lambda: self._element_line(line))

    def _element_line(self, line: Expansion):
        head, (first, *more) = self.element_sides(line)
        parts = [head, self.relation(line.relation), first]
        equals = self.relation(Op.EQUALS)
        for side in more:
            parts += (equals, side)
        return self.join(parts)

    def element_sides(self, line: Expansion, pieces: bool = False) -> tuple:
        """An element line cut at its relation and its equals signs: its head ([label] target) and its
        sides ([formula], [arithmetic], result [(note)]), for media that align the sides. With
        `pieces`, each side is a list of its operands and operators in turn (value_pieces), for
        media that also break a side too long for their page."""
        whole = (lambda side: [side]) if pieces else (lambda side: side)
        head = self.target(line.target)
        if line.label:
            head = self.join([self.words(line.label), head])
        sides = [whole(self.symbols(line.formula))] if line.formula is not None else []
        # The arithmetic is left out where there is none (None), where after a formula it would only
        # repeat one number (g = ∂L/∂W = 0.005, not = 0.005 = 0.005), or where it is the result itself,
        # exactly (elu′(H2)[1,1] = 1, not = 1 = 1).
        repeated = line.formula is not None and is_bare(line.arithmetic)
        itself = isinstance(line.arithmetic, Num) and line.arithmetic.exact and line.arithmetic.value == line.result
        if line.arithmetic is not None and not repeated and not itself:
            operands = numbers.operand_format(line.arithmetic, line.result, self.numbers)
            split = self.arithmetic(line.arithmetic, operands, pieces=True) if pieces else None
            sides.append(split or whole(self.arithmetic(line.arithmetic, operands)))
        result = self.number(self.written(line.result))
        sides.append(whole(self.join([result, self.words(f"  ({line.note})")]) if line.note else result))
        return head, sides

    # -- element arithmetic by its form (forms.py) ------------------------------------------------

    # Whether this writer writes element arithmetic and formulas by their forms: its `number` must set
    # a number's digits as they are (the marks are replaced there), else it turns this off.
    formed: ClassVar[bool] = True

    def arithmetic(self, expr, operands: NumberFormat, pieces: bool = False):
        """An element line's arithmetic with its numbers written as `operands`: by its form, so the
        first line of each form is walked and every later one is that writing with its own digits.
        With `pieces`, as its operands and operators in turn (value_pieces: None where it is not a
        sequence), each piece by the form too."""
        form = forms.form_of(expr, operands) if self.formed else None
        if form is None:
            return self.value_pieces(expr, operands) if pieces else self.values(expr, operands)
        key = (type(self), self.settings(), operands, self.form_key(form), pieces)
        template = _TEMPLATES.get(key)
        if template is None:
            template = self.pieces_template(expr, operands, form) if pieces else self.form_template(expr, operands, form)
            if template is None:  # a number the form has no slot for: written as it is, not kept
                return self.value_pieces(expr, operands) if pieces else self.values(expr, operands)
            _TEMPLATES.keep(key, template)
        if pieces:
            return None if template is UNSPLIT else [self.form_filled(piece, form.digits) for piece in template]
        return self.form_filled(template, form.digits)

    def form_key(self, form: forms.Form) -> int:
        """What of a form this writer's output depends on: all but its digits, which it fills in."""
        return form.shape

    def form_template(self, expr, operands: NumberFormat, form: forms.Form):
        """`expr` written with a mark in place of each number's digits, ready to fill in; None where
        a number was met that the form has no slot for."""
        marked = self.marked(expr, operands, form)
        return None if marked is None else forms.text_template(marked)

    def pieces_template(self, expr, operands: NumberFormat, form: forms.Form):
        """`expr`'s pieces (value_pieces) each written with marks for digits (form_template);
        UNSPLIT where it is not a sequence; None where a number has no slot, or a piece is not text."""
        self._marks, self._unmarked = form.slots, False
        try:
            split = self._value_pieces(expr, operands, True)
        finally:
            self._marks = None
        if self._unmarked or (split is not None and not all(isinstance(piece, str) for piece in split)):
            return None
        return UNSPLIT if split is None else [forms.text_template(piece) for piece in split]

    def form_filled(self, template, digits: tuple):
        """A form's template with each mark replaced by its number's digits."""
        return forms.filled(template, digits)

    def marked(self, expr, operands: NumberFormat, form: forms.Form):
        """`expr` with its values, each number of the form written with its slot's mark for digits."""
        self._marks, self._unmarked = form.slots, False
        try:
            out = self.values(expr, operands)
        finally:
            self._marks = None
        return None if self._unmarked else out

    def _marking(self, node, written: Written) -> Written:
        """A number as written, its digits the mark of its slot while a form is written. Digits of 1,
        inf or nan are never marked: writers set them apart (10⁻⁸), and the form keeps them."""
        if self._marks is None or written.digits in forms.SPECIAL:
            return written
        slot = self._marks.get(id(node), _NO_SLOT)
        if slot is None:  # a number the form keeps whole (an exponent)
            return written
        if slot is _NO_SLOT:
            self._unmarked = True
            return written
        return written._replace(digits=forms.mark(slot))

    def target(self, target):
        """An element line's target, H_in[1,2]: written once per writer and number format, as every
        variant of an exercise and every epoch of a run writes the same ones (a symbol indexed:
        pure notation, so the same node is always written the same way)."""
        if type(target) is not At or type(target.inner) is not Sym:
            return self.symbols(target)
        key = (type(self), self.numbers, target)
        written = _TARGETS.get(key)
        return written if written is not None else _TARGETS.keep(key, self.symbols(target))

    def remark(self, remark: Remark):
        """Prose and inline mathematics, in order: words as prose, equations and expressions in symbols."""
        parts = []
        for part in remark.parts:
            if isinstance(part, str):
                parts.append(self.prose(part))
            elif isinstance(part, Equation):
                parts.append(self.inline(self.formula(part)))
            else:
                parts.append(self.inline(self.symbols(part)))
        return self.join(parts)

    def written(self, value: float) -> Written:
        """A computed number as the number policy writes it at this writer's format."""
        return numbers.written(value, self.numbers)

    # -- dispatch -------------------------------------------------------------------------------

    def _in_mode(self, expr, numeric: bool):
        kept = self.numeric
        self.numeric = numeric
        try:
            return self._print(expr)
        finally:
            self.numeric = kept

    def _print(self, expr):
        method = _METHODS.get((type(self), type(expr)))
        if method is None:
            method = _METHODS[type(self), type(expr)] = self._method_for(type(expr))
        return method(self, expr)

    def _method_for(self, kind: type):
        """The `_print_<Kind>` for a node of `kind`: its own, else its nearest base's (sympy's rule);
        looked up once per writer and kind of node."""
        for base in kind.__mro__:
            method = getattr(type(self), f"_print_{base.__name__}", None)
            if method is not None:
                return method
        raise WriterError(f"the {type(self).__name__} has no way to write a {kind.__name__} node")

    # -- the shared rules -----------------------------------------------------------------------

    def _print_Sym(self, expr: Sym, function: bool = False):
        out = self.function_name(expr.base) if function else self.name(expr.base)
        if expr.hat:
            out = self.hat(out)
        if expr.prime:
            out = self.prime(out)
        if expr.sub:
            out = self.subscript(out, expr.sub)
        if expr.transpose:
            out = self.transposed(out)
        return out

    def _print_Fn(self, expr: Fn):
        return self._print_Sym(expr.display, function=True)

    def _function(self, function):
        """A function's name as applied: its symbol with every decoration (relu′), set as a function."""
        return self._print_Sym(function.display if isinstance(function, Fn) else function, function=True)

    def _print_Q(self, expr: Q):
        if not self.numeric or expr.value is None:
            return self._print(expr.symbol)
        if expr.is_matrix:
            return self.matrix(expr.value, result=expr.result, quantity=expr)
        written = numbers.exact(expr.value) if expr.exact else self.written(float(expr.value))
        return self.number(self._marking(expr, written))

    def _print_Num(self, expr: Num):
        # A number given exactly is written as given; a computed one by the number policy, in a
        # formula line too (a loss value, a parameter's value in prose).
        if expr.exact:
            return self.number(numbers.exact(expr.value))
        return self.number(self._marking(expr, self.written(expr.value)))

    def _print_Digits(self, expr):
        return self.number(expr.written)

    def _print_Const(self, expr: Const):
        return self.number(numbers.exact(expr.value))

    def _print_Seq(self, expr: Seq):
        return self.join(self._seq_pieces(expr))

    def _seq_pieces(self, expr: Seq) -> list:
        """A sequence written piece by piece, operands and operators in turn (a medium that breaks a
        long line breaks it before an operator)."""
        items, out = expr.items, []
        for position, item in enumerate(items):
            if isinstance(item, Op):
                left, right = items[position - 1], items[position + 1]
                if item in PRODUCTS:
                    out.append(self.times(multiplication(item, left, right, self.numeric)))
                else:
                    out.append(self.operator(item))
                continue
            if position and items[position - 1] in SIGNS and self.numeric:
                item = _leading_signed(item)
            if self._deep and isinstance(item, Seq):  # a product inside a sum, written bare: breakable too
                out += self._seq_pieces(item)
                continue
            if self._deep and isinstance(item, Power) and item.exponent == TWO and has_matrix(item.base):
                base = self._print(item.base)  # A ⊙ A, as _print_Power writes a matrix squared
                out += [base, self.times(Times.HADAMARD), base]
                continue
            printed = self._print(item)
            if self._powered_factor(item, items, position):
                printed = self.bracket(printed)
            out.append(printed)
        return out

    def _powered_factor(self, item, items, position: int) -> bool:
        """A number written with a power of ten, as a factor of a product: (2.4 × 10⁻⁶) × 0.5, so its
        own × is not read as the product's."""
        if not (self.numeric and isinstance(item, Num) and not item.exact):
            return False
        written = self.written(item.value)
        if written.exponent is None or written.digits == "1":
            return False
        beside = [items[at] for at in (position - 1, position + 1) if 0 <= at < len(items)]
        return any(op in PRODUCTS for op in beside)

    def _print_Group(self, expr: Group):
        return self.bracket(self._print(expr.inner), square=expr.square)

    def _print_Signed(self, expr: Signed):
        inner = self._print(expr.inner)
        return self.bracket(inner) if self.numeric and scalar_value(expr.inner) < 0 else inner

    def _print_Apply(self, expr: Apply):
        name = self._function(expr.function)
        if self.numeric and len(expr.args) == 1 and isinstance(expr.args[0], Q) and expr.args[0].is_matrix:
            return self.matrix(expr.args[0].value, function=name, quantity=expr.args[0])
        if not expr.parens:
            return self.join([name, self.space(), self._print(expr.args[0])])
        return self.applied(name, [self._print(arg) for arg in expr.args])

    def _print_Frac(self, expr: Frac):
        top, bottom = expr.numerator, expr.denominator
        if self.stacked_fractions:  # the bar groups: (1 + e^-z) loses its brackets below it
            top, bottom = (part.inner if isinstance(part, Group) else part for part in (top, bottom))
        return self.fraction(self._print(top), self._print(bottom), is_atom(expr.numerator) and is_atom(expr.denominator))

    def _print_Power(self, expr: Power):
        if expr.exponent == TWO and has_matrix(expr.base):
            base = self._print(expr.base)
            return self.join([base, self.times(Times.HADAMARD), base])
        if expr.exponent == TWO and self.numeric:  # a × a, the first bracketed if it leads a term (_leading_signed)
            second = expr.base.inner if isinstance(expr.base, _Leading) else expr.base
            return self.join([self._print(expr.base), self.times(Times.CROSS), self._print(second)])
        return self.power(self._print(expr.base), self._print(expr.exponent), expr.base, expr.exponent)

    def _print_Root(self, expr: Root):
        inner = expr.inner
        if isinstance(inner, Signed) and not (self.numeric and scalar_value(inner.inner) < 0):
            inner = inner.inner  # no brackets to add: a root of an atom
        if self.numeric and isinstance(inner, Q) and inner.is_matrix:
            return self.root(self.matrix(inner.value, quantity=inner), atom=True)
        atom = is_atom(inner.symbol if isinstance(inner, Q) and not self.numeric else inner)
        return self.root(self._print(inner), atom)

    def _print_Neg(self, expr: Neg):
        if self.numeric and isinstance(expr.inner, Num):
            if expr.inner.exact:
                return self._print(expr.inner._replace(value=-expr.inner.value))
            return self.number(self._marking(expr, self.written(-expr.inner.value)))
        return self.negated(self._print(expr.inner))

    def _print_Deriv(self, expr: Deriv):
        return self.derivative(self._print(expr.of), self._print(expr.wrt))

    def _print_Sum(self, expr: Sum):
        return self.summation(expr.count, expr.index, self._print(expr.body))

    def _print_At(self, expr: At):
        inner = self._print(expr.inner)
        index = expr.index
        plain = isinstance(expr.inner, Sym) and not expr.inner.sub
        if len(index) == 1 and isinstance(index[0], str) and index[0] in SUBSCRIPTS and (plain or self.subscript_any):
            return self.subscript(inner, index[0], index=True)
        return self.indexed(inner, ",".join(str(i) for i in index))

    subscript_any: ClassVar[bool] = True  # whether an index letter on a subscripted symbol is a subscript too

    def _print_Where(self, expr: Where):
        word = "if" if element_condition(expr) else "where"
        return self.piecewise(self._print(expr.then), word, self._print(expr.condition), self._print(expr.otherwise))

    def _print_Compare(self, expr: Compare):
        return self.join([self._print(expr.left), self.relation(expr.op), self._print(expr.right)])

    def _print_Elided(self, expr: Elided):
        return self.elision(expr.count)

    # -- LEAVES: what each medium provides ---------------------------------------------------------

    def _unwritten(self) -> WriterError:
        import inspect

        leaf = inspect.stack()[1].function
        return WriterError(f"the {type(self).__name__} has no way to write {leaf!r}: a bug in nntrace")

    def glyph(self, table: dict[str, Glyph], key: str) -> str:
        """A symbol's characters in this medium."""
        return getattr(table[key], self.medium)

    def name(self, base: str):
        """A symbol's base: a Greek letter from the symbol table, a word upright, a letter as it is."""
        raise self._unwritten()

    def function_name(self, base: str):
        """A function's base (σ, tanh, relu): as a name, unless the medium sets functions apart."""
        return self.name(base)

    def operator(self, op: Op):
        """+ or − between terms (or any relation) with its spacing."""
        return self.relation(op)

    def relation(self, op: Op):
        raise self._unwritten()

    def times(self, how: Times):
        raise self._unwritten()

    def number(self, number: Written):
        raise self._unwritten()

    def matrix(self, value: np.ndarray, function=None, result: bool = False, quantity: Q | None = None):
        raise self._unwritten()

    def join(self, parts: list):
        raise self._unwritten()

    def prose(self, words: str):
        raise self._unwritten()

    def inline(self, math):
        """Mathematics inside prose (LaTeX sets it in $...$)."""
        return math

    def words(self, words: str):
        """Words inside mathematics (LaTeX sets them in \\text{...})."""
        return self.prose(words)

    def space(self):
        return self.prose(" ")

    def bracket(self, inner, square: bool = False):
        raise self._unwritten()

    def hat(self, base):
        raise self._unwritten()

    def prime(self, base):
        raise self._unwritten()

    def subscript(self, base, sub: str, index: bool = False):
        raise self._unwritten()

    def transposed(self, base):
        raise self._unwritten()

    def indexed(self, base, index: str):
        raise self._unwritten()

    def applied(self, name, args: list):
        raise self._unwritten()

    def fraction(self, top, bottom, atoms: bool):
        raise self._unwritten()

    def power(self, base, exponent, base_node, exponent_node):
        raise self._unwritten()

    def root(self, inner, atom: bool):
        raise self._unwritten()

    def negated(self, inner):
        raise self._unwritten()

    def derivative(self, of, wrt):
        raise self._unwritten()

    def summation(self, count: int, index: str | None, body):
        raise self._unwritten()

    def piecewise_pieces(self, then, word: str, condition, otherwise) -> list:
        """A piecewise definition as pieces a line may break between (operands at even positions):
        by default, one piece that does not break."""
        return [self.piecewise(then, word, condition, otherwise)]

    def piecewise(self, then, word: str, condition, otherwise):
        raise self._unwritten()

    def elision(self, count: int):
        raise self._unwritten()


__all__ = ["Printer", "Times", "WriterError", "multiplication", "is_atom", "starts_with_word", "GREEK", "OPERATORS",
           "OPERATOR_GLYPHS"]
