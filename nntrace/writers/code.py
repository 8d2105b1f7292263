"""Expressions written as the numpy code that computes them (the paper's "computational form").

A quantity is written by its key; a product of matrices is np.dot (the operands in the
order the layout writes them); any other product is *; a sum over the samples is np.sum
along the samples' axis.
"""

from __future__ import annotations

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

OPERATORS = {Op.PLUS: " + ", Op.MINUS: " - ", Op.GREATER: " > ", Op.GREATER_EQUAL: " >= "}
PRODUCTS = (Op.PRODUCT, Op.IMPLICIT, Op.HADAMARD)


def code_line(equation: Equation) -> str | None:
    """`target = expression`, or `target += rest` (`-=`) for an update that adds to (takes from) the target."""
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
    if isinstance(expr, Q):
        return expr.key
    if isinstance(expr, Num):
        return f"{expr.value:g}"
    if isinstance(expr, Seq):
        return _seq(expr)
    if isinstance(expr, (Group, Signed)):
        inner = code(expr.inner)
        return f"({inner})" if isinstance(expr, Group) else inner
    if isinstance(expr, Apply):
        name = expr.function.code if isinstance(expr.function, Fn) else expr.function.base
        return f"{name}({', '.join(code(arg) for arg in expr.args)})"
    if isinstance(expr, Frac):
        return f"{code(expr.numerator)} / {code(expr.denominator)}"
    if isinstance(expr, Power):
        base = code(expr.base)
        if isinstance(expr.exponent, Num):
            return " * ".join([base] * int(expr.exponent.value))
        return f"{base} ** {code(expr.exponent)}"
    if isinstance(expr, Root):
        return f"np.sqrt({code(expr.inner)})"
    if isinstance(expr, Neg):
        return f"-{code(expr.inner)}"
    if isinstance(expr, Sum):
        return f"np.sum({code(expr.body)}, axis={expr.axis})"
    if isinstance(expr, Where):
        return f"np.where({code(expr.condition)}, {code(expr.then)}, {code(expr.otherwise)})"
    if isinstance(expr, Compare):
        return f"{code(expr.left)}{OPERATORS[expr.op]}{code(expr.right)}"
    if isinstance(expr, Const):
        return f"np.ones_like({expr.like.key})" if expr.value == 1 else f"np.full_like({expr.like.key}, {expr.value:g})"
    if isinstance(expr, (Sym, At)):
        raise ValueError(f"{expr!r} has no code form")
    raise TypeError(f"no code form for {type(expr).__name__}")


def _seq(expr: Seq) -> str:
    """Terms joined by + and -, each a product whose consecutive matrices are np.dot'ed."""
    out, factors, joins = [], [], []
    for item in expr.items:
        if isinstance(item, Op) and item not in PRODUCTS:
            out.append(_product(factors, joins) + OPERATORS[item])
            factors, joins = [], []
        elif isinstance(item, Op):
            joins.append(item)
        else:
            factors.append(item)
    return "".join(out) + _product(factors, joins)


def _product(factors: list[Expr], joins: list[Op]) -> str:
    parts: list[str] = []
    run: list[str] = []  # consecutive matrices joined by matrix products
    for position, factor in enumerate(factors):
        matrix_product = position and joins[position - 1] is Op.PRODUCT and _is_matrix(factors[position - 1])
        if _is_matrix(factor) and matrix_product and run:
            run.append(code(factor))
            continue
        if run:
            parts.append(_dot(run))
        run = [code(factor)] if _is_matrix(factor) else []
        if not run:
            parts.append(code(factor))
    if run:
        parts.append(_dot(run))
    return " * ".join(parts)


def _dot(operands: list[str]) -> str:
    text = operands[0]
    for operand in operands[1:]:
        text = f"np.dot({text}, {operand})"
    return text


def _is_matrix(expr) -> bool:
    return isinstance(expr, Q) and expr.is_matrix


def _key(expr) -> str | None:
    return expr.key if isinstance(expr, Q) else None
