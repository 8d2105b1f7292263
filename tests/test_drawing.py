"""The network drawn: valid SVG with the paper's 4 + 3 + 1 neurons and 15 weighted edges,
rendered by Chromium; large layers elided with a marked gap; the same drawing as TikZ in the
LaTeX export and inline in the HTML export.

Legibility is checked on the SVG itself, independently of the layout's own bookkeeping: every
text's box (its width estimated from its characters), the node circles and the edge segments are
read back from the file, and no two boxes overlap, no box meets a circle and no box holds the
point where two edges cross, for every shipped example and for random networks up to
784-64-64-10. The TikZ compiles with pdflatex without overfull boxes and fits a width it is given."""

from __future__ import annotations

import itertools
import re
import subprocess
import xml.etree.ElementTree as ElementTree

import numpy as np
import pytest
import yaml
from tools import require

from nntrace import api
from nntrace.documents.drawing import svg, tikz
from nntrace.spec.shipped import example_names

SVG = "{http://www.w3.org/2000/svg}"
PAPER_WEIGHTS = ["0.420", "0.880", "0.550", "0.100", "0.730", "0.680", "0.600", "0.180", "0.470", "0.920", "0.110",
                 "0.520", "0.300", "0.250", "0.230"]  # fmt: skip


def groups(root, kind: str) -> list:
    return [g for g in root.iter(f"{SVG}g") if g.get("class") == kind]


def test_the_papers_network_as_svg(cli, tmp_path):
    path = tmp_path / "net.svg"
    assert cli("draw", "-o", str(path)).exit_code == 0
    root = ElementTree.parse(path).getroot()  # valid XML
    assert len(groups(root, "node")) == 4 + 3 + 1
    edges = groups(root, "edge")
    assert len(edges) == 15
    weights = [next(t for t in edge.iter(f"{SVG}text") if t.get("class") == "weight").text for edge in edges]
    assert weights == PAPER_WEIGHTS
    titles = [edge.find(f"{SVG}title").text for edge in edges]
    assert titles[0] == "W_h[1,1] = 0.420" and titles[-1] == "W_out[3,1] = 0.230"


def test_values_of_an_epoch_on_the_neurons(cli):
    out = cli("draw", "--epoch", "1", "--values").stdout
    assert "a = 0.815" in out and "\u03b4 = 0.035" in out  # H_out[1,1] and delta_out[1,1] of sample 1
    # --values without --epoch means epoch 1 (issue 26: it used to be refused)
    assert cli("draw", "--values").stdout == out


def test_a_large_layer_is_elided_with_a_marked_gap(cli, tmp_path):
    rng = np.random.default_rng(0)
    spec = {"inputs": rng.random((3, 30)).round(2).tolist(), "targets": [[1], [0], [1]], "learning_rate": 0.1,
            "init": {"method": "xavier", "seed": 2}, "layers": [{"size": 12}, {"size": 1}]}  # fmt: skip
    path = tmp_path / "big.yaml"
    path.write_text(yaml.safe_dump(spec), encoding="utf-8")
    root = ElementTree.fromstring(cli("draw", str(path)).stdout)
    assert len(groups(root, "node")) == 9 + 9 + 1  # 10 places per layer, one of them the gap
    gaps = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "gap"]
    assert gaps == ["⋮ 21 more", "⋮ 3 more"]


def test_the_drawing_renders_in_chromium(cli, tmp_path):
    chromium = require("chromium", "chromium")
    path = tmp_path / "net.svg"
    assert cli("draw", "--epoch", "1", "--values", "-o", str(path)).exit_code == 0
    shot = tmp_path / "net.png"
    subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
         "--disable-component-update", "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}",
         f"--screenshot={shot}", "--window-size=700,330", path.as_uri()],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    image = __import__("matplotlib.image", fromlist=["imread"]).imread(shot)
    assert (image[..., :3] < 0.5).mean() > 0.003  # lines and labels drawn (a blank page has none)


def test_the_exports_carry_the_drawing(cli):
    latex = cli("export", "--to", "latex").stdout
    assert "\\begin{tikzpicture}" in latex and "{\\tiny 0.420}" in latex
    assert "\\begin{tikzpicture}" not in cli("export", "--to", "latex", "--fragment").stdout
    html = cli("export", "--to", "html").stdout
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="network"' in html


def test_the_markdown_export_carries_the_drawing(cli):
    markdown = cli("export", "--to", "markdown").stdout
    start, end = markdown.index("<svg xmlns"), markdown.index("</svg>") + len("</svg>")
    figure = markdown[start:end]
    # One CommonMark HTML block: its opening tag complete on a line of its own, no blank line inside.
    assert markdown[start - 2 : start] == "\n\n" and figure.split("\n")[0].endswith(">") and "\n\n" not in figure
    assert markdown.index("# The paper's worked example") < start < markdown.index("## Step 1")
    root = ElementTree.fromstring(figure)
    assert len(groups(root, "node")) == 4 + 3 + 1 and illegible(figure) == []


# --- legibility, read back from the SVG --------------------------------------------------------

CHARACTER = 0.62  # a character's width in ems: DejaVu Sans digits are 0.636, '.' and ' ' 0.318, '=' 0.838


def text_boxes(root) -> list[tuple[str, tuple[float, float, float, float]]]:
    """Every text outside a circle (weights, biases, values, names, gaps, caption, scale): its box."""
    default = float(root.get("font-size"))
    boxes = []
    for element in root.iter(f"{SVG}text"):
        if element.get("class") is None:  # a unit's own name, inside its circle
            continue
        size = float(element.get("font-size") or default)
        width = len(element.text) * size * CHARACTER
        x, baseline = float(element.get("x")), float(element.get("y"))
        left = {"start": x, "middle": x - width / 2, "end": x - width}[element.get("text-anchor", "start")]
        boxes.append((element.text, (left, baseline - 0.95 * size, left + width, baseline + 0.25 * size)))
    return boxes


def circles(root) -> list[tuple[float, float, float]]:
    return [(float(c.get("cx")), float(c.get("cy")), float(c.get("r"))) for c in root.iter(f"{SVG}circle")]


def segments(root) -> list[tuple[float, float, float, float]]:
    return [tuple(float(line.get(k)) for k in ("x1", "y1", "x2", "y2")) for g in groups(root, "edge")
            for line in g.iter(f"{SVG}line")]  # fmt: skip


def crossing(one, two):
    """Where two segments cross strictly inside both (ends shared at a unit are not crossings)."""
    (x1, y1, x2, y2), (x3, y3, x4, y4) = one, two
    if (x1, y1) in ((x3, y3), (x4, y4)) or (x2, y2) in ((x3, y3), (x4, y4)):
        return None
    den = (x2 - x1) * (y4 - y3) - (y2 - y1) * (x4 - x3)
    if den == 0:
        return None
    t = ((x3 - x1) * (y4 - y3) - (y3 - y1) * (x4 - x3)) / den
    u = ((x3 - x1) * (y2 - y1) - (y3 - y1) * (x2 - x1)) / den
    return (x1 + t * (x2 - x1), y1 + t * (y2 - y1)) if 0 < t < 1 and 0 < u < 1 else None


def apart(a, b) -> bool:
    return a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]


def meets_circle(box, circle) -> bool:
    x, y, r = circle
    nearest = (min(max(x, box[0]), box[2]), min(max(y, box[1]), box[3]))
    return (nearest[0] - x) ** 2 + (nearest[1] - y) ** 2 < r**2


def illegible(document: str) -> list[str]:
    """What a reader would stumble on: texts on texts, on units, or on a crossing of two edges."""
    root = ElementTree.fromstring(document)
    boxes, lines = text_boxes(root), segments(root)
    points = [p for one, two in itertools.combinations(lines, 2) if (p := crossing(one, two))]
    problems = [f"{a!r} on {b!r}" for (a, one), (b, two) in itertools.combinations(boxes, 2) if not apart(one, two)]
    problems += [f"{t!r} on a unit at {c[:2]}" for t, box in boxes for c in circles(root) if meets_circle(box, c)]
    problems += [f"{t!r} on the crossing at {p}" for t, box in boxes for p in points
                 if box[0] <= p[0] <= box[2] and box[1] <= p[1] <= box[3]]  # fmt: skip
    return problems


def test_the_geometry_check_sees_an_overlap():
    # Two texts 10 px apart, each about 27 px wide at 11 px, overlap; a text over (60, 50) covers
    # the crossing of the two diagonals of the square (20, 10)-(100, 90).
    document = (
        '<svg xmlns="http://www.w3.org/2000/svg" font-size="11">'
        '<g class="edge"><line x1="20" y1="10" x2="100" y2="90"/>'
        '</g><g class="edge"><line x1="20" y1="90" x2="100" y2="10"/></g>'
        '<text class="weight" x="60" y="54" text-anchor="middle">0.250</text>'
        '<text class="weight" x="200" y="54">0.25</text><text class="weight" x="210" y="54">0.25</text></svg>'
    )
    problems = illegible(document)
    assert "'0.25' on '0.25'" in problems and "'0.250' on the crossing at (60.0, 50.0)" in problems
    assert len(problems) == 2


def example_trace(name: str):
    spec = api.load_spec(name)
    return api.Trace(spec.for_training() if spec.trains else spec, None, api.RenderOptions(precision=3))


@pytest.mark.parametrize("name", example_names())
def test_every_example_is_legible(name):
    trace = example_trace(name)
    assert illegible(svg(trace.drawing())) == []
    epoch = trace.epoch(1) if trace.spec.trains else trace.forward()
    sample = int(epoch.records[0].samples[0]) + 1  # the first sample of the first batch
    assert illegible(svg(trace.drawing(1, sample, epoch))) == []


def random_spec(rng, sizes: list[int], samples: int = 2) -> dict:
    return {"inputs": rng.random((samples, sizes[0])).round(2).tolist(),
            "targets": np.eye(sizes[-1])[rng.integers(0, sizes[-1], samples)].tolist(),
            "learning_rate": 0.1, "init": {"method": "xavier", "seed": int(rng.integers(1000))},
            "layers": [{"size": size, "activation": "sigmoid"} for size in sizes[1:]]}  # fmt: skip


@pytest.mark.parametrize("seed", range(8))
def test_random_networks_are_legible(cli, tmp_path, seed):
    rng = np.random.default_rng(seed)
    small = [int(n) for n in rng.integers(1, 7, rng.integers(2, 5))]  # labelled weights
    large = [
        int(rng.integers(1, 785)),
        *(int(n) for n in rng.integers(1, 65, rng.integers(1, 3))),
        int(rng.integers(1, 11)),
    ]
    for sizes in (small, large, [784, 64, 64, 10]):
        path = tmp_path / "net.yaml"
        path.write_text(yaml.safe_dump(random_spec(rng, sizes)), encoding="utf-8")
        for extra in ((), ("--values",)):
            result = cli("draw", str(path), *extra)
            assert result.exit_code == 0, result.stderr
            assert illegible(result.stdout) == [], sizes


def test_biases_under_each_neuron(cli):
    root = ElementTree.fromstring(cli("draw").stdout)
    biases = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "bias"]
    assert biases == ["b = 0.460", "b = 0.720", "b = 0.080", "b = 0.690"]  # paper.yaml's biases


def caption(document: str) -> str:
    return next(t.text for t in ElementTree.fromstring(document).iter(f"{SVG}text") if t.get("class") == "caption")


def test_the_caption_says_which_epoch_and_sample(cli):
    assert caption(cli("draw").stdout) == "The spec's starting weights and biases"
    assert caption(cli("draw", "--epoch", "2").stdout) == "Weights and biases at the start of epoch 2"
    shown = cli("draw", "two-hidden", "--epoch", "3", "--values", "--sample", "2").stdout
    assert caption(shown) == "Weights and biases at the start of epoch 3; a and \u03b4 of sample 2 in epoch 3"
    # xor-step does not train (step neurons): its values are the forward pass's, with no delta.
    assert (
        caption(cli("draw", "xor-step", "--values").stdout)
        == "The spec's weights and biases; a of sample 1 in the forward pass"
    )


def test_large_layers_colour_their_edges_by_weight(cli, tmp_path):
    # 8 x 7 edges (more than 36: no labels); weight[i][j] = (7i + j) / 100 - 0.2, from -0.2 to 0.35.
    weights = [[round((7 * i + j) / 100 - 0.2, 2) for j in range(7)] for i in range(8)]
    spec = {"inputs": [[0.5] * 8], "targets": [[1]], "learning_rate": 0.1,
            "layers": [{"weights": weights, "biases": [0.0] * 7},
                       {"weights": [[0.1]] * 7, "biases": [0.0]}]}  # fmt: skip
    path = tmp_path / "wide.yaml"
    path.write_text(yaml.safe_dump(spec), encoding="utf-8")
    root = ElementTree.fromstring(cli("draw", str(path)).stdout)
    assert not [t for t in root.iter(f"{SVG}text") if t.get("class") == "weight"]
    assert len(groups(root, "legend")) == 1
    scale = sorted(t.text for t in root.iter(f"{SVG}text") if t.get("class") == "scale")
    assert scale == ["+0.350", "-0.350", "weight (edge colour and width)"]
    lines = {g.find(f"{SVG}title").text: g.find(f"{SVG}line") for g in groups(root, "edge")}
    # The largest weight, 0.35 (W_h[8,7]), takes the scale's red end and the widest stroke (0.6 + 2.4);
    # 0 (W_h[3,7]: 14 + 6 = 20) the grey middle and the thinnest; -0.2 (W_h[1,1]) blue, 0.2 / 0.35 of the way.
    assert (lines["W_h[8,7] = 0.350"].get("stroke"), lines["W_h[8,7] = 0.350"].get("stroke-width")) == (
        "rgb(178, 24, 43)",
        "3.00",
    )
    assert (lines["W_h[3,7] = 0"].get("stroke"), lines["W_h[3,7] = 0"].get("stroke-width")) == (
        "rgb(236, 236, 236)",
        "0.60",
    )
    # 236 + (33 - 236) * 4 / 7 = 120.0, 236 + (102 - 236) * 4 / 7 = 159.4, 236 + (172 - 236) * 4 / 7 = 199.4
    assert (lines["W_h[1,1] = -0.200"].get("stroke"), lines["W_h[1,1] = -0.200"].get("stroke-width")) == (
        "rgb(120, 159, 199)",
        "1.97",
    )


def test_tikz_from_draw(cli, tmp_path):
    path = tmp_path / "net.tex"
    assert cli("draw", "--to", "tikz", "-o", str(path)).exit_code == 0
    picture = path.read_text(encoding="utf-8")
    assert "\\begin{tikzpicture}" in picture and "{\\tiny 0.420}" in picture and "{\\tiny b = 0.460}" in picture
    assert cli("draw", "--to", "png").exit_code == 2


def test_draw_never_writes_over_its_spec(cli, tmp_path):
    path = tmp_path / "net.yaml"
    text = yaml.safe_dump(random_spec(np.random.default_rng(1), [2, 2, 1]))
    path.write_text(text, encoding="utf-8")
    assert cli("draw", str(path), "--to", "tikz", "-o", str(path)).exit_code == 2
    assert path.read_text(encoding="utf-8") == text


def xs(picture: str) -> list[float]:
    return [float(x) for x in re.findall(r"\((-?[\d.]+),-?[\d.]+\)", picture)]


def test_tikz_fits_the_width_it_is_given():
    drawing = example_trace("paper").drawing()
    # The paper's drawing is 484 px wide, its output unit centred 22 + 30 px (radius, margin) from
    # the right: at 0.024 cm a pixel, 432 x 0.024 = 10.368 cm; given 10 cm, 432 x 10 / 484 = 8.926 cm.
    assert max(xs(tikz(drawing))) == 10.368
    assert max(xs(tikz(drawing, width_cm=10))) == pytest.approx(8.926, abs=0.001)
    # Given 8 cm, \tiny (6 pt) would outgrow 11 px at 8 / 484 cm a pixel: drawn at 6 / (11 x 28.4528)
    # = 0.01917 cm a pixel (432 x 0.01917 = 8.282 cm) and resized to 8 cm.
    narrow = tikz(drawing, width_cm=8)
    assert max(xs(narrow)) == pytest.approx(8.282, abs=0.001) and "\\resizebox{8.00cm}{!}" in narrow
    assert max(xs(tikz(drawing, width_cm=20))) == 10.368  # room to spare: its natural size


def overfull(tmp_path, name: str, body: str) -> list[str]:
    pdflatex = require("pdflatex", "texlive-latex-base")
    (tmp_path / f"{name}.tex").write_text(
        "\\documentclass{article}\n\\usepackage{tikz}\n\\begin{document}\n" + body + "\n\\end{document}\n",
        encoding="utf-8",
    )
    run = subprocess.run([pdflatex, "-interaction=nonstopmode", "-halt-on-error", f"{name}.tex"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=180, check=False)  # fmt: skip
    assert run.returncode == 0, run.stdout[-2000:]
    log = (tmp_path / f"{name}.log").read_text(encoding="latin-1")
    return re.findall(r"Overfull \\[hv]box.*", log)


@pytest.mark.parametrize("name", ["paper", "two-hidden", "softmax", "digits"])
def test_the_tikz_compiles_and_fits(tmp_path, name):
    trace = example_trace(name)
    epoch = trace.epoch(1)
    drawing = trace.drawing(1, int(epoch.records[0].samples[0]) + 1, epoch)
    # Natural size, shrunk by LaTeX to the 345 pt of article's \linewidth; and drawn to 6 cm in a 6 cm minipage.
    body = (
        "\\noindent "
        + tikz(drawing)
        + "\n\n\\noindent\\begin{minipage}{6cm}"
        + tikz(drawing, width_cm=6)
        + "\\end{minipage}"
    )
    assert overfull(tmp_path, name, body) == []
