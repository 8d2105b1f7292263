"""Documents that fit their page: pdflatex's log has no overfull box over 1 pt for every shipped
example on A4 (letter is tested with the other LaTeX tests, in test_documents), as beamer slides
(16:9 and 4:3) and beamer frames to paste, for a LaTeX fragment pasted into a beamer frame, and for
random networks up to 784 inputs and 64 units a layer; the width estimate the fitting relies on
is checked against what pdflatex measures; the Typst export compiles as PDF/UA-1."""

from __future__ import annotations

import re
import subprocess
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
import yaml
from conftest import CONFIGS
from tools import require, require_module

from nntrace.spec.shipped import example_names

SHIPPED = example_names()
LARGE = ["digits", "paper-adam", "softmax", "elu", "biomarker-xor"]  # the widest and tallest steps
BEAMER = "\\documentclass[11pt]{beamer}\n\\usepackage{amsmath}\n\\begin{document}\n%s\n\\end{document}\n"
ARTICLE = "\\documentclass[11pt]{article}\n\\usepackage{amsmath}\n\\begin{document}\n%s\n\\end{document}\n"


def overfull(log: str) -> list[str]:
    """The log's overfull boxes over 1 pt (TeX reports every box it could not fit)."""
    return [m.group(0) for m in re.finditer(r"Overfull \\[hv]box \(([\d.]+)pt too (?:wide|high)\)[^\n]*", log)
            if float(m.group(1)) > 1.0]  # fmt: skip


def compiled(folder, sources: dict[str, str]) -> dict[str, str]:
    """Each source compiled by pdflatex (two at a time), its log by name; a compile error fails."""
    pdflatex = require("pdflatex", "texlive-latex-base")
    for name, source in sources.items():
        (folder / f"{name}.tex").write_text(source, encoding="utf-8")

    def run(name: str) -> str:
        done = subprocess.run([pdflatex, "-interaction=nonstopmode", "-halt-on-error", f"{name}.tex"], cwd=folder,
                              capture_output=True, text=True, timeout=300, check=False)  # fmt: skip
        log = (folder / f"{name}.log").read_text(encoding="utf-8", errors="replace")
        assert done.returncode == 0, [line for line in log.splitlines() if line.startswith("!")] or log[-2000:]
        return log

    with ThreadPoolExecutor(2) as pool:
        return dict(zip(sources, pool.map(run, sources)))


def exported(cli, config, *options: str) -> str:
    result = cli("export", str(config), *options)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def shipped(config: str):
    return CONFIGS / f"{config}.yaml"


@pytest.mark.parametrize("config", SHIPPED)
def test_every_example_fits_a4_whole_and_as_a_fragment(cli, tmp_path, config):
    logs = compiled(tmp_path, {
        "whole": exported(cli, shipped(config), "--to", "latex", "--paper", "a4"),
        "fragment": ARTICLE % exported(cli, shipped(config), "--to", "latex", "--fragment", "--paper", "a4"),
    })  # fmt: skip
    for name, log in logs.items():
        assert not overfull(log), (name, overfull(log))
        assert "a line scaled down" not in log  # every line fitted by nntrace, none by scaling


@pytest.mark.parametrize("config", SHIPPED)
def test_every_example_fits_16_9_slides(cli, tmp_path, config):
    latex = exported(cli, shipped(config), "--to", "beamer")
    assert "aspectratio=169" in latex and latex.count("\\begin{frame}") > 3
    log = compiled(tmp_path, {"slides": latex})["slides"]
    assert not overfull(log), overfull(log)


@pytest.mark.parametrize("config", LARGE)
def test_large_examples_fit_4_3_slides_and_frames_to_paste(cli, tmp_path, config):
    logs = compiled(tmp_path, {
        "slides": exported(cli, shipped(config), "--to", "beamer", "--paper", "slide"),
        "frames": BEAMER % exported(cli, shipped(config), "--to", "beamer", "--fragment", "--no-code"),
    })  # fmt: skip
    for name, log in logs.items():
        assert not overfull(log), (name, overfull(log))


def test_slides_reveal_the_formula_then_the_numbers_then_the_elements(cli):
    latex = exported(cli, shipped("paper"), "--to", "beamer", "--step", "5")
    step = latex[latex.index("{Step 5 $\\cdot$") :]
    frame = step[: step.index("\\end{frame}")]
    formula, pause, numbers = frame.index("E &= y - O"), frame.index("\\pause"), frame.index("E &= \\left[")
    assert formula < pause < numbers
    assert "\\item $\\displaystyle E[1,1] = 1 - 0.789 = 0.211$" in step[len(frame) :]  # then the elements
    two = exported(cli, shipped("paper"), "--to", "beamer", "--step", "2")
    assert "Step 2 $\\cdot$ Input of the hidden layer (continued)" in two  # a long step goes on


def test_a_latex_fragment_pasted_into_a_beamer_frame_fits(cli, tmp_path):
    sources = {}
    for step in (2, 5, 7):
        fragment = exported(cli, shipped("paper"), "--to", "latex", "--fragment", "--paper", "slide", "--step",
                            str(step), "--no-headings", "--no-code", "--no-expand")  # fmt: skip
        assert "subsection" not in fragment and "verbatim" not in fragment
        sources[f"step{step}"] = BEAMER % f"\\begin{{frame}}[t]{{Step {step}}}\n{fragment}\\end{{frame}}"
    for name, log in compiled(tmp_path, sources).items():
        assert not overfull(log), (name, overfull(log))


def random_network(seed: int) -> dict:
    """A network of random sizes, up to 784 inputs and 64 units a layer, with three samples."""
    rng = np.random.default_rng(seed)
    inputs = int(rng.choice([2, 9, 30, 200, 784]))
    hidden = [int(rng.integers(1, 65)) for _ in range(int(rng.integers(1, 3)))]
    outputs = int(rng.integers(1, 11))
    return {
        "name": f"random {seed}",
        "inputs": rng.uniform(-20, 20, (3, inputs)).round(3).tolist(),
        "targets": rng.uniform(0, 1, (3, outputs)).round(2).tolist(),
        "activation": str(rng.choice(["sigmoid", "tanh", "relu"])),
        "learning_rate": 0.5,
        "init": {"method": "xavier", "seed": seed},
        "layers": [{"size": size} for size in hidden] + [{"size": outputs}],
    }


@pytest.mark.parametrize("seed", range(4))
def test_random_networks_fit_the_page_and_the_slide(cli, tmp_path, seed):
    path = tmp_path / "net.yaml"
    path.write_text(yaml.safe_dump(random_network(seed)), encoding="utf-8")
    logs = compiled(tmp_path, {
        "article": exported(cli, path, "--to", "latex", "--paper", "a4", "--expand"),
        "slides": exported(cli, path, "--to", "beamer", "--expand"),
    })  # fmt: skip
    for name, log in logs.items():
        assert not overfull(log), (name, overfull(log))
        assert "a line scaled down" not in log or name == "slides"


def test_the_width_estimate_errs_wide_never_narrow(tmp_path):
    """LatexWidth against pdflatex's own \\settowidth, over every side of every equation of three
    examples: never more than 1/SAFETY narrow (so a fitted line fits), and not wasteful."""
    from nntrace.api import trace as traced
    from nntrace.documents.latex import SAFETY
    from nntrace.documents.structure import Numbers, document
    from nntrace.notation.nodes import numeric_parts
    from nntrace.writers.latex import LatexWriter
    from nntrace.writers.latex_width import LatexWidth

    measured, body = [], []
    for config in ("paper", "softmax", "paper-adam"):
        trace = traced(shipped(config))
        solutions = trace.epoch(1).solutions
        numbers = trace.options.numbers
        writer, measure = LatexWriter(numbers, max_columns=4), LatexWidth(numbers, max_columns=4)
        doc = document(trace.facts(), solutions)
        for section in doc.sections:
            for step in section.sections:
                for block in step.blocks:
                    if isinstance(block, Numbers):
                        for part in numeric_parts(block.equation):
                            measured.append(measure.values(part))
                            body.append(f"$\\displaystyle {writer.values(part)}$")
    assert len(measured) > 60
    lines = "\n".join(f"\\settowidth{{\\dimen0}}{{{math}}}\\typeout{{WIDTH=\\the\\dimen0}}" for math in body)
    log = compiled(tmp_path, {"widths": ARTICLE % lines})["widths"]
    real = [float(width) / 10.95 for width in re.findall(r"WIDTH=([\d.]+)pt", log)]
    assert len(real) == len(measured)
    ratios = [estimate / actual for estimate, actual in zip(measured, real) if actual > 0]
    assert min(ratios) * SAFETY >= 1.0, min(ratios)
    assert np.median(ratios) < 1.25


def test_the_typst_export_compiles_as_pdf_ua(cli, tmp_path):
    typst = require_module("typst", "pip install typst")
    for config in ("paper", "digits", "softmax"):
        source = exported(cli, shipped(config), "--to", "typst", "--paper", "a4")
        assert 'mat(delim: "["' in source and "#set document(title:" in source
        assert "alt:" in source and 'lang: "en"' in source
        # a ";" after an embedded equation would end the call and vanish from the page: escaped
        assert "1 epoch\\;" in source or config == "digits"
        (tmp_path / f"{config}.typ").write_text(source, encoding="utf-8")
        typst.compile(str(tmp_path / f"{config}.typ"), output=str(tmp_path / f"{config}.pdf"), pdf_standards=["ua-1"])
        assert (tmp_path / f"{config}.pdf").read_bytes()[:5] == b"%PDF-"


def test_pdf_ua_refuses_an_equation_without_alt_text(tmp_path):
    """The check the Typst export passes is a real one: the same compiler refuses bare maths."""
    typst = require_module("typst", "pip install typst")
    (tmp_path / "bare.typ").write_text('#set document(title: "t")\n#set text(lang: "en")\n= t\n$ x = 1 $\n')
    with pytest.raises(Exception, match="alt"):
        typst.compile(str(tmp_path / "bare.typ"), output=str(tmp_path / "bare.pdf"), pdf_standards=["ua-1"])


def test_every_typst_equation_carries_words_a_reader_hears(cli):
    source = exported(cli, shipped("paper"), "--to", "typst")
    alts = re.findall(r'alt: "([^"]*)"', source)
    equations = source.count("#math.equation(")
    assert equations == len([a for a in re.findall(r"#math.equation\(block: \w+, alt: \"", source)])
    assert "H in equals X times W h plus b h" in alts
    assert any("the derivative of L with respect to W out" in alt for alt in alts)


def test_paper_options_are_checked(cli):
    assert cli("export", "--to", "beamer", "--paper", "a4").exit_code == 2
    assert cli("export", "--to", "latex", "--paper", "slide").exit_code == 2
    assert cli("export", "--to", "latex", "--no-headings").exit_code == 2
    assert cli("export", "--to", "html", "--fragment").exit_code == 2


def test_the_head_is_mathematics_and_words(cli, tmp_path):
    path = tmp_path / "init.yaml"
    spec = {"inputs": [[1, 0], [0, 1]], "targets": [[1], [0]], "loss": "cross_entropy", "learning_rate": 0.1,
            "init": {"method": "xavier", "seed": 3}, "layers": [{"size": 2}, {"size": 1}]}  # fmt: skip
    path.write_text(yaml.safe_dump(spec), encoding="utf-8")
    latex = exported(cli, path, "--to", "latex")
    assert "W \\sim \\operatorname{U}\\left(-\\sqrt{\\frac{6}{n_{\\mathrm{in}} + n_{\\mathrm{out}}}}" in latex
    assert "cross-entropy" in latex and "cross\\_" not in latex.split("\\begin{document}")[1].split("\\end{description}")[0]
    assert "half\\_sse" not in exported(cli, shipped("paper"), "--to", "latex")
