"""Issue 26: every command as hardened as `run`. One test per reproduction of the issue: a clear
message and exit 2 for bad input, exit 1 for a number that became non-finite, never a traceback,
never exit 0 with inf or nan in the output; work bounded before it starts; no file harmed."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from conftest import CONFIGS, write_spec

GOOD = """
inputs: [[1, 0], [0, 1]]
targets: [[1], [0]]
learning_rate: 0.1
layers:
  - weights: [[0.1, 0.3], [0.2, 0.1]]
    biases: [0, 0]
  - weights: [[0.1], [0.2]]
    biases: [0]
"""
# Linear, learning rate 1e300: the loss of epoch 2 is infinite.
DIVERGES_IN_EPOCH_2 = """
inputs: [[1, 2], [3, 4]]
targets: [[10], [20]]
activation: linear
loss: sse
learning_rate: 1.0e300
epochs: 3
layers:
  - {weights: [[0.5], [0.5]], biases: [0]}
"""
NON_FINITE = re.compile(r"\b(inf|nan)\b|∞", re.IGNORECASE)


def refused(result, *fragments: str) -> None:
    """Exit 2, one clear message naming what is wrong and the fix, nothing on stdout."""
    assert result.exit_code == 2, (result.exit_code, result.stdout[-500:], result.stderr)
    assert result.stdout == ""
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert "fix:" in result.stderr or "Usage:" in result.stderr, result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr


def diverged(result, *fragments: str) -> None:
    """Exit 1 with the message saying where a number became NaN or infinite."""
    assert result.exit_code == 1, (result.exit_code, result.stdout[-500:], result.stderr)
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert "NaN or infinite" in result.stderr, result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr


# --- bad input in a spec or its CSV ----------------------------------------------------------------


def test_a_control_character_in_a_spec_is_named_with_its_line(cli, tmp_path):
    path = write_spec(tmp_path, GOOD.replace("learning_rate: 0.1", "learning_rate: 0.1\nname: a\x01b"))
    refused(cli("run", path), "line 5, column 8", "control character \\x01")


def test_an_integer_of_4301_digits_is_refused_with_its_line(cli, tmp_path):
    path = write_spec(tmp_path, GOOD + "epochs: " + "9" * 4301 + "\n")
    refused(cli("run", path), "line 10", "4,301 digits")
    refused(cli("run", "--json", "-", path), "4,301 digits")


@pytest.mark.parametrize("cell", ["inf", "nan", "-Infinity"])
def test_a_csv_cell_that_is_not_finite_is_named(cli, tmp_path, cell):
    (tmp_path / "data.csv").write_text(f"a,b,y\n1,{cell},1\n0,1,0\n", encoding="utf-8")
    spec = "data: {csv: data.csv, target: y}\nlearning_rate: 0.1\nlayers:\n  - {weights: [[0.1], [0.2]], biases: [0]}\n"
    refused(cli("run", write_spec(tmp_path, spec)), "line 2, column 2", "finite number")


def test_aliases_nested_1500_deep_are_refused_by_the_depth_limit(cli, tmp_path):
    chain = ["name: [&a0 [1]"] + [f"  , &a{i} [*a{i - 1}]" for i in range(1, 1500)] + ["  ]"]
    refused(cli("run", write_spec(tmp_path, "\n".join(chain) + "\n" + GOOD)), "nests more than 32 levels")


def test_the_value_limit_is_met_while_reading_not_after(cli, tmp_path):
    # 2,000,001 values and then a syntax error: the limit answers first, so it was checked on the way.
    text = "inputs: [" + "0," * 2_000_001 + "]\n  bad: [\n"
    refused(cli("run", write_spec(tmp_path, text)), "more than 2,000,000 values")


def layers_spec(*layers: str) -> str:
    """A 2-2-...-1 spec whose layers carry the given extra keys (e.g. "name: h1")."""
    hidden = "".join(f"  - {{{extra}, weights: [[0.1, 0.3], [0.2, 0.1]], biases: [0, 0]}}\n" for extra in layers[:-1])
    return GOOD.split("layers:")[0] + f"layers:\n{hidden}  - {{{layers[-1]}, weights: [[0.1], [0.2]], biases: [0]}}\n"


@pytest.mark.parametrize(
    "layers, collision",
    [
        (("name: h1", "name: H1", "name: out"), "H1_in"),  # case: both are written H1
        (("name: O", "name: out"), "O_in"),  # the output layer's O
        (("name: h", "name: hidden", "name: out"), "E_hidden"),  # the one hidden layer's E_hidden
    ],
)
def test_layer_names_whose_quantities_would_collide_are_refused_naming_both(cli, tmp_path, layers, collision):
    path = write_spec(tmp_path, layers_spec(*layers))
    for options in ([], ["--json", "-"]):
        result = cli("run", path, *options)
        refused(result, "would give their quantities the same names", collision)
        assert re.search(r"layer \d \('\w+'\) and layer \d \('\w+'\)", result.stderr)


def test_a_layer_of_100_billion_drawn_neurons_is_refused_before_anything_is_allocated(cli, tmp_path):
    spec = GOOD.split("layers:")[0] + "init: {method: he, seed: 1}\nlayers:\n  - {size: 100000000000}\n  - {size: 1}\n"
    refused(cli("run", write_spec(tmp_path, spec)), "layers[1].size", "up to 100,000,000", "fewer neurons")


@pytest.mark.filterwarnings("error::RuntimeWarning")  # a numpy warning would reach the user's stderr
def test_biases_that_differ_by_more_than_float64_holds_are_refused_without_a_warning(cli, tmp_path):
    # Found by the long fuzz: np.ptp of [1.8e308, -1e308] overflowed, and numpy's warning reached stderr.
    spec = GOOD.replace("biases: [0, 0]", "biases: [1.7976931348623157e+308, -1.0e+308]") + "bias_sharing: per_layer\n"
    result = cli("run", write_spec(tmp_path, spec))
    refused(result, "bias_sharing: per_layer gives each layer one bias")
    assert "Warning" not in result.stderr


def test_a_whole_number_typed_with_a_decimal_point_is_refused(cli, tmp_path):
    refused(cli("run", write_spec(tmp_path, GOOD + "epochs: 2.0\n")), "epochs", "found the number 2.0", "e.g. 2")
    claims = tmp_path / "claims.yaml"
    claims.write_text("spec: paper\nround: 3.0\nclaims:\n  - H_in[1,1]: 1.48\n", encoding="utf-8")
    refused(cli("check", str(claims)), "round", "found 3.0")


# --- a number that becomes non-finite: exit 1 in every command ------------------------------------


def test_draw_of_an_epoch_after_training_diverged_exits_1(cli, tmp_path):
    path = write_spec(tmp_path, DIVERGES_IN_EPOCH_2)
    diverged(cli("draw", path, "--epoch", "3"), "epoch 3 was never reached")
    diverged(cli("draw", path, "--epoch", "2", "--values"), "in epoch 2")
    assert cli("draw", path, "--epoch", "1").exit_code == 0


def test_explain_under_an_optimiser_whose_state_overflows_exits_1(cli, tmp_path):
    spec = (
        "inputs: [[1.0e150, 0], [0, 1]]\ntargets: [[1], [0]]\nlearning_rate: 0.1\noptimizer: adam\nepochs: 2\n"
        "activation: linear\nlayers:\n  - {weights: [[0.1], [0.2]], biases: [0]}\n"
    )
    path = write_spec(tmp_path, spec)
    diverged(cli("explain", path, "W_out[1,1]", "--epoch", "2"), "the optimiser's v of W_out")
    diverged(cli("run", path, "--show", "2"), "the optimiser's v of W_out")


def test_export_of_a_run_that_diverges_writes_nothing_and_exits_1(cli, tmp_path):
    path = write_spec(tmp_path, DIVERGES_IN_EPOCH_2)
    document = tmp_path / "notes.md"
    for options in (["--show", "1-3"], ["--epoch", "2"], ["--epoch", "3"]):
        result = cli("export", path, "--to", "markdown", "-o", str(document), *options)
        diverged(result, "nothing was written")
        assert not document.exists()
        assert cli("export", path, "--to", "latex", *options).stdout == ""
    assert "epoch 3 was never reached" in cli("export", path, "--to", "html", "--epoch", "3").stderr
    assert cli("export", path, "--to", "markdown", "--epoch", "1").exit_code == 0


def test_forward_with_an_infinite_loss_exits_1(cli, tmp_path):
    spec = GOOD.replace("inputs: [[1, 0]", "inputs: [[1.0e200, 0]") + "activation: linear\n"
    for command in (["forward"], ["run", "--epochs", "0"]):
        diverged(cli(*command, write_spec(tmp_path, spec)), "the loss")


def test_a_loss_that_overflows_only_when_the_batches_are_summed_stops_training(cli, tmp_path):
    # Each batch's loss is 1.44e308, finite; the epoch's, their sum, is not.
    spec = (
        "inputs: [[1], [1]]\ntargets: [[0], [0]]\nactivation: linear\nloss: sse\nlearning_rate: 1.0e-300\n"
        "batch_size: 1\nepochs: 3\nlayers:\n  - {weights: [[1.2e154]], biases: [0]}\n"
    )
    result = cli("run", write_spec(tmp_path, spec), "--quiet")
    diverged(result, "the sum of its batches' losses")
    assert "epoch 1: inf" not in result.stdout


def test_gradcheck_fails_a_finite_difference_that_is_not_finite(cli, tmp_path):
    # The loss is finite at the start (w = 0) but overflows a step h away: the difference is inf - inf.
    spec = (
        "inputs: [[1.0e200]]\ntargets: [[1]]\nactivation: linear\nlearning_rate: 0.1\n"
        "layers:\n  - {weights: [[0]], biases: [0]}\n"
    )
    result = cli("gradcheck", write_spec(tmp_path, spec))
    assert result.exit_code == 1, result.stdout
    assert re.search(r"W_out\s+1×1\s+nan\s+nan\s+FAIL \(not finite\)", result.stdout), result.stdout
    assert "not finite: 1 entry of W_out has a gradient or finite difference that is NaN" in result.stdout


# --- gradcheck says what passed ---------------------------------------------------------------------


def test_gradcheck_says_which_criterion_passed_a_large_relative_error(cli, tmp_path):
    # W_out[1,1]'s gradient is about 1e-7 (inputs of 1e-9), the loss about 1.2e4: its difference is
    # round-off, within the absolute allowance, while its relative error is a few percent.
    spec = (
        "inputs: [[1.0e-9, 1], [2.0e-9, 0.5], [0, 1]]\ntargets: [[100], [80], [90]]\nactivation: linear\n"
        "learning_rate: 0.1\nlayers:\n  - {weights: [[0.3], [0.2]], biases: [0.1]}\n"
    )
    result = cli("gradcheck", write_spec(tmp_path, spec))
    assert result.exit_code == 0
    assert re.search(r"W_out\s+2×1\s+\S+e-0[2-5]\s+\S+\s+ok \(absolute\)", result.stdout), result.stdout
    assert "ok (absolute): 1 entry of W_out differs" in result.stdout
    assert "within the absolute allowance" in result.stdout
    assert "its gradient is too small beside the loss" in result.stdout


def test_gradcheck_never_passes_an_infinite_difference(cli, tmp_path):
    # The loss, about 1.7e308, is finite; a step away it is not, and inf <= inf allowed it through.
    spec = (
        "inputs: [[2.28, 1.0e+300], [1.7976931348623157e+308, 2], [1.61, -1.69]]\n"
        "targets: [[0.25, 0.25], [0, 1], [0, 0.25]]\nloss: cross_entropy\nlearning_rate: 0.5\nlayout: columns\n"
        "layers:\n  - {weights: [[0.92, 1.28], [-0.04, 2.08]], biases: [1.43, 1.0e-300]}\n"
    )
    result = cli("gradcheck", write_spec(tmp_path, spec))
    assert result.exit_code == 1, result.stdout
    assert "FAIL (not finite)" in result.stdout and "ok (not finite)" not in result.stdout


def test_gradcheck_names_the_activation_whose_kink_an_entry_sits_at(cli, tmp_path):
    # Hidden unit 1's input is exactly 0 for sample 1: elu (as relu) has a kink there.
    spec = (
        "inputs: [[1, 0], [0, 1]]\ntargets: [[1], [0]]\nlearning_rate: 0.1\nlayers:\n"
        "  - {weights: [[0.5, 0.2], [-0.5, 0.1]], biases: [-0.5, 0], activation: elu}\n"
        "  - {weights: [[0.7], [0.4]], biases: [0.1]}\n"
    )
    result = cli("gradcheck", write_spec(tmp_path, spec))
    assert result.exit_code == 0
    assert "at the kink of elu at 0" in result.stdout and "relu" not in result.stdout


def test_gradcheck_keeps_long_parameter_names_whole_at_80_columns(cli, tmp_path):
    spec = (
        "inputs: [[1, 0], [0, 1], [1, 1]]\ntargets: [[1], [0], [1]]\nactivation: relu\nlearning_rate: 0.1\nlayers:\n"
        "  - {name: hiddenlayer, weights: [[1, -1], [-1, 1]], biases: [0, 0]}\n"
        "  - {name: outputlayer, weights: [[1], [1]], biases: [0], activation: sigmoid}\n"
    )
    result = cli("gradcheck", write_spec(tmp_path, spec), width="80")
    assert result.exit_code == 0
    for name in ("W_hiddenlayer", "b_hiddenlayer", "W_outputlayer", "b_outputlayer"):
        assert name in result.stdout
    assert "…" not in result.stdout
    assert max(len(line) for line in result.stdout.splitlines()) <= 80


# --- work bounded before it starts ----------------------------------------------------------------


def test_export_of_a_hundred_million_epochs_is_refused_at_once(cli):
    refused(cli("export", "--to", "markdown", "--show", "1-100000000"), "--show", "at most 1,000", "--force")
    refused(cli("run", "--epochs", "2000", "--show", "all"), "2,000 epochs make", "--force")
    assert cli("run", "--epochs", "3", "--show", "all").exit_code == 0


def test_a_thousand_batches_are_the_most_one_step_shows(cli, tmp_path):
    spec = GOOD.replace("inputs: [[1, 0], [0, 1]]", "inputs: " + str([[1, 0]] * 1001)).replace(
        "targets: [[1], [0]]", "targets: " + str([[1]] * 1001)
    ) + "batch_size: 1\n"
    refused(cli("step", write_spec(tmp_path, spec), "--batches", "all"), "1,001 batches", "--batches 1,last")


# --- files --------------------------------------------------------------------------------------------


def test_a_shipped_example_is_never_written_over(cli):
    import nntrace.examples

    folder = Path(next(iter(nntrace.examples.__path__)))
    before = {path.name: path.read_bytes() for path in folder.iterdir() if path.suffix in (".yaml", ".csv")}
    refused(cli("run", "paper", "--json", str(folder / "paper.yaml")), "own input")
    refused(cli("run", "--json", str(folder / "paper.yaml")), "own input")
    refused(cli("run", "--json", str(folder / "two-hidden.yaml")), "an example shipped with nntrace")
    refused(cli("export", "--to", "markdown", "-o", str(folder / "digits.csv")), "an example shipped with nntrace")
    assert {path.name: path.read_bytes() for path in folder.iterdir() if path.name in before} == before


def test_an_example_written_to_stdout_leaves_its_csv_unwritten(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli("examples", "biomarker-xor", "-o", "-")
    assert result.exit_code == 0
    assert result.stdout == (CONFIGS / "biomarker-xor.yaml").read_text(encoding="utf-8")
    assert os.listdir(tmp_path) == []
    assert "biomarker-xor.csv, which is not written here" in result.stderr
    assert "nntrace run -" not in result.stderr


def test_an_example_written_to_a_pipe_leaves_its_csv_unwritten(cli, tmp_path):
    fifo = tmp_path / "spec.fifo"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    result = cli("examples", "digits", "-o", str(fifo))
    reader.join(30)
    assert result.exit_code == 0, result.stderr
    assert received == [(CONFIGS / "digits.yaml").read_bytes()]
    assert sorted(os.listdir(tmp_path)) == ["spec.fifo"]  # no digits.csv beside a pipe
    result = cli("examples", "digits", "-o", "/dev/null")
    assert result.exit_code == 0 and "digits.csv, which is not written here" in result.stderr
    assert not os.path.exists("/dev/digits.csv")


def test_an_example_is_never_overwritten_by_its_own_csv(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    refused(cli("examples", "digits", "-o", "digits.csv", "--force"), "digits.csv", "-o digits.yaml")
    assert os.listdir(tmp_path) == []


def test_stdout_closed_is_one_message_and_exit_2():
    result = subprocess.run(
        [sys.executable, "-m", "nntrace", "run"], stderr=subprocess.PIPE, preexec_fn=lambda: os.close(1), timeout=60
    )
    assert result.returncode == 2
    assert result.stderr.decode().startswith("nntrace: error: stdout is closed")
    assert b"Traceback" not in result.stderr


# --- smaller things a new user hits ---------------------------------------------------------------


def test_export_refuses_fragment_for_markdown_and_takes_no_colour_option(cli):
    refused(cli("export", "--to", "markdown", "--fragment"), "--fragment", "latex")
    refused(cli("export", "--to", "markdown", "--no-color"), "--no-color")
    assert cli("export", "--to", "latex", "--fragment", "--step", "2").exit_code == 0


def test_the_summary_breaks_its_lines_between_phrases_at_80_columns(cli, tmp_path):
    softmax = "  - weights: [[0.1, 0.2], [0.2, 0.1]]\n    biases: [0, 0]\n    activation: softmax"
    spec = GOOD.replace("  - weights: [[0.1], [0.2]]\n    biases: [0]", softmax)
    spec = spec.replace("targets: [[1], [0]]", "targets: [[1, 0], [0, 1]]") + "loss: cross_entropy\nepochs: 12345\n"
    out = cli("run", write_spec(tmp_path, spec), "--quiet", width="60").stdout
    lines = out.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("  loss"))
    # the loss by its name, its epochs on the hanging line: broken after a phrase's comma, not inside one
    assert lines[at] == "  loss       cross-entropy of the softmax (L = −ΣΣ y ln O),", lines[at : at + 2]
    assert re.fullmatch(r" {13}epoch 1: \d\.\d+, epoch 12345: \d\.\d+", lines[at + 1]), lines[at : at + 2]


def test_a_huge_number_is_not_printed_as_hundreds_of_digits(cli, tmp_path):
    # Fixed by the one number policy (notation/numbers.py, issue 21); pinned here for issue 26.
    spec = (
        "inputs: [[1]]\ntargets: [[1.0e300]]\nactivation: linear\nlearning_rate: 0.1\nepochs: 2\n"
        "layers:\n  - {weights: [[1.0e300]], biases: [0]}\n"
    )
    path = write_spec(tmp_path, spec)
    for command in (["forward"], ["run", "--show", "1-2"], ["explain", "W_out[1,1]"], ["export", "--to", "latex"]):
        result = cli(command[0], path, *command[1:])
        assert result.exit_code == 0, (command, result.stderr)
        assert "e+300" in result.stdout or "10³⁰⁰" in result.stdout or "10^{300}" in result.stdout, command
        assert not re.search(r"\d{30}", result.stdout), (command, result.stdout)


# --- the last line of defence ---------------------------------------------------------------------


def test_an_unexpected_exception_is_one_line_exit_70_and_removes_the_temporary(cli, tmp_path, monkeypatch):
    import nntrace.engine.trace_json as trace_json

    def broken(self, record):
        raise RuntimeError("a bug")

    monkeypatch.setattr(trace_json.TraceWriter, "write", broken)
    target = tmp_path / "trace.json"
    target.write_text("old", encoding="utf-8")
    monkeypatch.delenv("NNTRACE_DEBUG", raising=False)
    result = cli("run", "--epochs", "2", "--quiet", "--json", str(target))
    assert result.exit_code == 70
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "internal error (RuntimeError: a bug): this is a bug in nntrace" in result.stderr
    assert "NNTRACE_DEBUG=1 shows the traceback" in result.stderr
    assert sorted(os.listdir(tmp_path)) == ["trace.json"] and target.read_text(encoding="utf-8") == "old"
    monkeypatch.setenv("NNTRACE_DEBUG", "1")
    debugged = cli("run", "--epochs", "2", "--quiet", "--json", str(target))
    assert debugged.exit_code == 70 and "Traceback" in debugged.stderr and "RuntimeError: a bug" in debugged.stderr


def test_running_out_of_memory_is_a_message_not_a_traceback(cli, monkeypatch):
    import nntrace.engine.network as engine

    def exhausted(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(engine, "build_network", exhausted)
    monkeypatch.setattr("nntrace.api.tracing.build_network", exhausted)
    refused(cli("run"), "ran out of memory")
