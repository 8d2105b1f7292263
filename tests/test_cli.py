"""The command line behaves like a well-made CLI."""

from __future__ import annotations

import re

import pytest
from conftest import CONFIGS

from nntrace import __version__


def test_version(cli):
    result = cli("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"nntrace, version {__version__}"


def test_help_lists_commands_with_examples(cli):
    out = cli("--help").stdout
    assert "run" in out and "step" in out and "Examples:" in out


def test_every_command_has_help_with_examples(cli):
    for command in ("run", "step"):
        result = cli(command, "--help")
        assert result.exit_code == 0
        assert "Examples:" in result.stdout and f"nntrace {command}" in result.stdout


def test_run_prints_steps_1_to_11_and_the_loss(cli):
    out = cli("run").stdout
    numbers = [int(n) for n in re.findall(r"^Step (\d+) \u00b7", out, flags=re.M)]
    assert numbers == list(range(1, 12))
    # The loss is shown at the precision asked for, as every number is (3 decimals by default).
    assert re.search(r"^Loss .* = 0\.354 ", out, flags=re.M)
    assert re.search(r"^Loss .* = 0\.3541 ", cli("run", "--precision", "4").stdout, flags=re.M)


def test_piped_step_prints_every_step_without_waiting(cli):
    result = cli("step", "--epoch", "1", input="")
    assert result.exit_code == 0
    assert "Step 11" in result.stdout
    assert "Enter" not in result.stderr


def test_step_k_prints_only_that_step(cli):
    out = cli("step", "--step", "7").stdout
    assert "Step 7 \u00b7 Output delta" in out
    assert "Step 6" not in out and "Step 8" not in out


def test_step_beyond_the_last_is_an_input_error(cli):
    result = cli("step", "--step", "12")
    assert result.exit_code == 2
    assert "steps 1 to 11" in result.stderr


def test_bad_option_value_is_a_usage_error(cli):
    assert cli("run", "--precision", "-1").exit_code == 2
    assert cli("step", "--epoch", "0").exit_code == 2


def test_precision_option(cli):
    assert "0.81457" in cli("run", "--precision", "5").stdout
    assert "0.81457" not in cli("run").stdout


def test_no_color_and_piped_output_have_no_escape_codes(cli):
    assert "\x1b[" not in cli("run", "--no-color").stdout
    assert "\x1b[" not in cli("run").stdout


def test_no_color_flag_removes_colour_on_a_forced_terminal(cli, monkeypatch):
    monkeypatch.setenv("FORCE_COLOR", "1")
    coloured = cli("run").stdout
    plain = cli("run", "--no-color").stdout
    assert re.search(r"\x1b\[[0-9;]*3[0-9]m", coloured)
    assert not re.search(r"\x1b\[[0-9;]*3[0-9]m", plain)


def test_narrow_terminal_output_stays_within_its_width(cli):
    for width in (80, 60):
        out = cli("run", width=str(width)).stdout
        assert max(len(line) for line in out.splitlines()) <= width


def test_lines_too_wide_for_the_terminal_are_broken_without_a_blank_before_the_break(cli):
    for args in (("run", "--no-color"), ("run", "elu", "--digits", "12", "--no-color")):
        for width in ("30", "60"):
            out = cli(*args, width=width).stdout
            assert [line for line in out.splitlines() if line != line.rstrip()] == []


def test_a_copied_and_edited_config_runs(cli, tmp_path):
    text = (CONFIGS / "paper.yaml").read_text(encoding="utf-8").replace("learning_rate: 0.1", "learning_rate: 0.5")
    path = tmp_path / "my.yaml"
    path.write_text(text, encoding="utf-8")
    out = cli("run", str(path)).stdout
    assert "\u03b7 = 0.5" in out


@pytest.mark.parametrize("args", [["--version"], ["params", "784", "16", "16", "10"]])
def test_version_and_params_import_neither_numpy_nor_rich(args):
    import subprocess
    import sys

    probe = (
        "import sys\nfrom nntrace.cli import main\n"
        f"try:\n    main({args!r}, standalone_mode=False)\nexcept SystemExit:\n    pass\n"
        "print(sorted({'numpy', 'rich', 'importlib.metadata'} & set(sys.modules)))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip().splitlines()[-1] == "[]"


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_the_console_script_answers_version_before_importing_click(cli, flag):
    """`nntrace --version` prints click's line without importing click (a third of the yardstick's start-up)."""
    import subprocess
    import sys

    probe = (
        f"import sys\nsys.argv = ['nntrace', {flag!r}]\nfrom nntrace.__main__ import main\nmain()\n"
        "print(sorted({'click', 'numpy', 'rich', 'yaml'} & set(sys.modules)))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    line, modules = result.stdout.splitlines()
    assert modules == "[]"
    assert line == cli(flag).stdout.strip() == f"nntrace, version {__version__}"


LEFT_OFF_RUN = [
    "tempfile",
    "difflib",
    "nntrace.spec.dataset",
    "nntrace.solution.explain",
    "nntrace.engine.trace_json",
    "importlib.resources",
    "rich.table",
    *(f"nntrace.cli.{module}" for module in ("explain", "checking", "documents", "specs", "classes")),
]
LEFT_OFF_QUIET = ["nntrace.terminal.views", "nntrace.solution.steps", "nntrace.solution.explain", "rich.table", "tempfile"]


@pytest.mark.parametrize(
    "args, unneeded",
    [(["run"], LEFT_OFF_RUN), (["run", str(CONFIGS / "digits.yaml"), "--quiet", "--epochs", "2"], LEFT_OFF_QUIET)],
)
def test_a_run_imports_only_what_it_needs(args, unneeded):
    """Kept off a run's start-up: what only a written file, a CSV spec, a misspelt name, hand
    rounding, explain or JSON need, the other commands' modules (their options), and, when no
    epoch is shown, the layout of the steps and rich's Table (the summary's tables are grids).
    See the README's Speed."""
    import subprocess
    import sys

    probe = (
        "import io, contextlib, sys\nfrom nntrace.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    try:\n        main({args!r}, standalone_mode=False)\n    except SystemExit:\n        pass\n"
        f"print(sorted(set({unneeded!r}) & set(sys.modules)))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip().splitlines()[-1] == "[]"
