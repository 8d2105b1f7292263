"""The terminal layout engine and the notation writers, each on a small literal, as rich tests
its renderables: matrices as bracketed blocks, equations centred on their middle line and
wrapped at "=", wide matrices elided; expressions in symbols, with numbers, and as code."""

from __future__ import annotations

import numpy as np
import pytest

from nntrace.model.activations import ACTIVATIONS
from nntrace.model.losses import LOSSES
from nntrace.notation.layout import COLUMNS, ROWS
from nntrace.notation.nodes import Equation, Group, Num, Op, Q, Signed, Sum, Sym, seq
from nntrace.notation.numbers import NumberFormat
from nntrace.terminal.equations import equation_lines, matrix_block
from nntrace.writers.code import code, code_line
from nntrace.writers.unicode import UnicodeText, UnicodeWriter, join, text

M = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
A, B, C = (Q(Sym(name), M * factor, name) for name, factor in (("A", 1), ("B", 1), ("C", 2)))
SUM = Equation(Sym("C"), seq(A, Op.PLUS, B), result=Q(Sym("C"), 2 * M, "C", result=True), code_target="C")


def test_a_matrix_is_a_bracketed_block():
    assert matrix_block(M, NumberFormat(0)).lines == ("⎡1 2⎤", "⎢3 4⎥", "⎣5 6⎦")


def test_a_function_applied_to_a_matrix_wraps_it_in_tall_parentheses():
    assert matrix_block(M, NumberFormat(0), function="σ").lines == (" ⎛1 2⎞", "σ⎜3 4⎟", " ⎝5 6⎠")


def test_columns_are_aligned_on_the_decimal_point():
    assert matrix_block(np.array([[0.5], [-12.25]]), NumberFormat(2)).lines == ("⎡  0.50⎤", "⎣-12.25⎦")


def test_a_wide_matrix_elides_its_middle_columns():
    assert matrix_block(np.arange(12.0).reshape(1, 12), NumberFormat(0), max_width=14).lines == ("[0 1 ⋯ 10 11]",)


def test_an_equation_is_centred_on_its_middle_line():
    assert [line.plain for line in equation_lines(SUM, NumberFormat(0), 40)] == [
        "    ⎡1 2⎤   ⎡1 2⎤   ⎡ 2  4⎤",
        "C = ⎢3 4⎥ + ⎢3 4⎥ = ⎢ 6  8⎥",
        "    ⎣5 6⎦   ⎣5 6⎦   ⎣10 12⎦",
    ]


def test_an_equation_too_wide_breaks_at_the_equals_sign():
    assert [line.plain for line in equation_lines(SUM, NumberFormat(0), 20)] == [
        "    ⎡1 2⎤   ⎡1 2⎤",
        "C = ⎢3 4⎥ + ⎢3 4⎥",
        "    ⎣5 6⎦   ⎣5 6⎦",
        "    ⎡ 2  4⎤",
        "  = ⎢ 6  8⎥",
        "    ⎣10 12⎦",
    ]


def test_one_expression_gives_the_formula_line_the_numbers_and_the_code():
    assert UnicodeWriter().formula_text(SUM) == "C = A + B"
    assert code_line(SUM) == "C = A + B"
    rows = ROWS.product(Q(Sym("X"), M, "X"), Q(Sym("W", "h"), M.T, "W_h"))
    columns = COLUMNS.product(Q(Sym("X"), M.T, "X"), Q(Sym("W", "h"), M, "W_h"))
    assert text(seq(rows[0], Op.PRODUCT, rows[1])) == "X · W_h"
    assert code(seq(columns[0], Op.PRODUCT, columns[1])) == "np.dot(W_h, X)"


def test_a_code_line_kept_for_one_equation_is_never_another_equations():
    update = Equation(Sym("C"), seq(C, Op.MINUS, A), code_target="C")
    assert code_line(update) == "C = C - A"
    assert code_line(update) == "C = C - A"  # asked again (a key's next format): found as written
    swapped = Equation(Sym("C"), seq(B, Op.PLUS, A), code_target="C")  # equal fields but for its operands
    assert code_line(swapped) == "C = B + A"
    assert code_line(SUM) == "C = A + B"


def test_the_unicode_text_writer_writes_the_unicode_writers_text():
    from nntrace.notation.nodes import Power

    line = seq(Num(0.3), Op.PLUS, Num(0.1, exact=True), Op.PRODUCT, Signed(Num(-0.049)))
    assert UnicodeText(NumberFormat(3)).values(line) == ["0.300 + 0.1 × (-0.049)"]
    assert join(UnicodeWriter(NumberFormat(3)).values(line)) == "0.300 + 0.1 × (-0.049)"
    raised = Power(Sym("e"), Num(0.0000024))  # an exponent with spaces in it is bracketed
    assert join(UnicodeText(NumberFormat(3)).values(raised)) == "e^(2.4 × 10⁻⁶)"
    with pytest.raises(ValueError, match="a matrix cannot be written on one line"):
        UnicodeText(NumberFormat(3)).values(seq(A, Op.PLUS, B))


def test_typographic_rules_of_the_unicode_writer():
    numbers = UnicodeWriter(NumberFormat(3))
    assert numbers.text(numeric=True, expr=seq(Num(0.8), Op.MINUS, Num(-0.2))) == "0.800 − (-0.200)"
    assert numbers.text(numeric=True, expr=seq(Num(0.3), Op.PLUS, Num(0.1, exact=True), Op.PRODUCT, Signed(Num(-0.049)))) == (
        "0.300 + 0.1 × (-0.049)"
    )
    assert numbers.text(numeric=True, expr=Group(seq(Num(-0.5), Op.PRODUCT, Num(2.0)))) == "(-0.500 × 2)"
    symbols = UnicodeWriter()
    assert symbols.text(Sum(Sym("delta", "out"), axis=0)) == "Σ δ_out"
    assert code(Sum(Q(Sym("delta", "out"), M, "delta_out"), axis=1)) == "np.sum(delta_out, axis=1)"


def test_each_activation_and_loss_writes_its_own_formula():
    written = {name: UnicodeWriter().formula_text(act.definition()) for name, act in ACTIVATIONS.items()}
    assert written["sigmoid"] == "σ(z) = 1 / (1 + e⁻ᶻ)"
    assert written["tanh"] == "tanh(z) = (eᶻ − e⁻ᶻ) / (eᶻ + e⁻ᶻ)"
    assert written["softmax"] == "softmax(z)ᵢ = e^zᵢ / Σⱼ e^zⱼ"
    assert written["softplus"] == "softplus(z) = ln(1 + eᶻ)"
    assert written["silu"] == "silu(z) = z · σ(z)"
    losses = {name: UnicodeWriter().formula_text(loss.formula()) for name, loss in LOSSES.items()}
    assert losses == {
        "half_sse": "L = ½ ΣΣ (y − O)²",
        "sse": "L = ΣΣ (y − O)²",
        "mse": "L = (1/nk) ΣΣ (y − O)²",
        "cross_entropy": "L = −ΣΣ [y ln O + (1 − y) ln(1 − O)]",
    }


def reference_block(value: np.ndarray, precision: int, max_width: int) -> tuple[str, ...]:
    """The plain way: format every cell of the rows shown, line the numbers of each column up on
    their decimal point, drop one more middle column per try until the grid fits."""
    from nntrace.common.elision import elided as _elided
    from nntrace.terminal.equations import MAX_ROWS, _bracketed, cell_rows

    rows = _elided(len(value), MAX_ROWS)
    cells = cell_rows(value[[r for r in rows if r is not None]], NumberFormat(precision))

    def fraction(text: str) -> int:  # digits after the point of a number written without a power of ten
        return len(text.split(".")[1]) if "." in text and "×" not in text else 0

    for c in range(len(cells[0])):
        widest = max(fraction(row[c]) for row in cells)
        for row in cells:
            pad = widest - fraction(row[c]) if "×" not in row[c] and ("." in row[c] or widest == 0) else 0
            row[c] += " " * pad
    widths = [max(len(row[c]) for row in cells) for c in range(len(cells[0]))]
    columns = list(range(len(widths)))

    def grid(columns):
        return sum(widths[c] if c is not None else 1 for c in columns) + len(columns) - 1

    while len(columns) > 2 and grid(columns) + 2 > max_width:
        columns = _elided(len(widths), len([c for c in columns if c is not None]) - 1)
    lines, at = [], 0
    for r in rows:
        if r is None:
            lines.append(" ".join("⋮".rjust(widths[c]) if c is not None else " " for c in columns))
        else:
            lines.append(" ".join(cells[at][c].rjust(widths[c]) if c is not None else "⋯" for c in columns))
            at += 1
    return _bracketed(lines, None, "").lines


def test_formatting_only_the_shown_cells_draws_the_same_matrix():
    rng = np.random.default_rng(7)
    for trial in range(300):
        shape = (int(rng.integers(1, 40)), int(rng.integers(1, 40)))
        kind = trial % 4
        value = rng.normal(0, 10.0 ** rng.integers(-4, 4), shape)
        if kind == 1:
            value = np.round(value)  # whole numbers
        elif kind == 2:
            value = rng.choice([-0.0004, 0.0004, -0.0006, 9.9996, -9.9996, 0.0], shape)  # rounding edges
        elif kind == 3:
            value[rng.integers(0, shape[0]), rng.integers(0, shape[1])] = rng.choice([np.nan, np.inf, -np.inf])
        precision, width = int(rng.integers(0, 5)), int(rng.integers(8, 120))
        assert matrix_block(value, NumberFormat(precision), width).lines == reference_block(value, precision, width), (trial, shape)


def _printed(renderable, width: int) -> str:
    import io

    from rich.console import Console

    console = Console(record=True, file=io.StringIO(), width=width, color_system=None, force_terminal=False)
    console.print(renderable)
    return console.export_text()


def test_a_grid_is_right_aligned_columns_under_a_rule():
    from nntrace.terminal.console import Grid

    grid = Grid(["n", "value"], [["1", "0.5"], None, ["10", "12.25"]])
    assert _printed(grid, 40) == " n   value\n──────────\n 1     0.5\n ⋮       ⋮\n10   12.25\n"


def test_a_grid_looks_as_richs_table_did_and_is_that_table_when_too_wide():
    """The layout rich's SIMPLE_HEAD table without edges gives, cell for cell; too wide, it is that table."""
    from rich import box
    from rich.table import Table

    from nntrace.terminal.console import Grid, Trimmed

    headers, rows = ["sample", "target", "σ output", ""], [["1", "0", "0.731", "✓"], ["12", "1", "0.2", "✗"]]
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    for name in headers:
        table.add_column(name, justify="right")
    for row in rows:
        table.add_row(*row)
    for width in (80, 30, 12):
        assert _printed(Grid(headers, rows), width) == _printed(Trimmed(table), width)


def test_a_prefixed_line_is_the_prefix_then_the_line_with_its_styles_moved_along():
    from rich.text import Span, Text

    from nntrace.terminal.equations import prefixed

    line = Text("W = 0.5", style="bold", spans=[Span(0, 1, "cyan")])
    made = prefixed("  ", line)
    assert made.plain == "  W = 0.5"
    assert made.style == ""
    assert made.spans == [Span(2, 9, "bold"), Span(2, 3, "cyan")]
    assert prefixed("    ", Text("", style="dim")).spans == []
    assert prefixed("    ", Text("", style="dim")).plain == "    "
    assert prefixed("", Text("x")).spans == []
