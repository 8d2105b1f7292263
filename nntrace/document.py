"""What every format of a worked solution says around its steps: headings and loss lines.

The LaTeX, Markdown, HTML and terminal writers all take their words from here.
"""

from __future__ import annotations

from nntrace.notation import Equation, Remark
from nntrace.steps import Solution


def number_text(value: float, precision: int) -> str:
    """A loss or other scalar: `precision + 1` significant digits."""
    return f"{value:.{precision + 1}g}"


def heading(solution: Solution) -> str:
    if solution.epoch == 0:
        return "Forward pass"
    if solution.n_batches == 1:
        return f"Epoch {solution.epoch}"
    return f"Epoch {solution.epoch}, batch {solution.batch} of {solution.n_batches}"


def loss_remark(formula: Equation, value: float, precision: int, when: str, subject: str = "Loss") -> Remark:
    return Remark((f"{subject} ", formula, f" = {number_text(value, precision)} ({when})"))


def loss_line(solution: Solution, precision: int) -> Remark | None:
    """The loss of the pass: at the given parameters, of the epoch, or of the batch."""
    if solution.loss is None:
        return None
    formula, loss = solution.loss_formula, solution.loss
    if solution.epoch == 0:
        return loss_remark(formula, loss, precision, "at the given parameters")
    if solution.n_batches > 1:
        when = f"epoch {solution.epoch}, before this batch's update"
        return loss_remark(formula, loss, precision, when, f"Loss of batch {solution.batch} of {solution.n_batches}")
    return loss_remark(formula, loss, precision, f"epoch {solution.epoch}, before its updates")
