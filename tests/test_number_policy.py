"""The one number policy (notation/numbers.py) as users meet it: digits that are never zero for a
number that is not, significant digits beside decimals (CLI, spec and API), a power of ten written
for its medium, the loss at the precision asked, ties rounded by hand, and explanations that keep
a run's rounding."""

from __future__ import annotations

import math

import pytest
from conftest import CONFIGS, write_spec
from hypothesis import given
from hypothesis import strategies as st

import nntrace
from nntrace.notation.numbers import NumberFormat, exact, written


@pytest.mark.parametrize(
    ("value", "fmt", "text"),
    [
        (0.0348, NumberFormat(3), "0.035"),
        (-0.789, NumberFormat(3), "-0.789"),
        (0.00048, NumberFormat(3), "0.00048"),  # too small for 3 decimals: 2 significant digits
        (2.4e-6, NumberFormat(3), "2.4e-06"),  # below 1e-4: a power of ten
        (1e300, NumberFormat(3), "1.000e+300"),  # not a 300-digit string
        (1480.0, NumberFormat(3), "1480"),
        (0.0348, NumberFormat(digits=4), "0.03480"),
        (1.4803, NumberFormat(digits=4), "1.480"),
        (123456.7, NumberFormat(digits=3), "123457"),
        (0.0348, NumberFormat(3, guard=1), "0.0348"),
        (0.3, NumberFormat(3, guard=2), "0.300"),  # a guard digit only where it says something
        # too small for the decimals asked (0.000), not for those with its guard digits (0.0005)
        (0.0004999, NumberFormat(3, guard=1), "0.000500"),
        (0.0005001, NumberFormat(3, guard=1), "0.0005"),  # 0.001 at 3 decimals
        (0.00048, NumberFormat(3, guard=1), "0.000480"),
        (2.4, NumberFormat(0, guard=2), "2.4"),
        (2.0001, NumberFormat(0, guard=2), "2"),
    ],
)
def test_a_number_as_written(value, fmt, text):
    assert written(value, fmt).plain() == text


def test_numbers_given_exactly_are_written_as_given():
    assert exact(0.1).plain() == "0.1" and exact(2).plain() == "2"
    assert (exact(1e-8).digits, exact(1e-8).exponent) == ("1", -8)
    assert exact(1 / 3).plain() == "0.333333"
    # kept by value (lru_cache): values equal as keys are written alike, whichever comes first
    assert exact(-0.0).plain() == exact(0.0).plain() == "0" and not exact(-0.0).negative
    assert exact(True).plain() == exact(1).plain() == exact(1.0).plain() == "1"


@given(st.floats(min_value=-1e300, max_value=1e300).filter(lambda v: v != 0),
       st.integers(0, 8), st.one_of(st.none(), st.integers(1, 8)))  # fmt: skip
def test_no_number_that_is_not_zero_is_written_as_zero(value, decimals, digits):
    shown = written(value, NumberFormat(decimals, digits))
    assert shown.value != 0 and math.copysign(1, shown.value) == math.copysign(1, value)
    assert abs(shown.value - value) <= 0.51 * abs(value) + 10.0**-decimals


def test_digits_from_the_command_line_and_the_spec(cli, tmp_path):
    by_option = cli("run", "--digits", "4", width="100").stdout
    assert "precision 4 significant digits shown" in by_option
    assert "Loss L = ½ ΣΣ (y − O)² = 0.3541 " in by_option
    spec = write_spec(tmp_path, (CONFIGS / "paper.yaml").read_text("utf-8") + "digits: 4\n")
    assert cli("run", spec, width="100").stdout.split("\n", 2)[2] == by_option.split("\n", 2)[2]
    spec = write_spec(tmp_path, (CONFIGS / "paper.yaml").read_text("utf-8") + "precision: 5\n", "five.yaml")
    assert "H_out[1,1] = 1 / (1 + e^-1.48000) = 0.81457" in cli("run", spec, width="100").stdout
    assert "= 0.815" in cli("run", spec, "--precision", "3", width="100").stdout  # the option wins
    both = cli("run", "--digits", "3", "--precision", "2")
    assert both.exit_code == 2 and "--precision and --digits" in both.stderr


def test_digits_from_the_api():
    trace = nntrace.trace("paper", options=nntrace.RenderOptions(digits=2))
    assert trace.options.numbers == NumberFormat(3, 2)


def test_the_spec_refuses_both_and_out_of_range(cli, tmp_path):
    for extra, message in (("digits: 4\nprecision: 3\n", "cannot be combined"), ("digits: 0\n", "digits")):
        result = cli("run", write_spec(tmp_path, (CONFIGS / "paper.yaml").read_text("utf-8") + extra))
        assert result.exit_code == 2 and message in result.stderr


def test_round_carries_exact_decimal_ties_as_by_hand(cli, tmp_path):
    # 0.35 x 0.1 = 0.035 exactly by hand (0.034999999999999996 in float64): to 2 decimals, 0.04.
    spec = write_spec(
        tmp_path,
        "inputs: [[0.35]]\ntargets: [[0]]\nactivation: linear\nlearning_rate: 0.1\n"
        "layers:\n  - {weights: [[0.1]], biases: [0]}\n",
    )
    out = cli("run", spec, "--round", "2", "--precision", "2", width="100").stdout
    assert "O_in[1,1] = (0.35 × 0.10) + 0 = 0.04" in out


def test_explain_keeps_the_runs_rounding():
    rounded = nntrace.trace("paper", rounding=2).explain("W_out[1,1]").explanations[0]
    exact_run = nntrace.trace("paper").explain("W_out[1,1]").explanations[0]
    epoch = nntrace.trace("paper", rounding=2).epoch(1)
    assert rounded.gradient != exact_run.gradient
    assert rounded.new_value == pytest.approx(epoch.records[0].params_after["W_out"][0, 0], abs=1e-12)


@pytest.mark.parametrize("to", ["latex", "markdown", "html"])
def test_every_document_says_a_fixed_bias_is_kept_fixed(cli, tmp_path, to):
    spec = write_spec(tmp_path, (CONFIGS / "paper.yaml").read_text("utf-8") + "train_biases: false\n")
    out = cli("explain", spec, "b_h[2]", "--to", to).stdout
    assert "is kept fixed (train" in out and "it stays" in out


def test_latex_and_markdown_keep_the_prime_of_a_word_activation(cli):
    for to in ("latex", "markdown"):
        out = cli("export", "tanh-relu-mse", "--to", to).stdout
        assert r"\operatorname{relu}'\left(" in out and r"\operatorname{tanh}'\left(" in out


@pytest.mark.parametrize(("x", "expected"), [("-32.3", 9.3818e-15), ("-700", 9.8597e-305), ("0.5", 0.97408)])
def test_redone_keeps_the_last_digit_of_one_plus_a_tiny_number(x, expected):
    # ln(1 + e^x) by hand: float64's 1 + e^-32.3 is 1 and its logarithm 0; the exact decimal is not.
    # Worked by hand: ln(1 + t) = t - t²/2 + ... is e^x itself for x = -32.3 and -700
    # (e^-32 = 1.26642e-14, e^-0.3 = 0.740818); ln(1 + e^0.5) = ln(2.648721) = 0.974077.
    from nntrace.notation.arithmetic import redone
    from nntrace.notation.nodes import EULER, LN, Apply, Num, Op, Power, seq

    expr = Apply(LN, (seq(Num(1, exact=True), Op.PLUS, Power(EULER, Num(float(x)))),))
    assert math.isclose(redone(expr, lambda number: repr(number.value)), expected, rel_tol=1e-4)


def test_a_matrix_is_whole_only_where_every_entry_is_finite_and_whole():
    import numpy as np

    from nntrace.notation.numbers import matrix

    digits = lambda rows: [[number.digits for number in row] for row in rows]  # noqa: E731
    assert digits(matrix([[1.0, 2.0], [-3.0, 0.0]])) == [["1", "2"], ["3", "0"]]
    assert digits(matrix(np.array([[1, 2]]))) == [["1", "2"]]
    assert digits(matrix([[1.0, math.inf]])) == [["1.000", "inf"]]
    assert digits(matrix([[1.0, math.nan]])) == [["1.000", "nan"]]
    assert digits(matrix([[1.0, 2.5]])) == [["1.000", "2.500"]]


def test_a_matrix_shows_its_corners_around_the_rows_and_columns_left_out():
    import numpy as np

    from nntrace.notation.numbers import shown

    found = shown(np.arange(100.0).reshape(10, 10) / 4, NumberFormat(3), 4, 4)
    assert (found.rows, found.columns) == ([0, 1, None, 9], [0, 1, None, 9])
    assert [[number.digits for number in row] for row in found.cells] == [
        ["0.000", "0.250", "2.250"], ["2.500", "2.750", "4.750"], ["22.500", "22.750", "24.750"]]
    mixed = shown(np.array([[0.5, 2.0], [1.25, 3.0]]), NumberFormat(1, guard=2), 12, 8)
    assert [[number.digits for number in row] for row in mixed.cells] == [["0.5", "2.0"], ["1.25", "3.0"]]
    assert mixed.pads == [[1, 0], [0, 0]]
