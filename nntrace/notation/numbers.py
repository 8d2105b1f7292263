"""The one number policy: how every number is written, and how it is rounded by hand.

**Shown.** A computed number is written with the decimals asked for (`--precision`, 3 by default),
or with a number of significant digits (`--digits`). No number that is not zero is written as zero:
one too small for the decimals asked for gets two significant digits (0.00048), and below 1e-4 it
is written in scientific notation (2.4 × 10⁻⁶), as is any number of 10¹² or more. Numbers that are
given exactly (a learning rate, a setting, a count) are written as given. A matrix whose entries
are all whole numbers is written without decimals. `Written` is a number so decided, before any
medium: each writer sets its digits, sign and power of ten in its own way.

**What float64 computed.** A number is shown as float64 computed it: where exact arithmetic gives 0,
float64's rounding can leave a tiny number (0.5 × 0.4 − 1 × 0.3 + 0.1 is 2.8 × 10⁻¹⁷), and it is
shown, since every line that uses it then redoes as printed.

**Redone by hand.** An element's arithmetic line (target = arithmetic = result) is written so that
a reader who redoes the arithmetic with the numbers as printed and rounds gets the printed result:
where the operands at the decimals asked for do not give it, they are written with one more
decimal (a guard digit), and another, until they do (`operand_format`). (0.035 + 0.033 − 0.131
is −0.063 by hand; with a guard digit, 0.035 + 0.0325 − 0.1313 = −0.0638, which is the −0.064
printed.) Trailing zeros
beyond the decimals asked for are left out, so only the numbers that need a guard digit show one.

**Rounded by hand** (`--round`, `check`). A float64 is read as the decimal a person would have
written: its value to 15 significant digits (float64 carries 15 to 17), so the float noise of
0.35 x 0.1 = 0.034999999999999996 is gone and the number is 0.035, exactly as by hand. Rounding by
hand rounds that decimal, halves away from zero: 0.035 to 2 decimals is 0.04, where numpy's round
(half to even on the binary value) gives 0.03.
"""

from __future__ import annotations

import functools
import math
from typing import TYPE_CHECKING

import numpy as np

from nntrace.common.records import NamedTuple
from nntrace.notation.arithmetic import bounded, read, redone, redone_bounded

if TYPE_CHECKING:
    from decimal import Decimal

SIGNIFICANT = 15  # float64's digits that survive any arithmetic of a few steps: the decimal value's


def decimal_value(value: float) -> Decimal:
    """The decimal a reader takes `value` for: its 15 significant digits (a finite float)."""
    return (_DECIMAL or _decimal())(f"{float(value):.{SIGNIFICANT}g}")


_DECIMAL = None  # decimal.Decimal once imported: an import statement here cost a ninth of a call


def _decimal():
    """decimal.Decimal, imported when a number is first rounded by hand (checking claims, a class's
    slips): no other command needs it, so it is kept off every start-up."""
    global _DECIMAL
    import decimal

    _DECIMAL = decimal.Decimal
    return _DECIMAL


def rounded_decimal(value: float, decimals: int) -> Decimal:
    """`value` rounded by hand to `decimals` decimals: its decimal value, halves away from zero."""
    half_up, unit = _rounding(decimals)
    return decimal_value(value).quantize(unit, context=half_up)


@functools.lru_cache(maxsize=64)
def _rounding(decimals: int):
    """The context that rounds halves away from zero and the unit of `decimals` decimals: made once,
    as a class's slips are rounded by the thousand."""
    import decimal

    return decimal.Context(prec=800, rounding=decimal.ROUND_HALF_UP), decimal.Decimal(1).scaleb(-decimals)


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
        up = fraction > 0.5
        # A half within the 15th significant digit reads as a half. Below 1e13 that digit's unit is
        # at most 0.01, so only fractions that close to 0.5 are measured against it.
        near = np.flatnonzero(np.abs(fraction - 0.5) <= 0.005)
        if near.size:
            # The unit of the 15th significant digit, in the scaled value's units.
            unit = 10.0 ** (np.floor(np.log10(np.maximum(scaled[near], 1e-300))) - (SIGNIFICANT - 1))
            up[near] |= np.abs(fraction[near] - 0.5) <= unit / 2
        rounded = np.copysign((whole + up) / power, values)
    large = ~(scaled < 1e13)  # NaN and infinity too
    if large.any():
        rounded[large] = [hand_round_scalar(v, decimals) for v in values[large]]
    return rounded.reshape(given.shape) if given.ndim else rounded[0]


TINY_DIGITS = 2  # significant digits of a number too small for the decimals asked for
SCIENTIFIC_BELOW = 1e-4  # smaller numbers are written as a power of ten...
SCIENTIFIC_FROM = 1e12  # ...and so are larger ones
MAX_GUARD = 17  # guard digits an element's operands may take: a cancellation can need every digit of float64
EXACT_DIGITS = 6  # significant digits of a number given exactly whose shortest form is longer (1/3)


class NumberFormat(NamedTuple):
    """How computed numbers are written: with `decimals` after the point, or, when `digits` is set,
    with that many significant digits; `guard` extra digits for the operands of arithmetic."""

    decimals: int = 3
    digits: int | None = None
    guard: int = 0

    @property
    def significant(self) -> bool:
        return self.digits is not None

    def guarded(self, extra: int) -> NumberFormat:
        return NumberFormat(self.decimals, self.digits, extra)  # not _replace: asked for at every guard of every line

    def describe(self) -> str:
        if self.significant:
            return f"{self.digits} significant digit{'s' if self.digits != 1 else ''} shown"
        return f"{self.decimals} decimal{'s' if self.decimals != 1 else ''} shown"


class Written(NamedTuple):
    """A number as it is written, in no medium yet: its sign, its digits (with the decimal point, or
    the word inf or nan), and in scientific notation the power of ten they multiply (digits of 1
    alone are then written as just the power: 10⁻⁸)."""

    negative: bool
    digits: str
    exponent: int | None = None

    @property
    def value(self) -> float:
        """The number as printed, as a reader redoing the arithmetic takes it."""
        text = ("-" if self.negative else "") + self.digits
        return float(text if self.exponent is None else f"{text}e{self.exponent}")

    @property
    def finite(self) -> bool:
        return self.digits not in ("inf", "nan")

    @property
    def integer_digits(self) -> int:
        """Digits before the decimal point (with the sign), for lining numbers up on it."""
        return self.negative + len(self.digits.split(".")[0])

    @property
    def fraction_digits(self) -> int:
        """Digits after the decimal point of a number written without a power of ten, else 0."""
        if self.exponent is not None or "." not in self.digits:
            return 0
        return len(self.digits.split(".")[1])

    def plain(self) -> str:
        """As Python and numpy code write it: -0.035, 2.4e-06."""
        sign = "-" if self.negative else ""
        if self.exponent is None:
            return sign + self.digits
        return f"{sign}{self.digits}e{self.exponent:+03d}"


@functools.lru_cache(maxsize=4096)  # a line is tried at several guards, then written at one of them
def written(value: float, fmt: NumberFormat = NumberFormat(), whole: bool | None = None) -> Written:
    """`value` (computed) as the policy writes it; `whole`: it is one of a matrix of whole numbers,
    written without decimals (True), or of a matrix that is not (False); a number on its own (None)
    is written without decimals when it is a whole number."""
    value = float(value)
    if not math.isfinite(value):
        return Written(value < 0, "nan" if math.isnan(value) else "inf")
    size = abs(value)
    if whole is None:
        whole = value.is_integer()
    if whole:
        if size >= SCIENTIFIC_FROM:
            return _scientific(value, max(fmt.digits or fmt.decimals + 1, 2) + fmt.guard)
        return Written(value < 0, str(int(size)))
    if size >= SCIENTIFIC_FROM:
        return _scientific(value, max(fmt.digits or fmt.decimals + 1, 2) + fmt.guard)
    if size == 0:  # zero itself, in a matrix that is not of whole numbers: 0.000
        return Written(False, f"{0:.{fmt.digits - 1 if fmt.significant else fmt.decimals}f}")
    if fmt.digits is not None:  # (fmt.significant, without a property's call: written by the thousand)
        return _significant(value, fmt.digits + fmt.guard)
    text = f"{size:.{fmt.decimals}f}"
    if float(text) == 0:  # would read as zero: the digits it needs instead
        return _significant(value, TINY_DIGITS + fmt.guard)
    if fmt.guard:
        text = _trimmed(f"{size:.{fmt.decimals + fmt.guard}f}", fmt.decimals)
    return Written(value < 0, text)


def as_written(text: str) -> Written:
    """A number's text as written down (0.4730, -1.2e-05, 3E2), digits kept: a claim as printed."""
    text = text.strip().replace("−", "-")
    negative = text.startswith("-")
    mantissa, _, exponent = text.lstrip("+-").lower().partition("e")
    return Written(negative, mantissa, int(exponent) if exponent else None)


@functools.lru_cache(maxsize=4096)  # the few numbers given exactly are written in every line they are in
def exact(value: float) -> Written:
    """A number given exactly (a learning rate, a setting, a count), written as given: 0.1, 2, 10⁻⁸."""
    value = float(value)
    if not math.isfinite(value):
        return Written(value < 0, "nan" if math.isnan(value) else "inf")
    size = abs(value)
    if size == 0 or SCIENTIFIC_BELOW <= size < SCIENTIFIC_FROM:
        text = repr(size)
        if len(text.replace(".", "").lstrip("0")) > EXACT_DIGITS:  # 1/3: as many digits as a setting has
            text = f"{size:.{EXACT_DIGITS}g}"
        if "e" not in text:
            return Written(value < 0, text[:-2] if text.endswith(".0") else text)
    mantissa, exponent = f"{size:e}".split("e")
    digits = repr(float(mantissa))  # the shortest digits: 1e-08 is 1 x 10^-8
    digits = digits[:-2] if digits.endswith(".0") else digits
    return Written(value < 0, digits, int(exponent))


def _significant(value: float, digits: int) -> Written:
    """`value` with `digits` significant digits, positionally, or as a power of ten when tiny or huge."""
    size = abs(value)
    mantissa, exponent = f"{size:.{digits - 1}e}".split("e")
    power = int(exponent)
    if size < SCIENTIFIC_BELOW or size >= SCIENTIFIC_FROM:
        return Written(value < 0, mantissa, power)
    return Written(value < 0, f"{size:.{max(digits - 1 - power, 0)}f}")


def _scientific(value: float, digits: int) -> Written:
    mantissa, exponent = f"{abs(value):.{digits - 1}e}".split("e")
    return Written(value < 0, mantissa, int(exponent))


def _trimmed(text: str, keep: int) -> str:
    """Trailing zeros beyond `keep` decimals left out: a guard digit only where it says something."""
    whole, _, fraction = text.partition(".")
    fraction = fraction[:keep] + fraction[keep:].rstrip("0")
    return f"{whole}.{fraction}" if fraction else whole


def whole_numbers(rows: list[list[float]]) -> bool:
    """Whether every entry is a whole number, finite and integral (then all are written without
    decimals): asked of the entries as Python numbers, as numpy took 7 us a call for a dozen of
    them (a class writes thousands of small matrices)."""
    return all(float(v).is_integer() for row in rows for v in row)


def matrix(values: np.ndarray, fmt: NumberFormat = NumberFormat()) -> list[list[Written]]:
    """Every entry of a matrix as written (a matrix of whole numbers without decimals)."""
    rows = np.atleast_2d(values).tolist()
    whole = whole_numbers(rows)
    return [[written(v, fmt, whole) for v in row] for row in rows]


def column_padding(column: list[Written]) -> list[int]:
    """For each number of a column, the fraction digits it lacks to line its decimal point up with
    the others (written as space of a digit's width), where the decimals differ."""
    digits = [number.fraction_digits for number in column]  # (a property: read once a number)
    widest = max(digits, default=0)
    return [widest - fraction if number.exponent is None and "." in number.digits or widest == 0
            else 0 for number, fraction in zip(column, digits)]  # fmt: skip


class Shown(NamedTuple):
    """What a matrix shows in a medium that elides it to max_rows × max_columns."""

    rows: list  # its rows, None where the middle ones are left out (common.elision)
    columns: list  # and its columns
    cells: list  # the shown numbers written, row by row
    pads: list  # each shown column's padding that lines its decimal points up
    grid: list  # (row, entries) as the medium sets it: a shown cell's (number, padding), None for a gap


def shown_cells(value, fmt: NumberFormat, max_rows: int, max_columns: int):
    """The rows, columns, written cells and paddings a matrix shows (Shown)."""
    return shown(value, fmt, max_rows, max_columns)[:4]


def shown_grid(value, fmt: NumberFormat, max_rows: int, max_columns: int):
    """The columns a matrix shows and its rows laid out as the medium sets them (Shown.grid): for
    each row (None where the middle rows are left out) its entries in the order of its columns."""
    found = shown(value, fmt, max_rows, max_columns)
    return found.columns, found.grid


def shown(value, fmt: NumberFormat, max_rows: int, max_columns: int) -> Shown:
    if not (type(value) is np.ndarray and value.ndim == 2 and value.dtype == np.float64):  # else as it is
        value = np.atleast_2d(np.asarray(value, dtype=np.float64))
    if value.size > CACHED_CELLS:
        return _shown(value, fmt, max_rows, max_columns)
    # A matrix is measured, fitted and written several times (a page's width, a slide's height, the
    # words of its alt text): what it shows is found once, by its bytes. Limits it does not reach are
    # one key, so media that each show it whole (with limits of their own) share what they show.
    rows, columns = value.shape
    return _shown_once(value.tobytes(), value.shape, fmt, min(max_rows, rows), min(max_columns, columns))


CACHED_CELLS = 1024  # the bytes of a larger matrix are not worth keeping as a cache's key


@functools.lru_cache(maxsize=1024)
def _shown_once(data: bytes, shape: tuple, fmt: NumberFormat, max_rows: int, max_columns: int) -> Shown:
    return _shown(np.frombuffer(data, dtype=np.float64).reshape(shape), fmt, max_rows, max_columns)


def _shown(value: np.ndarray, fmt: NumberFormat, max_rows: int, max_columns: int) -> Shown:
    from nntrace.common.elision import elided, present

    rows, columns = elided(value.shape[0], max_rows), elided(value.shape[1], max_columns)
    if None in rows or None in columns:  # some left out (np.ix_ costs 7 us: a whole matrix is its own)
        value = value[np.ix_(present(rows), present(columns))]
    cells = matrix(value, fmt)
    pads = [column_padding([row[c] for row in cells]) for c in range(len(cells[0]))]
    grid, r = [], 0
    for row in rows:
        if row is None:
            grid.append((None, [None] * len(columns)))
            continue
        entries, c = [], 0
        for column in columns:
            if column is None:
                entries.append(None)
                continue
            entries.append((cells[r][c], pads[c][r]))
            c += 1
        grid.append((row, entries))
        r += 1
    return Shown(rows, columns, cells, pads, grid)


def redoes(redone: float, result: Written, fmt: NumberFormat, relative: bool = True, margin: float = 1.0) -> bool:
    """Whether a reader's `redone` number gives the printed `result`: within one unit of its last
    digit, or (`relative`) within 1 % of it. `margin` below 1 asks for room to spare, so a line chosen
    here redoes however the reader's arithmetic rounds on the way."""
    if not result.finite or not math.isfinite(redone):
        return False
    printed = result.value
    off = abs(redone - printed)
    return off <= margin * last_unit(result) or (relative and off <= margin * 0.01 * abs(printed))


def last_unit(result: Written) -> float:
    """One unit of a printed number's last digit: 0.001 for 0.815, 1e-7 for 2.4 × 10⁻⁶."""
    if result.exponent is None and "." in result.digits:
        return 10.0 ** -len(result.digits.split(".")[1])
    if result.exponent is None:
        return 1.0
    return 10.0 ** (result.exponent - max(len(result.digits) - 2, 0))


def _redoes_quickly(arithmetic, text, target: Written) -> bool | None:
    """Whether the arithmetic with its numbers as `text` writes them redoes `target` with room to
    spare (redoes, margin 0.499), decided in float64 where its bounded error cannot change the
    answer; None where it can, or where float64 cannot bound it: then exact arithmetic decides."""
    return _decided(redone_bounded(arithmetic, text), target.value, 0.499 * last_unit(target))


def _decided(bounded: tuple[float, float] | None, printed: float, room: float) -> bool | None:
    """_redoes_quickly's verdict on a float64 redone number and its bound (`bounded`), against the
    printed number and the room that is within: None where the bound leaves it open."""
    if bounded is None:
        return None
    value, error = bounded
    # the exact redone number, rounded to float64 as `redone` returns it, and its distance from the
    # printed one: within error + an ulp or two of these
    slack = error + 4 * 2.0**-52 * max(abs(value), abs(printed))
    off = abs(value - printed)
    if off + slack < room * (1 - 1e-9):
        return True
    if off - slack > room * (1 + 1e-9):
        return False
    return None


def operand_format(arithmetic, result: float, fmt: NumberFormat) -> NumberFormat:
    """The format of an element line's operands (_operand_format), found once for a line however
    many media write it (a document's text, its measure, its spoken words: the same line object).

    Kept by the line's identity, as common.kept.ByIdentity keeps, but with its result and format
    compared, not hashed into a key: a line is asked for seven times, and hashing them made a lookup
    cost 4,900 instructions where comparing them costs 1,900."""
    kept = _OPERANDS.get(id(arithmetic))
    if kept is not None and kept[0] is arithmetic and kept[1] == result and kept[2] == fmt:
        return kept[3]
    found = _operand_format(arithmetic, result, fmt)
    if len(_OPERANDS) >= KEPT_LINES:
        _OPERANDS.clear()
    _OPERANDS[id(arithmetic)] = (arithmetic, result, fmt, found)  # the line kept alive: its id is no other's
    return found


KEPT_LINES = 4096
_OPERANDS: dict[int, tuple] = {}


def _operand_format(arithmetic, result: float, fmt: NumberFormat) -> NumberFormat:
    """The format of an element line's operands: the one the reader can redo the printed result
    from, with as few guard digits as that takes (see the module's docstring).

    Best, the redone number rounds to the printed result (within half a unit of its last digit, with
    room to spare for the reader's own rounding on the way); else it is within one unit; else within
    1 %; else (float64 itself off: a sigmoid held at z = -709.78) none."""
    target = written(result, fmt)
    if not target.finite:
        return fmt
    printed, room = target.value, 0.499 * last_unit(target)
    for guarded, reader in _guards(fmt):
        decided = _decided(bounded(arithmetic, reader), printed, room)
        if decided is True:
            return guarded
        if decided is None:
            value = redone(arithmetic, _text(guarded))
            if value is None:  # terms left out, or a symbol: nothing to redo
                return fmt
            if redoes(value, target, fmt, relative=False, margin=0.499):
                return guarded
    values: list[float | None] = [None] * (MAX_GUARD + 1)  # each guard's, redone exactly only where needed
    for relative, margin in ((False, 0.9), (True, 0.9)):
        for guard in range(MAX_GUARD + 1):
            if values[guard] is None:
                values[guard] = redone(arithmetic, _text(fmt.guarded(guard)))
            if values[guard] is not None and redoes(values[guard], target, fmt, relative=relative, margin=margin):
                return fmt.guarded(guard)
    # No operands redo it (float64's own limits, as a sigmoid held at z = -709.78): guard digits
    # would not help the reader, so there are none.
    return fmt


def _text(guarded: NumberFormat):
    """A line's number as a reader reads it with its operands written as `guarded`: its text."""

    def text(number) -> str:
        return (exact(number.value) if number.exact else written(number.value, guarded)).plain()

    return text


def _guards(fmt: NumberFormat) -> list:
    """For each guard digit an element line's operands may take (0 to MAX_GUARD), their format and
    the function that reads a number so written into float64 with its error (arithmetic.read):
    made once for a format, as every line of a run is written at one."""
    found = _GUARDS.get(fmt)
    if found is None:
        if len(_GUARDS) >= 8:  # a run writes at one format, a document or two more
            _GUARDS.clear()
        found = _GUARDS[fmt] = [(fmt.guarded(guard), _reader(fmt.guarded(guard))) for guard in range(MAX_GUARD + 1)]
    return found


_GUARDS: dict = {}


def _reader(guarded: NumberFormat):
    """A number of an element line as read (arithmetic.read of its text at `guarded`), kept by its
    value: a line is tried at several guards, and a class's lines share many of their numbers (the
    inputs, the targets, 1 and 0). Numbers given exactly are read alike at every format."""
    computed = {}

    def number(node) -> tuple[float, float]:
        value = node.value
        kept = _EXACT_READ if node.exact else computed
        found = kept.get(value)
        if found is None:
            if len(kept) >= KEPT_READS:
                kept.clear()
            found = kept[value] = read((exact(value) if node.exact else written(value, guarded)).plain())
        return found

    return number


KEPT_READS = 4096  # numbers a format keeps read, as `written` keeps written
_EXACT_READ: dict = {}
