"""The example specs nntrace ships (the repository's configs/, installed as nntrace.examples)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from nntrace.common.errors import SpecError

BUILTIN = "paper"
CLAIMS = "-claims"  # a shipped claims file (`nntrace check`) is named <something>-claims.yaml
EXERCISE = "-exercise"  # a shipped exercise template (`nntrace exercise`) is named <something>-exercise.yaml


def _folder() -> Path:
    # The package's folder, as importlib.resources.files gives it for a package on disk, without
    # importing importlib.resources (and zipfile) on every start-up.
    import nntrace.examples

    return Path(next(iter(nntrace.examples.__path__)))


def _stems() -> list[str]:
    # (names read as they are: a glob pattern would compile a regular expression on every start-up)
    return sorted(name[: -len(".yaml")] for name in os.listdir(_folder()) if name.endswith(".yaml"))


def example_names() -> list[str]:
    """The shipped specs."""
    return [stem for stem in _stems() if not stem.endswith((CLAIMS, EXERCISE))]


def claims_names() -> list[str]:
    """The shipped claims files."""
    return [stem for stem in _stems() if stem.endswith(CLAIMS)]


def shipped_files() -> list[Path]:
    """Every file shipped with nntrace as an example: the specs, the claims files, the CSVs."""
    return sorted(path for path in _folder().iterdir() if path.suffix in (".yaml", ".csv"))


def exercise_names() -> list[str]:
    """The shipped exercise templates."""
    return [stem for stem in _stems() if stem.endswith(EXERCISE)]


def exercise_path(name: str) -> Path | None:
    """The shipped exercise template called `name` (with or without .yaml), or None."""
    return _shipped(name, exercise_names())


def example_path(name: str) -> Path | None:
    """The shipped spec called `name` (with or without .yaml), or None."""
    return _shipped(name, example_names())


def claims_path(name: str) -> Path | None:
    """The shipped claims file called `name` (with or without .yaml), or None."""
    return _shipped(name, claims_names())


def shipped_instead(path: Path, name: str, find: Callable[[str], Path | None]) -> Path | None:
    """The shipped file `find` gives for `name`, where `path` names nothing (not even a broken
    link, which is the user's file and says so when read), else None: a file on disk wins."""
    return None if os.path.lexists(path) else find(name)


def _shipped(name: str, names: list[str]) -> Path | None:
    stem = name[:-5] if name.endswith(".yaml") else name
    return _folder() / f"{stem}.yaml" if stem in names else None


def example_summary(name: str) -> str:
    """What an example shows: its spec's `name:`."""
    from nntrace.spec import safe_yaml
    document = safe_yaml.load(example_path(name).read_text("utf-8"))
    return str(document.get("name", "")) if isinstance(document, dict) else ""


def claims_summary(name: str) -> str:
    """What a claims file holds: whose numbers, for `nntrace check`."""
    from nntrace.spec import safe_yaml
    document = safe_yaml.load(claims_path(name).read_text("utf-8"))
    spec = document.get("spec") if isinstance(document, dict) else None
    stem = spec.removesuffix(".yaml") if isinstance(spec, str) else spec
    return f"claims on {stem} (nntrace check {name})" if isinstance(spec, str) else f"claims (nntrace check {name})"


def exercise_summary(name: str) -> str:
    """What an exercise template is: its `name:`, for `nntrace exercise`."""
    from nntrace.spec import safe_yaml
    document = safe_yaml.load(exercise_path(name).read_text("utf-8"))
    title = str(document.get("name", "")) if isinstance(document, dict) else ""
    return f"{title} (nntrace exercise {name})" if title else f"an exercise (nntrace exercise {name})"


def companions(name: str) -> list[Path]:
    """Files an example reads (its CSV), which must be written out beside it."""
    from nntrace.spec import safe_yaml
    document = safe_yaml.load(example_path(name).read_text("utf-8"))
    data = document.get("data") if isinstance(document, dict) else None
    return [_folder() / data["csv"]] if isinstance(data, dict) and "csv" in data else []


def unknown_example(name: str) -> SpecError:
    return SpecError(
        "NAME",
        f"no shipped example is called {name!r}",
        f"choose one of: {', '.join(example_names() + claims_names() + exercise_names())}",
    )
