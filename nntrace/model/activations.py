"""Activation functions: each carries its numerics and how it is written.

An activation knows, beside f(z) and its slope f'(z) (numpy, element-wise):
  - `definition(z)`: the formula f(z) = ... shown under its step;
  - `slope_formula(a, z)`: its slope in terms of the layer's output a and input z, one
    expression that is the step's formula line (matrices), its equation with the numbers,
    its numpy code, and, over one element, the chain-rule factor `explain` shows;
  - `element(z, index, axis)` and `slope_element(z, a)`: how one element's arithmetic is
    written out by hand;
  - `forward_into` / `slope_into`: the same numbers written into a buffer, for the untraced
    loop (lean.py). An activation with an in-place form computes forward()/slope() through it
    (`filled`), so there is one copy of its operations; the others copy forward()'s result.
Adding an activation is adding a class here and registering it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

import numpy as np

from nntrace.common.records import NamedTuple, record, replace
from nntrace.notation.nodes import (
    EULER,
    LN,
    MAX,
    Apply,
    At,
    Compare,
    Const,
    Equation,
    Expr,
    Fn,
    Frac,
    Group,
    Neg,
    Num,
    Op,
    Power,
    Seq,
    Sum,
    Sym,
    Where,
    seq,
)

EXP_LIMIT = 709.0  # exp(709) is finite in float64; exp(710) overflows
# The in-place forms' constants as 0-d arrays: numpy takes a Python float by a slower path
# (about 0.4 us a call here), the same number either way.
_ONE, _FLOOR, _ZERO = np.array(1.0), np.array(-EXP_LIMIT), np.array(0.0)
E = EULER
Z = Sym("z")
ONE = Num(1, exact=True)
ZERO = Num(0, exact=True)
SIGMA = Fn(Sym("sigma"), "sigmoid", lambda z: sigmoid(np.float64(z)))


def filled(fill, *operands) -> np.ndarray:
    """A new float64 array of the first operand's shape, written by `fill(*operands, out)`: the
    in-place form is the one copy of the operations, so the traced pass and the untraced loop
    (lean.py) compute the same numbers by construction."""
    first = operands[0]
    out = np.empty(first.shape if type(first) is np.ndarray else np.shape(first))  # (np.shape: a Python call)
    fill(*operands, out)
    return out


def sigmoid_into(z: np.ndarray, out: np.ndarray) -> None:
    # The paper's own formula 1 / (1 + e^-z), so its numbers are reproduced to the last bit.
    # Below z = -709, exp(-z) would overflow: z is held there, giving 1.2e-308 instead of a
    # smaller number or 0, an error far below anything float64 prints.
    np.maximum(z, _FLOOR, out=out)
    np.negative(out, out)
    np.exp(out, out)
    np.add(_ONE, out, out)
    np.reciprocal(out, out)  # 1/x, correctly rounded: the same number as 1.0 / x


def sigmoid(z: np.ndarray) -> np.ndarray:
    return filled(sigmoid_into, z)


def sigmoid_below_the_floor(z: np.ndarray) -> np.ndarray:
    """sigmoid(z), and below z = -709 e^z (which 1 / (1 + e^-z) is there, to float64's precision)
    instead of the held 1.2e-308: for a value that multiplies z (silu's z . sigma(z) = -1.6e-306 at
    z = -710.67, not -8.6e-306), whose relative error the held value would show."""
    s = sigmoid(z)
    low = np.less(z, _FLOOR)
    if low.any():
        s[low] = np.exp(np.asarray(z)[low])
    return s


def logistic_of(z: Expr) -> Expr:
    """1 / (1 + e^-z)."""
    return Frac(ONE, Group(seq(ONE, Op.PLUS, Power(E, Neg(z)))))


def logistic_of_number(z: float) -> Expr:
    return Frac(ONE, Group(seq(ONE, Op.PLUS, Power(E, Num(-z)))))


class HandPart(NamedTuple):
    """A number written down on the way to an activation by hand: its name, how a claim writes it
    ({z} stands for the layer's input), and whether it is one per sample (a sum across the layer)."""

    name: str
    symbol: str
    aliases: tuple[str, ...]
    per_sample: bool
    notation: Callable | None = None  # the part as notation, of the layer's input's symbol: e^z


@record
class Activation:
    """The interface; every activation below fills it in."""

    # What an activation is and how it is written belong to its class; an instance holds only its
    # parameter, so the registry's classes need no record of their own (common.records).
    name: ClassVar[str]  # as the spec names it, and as numpy code calls it
    symbol: ClassVar[Sym]  # as formulas write it
    alpha: float | None = None  # the parameter of leaky_relu and elu
    kinked: ClassVar[bool] = False  # not smooth at z = 0, so a finite difference across 0 means nothing
    trainable: ClassVar[bool] = True  # has a slope backpropagation can use
    output_only: ClassVar[bool] = False  # normalises across the output layer (softmax)
    cancels_cross_entropy: ClassVar[bool] = False  # with cross-entropy, its slope cancels the loss's

    @property
    def function(self) -> Fn:
        return Fn(self.symbol, self.name, self.of_number)

    def of_number(self, z: float) -> float:
        """f of one number, so an element's written arithmetic can be evaluated as written."""
        return float(self.forward(np.array([[float(z)]]))[0, 0])

    def apply(self, z: Expr) -> Expr:
        """f(z), as the activation step writes it."""
        return Apply(self.function, (z,))

    def forward(self, z: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    # How a person rounding by hand slips inside this function, where one can: None, or the words
    # for it (e.g. softmax's exponentials rounded before the division) and by_hand's numbers.
    rounded_inside: ClassVar[str | None] = None
    # The numbers written down on the way to f(z) by hand (softmax's exponentials and their sum),
    # which a claim may name and a person may round.
    hand_parts: ClassVar[tuple[HandPart, ...]] = ()

    def by_hand(self, z: np.ndarray, part) -> np.ndarray:
        """f(z) as computed by hand: each of its hand_parts passes through `part(name, values)`,
        which may round it or replace it by a claimed number, on its way to the result."""
        return self.forward(z)

    def slope(self, z: np.ndarray, a: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def forward_into(self, z: np.ndarray, out: np.ndarray) -> None:
        np.copyto(out, self.forward(z))

    def slope_into(self, z: np.ndarray, a: np.ndarray, out: np.ndarray) -> None:
        np.copyto(out, self.slope(z, a))

    def definition(self) -> Equation:
        raise NotImplementedError

    def slope_formula(self, a: Expr, z: Expr) -> Expr:
        raise NotImplementedError

    def element(self, z: np.ndarray, index: tuple[int, int], axis: int) -> Expr | None:
        """f of one element of `z`, written out (`axis`: along which a sample's values run), or
        None where there is nothing to work out."""
        return Apply(self.function, (Num(float(z[index])),))

    def slope_element(self, z: float, a: float) -> Expr | None:
        """The slope of one element written out, or None where the slope is read off, not computed."""
        return None

    def with_alpha(self, alpha: float) -> Activation:
        return self


class Sigmoid(Activation):
    name = "sigmoid"
    symbol = Sym("sigma")
    cancels_cross_entropy = True

    @property
    def function(self) -> Fn:
        return SIGMA

    def forward(self, z):
        return sigmoid(z)

    def slope(self, z, a):
        return filled(self.slope_into, z, a)

    forward_into = staticmethod(sigmoid_into)  # no extra call in the untraced loop

    def slope_into(self, z, a, out):
        np.subtract(_ONE, a, out)
        np.multiply(a, out, out)

    def definition(self):
        return Equation(Apply(SIGMA, (Z,)), logistic_of(Z))

    def slope_formula(self, a, z):
        return seq(a, Op.HADAMARD, Group(seq(ONE, Op.MINUS, a)))

    def element(self, z, index, axis):
        return logistic_of_number(float(z[index]))

    def slope_element(self, z, a):
        return self.slope_formula(Num(a), Num(z))


class Tanh(Activation):
    name = "tanh"
    symbol = Sym("tanh")

    def forward(self, z):
        return np.tanh(z)

    def slope(self, z, a):
        return filled(self.slope_into, z, a)

    def forward_into(self, z, out):
        np.tanh(z, out)

    def slope_into(self, z, a, out):
        np.multiply(a, a, out)
        np.subtract(_ONE, out, out)

    def definition(self):
        up, down = Power(E, Z), Power(E, Neg(Z))
        return Equation(Apply(self.function, (Z,)), Frac(Group(seq(up, Op.MINUS, down)), Group(seq(up, Op.PLUS, down))))

    def slope_formula(self, a, z):
        return seq(ONE, Op.MINUS, Power(a, Num(2, exact=True)))

    def slope_element(self, z, a):
        return self.slope_formula(Num(a), Num(z))


class Relu(Activation):
    name = "relu"
    symbol = Sym("relu")
    kinked = True

    def forward(self, z):
        return filled(self.forward_into, z)

    def slope(self, z, a):
        return filled(self.slope_into, z, a)

    def forward_into(self, z, out):
        np.maximum(z, _ZERO, out=out)

    def slope_into(self, z, a, out):
        np.greater(z, _ZERO, out)

    def definition(self):
        return Equation(Apply(self.function, (Z,)), Apply(MAX, (ZERO, Z)))

    def slope_formula(self, a, z):
        return Where(Compare(z, Op.GREATER, ZERO), ONE, ZERO)

    def element(self, z, index, axis):
        return Apply(MAX, (ZERO, Num(float(z[index]))))


@record
class LeakyRelu(Activation):
    name = "leaky_relu"
    symbol = Sym("lrelu")
    alpha: float = 0.01
    kinked = True

    def forward(self, z):
        return np.where(z > 0, z, self.alpha * z)

    def slope(self, z, a):
        return np.where(z > 0, 1.0, self.alpha)

    def definition(self):
        return Equation(
            Apply(self.function, (Z,)),
            Where(Compare(Z, Op.GREATER, ZERO), Z, seq(Num(self.alpha, exact=True), Op.IMPLICIT, Z)),
        )

    def slope_formula(self, a, z):
        return Where(Compare(z, Op.GREATER, ZERO), ONE, Num(self.alpha, exact=True))

    def element(self, z, index, axis):
        value = float(z[index])
        return Num(value) if value > 0 else seq(Num(self.alpha), Op.PRODUCT, Num(value))

    def with_alpha(self, alpha):
        return replace(self, alpha=alpha)


class Linear(Activation):
    name = "linear"
    symbol = Sym("id")

    def forward(self, z):
        return z.copy()

    def slope(self, z, a):
        return np.ones_like(z)

    def definition(self):
        return Equation(Apply(self.function, (Z,)), Z)

    def slope_formula(self, a, z):
        return Const(1.0, z)

    def element(self, z, index, axis):
        return None


class Step(Activation):
    """The hard-limiting threshold: forward only, its derivative is 0 wherever it exists."""

    name = "step"
    symbol = Sym("step")
    trainable = False

    def forward(self, z):
        return (z >= 0).astype(np.float64)

    def definition(self):
        return Equation(Apply(self.function, (Z,)), Where(Compare(Z, Op.GREATER_EQUAL, ZERO), ONE, ZERO))


class Softmax(Activation):
    """Row-wise over the output neurons; its slope is used only through cross-entropy's, which cancels it."""

    name = "softmax"
    symbol = Sym("softmax")
    output_only = True
    cancels_cross_entropy = True
    rounded_inside = "each e^z rounded before the division"
    hand_parts = (
        HandPart("exp", "e^{z}", ("exp({z})",), per_sample=False, notation=lambda z: Power(EULER, z)),
        HandPart("sum", "Σe^{z}", ("sum(exp({z}))", "Σexp({z})"), per_sample=True,
                 notation=lambda z: Sum(Power(EULER, z))),  # fmt: skip
    )

    def by_hand(self, z, part):
        # By hand one writes down e^z, unshifted, adds them up and divides.
        exponentials = part("exp", np.exp(z))
        return exponentials / part("sum", exponentials.sum(axis=1, keepdims=True))

    def forward(self, z):
        return filled(self.forward_into, z)

    def forward_into(self, z, out):
        # Shifting by the row maximum keeps exp from overflowing. (ufunc.reduce is what ndarray.max
        # and .sum call, without their Python wrapper: this runs for every batch.)
        np.subtract(z, np.maximum.reduce(z, axis=1, keepdims=True), out)
        np.exp(out, out)
        np.divide(out, np.add.reduce(out, axis=1, keepdims=True), out)

    def definition(self):
        return Equation(
            At(Apply(self.function, (Z,)), ("i",)),
            Frac(Power(E, At(Z, ("i",))), Sum(Power(E, At(Z, ("j",))), index="j")),
        )

    def element(self, z, index, axis):
        others = z[:, index[1]] if axis == 0 else z[index[0], :]
        terms: list = []
        for number, value in enumerate(others):
            terms += ([Op.PLUS] if number else []) + [Power(E, Num(float(value)))]
        return Frac(Power(E, Num(float(z[index]))), Group(Seq(tuple(terms))))


class Softplus(Activation):
    """ln(1 + e^z), a smooth relu; its slope is the sigmoid."""

    name = "softplus"
    symbol = Sym("softplus")

    def forward(self, z):
        return np.logaddexp(0.0, z)

    def slope(self, z, a):
        return sigmoid(z)

    def definition(self):
        return Equation(Apply(self.function, (Z,)), Apply(LN, (seq(ONE, Op.PLUS, Power(E, Z)),)))

    def slope_formula(self, a, z):
        return Apply(SIGMA, (z,))

    def element(self, z, index, axis):
        return Apply(LN, (seq(ONE, Op.PLUS, Power(E, Num(float(z[index])))),))

    def slope_element(self, z, a):
        return logistic_of_number(z)


@record
class Elu(Activation):
    """z for z > 0, else alpha (e^z - 1); its slope there is alpha e^z = a + alpha.

    At z = 0 its slope jumps unless alpha = 1, and even then its curvature does.
    """

    name = "elu"
    symbol = Sym("elu")
    alpha: float = 1.0
    kinked = True

    def forward(self, z):
        return np.where(z > 0, z, self.alpha * np.expm1(np.minimum(z, 0.0)))

    def slope(self, z, a):
        return np.where(z > 0, 1.0, a + self.alpha)

    def _scaled(self, inner: Expr) -> Expr:
        return inner if self.alpha == 1.0 else seq(Num(self.alpha, exact=True), Op.IMPLICIT, Group(inner))

    def definition(self):
        return Equation(
            Apply(self.function, (Z,)),
            Where(Compare(Z, Op.GREATER, ZERO), Z, self._scaled(seq(Power(E, Z), Op.MINUS, ONE))),
        )

    def slope_formula(self, a, z):
        return Where(Compare(z, Op.GREATER, ZERO), ONE, seq(a, Op.PLUS, Num(self.alpha, exact=True)))

    def element(self, z, index, axis):
        value = float(z[index])
        if value > 0:
            return Num(value)
        inner = seq(Power(E, Num(value)), Op.MINUS, ONE)
        return inner if self.alpha == 1.0 else seq(Num(self.alpha, exact=True), Op.PRODUCT, Group(inner))

    def slope_element(self, z, a):
        return ONE if z > 0 else seq(Num(a), Op.PLUS, Num(self.alpha, exact=True))

    def with_alpha(self, alpha):
        return replace(self, alpha=alpha)


class Silu(Activation):
    """z . sigma(z) (the swish); its slope is sigma(z) + a (1 - sigma(z))."""

    name = "silu"
    symbol = Sym("silu")

    def forward(self, z):
        return z * sigmoid_below_the_floor(z)

    def slope(self, z, a):
        s = sigmoid_below_the_floor(z)
        return s + a * (1.0 - s)

    def definition(self):
        return Equation(Apply(self.function, (Z,)), seq(Z, Op.PRODUCT, Apply(SIGMA, (Z,))))

    def slope_formula(self, a, z):
        s = Apply(SIGMA, (z,))
        return seq(s, Op.PLUS, a, Op.HADAMARD, Group(seq(ONE, Op.MINUS, s)))

    def element(self, z, index, axis):
        value = float(z[index])
        return Frac(Num(value), Group(seq(ONE, Op.PLUS, Power(E, Num(-value)))))

    def slope_element(self, z, a):
        s = float(sigmoid_below_the_floor(np.float64(z)))
        return seq(Num(s), Op.PLUS, Num(a), Op.HADAMARD, Group(seq(ONE, Op.MINUS, Num(s))))


ACTIVATIONS: dict[str, Activation] = {}
DEFAULT_ACTIVATION = Sigmoid.name  # the paper's, for every layer a spec does not set


def register(activation: Activation) -> Activation:
    """Make `activation` available to specs by its name."""
    ACTIVATIONS[activation.name] = activation
    return activation


for _builtin in (Sigmoid(), Tanh(), Relu(), LeakyRelu(), Linear(), Step(), Softmax(), Softplus(), Elu(), Silu()):
    register(_builtin)


def activation(name: str, alpha: float | None = None) -> Activation:
    """The activation called `name`, with the layer's alpha where it takes one."""
    base = ACTIVATIONS[name]
    return base if alpha is None else base.with_alpha(alpha)
