"""External tools the document tests use: skipped with a reason where missing, unless
NNTRACE_REQUIRE_TOOLS is set (as .ci/run sets it), when a missing tool fails the test."""

from __future__ import annotations

import os
import shutil

import pytest


def require(tool: str, package: str) -> str:
    path = shutil.which(tool)
    if path is None:
        message = f"{tool} is not installed (Debian package {package})"
        if os.environ.get("NNTRACE_REQUIRE_TOOLS"):
            pytest.fail(message + "; NNTRACE_REQUIRE_TOOLS is set, so this test must run")
        pytest.skip(message)
    return path


def require_module(name: str, install: str):
    try:
        return __import__(name)
    except ImportError:
        message = f"the Python package {name} is not installed ({install})"
        if os.environ.get("NNTRACE_REQUIRE_TOOLS"):
            pytest.fail(message + "; NNTRACE_REQUIRE_TOOLS is set, so this test must run")
        pytest.skip(message)


# Chromium headless and offline: no sandbox (a container), no GPU, nothing fetched in the background.
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]  # fmt: skip


def offline(browser, **options):
    """A new browser context that serves file:// URLs only, and the list of every URL it was asked
    for (a test asserts that a page asked for nothing but itself)."""
    context = browser.new_context(offline=True, **options)
    requested: list[str] = []
    context.route("**/*", lambda route: requested.append(route.request.url) or (
        route.continue_() if route.request.url.startswith("file://") else route.abort()))  # fmt: skip
    return context, requested
