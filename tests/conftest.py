"""Shared fixtures: a clean terminal environment, the CLI runner, golden transcripts, a browser."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from nntrace.cli import main

ROOT = Path(__file__).resolve().parent.parent
TRANSCRIPTS = ROOT / "transcripts"
CONFIGS = ROOT / "configs"
GOLDEN_WIDTH = "100"

# A learning rate this large makes the weights overflow within a few epochs.
DIVERGING_SPEC = """
inputs: [[1, 2], [3, 4]]
targets: [[10], [20]]
activation: linear
loss: sse
learning_rate: 1.0e30
epochs: 30
layers:
  - {weights: [[0.5], [0.5]], biases: [0]}
"""


def write_spec(folder: Path, text: str, name: str = "spec.yaml") -> str:
    """`text` written to folder/name; returns the path as a user would type it."""
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def pytest_addoption(parser):
    parser.addoption(
        "--update-goldens",
        action="store_true",
        help="Rewrite the golden transcripts under transcripts/ from the current output.",
    )


@pytest.fixture(autouse=True)
def plain_terminal(monkeypatch):
    for name in ("FORCE_COLOR", "NO_COLOR", "TTY_COMPATIBLE", "COLUMNS", "LINES"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def cli():
    """Run nntrace with arguments; returns click's Result (stdout and stderr kept apart)."""

    def invoke(*args: str, width: str | None = None, **kwargs):
        env = {"COLUMNS": width} if width else {}
        return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False, **kwargs)

    return invoke


@pytest.fixture
def golden(request):
    """Compare text with transcripts/NAME byte for byte (or rewrite it with --update-goldens)."""

    def check(name: str, text: str) -> None:
        path = TRANSCRIPTS / name
        if request.config.getoption("--update-goldens"):
            path.write_text(text, encoding="utf-8")
            return
        assert path.exists(), f"missing golden {path}; create it with: python -m pytest --update-goldens"
        assert text == path.read_text(encoding="utf-8"), (
            f"output differs from {path}; if the change is intended, regenerate with "
            "`python -m pytest --update-goldens` and review the diff"
        )

    return check


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, driven by Playwright: one for the whole session (a test opens
    its own context with tools.offline)."""
    from tools import CHROMIUM_FLAGS, require, require_module

    chromium = require("chromium", "chromium")
    require_module("playwright", "pip install playwright")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()
