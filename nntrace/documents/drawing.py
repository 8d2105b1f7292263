"""The network drawn, as textbooks open their worked examples: inputs, neurons with their
activation, the weights on the edges, and, optionally, one sample's values of an epoch on the
neurons (the output a and the delta). One geometry (`network_drawing`), two writers: SVG
(standalone, or inline in the HTML export) and TikZ (in the LaTeX export).

Layers of more than MAX_SHOWN neurons show their first and last ones around a marked gap.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from nntrace.common.elision import elided
from nntrace.notation import numbers
from nntrace.notation.numbers import NumberFormat, Written
from nntrace.writers.latex import LatexWriter, number_latex, text
from nntrace.writers.unicode import number_text
from nntrace.writers.unicode import text as unicode_text

MAX_SHOWN = 10
VALUE_NAMES = ("a", "\u03b4")  # a neuron's output and delta, as written beside it
COLUMN_GAP, ROW_GAP, RADIUS, MARGIN = 190, 74, 22, 40


@dataclass(frozen=True)
class Node:
    key: str
    x: float
    y: float
    label: str  # the unit's name: x1, or its activation
    symbol: object  # the activation's symbol (notation), or None for an input
    values: tuple[tuple[str, Written], ...] = ()  # the unit's output a, and its delta when the pass went backward


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    weight: Written
    label: str  # W_h[1,2]
    position: float = 0.3  # where along the edge its weight is written


@dataclass(frozen=True)
class Gap:
    x: float
    y: float
    hidden: int


@dataclass(frozen=True)
class Drawing:
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    gaps: tuple[Gap, ...]
    width: float
    height: float


def network_drawing(network, weights: dict, layout, fmt: NumberFormat, input_names=None, values=None) -> Drawing:
    """The drawing of `network` with `weights` (parameters by key, engine rows); `values`: per
    layer name, each neuron's output a and (if known) delta, shown on it."""
    sizes = [network.layers[0].weights.shape[0]] + [layer.size for layer in network.layers]
    tallest = max(len(elided(size, MAX_SHOWN)) for size in sizes)
    height = 2 * MARGIN + (tallest - 1) * ROW_GAP + 40
    nodes, edges, gaps, columns = [], [], [], []
    for column, size in enumerate(sizes):
        shown = elided(size, MAX_SHOWN)
        top = MARGIN + (tallest - len(shown)) * ROW_GAP / 2
        x = MARGIN + 40 + column * COLUMN_GAP
        placed = {}
        for slot, unit in enumerate(shown):
            y = top + slot * ROW_GAP
            if unit is None:
                gaps.append(Gap(x, y, size - (len(shown) - 1)))
                continue
            key = f"n{column}_{unit}"
            if column == 0:
                name = input_names[unit] if input_names else f"x{unit + 1}"
                nodes.append(Node(key, x, y, name, None))
            else:
                layer = network.layers[column - 1]
                shown_values = values.get(layer.names.layer, [()] * size)[unit] if values else ()
                texts = tuple((name, numbers.written(float(v), fmt)) for name, v in zip(VALUE_NAMES, shown_values))
                nodes.append(Node(key, x, y, layer.activation.name, layer.activation.symbol, texts))
            placed[unit] = key
        columns.append(placed)
    for index, layer in enumerate(network.layers):
        matrix = weights[layer.names.weights.key]
        targets = list(columns[index + 1].items())
        for source, source_key in columns[index].items():
            for rank, (neuron, target_key) in enumerate(targets):
                row, col = layout.weight(source + 1, neuron + 1)
                label = f"{layer.names.weights.key}[{row},{col}]"
                weight = numbers.written(matrix[source, neuron], fmt)
                # Edges leaving one unit fan out: their weights are written at staggered distances.
                position = 0.2 + 0.55 * rank / max(len(targets) - 1, 1)
                edges.append(Edge(source_key, target_key, weight, label, position))
    width = 2 * MARGIN + 80 + (len(sizes) - 1) * COLUMN_GAP
    return Drawing(tuple(nodes), tuple(edges), tuple(gaps), width, height)


def _where(drawing: Drawing) -> dict[str, Node]:
    return {node.key: node for node in drawing.nodes}


def _along(a: Node, b: Node, part: float) -> tuple[float, float]:
    return a.x + (b.x - a.x) * part, a.y + (b.y - a.y) * part


def svg(drawing: Drawing) -> str:
    """A standalone SVG document (also fit to be inlined in HTML)."""
    at = _where(drawing)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="network" width="{drawing.width:.0f}" '
        f'height="{drawing.height:.0f}" viewBox="0 0 {drawing.width:.0f} {drawing.height:.0f}" '
        'font-family="DejaVu Sans, Arial, sans-serif" font-size="11">',
        '<rect width="100%" height="100%" fill="white"/>',
    ]
    for edge in drawing.edges:
        a, b = at[edge.source], at[edge.target]
        x, y = _along(a, b, edge.position)
        out.append(
            f'<g class="edge"><title>{escape(edge.label)} = {escape(number_text(edge.weight))}</title>'
            f'<line x1="{a.x + RADIUS:.1f}" y1="{a.y:.1f}" x2="{b.x - RADIUS:.1f}" y2="{b.y:.1f}" stroke="#8a8a8a"/>'
            f'<text class="weight" x="{x:.1f}" y="{y + 4:.1f}" fill="#1f4e9a" text-anchor="middle" '
            'stroke="white" stroke-width="3" paint-order="stroke">'
            f"{escape(number_text(edge.weight))}</text></g>"
        )
    for node in drawing.nodes:
        fill = "#f3f3f3" if node.symbol is None else "#fff6d6"
        label = node.label if node.symbol is None else unicode_text(node.symbol)
        out.append(
            f'<g class="node"><circle cx="{node.x:.1f}" cy="{node.y:.1f}" r="{RADIUS}" fill="{fill}" stroke="#333"/>'
            f'<text x="{node.x:.1f}" y="{node.y + 4:.1f}" text-anchor="middle" font-size="13">{escape(label)}</text>'
        )
        for line, (name, value) in enumerate(node.values):
            out.append(
                f'<text class="value" x="{node.x:.1f}" y="{node.y + RADIUS + 13 + 12 * line:.1f}" '
                f'text-anchor="middle" fill="#7a3d00">{escape(name)} = {escape(number_text(value))}</text>'
            )
        out.append("</g>")
    for gap in drawing.gaps:
        out.append(
            f'<text class="gap" x="{gap.x:.1f}" y="{gap.y + 4:.1f}" text-anchor="middle">⋮ {gap.hidden} more</text>'
        )
    return "\n".join(out + ["</svg>"]) + "\n"


def _latex_number(number: Written) -> str:
    """A number in text mode: as it is, or as maths where it has a minus sign or a power of ten."""
    return number.digits if number.exponent is None and not number.negative else f"${number_latex(number)}$"


def tikz(drawing: Drawing) -> str:
    """A tikzpicture of the drawing (1 SVG pixel = 0.03 cm, y pointing up)."""
    scale = 0.03

    def point(x: float, y: float) -> str:
        return f"({x * scale:.2f},{(drawing.height - y) * scale:.2f})"

    out = [r"\begin{tikzpicture}[every node/.style={font=\footnotesize}]"]
    for node in drawing.nodes:
        label = text(node.label) if node.symbol is None else f"${LatexWriter().symbols(node.symbol)}$"
        out.append(rf"\node[circle, draw, minimum size=0.9cm] ({node.key}) at {point(node.x, node.y)} {{{label}}};")
        for line, (name, value) in enumerate(node.values):
            where = point(node.x, node.y + RADIUS + 13 + 12 * line)
            out.append(rf"\node at {where} {{\tiny {text(name)} = {_latex_number(value)}}};")
    for edge in drawing.edges:
        out.append(
            rf"\draw[gray] ({edge.source}) -- "
            rf"node[pos={edge.position:.2f}, fill=white, inner sep=1pt, text=blue!60!black] "
            rf"{{\tiny {_latex_number(edge.weight)}}} ({edge.target});"
        )
    for gap in drawing.gaps:
        out.append(rf"\node at {point(gap.x, gap.y)} {{$\vdots$ {gap.hidden} more}};")
    return "\n".join(out + [r"\end{tikzpicture}"])
