"""Expressions written as the numpy code that computes them (the paper's "computational form").

A quantity is written by its key; a product of matrices is np.dot (the operands in the
order the layout writes them); any other product is *; a sum over the samples is np.sum
along the samples' axis. Code has no typography to share with the other media, so this writer
overrides the printing of nearly every kind of node, as sympy's code printers do.
"""

from __future__ import annotations

from nntrace.common.kept import ByIdentity
from nntrace.notation.nodes import (
    Apply,
    At,
    Compare,
    Const,
    Equation,
    Expr,
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
    Where,
)
from nntrace.notation.numbers import exact
from nntrace.writers.printer import Printer, WriterError

OPERATORS = {Op.PLUS: " + ", Op.MINUS: " - ", Op.GREATER: " > ", Op.GREATER_EQUAL: " >= "}
PRODUCTS = (Op.PRODUCT, Op.IMPLICIT, Op.HADAMARD)


class CodeWriter(Printer):
    medium = "code"
    formed = False  # code names quantities, not numbers: no element arithmetic

    def _print_Q(self, expr: Q) -> str:
        return expr.key

    def _print_Num(self, expr: Num) -> str:
        return exact(expr.value).plain()

    def _print_Const(self, expr: Const) -> str:
        if expr.value == 1:
            return f"np.ones_like({expr.like.key})"
        return f"np.full_like({expr.like.key}, {exact(expr.value).plain()})"

    def _print_Seq(self, expr: Seq) -> str:
        """Terms joined by + and -, each a product whose consecutive matrices are np.dot'ed."""
        out, factors, joins = [], [], []
        for item in expr.items:
            if isinstance(item, Op) and item not in PRODUCTS:
                out.append(self._product(factors, joins) + OPERATORS[item])
                factors, joins = [], []
            elif isinstance(item, Op):
                joins.append(item)
            else:
                factors.append(item)
        return "".join(out) + self._product(factors, joins)

    def _product(self, factors: list[Expr], joins: list[Op]) -> str:
        parts: list[str] = []
        run: list[str] = []  # consecutive matrices joined by matrix products
        for position, factor in enumerate(factors):
            matrix_product = position and joins[position - 1] is Op.PRODUCT and _is_matrix(factors[position - 1])
            if _is_matrix(factor) and matrix_product and run:
                run.append(self._print(factor))
                continue
            if run:
                parts.append(_dot(run))
            run = [self._print(factor)] if _is_matrix(factor) else []
            if not run:
                parts.append(self._print(factor))
        if run:
            parts.append(_dot(run))
        return " * ".join(parts)

    def _print_Group(self, expr: Group) -> str:
        return f"({self._print(expr.inner)})"

    def _print_Signed(self, expr: Signed) -> str:
        return self._print(expr.inner)

    def _print_Apply(self, expr: Apply) -> str:
        name = expr.function.code if isinstance(expr.function, Fn) else expr.function.base
        return f"{name}({', '.join(self._print(arg) for arg in expr.args)})"

    def _print_Frac(self, expr: Frac) -> str:
        return f"{self._print(expr.numerator)} / {self._print(expr.denominator)}"

    def _print_Power(self, expr: Power) -> str:
        base = self._print(expr.base)
        if isinstance(expr.exponent, Num):
            return " * ".join([base] * int(expr.exponent.value))
        return f"{base} ** {self._print(expr.exponent)}"

    def _print_Root(self, expr: Root) -> str:
        return f"np.sqrt({self._print(expr.inner)})"

    def _print_Neg(self, expr: Neg) -> str:
        return f"-{self._print(expr.inner)}"

    def _print_Sum(self, expr: Sum) -> str:
        return f"np.sum({self._print(expr.body)}, axis={expr.axis})"

    def _print_Where(self, expr: Where) -> str:
        return f"np.where({self._print(expr.condition)}, {self._print(expr.then)}, {self._print(expr.otherwise)})"

    def _print_Compare(self, expr: Compare) -> str:
        return f"{self._print(expr.left)}{OPERATORS[expr.op]}{self._print(expr.right)}"

    def _print_Sym(self, expr: Sym) -> str:
        raise WriterError(f"{expr!r} is a symbol with no value: it has no code form")

    def _print_At(self, expr: At) -> str:
        raise WriterError(f"{expr!r} is one element: it has no code form")


def code_line(equation: Equation) -> str | None:
    """`target = expression`, or `target += rest` (`-=`) for an update that adds to (takes from) the target.

    Kept by the equation's identity: each format of a document writes a step's code form (a class
    writes every student's key in four), and the same equation is written the same way."""
    return _CODE_LINES.get(equation, None, lambda: _code_line(equation))


_CODE_LINES = ByIdentity()


def _code_line(equation: Equation) -> str | None:
    target = equation.code_target
    if target is None:
        return None
    expr = equation.expr
    if equation.relation is Op.ASSIGN and isinstance(expr, Seq) and _key(expr.items[0]) == target:
        rest, sign = expr.items[2:], "+" if expr.items[1] is Op.PLUS else "-"
        # theta - a + b is not theta -= a + b: only a single subtracted term takes -=.
        if sign == "+" or (Op.PLUS not in rest and Op.MINUS not in rest):
            return f"{target} {sign}= {code(rest[0] if len(rest) == 1 else Seq(rest))}"
    return f"{target} = {code(expr)}"


def code(expr) -> str:
    """`expr` as numpy code."""
    return CodeWriter().symbols(expr)


def _dot(operands: list[str]) -> str:
    text = operands[0]
    for operand in operands[1:]:
        text = f"np.dot({text}, {operand})"
    return text


def _is_matrix(expr) -> bool:
    return isinstance(expr, Q) and expr.is_matrix


def _key(expr) -> str | None:
    return expr.key if isinstance(expr, Q) else None


def wrapped(line: str, limit: int) -> list[str]:
    """A line of code broken to lines of at most `limit` characters where it can be, as a person
    would break it: after a comma or before an operator inside brackets (where Python continues
    the line by itself), the rest indented under the opening bracket. A line with no such place
    stays whole."""
    lines, rest, indent, depth = [], line, "", 0
    while len(rest) > limit:
        cut = _break_before(rest, limit, depth)
        if cut is None or cut <= len(indent):
            break  # no place to break that shortens the line
        opened = _innermost_open(rest, cut)
        depth += rest[:cut].count("(") + rest[:cut].count("[") - rest[:cut].count(")") - rest[:cut].count("]")
        lines.append(rest[:cut].rstrip())
        indent = " " * (opened + 1) if opened is not None else indent
        rest = indent + rest[cut:].lstrip()
    return lines + [rest]


def _break_before(text: str, limit: int, depth: int = 0) -> int | None:
    """Where to break before `limit`: inside brackets, after ", " or before " + ", " - ", " * ",
    in the outermost brackets that allow it, as late as they allow."""
    places = []
    for at, character in enumerate(text[:limit]):
        if character in "([":
            depth += 1
        elif character in ")]":
            depth -= 1
        elif depth > 0 and at > 0:
            if text.startswith(", ", at):
                places.append((depth, -(at + 2)))
            elif text[at - 1] == " " and text.startswith((" + ", " - ", " * "), at - 1):
                places.append((depth, -at))
    return -min(places)[1] if places else None


def _innermost_open(text: str, cut: int) -> int | None:
    """Where the bracket open at `cut` was opened."""
    opened: list[int] = []
    for at, character in enumerate(text[:cut]):
        if character in "([":
            opened.append(at)
        elif character in ")]" and opened:
            opened.pop()
    return opened[-1] if opened else None
