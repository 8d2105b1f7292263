"""Exercise templates and the variants drawn from them (issue 23): the template format and its
errors, one variant per student fixed by the exam's seed and the id, the checks every variant
passes, and the key and slip values of each blank, against numbers worked out by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest
from conftest import CONFIGS
from plain_training import FUNCTIONS, cell, epochs

from nntrace.common.errors import SpecError
from nntrace.exercises.template import load_template, parse_template
from nntrace.exercises.variants import make_variant, make_variants, numbered, read_roster

# The paper's network with nothing drawn: its numbers are the README's and the paper's.
PAPER_SPEC = """
spec:
  inputs: [[1, 0, 1, 0], [1, 0, 1, 1], [0, 1, 0, 1]]
  targets: [[1], [1], [0]]
  learning_rate: 0.1
  layers:
    - weights: [[0.42, 0.88, 0.55], [0.10, 0.73, 0.68], [0.60, 0.18, 0.47], [0.92, 0.11, 0.52]]
      biases: [0.46, 0.72, 0.08]
    - weights: [[0.30], [0.25], [0.23]]
      biases: [0.69]
"""

DRAWN = """
seed: 7
spec:
  inputs: [[1, 0, 1, 0], [1, 0, 1, 1], [0, 1, 0, 1]]
  targets: [[1], [1], [0]]
  learning_rate: 0.1
  activation: {choose: [sigmoid, tanh]}
  layers:
    - weights: {uniform: [-0.9, 0.9], decimals: 2, shape: [4, 3]}
      biases: [{uniform: [-0.5, 0.5], decimals: 1}, 0.25, 0.125]
    - weights: {uniform: [-0.9, 0.9], decimals: 2, shape: [3, 1]}
      biases: [0.5]
ask: [H_out, {quantity: δ_out, decimals: 4}]
"""


def paper(ask: str, **settings) -> object:
    extra = "".join(f"{key}: {value}\n" for key, value in settings.items())
    return parse_template(PAPER_SPEC + f"ask: {ask}\n" + extra)


def test_a_key_is_the_true_value_at_the_asked_decimals():
    variant = make_variant(paper("['H_in[2,3]', 'H_out[2,1]', {quantity: δ_out, decimals: 4}]"), "s1")
    key = variant.key
    # H_in[2,3] = 0.55 + 0.68 + 0.52 + 0.08 (the paper's typo printed 1.452)
    assert key["H_in[2,3]"] == "1.620"  # 1*0.55 + 0*0.68 + 1*0.47 + 1*0.52 + 0.08
    assert key["H_out[2,1]"] == "0.917"  # 1/(1+e^-2.40) = 0.91683
    # δ_out = (y − o)·o(1 − o): 0.03503, 0.03254, −0.13125 (the README's deltas)
    assert [key[f"delta_out[{i},1]"] for i in (1, 2, 3)] == ["0.0350", "0.0325", "-0.1313"]


def test_each_blank_carries_the_values_the_catalogued_slips_give():
    variant = make_variant(paper("[{quantity: 'δ_out[1,1]', decimals: 4}]"), "s1")
    (blank,) = variant.blanks
    by_kind = {}
    for slip in blank.slips:
        by_kind.setdefault(slip.kind, []).append(round(slip.value, 5))
    # By hand (math.exp): H_out[1] = σ(1.48, 1.78, 1.10) = 0.814573, 0.855697, 0.750260; O_in =
    # 0.3·0.814573 + 0.25·0.855697 + 0.23·0.750260 + 0.69 = 1.320856; o = σ(O_in) = 0.789324;
    # E = 0.210676; σ′ = o(1 − o) = 0.166292; δ = E·σ′ = 0.035034
    assert by_kind["sign"] == [-0.03503]
    assert sorted(by_kind["half"]) == [0.01752, 0.07007]  # ½ applied twice; ½ dropped
    assert by_kind["no-derivative"] == [0.21068]  # δ = E
    # the point moved left gives δ/10, which η = 0.1 folded into δ gives too: listed once, as the first
    assert by_kind["point-moved"] == [0.35034] and by_kind["folded-rate"] == [0.0035]
    assert 0.03254 in by_kind["neighbour"]  # δ_out[2,1]
    assert blank.window == pytest.approx(1e-4)
    assert blank.slip_for(-0.0350).kind == "sign"
    assert blank.slip_for(0.0350) is None and blank.right(0.0350) and blank.right(0.0351)
    assert not blank.right(0.0352)


def test_the_same_student_always_gets_the_same_variant_whoever_else_is_on_the_roster():
    template = parse_template(DRAWN)
    alone = make_variant(template, "alice")
    in_class = make_variants(template, [("bob", ""), ("carol", ""), ("alice", "")])
    assert in_class[2].spec_document == alone.spec_document and in_class[2].key == alone.key
    assert in_class[0].spec_document != in_class[2].spec_document
    another_exam = make_variant(parse_template(DRAWN.replace("seed: 7", "seed: 8")), "alice")
    assert another_exam.spec_document != alone.spec_document


def test_drawn_numbers_carry_the_templates_decimals_and_lie_in_their_ranges():
    for variant in make_variants(parse_template(DRAWN), numbered(20)):
        layers = variant.spec_document["layers"]
        weights = np.array(layers[0]["weights"] + layers[1]["weights"], dtype=object)
        for value in [w for row in layers[0]["weights"] + layers[1]["weights"] for w in row]:
            assert -0.9 <= value <= 0.9 and round(value, 2) == value
        bias = layers[0]["biases"][0]
        assert -0.5 <= bias <= 0.5 and round(bias, 1) == bias and layers[0]["biases"][1:] == [0.25, 0.125]
        assert variant.spec_document["activation"] in ("sigmoid", "tanh")
        assert weights.shape == (7,)
        assert variant.precision == 4  # the δ asked at 4 decimals; givens at 2


def test_no_variant_has_a_saturated_unit_or_a_slip_that_reads_as_right():
    for variant in make_variants(parse_template(DRAWN), numbered(20)):
        # the variant's numbers redone by a plain numpy loop (tests/plain_training.py): every unit's
        # slope f′ at least the template's default saturation, 0.01, for every sample
        (plain,) = epochs(variant.spec_document, 1)
        _, slope = FUNCTIONS[variant.spec_document["activation"]]
        assert np.all(plain["slope_h"] >= 0.01) and np.all(slope(plain["O_out"]) >= 0.01)
        for blank in variant.blanks:
            value = cell(plain, blank.id)
            window = {"H_out": 0.001, "delta_out": 0.0001}[blank.id.split("[")[0]]  # 3 and 4 decimals asked
            assert blank.value == pytest.approx(value, abs=1e-12) and blank.window == window
            for slip in blank.slips:
                assert abs(slip.value - blank.value) > blank.window or slip.kind in (
                    "cut",
                    "dropped-digit",
                    "swapped-digits",
                )
                assert abs(slip.value - value) > window or slip.kind in ("cut", "dropped-digit", "swapped-digits")


def test_a_saturating_template_is_refused_with_its_reason():
    text = DRAWN.replace(
        "{uniform: [-0.9, 0.9], decimals: 2, shape: [4, 3]}", "{uniform: [8, 9], decimals: 1, shape: [4, 3]}"
    )
    template = parse_template(text.replace("seed: 7", "seed: 7\nredraws: 5"))
    with pytest.raises(SpecError) as error:
        make_variant(template, "alice")
    assert "no draw of 5 for 'alice'" in error.value.problem and "saturated unit in layer" in error.value.problem


def test_an_answer_an_lms_cannot_grade_is_refused_and_scale_lifts_it():
    # δ_out[2,1] = 0.03254; with smallest: 0.1 no draw passes, and scale: 1000 asks 32.54
    template = paper("[{quantity: 'δ_out[2,1]', decimals: 2}]", smallest=0.1, redraws=3)
    with pytest.raises(SpecError) as error:
        make_variant(template, "s")
    assert "below 0.1, which an LMS grades as 0 (Canvas zeroes answers under 1e-4)" in error.value.problem
    scaled = make_variant(paper("[{quantity: 'δ_out[2,1]', decimals: 2, scale: 1000}]", smallest=0.1), "s")
    assert scaled.key == {"delta_out[2,1]": "32.54"}


@pytest.mark.parametrize(
    "text, field, words",
    [
        ("spec: 3\nask: [H_out]", "spec", "expected the network's spec as a mapping"),
        (PAPER_SPEC + "ask: []", "ask", "expected a list of asked quantities"),
        (PAPER_SPEC + "ask: [H_out]\nsede: 3", "sede", "is not a key of an exercise template"),
        (PAPER_SPEC + "ask: [{quantity: H_out, decimals: 12}]", "ask[1].decimals", "from 0 to 8"),
        (PAPER_SPEC + "ask: [H_out]\ngive: [weights, answers]", "give", "found 'answers'"),
        (
            PAPER_SPEC.replace("[0.69]", "[{uniform: [1, 0], decimals: 2}]") + "ask: [H_out]",
            "spec.layers[2].biases[1].uniform",
            "lo < hi",
        ),
        (
            PAPER_SPEC.replace("[0.69]", "[{uniform: [0, 1]}]") + "ask: [H_out]",
            "spec.layers[2].biases[1]",
            "needs the decimals",
        ),
    ],
)
def test_a_bad_template_names_its_field(text, field, words):
    with pytest.raises(SpecError) as error:
        parse_template(text)
    assert error.value.field == field and words in error.value.problem and error.value.fix


def test_an_unknown_or_out_of_range_quantity_is_refused_naming_the_ask():
    for ask, words in (("[H_oot]", "'H_oot' is not a quantity of this network"), ("['H_out[4,1]']", "out of range")):
        with pytest.raises(SpecError) as error:
            make_variant(paper(ask), "s")
        assert error.value.field == "ask[1]" and words in error.value.problem


def test_a_number_asked_twice_is_refused_naming_both_asks():
    with pytest.raises(SpecError) as error:
        make_variant(paper("[H_out, 'H_out[2,1]']"), "s")
    assert error.value.field == "ask[2]" and "asks H_out[2,1] of epoch 1 again (ask[1] asks it)" in error.value.problem


def test_each_ask_keeps_its_own_decimals():
    variant = make_variant(paper("['δ_out[1,1]', {quantity: 'δ_out[2,1]', decimals: 5}]"), "s1")
    assert variant.key == {"delta_out[1,1]": "0.035", "delta_out[2,1]": "0.03254"}


def test_a_roster_with_a_duplicate_id_is_refused_naming_both_lines(tmp_path):
    roster = tmp_path / "class.csv"
    roster.write_text("id,name\n101,Ada\n102,Ben\n101,Cy\n", encoding="utf-8")
    with pytest.raises(SpecError) as error:
        read_roster(roster)
    assert error.value.field.endswith("line 4") and "'101' is also on line 2" in error.value.problem
    roster.write_text("id,name\n101,Ada\n102,Ben\n", encoding="utf-8")
    assert read_roster(roster) == [("101", "Ada"), ("102", "Ben")]


@pytest.mark.parametrize("name", ["paper-exercise", "classic-2-2-2-exercise"])
def test_the_shipped_templates_make_a_class_of_thirty(name):
    template = load_template(CONFIGS / f"{name}.yaml")
    variants = make_variants(template, numbered(30))
    assert len({str(v.spec_document) for v in variants}) == 30
    assert all(math.isfinite(blank.value) and abs(blank.value) >= 1e-4 for v in variants for blank in v.blanks)


def test_a_dead_relu_unit_is_refused_unless_allowed():
    # inputs of 0 and 1 and weights from -0.9 to -0.5 with bias 0: every hidden z < 0, σ′ = 0 for
    # every sample: each hidden unit is dead
    text = """
spec:
  inputs: [[1, 0], [0, 1], [1, 1]]
  targets: [[1], [0], [1]]
  learning_rate: 0.1
  layers:
    - weights: {uniform: [-0.9, -0.5], decimals: 2, shape: [2, 2]}
      biases: [0, 0]
      activation: relu
    - weights: {uniform: [0.2, 0.9], decimals: 2, shape: [2, 1]}
      biases: [0.5]
ask: ['O_out[1,1]']
redraws: 3
"""
    with pytest.raises(SpecError) as error:
        make_variant(parse_template(text), "s")
    assert "a dead unit in layer" in error.value.problem and "(3 of 3 draws)" in error.value.problem
    variant = make_variant(parse_template(text + "allow_dead: true\n"), "s")
    assert variant.key == {"O_out[1,1]": "0.622"}  # σ(0.5): the hidden layer gives 0


def test_a_sum_that_cancels_to_rounding_noise_is_redrawn():
    # -0.30 + 0.69 - 0.39 is 0, but float64 makes it -5.6e-17: the key would print that, and its
    # operands with twenty digits, for a number that is 0 by hand
    text = """
spec:
  inputs: [[1, 1, 1], [1, 0, 1], [0, 1, 1]]
  targets: [[1], [0], [1]]
  learning_rate: 0.1
  layers:
    - weights: [[-0.30], [0.69], [-0.39]]
      biases: [0]
    - weights: {uniform: [0.2, 0.9], decimals: 2, shape: [1, 1]}
      biases: [0.5]
ask: ['O_out[1,1]']
redraws: 3
"""
    assert -0.30 + 0.69 - 0.39 == pytest.approx(-5.55e-17, rel=0.01)
    with pytest.raises(SpecError) as error:
        make_variant(parse_template(text), "s")
    assert "cancels to rounding noise" in error.value.problem and "(3 of 3 draws)" in error.value.problem
    # the same sum that does not cancel (-0.30 + 0.69 - 0.38 = 0.01) makes a variant
    variant = make_variant(parse_template(text.replace("-0.39", "-0.38")), "s")
    assert variant.blanks[0].label == "O_out[1,1]"


def test_a_key_works_the_steps_as_far_as_the_questions_go():
    from nntrace.exercises.sheets import sheet, worked

    def headings(ask: str) -> list[str]:
        template = paper(ask)
        variant = make_variant(template, "s")
        text = sheet(template, variant, worked(variant), "markdown", answers=True)
        return [line for line in text.splitlines() if line.startswith("### Step")]

    # H_out is the paper's Step 3; its key stops there, not at the hidden layer's update (Step 11)
    assert [h.split(" · ")[0] for h in headings("['H_out[1,1]']")] == ["### Step 1", "### Step 2", "### Step 3"]
    assert headings("[δ_out]")[-1] == "### Step 7 · Output delta"
    assert headings("[E]")[-1] == "### Step 5 · Error at the output"
    # a quantity no step has as its result (a change ΔW, the loss) could be worked anywhere: whole
    assert len(headings("['H_out[1,1]', {quantity: Delta_W_out, decimals: 4, scale: 100}]")) == 11
    assert len(headings("['H_out[1,1]', L]")) == 11


def test_making_a_class_reports_each_student_made():
    told = []
    made = make_variants(paper("['H_out[1,1]']"), numbered(3), progress=told.append)
    assert told == [1, 2, 3] and [variant.student for variant in made] == ["v1", "v2", "v3"]


def test_the_slips_of_a_network_are_worked_out_once_for_all_its_numbers():
    """A class's variants share the catalogue's slips (which apply, and their words), their steps and
    their claims when their networks differ in nothing but their numbers; a setting or a shape tells
    them apart."""
    from nntrace.exercises.variants import _structure
    from nntrace.spec.validate import spec_from_document

    def spec(weights=((0.1, 0.2), (0.3, 0.4)), rate=0.1, alpha=None, inputs=((1, 0),)):
        first = {"activation": "elu", "weights": [list(row) for row in weights], "biases": [0, 0]}
        if alpha is not None:
            first["alpha"] = alpha
        second = {"weights": [[0.5], [0.6]], "biases": [0]}
        return spec_from_document({"inputs": [list(row) for row in inputs], "targets": [[1]] * len(inputs),
                                   "learning_rate": rate, "layers": [first, second]}, source="x")  # fmt: skip

    assert _structure(spec()) == _structure(spec(weights=((-0.7, 0.2), (0.3, 0.9)), inputs=((0, 1),)))
    assert _structure(spec()) != _structure(spec(alpha=0.5))
    assert _structure(spec()) != _structure(spec(rate=0.5))
    assert _structure(spec()) != _structure(spec(inputs=((1, 0), (0, 1))))


def test_xml_text_is_escaped_as_the_standard_library_escapes_it():
    import random
    from xml.sax.saxutils import escape

    from nntrace.exercises.lms import xml_escape

    draw = random.Random(3)
    for _ in range(5000):
        text = "".join(draw.choice("&<>\"'ab€\n;") for _ in range(draw.randint(0, 12)))
        assert xml_escape(text) == escape(text), text
    assert xml_escape("a < b & c > d") == "a &lt; b &amp; c &gt; d"
