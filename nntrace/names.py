"""The names of a network's quantities, following the paper.

One hidden layer gives the paper's H_in, H_out, E_hidden, delta_hidden, W_h, b_h;
several give H1_in, ..., W_h1, ...; the output layer is O_in, O_out, E, delta_out,
W_out, b_out. A layer named by the spec uses its name throughout. Each quantity
has an ASCII key (JSON, Python) and the symbol printed in the steps.
"""

from __future__ import annotations

from dataclasses import dataclass

PRIME = "\u2032"
DELTA = "\u03b4"


@dataclass(frozen=True)
class Name:
    key: str
    symbol: str


@dataclass(frozen=True)
class LayerNames:
    layer: str
    z: Name
    a: Name
    slope: Name
    error: Name
    delta: Name
    weights: Name
    biases: Name
    weight_gradient: Name  # -dL/dW, the matrix the update adds eta times
    bias_gradient: Name


INPUTS = Name("X", "X")
TARGETS = Name("y", "y")


def _plain(key: str) -> Name:
    return Name(key, key)


def layer_names(layer: str, activation_symbol: str) -> LayerNames:
    prefix = {"out": "O", "h": "H"}.get(layer)
    if prefix is None:
        prefix = "H" + layer[1:] if layer[:1] == "h" and layer[1:].isdigit() else layer
    error = {"out": "E", "h": "E_hidden"}.get(layer, f"E_{layer}")
    delta = {"h": "hidden"}.get(layer, layer)
    return LayerNames(
        layer=layer,
        z=_plain(f"{prefix}_in"),
        a=_plain(f"{prefix}_out"),
        slope=Name(f"slope_{prefix}", f"{activation_symbol}{PRIME}({prefix})"),
        error=_plain(error),
        delta=Name(f"delta_{delta}", f"{DELTA}_{delta}"),
        weights=_plain(f"W_{layer}"),
        biases=_plain(f"b_{layer}"),
        weight_gradient=Name(f"dW_{layer}", f"\u2212\u2202L/\u2202W_{layer}"),
        bias_gradient=Name(f"db_{layer}", f"\u2212\u2202L/\u2202b_{layer}"),
    )
