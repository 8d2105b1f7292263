"""Make the README's pictures with nntrace's own commands (needs pdflatex, pdftoppm, chromium
and the test extras): a page of the compiled LaTeX export, the HTML stepper with an element
hovered, on a screen and on a phone, and the drawing of the paper's network.

    python docs/pictures.py          # all of them
    python docs/pictures.py html     # the HTML stepper's only
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
        # a phone (390 × 844 CSS pixels at twice the density, shown at half size): Step 2 with an
        # element tapped, the wide equation in its own scrolling box
        phone = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=1, is_mobile=True,
                                 has_touch=True)  # fmt: skip
        phone.goto((build / "paper.html").as_uri() + "#step-2")
        phone.locator('section.step.current mtd[data-result][data-r="1"][data-c="2"]').tap()
        phone.evaluate("window.scrollTo(0, document.querySelector('section.step.current').offsetTop - 60)")
        phone.screenshot(path=str(DOCS / "html-phone.png"))
        browser.close()


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        build = Path(folder)
        html_stepper(build)
        if sys.argv[1:] == ["html"]:
            print(f"wrote {DOCS / 'html-stepper.png'}, {DOCS / 'html-phone.png'}")
            return
        latex_page(build)
    nntrace("draw", "--epoch", "1", "--values", "-o", str(DOCS / "network.svg"))
    print(f"wrote {DOCS / 'latex-page.png'}, {DOCS / 'html-stepper.png'}, {DOCS / 'html-phone.png'}, "
          f"{DOCS / 'network.svg'}")  # fmt: skip


if __name__ == "__main__":
    main()
