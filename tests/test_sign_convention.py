"""One sign convention, stated: delta: -dL/dz (the paper's, the default) or delta: dL/dz (Mazur's,
Nielsen's, Goodfellow's). The numbers below are the paper's, worked by hand: O_out[1,1] = 0.789 and
y = 1, so the error is 0.211 one way and -0.211 the other; delta_out[1,1] = 0.211 x 0.166 = 0.035 or
-0.035; the updated weights are the same either way (0.295, 0.245, 0.225)."""

from __future__ import annotations

import json
import re

import pytest
from conftest import CONFIGS, write_spec

import nntrace


@pytest.fixture
def gradient_spec(tmp_path):
    text = (CONFIGS / "paper.yaml").read_text("utf-8").replace("learning_rate: 0.1", "learning_rate: 0.1\ndelta: dL/dz")
    return write_spec(tmp_path, text)


def test_the_head_says_which_convention_is_in_force(cli, gradient_spec):
    assert "δ = −∂L/∂z, as the paper writes it" in cli("run").stdout
    assert "δ = ∂L/∂z, the gradient" in cli("run", gradient_spec).stdout


def test_the_steps_follow_the_gradient_convention(cli, gradient_spec):
    out = cli("run", gradient_spec, width="100").stdout
    assert "math  ∂L/∂O_out = O_out − y" in out
    assert "∂L/∂O_out[1,1] = 0.789 − 1 = -0.211" in out
    assert "δ_out[1,1] = -0.211 × 0.166 = -0.035" in out
    assert "math  ∂L/∂H_out = δ_out · W_outᵀ" in out
    assert "math  W_out ← W_out − η · H_outᵀ · δ_out" in out
    assert "W_out -= eta * np.dot(H_out.T, delta_out)" in out
    # The updated weights do not depend on how the deltas are signed.
    assert re.search(r"W_out\[1,1\] = 0\.300 − 0\.1 × 0\.049 = 0\.295", out)
    assert "b_out[1] = 0.690 − 0.1 × 0.064 = 0.684" in out


def test_the_paper_convention_is_unchanged(cli):
    out = cli("run", width="100").stdout
    assert "E[1,1] = 1 − 0.789 = 0.211" in out and "δ_out[1,1] = 0.211 × 0.166 = 0.035" in out
    assert "math  W_out ← W_out + η · H_outᵀ · δ_out" in out


def test_the_json_trace_writes_the_quantities_in_the_convention(cli, gradient_spec, tmp_path):
    descent, gradient = tmp_path / "descent.json", tmp_path / "gradient.json"
    cli("run", "--json", str(descent))
    cli("run", gradient_spec, "--json", str(gradient))
    one, other = (json.loads(path.read_text("utf-8")) for path in (descent, gradient))
    assert one["spec"]["delta"] == "-dL/dz" and other["spec"]["delta"] == "dL/dz"
    first, second = one["records"][0], other["records"][0]
    assert first["quantities"]["delta_out"][0][0] == pytest.approx(0.03503, abs=1e-5)
    assert second["quantities"]["delta_out"][0][0] == pytest.approx(-0.03503, abs=1e-5)
    assert second["quantities"]["E"][0][0] == pytest.approx(0.789 - 1, abs=1e-3)
    assert second["quantities"]["dW_out"][0][0] == pytest.approx(0.0485, abs=1e-4)
    assert second["quantities"]["H_out"] == first["quantities"]["H_out"]
    assert second["params_after"] == first["params_after"]


def test_explain_relates_the_chain_to_the_steps_delta(cli, gradient_spec):
    assert "(∂L/∂O_in[s,k] = −δ_out[s,k]: the delta of out in the steps, where δ = −∂L/∂z)" in cli(
        "explain", "W_h[2,3]", width="100"
    ).stdout
    assert "(∂L/∂O_in[s,k] = δ_out[s,k]: the delta of out in the steps, where δ = ∂L/∂z)" in cli(
        "explain", gradient_spec, "W_h[2,3]", width="100"
    ).stdout


def test_the_api_chooses_the_convention(gradient_spec):
    delta = nntrace.trace("paper", delta="dL/dz").epoch(1).step(7).equations[0].result.value
    assert delta[0, 0] == pytest.approx(-0.03503, abs=1e-5)
    assert nntrace.trace(gradient_spec).epoch(1).step(7).equations[0].result.value[0, 0] == pytest.approx(-0.03503, abs=1e-5)
    with pytest.raises(nntrace.SpecError, match="delta"):
        nntrace.trace("paper", delta="gradient")


def test_an_unknown_convention_is_refused(cli, tmp_path):
    path = write_spec(tmp_path, (CONFIGS / "paper.yaml").read_text("utf-8") + "delta: gradient\n")
    result = cli("run", path)
    assert result.exit_code == 2
    assert "delta: unknown value 'gradient'" in result.stderr and "-dL/dz, dL/dz" in result.stderr


def test_the_documents_follow_the_convention(cli, gradient_spec):
    latex = cli("export", gradient_spec, "--to", "latex").stdout
    assert r"\frac{\partial L}{\partial O_{\mathrm{out}}} &= O_{\mathrm{out}} - y" in latex
    assert r"\delta = \frac{\partial L}{\partial z}" in latex


def test_claims_follow_the_convention(tmp_path):
    claims = tmp_path / "claims.yaml"
    claims.write_text(
        f"spec: {tmp_path / 'spec.yaml'}\nclaims:\n  - δ_out: [-0.035, -0.033, 0.131]\n    W_out+: [0.295, 0.245, 0.225]\n",
        encoding="utf-8",
    )
    write_spec(tmp_path, (CONFIGS / "paper.yaml").read_text("utf-8") + "delta: dL/dz\n")
    assert nntrace.check(claims).wrong == []
