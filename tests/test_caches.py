"""What the writers keep between documents (shown cells, element lines, operand formats, written
numbers) never leaks into another document: in one process, the same solution written at another
precision, in another format or for another page is written as if it were the first."""

from __future__ import annotations

import subprocess
import sys

import pytest


def element(text: str, target: str) -> str:
    """The first element line for `target` in a Markdown export."""
    return next(line for line in text.splitlines() if line.startswith(f"- ${target} ="))


def test_the_same_lines_at_another_precision_are_written_at_it(cli):
    first = cli("export", "paper", "--to", "markdown", "--precision", "3").stdout
    second = cli("export", "paper", "--to", "markdown", "--precision", "5").stdout
    again = cli("export", "paper", "--to", "markdown", "--precision", "3").stdout
    target = r"H_{\mathrm{out}}[1,1]"
    # sigma(1.48) = 0.814571..., worked by hand: 1 / (1 + e^-1.48) = 1 / 1.227638 = 0.814572
    assert element(first, target) == rf"- ${target} = \frac{{1}}{{1 + e^{{-1.480}}}} = 0.815$"
    assert element(second, target) == rf"- ${target} = \frac{{1}}{{1 + e^{{-1.48000}}}} = 0.81457$"
    assert again == first


def fresh(*args: str) -> str:
    """nntrace's output in a new process: nothing kept from any document before."""
    done = subprocess.run([sys.executable, "-m", "nntrace", *args], capture_output=True, text=True, check=True)
    return done.stdout


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_a_document_written_after_others_is_the_document_written_alone(cli, paper):
    # the LaTeX and Typst templates share their measure of element lines, the Typst and HTML ones
    # their spoken lines; slides narrow the matrices: none of it may change the next document
    for args in (["--to", "beamer"], ["--to", "latex", "--paper", "slide", "--fragment"], ["--to", "typst"],
                 ["--to", "html"], ["--to", "latex", "--precision", "6"]):  # fmt: skip
        assert cli("export", "digits", *args).exit_code == 0
    after = cli("export", "digits", "--to", "latex", "--paper", paper).stdout
    assert after == fresh("export", "digits", "--to", "latex", "--paper", paper)
    assert cli("export", "digits", "--to", "typst").stdout == fresh("export", "digits", "--to", "typst")


def test_one_solution_written_at_two_precisions_keeps_them_apart():
    # the same line objects, measured and said at 3 decimals, then at 5: what was kept for 3 must not
    # be used for 5 (a copy made afresh and written at 5 alone is the reference)
    from conftest import CONFIGS

    from nntrace.exercises.sheets import document_template, sheet_document, worked
    from nntrace.exercises.template import load_template
    from nntrace.exercises.variants import make_variant
    from nntrace.solution.options import RenderOptions

    template = load_template(CONFIGS / "paper-exercise.yaml")

    def document():
        variant = make_variant(template, "ada")
        return sheet_document(template, variant, worked(variant), answers=True)

    def written(doc, to: str, precision: int) -> str:
        return document_template(to, RenderOptions(precision=precision).numbers).write(doc)

    for to in ("typst", "html", "latex"):
        shared = document()
        three = written(shared, to, 3)
        five = written(shared, to, 5)
        assert five != three
        assert five == written(document(), to, 5)
        assert three == written(document(), to, 3)


def test_answers_kept_by_key_are_found_again_and_let_go_all_at_once_when_full():
    from nntrace.common.kept import ByKey

    kept = ByKey(most=3)
    assert kept.get("a") is None and kept.keep("a", 1) == 1 and kept.get("a") == 1
    kept.keep("b", 2)
    kept.keep("c", 3)
    assert len(kept) == 3
    assert kept.keep("d", 4) == 4 and dict(kept) == {"d": 4}  # full: the others let go, the new one kept
