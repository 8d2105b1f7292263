"""softplus, elu and silu: values worked out by hand, finite differences, their own notation
in steps, expansions and explain; and an activation registered at run time, with its own
notation, needs nothing else to be traced."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from conftest import CONFIGS, write_spec

from nntrace.engine.network import build_network, train
from nntrace.model.activations import ACTIVATIONS, Activation, register
from nntrace.notation.nodes import Apply, Equation, Num, Op, Power, Sym, seq
from nntrace.spec.validate import parse_spec

ONE_UNIT = """
inputs: [[0.5], [-1.0]]
targets: [[0], [0]]
learning_rate: 0.1
layers:
  - {weights: [[1.0]], biases: [0], activation: ACT, ALPHA}
"""


def unit_values(activation: str, alpha: str = "") -> tuple[np.ndarray, np.ndarray]:
    """The output and slope of one unit at z = 0.5 and z = -1."""
    text = ONE_UNIT.replace("ACT", activation).replace(", ALPHA", f", alpha: {alpha}" if alpha else "")
    spec = parse_spec(text)
    record = train(build_network(spec), spec.inputs, spec.targets, 1, traced={1}).records[0]
    return record.quantities["O_out"].ravel(), record.quantities["slope_O"].ravel()


# By hand: sigma(0.5) = 0.6224593, sigma(-1) = 0.2689414, e^-1 = 0.3678794.
@pytest.mark.parametrize(
    ("activation", "alpha", "outputs", "slopes"),
    [
        # ln(1 + e^z); slope sigma(z)
        ("softplus", "", [0.9740770, 0.3132617], [0.6224593, 0.2689414]),
        # z; e^z - 1 = -0.6321206; slope 1; a + 1 = e^-1
        ("elu", "", [0.5, -0.6321206], [1.0, 0.3678794]),
        # 0.5 (e^-1 - 1) = -0.3160603; slope a + 0.5 = 0.5 e^-1 = 0.1839397
        ("elu", "0.5", [0.5, -0.3160603], [1.0, 0.1839397]),
        # z sigma(z): 0.3112297, -0.2689414; slope sigma + a (1 - sigma): 0.6224593 + 0.3112297 x 0.3775407
        # = 0.7399611, 0.2689414 - 0.2689414 x 0.7310586 = 0.0723295
        ("silu", "", [0.3112297, -0.2689414], [0.7399611, 0.0723295]),
    ],
)
def test_values_worked_out_by_hand(activation, alpha, outputs, slopes):
    a, slope = unit_values(activation, alpha)
    np.testing.assert_allclose(a, outputs, atol=1e-7)
    np.testing.assert_allclose(slope, slopes, atol=1e-7)


@pytest.mark.parametrize("name", ["softplus", "elu", "silu"])
def test_gradcheck_passes_on_two_hidden_layers(cli, name):
    result = cli("gradcheck", str(CONFIGS / f"{name}.yaml"))
    assert result.exit_code == 0, result.stdout
    assert "All 6 parameter matrices agree" in result.stdout


@pytest.mark.parametrize(
    ("name", "slope_line", "explained"),
    [
        ("softplus", "softplus′(H1) = σ(H1_in)", "∂H1_out/∂H1_in[s,2] = σ(H1_in[s,2])"),
        ("elu", "elu′(H2) = 1 where H2_in > 0, else H2_out + 0.5", None),
        ("silu", "silu′(H1) = σ(H1_in) + H1_out ⊙ (1 − σ(H1_in))", "σ(H1_in[s,2]) + H1_out[s,2](1 − σ(H1_in[s,2]))"),
    ],
)
def test_steps_and_explain_write_each_activations_own_slope(cli, name, slope_line, explained):
    out = cli("run", str(CONFIGS / f"{name}.yaml"), width="120").stdout
    assert slope_line in out
    if explained:
        assert explained in cli("explain", str(CONFIGS / f"{name}.yaml"), "W_h1[1,2]", width="140").stdout


def test_expansions_write_each_element_by_hand(cli):
    softplus = cli("run", str(CONFIGS / "softplus.yaml"), "--precision", "4", width="120").stdout
    # H1_in[1,1] = 0.5 x 0.4 - 1 x 0.3 + 0.15 = 0.05; ln(1 + e^0.05) = 0.7184596
    assert f"H1_out[1,1] = ln(1 + e^0.0500) = {math.log1p(math.exp(0.05)):.4f}" in softplus
    elu = cli("run", str(CONFIGS / "elu.yaml"), width="120").stdout
    assert "H1_out[1,2] = e^-1 − 1 = -0.632" in elu  # H1_in[1,2] = -0.3 - 0.5 - 0.2 = -1
    assert "H2_out[3,1] = 0.5 × (e^" in elu  # the second layer's alpha
    silu = cli("run", str(CONFIGS / "silu.yaml"), width="120").stdout
    assert "H1_out[1,3] = 1.100 / (1 + e^-1.100) = 0.825" in silu  # 1.1 sigma(1.1) = 1.1 x 0.750260 = 0.8253


@dataclasses.dataclass(frozen=True)
class Cube(Activation):
    """A throwaway activation: z^3 / 3, slope z^2, registered by the test alone."""

    name: str = "cube"
    symbol: Sym = Sym("cube")

    def forward(self, z):
        return z**3 / 3.0

    def slope(self, z, a):
        return z * z

    def definition(self):
        z = Sym("z")
        return Equation(Apply(self.function, (z,)), seq(Power(z, Num(3, exact=True)), Op.PRODUCT, Num(1 / 3)))

    def slope_formula(self, a, z):
        return Power(z, Num(2, exact=True))

    def element(self, z, index, axis):
        return seq(Num(float(z[index])), Op.PRODUCT, Num(float(z[index])), Op.PRODUCT, Num(float(z[index])),
                   Op.PRODUCT, Num(1 / 3, exact=True))  # fmt: skip

    def slope_element(self, z, a):
        return seq(Num(z), Op.PRODUCT, Num(z))


@pytest.fixture
def cube():
    register(Cube())
    yield
    del ACTIVATIONS["cube"]


def test_an_activation_registered_at_run_time_shows_its_own_notation(cli, tmp_path, cube):
    spec = (
        "inputs: [[0.5, -1.0], [1.0, 0.5]]\ntargets: [[1], [0]]\nlearning_rate: 0.1\n"
        "layers:\n  - {weights: [[0.4, -0.6], [0.3, 0.5]], biases: [0.1, -0.2], activation: cube}\n"
        "  - {weights: [[0.7], [-0.5]], biases: [0.05]}\n"
    )
    path = write_spec(tmp_path, spec)
    out = cli("run", path, width="120").stdout
    assert "H_out = cube(H_in)" in out and "H_out = np.ndarray" not in out
    assert "cube′(H) = H_in ⊙ H_in" in out  # the slope formula line
    assert "slope_H = H_in * H_in" in out  # its code
    # H_in[1,1] = 0.5 x 0.4 - 1 x 0.3 + 0.1 = 0; H_in[1,2] = -0.3 - 0.5 - 0.2 = -1
    assert "H_out[1,2] = -1 × -1 × -1 × 0.333333 = -0.333" in out
    assert "cube′(H)[1,2] = -1 × -1 = 1" in out
    explained = cli("explain", path, "W_h[1,2]", width="120").stdout
    assert "∂H_out/∂H_in[s,2] = H_in[s,2]²" in explained and "the slope of cube" in explained
    assert cli("gradcheck", path).exit_code == 0


def test_silu_below_the_sigmoid_floor_keeps_its_digits():
    # At z = -710.67, e^-z overflows float64; sigmoid is held at 1.2e-308 there, which silu's
    # z . sigma(z) would turn into -8.6e-306. By hand: z / (1 + e^-z) = z . e^z (1 + e^z ≈ 1)
    # = -710.67 x 2.2905e-309 = -1.62783e-306.
    import math

    import numpy as np

    from nntrace.model.activations import ACTIVATIONS

    silu = ACTIVATIONS["silu"]
    z = np.array([[-710.67, 0.5]])
    assert math.isclose(silu.forward(z)[0, 0], -710.67 * math.exp(-710.67), rel_tol=1e-12)
    assert math.isclose(silu.forward(z)[0, 1], 0.5 / (1 + math.exp(-0.5)), rel_tol=1e-15)
