"""How matrices are written: one row per sample (the paper's X . W) or one column per sample (W . x).

The engine always computes in rows; a Layout orients what is shown and typed, orders the
operands of a product, and indexes elements as the reader sees them.
"""

from __future__ import annotations

import numpy as np

from nntrace.common.records import NamedTuple
from nntrace.notation.nodes import Equation, Op, seq, sym


class Layout(NamedTuple):
    """How samples are shown: as the rows of a matrix, or as its columns (the transpose)."""

    name: str
    transposed: bool  # shown as the transpose of the engine's rows
    sample_word: str  # row or column: what one sample is

    @property
    def sample_axis(self) -> int:
        """The numpy axis along which the samples run, as shown."""
        return 1 if self.transposed else 0

    def orient(self, matrix: np.ndarray) -> np.ndarray:
        """A matrix between the engine's rows and this layout (a transpose, both ways)."""
        return matrix.T if self.transposed else matrix

    def product(self, left, right) -> tuple:
        """The operands of `left . right` (as the paper writes it) in this layout's order."""
        return (right, left) if self.transposed else (left, right)

    def element(self, sample, unit) -> tuple:
        """The index of one sample's value of one unit, as the reader sees it."""
        return (unit, sample) if self.transposed else (sample, unit)

    def weight(self, source, neuron) -> tuple:
        """The index of the weight from `source` into `neuron`, as the spec types it."""
        return (neuron, source) if self.transposed else (source, neuron)

    def source_and_neuron(self, row: int, column: int) -> tuple[int, int]:
        """The inverse of `weight`: (source, neuron) of the weight typed at row, column."""
        return (column, row) if self.transposed else (row, column)

    def typed_shape(self, n_in: int, n_out: int) -> tuple[int, int]:
        return (n_out, n_in) if self.transposed else (n_in, n_out)

    @property
    def per_sample(self) -> str:
        return f"one {self.sample_word} per sample"

    @property
    def sample_by_sample(self) -> str:
        return f"{self.sample_word} by {self.sample_word}"

    def layer_formula(self) -> Equation:
        """z = x . W + b, or z = W . x + b."""
        product = self.product(sym("x"), sym("W"))
        return Equation(sym("z"), seq(product[0], Op.PRODUCT, product[1], Op.PLUS, sym("b")))

    def weights_needed(self, name: str, n_in: int, n_out: int) -> tuple[str, str]:
        """What W_name must look like, and how to type it, for a layer of n_in inputs and n_out neurons."""
        rows, columns = self.typed_shape(n_in, n_out)
        if self.transposed:
            return (
                f"{n_in} columns, one per input (shape {rows}\u00d7{columns})",
                f"give W_{name} one row per neuron and one column per input ({n_in})",
            )
        return (
            f"{n_in} rows, one per input (shape {rows}\u00d7{columns})",
            f"give W_{name} one row per input ({n_in}) and one column per neuron",
        )


ROWS = Layout("rows", transposed=False, sample_word="row")
COLUMNS = Layout("columns", transposed=True, sample_word="column")
LAYOUTS = {layout.name: layout for layout in (ROWS, COLUMNS)}
