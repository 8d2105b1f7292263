"""An exercise template: a spec whose numbers may be drawn, what is asked and what is given.

    name: The paper's network, one epoch by hand
    seed: 2026                          # the exam's seed: with a student's id it fixes the variant
    spec:                               # a spec (see the README), where any value may be drawn:
      inputs: [[1, 0, 1, 0], [1, 0, 1, 1], [0, 1, 0, 1]]
      activation: {choose: [sigmoid, tanh]}
      layers:
        - weights: {uniform: [-1, 1], decimals: 2, shape: [4, 3]}   # a whole matrix
          biases: [{uniform: [0, 0.5], decimals: 2}, 0.1, 0.2]       # or one cell
    ask:                                # quantities, whole or one cell, as `nntrace check` names them
      - H_out[2,1]
      - {quantity: δ_out, decimals: 4, tolerance: 0.01, epoch: 1}
    give: [inputs, targets, weights, biases, learning_rate]
    decimals: 3                         # of an asked number, unless the ask says otherwise
    tolerance: 0                        # relative; an answer is right within max(tolerance·|key|, 10^-decimals)

Checks (all optional): `saturation` (σ′ below it refuses a variant; default 0.01), `allow_saturated`
and `allow_dead` (false), `smallest` (the smallest |answer| an LMS grades; default 1e-4, as Canvas
zeroes smaller ones), `redraws` (default 200), `partial_credit` (the share of a blank that is a
consequence of an earlier error; default 0).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from nntrace.common.errors import SpecError
from nntrace.spec import safe_yaml
from nntrace.spec.reading import read_text
from nntrace.spec.validate import boolean, describe

MAX_TEMPLATE_BYTES = 1 << 20
KEYS = ("name", "seed", "spec", "ask", "give", "decimals", "tolerance", "saturation", "allow_saturated",
        "allow_dead", "smallest", "redraws", "partial_credit")  # fmt: skip
GIVABLE = ("inputs", "targets", "weights", "biases", "learning_rate", "activation", "loss")
ASK_KEYS = ("quantity", "decimals", "tolerance", "epoch", "scale")
MAX_DECIMALS = 8
MAX_DRAWN = 10_000  # numbers one variant may draw


@dataclass(frozen=True)
class Ask:
    """One asked quantity: a claims-file name (whole, or one cell), of which epoch, how judged."""

    name: str
    epoch: int
    decimals: int
    tolerance: float  # relative
    scale: float = 1.0  # the answer asked is scale × the value (to keep it above an LMS's floor)
    field: str = "ask"


@dataclass(frozen=True)
class Template:
    name: str
    seed: int
    spec: dict  # with draws in it
    asks: tuple[Ask, ...]
    give: tuple[str, ...]
    given_decimals: int  # the most decimals a given number carries, drawn or typed (the sheets print givens so)
    saturation: float = 0.01
    allow_saturated: bool = False
    allow_dead: bool = False
    smallest: float = 1e-4
    redraws: int = 200
    partial_credit: float = 0.0
    source: str = "<template>"


def load_template(path: str | Path) -> Template:
    path = Path(path)
    text = read_text(path, "", MAX_TEMPLATE_BYTES, "a YAML exercise template")
    return parse_template(text, str(path))


def parse_template(text: str, source: str = "<template>") -> Template:
    document = safe_yaml.load(text)
    if not isinstance(document, dict):
        raise SpecError("template", f"expected a mapping with spec: and ask:, found {describe(document)}",
                        "see the README's Exercises section")  # fmt: skip
    unknown = [key for key in document if key not in KEYS]
    if unknown:
        raise SpecError(str(unknown[0])[:60], "is not a key of an exercise template", f"use one of: {', '.join(KEYS)}")
    spec = document.get("spec")
    if not isinstance(spec, dict):
        raise SpecError("spec", f"expected the network's spec as a mapping, found {describe(spec)}",
                        "write spec: with inputs:, targets:, learning_rate: and layers:")  # fmt: skip
    seed = document.get("seed", 0)
    if type(seed) is not int or seed < 0:
        raise SpecError("seed", f"expected a whole number from 0, found {seed!r}", "write e.g. seed: 2026")
    decimals = _decimals(document.get("decimals", 3), "decimals")
    tolerance = _fraction(document.get("tolerance", 0), "tolerance")
    raw_asks = document.get("ask")
    if not isinstance(raw_asks, list) or not raw_asks:
        raise SpecError("ask", f"expected a list of asked quantities, found {describe(raw_asks)}",
                        "write e.g. ask: [H_out[2,1], δ_out]")  # fmt: skip
    asks = tuple(_ask(item, f"ask[{number}]", decimals, tolerance) for number, item in enumerate(raw_asks, start=1))
    give = document.get("give", list(GIVABLE))
    if not isinstance(give, list) or any(item not in GIVABLE for item in give):
        wrong = give if not isinstance(give, list) else next(item for item in give if item not in GIVABLE)
        raise SpecError("give", f"expected a list of {', '.join(GIVABLE)}; found {wrong!r}",
                        "write e.g. give: [inputs, targets, weights, biases, learning_rate]")  # fmt: skip
    drawn_decimals = _draw_decimals(spec, "spec")
    return Template(
        name=str(document.get("name", "")) or Path(source).stem,
        seed=seed,
        spec=spec,
        asks=asks,
        give=tuple(give),
        given_decimals=drawn_decimals,
        saturation=_fraction(document.get("saturation", 0.01), "saturation"),
        allow_saturated=boolean(document.get("allow_saturated", False), "allow_saturated"),
        allow_dead=boolean(document.get("allow_dead", False), "allow_dead"),
        smallest=_fraction(document.get("smallest", 1e-4), "smallest"),
        redraws=_count(document.get("redraws", 200), "redraws"),
        partial_credit=_share(document.get("partial_credit", 0), "partial_credit"),
        source=source,
    )


def _ask(item, field: str, decimals: int, tolerance: float) -> Ask:
    if isinstance(item, str):
        return Ask(item, 1, decimals, tolerance, field=field)
    if not isinstance(item, dict) or "quantity" not in item:
        raise SpecError(field, f"expected a name (H_out[2,1]) or a mapping with quantity:, found {describe(item)}",
                        "write e.g. - {quantity: δ_out, decimals: 4}")  # fmt: skip
    unknown = [key for key in item if key not in ASK_KEYS]
    if unknown:
        raise SpecError(f"{field}.{unknown[0]}", "is not a key of an asked quantity", f"use {', '.join(ASK_KEYS)}")
    name = item["quantity"]
    if not isinstance(name, str) or not name:
        raise SpecError(
            f"{field}.quantity", f"expected a quantity's name, found {name!r}", "write e.g. quantity: H_out"
        )
    epoch = item.get("epoch", 1)
    if type(epoch) is not int or not 1 <= epoch <= 100:
        raise SpecError(f"{field}.epoch", f"expected a whole number from 1 to 100, found {epoch!r}", "write epoch: 1")
    scale = item.get("scale", 1)
    if isinstance(scale, bool) or not isinstance(scale, (int, float)) or not math.isfinite(scale) or scale <= 0:
        raise SpecError(f"{field}.scale", f"expected a positive number, found {scale!r}", "write e.g. scale: 1000")
    return Ask(
        name,
        epoch,
        _decimals(item.get("decimals", decimals), f"{field}.decimals"),
        _fraction(item.get("tolerance", tolerance), f"{field}.tolerance"),
        float(scale),
        field,
    )


def _decimals(raw, field: str) -> int:
    if type(raw) is not int or not 0 <= raw <= MAX_DECIMALS:
        raise SpecError(field, f"expected a whole number of decimals from 0 to {MAX_DECIMALS}, found {raw!r}",
                        "write e.g. decimals: 3")  # fmt: skip
    return raw


def _fraction(raw, field: str) -> float:
    if isinstance(raw, bool) or not isinstance(raw, (int, float)) or not math.isfinite(raw) or raw < 0:
        raise SpecError(field, f"expected a number from 0, found {raw!r}", f"write e.g. {field.split('.')[-1]}: 0.01")
    return float(raw)


def _share(raw, field: str) -> float:
    value = _fraction(raw, field)
    if value > 1:
        raise SpecError(field, f"expected a share from 0 to 1, found {raw!r}", f"write e.g. {field}: 0.5")
    return value


def _count(raw, field: str) -> int:
    if type(raw) is not int or not 1 <= raw <= 100_000:
        raise SpecError(field, f"expected a whole number from 1 to 100000, found {raw!r}", f"write e.g. {field}: 200")
    return raw


# -- draws -------------------------------------------------------------------------------------------


def is_draw(value) -> bool:
    return isinstance(value, dict) and ("uniform" in value or "choose" in value)


def _draw_decimals(value, field: str) -> int:
    """Check every draw in `value` (SpecError naming its field) and give the most decimals one prints."""
    if is_draw(value):
        return _check_draw(value, field)
    if isinstance(value, dict):
        return max([_draw_decimals(item, f"{field}.{key}") for key, item in value.items()] or [0])
    if isinstance(value, list):
        return max([_draw_decimals(item, f"{field}[{n}]") for n, item in enumerate(value, start=1)] or [0])
    return _written_decimals(value)


def _check_draw(draw: dict, field: str) -> int:
    unknown = [key for key in draw if key not in ("uniform", "choose", "decimals", "shape")]
    if unknown or ("uniform" in draw) == ("choose" in draw):
        raise SpecError(field, "expected a draw {uniform: [lo, hi], decimals: 2} or {choose: [...]}",
                        f"found the keys {', '.join(map(str, draw))}; write one of the two")  # fmt: skip
    shape = draw.get("shape")
    if shape is not None and (not isinstance(shape, list) or not 1 <= len(shape) <= 2
                              or any(type(n) is not int or not 1 <= n <= 1000 for n in shape)
                              or math.prod(shape) > MAX_DRAWN):  # fmt: skip
        raise SpecError(f"{field}.shape", f"expected [rows, columns] or [n] of whole numbers, found {shape!r}",
                        "write e.g. shape: [4, 3]")  # fmt: skip
    if "choose" in draw:
        options = draw["choose"]
        if not isinstance(options, list) or not options:
            raise SpecError(f"{field}.choose", f"expected a list to choose from, found {describe(options)}",
                            "write e.g. choose: [sigmoid, tanh]")  # fmt: skip
        return max(_written_decimals(option) for option in options)
    bounds = draw["uniform"]
    if (not isinstance(bounds, list) or len(bounds) != 2
            or any(isinstance(b, bool) or not isinstance(b, (int, float)) or not math.isfinite(b) for b in bounds)
            or bounds[0] >= bounds[1]):  # fmt: skip
        raise SpecError(f"{field}.uniform", f"expected [lo, hi] with lo < hi, found {bounds!r}",
                        "write e.g. uniform: [-1, 1]")  # fmt: skip
    if "decimals" not in draw:
        raise SpecError(field, "a uniform draw needs the decimals its numbers are printed with",
                        "add decimals: 2")  # fmt: skip
    return _decimals(draw["decimals"], f"{field}.decimals")


def _written_decimals(value) -> int:
    if isinstance(value, float):
        text = repr(value)
        return len(text.partition(".")[2]) if "e" not in text else MAX_DECIMALS
    if isinstance(value, list):
        return max([_written_decimals(item) for item in value] or [0])
    return 0


def drawn(value, rng: np.random.Generator):
    """`value` with every draw replaced by a number (or matrix, or choice) from `rng`."""
    if is_draw(value):
        return _one_draw(value, rng)
    if isinstance(value, dict):
        return {key: drawn(item, rng) for key, item in value.items()}
    if isinstance(value, list):
        return [drawn(item, rng) for item in value]
    return value


def _one_draw(draw: dict, rng: np.random.Generator):
    shape = tuple(draw.get("shape") or ())
    if "choose" in draw:
        options = draw["choose"]
        if not shape:
            return options[int(rng.integers(len(options)))]
        picks = rng.integers(len(options), size=shape)
        return np.asarray(options, dtype=object)[picks].tolist()
    lo, hi = draw["uniform"]
    decimals = draw["decimals"]
    values = np.round(rng.uniform(lo, hi, size=shape or None), decimals)
    values = values + 0.0  # no -0.0 printed
    return values.tolist() if shape else float(values)
