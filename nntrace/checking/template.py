"""A claims file to fill in: every quantity a claim may name for a spec, with its shape, in the order
of computation, its numbers left blank (~, YAML's null, which claims nothing)."""

from __future__ import annotations

from nntrace.checking.claims import batches_per_epoch
from nntrace.checking.quantities import Stage, claimable
from nntrace.engine.network import build_network
from nntrace.spec.validate import Spec

MAX_WRITTEN_CELLS = 64  # larger quantities are offered one element at a time
_STAGES = {
    Stage.BEFORE: "the parameters as the pass starts",
    Stage.PASS: "the pass",
    Stage.LOSS: "the pass",
    Stage.AFTER: "after the update",
    Stage.EPOCH: "the whole epoch",
}


def claims_template(spec: Spec, spec_reference: str) -> str:
    """The claims file for `spec` (named `spec_reference` in its spec: line), numbers blank."""
    network = build_network(spec)
    names = claimable(network, spec)
    batches = batches_per_epoch(spec)
    lines = [
        f"# Claims on {spec.name or spec_reference}: write the numbers you have in place of the ~ (a blank",
        "# claims nothing), one number as printed (its decimals are the claim's), and check them with",
        "# `nntrace check THIS-FILE`. Delete what you do not claim, or leave it blank. Each name may also be",
        "# written as the comment beside it says; one element alone as NAME[i,j] (from 1, as printed).",
        f"spec: {spec_reference}      # relative to this file, or a shipped example's name",
        "# tolerance: 1            # units in the last printed digit a number may be off by",
        "# round: printed          # or 2..8: how the steps before a claim were carried",
        "claims:",
        "  - source: epoch 1        # shown in the report",
        "    epoch: 1",
    ]
    if batches > 1:
        lines.append(f"    batch: 1                # of {batches}; a parameter after the update (W⁺) is the epoch's last batch's")
    said = set()
    stage = None
    for quantity in names.ordered:
        if quantity.label in said:
            continue
        said.add(quantity.label)
        if _STAGES[quantity.stage] != stage:
            stage = _STAGES[quantity.stage]
            lines.append(f"    # {stage}")
        lines.append("    " + _entry(quantity))
    return "\n".join(lines) + "\n"


def _entry(quantity) -> str:
    shape = quantity.shape
    size = 1
    for extent in shape:
        size *= extent
    after = "+" if quantity.stage is Stage.AFTER and quantity.label.endswith("⁺") else ""
    others = [name + after for name in quantity.names if name != quantity.label]
    described = "one number" if not shape or shape == (1,) else f"{shape[0]} values" if len(shape) == 1 else "x".join(map(str, shape))
    note = f"# {described}" + (f"; also {', '.join(others)}" if others else "")
    if size > MAX_WRITTEN_CELLS:
        element = ",".join("1" for _ in shape)
        return f"{quantity.label}[{element}]: ~    {note}: whole as {'a list' if len(shape) == 1 else 'rows'}, or by element"
    if not shape:
        blank = "~"
    elif len(shape) == 1:
        blank = "[" + ", ".join("~" for _ in range(shape[0])) + "]"
    else:
        row = "[" + ", ".join("~" for _ in range(shape[1])) + "]"
        blank = "[" + ", ".join(row for _ in range(shape[0])) + "]"
    return f"{quantity.label}: {blank}    {note}"
