"""What a claim can name: every number a pass computes, by the names nntrace prints, with its shape
as shown and when in the pass it exists.

The engine's own quantities (H_in, δ_out, −∂L/∂W_h, ...) are claimed by their keys and symbols, in
the sign convention of δ the spec writes (its `delta:`). Beside them, numbers people print that the
engine has no step for, each unambiguous in either convention:

  - ∂L/∂z and −∂L/∂z of every layer's input (dL/dO_in, -dL/dO_in), ∂L/∂a and −∂L/∂a of every
    layer's output, ∂L/∂W and −∂L/∂W, ∂L/∂b and −∂L/∂b, and ∂L/∂X, the gradient with respect to
    the inputs;
  - ΔW and Δb, the change the update makes (η·(−∂L/∂W) under the paper's rule), and η·∂L/∂W;
  - softmax's exponentials e^O_in and their sum Σe^O_in, as worked by hand;
  - σ′(O) of a sigmoid output under cross-entropy, where it cancels and the pass never uses it;
  - an optimiser's lines: its gradient g, its state (m, v, s) after the update, m̂ and v̂;
  - L_epoch, the loss of a whole epoch (the sum over its batches, as `run` prints it).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from nntrace.engine.network import Network
from nntrace.model.optimizers import SYMBOLS, THETA
from nntrace.notation.names import INPUTS, LEARNING_RATE, LOSS, TARGETS, Convention
from nntrace.notation.nodes import Apply, At, Deriv, Neg, Op, Power, Seq, Sym
from nntrace.spec.validate import Spec
from nntrace.writers.unicode import text as unicode_text

INPUT_ERROR = "E_X"  # the engine-signed gradient of the inputs, −∂L/∂X = δ₁ · W₁ᵀ
EPOCH_LOSS = "epoch_loss"
LOSS_KEY = "loss"


def part_key(z_key: str, part: str) -> str:
    """A number written down on the way to a layer's activation (softmax's exponentials)."""
    return f"{z_key}:{part}"


def change_key(parameter: str) -> str:
    """The change the update makes to a parameter."""
    return f"{parameter}:change"


def line_key(parameter: str, target: str) -> str:
    """The value of one optimiser line (m, v, ...) for a parameter."""
    return f"{parameter}:{target}"


class Stage(enum.Enum):
    """When in a pass a claimed value exists, in the order of computation."""

    BEFORE = "before"  # a parameter as the pass starts
    PASS = "pass"  # a quantity the pass computes (or is given: X, y)
    LOSS = "loss"
    AFTER = "after"  # a parameter after the pass's update
    EPOCH = "epoch"  # after the epoch's last batch: its loss

    @property
    def rank(self) -> int:
        return _RANKS[self]


_RANKS = {stage: rank for rank, stage in enumerate(Stage)}  # asked at every judged quantity


@dataclass(frozen=True)
class Quantity:
    """Something a claim can name: its key in the judge, when it exists, and its shape as shown."""

    key: str
    label: str  # as the report prints it
    stage: Stage
    shape: tuple[int, ...]  # as shown: () for the loss, (n,) for a bias, (rows, columns) otherwise
    transposed: bool  # shown as the transpose of the engine's array
    sign: float = 1.0  # -1: the negative of the engine's array (dL/dW where the engine keeps -dL/dW)
    # Named as the spec's convention of δ names it (δ, E, −∂L/∂W as the steps print them): its
    # negative is the same number written in the other convention, not a sign error.
    convention_signed: bool = False
    names: tuple[str, ...] = field(default=(), compare=False)
    symbol: object = field(default=None, compare=False)  # the label as notation (an Expr), for documents

    def engine_index(self, shown: tuple[int, ...]) -> tuple[int, ...] | None:
        """The 0-based index into the engine's array of the element shown at `shown` (1-based), if any."""
        if len(shown) != len(self.shape) or not all(1 <= i <= size for i, size in zip(shown, self.shape)):
            return None
        engine = tuple(i - 1 for i in shown)
        return engine[::-1] if self.transposed else engine

    def shown_index(self, engine: tuple[int, ...]) -> tuple[int, ...]:
        """The 1-based index a reader writes for the engine's element `engine` (the inverse)."""
        shown = tuple(i + 1 for i in engine)
        return shown[::-1] if self.transposed else shown

    def element_label(self, shown: tuple[int, ...]) -> str:
        return f"{self.label}[{','.join(map(str, shown))}]" if shown else self.label

    def element_symbol(self, shown: tuple[int, ...]):
        """The element's label as notation (H_in[2,3], W_out⁺[1,1]), which each writer typesets."""
        symbol = self.symbol if self.symbol is not None else key_symbol(self.label)
        return At(symbol, shown) if shown else symbol


def key_symbol(key: str) -> Sym:
    """A quantity's symbol from its key: O_in is O with the subscript in, W_h1 is W with h1."""
    base, _, sub = key.partition("_")
    return Sym(base, sub or None)


def updated(symbol):
    """A parameter after the pass's update: W_out⁺."""
    return Power(symbol, Sym("+"))


def plain_name(name: str) -> str:
    """A name as looked up: without spaces, one minus sign, one product sign."""
    for unusual, usual in (("−", "-"), ("·", "*"), ("×", "*"), (" ", "")):
        name = name.replace(unusual, usual)
    return name


class Catalogue:
    """The claimable quantities of one network: by every name that claims them, and in the order
    of computation (for a template)."""

    def __init__(self, transposed: bool):
        self.transposed = transposed
        self.by_name: dict[str, Quantity] = {}
        self.ordered: list[Quantity] = []
        self.refused: dict[str, tuple[str, str]] = {}  # a name that exists but is never computed: why, and the fix

    def add(
        self,
        key: str,
        label: str,
        stage: Stage,
        shape: tuple[int, ...],
        names=(),
        sign: float = 1.0,
        convention_signed: bool = False,
        symbol=None,
    ) -> Quantity:
        flip = self.transposed and len(shape) == 2
        shown = shape[::-1] if flip else shape
        names = tuple(dict.fromkeys((label, *names)))
        quantity = Quantity(key, label, stage, shown, flip, sign, convention_signed, names, symbol)
        for name in names:
            self.by_name[plain_name(name) + ("+" if stage is Stage.AFTER else "")] = quantity
        self.ordered.append(quantity)
        return quantity

    def gradient(self, key: str, of: str, stage: Stage, shape: tuple[int, ...], engine_sign: float = -1.0) -> None:
        """∂L/∂(of) and −∂L/∂(of), from an engine array that is `engine_sign` times ∂L/∂(of)."""
        gradient = Deriv(LOSS, key_symbol(of))
        self.add(key, f"∂L/∂{of}", stage, shape, (f"dL/d{of}",), sign=engine_sign, symbol=gradient)
        self.add(key, f"−∂L/∂{of}", stage, shape, (f"-dL/d{of}",), sign=-engine_sign, symbol=Neg(gradient))

    def names(self) -> str:
        """Every label, for a message listing the valid names."""
        return ", ".join(sorted({quantity.label for quantity in self.ordered}, key=str.lower))

    def lookup(self, name: str, after: bool) -> Quantity | None:
        return self.by_name.get(plain_name(name) + ("+" if after else ""))


def claimable(network: Network, spec: Spec) -> Catalogue:
    """Every quantity a claim may name for this network, in the order of computation."""
    found = Catalogue(spec.layout.transposed)
    batch = spec.batch_size or len(spec.inputs)
    layers = network.layers
    sizes = [layer.size for layer in layers]
    names = [layer.names for layer in layers]
    output, last = names[-1], len(layers) - 1
    cancels = network.loss.slope_cancels
    plain = network.updates is None

    def convention(name, shape, stage=Stage.PASS) -> None:
        """A quantity the steps print, by its key and symbol, in the spec's sign convention."""
        found.add(name.key, unicode_text(name.symbol), stage, shape, (name.key,), sign=name.sign,
                  convention_signed=_signed(name, names), symbol=name.symbol)  # fmt: skip

    for layer, layer_names in zip(layers, names):
        n_in, n_out = layer.weights.shape
        found.add(layer_names.weights.key, layer_names.weights.key, Stage.BEFORE, (n_in, n_out),
                  symbol=layer_names.weights.symbol)  # fmt: skip
        found.add(layer_names.biases.key, layer_names.biases.key, Stage.BEFORE, (n_out,),
                  symbol=layer_names.biases.symbol)  # fmt: skip
    found.add(INPUTS.key, "X", Stage.PASS, (batch, spec.inputs.shape[1]), symbol=INPUTS.symbol)
    found.add(TARGETS.key, "y", Stage.PASS, (batch, sizes[-1]), symbol=TARGETS.symbol)
    for index, (layer, layer_names) in enumerate(zip(layers, names)):
        z = layer_names.z.key
        convention(layer_names.z, (batch, layer.size))
        for part in layer.activation.hand_parts:
            shape = (batch,) if part.per_sample else (batch, layer.size)
            found.add(part_key(z, part.name), part.symbol.format(z=z), Stage.PASS, shape,
                      tuple(alias.format(z=z) for alias in part.aliases),
                      symbol=part.notation(layer_names.z.symbol) if part.notation else None)  # fmt: skip
        convention(layer_names.a, (batch, layer.size))
        if index == last and cancels:
            slope = unicode_text(layer_names.slope.symbol)
            if elementwise_slope(layer):  # computed, though cross-entropy cancels it
                convention(layer_names.slope, (batch, layer.size))
            else:
                for name in (slope, layer_names.slope.key):
                    found.refused[plain_name(name)] = (
                        (f"{slope} is not computed: {layer.activation.name}'s slope is a matrix for every sample, "
                         "which cross-entropy cancels, so the output's delta is E itself"),
                        f"claim {unicode_text(output.delta.symbol)} (the same numbers as E) instead",
                    )  # fmt: skip
    found.add(LOSS_KEY, unicode_text(LOSS), Stage.LOSS, (), ("L",), symbol=LOSS)
    # The backward pass, in the steps' order: the output's error, the slopes, the deltas back.
    convention(output.error, (batch, sizes[-1]))
    if not cancels:
        found.gradient(output.error.key, output.a.key, Stage.PASS, (batch, sizes[-1]))
    for index in range(last, -1, -1):
        if not (index == last and cancels):
            convention(names[index].slope, (batch, sizes[index]))
    for index in range(last, -1, -1):
        if index < last:
            convention(names[index].error, (batch, sizes[index]))
            found.gradient(names[index].error.key, names[index].a.key, Stage.PASS, (batch, sizes[index]))
        convention(names[index].delta, (batch, sizes[index]))
        found.gradient(names[index].delta.key, names[index].z.key, Stage.PASS, (batch, sizes[index]))
    found.gradient(INPUT_ERROR, INPUTS.key, Stage.PASS, (batch, spec.inputs.shape[1]))
    for index in range(last, -1, -1):
        layer_names = names[index]
        n_in, n_out = layers[index].weights.shape
        for gradient, parameter, shape in (
            (layer_names.weight_gradient, layer_names.weights.key, (n_in, n_out)),
            (layer_names.bias_gradient, layer_names.biases.key, (n_out,)),
        ):
            convention(gradient, shape)
            found.gradient(gradient.key, parameter, Stage.PASS, shape)
            if plain:  # the change is η times the gradient the pass gives
                found.add(change_key(parameter), f"Δ{parameter}", Stage.PASS, shape, (f"Delta_{parameter}",),
                          symbol=change(parameter))  # fmt: skip
                found.add(change_key(parameter), f"η·∂L/∂{parameter}", Stage.PASS, shape,
                          (f"eta*dL/d{parameter}",), sign=-1.0,
                          symbol=Seq((LEARNING_RATE.symbol, Op.PRODUCT, Deriv(LOSS, key_symbol(parameter)))),
                          )  # fmt: skip
    if not plain:
        targets = [line.target for line in network.optimizer.lines(first=False) if line.target != THETA]
        for index in range(last, -1, -1):
            n_in, n_out = layers[index].weights.shape
            for parameter, shape in ((names[index].weights.key, (n_in, n_out)), (names[index].biases.key, (n_out,))):
                for target in dict.fromkeys(targets):
                    symbol = unicode_text(SYMBOLS[target]) if target in SYMBOLS else target
                    found.add(line_key(parameter, target), f"{symbol}_{parameter}", Stage.PASS, shape,
                              (f"{target}_{parameter}",),
                              symbol=Apply(SYMBOLS.get(target, Sym(target)), (key_symbol(parameter),)))  # fmt: skip
    for index in range(last, -1, -1):
        n_in, n_out = layers[index].weights.shape
        for parameter, shape in ((names[index].weights.key, (n_in, n_out)), (names[index].biases.key, (n_out,))):
            if not plain:  # the change an optimiser's update makes, W⁺ − W
                found.add(change_key(parameter), f"Δ{parameter}", Stage.AFTER, shape, (f"Delta_{parameter}",),
                          symbol=change(parameter))  # fmt: skip
                # claimed without the + too: it is the update's change either way
                found.by_name[plain_name(f"Δ{parameter}")] = found.by_name[plain_name(f"Δ{parameter}") + "+"]
            found.add(parameter, f"{parameter}⁺", Stage.AFTER, shape, (parameter,),
                      symbol=updated(key_symbol(parameter)))  # fmt: skip
    found.add(EPOCH_LOSS, "L_epoch", Stage.EPOCH, (), ("L(epoch)",), symbol=Sym("L", "epoch"))
    return found


def change(parameter: str):
    """ΔW: the change the update makes to a parameter."""
    return Apply(Sym("Delta"), (key_symbol(parameter),), parens=False)


def _signed(name, names) -> bool:
    """Whether the steps' name of this quantity carries the convention's sign (δ, E, −∂L/∂θ)."""
    return any(name in (n.error, n.delta, n.weight_gradient, n.bias_gradient) for n in names)


def elementwise_slope(layer) -> bool:
    """Whether the layer's activation has a slope of one number per element (not softmax's Jacobian)."""
    return layer.activation.trainable and not layer.activation.output_only


def other_convention(convention: Convention) -> str:
    """The other sign convention of δ, as its definition: δ = ∂L/∂z or δ = −∂L/∂z."""
    return "δ = ∂L/∂z" if convention is Convention.DESCENT else "δ = −∂L/∂z"
