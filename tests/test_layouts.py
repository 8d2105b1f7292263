"""Column-vector notation (z = W . x + b) against the paper's row notation.

The classic 2-2-2 example has published results (biases fixed, learning rate 0.5):
total error 0.298371109; after one update w5..w8 = 0.35891648, 0.408666186,
0.511301270, 0.561370121 and w1..w4 = 0.149780716, 0.19956143, 0.24975114, 0.29950229.
"""

from __future__ import annotations

import json

import numpy as np
from conftest import CONFIGS


def trace(cli, name):
    result = cli("run", str(CONFIGS / name), "--json", "-")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)["records"][0]


def test_columns_spec_gives_the_published_numbers(cli):
    record = trace(cli, "classic-2-2-2-columns.yaml")
    assert abs(record["loss"] - 0.298371109) < 1e-9
    np.testing.assert_allclose(
        record["params_after"]["W_out"], [[0.35891648, 0.408666186], [0.511301270, 0.561370121]], atol=1e-8
    )
    np.testing.assert_allclose(
        record["params_after"]["W_h"], [[0.149780716, 0.19956143], [0.24975114, 0.29950229]], atol=1e-8
    )
    assert record["params_after"]["b_h"] == [0.35, 0.35]
    assert record["params_after"]["b_out"] == [0.6, 0.6]


def test_columns_and_rows_transpose_give_the_same_numbers(cli):
    columns, rows = trace(cli, "classic-2-2-2-columns.yaml"), trace(cli, "classic-2-2-2-rows.yaml")
    assert columns["loss"] == rows["loss"]
    for part in ("params_before", "quantities", "params_after"):
        assert columns[part].keys() == rows[part].keys()
        for key, value in columns[part].items():
            value, other = np.array(value), np.array(rows[part][key])
            expected = other if value.ndim == 1 else other.T
            np.testing.assert_array_equal(value, expected, err_msg=f"{part}.{key}")


def test_each_layout_renders_in_its_own_notation(cli):
    columns = cli("run", str(CONFIGS / "classic-2-2-2-columns.yaml")).stdout
    rows = cli("run", str(CONFIGS / "classic-2-2-2-rows.yaml")).stdout
    assert "H_in = W_h \u00b7 X + b_h" in columns and "E_hidden = W_out\u1d40 \u00b7 \u03b4_out" in columns
    assert "H_in = X \u00b7 W_h + b_h" in rows and "E_hidden = \u03b4_out \u00b7 W_out\u1d40" in rows
    assert "one column per sample" in columns and "one row per sample" in rows


def test_a_formula_is_set_in_rows_for_its_own_width_and_kind_of_quantities():
    import numpy as np

    from nntrace.documents.latex import LatexTemplate
    from nntrace.notation.nodes import Equation, Op, Q, Sym, seq
    from nntrace.notation.numbers import NumberFormat

    def total(value):  # C = A + B + D + E, a new equation each time (as each student's key has its own)
        return Equation(Sym("C"), seq(*[item for name in "ABDE" for item in (Op.PLUS, Q(Sym(name), value, name))][1:]))

    def hadamard(value):
        return Equation(Sym("C"), seq(Q(Sym("A"), value, "A"), Op.HADAMARD, Q(Sym("B"), value, "B")))

    wide, narrow = LatexTemplate(NumberFormat(3)), LatexTemplate(NumberFormat(3))
    narrow.width = 6.0
    matrix = np.ones((2, 2))
    assert wide.formula_rows(total(matrix)) == ["C &= A + B + D + E"]
    assert narrow.formula_rows(total(matrix)) == ["C &= A + B", r"& \quad{}+ D", r"& \quad{}+ E"]
    assert wide.formula_rows(total(matrix)) == ["C &= A + B + D + E"]
    assert wide.formula_rows(hadamard(matrix)) == [r"C &= A \odot B"]
    assert wide.formula_rows(hadamard(0.5)) == ["C &= AB"]  # numbers: juxtaposed, another form
