"""The folders of nntrace are its layers, and imports run one way: each folder's __init__ docstring
says which folders it may import ("May import: ..."), and this test reads every import with ast."""

from __future__ import annotations

import ast
import re

import pytest
from conftest import ROOT

PACKAGE = ROOT / "nntrace"
# The modules at the top: the package's face hands the API on; the console script starts the CLI
# (cli/, a folder like the others: wiring over the API).
TOP = {
    "__init__": "api",
    "__main__": "cli, common",
}
FOLDERS = sorted(path.parent.name for path in PACKAGE.glob("*/__init__.py") if path.parent.name != "examples")


def allowed(folder: str) -> set[str]:
    """The folders `folder` may import, as its __init__ docstring lists them."""
    doc = ast.get_docstring(ast.parse((PACKAGE / folder / "__init__.py").read_text("utf-8"))) or ""
    match = re.search(r"May import: (.+?)\.\s*$", doc, re.S)
    assert match, f"nntrace/{folder}/__init__.py must end its docstring with 'May import: ...'"
    listed = match.group(1).replace("\n", " ")
    return set() if listed.startswith("nothing") else {name.strip() for name in listed.split(",")}


def imported(path) -> set[str]:
    """The nntrace modules `path` imports, anywhere in it (at the top, in a function, for types)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "nntrace":
            parts = node.module.split(".")
            if len(parts) == 1:  # from nntrace import x (but the version, which is no layer)
                names |= {alias.name for alias in node.names} - {"__version__"}
            else:
                names.add(parts[1])
        elif isinstance(node, ast.Import):
            names |= {alias.name.split(".")[1] for alias in node.names if alias.name.startswith("nntrace.")}
    return names


def test_every_folder_says_what_it_holds_and_may_import():
    for folder in FOLDERS:
        doc = ast.get_docstring(ast.parse((PACKAGE / folder / "__init__.py").read_text("utf-8")))
        assert doc and len(doc.split("May import:")[0].strip()) > 40, f"nntrace/{folder}: say what it holds"
        assert allowed(folder) <= set(FOLDERS), f"nntrace/{folder} lists a folder that does not exist"


def test_the_layers_are_a_ladder():
    """No two folders may import each other, however indirectly."""
    reach = {folder: allowed(folder) for folder in FOLDERS}
    for _ in FOLDERS:
        for folder in FOLDERS:
            reach[folder] |= {far for near in reach[folder] for far in reach[near]}
    for folder in FOLDERS:
        assert folder not in reach[folder], f"nntrace/{folder} may import itself through {sorted(reach[folder])}"


@pytest.mark.parametrize("folder", FOLDERS)
def test_imports_run_one_way(folder):
    permitted = allowed(folder) | {folder, "examples"}
    for path in sorted((PACKAGE / folder).glob("*.py")):
        wrong = imported(path) - permitted
        assert not wrong, f"{path.relative_to(ROOT)} imports {sorted(wrong)}; nntrace/{folder} may import {sorted(permitted - {folder})}"


def test_the_modules_at_the_top_import_what_they_say():
    for name, rule in TOP.items():
        used = imported(PACKAGE / f"{name}.py")
        permitted = {part.strip() for part in rule.split(",")}
        assert used <= permitted, f"nntrace/{name}.py imports {sorted(used - permitted)}; it may import {rule}"


def test_no_module_is_left_at_the_top():
    """Every module lives in the folder of its layer, but the package's face and the console script."""
    assert {path.stem for path in PACKAGE.glob("*.py")} == set(TOP)


def test_every_folder_is_installed():
    """A plain (not editable) install holds what pyproject.toml lists: every folder of the package
    must be there, or `pip install .` gives an nntrace that cannot import its own API."""
    from pathlib import Path

    import tomllib

    root = Path(__file__).resolve().parent.parent
    listed = set(tomllib.loads((root / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]["packages"])
    folders = {"nntrace." + init.parent.name for init in (root / "nntrace").glob("*/__init__.py")}
    assert folders <= listed, sorted(folders - listed)
