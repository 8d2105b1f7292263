"""The names of a network's quantities, following the paper.

One hidden layer gives the paper's H_in, H_out, E_hidden, delta_hidden, W_h, b_h;
several give H1_in, ..., W_h1, ...; the output layer is O_in, O_out, E, delta_out,
W_out, b_out. A layer named by the spec uses its name throughout. Each quantity
has an ASCII key (JSON, Python, code lines) and a symbol (notation) for formulas.
"""

from __future__ import annotations

from typing import NamedTuple

from nntrace.notation.nodes import Apply, Deriv, Expr, Neg, Sym

LOSS = Sym("L")


class Name(NamedTuple):
    """A quantity's key (in records, JSON and code) and its symbol (in formulas)."""

    key: str
    symbol: Expr


class LayerNames(NamedTuple):
    """The names of one layer's quantities, numbered or labelled as the network's layers are."""

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


INPUTS = Name("X", Sym("X"))
TARGETS = Name("y", Sym("y"))
LEARNING_RATE = Name("eta", Sym("eta"))


def descent(of: Sym) -> Expr:
    """-dL/d(of): the direction the update moves `of` in."""
    return Neg(Deriv(LOSS, of))


def layer_names(layer: str, activation_symbol: Sym) -> LayerNames:
    prefix = {"out": "O", "h": "H"}.get(layer)
    if prefix is None:
        prefix = "H" + layer[1:] if layer[:1] == "h" and layer[1:].isdigit() else layer
    error = {"out": Sym("E"), "h": Sym("E", "hidden")}.get(layer, Sym("E", layer))
    error_key = {"out": "E", "h": "E_hidden"}.get(layer, f"E_{layer}")
    delta = {"h": "hidden"}.get(layer, layer)
    weights, biases = Sym("W", layer), Sym("b", layer)
    slope_of = Sym(activation_symbol.base, prime=True)
    return LayerNames(
        layer=layer,
        z=Name(f"{prefix}_in", Sym(prefix, "in")),
        a=Name(f"{prefix}_out", Sym(prefix, "out")),
        slope=Name(f"slope_{prefix}", Apply(slope_of, (Sym(prefix),))),
        error=Name(error_key, error),
        delta=Name(f"delta_{delta}", Sym("delta", delta)),
        weights=Name(f"W_{layer}", weights),
        biases=Name(f"b_{layer}", biases),
        weight_gradient=Name(f"dW_{layer}", descent(weights)),
        bias_gradient=Name(f"db_{layer}", descent(biases)),
    )
