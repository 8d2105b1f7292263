"""One variant of an exercise per student: drawn, validated, and answered.

A student's variant is drawn by numpy's Generator seeded from a hash of the exam's seed and the
student's id (and the number of the draw), so the same student always gets the same variant and
no student's variant depends on who else is on the roster. A draw is kept only when it passes the
checks below; else the next is drawn, up to the template's `redraws`, and a template no draw
satisfies is refused with the reasons counted:

  - no unit is saturated (σ′ below `saturation` for a sample) or dead (σ′ = 0 for every sample),
    unless the template allows it;
  - no asked answer is below `smallest` (Canvas grades |answer| < 1e-4 as 0) or rounds to 0;
  - every slip of the catalogue (checking/slips.py) that changes an asked number changes it by more
    than the blank's window, so a grader can tell the slip from a right answer;
  - every drawn number is exactly the number printed at the template's decimals;
  - no computed number is a sum that cancels to float64's rounding noise (−5.6e−17 for 0).

Each blank carries its key, its window (an answer is right within max(tolerance·|key|, 10^-decimals))
and the values the catalogued slips give, with their words, for feedback and for the LMS exports.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import math
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import yaml

from nntrace.checking.claims import ClaimsFile, parse_claims, reference, rounded_text
from nntrace.checking.evaluation import NEVER, evaluate
from nntrace.checking.quantities import Stage, claimable, elementwise_slope
from nntrace.checking.slips import (
    PASS_SLIPS,
    Convention,
    cut_steps,
    hand_rounding,
    reading_answers,
    rounding_inside,
    terms_rounded,
)
from nntrace.common.errors import SpecError
from nntrace.common.records import NamedTuple
from nntrace.engine.network import build_network
from nntrace.exercises.template import Template, drawn
from nntrace.spec.validate import Spec, spec_from_document

# Ways of working a reader may take that are not errors: at the blank's window they are judged as
# the answers they give, and need not differ from the key.
ACCEPTED_KINDS = frozenset(
    {"rounding", "cut-steps", "terms-rounded", "rounding-inside", "cut", "dropped-digit", "swapped-digits"}
)
MAX_ROSTER = 100_000
CARRIED = (hand_rounding, cut_steps, terms_rounded, rounding_inside)


class Slip(NamedTuple):  # a class keeps some 200 a student: a tuple is made in half a frozen dataclass's time
    value: float  # the answer the slip gives (scaled as the blank asks)
    words: str
    kind: str


@dataclass(frozen=True)
class Blank:
    id: str  # as a column of a submissions CSV and a claims name: H_out[2,1], or e2:W_h+[1,1]
    name: str  # the claims-file name of the cell
    label: str  # as printed: H_out[2,1]
    epoch: int
    decimals: int
    value: float  # the exact answer (× scale)
    window: float  # the absolute tolerance
    scale: float
    step: str  # the step to look at
    step_key: str = ""  # the engine's key of its quantity
    slips: tuple[Slip, ...] = ()

    @functools.cached_property  # every sheet, key and LMS file of the student prints it
    def key_text(self) -> str:
        return rounded_text(self.value, self.decimals)

    def right(self, answer: float) -> bool:
        return abs(answer - self.value) <= self.window * (1 + 1e-9)

    def slip_for(self, answer: float) -> Slip | None:
        """The catalogued slip whose answer this is (at the blank's window), if any."""
        for slip in self.slips:
            if abs(answer - slip.value) <= self.window * (1 + 1e-9):
                return slip
        return None


@dataclass(frozen=True)
class Variant:
    student: str
    name: str  # the student's name, where the roster has one
    number: int  # 1-based, in roster order
    spec_document: dict  # the drawn spec, as YAML would hold it
    spec: Spec
    blanks: tuple[Blank, ...]
    draws: int  # how many draws it took
    precision: int  # decimals the sheets print numbers with

    @property
    def key(self) -> dict[str, str]:
        return {blank.id: blank.key_text for blank in self.blanks}


@dataclass
class Tally:
    reasons: Counter = field(default_factory=Counter)


# -- the roster ----------------------------------------------------------------------------------


def read_roster(path: str | Path) -> list[tuple[str, str]]:
    """(id, name) of each student in a CSV with a header naming an `id` (or `student_id`, `email`,
    `sis_id`) column and perhaps a `name` column; a duplicate or missing id is refused naming the row."""
    path = Path(path)
    from nntrace.spec.reading import read_text

    text = read_text(path, "--roster", 16 << 20, "a CSV roster")
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise SpecError(f"--roster {path}", "is empty", "write a header row (id,name) and one row per student")
    header = [cell.strip().lower() for cell in rows[0]]
    column = id_column(header)
    if column is None:
        raise SpecError(f"--roster {path}", f"expected a header with an id column, found {rows[0][:6]}",
                        "name the column of student ids `id`")  # fmt: skip
    name_column = header.index("name") if "name" in header else None
    seen: dict[str, int] = {}
    students = []
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        ident = row[column].strip() if column < len(row) else ""
        if not ident:
            raise SpecError(f"--roster {path}, line {line}", "has no student id", "give every student an id")
        if ident in seen:
            raise SpecError(f"--roster {path}, line {line}",
                            f"the id {ident!r} is also on line {seen[ident]}; each student must have one variant",
                            "give each student one row, with a different id")  # fmt: skip
        seen[ident] = line
        name = row[name_column].strip() if name_column is not None and name_column < len(row) else ""
        students.append((ident, name))
        if len(students) > MAX_ROSTER:
            raise SpecError(f"--roster {path}", f"holds more than {MAX_ROSTER:,} students", "split the roster")
    if not students:
        raise SpecError(f"--roster {path}", "lists no student", "write one row per student under the header")
    return students


def id_column(header: list[str]) -> int | None:
    """Where a roster's or a submissions CSV's header names the student's id: a column `id`, else
    `student_id`, `sis_id` or `email` (any case), as LMS exports name it; None if none does."""
    lowered = [cell.strip().lower() for cell in header]
    return next((lowered.index(name) for name in ("id", "student_id", "sis_id", "email") if name in lowered), None)


def numbered(count: int) -> list[tuple[str, str]]:
    if not 1 <= count <= MAX_ROSTER:
        raise SpecError(
            "--variants", f"expected 1 to {MAX_ROSTER:,} variants, found {count}", "write e.g. --variants 30"
        )
    width = len(str(count))
    return [(f"v{n:0{width}d}", "") for n in range(1, count + 1)]


def student_seed(exam_seed: int, student: str) -> int:
    digest = hashlib.sha256(f"nntrace-exercise\x00{exam_seed}\x00{student}".encode()).digest()
    return int.from_bytes(digest[:8], "little")


# -- drawing and validating --------------------------------------------------------------------------


def make_variants(template: Template, students: list[tuple[str, str]], progress=None) -> list[Variant]:
    """Every student's variant, or a SpecError (nothing is written before all are made);
    `progress(n)` is told each student made."""
    made = []
    for number, (ident, name) in enumerate(students, start=1):
        made.append(make_variant(template, ident, name, number))
        if progress is not None:
            progress(number)
    return made


def make_variant(template: Template, student: str, name: str = "", number: int = 1) -> Variant:
    base = student_seed(template.seed, student)
    tally = Tally()
    for attempt in range(template.redraws):
        rng = np.random.default_rng([base, attempt])
        document = drawn(template.spec, rng)
        variant = _checked(template, document, student, name, number, attempt + 1, tally)
        if variant is not None:
            return variant
    reasons = "; ".join(
        f"{reason} ({count} of {template.redraws} draws)" for reason, count in tally.reasons.most_common(3)
    )
    raise SpecError(
        "template",
        f"no draw of {template.redraws} for {student!r} passes the checks: {reasons}",
        "widen or move the ranges drawn from, ask other quantities, raise `scale:` of a small one, "
        "or relax the checks (saturation:, allow_saturated:, smallest:, tolerance:)",
    )


def _spec_of(template: Template, document: dict) -> Spec:
    try:
        return spec_from_document(document, source=f"{template.source}: spec")
    except SpecError as error:
        raise SpecError(f"spec ({error.field})" if error.field else "spec", f"a drawn variant: {error.problem}",
                        error.fix) from None  # fmt: skip


def claims_for(template: Template, spec: Spec, document: dict) -> ClaimsFile:
    """The asked quantities of the variant drawn as `document` (whose checked spec is `spec`) as a
    claims file, every number 0."""
    # The claims depend on the network's names and shapes, not on its numbers: read once per structure.
    structure = (template.source, template.asks, _structure(spec))
    if structure not in _CLAIMS:
        _CLAIMS[structure] = _asked_claims(template, spec, document)
    return replace(_CLAIMS[structure], spec=spec.with_epochs(max(1, spec.epochs), "spec"))


def _asked_claims(template: Template, spec: Spec, document: dict) -> ClaimsFile:
    """claims_for, read as a claims file (a bad ask or one asked twice refused naming its field)."""
    network = build_network(spec)
    names = claimable(network, spec)
    claims = []  # one entry per ask, so the file's claims are the asks in order
    for ask in template.asks:
        quantity, index = _quantity(ask, names)
        placeholder = 0.0 if index is not None or not quantity.shape else np.zeros(quantity.shape).tolist()
        claims.append({"epoch": ask.epoch, ask.name: placeholder})
    file = claims_file(document, claims)
    asked: dict[tuple, str] = {}
    for ask, claim in zip(template.asks, file.claims):
        for cell in claim.cells:
            if (claim.epoch, cell.shown, claim.quantity.key, claim.quantity.stage) in asked:
                label = claim.quantity.element_label(cell.shown)
                first = asked[claim.epoch, cell.shown, claim.quantity.key, claim.quantity.stage]
                raise SpecError(ask.field, f"asks {label} of epoch {claim.epoch} again ({first} asks it)",
                                "ask each number once")  # fmt: skip
            asked[claim.epoch, cell.shown, claim.quantity.key, claim.quantity.stage] = ask.field
    return file


_CLAIMS: dict[tuple, ClaimsFile] = {}


def claims_file(document: dict, claims: list[dict], tolerance: int = 0) -> ClaimsFile:
    """A claims file on the drawn spec `document`, as `nntrace check` reads one."""
    text = yaml.safe_dump({"spec": document, "tolerance": tolerance, "claims": claims}, sort_keys=False,
                          allow_unicode=True)  # fmt: skip
    return parse_claims(text, "<exercise>", Path("."))


def _quantity(ask, names):
    """The quantity an ask names and the cell it indexes (None: the whole quantity), read as a
    claims file reads a claimed name, so a bad ask is refused naming its field."""
    return reference(ask.name, ask.field, names)


def _checked(template: Template, document: dict, student: str, name: str, number: int, draws: int,
             tally: Tally) -> Variant | None:  # fmt: skip
    spec = _spec_of(template, document)
    if not _givens_printable(template, spec):
        tally.reasons["a drawn number is not printed exactly at the template's decimals"] += 1
        return None
    file = claims_for(template, spec, document)
    reference = evaluate(file, Convention(), NEVER, judged=False)  # the placeholders are not answers
    network = build_network(spec)
    problem = _unit_problem(template, network, reference) or _cancelled(template, network, reference)
    if problem:
        tally.reasons[problem] += 1
        return None
    steps = _steps_cached(spec)
    blanks = []
    for number_, claim in enumerate(file.claims):
        ask = template.asks[number_]
        for position, cell in enumerate(claim.cells):
            value = float(reference.values[number_][position]) * ask.scale
            if not math.isfinite(value):
                tally.reasons["an asked number is not finite"] += 1
                return None
            label = claim.quantity.element_label(cell.shown)
            if abs(value) < template.smallest or float(rounded_text(value, ask.decimals)) == 0:
                tally.reasons[f"an asked number ({label}) is below {template.smallest:g}, which an LMS grades as 0 "
                              "(Canvas zeroes answers under 1e-4)"] += 1  # fmt: skip
                return None
            window = max(ask.tolerance * abs(value), 10.0**-ask.decimals)
            claim_name = ascii_name(claim.quantity, cell.shown)
            ident = claim_name if claim.epoch == 1 else f"e{claim.epoch}:{claim_name}"
            blanks.append(Blank(ident, claim_name, label, claim.epoch, ask.decimals, value, window, ask.scale,
                                steps.get((claim.quantity.key, claim.quantity.stage is Stage.AFTER), ""),
                                claim.quantity.key))  # fmt: skip
    slipped = _slip_values(file, reference, spec, template, blanks)
    final = []
    for blank, slips in zip(blanks, slipped):
        kept: dict[str, tuple[float, str, str]] = {}
        for slip in slips:
            value, words, kind = slip
            off = abs(value - blank.value)
            if not math.isfinite(value) or off <= 1e-12 * max(1.0, abs(blank.value)):
                continue  # the slip leaves this number as it is
            if off <= blank.window * (1 + 1e-9):
                if kind in ACCEPTED_KINDS:
                    continue
                tally.reasons[f"a slip gives nearly the right {blank.label} ({words})"] += 1
                return None
            kept.setdefault(rounded_text(value, blank.decimals), slip)
        final.append(_with_slips(blank, tuple(Slip(*slip) for slip in kept.values())))
    precision = max([template.given_decimals, *(b.decimals for b in final)])
    return Variant(student, name, number, document, spec, tuple(final), draws, precision)


def ascii_name(quantity, shown: tuple[int, ...]) -> str:
    """The cell's name in ASCII, as a CSV column and a claims file take it: delta_out[2,1], W_h+[1,3]."""
    plain = next((name for name in quantity.names if name.isascii()), quantity.label)
    after = "+" if quantity.stage is Stage.AFTER else ""
    return f"{plain}{after}[{','.join(map(str, shown))}]" if shown else f"{plain}{after}"


def _with_slips(blank: Blank, slips: tuple[Slip, ...]) -> Blank:
    """The blank with its slips (made field by field: dataclasses.replace costs 8 us a blank)."""
    return Blank(blank.id, blank.name, blank.label, blank.epoch, blank.decimals, blank.value, blank.window,
                 blank.scale, blank.step, blank.step_key, slips)  # fmt: skip


def _givens_printable(template: Template, spec: Spec) -> bool:
    decimals = template.given_decimals
    arrays = [spec.inputs, spec.targets] + [a for layer in spec.layers for a in (layer.weights, layer.biases)]
    for array in arrays:
        if array is None:
            continue
        values = np.asarray(array, dtype=np.float64)
        if not np.array_equal(np.round(values, decimals), values):
            return False
    return True


def _unit_problem(template: Template, network, reference) -> str | None:
    for values in reference.passes.values():
        for layer in network.layers:
            if not elementwise_slope(layer) or not layer.activation.trainable:
                continue
            slope = values.seen.get(layer.names.slope.key)
            if slope is None:
                continue
            slope = np.abs(np.asarray(slope, dtype=np.float64))
            if not template.allow_dead and np.any(np.all(slope == 0, axis=0)):
                return f"a dead unit in layer {layer.names.layer} (σ′ = 0 for every sample)"
            if not template.allow_saturated and np.any((slope > 0) & (slope < template.saturation)):
                return f"a saturated unit in layer {layer.names.layer} (σ′ below {template.saturation:g})"
    return None


NOISE = 1e-12  # below this, a number drawn at a few decimals is a sum that cancels to float64's rounding


def _cancelled(template: Template, network, reference) -> str | None:
    """A sum of drawn numbers that is exactly 0 (−0.30 + 0.69 − 0.39) is, in float64, a rounding
    residue such as −5.6e−17: the key would print it and its operands with twenty digits. Such a
    draw is redrawn. (A template that allows saturated units may have slopes truly that small.)"""
    slopes = {layer.names.slope.key for layer in network.layers} if template.allow_saturated else set()
    for values in reference.passes.values():
        seen = [(key, np.asarray(value, dtype=np.float64)) for key, value in values.seen.items() if key not in slopes]
        if not seen or not _noise(np.concatenate([value.ravel() for _, value in seen])):
            continue  # (every number of the pass at once: the usual answer)
        for key, value in seen:
            if _noise(value):
                return f"a computed number ({key}) cancels to rounding noise (|value| < {NOISE:g})"
    return None


def _noise(values: np.ndarray) -> bool:
    size = np.abs(values)
    return bool(np.any((size > 0) & (size < NOISE)))


_STEPS: dict[tuple, dict] = {}


def _steps_cached(spec: Spec) -> dict[tuple[str, bool], str]:
    """_steps, once per structure of network (the steps do not depend on the numbers drawn)."""
    structure = _structure(spec)
    if structure not in _STEPS:
        _STEPS[structure] = _steps(spec)
    return _STEPS[structure]


def _steps(spec: Spec) -> dict[tuple[str, bool], str]:
    """The step that computes each quantity (by its key, and whether after the update), as a hint:
    'Step 7 (Output delta)'."""
    from nntrace.engine.network import train
    from nntrace.solution.steps import epoch_solution

    network = build_network(spec.with_epochs(1, "spec"))
    training = train(network, spec.inputs, spec.targets, 1, batch_size=spec.batch_size, shuffle=spec.shuffle,
                     traced={1}, traced_batches={1})  # fmt: skip
    solution = epoch_solution(network, training.records[0], spec.layout)
    found: dict[tuple[str, bool], str] = {}
    for step in solution.steps:
        for equation in step.equations:
            for node in (equation.result, equation.lhs):
                key = getattr(node, "key", None)
                if key:  # first computed, last updated
                    found.setdefault((key, False), f"Step {step.number} ({step.title})")
                    found[key, True] = f"Step {step.number} ({step.title})"
    return found


def _slip_values(file: ClaimsFile, reference, spec: Spec, template: Template,
                 blanks: list[Blank]) -> list[list[tuple[float, str, str]]]:  # fmt: skip
    """For each blank (in the order of the claims' cells), the answers the catalogued slips give:
    (value, words, kind), as a Slip holds them."""
    found: list[list[tuple[float, str, str]]] = [[] for _ in blanks]
    cells = [(n, p) for n, claim in enumerate(file.claims) for p in range(len(claim.cells))]
    for convention, words, kind in _pass_slips(spec):
        values = evaluate(file, convention, NEVER, reference.start, judged=False).values
        rows = [values[n].tolist() for n in range(len(file.claims))]  # Python's floats
        for blank_number, (n, p) in enumerate(cells):
            found[blank_number].append((rows[n][p] * blanks[blank_number].scale, words, kind))
    scaled: dict[int, np.ndarray] = {}  # each claim's whole array, scaled as its ask asks
    for blank_number, (n, p) in enumerate(cells):
        blank, claim = blanks[blank_number], file.claims[n]
        if n not in scaled:
            scaled[n] = np.asarray(reference.arrays[n], dtype=np.float64) * blank.scale
        found[blank_number] += reading_answers(claim.quantity, claim.cells[p].shown, scaled[n], blank.value,
                                               blank.decimals)  # fmt: skip
    return found


def _pass_slips(spec: Spec) -> list[tuple[Convention, str, str]]:
    """The catalogue's slips of a whole pass that apply to the spec (not its ways of carrying
    digits, which check names when grading), with their words and kind: once per network but for
    its numbers, since which slips apply and how they are said depend on its layers, loss and
    settings (a class draws the same network hundreds of times)."""
    structure = _structure(spec)
    found = _PASS_SLIPS.get(structure)
    if found is None:
        network, base = build_network(spec), Convention()
        found = []
        for slip in PASS_SLIPS:
            if slip in CARRIED:
                continue
            for convention in slip(network, spec, base):
                cause = convention.cause
                found.append((convention, str(cause), cause.kind))
        _PASS_SLIPS[structure] = found
    return found


_PASS_SLIPS: dict[tuple, list[tuple[Convention, str, str]]] = {}


def _structure(value):
    """A spec (or a part of it) with each array as its shape: all that its steps, its claimable
    names and the slips that apply depend on, and more (a setting that is a number is kept as it
    is), never its drawn matrices, so the variants of one template share what is found from it."""
    if isinstance(value, np.ndarray):
        return ("array", value.shape)
    if isinstance(value, tuple):
        return tuple(_structure(item) for item in value)
    names = getattr(value, "__record_fields__", None)
    if names is not None:
        return (type(value), *(_structure(getattr(value, name)) for name in names))
    return value
