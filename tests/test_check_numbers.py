"""`nntrace check` on the numbers people really print (issue 24): no crash, exact ties, δ under
cross-entropy carried into the pass, causes that fit the whole file, consequences judged at the
claim's precision, Python's long floats, the new slips and claimable quantities; and the claims
file hardened (issue 26): superscript digits, huge exponents, epochs out of reach, long names.

Every expected number is worked out here by hand (or by Python's math on the spec's own numbers),
not by nntrace's engine.
"""

from __future__ import annotations

import decimal
import json
import math

import numpy as np
import pytest
from conftest import CONFIGS

from nntrace import api

PAPER = (CONFIGS / "paper.yaml").as_posix()
MAZUR = (CONFIGS / "classic-2-2-2-rows.yaml").as_posix()
SOFTMAX = (CONFIGS / "softmax.yaml").as_posix()

# One linear neuron: O = 1.0 x 0.47 = 0.47, E = 0.5025 - 0.47 = 0.0325,
# W_out+ = 0.47 + 0.1 x 1.0 x 0.0325 = 0.47325 exactly: a tie, 0.4733 by hand.
TIE_SPEC = """spec:
  inputs: [[1.0]]
  targets: [[{target}]]
  activation: linear
  learning_rate: 0.1
  layers:
    - {{weights: [[0.47]], biases: [0]}}
"""
# One sigmoid unit under cross-entropy: z = 0, O = 0.5, E = 0 - 0.5 = -0.5 = δ_out, σ′(O) = 0.25.
CROSS_ENTROPY = """spec:
  inputs: [[0]]
  targets: [[0]]
  loss: cross_entropy
  learning_rate: 0.1
  layers:
    - {weights: [[0.5]], biases: [0]}
"""


def claims(tmp_path, text: str, name: str = "claims.yaml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def wrong(report) -> dict:
    return {v.label: v for v in report.wrong}


def kinds(verdict) -> list[str]:
    return [cause.kind for cause in verdict.causes]


# --- the crash ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["slope_O", "σ′(O)"])
def test_the_output_slope_under_cross_entropy_is_judged_not_a_crash(cli, tmp_path, name):
    # Before: KeyError: 'slope_O', a traceback and exit 1.
    result = cli("check", claims(tmp_path, CROSS_ENTROPY + f"claims:\n  - {name}: 0.25\n"))
    assert result.exit_code == 0, result.output
    assert "The one claimed number is right." in result.stdout


def test_softmax_slope_under_cross_entropy_is_refused_with_what_to_claim_instead(cli, tmp_path):
    body = f"spec: {SOFTMAX}\nclaims:\n  - softmax′(O)[1,1]: 0.25\n"
    result = cli("check", claims(tmp_path, body))
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "softmax′(O) is not computed" in result.stderr and "claim δ_out" in result.stderr


# --- exact decimal ties --------------------------------------------------------------------------


def test_an_exact_tie_is_rounded_away_from_zero(tmp_path):
    # Before: "printed 0.4733, correct 0.4732" (float64 holds 0.47324999999999995).
    report = api.check(claims(tmp_path, TIE_SPEC.format(target=0.5025) + "claims:\n  - W_out+: 0.4733\n"))
    assert not report.wrong
    report = api.check(claims(tmp_path, TIE_SPEC.format(target=0.5025) + "claims:\n  - W_out+: 0.4732\n"))
    assert [v.correct_text for v in report.wrong] == ["0.4733"]


def test_a_tie_under_round_printed_keeps_a_consequence_a_consequence(tmp_path):
    # y = 0.6, so E is 0.13; the file prints E = 0.0325 (wrong) and W_out+ from it:
    # 0.47 + 0.1 x 1.0 x 0.0325 = 0.47325, a tie: 0.4733 follows from the wrong E.
    body = TIE_SPEC.format(target=0.6) + "round: printed\nclaims:\n  - O_out: 0.47\n    E: 0.0325\n    W_out+: 0.4733\n"
    report = api.check(claims(tmp_path, body))
    assert [v.label for v in report.first_errors] == ["E[1,1]"]
    assert wrong(report)["W_out⁺[1,1]"].follows == ("E[1,1]",)


# --- δ_out under cross-entropy --------------------------------------------------------------------


def test_the_output_delta_under_cross_entropy_is_carried_into_the_pass(tmp_path):
    # δ_out = E there: a δ_out written ten times too big gives the gradient that follows from it.
    # Sample 1 alone: z = 0, O = 0.5, δ_out = -0.5 (written -5.0); −∂L/∂W_out = x · δ = 0 for x = 0,
    # so take x = 2: −∂L/∂W_out = 2 x (-5.0) = -10.0 from the written delta (true: -1.0).
    body = CROSS_ENTROPY.replace("[[0]]\n  targets", "[[2]]\n  targets").replace("weights: [[0.5]]", "weights: [[0]]")
    report = api.check(claims(tmp_path, body + "claims:\n  - δ_out: -5.0\n    dW_out: -10.0\n"))
    # Before: two unrelated first errors, the gradient first.
    assert [v.label for v in report.first_errors] == ["δ_out[1,1]"]
    assert report.consequences(report.first_errors[0])[0].label == "−∂L/∂W_out[1,1]"
    assert report.first_errors[0].causes[0].kind == "point-moved"


# --- causes that fit the whole file -----------------------------------------------------------------


def test_a_cause_that_a_right_claim_rules_out_is_not_named(tmp_path):
    # Epoch 2's outputs copied from epoch 1 (0.789, 0.798, 0.789; epoch 2 gives 0.786, 0.795, 0.786),
    # with epoch 1's updated output weights right. Before: "the learning rate folded into the output
    # delta; ... applied twice", which the right W_out+ (0.295 = 0.30 + 0.1 x -0.048...) rules out.
    body = (
        f"spec: {PAPER}\nclaims:\n  - epoch: 1\n    O_out: [0.789, 0.798, 0.789]\n"
        "    W_out+: [0.295, 0.245, 0.225]\n  - epoch: 2\n    O_out: [0.789, 0.798, 0.789]\n"
    )
    report = api.check(claims(tmp_path, body))
    assert [v.label for v in report.first_errors] == ["O_out[1,1]", "O_out[2,1]", "O_out[3,1]"]
    for verdict in report.first_errors:
        assert kinds(verdict) == ["previous-pass"], verdict.causes
        assert f"the previous pass: {verdict.label} was 0.7" in verdict.causes[0] and "in epoch 1" in verdict.causes[0]
        ruled = {str(cause) for cause, _ in verdict.ruled_out}
        assert any("folded into the output delta" in cause for cause in ruled), ruled
        assert all("W_out⁺[1,1]" in labels for _, labels in verdict.ruled_out)


# --- consequences at the claim's precision ------------------------------------------------------------


def test_a_consequence_worked_by_hand_at_its_own_decimals_is_a_consequence(tmp_path):
    # O_in[1,2] printed 0.441 for -0.441 (a sign slip); the outputs worked by hand from the printed
    # z = (-0.112, 0.441, 0.055), each e^z rounded to 4 decimals: e^z = 0.8940, 1.5543, 1.0565 over
    # their sum 3.5048 gives 0.2551, 0.4435, 0.3014 (exactly from the printed z: 0.3015).
    e = [round(math.exp(z), 4) for z in (-0.112, 0.441, 0.055)]
    assert e == [0.894, 1.5543, 1.0565]
    outputs = [f"{v / sum(e):.4f}" for v in e]
    assert outputs == ["0.2551", "0.4435", "0.3014"]
    body = f"spec: {SOFTMAX}\nclaims:\n  - O_in[1,1]: -0.112\n    O_in[1,2]: 0.441\n    O_in[1,3]: 0.055\n"
    body += "".join(f"    O_out[1,{j}]: {text}\n" for j, text in enumerate(outputs, start=1))
    report = api.check(claims(tmp_path, body))
    # Before: O_out[1,3] a first error of its own, "no simple explanation found".
    (first,) = report.first_errors
    assert first.label == "O_in[1,2]" and "a sign error" in first.causes[0]
    assert [v.label for v in report.consequences(first)] == ["O_out[1,1]", "O_out[1,2]", "O_out[1,3]"]


# --- Python's long floats -----------------------------------------------------------------------------


def test_a_float_as_python_prints_it_is_judged_at_the_digits_float64_carries(cli, tmp_path):
    # print(0.47 + 0.1 * 1.0 * (0.5025 - 0.47)) gives 0.47324999999999995: 17 digits. Before: exit 2.
    body = TIE_SPEC.format(target=0.5025) + "claims:\n  - W_out+: 0.47324999999999995\n    O_out: 0.47000000000000003\n"
    result = cli("check", claims(tmp_path, body))
    assert result.exit_code == 0, result.output
    assert "2 numbers printed with more significant digits than float64 carries: judged at the 15" in " ".join(result.stdout.split())
    report = json.loads(cli("check", claims(tmp_path, body), "--json", "-").stdout)
    assert [c["judged_at_float64_digits"] for c in report["claims"]] == [True, True] and report["notes"]


# --- the new slips ------------------------------------------------------------------------------------


def test_sigma_prime_from_the_net_input_is_recognised(tmp_path):
    # Mazur's H_in[1,1] = 0.3775: z(1 - z) = 0.3775 x 0.6225 = 0.23499375 (σ′ is 0.241300709).
    report = api.check(claims(tmp_path, f"spec: {MAZUR}\nclaims:\n  - σ′(H)[1,1]: 0.234994\n"))
    (verdict,) = report.wrong
    assert "net-input-slope" in kinds(verdict)
    assert "σ′(H) = H_in(1 − H_in) instead of H_out(1 − H_out)" in " ".join(verdict.causes)


def test_the_untransposed_weight_matrix_in_the_backward_pass(tmp_path):
    # Mazur's δ_out (as the engine keeps it, -∂L/∂z) = (-0.138498562, 0.038098236); his W_out rows
    # (w5, w7) and (w6, w8) = (0.40, 0.50), (0.45, 0.55). E_hidden[1,1] = δ · W_outᵀ row 1 =
    # -0.0553994 + 0.0190491 = -0.0363503; with W_out itself: -0.0553994 + 0.45 x 0.038098236 = -0.0382552.
    report = api.check(claims(tmp_path, f"spec: {MAZUR}\nclaims:\n  - E_hidden[1,1]: -0.0382552\n"))
    (verdict,) = report.wrong
    assert "untransposed" in kinds(verdict), verdict.causes


def test_the_slope_not_cancelled_under_cross_entropy(tmp_path):
    # δ_out = E = -0.5; with the slope kept: -0.5 x 0.25 = -0.125. σ′(O) right beside it.
    report = api.check(claims(tmp_path, CROSS_ENTROPY + "claims:\n  - σ′(O): 0.25\n    δ_out: -0.125\n"))
    (verdict,) = report.wrong
    assert "slope-not-cancelled" in kinds(verdict), verdict.causes


def test_a_number_cut_instead_of_rounded(tmp_path):
    # The paper's H_out[1,2] = σ(1.78) = 0.855697...: cut to three decimals 0.855 (rounded 0.856).
    report = api.check(claims(tmp_path, f"spec: {PAPER}\nclaims:\n  - H_out[1,2]: 0.855\n"))
    (verdict,) = report.wrong
    assert verdict.causes[0] == "cut instead of rounded: 0.85570 cut to 0.855"


def test_the_forgotten_activation_derivative(tmp_path):
    # The paper's δ_out[1,1] with σ′ left out is E[1,1] = 1 - 0.789324 = 0.210676 (σ′ would make it 0.035).
    report = api.check(claims(tmp_path, f"spec: {PAPER}\nclaims:\n  - E[1,1]: 0.210676\n    δ_out[1,1]: 0.210676\n"))
    (verdict,) = report.wrong
    assert "no-derivative" in kinds(verdict), verdict.causes


def test_the_delta_in_the_other_sign_convention_is_not_called_a_sign_error(tmp_path):
    # δ_out[1,1] = 0.03503 as the paper writes it (−∂L/∂z); written as Nielsen writes δ (∂L/∂z): -0.03503.
    report = api.check(claims(tmp_path, f"spec: {PAPER}\nclaims:\n  - δ_out[1,1]: -0.03503\n"))
    (verdict,) = report.wrong
    assert kinds(verdict) == ["other-sign-convention"]
    assert "written in the other sign convention (δ = ∂L/∂z)" in verdict.causes[0]
    assert "sign error" not in verdict.causes[0]
    # A name that says its sign is unambiguous: its negative is a sign error.
    report = api.check(claims(tmp_path, f"spec: {PAPER}\nclaims:\n  - ∂L/∂O_in[1,1]: 0.03503\n"))
    assert kinds(report.wrong[0]) == ["sign"]


def test_the_smallest_wrong_piece_of_a_sum(tmp_path):
    # O_in = 1 x -0.3 + 1 x -0.17412 + 0.1739 x -0.3 + 0 = -0.3 - 0.17412 - 0.05217 = -0.52629.
    # The third term, -0.0522 at four decimals, written -0.522: -0.3 - 0.17412 - 0.522 = -0.99612.
    body = (
        "spec:\n  inputs: [[1, 1, 0.1739]]\n  targets: [[0]]\n  activation: linear\n  learning_rate: 0.1\n"
        "  layers:\n    - {weights: [[-0.3], [-0.17412], [-0.3]], biases: [0]}\nclaims:\n  - O_in: -0.99612\n"
    )
    report = api.check(claims(tmp_path, body))
    (verdict,) = report.wrong
    assert verdict.causes == ("the third term, 0.1739 × -0.3, is -0.0522; written as -0.522 it gives the claimed -0.99612",)


# --- claimable quantities --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, printed",
    [
        ("∂L/∂O_in[1,1]", "-0.03503"),  # the paper's δ_out[1,1] = 0.03503 in the gradient's sign
        ("dL/dO_in[1,1]", "-0.03503"),
        ("−∂L/∂O_in[1,1]", "0.03503"),
        ("-dL/dO_in[1,1]", "0.03503"),
        ("∂L/∂H_out[2,3]", "-0.0075"),  # E_hidden[2,3] = 0.007485 (the paper's errata) in the gradient's sign
        # ∂L/∂W_out[1,1] = 0.048542 (transcripts/run-paper-adam.txt, its g), so W moves by -0.1 x 0.048542
        ("ΔW_out[1,1]", "-0.0049"),
        ("η·∂L/∂W_out[1,1]", "0.0049"),
        ("eta*dL/dW_out[1,1]", "0.0049"),
    ],
)
def test_the_gradients_in_either_sign_and_the_change_are_claimable(tmp_path, name, printed):
    report = api.check(claims(tmp_path, f"spec: {PAPER}\nclaims:\n  - {name}: {printed}\n"))
    assert not report.wrong, [(v.label, v.true_text) for v in report.wrong]


def test_the_gradient_of_the_inputs(tmp_path):
    # The essay's neuron: z = 0.8 x 0.15 + 0.38 = 0.5, O = σ(0.5) = 0.622459, E = 2(1 - O) = 0.755081
    # (SSE), δ = E O (1 - O) = 0.177447; ∂L/∂X = -δ x W = -0.177447 x 0.15 = -0.026617.
    essay = (CONFIGS / "essay-one-neuron.yaml").as_posix()
    report = api.check(claims(tmp_path, f"spec: {essay}\nclaims:\n  - ∂L/∂X: -0.026617\n    −∂L/∂X: 0.026617\n"))
    assert not report.wrong


def test_softmax_exponentials_and_their_sum(tmp_path):
    # Softmax's outputs from its printed inputs: each e^z by Python's math, their sum per sample.
    from nntrace.engine.network import build_network, train
    from nntrace.spec.validate import load_spec

    spec = load_spec(CONFIGS / "softmax.yaml")
    z = train(build_network(spec), spec.inputs, spec.targets, 1, traced={1}).records[0].quantities["O_in"]
    exponentials = [math.exp(float(v)) for v in z[0]]
    total = sum(exponentials)
    body = f"spec: {SOFTMAX}\nclaims:\n  - e^O_in[1,2]: {exponentials[1]:.6f}\n    Σe^O_in[1]: {total:.6f}\n"
    body += f"    exp(O_in)[1,3]: {exponentials[2]:.6f}\n    sum(exp(O_in)): [{total:.6f}, null, null, null]\n"
    assert not api.check(claims(tmp_path, body)).wrong


def test_a_printed_exponential_is_carried_into_the_output_under_round_printed(tmp_path):
    # e^O_in[1,1] printed one unit in its fourth decimal off, the others right: the output from
    # the printed numbers follows from it.
    from nntrace.engine.network import build_network, train
    from nntrace.spec.validate import load_spec

    spec = load_spec(CONFIGS / "softmax.yaml")
    z = train(build_network(spec), spec.inputs, spec.targets, 1, traced={1}).records[0].quantities["O_in"][0]
    e = [round(math.exp(float(v)), 4) for v in z]
    e[0] = round(e[0] + 0.0100, 4)
    out = e[0] / sum(e)
    body = f"spec: {SOFTMAX}\nround: printed\nclaims:\n  - e^O_in: [[{e[0]:.4f}, {e[1]:.4f}, {e[2]:.4f}], [null, null, null], [null, null, null], [null, null, null]]\n"
    body += f"    O_out[1,1]: {out:.4f}\n"
    report = api.check(claims(tmp_path, body))
    assert [v.label for v in report.first_errors] == ["e^O_in[1,1]"]
    assert wrong(report)["O_out[1,1]"].follows == ("e^O_in[1,1]",)


def test_the_epoch_loss_of_an_online_run(tmp_path):
    # The paper's network, one sample a batch: each sample's half squared error before its own
    # update, summed over the epoch (a plain loop here).
    X = np.array([[1, 0, 1, 0], [1, 0, 1, 1], [0, 1, 0, 1]], dtype=float)
    y = np.array([[1], [1], [0]], dtype=float)
    W1 = np.array([[0.42, 0.88, 0.55], [0.10, 0.73, 0.68], [0.60, 0.18, 0.47], [0.92, 0.11, 0.52]])
    b1, W2, b2 = np.array([0.46, 0.72, 0.08]), np.array([[0.30], [0.25], [0.23]]), np.array([0.69])
    sigmoid = lambda z: 1 / (1 + np.exp(-z))
    total = 0.0
    for x, t in zip(X, y):
        h = sigmoid(x @ W1 + b1)
        o = sigmoid(h @ W2 + b2)
        total += 0.5 * float(((t - o) ** 2).sum())
        d2 = (t - o) * o * (1 - o)
        d1 = (d2 @ W2.T) * h * (1 - h)
        W2, b2, W1, b1 = W2 + 0.1 * np.outer(h, d2), b2 + 0.1 * d2, W1 + 0.1 * np.outer(x, d1), b1 + 0.1 * d1
    online = (CONFIGS / "paper.yaml").read_text(encoding="utf-8") + "batch_size: 1\n"
    (tmp_path / "online.yaml").write_text(online, encoding="utf-8")
    report = api.check(claims(tmp_path, f"spec: online.yaml\nclaims:\n  - epoch: 1\n    L_epoch: {total:.8f}\n"))
    assert not report.wrong


def test_an_optimisers_state(tmp_path):
    # paper-adam's first update of W_out (transcripts/run-paper-adam.txt): g = 0.048542,
    # m = 0.1 x g = 0.004854, v = 0.001 x g² = 0.000002356, m̂ = m / 0.1 = g.
    adam = (CONFIGS / "paper-adam.yaml").as_posix()
    body = (
        f"spec: {adam}\nclaims:\n  - g_W_out[1,1]: 0.048542\n    m_W_out[1,1]: 0.004854\n"
        "    v_W_out[1,1]: 0.000002356\n    m̂_W_out[1,1]: 0.048542\n    mhat_W_out[1,1]: 0.048542\n"
        "    ΔW_out[1,1]: -0.1000\n"  # Adam's first step is η against the gradient's sign
    )
    assert not api.check(claims(tmp_path, body)).wrong


# --- the claims file, hardened (issue 26) ------------------------------------------------------------


@pytest.mark.parametrize(
    "entry, message",
    [
        ("W_h²: 0.5", "'W_h²' is not a quantity of this network"),
        ("W_h[²,1]: 0.5", r"W_h\[²,1\] is out of range"),
        ("epoch: ²\n    W_h[1,1]: 0.5", "expected a whole number from 1, found '²'"),
        ("batch: ³\n    W_h[1,1]: 0.5", "expected a whole number from 1"),
        ("H_in[1,1]: 1e99999", "beyond what float64 holds"),
        ("H_in[1,1]: -1e-99999", "beyond what float64 holds"),
        ("H_in[1,1]: 1" + "0" * 5000, "an integer of 5,001 digits; nntrace reads at most 4,300"),
        ("H_in[1,1]: 1" + "0" * 400 + ".5", "beyond what float64 holds"),
        ("epoch: 100000000000\n    H_in[1,1]: 1.48", "claims reach at most 2,000 passes"),
        ("epoch: 2001\n    H_in[1,1]: 1.48", "claim an epoch from 1 to 2,000"),
        ("H_in[1,1]: .nan", "expected a number as printed"),
        ("H_in[1,1]: nan", "expected a finite number"),
    ],
)
def test_a_hostile_claims_file_exits_2_naming_the_field(cli, tmp_path, entry, message):
    import re

    path = claims(tmp_path, f"spec: {PAPER}\nclaims:\n  - {entry}\n")
    for extra in ([], ["--json", "-"]):
        result = cli("check", path, *extra)
        assert result.exit_code == 2, result.output
        assert "Traceback" not in result.output and not result.stdout
        assert re.search(message, result.stderr), result.stderr


def test_a_name_of_33000_characters_is_refused_in_a_short_message(cli, tmp_path):
    # Before: 19 s in a backtracking regular expression (benchmarks/check.py times it), and the
    # name in full in the message. A key this long is written as YAML's explicit key.
    result = cli("check", claims(tmp_path, f"spec: {PAPER}\nclaims:\n  - ? {'W[1' * 11000}\n    : 0.5\n"))
    assert result.exit_code == 2 and "is not a quantity of this network" in result.stderr
    assert len(result.stderr) < 3000


def test_claim_values_are_read_as_written_decimals():
    from nntrace.checking.claims import Number

    assert Number.read("0.47324999999999995", "x").decimals == 15
    assert Number.read("0.47324999999999995", "x").judged == decimal.Decimal("0.473250000000000")
    assert Number.read("12345678901234567890", "x").decimals == -5  # judged to the nearest 10^5
    assert Number.read("1.5e-20", "x").decimals == 21  # two significant digits, far to the right
    with pytest.raises(Exception, match="beyond what float64 holds"):
        Number.read("1e400", "x")


def test_the_vectorised_rule_is_the_decimal_rule():
    """units_off_many (one numpy pass) against Number.units_off (one Decimal each), on ties, noise
    and ordinary numbers at many decimals."""
    from nntrace.checking.claims import Number, units_off_many

    rng = np.random.default_rng(5)
    values = np.concatenate([rng.normal(0, 3, 300), [0.47325, 0.47324999999999995, 0.0625, -0.0625, 1.005, 2.675,
                                                     0.35 * 0.1, 1e-9, -2.5, 0.0]])  # fmt: skip
    for places in (0, 1, 2, 3, 4, 6, 9, 12):
        numbers = [Number.read(f"{v:.{places}f}", "x") for v in values + 0.3 * 10.0**-places]
        expected = [number.units_off(float(v)) for number, v in zip(numbers, values)]
        found = units_off_many(np.array([n.as_float for n in numbers]), np.full(len(values), places), values, numbers)
        assert [int(f) for f in found] == expected


def _by_hand(value: float, decimals: int) -> str:
    """A number as a claim prints it, worked out here: its 15 significant digits rounded half away
    from zero at `decimals`, written out, with no minus on a zero."""
    half_up = decimal.Context(prec=800, rounding=decimal.ROUND_HALF_UP)
    rounded = decimal.Decimal(f"{value:.15g}").quantize(decimal.Decimal(1).scaleb(-decimals), context=half_up)
    text = f"{rounded:f}"
    return text[1:] if text.startswith("-") and rounded == 0 else text


def test_a_number_is_printed_as_rounded_by_hand():
    from nntrace.checking.claims import rounded_text

    assert rounded_text(0.35 * 0.1, 2) == "0.04"  # 0.034999999999999996: a half in 15 digits
    assert rounded_text(0.035, 2) == "0.04"  # the float is below 0.035: a half by hand all the same
    assert rounded_text(2.675, 2) == "2.68"  # 2.67499999999999982236431605997495353221893310546875
    assert rounded_text(0.47324999999999995, 4) == "0.4733"
    assert rounded_text(0.12349999999999999, 3) == "0.124"  # 0.123500000000000 at 15 digits
    assert rounded_text(2.5, 0) == "3" and rounded_text(-2.5, 0) == "-3"  # halves away from zero
    assert rounded_text(0.0625, 3) == "0.063" and rounded_text(-0.0625, 3) == "-0.063"
    assert rounded_text(0.7372839473, 3) == "0.737" and rounded_text(-0.7376, 3) == "-0.738"
    assert rounded_text(-0.0004, 3) == "0.000" and rounded_text(-0.0, 2) == "0.00"  # no minus on a zero
    assert rounded_text(0.1, 20) == "0.10000000000000000000"  # 15 digits, not the float's 0.1000000000000000055
    assert rounded_text(1.2e-8, 10) == "0.0000000120"
    assert rounded_text(123456.7, -2) == "123500"  # to the hundreds, written out
    assert rounded_text(math.inf, 3) == "inf" and rounded_text(math.nan, 3) == "nan"


def test_a_number_printed_by_float_formatting_is_the_number_rounded_by_hand():
    """rounded_text formats most numbers as floats and leaves those within reach of a half (and
    large ones) to Decimal arithmetic: on many numbers of every size, and on halves, numbers a
    float's width from a half, and numbers whose 15 digits are a half, it prints what rounding by
    hand prints."""
    from nntrace.checking.claims import _rounded_text_exact, rounded_text

    rng = np.random.default_rng(24)
    cases = []
    for _ in range(40_000):
        decimals = int(rng.integers(-2, 24))
        sign = float(rng.choice([-1.0, 1.0]))
        size = int(rng.integers(1, 14))
        whole = int(rng.integers(0, 10**size))
        half = float(f"{whole}5e{-(decimals + 1)}") * sign  # a half at `decimals`, as a float reads it
        cases += [
            (sign * float(rng.random()) * 10.0 ** float(rng.uniform(-25, 16)), decimals),
            (half, decimals),
            (math.nextafter(half, math.inf), decimals),
            (math.nextafter(half, -math.inf), decimals),
            # 16 or 17 digits that are a half at 15, of every size
            (sign * float(f"{whole}49999{int(rng.integers(0, 10))}e{int(rng.integers(-22, 6))}"), decimals),
        ]
    cases += [(value, decimals) for value in (0.0, -0.0, 5e-324, -5e-324, 1e300, 0.5, 1.5, 4503599627370495.5)
              for decimals in (0, 1, 3, 22, 23)]  # fmt: skip
    wrong = [
        (value, decimals, rounded_text(value, decimals))
        for value, decimals in cases
        if not rounded_text(value, decimals) == _by_hand(value, decimals) == _rounded_text_exact(value, decimals)
    ]
    assert wrong == []


def test_one_number_cut_by_hand_is_the_number_the_array_rule_cuts():
    """hand_cut_one (one division where it can be) against hand_cut (the array rule), on numbers of
    every size and on numbers a float's width, or 15 digits' width, below a whole unit; and cut by
    hand at literal values worked out here."""
    from nntrace.checking.slips import hand_cut, hand_cut_one

    assert hand_cut_one(0.7376, 3) == 0.737 and hand_cut_one(-0.7376, 3) == -0.737
    assert hand_cut_one(0.3 * 3, 1) == 0.9  # 0.8999999999999999: 0.9 in 15 digits, so not cut to 0.8
    assert hand_cut_one(2.9999999999999996, 0) == 3.0 and hand_cut_one(2.999999, 0) == 2.0
    assert math.copysign(1, hand_cut_one(-0.0004, 3)) == -1  # the array rule keeps the sign of a zero
    rng = np.random.default_rng(26)
    values, places = [], []
    for _ in range(30_000):
        decimals = int(rng.integers(-2, 12))
        whole = float(rng.integers(0, 10 ** int(rng.integers(1, 13)))) + 1
        unit = 10.0**-decimals
        below = whole * unit
        values += [float(rng.normal()) * 10.0 ** float(rng.uniform(-20, 14)), below, math.nextafter(below, 0),
                   below * (1 - 10.0 ** float(rng.uniform(-17, -12))), -below * (1 - 4e-15)]  # fmt: skip
        places += [decimals] * 5
    values += [0.0, -0.0, math.inf, -math.inf, math.nan, 1e300, 5e-324]
    places += [3] * 7
    expected = [float(hand_cut(np.array([v]), d)[0]) for v, d in zip(values, places)]
    found = [hand_cut_one(v, d) for v, d in zip(values, places)]
    assert np.array_equal(np.array(found), np.array(expected), equal_nan=True)
    assert [math.copysign(1, f) for f in found] == [math.copysign(1, e) for e in expected]
