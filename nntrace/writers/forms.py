"""The form of an element line's arithmetic: the expression with its numbers' digits taken out.

The lines of one step share a form (H_in[1,2] = 1 × 0.21 + 0 × (-0.3) + 1 × 0.07 + 0.1, then
H_in[2,2] with other digits), and so do the same lines of every student's variant of an exercise.
A writer walks a form once: it writes the first line of the form with a mark where each number's
digits go, and every later line of that form is the marks replaced by its own digits
(`Printer.arithmetic`). A document's text, its measure and its spoken words each do so.

A form keeps all that a writer decides by a number: its sign (brackets around a negative operand),
its power of ten (brackets around a factor written with one), digits that are 1 (10⁻⁸, not
1 × 10⁻⁸), inf and nan, an exponent of 2 (said "squared"), and the constants of the formulas (2 in
a square, 1 in 1 − a), whole; a given quantity (η, a drawn weight) and any other exponent (e^-0.491)
are marked like any other number. A
writer that measures rather than writes takes `measured`, which also keeps where each number's
point is: every digit is as wide as any other, so that is all a number's width depends on.

An expression holding a whole matrix has no form (None): its cells are not element arithmetic.
"""

from __future__ import annotations

import itertools
from enum import Enum

from nntrace.common.kept import ByIdentity, ByKey
from nntrace.common.records import NamedTuple
from nntrace.notation import numbers
from nntrace.notation.nodes import At, Const, Digits, Elided, Fn, Group, Neg, Num, Power, Q, Seq, Sym
from nntrace.notation.numbers import NumberFormat, Written

# A mark: NUL, which no text nntrace writes holds, then the slot as one character (from U+0100, so
# never NUL itself): a writer's text splits at NUL into the marks.
MARK, SLOT = "\x00", 0x100
MAX_SLOTS = 4096  # numbers a form marks: slots up to U+1100, before any character that splits as space
_DIGITS_ZEROED = str.maketrans("123456789", "000000000")
SPECIAL = ("1", "inf", "nan")  # digits writers set apart (10⁻⁸, ∞): part of a form, never marked
SAID = ("2",)  # an exponent's digits a writer reads (the speech writer's "squared"): part of a form, whole
_NO_NUMBERS = frozenset({Sym, Fn, Digits, Elided})  # nodes that hold no number: their own shape
_AS_THEY_ARE = _NO_NUMBERS | {str, int, float, bool, type(None)}  # their own shape too (a field's value)


def mark(slot: int) -> str:
    """The mark a writer writes in place of the digits of the form's number `slot`."""
    return MARK + chr(SLOT + slot)


class Form(NamedTuple):
    shape: int  # the expression, each number its sign, power of ten and special digits (interned)
    measured: int  # the shape, each number's digits also with every digit as 0 (0.000) (interned)
    digits: tuple  # each number's digits, in the order of the slots
    slots: dict  # id(number node) -> its slot (None: its digits are part of the shape)


class _NoForm(Exception):
    """The expression holds what has no form: a whole matrix, a node of an unknown kind."""


def form_of(expr, operands: NumberFormat) -> Form | None:
    """The form of `expr` written with numbers at `operands`, found once for the expression however
    many writers write it (kept by its identity)."""
    return _FORMS.get(expr, operands, lambda: _form(expr, operands))


_FORMS = ByIdentity()


def _form(expr, operands: NumberFormat) -> Form | None:
    walk = _Walk(operands)
    try:
        shape = walk.shape(expr)
    except _NoForm:
        return None
    if len(walk.digits) > MAX_SLOTS:  # a slot's character would reach the whitespace of U+1680
        return None
    shape_number = interned(shape)
    return Form(shape_number, interned((shape_number, *walk.patterns)), tuple(walk.digits), walk.slots)


def interned(shape: tuple) -> int:
    """A number for a shape, the same for equal shapes: the writers look a form up by it, seven times
    a line, where comparing the deep tuples themselves would walk both each time."""
    number = _INTERNED.get(shape)
    # when full, shapes met again are numbered anew: no number is ever given twice
    return number if number is not None else _INTERNED.keep(shape, next(_NUMBERS))


_INTERNED = ByKey(most=1 << 16)
_NUMBERS = itertools.count()


class _Walk:
    """Finds a shape: with the numbers at `operands`, or (None) in symbols, where a quantity is only
    its symbol and a number is written whole."""

    def __init__(self, operands: NumberFormat | None):
        self.operands = operands
        self.digits: list[str] = []
        self.patterns: list[str] = []
        self.slots: dict[int, int | None] = {}
        self.literal = False  # in an exponent: numbers whose digits a writer reads (SAID) are part of the shape

    def literally(self, node):
        kept, self.literal = self.literal, True
        try:
            return self.shape(node)
        finally:
            self.literal = kept

    def shape(self, node):
        kind = type(node)
        if kind in _AS_THEY_ARE or isinstance(node, Enum):
            return node
        # the commonest nodes first, each as the general rule at the end would give it: a sequence
        # (its items a tuple of parts), a bracket (its inner part, and whether it is square)
        if kind is Seq:
            return (Seq, (tuple, *map(self.shape, node.items)))
        if kind is Group:
            return (Group, self.shape(node.inner), node.square)
        if kind is tuple:
            return (tuple, *map(self.shape, node))
        if kind is At and type(node.inner) is Sym:  # an element of a symbol: H_in[1,2]
            return node
        in_symbols = self.operands is None
        if kind is Num:
            if node.exact or in_symbols:  # written as given (or in symbols): the same in every line
                return node
            return self.number(node, numbers.written(node.value, self.operands), node.value, "computed")
        if kind is Q:
            if node.value is None or in_symbols:  # a whole matrix's symbol decides ⊙
                return ("symbol", node.symbol, node.is_matrix)
            if node.is_matrix:
                raise _NoForm
            value = float(node.value)
            written = numbers.exact(value) if node.exact else numbers.written(value, self.operands)
            return self.number(node, written, value, "given" if node.exact else "quantity")
        if kind is Neg and type(node.inner) is Num and not node.inner.exact and not in_symbols:  # the printer negates the number
            value = -node.inner.value
            return self.number(node, numbers.written(value, self.operands), value, "negated")
        if kind is Const:  # the constant's quantity is only its shape, for code
            return ("constant", node.value)
        if kind is Power and not in_symbols:  # writers say an exponent of 2 (squared): whole
            return (kind, self.shape(node.base), self.literally(node.exponent))
        if isinstance(node, tuple):  # a node (a named tuple) or a tuple of them: its kind and parts
            return (kind, *map(self.shape, node))
        if node is None or isinstance(node, (str, int, float)) or callable(node):
            return node
        raise _NoForm

    def number(self, node, written: Written, value: float, kind: str) -> tuple:
        # Other numbers of an exponent take a slot like any other: a sigmoid's line, 1/(1 + e^-0.491),
        # is then of one form for every student, not a form of its own each.
        if self.literal and written.digits in SAID:
            self.slots.setdefault(id(node), None)
            return (kind, value, written)
        if id(node) in self.slots:  # one node in two places (a square's base): one slot, and said so
            return ("again", self.slots[id(node)])
        self.slots[id(node)] = len(self.digits)
        self.digits.append(written.digits)
        self.patterns.append(written.digits.translate(_DIGITS_ZEROED))
        special = written.digits if written.digits in SPECIAL else None
        return (kind, value < 0, written.negative, written.exponent, special)


def symbols_form(expr) -> int | None:
    """The form of `expr` written in symbols, where a quantity is only its symbol (and whether it is
    a whole matrix, which decides ⊙) and a number is written whole: everything the writing depends
    on, so every variant's formula lines are written once. None: a node of an unknown kind."""
    return _SYMBOL_FORMS.get(expr, None, lambda: _symbols_form(expr))


_SYMBOL_FORMS = ByIdentity()


def _symbols_form(expr) -> int | None:
    try:
        return interned(_Walk(None).shape(expr))
    except _NoForm:
        return None


def text_template(marked: str) -> tuple[str, tuple]:
    """A form written with marks, as its text before the first mark and, after each mark, its slot
    and the text up to the next."""
    first, *rest = marked.split(MARK)
    return first, tuple((ord(part[0]) - SLOT, part[1:]) for part in rest)


def filled(template: tuple[str, tuple], digits: tuple) -> str:
    """The text of a template with each mark replaced by its slot's digits."""
    first, rest = template
    if not rest:
        return first
    return first + "".join([digits[slot] + text for slot, text in rest])
