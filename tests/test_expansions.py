"""Element-by-element expansions: as the paper writes them, summarised when large."""

from __future__ import annotations

import re

import numpy as np

from nntrace.notation.nodes import Group, Num, Op, seq
from nntrace.notation.numbers import NumberFormat
from nntrace.solution.expansions import Policy, expand_elements, plain_sum, sum_of_products
from nntrace.writers.unicode import text


def expansion_text(expr, precision: int) -> str:
    return text(expr, NumberFormat(precision))


PAPER_H_IN = [
    ("1,1", "(1 × 0.420) + (0 × 0.100) + (1 × 0.600) + (0 × 0.920) + 0.460", "1.480"),
    ("1,2", "(1 × 0.880) + (0 × 0.730) + (1 × 0.180) + (0 × 0.110) + 0.720", "1.780"),
    ("1,3", "(1 × 0.550) + (0 × 0.680) + (1 × 0.470) + (0 × 0.520) + 0.080", "1.100"),
    ("2,1", "(1 × 0.420) + (0 × 0.100) + (1 × 0.600) + (1 × 0.920) + 0.460", "2.400"),
    ("2,2", "(1 × 0.880) + (0 × 0.730) + (1 × 0.180) + (1 × 0.110) + 0.720", "1.890"),
    ("2,3", "(1 × 0.550) + (0 × 0.680) + (1 × 0.470) + (1 × 0.520) + 0.080", "1.620"),
    ("3,1", "(0 × 0.420) + (1 × 0.100) + (0 × 0.600) + (1 × 0.920) + 0.460", "1.480"),
    ("3,2", "(0 × 0.880) + (1 × 0.730) + (0 × 0.180) + (1 × 0.110) + 0.720", "1.560"),
    ("3,3", "(0 × 0.550) + (1 × 0.680) + (0 × 0.470) + (1 × 0.520) + 0.080", "1.280"),
]


def test_the_papers_nine_expansions_of_h_in_with_correct_results(cli):
    out = cli("run", "--expand", width="100").stdout
    for index, sum_text, result in PAPER_H_IN:
        assert f"H_in[{index}] = {sum_text} = {result}" in out
    assert "1.452" not in out


def test_small_matrices_expand_by_default_and_no_expand_turns_it_off(cli):
    assert cli("run").stdout == cli("run", "--expand").stdout
    plain = cli("run", "--no-expand").stdout
    assert "H_in[1,1] =" not in plain and "Step 11" in plain


def test_element_wise_steps_show_each_product(cli):
    out = cli("run").stdout
    assert "δ_out[1,1] = 0.211 × 0.166 = 0.035" in out
    assert "σ′(O)[1,1] = 0.789 × (1 − 0.789) = 0.166" in out
    assert "E[3,1] = 0 − 0.789 = -0.789" in out


def test_large_results_are_summarised_not_dumped():
    result = np.arange(400.0).reshape(20, 20)
    assert expand_elements(Policy(None), "Z", result, 2, lambda i: [1.0]) is None
    forced = expand_elements(Policy(True), "Z", result, 2, lambda i: [1.0])
    assert len(forced.shown) == 16 and forced.more == 384
    assert expand_elements(Policy(False), "Z", np.ones((2, 2)), 2, lambda i: [1.0]) is None


def test_long_sums_keep_their_first_and_last_terms():
    text = expansion_text(sum_of_products(np.arange(1.0, 21.0), np.ones(20)), 1)
    assert text.startswith("(1 × 1) + (2 × 1)") and text.endswith("(20 × 1)")
    assert "… 13 more …" in text
    assert "… 13 more …" in expansion_text(plain_sum(np.ones(20)), 0)


def test_a_subtracted_negative_number_is_bracketed():
    assert expansion_text(seq(Num(0.8), Op.MINUS, Num(-0.2)), 1) == "0.8 − (-0.2)"
    assert expansion_text(Group(seq(Num(-0.5), Op.PRODUCT, Num(2.0))), 1) == "(-0.5 × 2)"


def test_forced_expansion_of_a_large_network_says_how_many_more(cli, tmp_path):
    rng = np.random.default_rng(0)
    import yaml

    spec = {
        "inputs": rng.random((6, 5)).round(2).tolist(),
        "targets": rng.random((6, 1)).round(2).tolist(),
        "learning_rate": 0.1,
        "layers": [
            {"weights": rng.random((5, 4)).round(2).tolist(), "biases": 0.1},
            {"weights": rng.random((4, 1)).round(2).tolist(), "biases": 0.1},
        ],
    }
    path = tmp_path / "big.yaml"
    path.write_text(yaml.safe_dump(spec), encoding="utf-8")
    assert "H_in[1,1]" not in cli("run", str(path)).stdout  # 24 elements: too many by default
    forced = cli("run", str(path), "--expand").stdout
    assert "H_in[1,1]" in forced and "… and 8 more elements, each computed the same way" in forced
    assert re.search(r"H_in\[4,4\]", forced) and not re.search(r"H_in\[5,1\]", forced)


def test_a_tall_matrix_shows_its_first_and_last_rows_around_a_vertical_ellipsis():
    from nntrace.terminal.equations import MAX_ROWS, matrix_block

    block = matrix_block(np.arange(30.0).reshape(30, 1), NumberFormat(0))
    assert len(block.lines) == MAX_ROWS
    assert block.lines[0].startswith("⎡") and block.lines[-1].startswith("⎣")
    assert [line.strip("⎡⎢⎣⎤⎥⎦ ") for line in block.lines] == [*map(str, range(10)), "⋮", *map(str, range(21, 30))]


def test_an_elements_arithmetic_is_given_its_operands_numbers_as_python_floats():
    """The shown elements' numbers are read off once (row by row, as np.ndindex orders them), not one
    numpy scalar at a time, and each element's target is made once for every pass that shows it."""
    result = np.arange(6.0).reshape(2, 3) / 4
    left, right = np.array([[1.5, -2.0, 0.25], [4.0, 5.0, 6.0]]), np.full((2, 3), 0.5)
    seen = []

    def arithmetic(index, a, b):
        seen.append((index, a, b, type(a), type(b)))
        return seq(Num(a), Op.PRODUCT, Num(b))

    expansions = expand_elements(Policy(True), "Z", result, 2, arithmetic, operands=(left, right))
    assert [entry[:3] for entry in seen] == [
        ((0, 0), 1.5, 0.5), ((0, 1), -2.0, 0.5), ((0, 2), 0.25, 0.5),
        ((1, 0), 4.0, 0.5), ((1, 1), 5.0, 0.5), ((1, 2), 6.0, 0.5),
    ]  # fmt: skip
    assert {entry[3] for entry in seen} == {entry[4] for entry in seen} == {float}
    assert [line.result for line in expansions.shown] == [0.0, 0.25, 0.5, 0.75, 1.0, 1.25]
    assert [line.target.index for line in expansions.shown] == [(1, 1), (1, 2), (1, 3), (2, 1), (2, 2), (2, 3)]
    again = expand_elements(Policy(True), "Z", result + 1, 2, arithmetic, operands=(left, right))
    assert all(one.target is other.target for one, other in zip(expansions.shown, again.shown))
    vector = expand_elements(Policy(True), "b", result[:1], 2, arithmetic, vector=True, operands=(left[:1], right[:1]))
    assert [line.target.index for line in vector.shown] == [(1,), (2,), (3,)]


def test_a_long_sum_reads_only_the_terms_it_writes_out():
    class Counted(list):
        def __init__(self, values):
            super().__init__(values)
            self.read = set()

        def __getitem__(self, position):
            self.read.add(position)
            return super().__getitem__(position)

    left, right = Counted(float(k) for k in range(1, 101)), Counted([1.0] * 100)
    text = expansion_text(sum_of_products(left, right, -0.5), 0)
    shown = " + ".join(f"({k} × 1)" for k in range(1, 7))
    assert text == f"{shown} + … 93 more … + (100 × 1) − 0.50"
    assert left.read == right.read == {0, 1, 2, 3, 4, 5, 99}
    values = Counted([1.0, -2.0] * 50)
    assert expansion_text(plain_sum(values), 0) == "1 − 2 + 1 − 2 + 1 − 2 + … 93 more … − 2"
    assert values.read == {0, 1, 2, 3, 4, 5, 99}
