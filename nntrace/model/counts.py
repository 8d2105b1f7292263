"""Parameter counts of a dense network, and their table as plain text.

Nothing here imports numpy or rich, so `nntrace params` starts as fast as `--version`.
"""

from __future__ import annotations

GAP = "   "  # between columns, as rich's SIMPLE_HEAD tables space them


def parameter_counts(sizes: list[int]) -> list[int]:
    """Weights plus biases of each layer of a dense network with layer `sizes`, inputs first."""
    return [n_in * n_out + n_out for n_in, n_out in zip(sizes, sizes[1:])]


def count_table(sizes: list[int], ascii_only: bool = False) -> str:
    """One row per layer (its shape, weights, biases, parameters), a rule under the heads, the total;
    `ascii_only` writes -> and x for the arrow and the times sign, before the columns are measured."""
    counts = parameter_counts(sizes)
    arrow, times, rule_character = ("->", "x", "-") if ascii_only else ("\u2192", "\u00d7", "\u2500")
    heads = ["layer", "shape", "weights", "biases", "parameters"]
    rows = [
        [str(number), f"{n_in} {arrow} {n_out}", f"{n_in} {times} {n_out} = {n_in * n_out}", str(n_out), str(count)]
        for number, (n_in, n_out, count) in enumerate(zip(sizes, sizes[1:], counts), start=1)
    ]
    footer = ["total", "", "", "", str(sum(counts))]
    widths = [max(len(row[c]) for row in [heads, *rows, footer]) for c in range(len(heads))]
    right = (False, False, True, True, True)

    def line(cells: list[str]) -> str:
        text = GAP.join(cell.rjust(w) if r else cell.ljust(w) for cell, w, r in zip(cells, widths, right))
        return text.rstrip()

    rule = rule_character * (sum(widths) + len(GAP) * (len(widths) - 1))
    return "\n".join([line(heads), rule, *map(line, rows), "", line(footer)]) + "\n"
