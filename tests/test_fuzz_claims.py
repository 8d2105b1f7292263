"""Generated claims files, valid and not, through `nntrace check` (hypothesis): names with Unicode
and superscript digits, numbers with extreme exponents and too many digits, epochs and batches out
of range, nulls, lists of the wrong shape. Every run ends with exit code 0, 1 or 2, never with a
traceback, and a JSON report has no NaN or infinity."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from conftest import CONFIGS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nntrace.cli import main

pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")

SPECS = ["paper.yaml", "softmax.yaml", "essay-one-neuron.yaml", "paper-adam.yaml", "classic-2-2-2-columns.yaml"]
NAMES = [
    "H_in", "H_out", "O_in", "O_out", "E", "E_hidden", "δ_out", "delta_hidden", "σ′(O)", "slope_H", "softmax′(O)",
    "W_h", "W_out+", "b_h⁺", "dW_out", "∂L/∂W_h", "-dL/dO_in", "∂L/∂X", "ΔW_out", "η·∂L/∂b_h", "e^O_in",
    "Σe^O_in", "m_W_out", "v_W_h", "L", "L_epoch", "X", "y", "W_h²", "H_in₁", "Ｈ_in", "H_in\u202e", "δ", "",
]  # fmt: skip
NUMBERS = st.one_of(
    st.decimals(allow_nan=False, allow_infinity=False).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["1e99999", "-1e-99999", "1e308", "5e-324", "0.47324999999999995", "1" + "0" * 4400,
                     "0." + "3" * 200, "1_000", "0x1F", "½", "²", "1,5", ".5", "-0", "+0.5", "~", "null", "true"]),
    st.integers(-10**20, 10**20).map(str),
)  # fmt: skip
INDICES = st.one_of(
    st.just(""),
    st.tuples(st.integers(-1, 12), st.integers(-1, 12)).map(lambda ij: f"[{ij[0]},{ij[1]}]"),
    st.integers(0, 12).map(lambda i: f"[{i}]"),
    st.sampled_from(["[²,1]", "[1,１]", "[1,2,3]", "[]", "[a]", "[1", "1]"]),
)


@st.composite
def values(draw):
    """A claimed value: one number, a flat list, a list of rows (of any shape), or something odder."""
    kind = draw(st.integers(0, 4))
    if kind == 0:
        return draw(NUMBERS)
    if kind == 1:
        return "[" + ", ".join(draw(st.lists(NUMBERS, max_size=5))) + "]"
    if kind == 2:
        rows = draw(st.lists(st.lists(NUMBERS, min_size=1, max_size=4), min_size=1, max_size=4))
        return "[" + ", ".join("[" + ", ".join(row) + "]" for row in rows) + "]"
    if kind == 3:
        return "{a: 1}"
    return draw(st.sampled_from(["~", "[~, ~, ~]", "[[~], [~], [~]]", "''", "[[]]"]))


CLEAN_NAMES = ["H_in", "H_out", "O_in", "O_out", "E", "δ_out", "delta_out", "W_out+", "W_h", "∂L/∂W_h", "dW_out",
               "ΔW_out", "-dL/dO_in", "∂L/∂X", "L", "L_epoch", "db_h", "b_out⁺"]  # valid in every spec above
CLEAN_NUMBERS = st.one_of(
    st.floats(-2, 2, allow_nan=False).map(lambda v: f"{v:.{abs(hash(v)) % 7}f}"),
    st.floats(-2, 2, allow_nan=False).map(repr),  # as print() writes them: up to 17 digits
    st.sampled_from(["0", "0.5", "1e-3", "-0.035", "0.47325"]),
)


@st.composite
def claims_files(draw) -> str:
    """A claims file that is valid in form, then, about half the time, something hostile put in."""
    hostile = draw(st.booleans())
    lines = [f"spec: {(CONFIGS / draw(st.sampled_from(SPECS))).as_posix()}"]
    if draw(st.booleans()):
        options = ["0", "1"] + (["-1", "1.5", "x", "99999999999999999999"] if hostile else [])
        lines.append(f"tolerance: {draw(st.sampled_from(options))}")
    if draw(st.booleans()):
        options = ["printed", "3"] + (["0", "9", "3.0", "true", "²"] if hostile else [])
        lines.append(f"round: {draw(st.sampled_from(options))}")
    lines.append("claims:")
    for _ in range(draw(st.integers(1, 3))):
        lines.append("  - source: " + draw(st.text(max_size=12).map(json.dumps)))
        for key in ("epoch", "batch"):
            if draw(st.booleans()):
                options = ["1", "2"] + (["3", "0", "-1", "²", "100000000000", "2001", "1.5", "[1]", "x"] if hostile else [])
                lines.append(f"    {key}: " + draw(st.sampled_from(options)))
        for _ in range(draw(st.integers(1, 4))):
            if hostile:
                name = draw(st.one_of(st.sampled_from(NAMES), st.text(min_size=1, max_size=8)))
                key = json.dumps(name + draw(INDICES) + draw(st.sampled_from(["", "", "+", "⁺"])), ensure_ascii=False)
                lines.append(f"    {key}: {draw(values())}")
            else:
                name = draw(st.sampled_from(CLEAN_NAMES))
                index = "" if name in ("L", "L_epoch") else draw(st.sampled_from(["[1,1]", "[2,1]", "[1]", "[1,1]"]))
                if index == "[1]" and name not in ("db_h", "b_out⁺"):
                    index = "[1,1]"
                if name in ("db_h", "b_out⁺") and index:
                    index = "[1]"
                lines.append(f"    {json.dumps(name + index, ensure_ascii=False)}: {draw(CLEAN_NUMBERS)}")
    return "\n".join(lines) + "\n"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=claims_files(), as_json=st.booleans())
def test_every_claims_file_ends_with_0_1_or_2_and_no_traceback(tmp_path, text, as_json):
    path = tmp_path / "claims.yaml"
    path.write_text(text, encoding="utf-8")
    arguments = ["check", str(path), *(["--json", "-"] if as_json else [])]
    result = CliRunner().invoke(main, arguments, catch_exceptions=True)
    assert result.exit_code in (0, 1, 2), (text, result.exit_code, result.output, result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit), (text, result.exception)
    assert "Traceback" not in result.output
    if as_json and result.exit_code in (0, 1):
        json.loads(result.stdout, parse_constant=_refused)  # strict JSON: no NaN, no Infinity


def _refused(constant: str):
    raise AssertionError(f"the JSON report holds {constant}")
