"""Loss functions: each carries its numerics and how it is written.

The paper's rule adds eta * (error x slope) to the weights; writing every loss's error
term E = -dL/dO with that sign keeps its formulas and matrices intact and makes the update
theta <- theta - eta * dL/dtheta for every loss. A loss knows, beside its value and E:
  - `formula()`: L = ..., as the header and the error step write it;
  - `error_formula(y, o, count)`: E in terms of the targets and the outputs (the error step's
    formula line, equation with the numbers and code), and `error_element` one element of it;
  - `output_slope(o, y)`: dL/do, the first factor of the chain rule `explain` shows.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from nntrace.common.records import record
from nntrace.notation.nodes import LN, Apply, Equation, Expr, Frac, Group, Neg, Num, Op, Power, Q, Sum, Sym, seq

TWO = Num(2, exact=True)
Y, OUTPUT, L = Sym("y"), Sym("O"), Sym("L")


def _squared_errors() -> Expr:
    return Sum(Power(Group(seq(Y, Op.MINUS, OUTPUT)), TWO), count=2)


@record
class Loss:
    """The interface; every loss below fills it in. What a loss is belongs to its class, so only a
    loss built from another (MeanOverSamples) is a record of its own (common.records)."""

    name: ClassVar[str]
    title: ClassVar[str]  # its name in words, as a document's head gives it
    slope_cancels: ClassVar[bool] = False  # with its output activation, dL/dz is y - O: the delta is E itself
    averaged: ClassVar[bool] = False  # the value is a mean over the entries, so batches are weighted by size
    needs_probabilities: ClassVar[bool] = False  # targets must lie in [0, 1]
    halved: ClassVar[bool] = False  # a ½ in front, which cancels the 2 of the squares' slope (and is easy to drop)

    def value(self, y: np.ndarray, o: np.ndarray, z: np.ndarray) -> float:
        raise NotImplementedError

    def error(self, y: np.ndarray, o: np.ndarray) -> np.ndarray:
        """E = -dL/dO (or -dL/dz where the slope cancels)."""
        return y - o

    def value_and_error(self, y: np.ndarray, o: np.ndarray, z: np.ndarray) -> tuple[float, np.ndarray]:
        """value() and error(), for the traced pass: a loss whose value computes its error on the way
        gives that one (value_and_error_into) rather than computing it twice."""
        return self.value(y, o, z), self.error(y, o)

    def value_and_error_into(self, y, o, z, error: np.ndarray, scratch: np.ndarray) -> float:
        """value() returned and error() written into `error`, for the untraced loop (lean.py);
        `scratch` is a buffer of the outputs' shape a loss may use to do the same in place. A loss
        that does computes value() through this method, so its operations exist once."""
        np.copyto(error, self.error(y, o))
        return self.value(y, o, z)

    def formula(self) -> Equation:
        raise NotImplementedError

    def error_formula(self, y: Expr, o: Expr, count: Q, samples: Q) -> Expr:
        """E written with the batch's number of target entries `count` and of samples `samples`."""
        return seq(y, Op.MINUS, o)

    def error_element(self, y: float, o: float, count: int, samples: int) -> Expr:
        return seq(Num(y), Op.MINUS, Num(o))

    # In the gradient's sign convention the error step writes dL/dO = -E. Every loss here writes E as
    # a multiple of (y - O), so the gradient is the same formula with the outputs first: (O - y).
    # A loss whose E is not odd in y - O overrides these two.
    def gradient_formula(self, y: Expr, o: Expr, count: Q, samples: Q) -> Expr:
        """dL/dO (or dL/dz where the slope cancels), written with the outputs first."""
        return self.error_formula(o, y, count, samples)

    def gradient_element(self, y: float, o: float, count: int, samples: int) -> Expr:
        return self.error_element(o, y, count, samples)

    def output_slope(self, o: Expr, y: Expr) -> Expr:
        return seq(o, Op.MINUS, y)


class HalfSSE(Loss):
    name = "half_sse"
    title = "half the sum of squared errors"
    halved = True

    def value(self, y, o, z):
        return self.value_and_error(y, o, z)[0]

    def value_and_error(self, y, o, z):
        error = np.empty(np.shape(o))
        return self.value_and_error_into(y, o, z, error, None), error

    def value_and_error_into(self, y, o, z, error, scratch):
        # The paper's loss: E = y - O is the difference it squares, computed once.
        np.subtract(y, o, error)
        return 0.5 * float(np.vdot(error, error))  # the sum of squares as one BLAS call

    def formula(self):
        return Equation(L, seq(Frac(Num(1, exact=True), TWO), Op.IMPLICIT, _squared_errors()))


class SSE(Loss):
    name = "sse"
    title = "the sum of squared errors"

    def value(self, y, o, z):
        e = y - o
        return float((e * e).sum())

    def error(self, y, o):
        return 2.0 * (y - o)

    def formula(self):
        return Equation(L, _squared_errors())

    def error_formula(self, y, o, count, samples):
        return seq(TWO, Op.IMPLICIT, Group(seq(y, Op.MINUS, o)))

    def error_element(self, y, o, count, samples):
        return seq(TWO, Op.PRODUCT, Group(seq(Num(y), Op.MINUS, Num(o))))

    def output_slope(self, o, y):
        return seq(TWO, Op.IMPLICIT, Group(seq(o, Op.MINUS, y)))


class MSE(Loss):
    """The mean over all n*k target entries of the batch."""

    name = "mse"
    title = "the mean squared error"
    averaged = True

    def value(self, y, o, z):
        e = y - o
        return float((e * e).mean())

    def error(self, y, o):
        return 2.0 * (y - o) / y.size

    def formula(self):
        return Equation(L, seq(Group(Frac(Num(1, exact=True), Sym("nk"))), Op.IMPLICIT, _squared_errors()))

    def error_formula(self, y, o, count, samples):
        return Frac(seq(TWO, Op.IMPLICIT, Group(seq(y, Op.MINUS, o))), count)

    def error_element(self, y, o, count, samples):
        return seq(Group(Frac(TWO, Num(count, exact=True))), Op.PRODUCT, Group(seq(Num(y), Op.MINUS, Num(o))))

    def output_slope(self, o, y):
        return Frac(seq(TWO, Op.IMPLICIT, Group(seq(o, Op.MINUS, y))), Sym("nk"))


class SigmoidCrossEntropy(Loss):
    name = "cross_entropy"
    title = "cross-entropy"
    slope_cancels = True
    needs_probabilities = True

    def value(self, y, o, z):
        # ln o = -softplus(-z) and ln(1 - o) = -softplus(z): finite even where o rounds to 0 or 1.
        return float(np.sum(y * np.logaddexp(0.0, -z) + (1.0 - y) * np.logaddexp(0.0, z)))

    def formula(self):
        ln = LN
        inside = seq(
            Y,
            Op.IMPLICIT,
            Apply(ln, (OUTPUT,), parens=False),
            Op.PLUS,
            Group(seq(Num(1, exact=True), Op.MINUS, Y)),
            Op.IMPLICIT,
            Apply(ln, (seq(Num(1, exact=True), Op.MINUS, OUTPUT),)),
        )
        return Equation(L, Neg(Sum(Group(inside, square=True), count=2)))


class SoftmaxCrossEntropy(Loss):
    name = "cross_entropy"
    title = "cross-entropy of the softmax"
    slope_cancels = True
    needs_probabilities = True

    def value(self, y, o, z):
        return self.value_and_error(y, o, z)[0]

    def value_and_error(self, y, o, z):
        error = np.empty(np.shape(o))
        return self.value_and_error_into(y, o, z, error, np.empty(np.shape(o))), error

    def value_and_error_into(self, y, o, z, error, scratch):
        # -sum(y ln o), ln o taken from z shifted by its row maximum: finite where o rounds to 0.
        np.subtract(y, o, error)
        np.subtract(z, np.maximum.reduce(z, axis=1, keepdims=True), scratch)  # as softmax's forward_into
        np.subtract(scratch, np.log(np.add.reduce(np.exp(scratch), axis=1, keepdims=True)), scratch)
        np.multiply(y, scratch, scratch)
        return float(-np.add.reduce(scratch, axis=None))

    def formula(self):
        return Equation(L, Neg(Sum(seq(Y, Op.IMPLICIT, Apply(LN, (OUTPUT,), parens=False)), count=2)))


LOSSES: dict[str, Loss] = {loss.name: loss for loss in (HalfSSE(), SSE(), MSE(), SigmoidCrossEntropy())}
DEFAULT_LOSS = HalfSSE.name  # the paper's


@record
class MeanOverSamples(Loss):
    """`reduction: mean`: a summed loss divided by the batch's number of samples n, as PyTorch's
    losses do by default; its error term and slope carry the same 1/n."""

    summed: Loss = HalfSSE()
    averaged = True

    # The rest of what it is, the summed loss's.
    name = property(lambda self: self.summed.name)
    title = property(lambda self: f"{self.summed.title}, averaged over the samples")
    slope_cancels = property(lambda self: self.summed.slope_cancels)
    needs_probabilities = property(lambda self: self.summed.needs_probabilities)
    halved = property(lambda self: self.summed.halved)

    def value(self, y, o, z):
        return self.summed.value(y, o, z) / len(y)

    def error(self, y, o):
        return self.summed.error(y, o) / len(y)

    def value_and_error(self, y, o, z):
        value, error = self.summed.value_and_error(y, o, z)
        return value / len(y), error / len(y)

    def value_and_error_into(self, y, o, z, error, scratch):
        value = self.summed.value_and_error_into(y, o, z, error, scratch)
        np.true_divide(error, len(y), out=error)
        return value / len(y)

    def formula(self):
        summed = self.summed.formula()
        return Equation(L, seq(Frac(Num(1, exact=True), Sym("n")), Op.IMPLICIT, Group(summed.expr)))

    def error_formula(self, y, o, count, samples):
        return Frac(Group(self.summed.error_formula(y, o, count, samples)), samples)

    def error_element(self, y, o, count, samples):
        return Frac(Group(self.summed.error_element(y, o, count, samples)), Num(samples, exact=True))

    def output_slope(self, o, y):
        return Frac(Group(self.summed.output_slope(o, y)), Sym("n"))


REDUCTIONS = ("sum", "mean")


def loss_for(name: str, output, reduction: str = "sum") -> Loss:
    """The loss called `name`, in its softmax form when the output activation normalises across the
    layer, and divided by the number of samples for `reduction: mean` (mse is a mean already)."""
    loss = SoftmaxCrossEntropy() if name == SoftmaxCrossEntropy.name and output.output_only else LOSSES[name]
    return MeanOverSamples(summed=loss) if reduction == "mean" and not loss.averaged else loss
