"""Update rules: how a parameter moves, in numbers and in notation.

Plain gradient descent, the paper's rule: theta <- theta + eta * (-dL/dtheta), which the
steps write with the descent direction -dL/dtheta (the products the engine records), and
`explain` with the gradient itself: new theta = theta - eta * dL/dtheta.
"""

from __future__ import annotations

from dataclasses import dataclass

from nntrace.notation import Expr, Num, Op, Signed, seq


@dataclass(frozen=True)
class GradientDescent:
    name: str = "sgd"

    def update(self, old: Expr, rate: Expr, descent: Expr) -> Expr:
        """theta + eta . (-dL/dtheta)."""
        return seq(old, Op.PLUS, rate, Op.PRODUCT, descent)

    def update_element(self, old: float, rate: float, descent: float) -> Expr:
        return self.update(Num(old), Num(rate, exact=True), Signed(Num(descent)))

    def explained(self, old: Expr, rate: Expr, gradient: Expr) -> Expr:
        """theta - eta . dL/dtheta."""
        return seq(old, Op.MINUS, rate, Op.PRODUCT, Signed(gradient))


SGD = GradientDescent()
