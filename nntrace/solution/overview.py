"""What a trace is of, as facts in prose and notation: the spec, the network, the loss, the settings.

Every format writes these at the head of its worked solution.
"""

from __future__ import annotations

from nntrace.common.records import NamedTuple
from nntrace.common.wording import counted
from nntrace.model.counts import parameter_counts
from nntrace.model.initialisers import description
from nntrace.model.optimizers import PLAIN_SGD, SYMBOLS
from nntrace.notation.names import LEARNING_RATE, Convention, delta_definition, descent
from nntrace.notation.nodes import Deriv, Equation, Group, Num, Op, Remark, Sym, seq
from nntrace.notation.numbers import NumberFormat

LISTED_NAMES = 12  # more column names than this: the first and last few around an ellipsis


def _names(names: tuple[str, ...]) -> str:
    if len(names) <= LISTED_NAMES:
        return ", ".join(names)
    return f"{', '.join(names[:4])}, \u2026, {', '.join(names[-2:])} ({len(names)} columns)"


def _samples(spec) -> str:
    held_out = spec.test_inputs
    test = f" (and {len(held_out):,} held out as a test set)" if held_out is not None else ""
    return f"{len(spec.inputs):,} samples{test}"


def _optimizer(spec) -> Remark:
    """The update rule with its settings, and the conventions that differ from the paper's."""
    optimizer = spec.optimizer
    parts: list = [f"{optimizer.label} ({optimizer.name}"]
    for name, value in optimizer.numbers.items():
        parts += [", ", Equation(SYMBOLS[name], Num(value, exact=True))]
    parts.append(")")
    if spec.update_order == "output_first":
        parts.append("; output_first: each layer is updated before the error of the layer below uses its weights")
    if spec.shared_biases:
        parts.append("; one bias per layer, shared by its neurons")
    return Remark(tuple(parts))


def _convention(convention: Convention) -> Remark:
    """The sign convention of δ in force, and what it makes of the error and the updates."""
    z, theta = Sym("z"), Sym("theta")
    delta = Equation(Sym("delta"), delta_definition(convention, z))
    rate = LEARNING_RATE.symbol
    if convention is Convention.DESCENT:
        update = Equation(theta, seq(theta, Op.PLUS, rate, Op.PRODUCT, Group(descent(theta))), Op.ASSIGN)
        return Remark((delta, ", as the paper writes it: ", Equation(Sym("E"), descent(Sym("O"))), ", ", update))
    update = Equation(theta, seq(theta, Op.MINUS, rate, Op.PRODUCT, Deriv(Sym("L"), theta)), Op.ASSIGN)
    return Remark((delta, ", the gradient (delta: dL/dz): ", update))


class Facts(NamedTuple):
    """What a trace is of: its title, then labelled lines (the network, the loss, the settings)."""

    title: str
    rows: tuple[tuple[str, Remark], ...]


def trace_facts(spec, network, numbers: NumberFormat, rounding: int | None = None) -> Facts:
    """What is being traced: the spec, the network, the loss and the settings."""
    layers = network.layers
    shape = " \u2192 ".join(
        [f"{spec.inputs.shape[1]} inputs"]
        + [f"{layer.size} {layer.activation.name} ({layer.names.layer})" for layer in layers]
    )
    count = sum(parameter_counts([spec.inputs.shape[1]] + [layer.size for layer in layers]))
    rows = [("spec", Remark((spec.source,)))]
    if spec.data is not None:
        rows.append(
            (
                "data",
                Remark(
                    (
                        f"{spec.data.csv.name}: {_samples(spec)}; features {_names(spec.feature_names)}; "
                        f"target {_names(spec.target_names)}; normalize {spec.data.normalize}",
                    )
                ),
            )
        )
    rows.append(("network", Remark((f"{shape}; {count:,} parameters",))))
    if spec.trains:
        batch = "full batch" if spec.batch_size is None else f"batches of {spec.batch_size:,}"
        if spec.shuffle is not None:
            batch += f", shuffled (seed {spec.shuffle})"
        epochs = counted(spec.epochs, "epoch")
        rate = Equation(LEARNING_RATE.symbol, Num(network.learning_rate, exact=True))
        training = (f"loss: {network.loss.title}, ", network.loss.formula(), "; ", rate, f"; {epochs}; {batch}")
        rows.append(("training", Remark(training)))
        if spec.optimizer != PLAIN_SGD or spec.update_order != "simultaneous" or spec.shared_biases:
            rows.append(("optimizer", _optimizer(spec)))
        rows.append(("delta", _convention(network.convention)))
    else:
        rows.append(("training", Remark(("none: forward pass only",))))
    layout = spec.layout
    rows.append(("layout", Remark((f"{layout.name}: {layout.per_sample}, ", layout.layer_formula()))))
    if spec.init is not None:
        law = description(spec.init.method)
        rows.append(("init", Remark((f"{spec.init.method}, seed {spec.init.seed}: ", *law,
                                     " (for the parameters the spec leaves out)"))))  # fmt: skip
    if rounding is not None:
        rows.append(
            ("rounding", Remark((f"every intermediate rounded to {rounding} decimals before use, as by hand",)))
        )
    rows.append(("precision", Remark((numbers.describe(),))))
    return Facts(spec.name or "nntrace trace", tuple(rows))
