"""Generated specs and options, valid and not, through the whole CLI: every run ends with
exit code 0, 1 or 2 and never with a traceback (hypothesis)."""

from __future__ import annotations

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nntrace.cli import main

# A numpy warning would reach the user's stderr: overflow must be reported by name instead.
pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")

numbers = st.one_of(
    st.floats(-3, 3, allow_nan=False, width=32), st.integers(-3, 3), st.sampled_from([1e300, -1e300, 1e-300])
)
odd_values = st.one_of(
    st.none(),
    st.booleans(),
    st.text(max_size=5),
    st.sampled_from(["nan", ".inf", "1e400", "[/]", "\x1b[2J", -1, 0, 10**30, 2**33]),
    st.lists(st.integers(), max_size=2),
)
ACTIVATIONS = ["sigmoid"] * 4 + ["tanh", "relu", "leaky_relu", "linear", "step", "softmax"]


def matrix(draw, rows: int, cols: int):
    return [[draw(numbers) for _ in range(cols)] for _ in range(rows)]


@st.composite
def specs(draw) -> dict:
    """A spec that is valid in form, then, about half the time, one value replaced or one key dropped."""
    sizes = draw(st.lists(st.integers(1, 3), min_size=2, max_size=4))
    samples = draw(st.integers(1, 4))
    layout = draw(st.sampled_from(["rows", "columns"]))
    shape = (lambda a, b: (a, b)) if layout == "rows" else (lambda a, b: (b, a))
    document = {
        "inputs": matrix(draw, samples, sizes[0]),
        "targets": [[draw(st.sampled_from([0, 1, 0.25])) for _ in range(sizes[-1])] for _ in range(samples)],
        "learning_rate": draw(st.sampled_from([0.1, 0.5, 1e30])),
        "epochs": draw(st.integers(0, 4)),
        "loss": draw(st.sampled_from(["half_sse", "sse", "mse", "cross_entropy"])),
        "layout": layout,
        "layers": [
            {
                "weights": matrix(draw, *shape(a, b)[:: -1 if draw(st.integers(0, 9)) == 0 else 1]),
                "biases": [draw(numbers) for _ in range(b)],
                "activation": draw(st.sampled_from(ACTIVATIONS)),
            }
            for a, b in zip(sizes, sizes[1:])
        ],
    }
    options = {"batch_size": st.integers(1, 4), "shuffle": st.integers(0, 9), "train_biases": st.booleans()}
    for key, strategy in options.items():
        if draw(st.booleans()):
            document[key] = draw(strategy)
    corruption = draw(st.integers(0, 5))
    if corruption == 0:
        del document[draw(st.sampled_from(sorted(document)))]
    elif corruption <= 2:
        key = draw(st.sampled_from(sorted(document)))
        document[key] = draw(odd_values)
    elif corruption == 3:
        document["inputs"][0][0] = draw(odd_values)
    return document


@st.composite
def invocations(draw) -> list[str]:
    command = draw(st.sampled_from(["run", "run", "step", "forward", "explain", "gradcheck"]))
    options: list[str] = []
    if command == "run":
        options += draw(st.sampled_from([[], ["--epochs", "3"], ["--epochs", "0"], ["--quiet"]]))
        options += draw(st.sampled_from([[], ["--show", "1,last"], ["--show", "2-1"], ["--show", "9"]]))
    if command == "step":
        options += draw(st.sampled_from([["--epoch", "2"], ["--step", "3"], ["--step", "99"]]))
    if command == "explain":
        options += [draw(st.sampled_from(["W_out[1,1]", "b_h[1]", "W_h1[2,1]", "W_out[9,9]", "nonsense"]))]
    if command not in ("gradcheck", "explain"):
        options += draw(st.sampled_from([[], ["--round", "2"], ["--expand"], ["--no-expand"], ["--precision", "0"]]))
    options += draw(st.sampled_from([[], ["--no-color"]]))
    return [command, *options]


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(document=specs(), invocation=invocations())
def test_every_run_ends_with_0_1_or_2_and_no_traceback(tmp_path, document, invocation):
    path = tmp_path / "fuzz.yaml"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    command, *options = invocation
    arguments = [command, str(path), *options]
    result = CliRunner().invoke(main, arguments, catch_exceptions=True)
    assert result.exit_code in (0, 1, 2), (arguments, result.exit_code, result.output, result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit), (arguments, result.exception)
    assert "Traceback" not in result.output


# --- every command, hostile specs and options (issue 26): the generators of tests/fuzzing.py ---------

from fuzzing import HypothesisPick, case, judge, run_case  # noqa: E402


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_every_command_on_hostile_input_ends_0_1_or_2_and_exit_0_prints_no_nan(tmp_path_factory, data):
    one = case(HypothesisPick(data))
    outcome = run_case(tmp_path_factory.mktemp("case"), one)
    problem = judge(outcome)
    assert problem is None, (problem, one.arguments, one.spec[:2000], one.files, outcome.exit_code,
                             outcome.stderr[-2000:], outcome.exception)  # fmt: skip
