"""How heavy the HTML export is and how soon a browser has it open: each shipped example's page
size, and the paper's and the digits' time to the load event in headless Chromium (Debian's, driven
by Playwright, offline), median of RUNS openings alternating between pages.

Targets (issue 22): the digits page well under 300 KB (it was 2.4 MB, whole 32 × 64 matrices) and
open in under a second (it took about 1.5 s). A single time means little on a noisy machine: the
paper's page, the size it always was, is measured beside it.

    python benchmarks/html_pages.py [RUNS]
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from nntrace.spec.shipped import example_names

FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]  # fmt: skip


def main(runs: int = 7) -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder:
        pages = {}
        for name in example_names():
            path = Path(folder) / f"{name}.html"
            subprocess.run([sys.executable, "-m", "nntrace", "export", name, "--to", "html", "-o", str(path)],
                           check=True, capture_output=True)  # fmt: skip
            pages[name] = path
            print(f"{name:24} {path.stat().st_size / 1000:8.1f} kB")
        timed = {name: [] for name in ("paper", "digits")}
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=FLAGS)
            for _ in range(runs):
                for name in timed:
                    context = browser.new_context(offline=True, viewport={"width": 1280, "height": 800})
                    page = context.new_page()
                    page.goto(pages[name].as_uri())
                    timed[name].append(page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd"))
                    context.close()
            browser.close()
        for name, times in timed.items():
            target = "  (target: under 1000 ms)" if name == "digits" else ""
            print(f"{name}: load event after {statistics.median(times):.0f} ms, median of {runs}{target}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
