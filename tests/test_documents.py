"""Worked solutions as documents: the LaTeX export of every shipped config compiles with
pdflatex (whole and as a fragment), every $$ block of the Markdown export compiles, a page of
the PDF is not blank, and the paper's example is pinned as golden LaTeX and Markdown."""

from __future__ import annotations

import re
import subprocess

import pytest
from conftest import CONFIGS, ROOT
from tools import require

from nntrace.spec.shipped import example_names

SHIPPED = example_names()
MINIMAL = (
    "\\documentclass{article}\n\\usepackage{amsmath}\n\\usepackage{tikz}\n\\begin{document}\n%s\n\\end{document}\n"
)


def compile_latex(folder, name: str, source: str) -> subprocess.CompletedProcess:
    pdflatex = require("pdflatex", "texlive-latex-base")
    (folder / f"{name}.tex").write_text(source, encoding="utf-8")
    return subprocess.run(
        [pdflatex, "-interaction=nonstopmode", "-halt-on-error", f"{name}.tex"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
    )


def errors(result: subprocess.CompletedProcess) -> list[str]:
    return [line for line in result.stdout.splitlines() if line.startswith("!")]


def exported(cli, config: str, *options: str) -> str:
    result = cli("export", str(CONFIGS / f"{config}.yaml"), *options)
    assert result.exit_code == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("config", SHIPPED)
def test_the_latex_export_compiles_whole_and_as_a_fragment(cli, tmp_path, config):
    whole = compile_latex(tmp_path, "whole", exported(cli, config, "--to", "latex"))
    assert whole.returncode == 0 and not errors(whole), errors(whole) or whole.stdout[-2000:]
    fragment = exported(cli, config, "--to", "latex", "--fragment")
    assert "\\documentclass" not in fragment
    wrapped = compile_latex(tmp_path, "fragment", MINIMAL % fragment)
    assert wrapped.returncode == 0 and not errors(wrapped), errors(wrapped)
    for name in ("whole", "fragment"):  # letter paper, and the standard article's narrower text
        log = (tmp_path / f"{name}.log").read_text(encoding="utf-8", errors="replace")
        wide = [float(points) for points in re.findall(r"Overfull \\[hv]box \(([\d.]+)pt", log) if float(points) > 1]
        assert not wide and "a line scaled down" not in log, (name, wide)


@pytest.mark.parametrize("config", SHIPPED)
def test_every_display_block_of_the_markdown_export_compiles(cli, tmp_path, config):
    markdown = exported(cli, config, "--to", "markdown")
    blocks = re.findall(r"^\$\$\n(.*?)\n\$\$$", markdown, flags=re.MULTILINE | re.DOTALL)
    assert blocks and all("align*" not in block for block in blocks)
    assert all(r"\begin{aligned}" in block for block in blocks)
    inline = re.findall(r"(?<![$\\])\$([^$\n]+)\$(?!\$)", markdown)
    body = "\n".join(f"\\[{block}\\]" for block in blocks) + "\n" + "\n\n".join(f"${math}$" for math in inline)
    result = compile_latex(tmp_path, "blocks", MINIMAL % body)
    assert result.returncode == 0 and not errors(result), errors(result)


def test_a_page_of_the_pdf_is_not_blank(cli, tmp_path):
    pdftoppm = require("pdftoppm", "poppler-utils")
    image = pytest.importorskip("matplotlib.image")
    assert compile_latex(tmp_path, "paper", exported(cli, "paper", "--to", "latex")).returncode == 0
    subprocess.run([pdftoppm, "-png", "-r", "40", "-f", "2", "-l", "2", "paper.pdf", "page"], cwd=tmp_path, check=True)
    (page,) = tmp_path.glob("page*.png")
    pixels = image.imread(page)
    assert (pixels[..., :3] < 0.5).mean() > 0.002  # a blank page has no ink at all


def test_the_steps_read_as_in_the_terminal(cli):
    latex = exported(cli, "paper", "--to", "latex")
    assert "\\subsubsection*{Step 2 $\\cdot$ Input of the hidden layer}" in latex
    assert "1.620" in latex and "1.452" not in latex  # H_in[2,3], not the paper's typo
    assert "\\left[\\begin{array}{rrr}" in latex
    markdown = exported(cli, "paper", "--to", "markdown")
    assert (
        "### Step 11 · Bias updates" in markdown and "```python\nb_out += eta * np.sum(delta_out, axis=0)" in markdown
    )


def test_large_matrices_are_elided(cli, tmp_path):
    import numpy as np
    import yaml

    rng = np.random.default_rng(1)
    spec = {"inputs": rng.random((20, 12)).round(2).tolist(), "targets": rng.integers(0, 2, (20, 1)).tolist(),
            "learning_rate": 0.1, "init": {"method": "xavier", "seed": 1},
            "layers": [{"size": 10}, {"size": 1}]}  # fmt: skip
    path = tmp_path / "wide.yaml"
    path.write_text(yaml.safe_dump(spec), encoding="utf-8")
    latex = cli("export", str(path), "--to", "latex").stdout
    assert "\\cdots" in latex and "\\vdots" in latex and "\\ddots" in latex
    assert compile_latex(tmp_path, "wide", latex).returncode == 0


@pytest.mark.parametrize(("to", "golden_name"), [("latex", "export-paper.tex"), ("markdown", "export-paper.md")])
def test_golden_documents_of_the_papers_example(cli, golden, monkeypatch, to, golden_name):
    monkeypatch.chdir(ROOT)
    result = cli("export", "--to", to)
    assert result.exit_code == 0
    golden(golden_name, result.stdout)


@pytest.mark.parametrize("to", ["latex", "markdown"])
def test_explain_as_a_document(cli, tmp_path, to):
    result = cli("explain", "W_h[2,3]", "--to", to)
    assert result.exit_code == 0
    assert "0.005" in result.stdout and "0.679" in result.stdout  # dL/dW_h[2,3] and the new weight
    if to == "latex":
        assert compile_latex(tmp_path, "explain", result.stdout).returncode == 0


def test_export_takes_the_selectors_the_other_commands_take(cli):
    two = cli("export", "--to", "markdown", "--show", "1,2").stdout
    assert "## Epoch 1" in two and "## Epoch 2" in two
    quiet = cli("export", "--to", "markdown", "--no-expand").stdout
    assert "- $H_{\\mathrm{in}}[1,1]" not in quiet and "### Step 11" in quiet
    step = cli("export", "--to", "latex", "--fragment", "--step", "10").stdout
    assert "Step 10" in step and "Step 9" not in step and "Step 11" not in step
    assert "0.6837" in cli("export", "--to", "markdown", "--round", "3", "--precision", "4").stdout  # the paper's b_out
    assert cli("export", "--to", "html", "--fragment").exit_code == 2
    assert cli("export", "--to", "latex", "--epoch", "2", "--show", "1").exit_code == 2
    assert "<math" in cli("explain", "W_out[1,1]", "--to", "html").stdout
