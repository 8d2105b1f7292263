"""check --to latex|markdown|html: the report to hand back, written from one document structure.
The LaTeX report of every shipped claims file compiles with pdflatex without an overfull line; the
HTML report in Chromium shows every mark and right value and needs no sideways scroll on a phone;
a claims file with a planted slip is marked and explained literally in all three."""

from __future__ import annotations

import json
import re

import pytest
from conftest import CONFIGS
from test_documents import compile_latex, errors
from tools import offline

CLAIMS = ["paper-claims", "mazur-claims", "essay-claims"]
def report(cli, claims: str, to: str) -> str:
    result = cli("check", claims, "--to", to)
    assert result.exit_code in (0, 1), result.stderr
    return result.stdout


@pytest.fixture
def planted() -> str:
    # The paper's claims file plants E_hidden[2,3] = 0.0325 x 0.23 = 0.007485 with a digit dropped (0.074).
    return str(CONFIGS / "paper-claims.yaml")


@pytest.mark.parametrize("name", CLAIMS)
def test_the_latex_report_compiles_without_an_overfull_line(cli, tmp_path, name):
    result = compile_latex(tmp_path, name, report(cli, str(CONFIGS / f"{name}.yaml"), "latex"))
    assert result.returncode == 0 and not errors(result), errors(result) or result.stdout[-2000:]
    log = (tmp_path / f"{name}.log").read_text(encoding="latin-1")
    overfull = [float(points) for points in re.findall(r"Overfull \\hbox \(([\d.]+)pt too wide", log)]
    assert not [points for points in overfull if points > 1], overfull


def test_the_planted_slip_is_marked_and_explained_in_every_format(cli, planted):
    markdown = report(cli, planted, "markdown")
    assert "| Step 8 | E_hidden[2,3] | 0.074 | 0.00749 | a digit dropped: 0.0074 written as 0.074 |" in markdown
    assert "| 2 | 0.010 ✓ | 0.008 ✓ | 0.074 ✗ (0.00749) |" in markdown
    latex = report(cli, planted, "latex")
    # The labels typeset as maths, the numbers as numbers, the marks as LaTeX's own symbols.
    assert r"E_{\mathrm{hidden}}[2,3] = \wrongnumber{0.074}$~\wrongclaim{}, correct $0.00749$" in latex
    assert r"Likely cause: a digit dropped: $0.0074$ written as $0.074$." in latex
    assert r"0.008\,\text{\rightclaim} & \wrongnumber{0.074}\,\text{\wrongclaim}\;(0.00749)" in latex
    assert not re.search(r"[^\x00-\x7f]", latex.split(r"\begin{document}")[1]), "no Unicode left for pdflatex"
    html = report(cli, planted, "html")
    assert ('Likely cause: a digit dropped: <math aria-label="0.0074"><mn>0.0074</mn></math> written as '
            '<math aria-label="0.074"><mn>0.074</mn></math>.') in html  # each formula with its spoken words
    assert '<span class="mark" title="wrong">✗</span>' in html and '<span class="mark" title="right">✓</span>' in html


def test_the_planted_report_compiles(cli, tmp_path, planted):
    result = compile_latex(tmp_path, "planted", report(cli, planted, "latex"))
    assert result.returncode == 0 and not errors(result), errors(result)


def test_a_matrix_claimed_in_part_shows_only_its_claimed_rows_and_columns(cli, tmp_path):
    path = tmp_path / "part.yaml"
    path.write_text(f"spec: {(CONFIGS / 'paper.yaml').as_posix()}\nclaims:\n  - source: Step 2\n"
                    "    H_in: [[1.48, ~, ~], [~, ~, 1.452], [~, ~, ~]]\n", encoding="utf-8")  # fmt: skip
    markdown = report(cli, str(path), "markdown")
    table = "|  | 1 | 3 |\n| --- | ---: | ---: |\n| 1 | 1.48 ✓ |  |\n| 2 |  | 1.452 ✗ (1.620) |"
    assert f"H_in (1 of 2 right):\n\n{table}" in markdown
    latex = report(cli, str(path), "latex")
    assert r"\textit{2} & $\cdot$ & $\wrongnumber{1.452}\,\text{\wrongclaim}\;(1.620)$ \\" in latex
    result = compile_latex(tmp_path, "part", latex)
    assert result.returncode == 0 and not errors(result), errors(result)


def test_wide_claims_are_set_in_pieces_that_fit_the_page(cli, tmp_path):
    # The digits example's 16 hidden biases and 32 sums of exponentials, every one wrong and long.
    path = tmp_path / "wide.yaml"
    sixteen, thirty_two = ", ".join(["0.123456"] * 16), ", ".join(["12.34567"] * 32)
    path.write_text(f"spec: digits\nclaims:\n  - b_h1: [{sixteen}]\n    Σe^O_in: [{thirty_two}]\n", encoding="utf-8")
    result = compile_latex(tmp_path, "wide", report(cli, str(path), "latex"))
    assert result.returncode == 0 and not errors(result), errors(result)
    log = (tmp_path / "wide.log").read_text(encoding="latin-1")
    assert "Overfull \\hbox" not in log


def test_a_format_the_report_has_not_is_refused(cli, planted):
    result = cli("check", planted, "--to", "typst")
    assert result.exit_code == 2 and "typst" in result.output


@pytest.mark.parametrize("name", CLAIMS)
def test_the_html_report_shows_every_mark_and_fits_a_phone(cli, tmp_path, browser, name):
    path = tmp_path / f"{name}.html"
    result = cli("check", str(CONFIGS / f"{name}.yaml"), "--to", "html", "-o", str(path))
    assert result.exit_code in (0, 1), result.stderr
    context, requested = offline(browser, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(path.as_uri())
    data = json.loads(cli("check", str(CONFIGS / f"{name}.yaml"), "--json", "-").stdout)
    right = sum(claim["right"] for claim in data["claims"])
    assert page.locator("span.mark", has_text="✓").count() == right
    assert page.locator('span.mark[title="wrong"]').count() == len(data["claims"]) - right
    shown = page.locator("body").inner_text()
    for claim in data["claims"]:
        if not claim["right"]:
            assert claim["correct"] in shown, claim["correct"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert requested == [path.as_uri()], requested  # the report asks for nothing but itself
    context.close()
