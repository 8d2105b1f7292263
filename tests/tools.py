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
