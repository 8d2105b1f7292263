"""Element arithmetic written by its form (writers/forms.py) is the arithmetic written directly.

A writer walks the first line of each form with marks for the digits and fills in the later ones:
every element line of many networks (every activation, loss and optimiser, random weights of both
signs, numbers with powers of ten, exact givens) is written by each writer both ways, the forms
kept across all of them, and must come out the same, character for character."""

from __future__ import annotations

import pytest
from conftest import CONFIGS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_redo_by_hand import networks

import nntrace
from nntrace.documents.markdown import MarkdownWriter
from nntrace.notation.nodes import Expansion, Num, Op, Q, Seq, Signed, Sym
from nntrace.notation.numbers import NumberFormat
from nntrace.solution.explain import explain, parse_parameter
from nntrace.writers import forms, printer
from nntrace.writers.latex import LatexWriter
from nntrace.writers.latex_width import LatexHeight, LatexWidth
from nntrace.writers.mathml import MathMLWriter
from nntrace.writers.speech import SpeechWriter
from nntrace.writers.typst import TypstWriter
from nntrace.writers.unicode import UnicodeWriter

WRITERS = (UnicodeWriter, LatexWriter, MarkdownWriter, TypstWriter, MathMLWriter, SpeechWriter, LatexWidth, LatexHeight)
FORMATS = (NumberFormat(3), NumberFormat(2), NumberFormat(4, digits=3))


def writers(numbers: NumberFormat, formed: bool) -> list:
    out = []
    for kind in WRITERS:
        writer = kind(numbers)
        writer.formed = formed  # an instance's own: the direct writer walks every line
        out.append(writer)
    return out


def formulas(spec) -> list:
    """Every expression a solution of the spec writes in symbols: each equation's two sides and each
    element line's target and formula."""
    trace = nntrace.trace(spec, options=nntrace.RenderOptions(expand=True))
    found: list = []

    def keep(solution):
        for step in solution.steps:
            for equation in step.equations:
                found.extend([equation.lhs, equation.expr])
        for line in _lines_of(solution):
            found.extend(part for part in (line.target, line.formula) if part is not None)

    trace.train(trace.network(), 1, shown=_all(1), on_solution=keep)
    return found


def element_lines(spec, epochs: int = 2) -> list[Expansion]:
    """Every element line of the spec's first epochs: the steps', and the chain rule of two parameters."""
    trace = nntrace.trace(spec, options=nntrace.RenderOptions(expand=True))
    lines: list[Expansion] = []
    network = trace.network()
    records = []
    trace.train(network, epochs, shown=_all(epochs),
                on_solution=lambda solution: lines.extend(_lines_of(solution)), recorded=_all(epochs),
                on_record=records.append)  # fmt: skip
    for record in records[:2]:
        for name in ("W_out[1,1]", "b_out[1]"):
            try:
                parameter = parse_parameter(name, network, trace.spec.layout)
            except ValueError:
                continue
            explanation = explain(network, record, parameter, trace.spec.layout)
            lines += [explanation.total, *explanation.paths, *explanation.updates]
    return lines


def _all(epochs: int):
    from nntrace.common.epochs import EpochSelection

    return EpochSelection.of(("all",), epochs, "--epochs")


def _lines_of(solution) -> list[Expansion]:
    return [line for step in solution.steps for equation in step.equations for expansions in equation.expansions
            for line in (expansions.shown if hasattr(expansions, "shown") else (expansions,))]  # fmt: skip


def assert_formed_as_written(lines: list[Expansion]) -> int:
    """Each line by every writer at every format, by form and directly: the same. Returns how many
    lines were written by a form another line made."""
    reused = 0
    for numbers in FORMATS:
        for formed, direct in zip(writers(numbers, True), writers(numbers, False)):
            for line in lines:
                before = len(printer._TEMPLATES)
                assert formed._element_line(line) == direct._element_line(line), (type(formed).__name__, line)
                # and cut into pieces, as a page too narrow for the line breaks it (each piece by the form)
                assert formed.element_sides(line, pieces=True) == direct.element_sides(line, pieces=True), (
                    type(formed).__name__, line)
                reused += len(printer._TEMPLATES) == before
    return reused


@pytest.mark.parametrize("example", ["paper", "elu", "silu", "softmax", "softplus", "tanh-relu-mse", "two-hidden",
                                     "classic-2-2-2-rows", "paper-adam", "paper-momentum", "classic-2-2-2-columns", "essay-one-neuron",
                                     "biomarker-xor"])  # fmt: skip
def test_every_shipped_examples_lines_are_written_by_form_as_directly(example):
    lines = element_lines(CONFIGS / f"{example}.yaml")
    assert lines
    assert assert_formed_as_written(lines) > 0


@pytest.mark.parametrize("example", ["paper", "softmax", "paper-adam", "two-hidden", "essay-one-neuron"])
def test_formulas_are_written_by_form_as_directly(example):
    expressions = formulas(CONFIGS / f"{example}.yaml")
    for numbers in FORMATS:
        for formed, direct in zip(writers(numbers, True), writers(numbers, False)):
            for expr in expressions:
                assert formed.symbols(expr) == direct.symbols(expr), (type(formed).__name__, expr)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks(), st.sampled_from([1e-7, 1e-3, 1.0, 1e4]))
def test_random_networks_lines_are_written_by_form_as_directly(spec, scale):
    # scaled inputs put powers of ten (2.4 × 10⁻⁶) and their brackets into the arithmetic
    spec["inputs"] = [[value * scale for value in row] for row in spec["inputs"]]
    assert_formed_as_written(element_lines(spec, epochs=1))


def product_sum(*pairs) -> Seq:
    """x1 × w1 + x2 × w2 + ...: given inputs times computed weights."""
    items: list = []
    for x, w in pairs:
        items += ([Op.PLUS] if items else []) + [Seq((Q(Sym("x"), x, exact=True), Op.PRODUCT, Signed(Num(w))))]
    return Seq(tuple(items))


def test_lines_that_differ_only_in_digits_share_a_form():
    fmt = NumberFormat(3)
    first, second = forms.form_of(product_sum((1, 0.21), (0, -0.3)), fmt), forms.form_of(product_sum((1, 0.5), (0, -0.7)), fmt)
    assert first.shape == second.shape
    assert first.digits == ("1", "0.210", "0", "0.300") and second.digits == ("1", "0.500", "0", "0.700")
    # digits of 1 are written apart (10⁻⁸, not 1 × 10⁻⁸): a 1 is part of the form
    assert forms.form_of(product_sum((0, 0.21), (0, -0.3)), fmt).shape != first.shape
    # the sign decides a bracket: another form
    assert forms.form_of(product_sum((1, 0.21), (0, 0.3)), fmt).shape != first.shape
    # a digit's width is every digit's: 0.210 and 0.570 measure alike, 12.5 does not
    assert forms.form_of(product_sum((1, 0.57), (0, -0.9)), fmt).measured == first.measured
    assert forms.form_of(product_sum((1, 12.5), (0, -0.9)), fmt).measured != first.measured


def test_a_filled_form_is_the_line_written_directly():
    latex = LatexWriter(NumberFormat(3))
    direct = LatexWriter(NumberFormat(3))
    direct.formed = False
    for pairs in (((1, 0.21), (0, -0.3)), ((0, 0.5), (1, -0.7)), ((1, 2.5e-6), (2, -0.003))):
        expr = product_sum(*pairs)
        assert latex.arithmetic(expr, NumberFormat(3)) == direct.values(expr, NumberFormat(3))
    # written by hand: the second line from the first's form
    assert latex.arithmetic(product_sum((1, 0.5), (0, -0.7)), NumberFormat(3)) == r"1 \times 0.500 + 0 \times \left(-0.700\right)"


def test_a_power_of_ten_with_digits_of_one_is_kept_in_the_form():
    # a given 10⁻⁸ is written without "1 ×": digits of 1 are part of the form, not a mark
    fmt = NumberFormat(3)
    one, two = Q(Sym("epsilon"), 1e-8, exact=True), Q(Sym("epsilon"), 2e-8, exact=True)
    assert forms.form_of(one, fmt).shape != forms.form_of(two, fmt).shape
    assert UnicodeWriter(fmt).arithmetic(one, fmt) == ["10⁻⁸"]
    assert UnicodeWriter(fmt).arithmetic(two, fmt) == ["2 × 10⁻⁸"]


def test_an_expression_with_a_whole_matrix_has_no_form():
    import numpy as np

    assert forms.form_of(Seq((Q(Sym("W"), np.ones((2, 2))), Op.PLUS, Num(1.5))), NumberFormat(3)) is None


def test_a_formula_of_matrices_and_the_same_of_numbers_are_written_apart():
    # element by element: a ⊙ b between matrices, a b (juxtaposed) between numbers: one symbol, two forms
    import numpy as np

    def product(value):
        return Seq((Q(Sym("a"), value), Op.HADAMARD, Q(Sym("b"), value)))

    latex = LatexWriter(NumberFormat(3))
    assert latex.symbols(product(np.ones((2, 2)))) == r"a \odot b"
    assert latex.symbols(product(0.5)) == "ab"


def test_no_slot_mark_is_read_as_a_space_or_a_line_break():
    # the speech writer splits at spaces, documents at line breaks: a slot's character must be neither
    for slot in range(forms.MAX_SLOTS + 1):
        character = forms.mark(slot)[1]
        assert not character.isspace() and len(f"a{character}b".splitlines()) == 1, hex(ord(character))


def test_an_exponent_is_marked_unless_it_is_said_squared():
    from nntrace.notation.nodes import Frac, Group, Power

    fmt = NumberFormat(3)

    def sigmoid(z):  # 1 / (1 + e^z), z computed
        return Frac(Num(1, exact=True), Group(Seq((Num(1, exact=True), Op.PLUS, Power(Sym("e"), Num(z))))))

    # every sigmoid's line is of one form, its exponent's digits filled in (but not its sign)
    assert forms.form_of(sigmoid(-0.491), fmt).shape == forms.form_of(sigmoid(-1.25), fmt).shape
    assert forms.form_of(sigmoid(-0.491), fmt).shape != forms.form_of(sigmoid(0.491), fmt).shape
    assert forms.form_of(sigmoid(-0.491), fmt).digits == ("0.491",)
    latex = LatexWriter(fmt)
    assert latex.arithmetic(sigmoid(-0.491), fmt) == r"\frac{1}{1 + e^{-0.491}}"
    assert latex.arithmetic(sigmoid(-1.25), fmt) == r"\frac{1}{1 + e^{-1.250}}"
    # an exponent of 2 is said "squared": its digits are the form's, whatever was written before
    speech = SpeechWriter(fmt)
    assert forms.form_of(Power(Sym("e"), Num(2.0)), fmt).shape != forms.form_of(Power(Sym("e"), Num(2.5)), fmt).shape
    assert speech.arithmetic(Power(Sym("e"), Num(2.5)), fmt) == "e to the power 2.500"
    assert speech.arithmetic(Power(Sym("e"), Num(2.0)), fmt) == "e squared"
    assert speech.arithmetic(Power(Sym("e"), Num(3.0)), fmt) == "e to the power 3"
