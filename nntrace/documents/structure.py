"""What every format of a worked solution says around its steps: headings and loss lines.

The LaTeX, Markdown, HTML and terminal writers all take their words from here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nntrace.notation.nodes import Equation, Remark

if TYPE_CHECKING:
    from nntrace.solution.steps import Solution


def number_text(value: float, precision: int) -> str:
    """A loss or other scalar: `precision + 1` significant digits."""
    return f"{value:.{precision + 1}g}"


def heading(solution: Solution) -> str:
    if solution.epoch == 0:
        return "Forward pass"
    if solution.n_batches == 1:
        return f"Epoch {solution.epoch}"
    return f"Epoch {solution.epoch}, batch {solution.batch} of {solution.n_batches}"


def loss_remark(formula: Equation, value: float, precision: int, when: str) -> Remark:
    return Remark(("Loss ", formula, f" = {number_text(value, precision)} ({when})"))


def loss_line(solution: Solution, precision: int) -> Remark | None:
    """The loss of the pass: at the given parameters, of the epoch, or of the batch."""
    if solution.loss is None:
        return None
    formula, loss = solution.loss_formula, solution.loss
    if solution.epoch == 0:
        return loss_remark(formula, loss, precision, "at the given parameters")
    if solution.n_batches > 1:
        when = f"epoch {solution.epoch}, batch {solution.batch} of {solution.n_batches}, before its update"
        return loss_remark(formula, loss, precision, when)
    return loss_remark(formula, loss, precision, f"epoch {solution.epoch}, before its updates")


class Writer:
    """The primitives a document format provides; `write_document` drives them."""

    def begin(self, facts) -> None: ...
    def end(self) -> None: ...
    def section(self, title: str) -> None: ...
    def step_heading(self, number: int, title: str) -> None: ...
    def code(self, lines: list[str]) -> None: ...
    def formulas(self, equations: list[Equation]) -> None: ...
    def numbers(self, equation: Equation) -> None: ...
    def givens(self, equations: list[Equation]) -> None: ...
    def expansions(self, group) -> None: ...
    def note(self, remark: Remark) -> None: ...
    def paragraph(self, remark: Remark) -> None: ...
    def explanation(self, explanation) -> None: ...
    def text(self) -> str: ...


def write_step(writer: Writer, step) -> None:
    from nntrace.writers.code import code_line

    writer.step_heading(step.number, step.title)
    formulas = [equation for equation in step.equations if equation.code_target is not None]
    if formulas:
        writer.code([code_line(equation) for equation in formulas])
        writer.formulas(formulas)
    if step.side_by_side:
        writer.givens(list(step.equations))
    else:
        for equation in step.equations:
            writer.numbers(equation)
            for group in equation.expansions:
                writer.expansions(group)
    for note in step.notes:
        writer.note(note)


def write_document(writer: Writer, facts, solutions=(), explanations=(), precision: int = 3) -> str:
    """The whole worked solution: the facts, then each pass's steps and loss, or each explanation."""
    writer.begin(facts)
    for solution in solutions:
        writer.section(heading(solution))
        for step in solution.steps:
            write_step(writer, step)
        line = loss_line(solution, precision)
        if line is not None:
            writer.paragraph(line)
    for explanation in explanations:
        writer.explanation(explanation)
    writer.end()
    return writer.text()
