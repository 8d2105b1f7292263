"""Update rules, as torch.optim defines them: how a parameter moves, in notation and in numbers.

Each optimiser is a list of lines, `target <- formula`, written once in notation over named
terms (the parameter theta, its gradient, the optimiser's state and settings). The steps print
those lines with the values filled in; `arithmetic.compiled` computes the same lines, so the
numbers shown are the numbers computed.

Plain gradient descent without weight decay keeps the paper's fused form instead,
theta <- theta + eta . (-dL/dtheta), written with the descent direction the engine records
(the steps' weight and bias updates); `explain` writes it with the gradient itself.

The untraced loop (engine/lean.py) cannot afford the compiled lines' new array per operation, so
each optimiser also has `update_into`: the same operations on the same operands, written into
buffers. Its results are the lines' to the last bit (tests/test_lean.py runs both): IEEE
arithmetic rounds each operation alone, so only the operations and their order matter, and where
`update_into` takes a shortcut it is one that changes no bit (x + (-y) is x - y; a sign moves out of
a product).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import ClassVar

import numpy as np

from nntrace.common.errors import SpecError
from nntrace.common.records import NamedTuple, field_names, record
from nntrace.notation.arithmetic import Compiled, compiled
from nntrace.notation.nodes import Expr, Frac, Group, Num, Op, Power, Q, Root, Signed, Sym, seq

Terms = Mapping[str, Expr]
ONE = Num(1, exact=True)
TWO = Num(2, exact=True)

# The symbol of every term a line may use, by the term's name (the key of its value).
SYMBOLS = {
    "eta": Sym("eta"),
    "g": Sym("g"),
    "v": Sym("v"),
    "s": Sym("s"),
    "m": Sym("m"),
    "mhat": Sym("m", hat=True),
    "vhat": Sym("v", hat=True),
    "t": Sym("t"),
    "momentum": Sym("mu"),
    "dampening": Sym("tau"),
    "weight_decay": Sym("lambda"),
    "alpha": Sym("alpha"),
    "beta1": Sym("beta", "1"),
    "beta2": Sym("beta", "2"),
    "eps": Sym("epsilon"),
}
# Read off the run rather than computed by a line: the parameter and its gradient.
THETA, GRADIENT = "theta", "gradient"


class Line(NamedTuple):
    """target <- formula(terms) (or `=` for a value used on the way), with a note on why."""

    target: str
    formula: Callable[[Terms], Expr]
    assigns: bool = True
    note: str | None = None


def _product(*factors: Expr) -> Expr:
    items: list = []
    for factor in factors:
        items += [Op.PRODUCT, factor] if items else [factor]
    return seq(*items)


def _complement(x: Terms, name: str) -> Expr:
    """(1 - x[name])."""
    return Group(seq(ONE, Op.MINUS, x[name]))


def _average(x: Terms, state: str, rate: str, new: Expr) -> Expr:
    """rate . state + (1 - rate) . new: the exponential moving average."""
    return seq(x[rate], Op.PRODUCT, x[state], Op.PLUS, _complement(x, rate), Op.PRODUCT, new)


def _gradient_line(coupled_decay: float) -> Line:
    """g = dL/dtheta, plus lambda . theta when weight decay is added to the gradient (L2)."""
    if coupled_decay:
        return Line(
            "g",
            lambda x: seq(x[GRADIENT], Op.PLUS, x["weight_decay"], Op.PRODUCT, x[THETA]),
            assigns=False,
            note="weight decay adds lambda times the parameter to the gradient (L2)",
        )
    return Line("g", lambda x: x[GRADIENT], assigns=False)


def _defined_in(kind: type, method: str) -> type:
    return next(klass for klass in kind.__mro__ if method in klass.__dict__)


def _gradient_into(descent: np.ndarray, theta: np.ndarray, weight_decay: float, scratch: np.ndarray) -> np.ndarray:
    """_gradient_line's g, written over `descent` (which holds -dL/dtheta): (-descent) + lambda . theta
    is lambda . theta - descent to the bit."""
    if weight_decay:
        np.multiply(weight_decay, theta, scratch)
        np.subtract(scratch, descent, descent)
    else:
        np.negative(descent, descent)
    return descent


def _descend_into(theta: np.ndarray, eta: float, step: np.ndarray) -> None:
    """_descent's theta - eta . step, in place (`step` is overwritten)."""
    np.multiply(eta, step, step)
    np.subtract(theta, step, theta)


def _descent(x: Terms, step: Expr) -> Expr:
    """theta - eta . step."""
    return seq(x[THETA], Op.MINUS, x["eta"], Op.PRODUCT, step)


def _scaled(x: Terms, top: str, square: str) -> Expr:
    """top / (sqrt(square) + eps)."""
    return Frac(x[top], Group(seq(Root(x[square]), Op.PLUS, x["eps"])))


class Optimizer:
    """An update rule: its settings (the record's fields, with torch.optim's defaults) and its lines."""

    name: ClassVar[str]
    title: ClassVar[str]
    states: ClassVar[tuple[str, ...]] = ()  # the terms kept from one update to the next

    @property
    def label(self) -> str:
        """The rule's name as prose writes it."""
        return self.title

    @property
    def plain(self) -> bool:
        """Whether this is the paper's rule, theta <- theta - eta . dL/dtheta, with nothing else."""
        return False

    @property
    def settings(self) -> dict[str, float | bool]:
        return {name: getattr(self, name) for name in field_names(self)}

    @property
    def numbers(self) -> dict[str, float]:
        """The settings a line may use: the numbers (nesterov chooses the lines instead)."""
        return {name: value for name, value in self.settings.items() if not isinstance(value, bool)}

    def constants(self, learning_rate: float, t: int) -> dict[str, float]:
        """Every term of the lines that is the same for all parameters: eta, the settings, t."""
        return {"eta": learning_rate, **self.numbers, "t": t}

    def lines(self, first: bool) -> tuple[Line, ...]:
        """The lines of an update; `first`: of the run's first update."""
        raise NotImplementedError

    def check(self) -> None:
        """SpecError for settings that do not go together."""

    def update_into(self, theta, descent, state, scratch, eta: float, t: int) -> None:
        """One update of `theta` in place, to the bits lines() computes: `descent` holds -dL/dtheta
        (and is overwritten), `state` the arrays of `states` in order (updated in place), `scratch`
        two buffers of theta's shape; `t` counts this update."""
        raise NotImplementedError

    @property
    def updates_in_place(self) -> bool:
        """Whether update_into computes this rule's lines: it is written by the class that writes
        lines() or one derived from it. An optimiser registered without one (or a subclass that
        changes the lines alone) trains through the compiled lines, untraced epochs too."""
        return issubclass(_defined_in(type(self), "update_into"), _defined_in(type(self), "lines"))


@record
class SGD(Optimizer):
    """Gradient descent, optionally with weight decay: the paper's rule when the decay is 0."""

    name: ClassVar[str] = "sgd"
    title: ClassVar[str] = "Gradient descent"
    weight_decay: float = 0.0

    @property
    def plain(self) -> bool:
        return self.weight_decay == 0

    def lines(self, first: bool) -> tuple[Line, ...]:
        return (_gradient_line(self.weight_decay), Line(THETA, lambda x: _descent(x, x["g"])))

    def update_into(self, theta, descent, state, scratch, eta, t):
        _descend_into(theta, eta, _gradient_into(descent, theta, self.weight_decay, scratch[0]))

    # The paper's fused form, kept for plain gradient descent.
    @staticmethod
    def update(old: Expr, rate: Expr, step: Expr, adds: bool = True) -> Expr:
        """theta + eta . (-dL/dtheta) in the paper's convention, theta - eta . dL/dtheta in the gradient's."""
        return seq(old, Op.PLUS if adds else Op.MINUS, rate, Op.PRODUCT, step)

    @staticmethod
    def update_element(old: float, rate: float, step: float, adds: bool = True) -> Expr:
        return SGD.update(Num(old), Num(rate, exact=True), Signed(Num(step)), adds)

    @staticmethod
    def explained(old: Expr, rate: Expr, gradient: Expr) -> Expr:
        """theta - eta . dL/dtheta."""
        return seq(old, Op.MINUS, rate, Op.PRODUCT, Signed(gradient))


@record
class Momentum(Optimizer):
    """torch.optim.SGD with momentum: v <- mu . v + (1 - tau) . g (v <- g at the first update)."""

    name: ClassVar[str] = "momentum"
    title: ClassVar[str] = "Momentum"
    states: ClassVar[tuple[str, ...]] = ("v",)
    momentum: float = 0.9
    dampening: float = 0.0
    nesterov: bool = False
    weight_decay: float = 0.0

    @property
    def label(self) -> str:
        return "Nesterov momentum" if self.nesterov else self.title

    def lines(self, first: bool) -> tuple[Line, ...]:
        if first:
            velocity = Line("v", lambda x: x["g"], note="the first update starts the velocity at the gradient")
        elif self.dampening:
            velocity = Line("v", lambda x: seq(x["momentum"], Op.PRODUCT, x["v"], Op.PLUS, _damped(x)))
        else:
            velocity = Line("v", lambda x: seq(x["momentum"], Op.PRODUCT, x["v"], Op.PLUS, x["g"]))
        if self.nesterov:
            step = Line(
                THETA,
                lambda x: _descent(x, Group(seq(x["g"], Op.PLUS, x["momentum"], Op.PRODUCT, x["v"]))),
                note="Nesterov: the step looks ahead along the velocity",
            )
        else:
            step = Line(THETA, lambda x: _descent(x, x["v"]))
        return (_gradient_line(self.weight_decay), velocity, step)

    def update_into(self, theta, descent, state, scratch, eta, t):
        multiply, add = np.multiply, np.add
        g = _gradient_into(descent, theta, self.weight_decay, scratch[0])
        (v,) = state
        work = scratch[0]
        if t == 1:
            np.copyto(v, g)
        elif self.dampening:  # mu . v + (1 - tau) . g
            multiply(self.momentum, v, v)
            multiply(1 - self.dampening, g, work)
            add(v, work, v)
        else:  # mu . v + g
            multiply(self.momentum, v, v)
            add(v, g, v)
        if self.nesterov:  # theta - eta . (g + mu . v)
            multiply(self.momentum, v, work)
            add(g, work, work)
            _descend_into(theta, eta, work)
        else:  # theta - eta . v
            multiply(eta, v, work)
            np.subtract(theta, work, theta)

    def check(self) -> None:
        if self.nesterov and (self.momentum <= 0 or self.dampening != 0):
            raise SpecError(
                "optimizer.nesterov",
                f"needs momentum > 0 and dampening 0, found momentum {self.momentum:g}, dampening {self.dampening:g}",
                "set `dampening: 0` and a positive momentum, or `nesterov: false`",
            )


def _damped(x: Terms) -> Expr:
    return seq(_complement(x, "dampening"), Op.PRODUCT, x["g"])


@record
class RMSProp(Optimizer):
    """RMSProp: each gradient divided by the root of a running mean of its squares."""

    name: ClassVar[str] = "rmsprop"
    title: ClassVar[str] = "RMSProp"
    states: ClassVar[tuple[str, ...]] = ("s",)
    alpha: float = 0.99
    eps: float = 1e-8
    weight_decay: float = 0.0

    def lines(self, first: bool) -> tuple[Line, ...]:
        return (
            _gradient_line(self.weight_decay),
            Line("s", lambda x: _average(x, "s", "alpha", Power(x["g"], TWO)), note="the mean square of the gradient"),
            Line(THETA, lambda x: _descent(x, _scaled(x, "g", "s"))),
        )

    def update_into(self, theta, descent, state, scratch, eta, t):
        g = _gradient_into(descent, theta, self.weight_decay, scratch[0])
        (s,) = state
        work = scratch[0]
        _average_into(s, self.alpha, np.square(g, work))
        _scaled_into(g, s, self.eps, work)
        _descend_into(theta, eta, work)


def _moments() -> tuple[Line, ...]:
    return (
        Line("m", lambda x: _average(x, "m", "beta1", x["g"]), note="the first moment: a moving mean of g"),
        Line("v", lambda x: _average(x, "v", "beta2", Power(x["g"], TWO)), note="the second moment: of g squared"),
        Line(
            "mhat", lambda x: Frac(x["m"], _correction(x, "beta1")), assigns=False, note="corrected for its start at 0"
        ),
        Line("vhat", lambda x: Frac(x["v"], _correction(x, "beta2")), assigns=False),
        Line(THETA, lambda x: _descent(x, _scaled(x, "mhat", "vhat"))),
    )


def _average_into(state: np.ndarray, rate: float, new: np.ndarray) -> None:
    """_average's rate . state + (1 - rate) . new, into `state` (`new` is overwritten)."""
    np.multiply(rate, state, state)
    np.multiply(1 - rate, new, new)
    np.add(state, new, state)


def _scaled_into(top: np.ndarray, square: np.ndarray, eps: float, out: np.ndarray) -> None:
    """_scaled's top / (sqrt(square) + eps), into `out` (which may be `square`, not `top`)."""
    np.sqrt(square, out)
    np.add(out, eps, out)
    np.divide(top, out, out)


def _moments_into(optimizer: "Adam", theta, g, state, scratch, eta: float, t: int) -> None:
    """_moments' lines in place: m and v updated, theta moved; g is overwritten."""
    m, v = state
    corrected, work = scratch
    np.square(g, work)
    _average_into(m, optimizer.beta1, g)
    _average_into(v, optimizer.beta2, work)
    np.divide(m, 1 - optimizer.beta1**t, corrected)  # m hat
    np.divide(v, 1 - optimizer.beta2**t, work)  # v hat
    _scaled_into(corrected, work, optimizer.eps, work)
    _descend_into(theta, eta, work)


def _correction(x: Terms, rate: str) -> Expr:
    """(1 - rate^t)."""
    return Group(seq(ONE, Op.MINUS, Power(x[rate], x["t"])))


@record
class Adam(Optimizer):
    """Adam: a running mean of the gradients over the root of a running mean of their squares, both bias-corrected."""

    name: ClassVar[str] = "adam"
    title: ClassVar[str] = "Adam"
    states: ClassVar[tuple[str, ...]] = ("m", "v")
    beta1: float = 0.9
    beta2: float = 0.999
    eps: float = 1e-8
    weight_decay: float = 0.0

    def lines(self, first: bool) -> tuple[Line, ...]:
        return (_gradient_line(self.weight_decay), *_moments())

    def update_into(self, theta, descent, state, scratch, eta, t):
        _moments_into(self, theta, _gradient_into(descent, theta, self.weight_decay, scratch[0]), state, scratch, eta, t)

    def check(self) -> None:
        for name in ("beta1", "beta2"):
            value = getattr(self, name)
            if not 0 <= value < 1:
                raise SpecError(
                    f"optimizer.{name}",
                    f"expected a number from 0 up to (not including) 1, found {value:g}",
                    "use e.g. beta1: 0.9, beta2: 0.999",
                )


@record
class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov & Hutter): theta shrinks before the Adam step."""

    name: ClassVar[str] = "adamw"
    title: ClassVar[str] = "AdamW"
    weight_decay: float = 0.01

    def lines(self, first: bool) -> tuple[Line, ...]:
        decay = Line(
            THETA,
            lambda x: seq(x[THETA], Op.MINUS, x["eta"], Op.PRODUCT, x["weight_decay"], Op.PRODUCT, x[THETA]),
            note="decoupled weight decay: the parameter shrinks before the Adam step",
        )
        return (decay, _gradient_line(0), *_moments())

    def update_into(self, theta, descent, state, scratch, eta, t):
        decay = scratch[0]  # theta - (eta . lambda) . theta: the product is taken left to right
        np.multiply(eta * self.weight_decay, theta, decay)
        np.subtract(theta, decay, theta)
        _moments_into(self, theta, _gradient_into(descent, theta, 0, decay), state, scratch, eta, t)


OPTIMIZERS: dict[str, type[Optimizer]] = {kind.name: kind for kind in (SGD, Momentum, RMSProp, Adam, AdamW)}
PLAIN_SGD = SGD()
POSITIVE = ("eps",)  # settings that must be above 0; the other numbers may be 0


class Updates:
    """An optimiser at work over a run: each parameter's state and the number t of updates so far.

    Each line is compiled once (for the first update and for the others) from the notation the
    steps print; a parameter's state starts at zero, as torch.optim's does.
    """

    def __init__(self, optimizer: Optimizer, learning_rate: float):
        self.optimizer = optimizer
        self.t = 0
        self.state: dict[str, dict[str, np.ndarray]] = {}
        self.learning_rate = learning_rate
        self._compiled: dict[bool, list[tuple[str, Compiled]]] = {}

    def begin(self) -> None:
        """Count the update about to be made (all parameters are updated once per batch)."""
        self.t += 1

    def lines(self) -> list[tuple[str, Compiled]]:
        first = self.t == 1
        if first not in self._compiled:
            terms = {name: Q(SYMBOLS.get(name), None, name) for name in (*SYMBOLS, THETA, GRADIENT)}
            self._compiled[first] = [
                (line.target, compiled(line.formula(terms))) for line in self.optimizer.lines(first)
            ]
        return self._compiled[first]

    def update(self, key: str, theta: np.ndarray, gradient: np.ndarray, keep) -> list[np.ndarray]:
        """Move `theta` (in place) by its gradient; the value of each line, in order."""
        values = {**self.optimizer.constants(self.learning_rate, self.t), THETA: theta, GRADIENT: gradient}
        values.update(self.state.get(key) or {name: np.zeros_like(theta) for name in self.optimizer.states})
        results = []
        for target, line in self.lines():
            values[target] = keep(np.asarray(line(values), dtype=np.float64))
            results.append(values[target])
        theta[...] = values[THETA]
        state = self.state.get(key)
        if state is None:  # copies: the values are the record's lines too
            self.state[key] = {name: values[name].copy() for name in self.optimizer.states}
        else:  # in place: the arrays may be the untraced loop's (keep_state_in)
            for name, array in state.items():
                array[...] = values[name]
        return results

    def keep_state_in(self, key: str, arrays: dict[str, np.ndarray]) -> None:
        """Keep the state of `key` in `arrays` (the untraced loop's buffers) from now on, holding the
        state so far (zeros before the first update); traced and untraced updates then share it."""
        current = self.state.get(key)
        for name, array in arrays.items():
            array[...] = current[name] if current is not None else 0
        self.state[key] = arrays

    def snapshot(self) -> dict[str, dict[str, np.ndarray]]:
        """Each parameter's state (copies), by parameter key; none before the first update (every
        state starts at zeros)."""
        if self.t == 0:
            return {}
        return {key: {name: value.copy() for name, value in state.items()} for key, state in self.state.items()}
