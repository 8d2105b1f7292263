"""A claims file: someone's numbers for a network's quantities, read as they were printed.

    spec: paper.yaml            # a path relative to this file, a shipped example's name, or the spec inline
    tolerance: 1                # optional: units in the last printed digit a claim may be off by
    round: printed              # optional: 2..8 (hand rounding carried at that many decimals) or printed
    claims:
      - source: Step 2          # optional, shown in the report
        epoch: 1                # optional (1); batch: optional (1)
        H_in: [[1.48, 1.78, 1.10], [2.40, 1.89, 1.62], [1.48, 1.56, 1.28]]
        H_out[2,1]: 0.916
        W_out+: [0.295, 0.245, 0.225]
        L: 0.298

Names are the ones nntrace prints (H_in, δ_out or delta_out, σ′(O) or slope_O, W_h, dW_h, ...) and
the others of quantities.py (∂L/∂O_in, ΔW_h, e^O_in, m_W_out, L_epoch, ...), whole or one element
1-based as papers index them, in the spec's layout. A parameter's name alone is its value as the
pass starts; with + (or ⁺, after Mazur's w⁺) its value after the pass's update, which for a
parameter defaults to the epoch's last batch. L is the pass's loss. Each number keeps the digits it
was written with: 1.10 claims two decimals; one written with more significant digits than float64
carries (Python's print gives up to 17) is judged at the 15 it does carry. A null cell claims
nothing, and an entry whose cells are all null (a template's blanks) is left out.
"""

from __future__ import annotations

import decimal
import functools
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

from nntrace.checking.quantities import Catalogue, Quantity, Stage, claimable
from nntrace.common.errors import SpecError
from nntrace.engine.network import build_network
from nntrace.notation.numbers import SIGNIFICANT, hand_round, rounded_decimal
from nntrace.spec import safe_yaml
from nntrace.spec.reading import read_text
from nntrace.spec.validate import MAX_SPEC_BYTES, Spec, load_spec_or_example, spec_from_document

ROUNDINGS = range(1, 9)
PRINTED = "printed"
# Check recomputes every pass up to the last claimed one some thirty times (once for each likely
# cause it tries), so the passes a claims file may reach are bounded before any work starts.
MAX_PASSES = 2000
MAX_NAME = 200  # characters of a claimed name (the longest real one is some 30)
MAX_EXPONENT, MIN_EXPONENT = 308, -324  # the powers of ten float64 holds (1.8e308; 5e-324 subnormal)
_GROUP_KEYS = ("source", "epoch", "batch")
_HAND = decimal.Context(prec=800, rounding=decimal.ROUND_HALF_UP)
_EXACT_FLOATS = 1e13  # below this many units of their last digit, claims are compared as floats


@dataclass(frozen=True)
class Number:
    """One claimed number, as written: 1.10 claims 1.1 to two decimals."""

    text: str
    value: decimal.Decimal  # as written
    decimals: int  # the decimals it is judged at: those written, or those float64 carries
    capped: bool = False  # written with more significant digits than float64 carries

    @classmethod
    def read(cls, text: str, field: str) -> Number:
        text = text.strip()
        shown = text if len(text) <= 40 else text[:37] + "..."
        try:
            value = decimal.Decimal(text)
        except decimal.InvalidOperation:
            raise SpecError(
                field, f"expected a number as printed, found {shown!r}", "write the number, e.g. 0.815"
            ) from None
        if not value.is_finite():
            raise SpecError(field, f"expected a finite number, found {shown!r}", "write the number as printed")
        if value and not MIN_EXPONENT <= value.adjusted() <= MAX_EXPONENT or not math.isfinite(float(value)):
            raise SpecError(
                field,
                f"{shown} is beyond what float64 holds (magnitudes from about 1e-324 to 1.8e308)",
                "write the number as printed",
            )
        _, digits, exponent = value.as_tuple()
        written = -exponent
        # Python prints a float with up to 17 significant digits, float64 carries 15 of them.
        extra = (len(digits) - SIGNIFICANT) if value else (written - SIGNIFICANT)
        if extra > 0:
            return cls(text, value, written - extra, capped=True)
        return cls(text, value, max(0, written))

    @functools.cached_property
    def judged(self) -> decimal.Decimal:
        """The claim at the decimals it is judged at (itself, unless it was written with more)."""
        return self.value.quantize(self.quantum, context=_HAND) if self.capped else self.value

    @functools.cached_property
    def as_float(self) -> float:
        return float(self.judged)

    @property
    def significant(self) -> int:
        """Significant digits as written (1 for a zero)."""
        return max(1, len(self.value.as_tuple().digits)) if self.value else 1

    def units_off(self, value: float) -> int | None:
        """How many units of its last digit this claim is off `value` rounded to its decimals."""
        if not math.isfinite(value):
            return None
        rounded = rounded_decimal(value, self.decimals)
        return int((self.judged - rounded).scaleb(self.decimals, context=_HAND))

    def holds(self, value: float, tolerance: int) -> bool:
        """The rule: right when `value` rounds to the claim, or is within `tolerance` units of it."""
        return within(self.units_off(value), tolerance)

    @property
    def quantum(self) -> decimal.Decimal:
        return decimal.Decimal(1).scaleb(-self.decimals)


def within(off: int | None, tolerance: int) -> bool:
    """The rule on a claim `off` units of its last digit away (None: the value is not finite)."""
    return off is not None and abs(off) <= tolerance


def rounded_text(value: float, decimals: int) -> str:
    """`value` as a claim with `decimals` decimals prints it (halves away from zero, as by hand).

    Mostly by float formatting, which rounds the float's exact binary value: that is the hand
    rounding of its 15 significant digits unless those digits are a half at `decimals` (a half
    below 5e12 units of the last decimal has at most 14 significant digits, so rounding to 15
    cannot carry a number across it, only onto it). A number within 1e-13 of its size of a half, as
    float64 measures it (to 1.2e-16 of its size), is left to the Decimal way: that takes in every
    half in 15 digits (whose half unit is below 5e-15 of the size) and every number of 5e12 units
    or more; so is one with negative or many decimals, and one not finite (NaN compares false)."""
    if 0 <= decimals < len(_FORMATS):
        scaled = abs(value) * _POWERS[decimals]  # exact powers: one correctly rounded product
        if abs(scaled % 1.0 - 0.5) > scaled * 1e-13:
            text = format(value, _FORMATS[decimals])
            return text[1:] if scaled < 0.5 and text[0] == "-" else text  # no minus on a zero
    return _rounded_text_exact(value, decimals)


_FORMATS = tuple(f".{decimals}f" for decimals in range(23))
_POWERS = tuple(10.0**decimals for decimals in range(23))  # 10^22 is the last float64 holds exactly


def _rounded_text_exact(value: float, decimals: int) -> str:
    """rounded_text by exact decimal arithmetic on the 15 significant digits."""
    if not math.isfinite(value):
        return str(value)
    text = str(rounded_decimal(value, decimals))
    if "E" in text:  # a whole number judged to tens or more: written out
        text = f"{decimal.Decimal(text):f}"
    return text[1:] if text.startswith("-") and decimal.Decimal(text) == 0 else text


def convincing_text(value: float, decimals: int) -> str:
    """`value` with the digits that show a claim at `decimals` decimals what it should be: at least
    two significant digits, and as many more as it takes for the number shown to round, at
    `decimals`, to what `value` rounds to (0.00748, not 0.0075, for 0.007 at three decimals)."""
    if not math.isfinite(value):
        return str(value)
    target = rounded_decimal(value, decimals)
    shown = max(decimals, significant_decimals(value, 2))
    while shown < decimals + SIGNIFICANT:
        text = rounded_text(value, shown)
        if decimal.Decimal(text).quantize(decimal.Decimal(1).scaleb(-decimals), context=_HAND) == target:
            return text
        shown += 1
    return rounded_text(value, shown)


def significant_decimals(value: float, digits: int) -> int:
    """The decimals that show `digits` significant digits of `value` (0 for 0 or large values)."""
    if value == 0 or not math.isfinite(value):
        return 0
    return max(0, digits - 1 - math.floor(math.log10(abs(value))))


def units_off_many(claimed: np.ndarray, decimals: np.ndarray, values: np.ndarray, numbers) -> np.ndarray:
    """Number.units_off for many claims at once (NaN where the value is not finite): the rule of
    notation.numbers.hand_round, vectorised; claims too long for a float's digits take the Decimal way."""
    off = np.full(values.shape, np.nan)
    finite = np.isfinite(values)
    # most claims are of one quantity written at one precision: one group, without np.unique's sort
    alike = decimals.size and decimals.min() == decimals.max()
    for places in (decimals[:1] if alike else np.unique(decimals)):
        chosen = np.flatnonzero(finite if alike else (decimals == places) & finite)
        if not chosen.size:
            continue
        scale = 10.0 ** float(places) if places <= MAX_EXPONENT else math.inf
        near = (
            places >= 0
            and scale < math.inf
            and bool(np.all(np.abs(values[chosen]) * scale < _EXACT_FLOATS))
            and bool(np.all(np.abs(claimed[chosen]) * scale < _EXACT_FLOATS))
        )
        if near:
            off[chosen] = np.rint((claimed[chosen] - hand_round(values[chosen], int(places))) * scale)
        else:
            # (off by more than a float holds is off by "very many": 1e300 of them will do)
            off[chosen] = [max(-1e300, min(1e300, numbers[i].units_off(float(values[i])))) for i in chosen]
    return off


JUDGED_KEPT = 64  # the sets of numbers a claim keeps its judgement of (Claim.units_off)


@dataclass(frozen=True)
class Cell:
    """One claimed element: where it is in the engine's array and how the reader indexes it."""

    index: tuple[int, ...]  # into the engine's array (0-based)
    shown: tuple[int, ...]  # as written (1-based)
    number: Number

    def value_in(self, array: np.ndarray) -> float:
        """This cell's value in a claimed quantity's array (the loss is a 0-d one)."""
        return float(array[self.index] if np.ndim(array) else array)


@dataclass(frozen=True)
class Claim:
    """One entry of the file: a named quantity, whole or one element, at an epoch and batch."""

    quantity: Quantity
    epoch: int
    batch: int
    cells: tuple[Cell, ...]
    source: str | None

    @functools.cached_property
    def where(self) -> tuple[np.ndarray, ...]:
        """The cells' indices into the engine's array, for numpy's indexing."""
        return tuple(np.array(axis, dtype=np.intp) for axis in zip(*(cell.index for cell in self.cells)))

    @functools.cached_property
    def claimed(self) -> np.ndarray:
        return np.array([cell.number.as_float for cell in self.cells])

    @functools.cached_property
    def decimals(self) -> np.ndarray:
        return np.array([cell.number.decimals for cell in self.cells])

    def values_in(self, array: np.ndarray) -> np.ndarray:
        """Every cell's value in this quantity's array (shaped as the engine's)."""
        array = np.asarray(array, dtype=np.float64)
        if not array.ndim:
            return np.full(len(self.cells), float(array))
        return array[self.where]

    def units_off(self, values: np.ndarray) -> np.ndarray:
        """How many units of its last digit each cell's claim is off `values` (read-only: a diagnosis
        judges one claim against many ways of working, most of which leave its numbers as they are,
        so each set of numbers is judged once)."""
        key = values.tobytes()
        off = self._judged.get(key)
        if off is None:
            off = units_off_many(self.claimed, self.decimals, values, [cell.number for cell in self.cells])
            off.setflags(write=False)
            if len(self._judged) < JUDGED_KEPT:
                self._judged[key] = off
        return off

    @functools.cached_property
    def _judged(self) -> dict[bytes, np.ndarray]:
        return {}


@dataclass(frozen=True)
class ClaimsFile:
    spec: Spec
    tolerance: int
    rounding: int | str | None  # decimals, PRINTED, or None: judged against the exact values
    claims: tuple[Claim, ...]
    source: str

    @property
    def last_epoch(self) -> int:
        return max(claim.epoch for claim in self.claims)

    @property
    def capped(self) -> int:
        """How many claimed numbers were written with more digits than float64 carries."""
        return sum(cell.number.capped for claim in self.claims for cell in claim.cells)


def load_claims(path: str | Path) -> ClaimsFile:
    """Read the claims file at `path` (SpecError on any problem)."""
    path = Path(path)
    text = read_text(path, "", MAX_SPEC_BYTES, "a YAML claims file")
    return parse_claims(text, str(path), path.parent)


def parse_claims(text: str, source: str, base_dir: Path, spec=None) -> ClaimsFile:
    """The claims file `text`; `spec` (a path, an example's name or the spec inline), when given,
    is the spec judged in place of the file's `spec:` (a grader's: the student's own variant)."""
    try:
        document, root = safe_yaml.load_with_node(text)  # claimed numbers are read from the node, as written
    except yaml.YAMLError as error:  # e.g. a control character, refused before any parsing
        raise SpecError("claims file", f"is not YAML nntrace can read: {error}", "remove the character") from None
    except ValueError as error:  # Python refuses to make an int of more than 4,300 digits
        if isinstance(error, SpecError):
            raise
        raise SpecError(
            "claims file",
            "holds a whole number of more than 4,300 digits, which cannot be read (float64 holds up to 1.8e308)",
            "write the number as printed",
        ) from None
    if not isinstance(document, dict):
        raise SpecError("claims file", "expected a mapping with spec: and claims:", "see `nntrace check --help`")
    unknown = sorted(set(document) - {"spec", "tolerance", "round", "claims"}, key=str)
    if unknown:
        raise SpecError(
            str(unknown[0])[:60], "is not a key of a claims file", "use spec:, claims:, and optionally tolerance: and round:"
        )
    # Claims are judged on training passes: the spec needs targets, a learning rate and a gradient.
    spec = _spec(document.get("spec") if spec is None else spec, source, base_dir)
    spec = spec.with_epochs(max(1, spec.epochs), "spec")
    network = build_network(spec)
    tolerance = document.get("tolerance", 0)
    if isinstance(tolerance, bool) or not isinstance(tolerance, int) or tolerance < 0:
        raise SpecError(
            "tolerance", f"expected a whole number of units (0 or 1), found {tolerance!r}", "write tolerance: 1"
        )
    rounding = document.get("round")
    # type(...) is int: neither true (a bool) nor 3.0 (a float) is a number of decimals
    if rounding is not None and rounding != PRINTED and (type(rounding) is not int or rounding not in ROUNDINGS):
        raise SpecError(
            "round",
            f"expected a number of decimals from 1 to 8, or printed; found {rounding!r}",
            "write round: 3 (every step carried at 3 decimals) or round: printed "
            "(each step from the numbers printed before it)",
        )
    groups = _node(root, "claims")
    if not isinstance(groups, yaml.SequenceNode) or not groups.value:
        raise SpecError("claims", "expected a list of claims (- H_in[2,3]: 1.62)", "list at least one claimed value")
    names = claimable(network, spec)
    claims = []
    for number, group in enumerate(groups.value, start=1):
        claims += _group(group, f"claims[{number}]", names, spec)
    if not claims:
        raise SpecError("claims", "claims no number (every cell is null)", "write at least one number")
    return ClaimsFile(spec, tolerance, rounding, tuple(claims), source)


def _spec(raw, source: str, base_dir: Path) -> Spec:
    if isinstance(raw, dict):
        return spec_from_document(raw, source=f"{source}: spec", base_dir=base_dir)
    if not isinstance(raw, str) or not raw:
        raise SpecError(
            "spec",
            "expected the spec's path (relative to the claims file) or the spec inline",
            "write spec: paper.yaml",
        )
    try:
        return load_spec_or_example(raw, base_dir)
    except SpecError as error:
        raise SpecError("spec", f"{raw}: {error.problem}", error.fix) from None


def _node(mapping: yaml.MappingNode, key: str):
    for key_node, value in mapping.value:
        if key_node.value == key:
            return value
    return None


def batches_per_epoch(spec: Spec) -> int:
    return -(-len(spec.inputs) // (spec.batch_size or len(spec.inputs)))


def _group(node, field: str, names: Catalogue, spec: Spec) -> list[Claim]:
    if not isinstance(node, yaml.MappingNode):
        raise SpecError(
            field, "expected a mapping of names to claimed values (H_in[2,3]: 1.62)", "write `- H_in[2,3]: 1.62`"
        )
    settings = {key.value: value for key, value in node.value if key.value in _GROUP_KEYS}
    source = _text(settings["source"], f"{field}.source") if "source" in settings else None
    batches = batches_per_epoch(spec)
    epoch = _whole(settings.get("epoch"), f"{field}.epoch", 1)
    batch = _whole(settings.get("batch"), f"{field}.batch", None)
    if batch is not None and batch > batches:
        raise SpecError(
            f"{field}.batch",
            f"the spec's epochs have {batches} batch(es), found batch {batch}",
            f"choose a batch from 1 to {batches}",
        )
    if (epoch - 1) * batches + (batch or batches) > MAX_PASSES:
        furthest = MAX_PASSES // batches
        raise SpecError(
            f"{field}.epoch",
            f"check recomputes every pass up to the claimed one once for each likely cause it tries, so "
            f"claims reach at most {MAX_PASSES:,} passes: epoch {furthest:,} of this spec's {batches} batch(es) "
            f"an epoch; found epoch {epoch:,}",
            f"claim an epoch from 1 to {furthest:,}, or write the parameters of a later epoch "
            "(`nntrace run --json`) into a spec of their own and claim its epoch 1",
        )
    claims = []
    for key_node, value in node.value:
        if key_node.value in _GROUP_KEYS:
            continue
        name = _writable(str(key_node.value))
        where = f"{field}.{_short(name)}"
        quantity, index = reference(name, where, names)
        if quantity.stage is Stage.EPOCH and batch is not None:
            raise SpecError(where, f"{quantity.label} is the loss of a whole epoch", "leave batch: out of this entry")
        at = batch or (batches if quantity.stage in (Stage.AFTER, Stage.EPOCH) else 1)
        cells = _cells(value, quantity, index, where)
        if cells:  # an entry of nulls claims nothing (a template's blanks)
            claims.append(Claim(quantity, epoch, at, cells, source))
    return claims


def _short(name: str) -> str:
    return name if len(name) <= 60 else name[:57] + "..."


def _text(node, field: str) -> str:
    if not isinstance(node, yaml.ScalarNode):
        raise SpecError(field, "expected one value, found a list or mapping", "write e.g. `source: Step 2`")
    return _writable(node.value)


def _writable(text: str) -> str:
    """`text` as it can be printed: a lone surrogate (YAML's "\\ud800") written as its escape."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _whole(node, field: str, default):
    if node is None:
        return default
    text = _text(node, field).strip()
    if not _ascii_whole(text) or int(text) < 1:
        raise SpecError(field, f"expected a whole number from 1, found {_short(text)!r}", "write e.g. epoch: 1")
    return int(text)


def _ascii_whole(text: str) -> bool:
    """Digits 0-9 only (str.isdigit also takes ², which int() does not), and few enough to mean something."""
    return 0 < len(text) <= 12 and text.isascii() and text.isdigit()


def reference(text: str, field: str, names: Catalogue) -> tuple[Quantity, tuple[int, ...] | None]:
    """The quantity a claim names and the element it indexes: NAME, NAME+ or NAME⁺, then [i] or [i,j]."""
    name = text.replace(" ", "")
    index_text = None
    if len(name) <= MAX_NAME and name.endswith("]") and "[" in name:
        opening = name.rindex("[")
        name, index_text = name[:opening], name[opening + 1 : -1]
    after = name.endswith(("+", "⁺"))
    if after:
        name = name[:-1]
    quantity = names.lookup(name, after) if len(name) <= MAX_NAME else None
    if quantity is None:
        refused = names.refused.get(name)
        if refused is not None:
            raise SpecError(field, *refused)
        raise SpecError(
            field,
            f"{_short(name)!r} is not a quantity of this network",
            f"use one of: {names.names()} (a parameter with + for its value after the update)",
        )
    if index_text is None:
        return quantity, None
    parts = index_text.split(",")
    span = "[" + ",".join(f"1..{size}" for size in quantity.shape) + "]"
    index = tuple(int(part) if _ascii_whole(part) else 0 for part in parts)
    if quantity.engine_index(index) is None:
        shape = "a single number (no index)" if not quantity.shape else f"indexed {span}"
        raise SpecError(
            field,
            f"{_short(text)} is out of range: {quantity.label} is {shape}",
            f"index {quantity.label} within {span}, counting from 1",
        )
    return quantity, index


def _cells(node, quantity: Quantity, index: tuple[int, ...] | None, field: str) -> tuple[Cell, ...]:
    if index is not None:
        shown = [(index, node)]
    else:
        shown = list(_shaped(node, quantity, field))
    cells = []
    for position, scalar in shown:
        if not isinstance(scalar, yaml.ScalarNode):
            raise SpecError(
                field,
                f"expected one number for {quantity.label}{list(position)}, found a list",
                "write the number as printed",
            )
        if scalar.tag == "tag:yaml.org,2002:null":
            continue  # not claimed
        cells.append(Cell(quantity.engine_index(position), position, Number.read(scalar.value, field)))
    return tuple(cells)


def _shaped(node, quantity: Quantity, field: str):
    """(1-based position, scalar node) of a whole quantity's claimed values, in its shown shape."""
    shape = quantity.shape
    positions = [tuple(i + 1 for i in index) for index in np.ndindex(*shape)]
    expected = "one number" if len(positions) == 1 else f"{'x'.join(map(str, shape))} values"
    if isinstance(node, yaml.ScalarNode) and len(positions) == 1:
        return [(positions[0], node)]
    rows = node.value if isinstance(node, yaml.SequenceNode) else None
    flat = rows is not None and all(isinstance(item, yaml.ScalarNode) for item in rows)
    if flat and (len(shape) == 1 or 1 in shape) and len(rows) == len(positions):
        return list(zip(positions, rows))  # a vector, or a one-row or one-column matrix, written flat
    if len(shape) == 2 and rows is not None and len(rows) == shape[0]:
        if all(isinstance(row, yaml.SequenceNode) and len(row.value) == shape[1] for row in rows):
            return list(zip(positions, (cell for row in rows for cell in row.value)))
    found = f"{len(rows)} items" if rows is not None else "one number"
    raise SpecError(
        field,
        f"{quantity.label} is {'x'.join(map(str, shape))} as printed; expected {expected}, found {found}",
        f"give all of it as {'a list' if len(shape) == 1 else 'a list of rows'}, "
        f"or claim one element as {quantity.label}[{'i' if len(shape) == 1 else 'i,j'}]",
    )
