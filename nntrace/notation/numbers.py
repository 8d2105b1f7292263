"""The one number policy: what a number is as a reader sees it, and how it is rounded by hand.

A float64 is read as the decimal a person would have written: its value to 15 significant digits
(float64 carries 15 to 17), so the float noise of 0.35 x 0.1 = 0.034999999999999996 is gone and the
number is 0.035, exactly as by hand. Rounding by hand rounds that decimal, halves away from zero:
0.035 to 2 decimals is 0.04, where numpy's round (half to even on the binary value) gives 0.03.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from decimal import Decimal

SIGNIFICANT = 15  # float64's digits that survive any arithmetic of a few steps: the decimal value's


def decimal_value(value: float) -> Decimal:
    """The decimal a reader takes `value` for: its 15 significant digits (a finite float)."""
    import decimal  # only rounding by hand and checking claims need it: kept off every start-up

    return decimal.Decimal(f"{float(value):.{SIGNIFICANT}g}")


def rounded_decimal(value: float, decimals: int) -> Decimal:
    """`value` rounded by hand to `decimals` decimals: its decimal value, halves away from zero."""
    import decimal

    half_up = decimal.Context(prec=800, rounding=decimal.ROUND_HALF_UP)
    return decimal_value(value).quantize(decimal.Decimal(1).scaleb(-decimals), context=half_up)


def hand_round_scalar(value: float, decimals: int) -> float:
    """One number rounded by hand (see rounded_decimal), as the float nearest to it."""
    if not math.isfinite(value):
        return value
    return float(rounded_decimal(value, decimals))


def hand_round(values, decimals: int) -> np.ndarray:
    """`values` rounded by hand to `decimals` decimals, element by element, without a Decimal each.

    Scaled by 10^decimals, a value is rounded to the nearest whole number; one whose 15 significant
    digits read as exactly a half (it lies within half a unit of the 15th digit of it) goes away
    from zero. The whole number over 10^decimals is then the float nearest the rounded decimal: both
    are exact, and the division is correctly rounded. The few values so large that the 15th digit
    falls before the decimal asked for take `hand_round_scalar`, the same rule one Decimal at a time.
    """
    given = np.asarray(values, dtype=np.float64)
    values = given.reshape(-1)
    power = 10.0**decimals
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        scaled = np.abs(values) * power
        whole = np.floor(scaled)
        fraction = scaled - whole
        # The unit of the 15th significant digit, in the scaled value's units.
        unit = 10.0 ** (np.floor(np.log10(np.maximum(scaled, 1e-300))) - (SIGNIFICANT - 1))
        up = (fraction > 0.5) | (np.abs(fraction - 0.5) <= unit / 2)
        rounded = np.copysign((whole + up) / power, values)
    large = ~(scaled < 1e13)  # NaN and infinity too
    if large.any():
        rounded[large] = [hand_round_scalar(v, decimals) for v in values[large]]
    return rounded.reshape(given.shape) if given.ndim else rounded[0]
