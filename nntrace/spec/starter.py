"""A commented starter spec for a dense network of given layer sizes (`nntrace new 2 3 1`).

The numbers are small and typed out, so the first trace can be checked by hand. The keys are the
spec's own (validate.TOP_LEVEL_KEYS and LAYER_KEYS, in their order), so a key added to the spec
appears here too: those a starter sets are written out, every other one is shown commented out
with a value that may be uncommented as it is, and the choices (activations, losses, optimisers,
initialisations) are listed from their registries.
"""

from __future__ import annotations

import numpy as np

from nntrace.model.activations import ACTIVATIONS, DEFAULT_ACTIVATION
from nntrace.model.initialisers import DRAWS
from nntrace.model.losses import DEFAULT_LOSS, LOSSES, REDUCTIONS
from nntrace.model.optimizers import OPTIMIZERS
from nntrace.notation.names import CONVENTIONS, Convention
from nntrace.spec.validate import BIAS_SHARING, LAYER_KEYS, NORMALIZATIONS, TOP_LEVEL_KEYS, UPDATE_ORDERS

MAX_STARTER_SIZE = 64  # neurons per layer that are still worth typing out
SAMPLES = 3
COMMENT_AT = 36  # the column the comments start at


def _row(values) -> str:
    return "[" + ", ".join(f"{value:g}" for value in values) + "]"


def _matrix(rows) -> str:
    return "[" + ", ".join(_row(row) for row in rows) + "]"


def _activations() -> str:
    notes = {name: " (output only)" if act.output_only else "" if act.trainable else " (forward only)"
             for name, act in ACTIVATIONS.items()}  # fmt: skip
    return ", ".join(name + notes[name] for name in ACTIVATIONS)


def _another_activation() -> str:
    """An activation a hidden layer may have instead of the default, for the example."""
    return next(name for name, act in ACTIVATIONS.items()
                if name != DEFAULT_ACTIVATION and act.trainable and not act.output_only)  # fmt: skip


def _optional_keys() -> dict[str, tuple[str, str]]:
    """What a key left at its default looks like commented out: (a value that may be uncommented as
    it is, what the key does)."""
    return {
        "version": ("1", "the spec format"),
        "data": ("{csv: samples.csv, target: label, normalize: max, test_rows: 0}",
                 f"samples from a CSV file instead of inputs: and targets: (normalize: {', '.join(NORMALIZATIONS)})"),
        "reduction": ("sum", f"{' or '.join(REDUCTIONS)}: mean divides the loss by the batch's samples"),
        "optimizer": ("sgd", f"{', '.join(OPTIMIZERS)}, or e.g. {{name: adam, beta1: 0.9}}"),
        "update_order": ("simultaneous", f"{' or '.join(UPDATE_ORDERS)}: hidden errors through updated weights"),
        "bias_sharing": ("per_neuron", f"{' or '.join(BIAS_SHARING)}: one bias per layer"),
        "layout": ("rows", "or columns: weights typed one row per neuron (z = W . x + b)"),
        "init": ("{method: numpy_rand, seed: 42}",
                 f"draws the weights and biases you leave out: {', '.join(DRAWS)}"),
        "batch_size": ("full", "or a number of samples per update"),
        "shuffle": ("7", "a seed: shuffle the samples every epoch (default false)"),
        "train_biases": ("false", "keep every bias fixed (default true)"),
        "delta": (Convention.DESCENT.value, f"what δ is: {' or '.join(CONVENTIONS)} (the paper's, or the gradient)"),
        "precision": ("3", "decimals shown, unless --precision says otherwise"),
        "digits": ("4", "significant digits shown instead of decimals"),
    }  # fmt: skip


def _optional_layer_keys(number: int) -> dict[str, tuple[str, str]]:
    return {
        "name": (f"layer{number}", f"names its quantities: W_layer{number}, layer{number}_in, ..."),
        "activation": (_another_activation(), "this layer's own, instead of the spec's"),
        "alpha": ("0.01", "for leaky_relu, its slope below 0; for elu, its scale"),
        "train_biases": ("false", "keep this layer's biases fixed"),
    }


def _line(text: str, comment: str) -> str:
    """`text` with its comment beside it, or above it where the two would make a long line."""
    if len(text) < COMMENT_AT - 1 and COMMENT_AT + len(comment) <= 100:
        return f"{text.ljust(COMMENT_AT - 1)} # {comment}"
    indent = text[: len(text) - len(text.lstrip())]
    return f"{indent}# {comment}:\n{text}"


def starter_spec(sizes: list[int], seed: int = 1) -> str:
    """YAML text of a spec with inputs of sizes[0] features and layers of sizes[1:] neurons."""
    rng = np.random.RandomState(seed)
    n_in, n_out = sizes[0], sizes[-1]
    inputs = rng.randint(0, 2, (SAMPLES, n_in))
    targets = rng.randint(0, 2, (SAMPLES, n_out))
    given = {
        "name": ("My network", None),
        "inputs": (_matrix(inputs), f"one sample per row, {n_in} feature(s) each"),
        "targets": (_matrix(targets), f"one row per sample, {n_out} value(s) each"),
        "activation": (DEFAULT_ACTIVATION, _activations()),
        "loss": (DEFAULT_LOSS, ", ".join(LOSSES)),
        "learning_rate": ("0.1", None),
        "epochs": ("1", None),
    }
    optional = _optional_keys()
    lines = [
        f"# A starter spec: {' -> '.join(str(size) for size in sizes)} (inputs first), written by `nntrace new`.",
        "# Replace the samples and the numbers with your own; `nntrace run THIS_FILE` traces it.",
        "# Every key is explained in the README's spec format; the commented ones are optional.",
    ]
    for key in TOP_LEVEL_KEYS:
        if key == "layers":
            lines += ["layers:", *_layers(sizes, rng)]
        elif key in given:
            value, comment = given[key]
            lines.append(_line(f"{key}: {value}", comment) if comment else f"{key}: {value}")
        else:
            value, comment = optional.get(key, ("...", "see the README's spec format"))
            lines.append(_line(f"# {key}: {value}", comment))
    return "\n".join(lines) + "\n"


def _layers(sizes: list[int], rng: np.random.RandomState) -> list[str]:
    lines = []
    for number, (before, size) in enumerate(zip(sizes, sizes[1:]), start=1):
        role = "the output layer" if number == len(sizes) - 1 else f"hidden layer {number}"
        weights = np.round(rng.uniform(0.05, 0.95, (before, size)), 2)
        biases = np.round(rng.uniform(0.05, 0.95, size), 2)
        lines.append(f"  - # {role}: {size} neuron(s), weights one row per input ({before}) and one column per neuron")
        optional = _optional_layer_keys(number)
        for key in LAYER_KEYS:
            if key == "weights":
                lines.append(f"    weights: {_matrix(weights)}")
            elif key == "biases":
                lines.append(f"    biases: {_row(biases)}")
            elif key == "size":
                lines.append(_line(f"    # size: {size}", "the neurons, needed only when init: draws the weights"))
            else:
                value, comment = optional.get(key, ("...", "see the README's spec format"))
                lines.append(_line(f"    # {key}: {value}", comment))
    return lines
