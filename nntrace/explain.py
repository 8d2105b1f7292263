"""One parameter's gradient by the chain rule, factor by factor, from a recorded pass.

For a weight w from unit i of the layer before into neuron j of layer l:
    dL/dw = sum over samples s of  dL/da[s,j] * da/dz[s,j] * dz/dw,   dz/dw = a_prev[s,i]
where dL/da is the loss's own slope at the output, and for a hidden layer the sum
over the paths through the next layer: dL/da[s,j] = sum_k dL/dz_next[s,k] * W_next[j,k].
A bias has dz/db = 1. The update is w - eta * dL/dw. The factors are read from the
record and multiplied here, apart from the engine's matrix products, so comparing
the two (and finite differences) checks both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from nntrace.engine import Network, Record

_REFERENCE = re.compile(r"^\s*([A-Za-z][A-Za-z0-9_]*)\s*\[\s*(\d+)\s*(?:,\s*(\d+)\s*)?\]\s*$")


class UnknownParameter(ValueError):
    """A parameter reference that does not name an entry of the network."""


@dataclass(frozen=True)
class Parameter:
    key: str  # W_out, b_h, ...
    label: str  # W_out[1,1], as papers index it (1-based, in the spec's layout)
    layer: int  # position in network.layers
    is_bias: bool
    source: int  # 0-based unit of the layer before (weights only)
    neuron: int  # 0-based neuron of the layer


@dataclass(frozen=True)
class Factor:
    symbol: str
    formula: str
    meaning: str
    values: np.ndarray  # one per sample


@dataclass(frozen=True)
class Path:
    """dL/dz_next[s,k] * W_next[j,k] for every k: the ways a hidden neuron reaches the loss."""

    weights: np.ndarray  # W_next[j, k] over k
    upstream: np.ndarray  # samples x k: dL/dz_next


@dataclass(frozen=True)
class Explanation:
    parameter: Parameter
    epoch: int
    value: float
    factors: tuple[Factor, ...]
    products: np.ndarray  # per sample
    gradient: float
    learning_rate: float
    new_value: float
    fixed: bool  # a bias the spec keeps fixed: it is not updated
    path: Path | None  # for hidden-layer parameters
    slope_cancels: bool


def valid_parameters(network: Network, layout: str) -> list[str]:
    def span(n: int) -> str:
        return "1" if n == 1 else f"1..{n}"

    names = []
    for layer in network.layers:
        n_in, n_out = layer.weights.shape
        rows, cols = (n_out, n_in) if layout == "columns" else (n_in, n_out)
        names.append(f"{layer.names.weights.key}[{span(rows)},{span(cols)}]")
        names.append(f"{layer.names.biases.key}[{span(n_out)}]")
    return names


def parse_parameter(text: str, network: Network, layout: str) -> Parameter:
    """W_out[1,1] or b_h[2] (1-based; weights indexed as the spec types them)."""
    match = _REFERENCE.match(text)
    listing = "valid: " + ", ".join(valid_parameters(network, layout))
    if not match:
        raise UnknownParameter(f"{text!r} is not a parameter reference such as W_out[1,1] or b_h[2]; {listing}")
    key, first, second = match.group(1), int(match.group(2)), match.group(3)
    for position, layer in enumerate(network.layers):
        n_in, n_out = layer.weights.shape
        if key == layer.names.weights.key and second is not None:
            row, col = first, int(second)
            source, neuron = (col - 1, row - 1) if layout == "columns" else (row - 1, col - 1)
            if 0 <= source < n_in and 0 <= neuron < n_out:
                return Parameter(key, f"{key}[{row},{col}]", position, False, source, neuron)
        if key == layer.names.biases.key and second is None and 1 <= first <= n_out:
            return Parameter(key, f"{key}[{first}]", position, True, 0, first - 1)
    raise UnknownParameter(f"{text!r} names no parameter of this network; {listing}")


def explain(network: Network, record: Record, parameter: Parameter, layout: str) -> Explanation:
    layers = network.layers
    layer = layers[parameter.layer]
    names, j = layer.names, parameter.neuron
    q = record.quantities
    at = _element_format(layout)

    path = None
    cancels = parameter.layer == len(layers) - 1 and network.loss.slope_cancels
    if parameter.layer == len(layers) - 1:
        # E = -dL/dO (the engine's error term), so the loss's own slope is -E.
        loss_slope = -q[names.error.key][:, j]
        if cancels:
            factors = [
                Factor(
                    f"\u2202L/\u2202{names.z.symbol}{at('s', j)}",
                    f"{names.a.symbol} \u2212 y",
                    f"{network.loss.name} through {layer.activation.name}: the slope cancels",
                    loss_slope,
                )
            ]
        else:
            factors = [
                Factor(
                    f"\u2202L/\u2202{names.a.symbol}{at('s', j)}",
                    _loss_slope_formula(network, names.a.symbol),
                    "how the loss changes with the output",
                    loss_slope,
                )
            ]
    else:
        after = layers[parameter.layer + 1]
        upstream = -q[after.names.delta.key]  # dL/dz of the next layer, sample x k
        weights = record.params_before[after.names.weights.key][j, :]
        path = Path(weights, upstream)
        factors = [
            Factor(
                f"\u2202L/\u2202{names.a.symbol}{at('s', j)}",
                f"\u03a3\u2096 \u2202L/\u2202{after.names.z.symbol}{at('s', 'k')} \u00b7 "
                f"{after.names.weights.key}{_weight_index(layout, j, 'k')}",
                "the sum over the paths through the next layer",
                upstream @ weights,
            )
        ]
    if not cancels:
        factors.append(
            Factor(
                f"\u2202{names.a.symbol}/\u2202{names.z.symbol}{at('s', j)}",
                layer.activation.slope_of(f"{names.a.symbol}{at('s', j)}", f"{names.z.symbol}{at('s', j)}"),
                f"the slope of {layer.activation.name}",
                q[names.slope.key][:, j],
            )
        )
    if parameter.is_bias:
        factors.append(
            Factor(
                f"\u2202{names.z.symbol}/\u2202{parameter.label}",
                "1",
                "a bias is added as it is",
                np.ones(len(record.samples)),
            )
        )
    else:
        source_key = network.input_key(parameter.layer)
        factors.append(
            Factor(
                f"\u2202{names.z.symbol}/\u2202{parameter.label}",
                f"{source_key}{at('s', parameter.source)}",
                "the input the weight multiplies",
                q[source_key][:, parameter.source],
            )
        )

    products = np.prod(np.array([factor.values for factor in factors]), axis=0)
    gradient = float(products.sum())
    value = _parameter_value(record.params_before, parameter)
    rate = network.learning_rate
    fixed = parameter.is_bias and not layer.train_biases
    return Explanation(
        parameter=parameter,
        epoch=record.epoch,
        value=value,
        factors=tuple(factors),
        products=products,
        gradient=gradient,
        learning_rate=rate,
        new_value=value if fixed else value - rate * gradient,
        fixed=fixed,
        path=path,
        slope_cancels=cancels,
    )


def _parameter_value(params: dict[str, np.ndarray], parameter: Parameter) -> float:
    value = params[parameter.key]
    return float(value[parameter.neuron] if parameter.is_bias else value[parameter.source, parameter.neuron])


def _loss_slope_formula(network: Network, output: str) -> str:
    return {"half_sse": f"{output} \u2212 y", "sse": f"2({output} \u2212 y)", "mse": f"2({output} \u2212 y) / nk"}[
        network.loss.name
    ]


def _element_format(layout: str):
    def at(sample, unit) -> str:
        unit = unit + 1 if isinstance(unit, int) else unit
        return f"[{unit},{sample}]" if layout == "columns" else f"[{sample},{unit}]"

    return at


def _weight_index(layout: str, j: int, k: str) -> str:
    return f"[{k},{j + 1}]" if layout == "columns" else f"[{j + 1},{k}]"
