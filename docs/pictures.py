"""Make the README's pictures with nntrace's own commands (needs pdflatex, pdftoppm, chromium
and the test extras): a page of the compiled LaTeX export, the HTML stepper with an element
hovered, and the drawing of the paper's network.

    python docs/pictures.py
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

DOCS = Path(__file__).resolve().parent
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]  # fmt: skip


def nntrace(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "nntrace", *args], check=True)


def latex_page(build: Path) -> None:
    nntrace("export", "--to", "latex", "-o", str(build / "paper.tex"))
    subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "paper.tex"], cwd=build, check=True,
                   capture_output=True)  # fmt: skip
    subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", "2", "-l", "2", "paper.pdf", "page"], cwd=build, check=True)
    shutil.copy(next(build.glob("page*.png")), DOCS / "latex-page.png")


def html_stepper(build: Path) -> None:
    from playwright.sync_api import sync_playwright

    nntrace("export", "--to", "html", "-o", str(build / "paper.html"))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=FLAGS)
        page = browser.new_page(viewport={"width": 1000, "height": 760})
        page.goto((build / "paper.html").as_uri())
        page.keyboard.press("ArrowRight")
        page.locator('section.step.current mtd[data-result][data-r="1"][data-c="2"]').hover()
        page.screenshot(path=str(DOCS / "html-stepper.png"))
        browser.close()


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        build = Path(folder)
        latex_page(build)
        html_stepper(build)
    nntrace("draw", "--epoch", "1", "--values", "-o", str(DOCS / "network.svg"))
    print(f"wrote {DOCS / 'latex-page.png'}, {DOCS / 'html-stepper.png'}, {DOCS / 'network.svg'}")


if __name__ == "__main__":
    main()
