"""The Python API: traces as objects (the CLI draws the same ones), and the architecture's
promise that no layer but the registries names an activation or a loss."""

from __future__ import annotations

import io
import re

import numpy as np
import pytest
import yaml
from conftest import CONFIGS, ROOT
from rich.console import Console

import nntrace
from nntrace.notation.nodes import Q


def plain(renderable) -> str:
    console = Console(record=True, file=io.StringIO(), width=100, color_system=None, force_terminal=False)
    console.print(renderable)
    return console.export_text()


def test_a_step_is_data_the_paper_numbers_in_its_result():
    step = nntrace.trace(CONFIGS / "paper.yaml").epoch(1).step(2)
    assert step.title == "Input of the hidden layer"
    (equation,) = step.equations
    assert isinstance(equation.result, Q) and equation.result.key == "H_in"
    assert equation.result.value[1, 2] == pytest.approx(1.62)  # the paper prints 1.452


def test_a_trace_from_a_dict_and_from_yaml_text():
    document = yaml.safe_load((CONFIGS / "paper.yaml").read_text(encoding="utf-8"))
    from_dict = nntrace.trace(document).epoch(2)
    from_text = nntrace.trace((CONFIGS / "paper.yaml").read_text(encoding="utf-8")).epoch(2)
    assert from_dict.solutions[0].loss == from_text.solutions[0].loss
    # epoch 2 starts from epoch 1's parameters: its W_out is 0.295, 0.245, 0.225
    givens = from_dict.step(1)
    w_out = next(eq.result.value for eq in givens.equations if eq.result.key == "W_out")
    np.testing.assert_allclose(w_out.ravel(), [0.295, 0.245, 0.225], atol=5e-4)


def test_explain_forward_and_summary():
    trace = nntrace.trace(CONFIGS / "essay-one-neuron.yaml")
    (explanation,) = trace.explain("W_out[1,1]").explanations
    assert explanation.gradient == pytest.approx(-0.142, abs=5e-4)
    assert explanation.new_value == pytest.approx(0.1571, abs=5e-5)
    forward = nntrace.trace(CONFIGS / "xor-step.yaml").forward()
    assert forward.number == 0 and forward.records[0].quantities["O_out"].ravel().tolist() == [0, 1, 1, 0]
    summary = nntrace.trace(CONFIGS / "paper-training.yaml").summary(epochs=10)
    assert len(summary.losses) == 10 and summary.losses[0] == pytest.approx(0.33918, abs=1e-5)


def test_api_objects_draw_as_the_cli_prints_them(cli, monkeypatch):
    monkeypatch.chdir(ROOT)
    options = nntrace.RenderOptions(precision=3)
    drawn = plain(nntrace.trace("configs/two-hidden.yaml", options=options).epoch(1))
    printed = cli("run", "configs/two-hidden.yaml", width="100").stdout
    assert drawn in printed
    assert "∂L/∂W_out[1,1] by the chain rule" in plain(nntrace.trace("configs/paper.yaml").explain("W_out[1,1]"))


def test_no_layer_but_the_registries_names_an_activation_or_a_loss():
    from nntrace.model.activations import ACTIVATIONS
    from nntrace.model.losses import LOSSES

    names = "|".join(sorted({*ACTIVATIONS, *LOSSES}))
    quoted = re.compile(rf"(?<!class=)[\"'](?:{names})[\"']")  # an HTML class named step is no dispatch
    for path in sorted((ROOT / "nntrace").rglob("*.py")):
        if path.parent.name == "model":  # the registries themselves
            continue
        source = path.read_text(encoding="utf-8")
        assert not quoted.findall(source), f"{path.relative_to(ROOT)} names {quoted.findall(source)}"
