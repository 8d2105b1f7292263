"""The names of a network's quantities, following the paper, and the sign convention of δ.

One hidden layer gives the paper's H_in, H_out, E_hidden, delta_hidden, W_h, b_h;
several give H1_in, ..., W_h1, ...; the output layer is O_in, O_out, E, delta_out,
W_out, b_out. A layer named by the spec uses its name throughout. Each quantity
has an ASCII key (JSON, Python, code lines) and a symbol (notation) for formulas.

**Two sign conventions.** The engine computes the descent directions (E = y − O, δ = −∂L/∂z,
−∂L/∂W = Aᵀ·δ), the paper's convention, in which an update adds η times them. Mazur, Nielsen and
Goodfellow write the gradients instead (∂L/∂O = O − y, δ = ∂L/∂z, ∂L/∂W = Aᵀ·δ), and an update
subtracts η times them. A name carries the sign that turns the engine's array into the quantity
as its convention writes it, so every writer, the JSON trace and claims files follow one choice.
"""

from __future__ import annotations

import functools
from enum import Enum

from nntrace.common.records import NamedTuple
from nntrace.notation.nodes import Apply, Deriv, Expr, Neg, Sym

LOSS = Sym("L")


class Convention(Enum):
    """What δ is: the spec's `delta:` key."""

    DESCENT = "-dL/dz"  # the paper's: δ = −∂L/∂z, E = −∂L/∂O, and θ ← θ + η · (−∂L/∂θ)
    GRADIENT = "dL/dz"  # Mazur's, Nielsen's, Goodfellow's: δ = ∂L/∂z, and θ ← θ − η · ∂L/∂θ

    @property
    def sign(self) -> float:
        """The sign that turns the engine's descent directions into this convention's quantities."""
        return 1.0 if self is Convention.DESCENT else -1.0

    @property
    def adds(self) -> bool:
        """Whether an update adds η times the quantity the backward pass gives (else subtracts it)."""
        return self is Convention.DESCENT


CONVENTIONS = {convention.value: convention for convention in Convention}


class Name(NamedTuple):
    """A quantity's key (in records, JSON and code), its symbol (in formulas), and the sign that
    turns the engine's array of that key into the quantity so named."""

    key: str
    symbol: Expr
    sign: float = 1.0


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
    weight_gradient: Name  # -dL/dW (or dL/dW), the matrix the update adds (or subtracts) eta times
    bias_gradient: Name


INPUTS = Name("X", Sym("X"))
TARGETS = Name("y", Sym("y"))
LEARNING_RATE = Name("eta", Sym("eta"))


def descent(of: Sym) -> Expr:
    """-dL/d(of): the direction the update moves `of` in."""
    return Neg(Deriv(LOSS, of))


def delta_definition(convention: Convention, z: Expr) -> Expr:
    """What δ is, in symbols: −∂L/∂z or ∂L/∂z."""
    return descent(z) if convention is Convention.DESCENT else Deriv(LOSS, z)


@functools.lru_cache(maxsize=256)  # asked for by every step of every epoch and variant: the same names
def layer_names(
    layer: str, activation_symbol: Sym, convention: Convention = Convention.DESCENT, output: bool = False,
    cancels: bool = False,
) -> LayerNames:  # fmt: skip
    """The names of the layer called `layer`; `output`: the network's last layer, whose error is the
    loss's (`cancels`: the loss's slope cancels the activation's, so it is the error of the input z)."""
    prefix = {"out": "O", "h": "H"}.get(layer)
    if prefix is None:
        prefix = "H" + layer[1:] if layer[:1] == "h" and layer[1:].isdigit() else layer
    z, a = Sym(prefix, "in"), Sym(prefix, "out")
    sign = convention.sign
    if convention is Convention.DESCENT:
        error = {"out": Sym("E"), "h": Sym("E", "hidden")}.get(layer, Sym("E", layer))
    else:  # the gradient itself, with respect to what the error is of
        error = Deriv(LOSS, z if output and cancels else a)
    error_key = {"out": "E", "h": "E_hidden"}.get(layer, f"E_{layer}")
    delta = {"h": "hidden"}.get(layer, layer)
    weights, biases = Sym("W", layer), Sym("b", layer)
    slope_of = Sym(activation_symbol.base, prime=True)
    gradient_of = descent if convention is Convention.DESCENT else (lambda of: Deriv(LOSS, of))
    return LayerNames(
        layer=layer,
        z=Name(f"{prefix}_in", z),
        a=Name(f"{prefix}_out", a),
        slope=Name(f"slope_{prefix}", Apply(slope_of, (Sym(prefix),))),
        error=Name(error_key, error, sign),
        delta=Name(f"delta_{delta}", Sym("delta", delta), sign),
        weights=Name(f"W_{layer}", weights),
        biases=Name(f"b_{layer}", biases),
        weight_gradient=Name(f"dW_{layer}", gradient_of(weights), sign),
        bias_gradient=Name(f"db_{layer}", gradient_of(biases), sign),
    )
