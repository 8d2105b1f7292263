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

Names are the ones nntrace prints (H_in, δ_out or delta_out, σ′(O) or slope_O, W_h, dW_h, ...),
whole or one element 1-based as papers index them, in the spec's layout. A parameter's name alone
is its value as the pass starts; with + (or ⁺, after Mazur's w⁺) its value after the pass's update,
which for a parameter defaults to the epoch's last batch. L is the pass's loss. Each number keeps
the digits it was written with: 1.10 claims two decimals. A null cell claims nothing.
"""

from __future__ import annotations

import decimal
import enum
import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

from nntrace.common.errors import SpecError
from nntrace.engine.network import Network, build_network
from nntrace.notation.names import INPUTS, LOSS, TARGETS
from nntrace.notation.numbers import rounded_decimal
from nntrace.spec import safe_yaml
from nntrace.spec.reading import read_text
from nntrace.spec.validate import MAX_SPEC_BYTES, Spec, load_spec_or_example, parse_spec
from nntrace.writers.unicode import text as unicode_text

MAX_DECIMALS = 15  # beyond float64's digits a claim cannot be judged
ROUNDINGS = range(1, 9)
PRINTED = "printed"
_GROUP_KEYS = ("source", "epoch", "batch")
_HAND = decimal.Context(prec=800, rounding=decimal.ROUND_HALF_UP)
_REFERENCE = re.compile(r"^(?P<name>.+?)(?P<after>\+|⁺)?(?:\[(?P<first>[^\],]+)(?:,(?P<second>[^\]]+))?\])?$")


class Stage(enum.Enum):
    """When in a pass a claimed value exists."""

    BEFORE = "before"  # a parameter as the pass starts
    PASS = "pass"  # a quantity the pass computes (or is given: X, y)
    LOSS = "loss"
    AFTER = "after"  # a parameter after the pass's update


@dataclass(frozen=True)
class Number:
    """One claimed number, as written: 1.10 claims 1.1 to two decimals."""

    text: str
    value: decimal.Decimal
    decimals: int

    @classmethod
    def read(cls, text: str, field: str) -> "Number":
        try:
            value = decimal.Decimal(text.strip())
        except decimal.InvalidOperation:
            raise SpecError(
                field, f"expected a number as printed, found {text!r}", "write the number, e.g. 0.815"
            ) from None
        if not value.is_finite():
            raise SpecError(field, f"expected a finite number, found {text!r}", "write the number as printed")
        decimals = max(0, -value.as_tuple().exponent)
        if decimals > MAX_DECIMALS:
            raise SpecError(
                field,
                f"{text} claims {decimals} decimals; float64 holds about {MAX_DECIMALS}",
                f"write the number to at most {MAX_DECIMALS} decimals",
            )
        return cls(text.strip(), value, decimals)

    def units_off(self, value: float) -> int | None:
        """How many units of its last digit this claim is off `value` rounded to its decimals."""
        if not math.isfinite(value):
            return None
        rounded = rounded_decimal(value, self.decimals)
        return int((self.value - rounded).scaleb(self.decimals, context=_HAND))

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
    """`value` as a claim with `decimals` decimals prints it (halves away from zero, as by hand)."""
    if not math.isfinite(value):
        return str(value)
    text = str(rounded_decimal(value, decimals))
    return text[1:] if text.startswith("-") and decimal.Decimal(text) == 0 else text


@dataclass(frozen=True)
class Quantity:
    """Something a claim can name: its key in the engine, when it exists, and its shape as shown."""

    key: str
    label: str  # as the report prints it
    stage: Stage
    shape: tuple[int, ...]  # as shown: () for the loss, (n,) for a bias, (rows, columns) otherwise
    transposed: bool  # shown as the transpose of the engine's array
    sign: float = 1.0  # -1: the negative of the engine's array (dL/dW where the engine keeps -dL/dW)

    def engine_index(self, shown: tuple[int, ...]) -> tuple[int, ...] | None:
        """The 0-based index into the engine's array of the element shown at `shown` (1-based), if any."""
        if len(shown) != len(self.shape) or not all(1 <= i <= size for i, size in zip(shown, self.shape)):
            return None
        engine = tuple(i - 1 for i in shown)
        return engine[::-1] if self.transposed else engine

    def element_label(self, shown: tuple[int, ...]) -> str:
        return f"{self.label}[{','.join(map(str, shown))}]" if shown else self.label


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


def load_claims(path: str | Path) -> ClaimsFile:
    """Read the claims file at `path` (SpecError on any problem)."""
    path = Path(path)
    text = read_text(path, "", MAX_SPEC_BYTES, "a YAML claims file")
    return parse_claims(text, str(path), path.parent)


def parse_claims(text: str, source: str, base_dir: Path) -> ClaimsFile:
    document, root = safe_yaml.load_with_node(text)  # claimed numbers are read from the node, as written
    if not isinstance(document, dict):
        raise SpecError("claims file", "expected a mapping with spec: and claims:", "see `nntrace check --help`")
    unknown = sorted(set(document) - {"spec", "tolerance", "round", "claims"})
    if unknown:
        raise SpecError(
            unknown[0], "is not a key of a claims file", "use spec:, claims:, and optionally tolerance: and round:"
        )
    # Claims are judged on training passes: the spec needs targets, a learning rate and a gradient.
    spec = _spec(document.get("spec"), source, base_dir)
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
    return ClaimsFile(spec, tolerance, rounding, tuple(claims), source)


def _spec(raw, source: str, base_dir: Path) -> Spec:
    if isinstance(raw, dict):
        return parse_spec(yaml.safe_dump(raw), source=f"{source}: spec", base_dir=base_dir)
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


def claimable(network: Network, spec: Spec) -> dict[str, Quantity]:
    """Every name a claim may use, the key and the printed symbol, for this network."""
    transposed = spec.layout.transposed
    n = len(spec.inputs)
    batch = spec.batch_size or n
    found: dict[str, Quantity] = {}

    def add(name, label: str, stage: Stage, shape: tuple[int, ...], flip: bool, aliases=(), sign=None) -> None:
        # A quantity is claimed as its name writes it: in the trace's sign convention of delta.
        shown = shape[::-1] if flip and len(shape) == 2 else shape
        quantity = Quantity(name.key, label, stage, shown, flip and len(shape) == 2, name.sign if sign is None else sign)
        for alias in aliases or {name.key, unicode_text(name.symbol)}:
            found[alias + ("+" if stage is Stage.AFTER else "")] = quantity

    def gradient(name, of: str, shape: tuple[int, ...], flip: bool) -> None:
        """dL/d(of), the negative of what the engine keeps, by the names explain prints."""
        label = f"∂L/∂{of}"
        add(name, label, Stage.PASS, shape, flip, (label, f"dL/d{of}"), sign=-1.0)

    add(INPUTS, "X", Stage.PASS, (batch, spec.inputs.shape[1]), transposed)
    add(TARGETS, "y", Stage.PASS, (batch, network.layers[-1].size), transposed)
    for layer in network.layers:
        names, (n_in, n_out) = layer.names, layer.weights.shape
        for name in (names.z, names.a, names.slope, names.error, names.delta):
            add(name, unicode_text(name.symbol), Stage.PASS, (batch, n_out), transposed)
        add(names.weight_gradient, unicode_text(names.weight_gradient.symbol), Stage.PASS, (n_in, n_out), transposed)
        add(names.bias_gradient, unicode_text(names.bias_gradient.symbol), Stage.PASS, (n_out,), False)
        gradient(names.weight_gradient, names.weights.key, (n_in, n_out), transposed)
        gradient(names.bias_gradient, names.biases.key, (n_out,), False)
        for stage, suffix in ((Stage.BEFORE, ""), (Stage.AFTER, "⁺")):
            add(names.weights, names.weights.key + suffix, stage, (n_in, n_out), transposed)
            add(names.biases, names.biases.key + suffix, stage, (n_out,), False)
    output = network.layers[-1].names
    if not network.loss.slope_cancels:  # then E = -dL/dO
        gradient(output.error, output.a.key, (batch, network.layers[-1].size), transposed)
    found["L"] = Quantity("loss", unicode_text(LOSS), Stage.LOSS, (), False)
    return found


def _group(node, field: str, names: dict[str, Quantity], spec: Spec) -> list[Claim]:
    if not isinstance(node, yaml.MappingNode):
        raise SpecError(
            field, "expected a mapping of names to claimed values (H_in[2,3]: 1.62)", "write `- H_in[2,3]: 1.62`"
        )
    settings = {key.value: value for key, value in node.value if key.value in _GROUP_KEYS}
    source = _text(settings["source"], f"{field}.source") if "source" in settings else None
    epoch = _whole(settings.get("epoch"), f"{field}.epoch", 1)
    batch = _whole(settings.get("batch"), f"{field}.batch", None)
    batches = -(-len(spec.inputs) // (spec.batch_size or len(spec.inputs)))
    if batch is not None and batch > batches:
        raise SpecError(
            f"{field}.batch",
            f"the spec's epochs have {batches} batch(es), found batch {batch}",
            f"choose a batch from 1 to {batches}",
        )
    claims = []
    for key_node, value in node.value:
        if key_node.value in _GROUP_KEYS:
            continue
        where = f"{field}.{key_node.value}"
        quantity, index = _reference(str(key_node.value), where, names)
        at = batch or (batches if quantity.stage is Stage.AFTER else 1)
        claims.append(Claim(quantity, epoch, at, _cells(value, quantity, index, where), source))
    return claims


def _text(node, field: str) -> str:
    if not isinstance(node, yaml.ScalarNode):
        raise SpecError(field, "expected one value, found a list or mapping", "write e.g. `source: Step 2`")
    return node.value


def _whole(node, field: str, default):
    if node is None:
        return default
    text = _text(node, field).strip()
    if not text.isdigit() or int(text) < 1:
        raise SpecError(field, f"expected a whole number from 1, found {text!r}", "write e.g. epoch: 1")
    return int(text)


def _reference(text: str, field: str, names: dict[str, Quantity]) -> tuple[Quantity, tuple[int, ...] | None]:
    match = _REFERENCE.match(text.replace(" ", ""))
    name = match.group("name") + ("+" if match.group("after") else "") if match else text
    quantity = names.get(name)
    if match is None or quantity is None:
        listing = ", ".join(sorted({q.label for q in names.values()}, key=str.lower))
        raise SpecError(
            field,
            f"{name!r} is not a quantity of this network",
            f"use one of: {listing} (a parameter with + for its value after the update)",
        )
    if match.group("first") is None:
        return quantity, None
    parts = [match.group("first")] + ([match.group("second")] if match.group("second") is not None else [])
    span = "[" + ",".join(f"1..{size}" for size in quantity.shape) + "]"
    index = tuple(int(part) if part.isdigit() else 0 for part in parts)
    if quantity.engine_index(index) is None:
        shape = "a single number (no index)" if not quantity.shape else f"indexed {span}"
        raise SpecError(
            field,
            f"{text} is out of range: {quantity.label} is {shape}",
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
    if not cells:
        raise SpecError(field, "claims no number (every cell is null)", "write at least one number")
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
