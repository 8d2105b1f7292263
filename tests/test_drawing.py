"""The network drawn: valid SVG with the paper's 4 + 3 + 1 neurons and 15 weighted edges,
rendered by Chromium; large layers elided with a marked gap; the same drawing as TikZ in the
LaTeX export and inline in the HTML export."""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ElementTree

import numpy as np
import yaml
from tools import require

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
