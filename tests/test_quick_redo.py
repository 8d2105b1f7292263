"""An element line's operands are chosen in float64 where its bounded error cannot change the answer
(numbers._redoes_quickly): wherever float64 decides, exact decimal arithmetic decides the same.

Every element line of many networks (every activation, loss and optimiser; random weights; inputs
scaled to powers of ten, where sums cancel and exponentials underflow) at every guard digit: the
quick verdict, when it gives one, is the exact one."""

from __future__ import annotations

import math

import numpy as np
import pytest
from conftest import CONFIGS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_forms import element_lines
from test_redo_by_hand import networks

from nntrace.notation import arithmetic, numbers
from nntrace.notation.arithmetic import bounded, redone, redone_bounded
from nntrace.notation.nodes import EULER, LN, Apply, Frac, Group, Num, Op, Power, Root, Seq
from nntrace.notation.numbers import NumberFormat, written


def verdicts(lines, fmt: NumberFormat) -> tuple[int, int]:
    """(lines decided quickly, lines left to exact arithmetic), asserting every quick verdict."""
    quick = left = 0
    for line in lines:
        if line.arithmetic is None:
            continue
        target = written(line.result, fmt)
        if not target.finite:
            continue
        for guard in range(0, numbers.MAX_GUARD + 1, 3):
            guarded = fmt.guarded(guard)

            def text(number, guarded=guarded):
                return (numbers.exact(number.value) if number.exact else written(number.value, guarded)).plain()

            decided = numbers._redoes_quickly(line.arithmetic, text, target)
            if decided is None:
                left += 1
                continue
            quick += 1
            exact = redone(line.arithmetic, text)
            assert exact is not None
            assert decided == numbers.redoes(exact, target, fmt, relative=False, margin=0.499), (line, guard)
    return quick, left


@pytest.mark.parametrize("example", ["paper", "elu", "silu", "softmax", "softplus", "tanh-relu-mse", "paper-adam",
                                     "paper-momentum", "essay-one-neuron", "biomarker-xor"])  # fmt: skip
def test_quick_verdicts_of_the_shipped_examples_are_the_exact_ones(example):
    quick, left = verdicts(element_lines(CONFIGS / f"{example}.yaml"), NumberFormat(3))
    assert quick > left  # most lines are decided in float64


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks(), st.sampled_from([1e-9, 1e-4, 1.0, 1e3]), st.sampled_from([NumberFormat(2), NumberFormat(4, digits=3)]))
def test_quick_verdicts_of_random_networks_are_the_exact_ones(spec, scale, fmt):
    spec["inputs"] = [[value * scale for value in row] for row in spec["inputs"]]
    verdicts(element_lines(spec, epochs=1), fmt)


def test_a_bound_holds_the_exact_value_where_float64_cancels():
    # 1 + e^-40 in float64 is 1 exactly, its e^-40 lost; the bound still holds the exact sum, and a
    # line that needs e^-40 (1 / (1 + e^-40) - 1 = -4.25e-18) is left to exact arithmetic
    sum_ = Seq((Num(1, exact=True), Op.PLUS, Power(EULER, Num(-40.0))))
    value, error = redone_bounded(sum_, lambda n: repr(n.value))
    assert value == 1.0 and error >= 4.248354255291589e-18
    line = Seq((Frac(Num(1, exact=True), Group(sum_)), Op.MINUS, Num(1, exact=True)))
    target = written(-4.248354255291589e-18, NumberFormat(3))
    assert numbers._redoes_quickly(line, lambda n: repr(n.value), target) is None
    assert numbers.redoes(redone(line, lambda n: repr(n.value)), target, NumberFormat(3), relative=False, margin=0.499)


def test_a_line_at_the_edge_of_its_room_is_left_to_exact_arithmetic():
    # 0.815 + 0.000499 is 0.499 of a unit from the printed 0.815: float64 could fall either side
    line = Seq((Num(0.815, exact=True), Op.PLUS, Num(0.000499, exact=True)))
    target = written(0.815, NumberFormat(3))

    def text(number):
        return numbers.exact(number.value).plain()

    assert numbers._redoes_quickly(line, text, target) is None
    # a ten-thousandth of a unit inside or outside, it decides, as exact arithmetic does
    inside = Seq((Num(0.815, exact=True), Op.PLUS, Num(0.0004989, exact=True)))
    outside = Seq((Num(0.815, exact=True), Op.PLUS, Num(0.0004991, exact=True)))
    assert numbers._redoes_quickly(inside, text, target) is True
    assert numbers._redoes_quickly(outside, text, target) is False


def _digits(text: str) -> Num:
    """A number whose written digits are `text` (the `text` below reads them back)."""
    return Num(float(text), exact=True)


_TEXTS: dict[int, str] = {}


def _num(text: str) -> Num:
    number = _digits(text)
    _TEXTS[id(number)] = text
    return number


def _written_as(number) -> str:
    return _TEXTS[id(number)]


def _cancelling_lines() -> dict:
    """Lines whose float64 value loses the answer (1.0000000000000001 - 1 is 0 in float64, 1e-16
    exactly): each of the bound's terms (the digits read into float64, a quotient, a product, a
    square, a root, a power of e, a function) is what keeps the quick verdict from deciding wrongly."""
    a, b = _num("1.0000000000000001"), _num("1")
    tiny = Group(Seq((a, Op.MINUS, b)))  # exactly 1e-16, 0 in float64
    return {
        "difference": (Seq((a, Op.MINUS, b)), 1e-16),
        "quotient": (Frac(tiny, _num("3")), 1e-16 / 3),
        "product": (Seq((tiny, Op.PRODUCT, _num("7"))), 7e-16),
        "square": (Power(tiny, _num("2")), 1e-32),
        "root": (Root(Group(Seq((tiny, Op.PLUS, _num("1e-15"))))), math.sqrt(1.1e-15)),
        "power of e": (Seq((Power(EULER, Group(Seq((tiny, Op.PRODUCT, _num("1000000000000"))))), Op.MINUS, _num("1"))),
                       math.expm1(1e-4)),  # fmt: skip
        "function": (Apply(LN, (a,)), 1e-16),
    }


@pytest.mark.parametrize("kind", ["difference", "quotient", "product", "square", "root", "power of e", "function"])
def test_each_term_of_the_bound_keeps_a_cancelling_line_from_a_wrong_quick_verdict(kind):
    # the exact redone value prints as the target: a quick verdict may only be True, or undecided;
    # a bound that leaves out the term of this kind of node says False (the float64 value is 0)
    line, value = _cancelling_lines()[kind]
    fmt = NumberFormat(3)
    target = written(value, fmt)
    exact = redone(line, _written_as)
    assert numbers.redoes(exact, target, fmt, relative=False, margin=0.499)
    assert numbers._redoes_quickly(line, _written_as, target) in (None, True)


def test_a_square_is_decided_in_float64():
    # the 2 of a square is read exactly: (0.3)² is decided quickly, not left to exact arithmetic
    # as a power of an exponent with an error (which every line of Adam's v and RMSprop's s was)
    line = Power(Group(Num(0.3)), Num(2, exact=True))

    def text(number):
        return (numbers.exact(number.value) if number.exact else written(number.value, NumberFormat(3))).plain()

    assert redone_bounded(line, text)[1] < 1e-15
    assert numbers._redoes_quickly(line, text, written(0.09, NumberFormat(3))) is True
    assert numbers._redoes_quickly(line, text, written(0.091, NumberFormat(3))) is False


def test_a_subclass_of_a_node_is_bounded_as_its_kind_and_an_unknown_node_is_refused():
    """Bounded arithmetic dispatches on the node's kind, and a subclass (the printer's bracketed
    Signed) is worked as its kind; what is not arithmetic gives None, for exact arithmetic to decide."""
    from nntrace.notation.arithmetic import redone_bounded
    from nntrace.notation.nodes import Elided, Num, Op, Signed, Sym, seq

    class Bracketed(Signed):
        pass

    def text(number):
        return repr(number.value)

    value, error = redone_bounded(seq(Bracketed(Num(-0.5)), Op.PLUS, Num(2.0)), text)
    assert value == 1.5 and 0 <= error < 1e-14
    assert redone_bounded(seq(Num(1.0), Op.PLUS, Elided(3)), text) is None
    assert redone_bounded(Sym("x"), text) is None


def _text(guarded: NumberFormat):
    def text(number):
        return (numbers.exact(number.value) if number.exact else written(number.value, guarded)).plain()

    return text


def _exactly_chosen(arithmetic, result: float, fmt: NumberFormat) -> NumberFormat:
    """The operands' format as the module's docstring defines it, found by exact decimal arithmetic
    alone (no float64 bound, nothing kept): the fewest guard digits whose numbers redo the printed
    result within 0.499 of a unit; else within 0.9 of one; else within 0.9 % of it; else none."""
    target = written(result, fmt)
    if not target.finite:
        return fmt
    tests = ((False, 0.499), (False, 0.9), (True, 0.9))
    values = [redone(arithmetic, _text(fmt.guarded(guard))) for guard in range(numbers.MAX_GUARD + 1)]
    if values[0] is None:
        return fmt
    for relative, margin in tests:
        for guard, value in enumerate(values):
            if value is not None and numbers.redoes(value, target, fmt, relative=relative, margin=margin):
                return fmt.guarded(guard)
    return fmt


@pytest.mark.parametrize("example", ["paper", "softplus", "paper-adam", "biomarker-xor"])
@pytest.mark.parametrize("fmt", [NumberFormat(0), NumberFormat(2), NumberFormat(4, digits=2)])
def test_the_operands_format_is_the_one_exact_arithmetic_chooses(example, fmt):
    # the search decides most guards in float64, reads each number once a format, and redoes
    # exactly only what the bound leaves open: it chooses what exact arithmetic alone chooses
    chosen = []
    for line in element_lines(CONFIGS / f"{example}.yaml", epochs=1):
        if line.arithmetic is None:
            continue
        found = numbers._operand_format(line.arithmetic, line.result, fmt)
        assert found == _exactly_chosen(line.arithmetic, line.result, fmt), line
        chosen.append(found.guard)
    assert chosen and max(chosen) > 0  # guard digits were needed, and found


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks(), st.sampled_from([1e-6, 1.0, 1e4]), st.sampled_from([NumberFormat(1), NumberFormat(3, digits=3)]))
def test_the_operands_format_of_random_networks_is_the_one_exact_arithmetic_chooses(spec, scale, fmt):
    spec["inputs"] = [[value * scale for value in row] for row in spec["inputs"]]
    for line in element_lines(spec, epochs=1):
        if line.arithmetic is not None:
            assert numbers._operand_format(line.arithmetic, line.result, fmt) == _exactly_chosen(
                line.arithmetic, line.result, fmt)  # fmt: skip


@pytest.mark.parametrize("example", ["paper", "softmax", "tanh-relu-mse", "paper-adam"])
def test_a_lines_bound_from_numbers_read_once_is_its_bound_from_their_text(example):
    # the operands' search reads each number at a format once (numbers._guards), not its text each
    # time: bit for bit the bound redone_bounded gives from the numbers' text, at every guard
    fmt = NumberFormat(3)
    for line in element_lines(CONFIGS / f"{example}.yaml", epochs=1):
        if line.arithmetic is None:
            continue
        for guard, (guarded, read) in enumerate(numbers._guards(fmt)):
            assert guarded == fmt.guarded(guard)
            from_text = redone_bounded(line.arithmetic, _text(guarded))
            assert bounded(line.arithmetic, read) == from_text == bounded(line.arithmetic, read), (line, guard)


VALUES = [0.0, -0.0, 1.0, -3.0, 2.0**52 + 1, 0.5, -0.0348, 1 / 3, 0.0004999, 0.0005001, 2.4e-6, -7.5e-300,
          123456.789, 999999999999.5, 1e12, -3.2e15, 1e300, math.inf, -math.inf]  # fmt: skip


@pytest.mark.parametrize("fmt", [NumberFormat(0), NumberFormat(3), NumberFormat(2, digits=3)])
def test_a_number_is_read_as_its_text_whether_computed_or_given_exactly(fmt):
    # kept by value, a number given exactly and one computed are still read apart (1/3 given is
    # 0.333333, computed at 3 decimals 0.333), and 1, 1.0 and True alike
    for guarded, read in numbers._guards(fmt):
        for value in VALUES + [1, True, np.float64(0.0348)]:
            for exactly in (False, True):
                text = (numbers.exact(value) if exactly else written(value, guarded)).plain()
                number = Num(value, exactly)
                assert read(number) == arithmetic.read(text) == read(number), (value, exactly, guarded)
    assert numbers._guards(fmt)[0][1](Num(1 / 3, True)) != numbers._guards(fmt)[0][1](Num(1 / 3))


def test_a_numbers_nan_is_read_as_nan():
    read = numbers._guards(NumberFormat(3))[0][1]
    value, error = read(Num(math.nan))
    assert math.isnan(value) and math.isnan(error)


def test_a_lines_operands_format_is_kept_by_the_line_its_result_and_its_format():
    # 0.0348 + 0.0325 - 0.1313 = -0.064 needs a guard digit at 3 decimals (0.035 + 0.033 - 0.131 is
    # -0.063), none at 4 (-0.0640): asked again with another format or result, it is found again
    line = Seq((Num(0.0348), Op.PLUS, Num(0.0325), Op.MINUS, Num(0.1313)))
    result = 0.0348 + 0.0325 - 0.1313
    assert numbers.operand_format(line, result, NumberFormat(3)) == NumberFormat(3, guard=1)
    assert numbers.operand_format(line, result, NumberFormat(4)) == NumberFormat(4)
    assert numbers.operand_format(line, result, NumberFormat(3)) == NumberFormat(3, guard=1)
    assert numbers.operand_format(line, 0.5, NumberFormat(3)) == NumberFormat(3)  # (nothing redoes 0.5)


def test_a_sequence_is_bounded_as_written():
    # products bind before sums, of any product sign; a leading sign is its term's; a sign with no
    # term after it, or an operator that is not arithmetic, leaves the line to exact arithmetic
    def text(number):
        return repr(number.value)

    line = Seq((Num(2.0), Op.PRODUCT, Num(3.0), Op.MINUS, Num(1.0), Op.HADAMARD, Num(4.0), Op.PLUS,
                Num(0.5), Op.IMPLICIT, Group(Seq((Num(1.0), Op.MINUS, Num(3.0))))))  # fmt: skip
    value, error = redone_bounded(line, text)
    assert value == 1.0 and 0 < error < 1e-13
    assert redone_bounded(Seq((Op.MINUS, Num(0.5))), text) == (-0.5, 2.0**-53)
    assert redone_bounded(Seq((Num(1.0), Op.PLUS, Op.PLUS, Num(1.0))), text) is None
    assert redone_bounded(Seq((Num(1.0), Op.MINUS)), text) is None
    assert redone_bounded(Seq((Num(1.0), Op.EQUALS, Num(1.0))), text) is None
    assert redone_bounded(Seq(()), text) is None
