"""Worked solutions and explanations as one neutral structure, which every medium writes.

As pandas' Styler builds one structure and renders it through thin templates, a recorded pass, a
parameter's chain rule and a document's head are traversed once, here, into sections of blocks
(formulas, an equation with its numbers, element lines, notes, a table of factors); the terminal,
LaTeX, Markdown and HTML are templates over them, each writing a block in its own way. Blocks hold
notation and numbers, never text written for one medium.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from nntrace.common.records import NamedTuple
from nntrace.notation.nodes import Equation, Expansion, Expansions, Remark

if TYPE_CHECKING:
    from nntrace.solution.explain import Explanation
    from nntrace.solution.overview import Facts
    from nntrace.solution.steps import Solution, Step


# -- blocks --------------------------------------------------------------------------------------


class Formulas(NamedTuple):
    """The formulas a step computes: each medium writes their code and their mathematics."""

    equations: tuple[Equation, ...]


class Numbers(NamedTuple):
    """An equation with its numbers: lhs relation expr = stages = result, matrices in full."""

    equation: Equation


class Givens(NamedTuple):
    """Quantities given, each lhs = its value, short ones sharing a line."""

    equations: tuple[Equation, ...]


class Lines(NamedTuple):
    """Element lines: under an equation (`under`), each element's arithmetic; or the lines of a
    derivation (explain's sum and update); `more` further elements computed the same way."""

    lines: tuple[Expansion, ...]
    more: int = 0
    under: bool = True
    samples: tuple[int, ...] = ()  # each line's sample (1-based), where a table beside it shows only some


class Display(NamedTuple):
    """An equation in symbols, set apart (the chain rule written out)."""

    equation: Equation


class Note(NamedTuple):
    """A remark on what precedes it, in brackets."""

    remark: Remark


class Paragraph(NamedTuple):
    """A line of prose and inline mathematics."""

    remark: Remark


class Floats(Sequence):
    """A table row's numbers, each read as a Python float when a medium asks for it: of a million
    samples a table shows a few, and only they are read."""

    def __init__(self, values):
        self._values = values

    def __len__(self) -> int:
        return len(self._values)

    def __getitem__(self, index: int) -> float:
        return float(self._values[index])


class SampleLabels(Sequence):
    """The heads of a table's columns, s=1 to s=count, each made when it is shown."""

    def __init__(self, count: int):
        self._count = count

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index: int) -> str:
        if not -self._count <= index < self._count:
            raise IndexError(index)
        return f"s={index % self._count + 1}"


class Row(NamedTuple):
    """One row of a table of numbers: its head, a note under the head, one number per column."""

    head: Remark
    values: Sequence[float]
    note: str | None = None
    strong: bool = False


class Table(NamedTuple):
    """Numbers by row and column (explain's factors, sample by sample)."""

    corner: str
    columns: Sequence[str]
    rows: tuple[Row, ...]


Block = Formulas | Numbers | Givens | Lines | Display | Note | Paragraph | Table


# -- sections and the document ---------------------------------------------------------------------


class Section(NamedTuple):
    """A part of a document: a pass (its steps are sub-sections, its loss after them), a step, or an
    explanation. `label` names it in a list of contents."""

    title: Remark
    blocks: tuple = ()
    sections: tuple = ()
    after: tuple = ()
    label: str = ""
    number: int | None = None  # a step's number


class Document(NamedTuple):
    """What a trace is of (its title and facts), then its sections."""

    title: str
    facts: tuple[tuple[str, Remark], ...]
    sections: tuple[Section, ...]


def heading(solution: Solution) -> str:
    if solution.epoch == 0:
        return "Forward pass"
    if solution.n_batches == 1:
        return f"Epoch {solution.epoch}"
    return f"Epoch {solution.epoch}, batch {solution.batch:,} of {solution.n_batches:,}"


def loss_remark(formula: Equation, value: float, when: str) -> Remark:
    """Loss L = ... = value (when): the value a number the writers write at the precision asked for."""
    from nntrace.notation.nodes import Num

    return Remark(("Loss ", Equation(formula.lhs, formula.expr), " = ", Num(value), f" ({when})"))


def loss_line(solution: Solution) -> Remark | None:
    """The loss of the pass: at the given parameters, of the epoch, or of the batch."""
    if solution.loss is None:
        return None
    formula, loss = solution.loss_formula, solution.loss
    if solution.epoch == 0:
        return loss_remark(formula, loss, "at the given parameters")
    if solution.n_batches > 1:
        when = f"epoch {solution.epoch}, batch {solution.batch:,} of {solution.n_batches:,}, before its update"
        return loss_remark(formula, loss, when)
    return loss_remark(formula, loss, f"epoch {solution.epoch}, before its updates")


def step_section(step: Step, part: str = "") -> Section:
    """One numbered step: its formulas, each equation with its numbers and element lines, its notes."""
    blocks: list = []
    formulas = tuple(equation for equation in step.equations if equation.code_target is not None)
    if formulas:
        blocks.append(Formulas(formulas))
    if step.side_by_side:
        blocks.append(Givens(tuple(step.equations)))
    else:
        for equation in step.equations:
            blocks.append(Numbers(equation))
            blocks += [Lines(group.shown, group.more) for group in equation.expansions]
    blocks += [Note(note) for note in step.notes]
    label = f"{part} · Step {step.number}" if part else f"Step {step.number}"
    return Section(Remark((step.title,)), tuple(blocks), label=label, number=step.number)


def pass_section(solution: Solution) -> Section:
    """A worked pass: its heading, its steps, and its loss."""
    title = heading(solution)
    line = loss_line(solution)
    return Section(
        Remark((title,)),
        sections=tuple(step_section(step, title) for step in solution.steps),
        after=(Paragraph(line),) if line is not None else (),
        label=title,
    )


SHOWN_SAMPLES = 8  # a table of factors shows at most this many samples, the first and last


def explanation_section(ex: Explanation) -> Section:
    """One parameter's chain rule: its value, the chain, the factors sample by sample, the paths
    through the next layer, the sum over the samples and the update."""
    from nntrace.notation.nodes import Num

    label = ex.parameter.label
    blocks: list = [Paragraph(Remark((Equation(label, Num(ex.value)),))), Display(Equation(ex.derivative, ex.chain))]
    rows = [Row(Remark((Equation(factor.symbol, factor.formula),)), Floats(factor.values), factor.meaning)
            for factor in ex.factors]  # fmt: skip
    rows.append(Row(Remark(("product",)), Floats(ex.products), strong=True))
    blocks.append(Table("factor", SampleLabels(len(ex.products)), tuple(rows)))
    if ex.paths:
        blocks.append(Paragraph(Remark(("the paths through the next layer, sample by sample:",))))
        blocks.append(Lines(ex.paths, samples=ex.path_samples))
        if ex.convention is not None:
            blocks.append(Note(ex.convention))
    blocks.append(Lines((ex.total,), under=False))
    if ex.fixed:
        blocks.append(
            Paragraph(Remark((label, " is kept fixed (train_biases: false): it stays ", Num(ex.value))))
        )
    else:
        blocks.append(Lines(ex.updates, under=False))
    title = Remark((ex.derivative, f" by the chain rule, epoch {ex.epoch}"))
    return Section(title, tuple(blocks), label=f"Epoch {ex.epoch} · the chain rule")


def document(facts: Facts, solutions=(), explanations=()) -> Document:
    """The whole worked solution: the facts, then each pass's steps and loss, or each explanation."""
    sections = tuple(pass_section(solution) for solution in solutions)
    sections += tuple(explanation_section(explanation) for explanation in explanations)
    return Document(facts.title, facts.rows, sections)


__all__ = ["Expansions"]
