"""The network drawn, as textbooks open their worked examples: inputs, neurons with their
activation and bias, the weights on the edges, and, optionally, one sample's values of an epoch on
the neurons (the output a and the delta), with a caption saying which. One geometry
(`network_drawing`), two writers: SVG (standalone, inline in the HTML and Markdown exports) and
TikZ (`draw --to tikz`, the LaTeX export), so what is checked on one holds for the other.

Legibility is part of the geometry: every piece of text is a box (its width estimated from its
characters, on the generous side), and the layout places each edge's weight where its box touches
no node, no other text and no crossing of two edges, widening the columns when it must. Layers of
more than MAX_SHOWN neurons show their first and last ones around a marked gap; where a pair of
layers has more than MAX_LABELLED edges, or the weights find no free places, the edges are coloured
by weight (blue negative, red positive, thicker when larger) against a colour bar instead.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property
from html import escape
from itertools import combinations, pairwise

import numpy as np

from nntrace.common.elision import elided
from nntrace.notation import numbers
from nntrace.notation.numbers import NumberFormat, Written
from nntrace.writers.latex import LatexWriter, number_latex, text
from nntrace.writers.unicode import number_text
from nntrace.writers.unicode import text as unicode_text

MAX_SHOWN = 10
MAX_LABELLED = 36  # edges between two layers that still carry their weights (6 x 6)
VALUE_NAMES = ("a", "\u03b4")  # a neuron's output and delta, as written beneath it
RADIUS, MARGIN, FONT, NODE_FONT, LINE = 22, 30, 11, 13, 16
COLUMN_GAPS = (190, 220, 250, 280, 320, 370, 430, 500)  # tried in turn until every text has a free place
HEAT_FONT = 9
CHAR_WIDTH = 0.68  # a character's width in ems, generous for DejaVu Sans and Arial digits
HALO = 2  # the white edge around a label's text
NEGATIVE, ZERO, POSITIVE = (33, 102, 172), (236, 236, 236), (178, 24, 43)
CM_PER_PX = 0.024  # TikZ at its natural size: 11 px text is 7.5 pt
LATEX_SIZES = ((r"\tiny", 6), (r"\scriptsize", 8), (r"\footnotesize", 10), (r"\small", 10.95))  # at most, in pt
PT_PER_CM = 28.4528
FIT = (
    r"\ifdim\wd0>\linewidth\sbox0{\resizebox{\linewidth}{!}{\usebox0}}\fi",
    r"\ifdim\ht0>0.9\textheight\sbox0{\resizebox{!}{0.9\textheight}{\usebox0}}\fi",
)  # a page's room
SMALL, SMALL_KINDS = r"\tiny", ("weight", "bias", "value", "gap", "scale")  # the many small texts


@dataclass(frozen=True)
class Label:
    """A piece of text and its box: centred on (x, y), or starting (anchor "start") or ending there."""

    kind: str  # weight, bias, value, name, gap, caption, scale
    x: float
    y: float
    parts: tuple  # str pieces and Written numbers, written one after another
    size: float = FONT
    anchor: str = "middle"

    @cached_property
    def width(self) -> float:
        characters = sum(len(part) if isinstance(part, str) else len(number_text(part)) for part in self.parts)
        return characters * self.size * CHAR_WIDTH + 2 * HALO

    @cached_property
    def box(self) -> tuple[float, float, float, float]:
        left = {"start": self.x, "middle": self.x - self.width / 2, "end": self.x - self.width}[self.anchor]
        half = self.size * 0.6 + 1
        return left, self.y - half, left + self.width, self.y + half


@dataclass(frozen=True)
class Node:
    key: str
    x: float
    y: float
    label: str  # the unit's name: x1, or its activation
    symbol: object  # the activation's symbol (notation), or None for an input
    texts: tuple[Label, ...] = ()  # its bias, output a and delta beneath it; an input's long name beside it


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    weight: Written
    label: str  # W_h[1,2]
    value: float
    text: Label | None = None  # where its weight is written, when it is
    start: tuple[float, float] = (0.0, 0.0)
    end: tuple[float, float] = (0.0, 0.0)


@dataclass(frozen=True)
class Gap:
    text: Label  # "⋮ 120 more", where a layer's middle units are left out


@dataclass(frozen=True)
class Scale:
    """The colour bar of a heat-coloured drawing: weights from -limit to +limit."""

    x: float
    y: float
    width: float
    limit: float
    labels: tuple[Label, ...]


@dataclass(frozen=True)
class Drawing:
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    gaps: tuple[Gap, ...]
    width: float
    height: float
    caption: Label | None = None
    scale: Scale | None = None  # set when the edges are coloured by weight instead of labelled


def caption_words(epoch: int | None, sample: int | None, values: bool) -> str:
    """What the drawing shows: which weights, and whose a and delta."""
    if epoch is None:
        return "The spec's starting weights and biases"
    if epoch == 0:
        weights = "The spec's weights and biases"
        return weights + (f"; a of sample {sample} in the forward pass" if values else "")
    weights = f"Weights and biases at the start of epoch {epoch}"
    return weights + (f"; a and \u03b4 of sample {sample} in epoch {epoch}" if values else "")


def network_drawing(network, weights: dict, layout, fmt: NumberFormat, input_names=None, values=None,
                    epoch: int | None = None, sample: int | None = None) -> Drawing:  # fmt: skip
    """The drawing of `network` with `weights` (parameters by key, engine rows); `values`: per
    layer name, each neuron's output a and (if known) delta, shown on it, of sample `sample` in
    epoch `epoch` (0: the forward pass of a spec that does not train), as the caption says."""
    sizes = [network.layers[0].weights.shape[0]] + [layer.size for layer in network.layers]
    labelled = all(len(elided(a, MAX_SHOWN)) * len(elided(b, MAX_SHOWN)) <= MAX_LABELLED
                   for a, b in pairwise(sizes))  # fmt: skip
    caption = caption_words(epoch, sample, bool(values))
    # With no free place for every weight even between the widest columns, the edges are coloured instead.
    for weights_written in (True, False) if labelled else (False,):
        for gap in COLUMN_GAPS:
            drawing = _laid_out(network, weights, layout, fmt, input_names, values, caption, gap, weights_written)
            if drawing is not None:
                return drawing
    raise AssertionError("no column gap leaves the drawing's texts apart")  # pragma: no cover


def _laid_out(network, weights, layout, fmt, input_names, values, caption, column_gap, labelled):
    """The drawing with columns `column_gap` apart, or None if some text has no free place."""
    sizes = [network.layers[0].weights.shape[0]] + [layer.size for layer in network.layers]
    names = [input_names[unit] if input_names else f"x{unit + 1}" for unit in range(sizes[0])]
    outside = [name for name in names if len(name) > 3]  # too long for the circle: written beside it
    left = MARGIN + RADIUS + (max(len(name) for name in outside) * FONT * CHAR_WIDTH + 2 * HALO + 6 if outside else 0)
    lines = 1 + (len(next(iter(values.values()))[0]) if values else 0)  # bias, then a and delta
    row_gap = max(74, 2 * RADIUS + 10 + LINE * lines + 8)
    tallest = max(len(elided(size, MAX_SHOWN)) for size in sizes)
    top_margin = MARGIN + RADIUS
    nodes, gaps, columns = [], [], []
    text_size = (
        FONT if labelled else HEAT_FONT
    )  # among many edges, smaller texts beneath the units meet fewer crossings
    for column, size in enumerate(sizes):
        shown = elided(size, MAX_SHOWN)
        top = top_margin + (tallest - len(shown)) * row_gap / 2
        x = left + column * column_gap
        placed = {}
        for slot, unit in enumerate(shown):
            y = top + slot * row_gap
            if unit is None:
                hidden = size - (len(shown) - 1)
                gaps.append(Gap(Label("gap", x, y, (f"⋮ {hidden} more",))))
                continue
            key = f"n{column}_{unit}"
            if column == 0:
                name = names[unit]
                texts = (Label("name", x - RADIUS - 6, y, (name,), anchor="end"),) if len(name) > 3 else ()
                node = Node(key, x, y, name if len(name) <= 3 else f"x{unit + 1}", None, texts)
            else:
                layer = network.layers[column - 1]
                below = []
                if layer.names.biases.key in weights:
                    bias = numbers.written(float(weights[layer.names.biases.key][unit]), fmt)
                    below.append(("b = ", bias))
                shown_values = values.get(layer.names.layer, [()] * size)[unit] if values else ()
                below += [(f"{name} = ", numbers.written(float(v), fmt)) for name, v in zip(VALUE_NAMES, shown_values)]
                texts = tuple(Label("bias" if line == 0 and len(below) > len(shown_values) else "value",
                                    x, y + RADIUS + 10 + LINE * line, parts, text_size)
                              for line, parts in enumerate(below))  # fmt: skip
                node = Node(key, x, y, layer.activation.name, layer.activation.symbol, texts)
            nodes.append(node)
            placed[unit] = node
        columns.append(placed)
    edges = []
    for index, layer in enumerate(network.layers):
        matrix = weights[layer.names.weights.key]
        for source, a in columns[index].items():
            for neuron, b in columns[index + 1].items():
                row, col = layout.weight(source + 1, neuron + 1)
                value = float(matrix[source, neuron])
                edges.append(Edge(a.key, b.key, numbers.written(value, fmt), f"{layer.names.weights.key}[{row},{col}]",
                                  value, None, (a.x + RADIUS, a.y), (b.x - RADIUS, b.y)))  # fmt: skip
    width = left + (len(sizes) - 1) * column_gap + RADIUS + MARGIN
    bottom = max([node.y + RADIUS for node in nodes] + [label.box[3] for node in nodes for label in node.texts])
    fixed = [label for node in nodes for label in node.texts] + [gap.text for gap in gaps]
    obstacles = [_circle_box(node) for node in nodes] + [label.box for label in fixed]
    points = np.array(crossings(edges)).reshape(-1, 2)
    if any(_holds(label.box, points) for label in fixed):
        return None
    if any(_overlap(a.box, b.box) for a, b in combinations(fixed, 2)):
        return None
    if labelled:
        edges = _labelled(edges, obstacles, points)
        if edges is None:
            return None
    scale = None
    y = bottom + 14
    if not labelled:
        limit = max((abs(edge.value) for edge in edges), default=0.0) or 1.0
        bar = min(240.0, width - 2 * MARGIN - 120)
        x0 = (width - bar) / 2
        written = numbers.written(limit, fmt)
        ends = (Label("scale", x0 - 8, y + 5, ("-", written), anchor="end"),
                Label("scale", x0 + bar + 8, y + 5, ("+", written), anchor="start"),
                Label("scale", width / 2, y + 22, ("weight (edge colour and width)",)))  # fmt: skip
        scale = Scale(x0, y, bar, limit, ends)
        y += 40
    label = Label("caption", MARGIN, y + 4, (caption,), anchor="start")
    width = max(width, label.width + 2 * MARGIN)
    return Drawing(tuple(nodes), tuple(edges), tuple(gaps), width, y + 4 + MARGIN, label, scale)


def _labelled(edges, obstacles, points):
    """The edges with their weights placed: each weight where its box is clear of the nodes, the
    texts beneath them, the weights placed before it and every crossing of two edges; near its
    source, later edges of a unit further along (so a unit's fan of weights is staggered), moved as
    little as it must. None when some weight finds no free place."""
    placed, out = [], []
    fans = {}
    for edge in edges:
        fans.setdefault(edge.source, []).append(edge)
    for edge in edges:
        fan = fans[edge.source]
        rank = fan.index(edge)
        preferred = 0.22 + 0.5 * rank / max(len(fan) - 1, 1)
        tries = sorted((step / 50 for step in range(5, 46)), key=lambda part: (abs(part - preferred), part))
        for part in tries:
            x = edge.start[0] + (edge.end[0] - edge.start[0]) * part
            y = edge.start[1] + (edge.end[1] - edge.start[1]) * part
            label = Label("weight", x, y, (edge.weight,))
            box = label.box
            if any(_overlap(box, other) for other in obstacles + placed):
                continue
            if _holds(box, points):
                continue
            placed.append(box)
            out.append(replace(edge, text=label))
            break
        else:
            return None
    return out


def crossings(edges) -> list[tuple[float, float]]:
    """Where two edges cross (edges meeting at a node's side do not cross there)."""
    points = []
    by_layer = {}
    for edge in edges:
        by_layer.setdefault(edge.start[0], []).append(edge)
    for group in by_layer.values():
        for one, two in combinations(group, 2):
            if one.source == two.source or one.target == two.target:
                continue
            point = segment_crossing(one.start, one.end, two.start, two.end)
            if point is not None:
                points.append(point)
    return points


def segment_crossing(p, q, r, s):
    """The point where segments pq and rs cross, or None."""
    d1 = (q[0] - p[0], q[1] - p[1])
    d2 = (s[0] - r[0], s[1] - r[1])
    det = d1[0] * d2[1] - d1[1] * d2[0]
    if abs(det) < 1e-12:
        return None
    t = ((r[0] - p[0]) * d2[1] - (r[1] - p[1]) * d2[0]) / det
    u = ((r[0] - p[0]) * d1[1] - (r[1] - p[1]) * d1[0]) / det
    if 0 < t < 1 and 0 < u < 1:
        return p[0] + t * d1[0], p[1] + t * d1[1]
    return None


def _circle_box(node: Node) -> tuple[float, float, float, float]:
    return node.x - RADIUS - 1, node.y - RADIUS - 1, node.x + RADIUS + 1, node.y + RADIUS + 1


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _holds(box, points: np.ndarray, margin: float = 2.0) -> bool:
    """Whether the box (widened by `margin`) holds any of the points (an n x 2 array)."""
    x, y = points[:, 0], points[:, 1]
    inside = (box[0] - margin <= x) & (x <= box[2] + margin) & (box[1] - margin <= y) & (y <= box[3] + margin)
    return bool(inside.any())


def heat(value: float, limit: float) -> tuple[tuple[int, int, int], float]:
    """An edge's colour and width for its weight: blue for negative, red for positive, grey near 0."""
    part = min(abs(value) / limit, 1.0) if limit else 0.0
    end = POSITIVE if value > 0 else NEGATIVE
    colour = tuple(round(z + (e - z) * part) for z, e in zip(ZERO, end))
    return colour, 0.6 + 2.4 * part


def _name(node: Node) -> str:
    """What a unit's circle holds: an input's name, or its activation's symbol."""
    return node.label if node.symbol is None else unicode_text(node.symbol)


def node_font(name: str) -> float:
    """The font size that keeps a unit's name (x12, σ, softmax) inside its circle."""
    return min(NODE_FONT, 1.6 * RADIUS / (max(len(name), 1) * CHAR_WIDTH))


def _unicode(label: Label) -> str:
    return "".join(part if isinstance(part, str) else number_text(part) for part in label.parts)


def _latex(label: Label) -> str:
    out = []
    for part in label.parts:
        if isinstance(part, str):
            out.append(r"$\vdots$" + text(part[1:]) if part.startswith("⋮") else text(part))
        else:
            out.append(_latex_number(part))
    return "".join(out)


def _svg_text(label: Label, colour: str) -> str:
    anchor = "" if label.anchor == "start" else f' text-anchor="{label.anchor}"'
    return (
        f'<text class="{label.kind}" x="{label.x:.1f}" y="{label.y + label.size * 0.35:.1f}"{anchor} '
        f'font-size="{label.size:g}" fill="{colour}" stroke="white" stroke-width="3" paint-order="stroke">'
        f"{escape(_unicode(label))}</text>"
    )


def svg(drawing: Drawing) -> str:
    """A standalone SVG document (also fit to be inlined in HTML and Markdown: no blank lines)."""
    out = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" class="network" width="{drawing.width:.0f}" '
            f'height="{drawing.height:.0f}" viewBox="0 0 {drawing.width:.0f} {drawing.height:.0f}" '
            f'font-family="DejaVu Sans, Arial, sans-serif" font-size="{FONT}" role="img" '
            'style="max-width: 100%; height: auto">'  # inline in a page, it shrinks to the page's width
        ),
        (f"<title>{escape(_unicode(drawing.caption))}</title>" if drawing.caption else ""),
        '<rect width="100%" height="100%" fill="white"/>',
    ]
    limit = drawing.scale.limit if drawing.scale else None
    for edge in drawing.edges:
        (x1, y1), (x2, y2) = edge.start, edge.end
        stroke = 'stroke="#8a8a8a"'
        if limit:
            colour, width = heat(edge.value, limit)
            stroke = f'stroke="rgb{colour}" stroke-width="{width:.2f}"'
        label = _svg_text(edge.text, "#1f4e9a") if edge.text else ""
        out.append(
            f'<g class="edge"><title>{escape(edge.label)} = {escape(number_text(edge.weight))}</title>'
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" {stroke}/>{label}</g>'
        )
    for node in drawing.nodes:
        fill = "#f3f3f3" if node.symbol is None else "#fff6d6"
        label = _name(node)
        out.append(
            f'<g class="node"><circle cx="{node.x:.1f}" cy="{node.y:.1f}" r="{RADIUS}" fill="{fill}" stroke="#333"/>'
            f'<text x="{node.x:.1f}" y="{node.y + 4.5:.1f}" text-anchor="middle" font-size="{node_font(label):.1f}">'
            f"{escape(label)}</text>"
        )
        for text_label in node.texts:
            colour = {"bias": "#2f6b2f", "value": "#7a3d00"}.get(text_label.kind, "#333")
            out.append(_svg_text(text_label, colour))
        out.append("</g>")
    for gap in drawing.gaps:
        out.append(_svg_text(gap.text, "#333"))
    if drawing.scale:
        scale = drawing.scale
        stops = "".join(f'<stop offset="{offset}" stop-color="rgb{colour}"/>'
                        for offset, colour in (("0", NEGATIVE), ("0.5", ZERO), ("1", POSITIVE)))  # fmt: skip
        out.append(
            f'<g class="legend"><defs><linearGradient id="nntrace-weights">{stops}</linearGradient></defs>'
            f'<rect x="{scale.x:.1f}" y="{scale.y:.1f}" width="{scale.width:.1f}" height="10" '
            'fill="url(#nntrace-weights)" stroke="#333" stroke-width="0.5"/>'
            + "".join(_svg_text(label, "#333") for label in scale.labels)
            + "</g>"
        )
    if drawing.caption:
        out.append(_svg_text(drawing.caption, "#333"))
    return "\n".join(line for line in out + ["</svg>"] if line) + "\n"


def _latex_number(number: Written) -> str:
    """A number in text mode: as it is, or as maths where it has a minus sign or a power of ten."""
    return number.digits if number.exponent is None and not number.negative else f"${number_latex(number)}$"


def _font(px: float, cm_per_px: float) -> str:
    """The largest LaTeX size command whose size (in a 10, 11 or 12 pt document) is no larger than
    `px` SVG pixels drawn at `cm_per_px`: text never grows relative to the geometry, so what is
    apart in the SVG stays apart in the TikZ."""
    target = px * cm_per_px * PT_PER_CM
    fitting = [command for command, size in LATEX_SIZES if size <= target]
    return fitting[-1] if fitting else LATEX_SIZES[0][0]


def tikz(drawing: Drawing, width_cm: float | None = None) -> str:
    """A tikzpicture of the drawing: at its natural size (1 SVG pixel = 0.024 cm), or shrunk to
    `width_cm` when it is wider; its text is never larger, relative to it, than the SVG's. Where
    even \\tiny text would be too large, the picture is drawn at the scale where it fits and set in
    a \\resizebox of `width_cm`. Whatever it is given, the picture is shrunk in LaTeX to the
    \\linewidth and 0.9\\textheight of wherever it is put (only graphicx, which TikZ loads)."""
    scale = CM_PER_PX
    if width_cm is not None and drawing.width * scale > width_cm:
        scale = width_cm / drawing.width
    smallest = LATEX_SIZES[0][1] / (FONT * PT_PER_CM)  # the scale at which 11 px text is \tiny
    resized = scale < smallest
    scale = max(scale, smallest)

    def point(x: float, y: float) -> str:
        return f"({x * scale:.3f},{(drawing.height - y) * scale:.3f})"

    def size(label: Label) -> str:
        return SMALL if label.kind in SMALL_KINDS else _font(label.size, scale)

    def placed(label: Label, colour: str) -> str:
        anchor = {"middle": "", "start": ", anchor=west", "end": ", anchor=east"}[label.anchor]
        return (rf"\node[inner sep=0.5pt, fill=white, text={colour}{anchor}] at {point(label.x, label.y)} "
                rf"{{{size(label)} {_latex(label)}}};")  # fmt: skip

    out = [r"\begin{tikzpicture}"]
    limit = drawing.scale.limit if drawing.scale else None
    for edge in drawing.edges:
        style = "draw=gray, line width=0.4pt"
        if limit:
            (r, g, b), width = heat(edge.value, limit)
            style = f"draw={{rgb,255:red,{r};green,{g};blue,{b}}}, line width={width * scale * PT_PER_CM * 0.75:.2f}pt"
        out.append(rf"\path[{style}] {point(*edge.start)} -- {point(*edge.end)};")
    for edge in drawing.edges:
        if edge.text:
            out.append(placed(edge.text, "blue!60!black"))
    for node in drawing.nodes:
        label = text(node.label) if node.symbol is None else f"${LatexWriter().symbols(node.symbol)}$"
        fill = "black!5" if node.symbol is None else "yellow!15"
        out.append(
            rf"\node[circle, draw, fill={fill}, inner sep=0pt, minimum size={2 * RADIUS * scale:.3f}cm] "
            rf"({node.key}) at {point(node.x, node.y)} {{{_font(node_font(_name(node)), scale)} {label}}};"
        )
        for text_label in node.texts:
            colour = {"bias": "green!40!black", "value": "orange!50!black"}.get(text_label.kind, "black")
            out.append(placed(text_label, colour))
    for gap in drawing.gaps:
        out.append(placed(gap.text, "black"))
    if drawing.scale:
        bar = drawing.scale
        left, right, middle = point(bar.x, bar.y + 10), point(bar.x + bar.width, bar.y), bar.x + bar.width / 2
        colours = [f"{{rgb,255:red,{r};green,{g};blue,{b}}}" for r, g, b in (NEGATIVE, ZERO, POSITIVE)]
        out.append(
            rf"\shade[left color={colours[0]}, right color={colours[1]}] {left} rectangle {point(middle, bar.y)};"
        )
        out.append(
            rf"\shade[left color={colours[1]}, right color={colours[2]}] {point(middle, bar.y + 10)} rectangle {right};"
        )
        out.append(rf"\draw[line width=0.3pt] {left} rectangle {right};")
        out += [placed(label, "black") for label in bar.labels]
    if drawing.caption:
        out.append(placed(drawing.caption, "black"))
    out.append(r"\end{tikzpicture}")
    body = "\n".join(out)
    if resized:
        body = rf"\resizebox{{{width_cm:.2f}cm}}{{!}}{{%" + "\n" + body + "}"
    return "\n".join([r"\begingroup\sbox0{%", body + "}%", *FIT, r"\usebox0\endgroup"])
