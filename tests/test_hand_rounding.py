"""Rounding by hand: on the decimal value a reader sees, halves away from zero, whatever float noise
the arithmetic left (0.35 x 0.1 is 0.034999999999999996 in float64, and 0.035 by hand)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from nntrace.notation.numbers import hand_round, hand_round_scalar


def test_exact_decimal_ties_go_away_from_zero_despite_float_noise():
    assert 0.35 * 0.1 == 0.034999999999999996  # the noise this is about
    assert hand_round(0.35 * 0.1, 2) == 0.04
    assert hand_round(-0.35 * 0.1, 2) == -0.04
    w = 0.47 + 0.1 * 1.0 * (0.5025 - 0.47)  # 0.47325 exactly by hand
    assert w == 0.47324999999999995
    assert hand_round(w, 4) == 0.4733
    assert hand_round(0.25 * 0.25, 3) == 0.063  # numpy's half-to-even gives 0.062
    assert hand_round(1.005, 2) == 1.01  # the float is 1.00499999999999989...


def test_not_a_tie_rounds_to_nearest():
    assert hand_round(0.0349, 2) == 0.03
    assert hand_round(0.03501, 2) == 0.04
    assert hand_round(np.array([0.1234, -0.1236, 0.0]), 3).tolist() == [0.123, -0.124, 0.0]


def test_non_finite_values_are_their_own_rounding():
    out = hand_round(np.array([np.inf, -np.inf, np.nan, 1e300]), 3)
    assert out[0] == np.inf and out[1] == -np.inf and np.isnan(out[2]) and out[3] == 1e300


@given(st.integers(min_value=-10**9, max_value=10**9), st.integers(min_value=0, max_value=6))
def test_a_constructed_tie_rounds_up_in_magnitude(whole, decimals):
    # whole * 10 + 5, over 10^(decimals + 1): a decimal that ends in 5 one place past `decimals`.
    tie = Decimal(whole * 10 + (5 if whole >= 0 else -5)).scaleb(-(decimals + 1))
    expected = float(tie.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))
    assert hand_round(float(tie), decimals) == expected
    assert hand_round_scalar(float(tie), decimals) == expected


@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), st.integers(min_value=0, max_value=8))
def test_the_vectorised_rule_agrees_with_the_decimal_one(value, decimals):
    assert hand_round(value, decimals) == hand_round_scalar(value, decimals)
