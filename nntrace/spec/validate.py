"""Load a network spec from YAML and validate it into typed objects.

Every problem is reported as a SpecError that names the field, says what was
expected and what was found, and how to fix it. Matrices are stored in the
engine's row layout (samples are rows, weights are inputs x neurons) whatever
layout the spec was typed in.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from nntrace.common.errors import SpecError
from nntrace.common.records import NamedTuple, record, replace
from nntrace.common.wording import counted
from nntrace.model.activations import ACTIVATIONS, DEFAULT_ACTIVATION
from nntrace.model.initialisers import DRAWS
from nntrace.model.losses import DEFAULT_LOSS, LOSSES, REDUCTIONS
from nntrace.model.optimizers import OPTIMIZERS, PLAIN_SGD, POSITIVE, Optimizer
from nntrace.notation.layout import LAYOUTS, Layout
from nntrace.notation.names import CONVENTIONS, Convention
from nntrace.spec import safe_yaml
from nntrace.spec.reading import read_text
from nntrace.spec.shipped import BUILTIN, example_path, shipped_instead, unknown_example

if TYPE_CHECKING:
    from nntrace.spec.dataset import DataSpec

SPEC_VERSION = 1
INIT_METHODS = tuple(DRAWS)
NORMALIZATIONS = ("max", "minmax", "none")
TOP_LEVEL_KEYS = (
    "version",
    "name",
    "inputs",
    "targets",
    "data",
    "activation",
    "loss",
    "reduction",
    "learning_rate",
    "optimizer",
    "update_order",
    "bias_sharing",
    "epochs",
    "layout",
    "init",
    "batch_size",
    "shuffle",
    "train_biases",
    "delta",
    "precision",
    "digits",
    "layers",
)
LAYER_KEYS = ("name", "weights", "biases", "size", "activation", "alpha", "train_biases")
_NAME_PATTERN = r"^[A-Za-z][A-Za-z0-9]*$"
_NUMBER_TEXT = r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$"
MAX_SPEC_BYTES = 16 * 1024 * 1024
MAX_EPOCHS = 100_000_000  # the loss history alone is 8 bytes an epoch
MAX_SEED = 2**32 - 1  # numpy's legacy generator takes seeds below 2^32
MAX_NUMBERS = 100_000_000  # the parameters and one pass's layer outputs together: 763 MB of float64
UPDATE_ORDERS = ("simultaneous", "output_first")
BIAS_SHARING = ("per_neuron", "per_layer")


@record(eq=False)  # holds arrays, which have no one truth value: compared by identity
class LayerSpec:
    """One layer as the spec gives it, checked: its size, activation and (optional) parameters."""

    index: int  # 1-based, as the user counts layers
    name: str
    weights: np.ndarray | None  # n_in x n_out, or None when drawn by init
    biases: np.ndarray | None  # (n_out,), or None when drawn by init
    size: int
    activation: str
    alpha: float | None  # None: the activation's own default
    train_biases: bool


class InitSpec(NamedTuple):
    """How parameters the spec leaves out are drawn: the method and the seed."""

    method: str
    seed: int


@record(eq=False)  # holds arrays, which have no one truth value: compared by identity
class Spec:
    """A spec, checked: the samples, the layers, the loss and the training settings."""

    name: str | None
    inputs: np.ndarray  # samples x features
    targets: np.ndarray | None  # samples x outputs; None only for a forward-only spec
    layers: tuple[LayerSpec, ...]
    loss: str
    learning_rate: float | None
    epochs: int
    layout: Layout
    init: InitSpec | None
    batch_size: int | None  # None: the full batch
    shuffle: int | None  # None: samples in the order given
    source: str
    data: DataSpec | None = None
    feature_names: tuple[str, ...] | None = None
    target_names: tuple[str, ...] | None = None
    reduction: str = "sum"  # "mean": the loss (and its gradient) divided by the batch's number of samples
    test_inputs: np.ndarray | None = None  # rows held out of training (data.test_rows)
    test_targets: np.ndarray | None = None
    optimizer: Optimizer = PLAIN_SGD
    # "output_first": each layer is updated as soon as its gradient is known, so the error of the
    # layer below uses the updated weights; "simultaneous": every gradient from the epoch's start.
    update_order: str = "simultaneous"
    shared_biases: bool = False  # bias_sharing: per_layer, one bias per layer shared by its neurons
    delta: Convention = Convention.DESCENT  # what δ is: −∂L/∂z (the paper's) or ∂L/∂z
    precision: int | None = None  # decimals shown, unless the command line says otherwise
    digits: int | None = None  # significant digits shown instead of decimals

    @property
    def trains(self) -> bool:
        return self.epochs > 0

    def with_epochs(self, epochs: int, field: str = "--epochs") -> "Spec":
        """The spec trained for `epochs` instead, checked as if it had been written so."""
        if epochs > MAX_EPOCHS:
            raise SpecError(
                field,
                f"expected at most {MAX_EPOCHS:,} epochs, found {describe(epochs)}",
                "train for fewer epochs; the loss of every epoch is kept for the summary",
            )
        if epochs > 0:
            forward_only = "or run the forward pass alone with `nntrace forward` (or `epochs: 0`)"
            if self.targets is None:
                raise SpecError(
                    "targets",
                    f"is missing: training for {counted(epochs, 'epoch')} compares the outputs with targets",
                    f"add `targets:` with one row per sample, {forward_only}",
                )
            if self.learning_rate is None:
                raise SpecError(
                    "learning_rate",
                    f"is missing: training for {counted(epochs, 'epoch')} needs a learning rate",
                    f"add e.g. `learning_rate: 0.1`, {forward_only}",
                )
            _check_trainable(self.layers)
        return replace(self, epochs=epochs)

    def for_training(self) -> "Spec":
        """The spec itself, checked for what training needs (targets, a learning rate, a gradient)."""
        return self.with_epochs(self.epochs, "epochs")


def builtin_example_text() -> str:
    return example_path(BUILTIN).read_text("utf-8")


def load_builtin_example() -> Spec:
    return parse_spec(builtin_example_text(), source=f"built-in example ({BUILTIN}.yaml)")


def load_example(name: str) -> Spec:
    """The shipped example called `name` (see `nntrace examples`)."""
    path = example_path(name)
    if path is None:
        raise unknown_example(name)
    return parse_spec(path.read_text("utf-8"), source=f"example {path.name}", base_dir=path.parent)


def load_spec_or_example(source: str | Path, base_dir: Path | None = None) -> Spec:
    """The spec at `source` (relative to `base_dir`), or, where no such file is, the shipped
    example so named (`two-hidden`)."""
    path = (base_dir or Path()) / source
    if shipped_instead(path, str(source), example_path) is not None:
        return load_example(str(source))
    return load_spec(path)


def load_spec(path: str | Path) -> Spec:
    """Read and validate the spec at `path` (SpecError on any problem)."""
    path = Path(path)
    text = read_text(path, "", MAX_SPEC_BYTES, "a YAML spec")
    return parse_spec(text, source=str(path), base_dir=path.parent)


def parse_spec(text: str, source: str = "<spec>", base_dir: Path | None = None) -> Spec:
    document = safe_yaml.load(text)
    if not isinstance(document, dict):
        raise SpecError(
            "spec",
            f"expected a mapping of keys (inputs:, targets:, layers:, ...), found {describe(document)}",
            "start from an example: `nntrace examples paper -o my.yaml` writes one, or `nntrace new 4 3 1`",
        )
    return _validate(document, source, base_dir or Path.cwd())


def spec_from_document(document: dict, source: str = "<spec>", base_dir: Path | None = None) -> Spec:
    """A spec from the mapping a YAML spec holds (made in memory, as an exercise's drawn variant):
    validated as parse_spec validates one read from text."""
    return _validate(document, source, base_dir or Path.cwd())


def _validate(doc: dict, source: str, base_dir: Path) -> Spec:
    _reject_unknown_keys(doc, TOP_LEVEL_KEYS, "spec")
    version = doc.get("version", SPEC_VERSION)
    if version != SPEC_VERSION:
        raise SpecError(
            "version",
            f"expected {SPEC_VERSION}, found {describe(version)}",
            f"write `version: {SPEC_VERSION}` or leave the key out",
        )
    name = doc.get("name")
    if name is not None and not isinstance(name, str):
        name = str(name)

    epochs = _whole_number(doc.get("epochs", 1), "epochs", minimum=0)
    if epochs > MAX_EPOCHS:
        raise SpecError(
            "epochs",
            f"expected at most {MAX_EPOCHS:,} epochs, found {describe(epochs)}",
            "train for fewer epochs; the loss of every epoch is kept for the summary",
        )
    layout = LAYOUTS[_choice(doc.get("layout", "rows"), "layout", tuple(LAYOUTS))]

    data = feature_names = target_names = test_inputs = test_targets = None
    if "data" in doc:
        if "inputs" in doc or "targets" in doc:
            raise SpecError(
                "data",
                "cannot be combined with inputs:/targets:",
                "give the samples either inline (inputs:, targets:) or from a CSV file (data:)",
            )
        data = _data_spec(doc["data"], base_dir)
        from nntrace.spec.dataset import load_csv  # only a spec that reads a file needs the CSV reader

        samples = load_csv(data)
        inputs, targets = samples.inputs, samples.targets
        test_inputs, test_targets = samples.test_inputs, samples.test_targets
        feature_names, target_names = samples.feature_names, samples.target_names
    else:
        inputs = _matrix(_required(doc, "inputs", "one row per sample, e.g. [[1, 0], [0, 1]]"), "inputs")
        targets = None
        if doc.get("targets") is not None:
            targets = _matrix(doc["targets"], "targets")
    if targets is not None and targets.shape[0] != inputs.shape[0]:
        raise SpecError(
            "targets",
            f"expected one row per sample ({inputs.shape[0]} rows, like inputs), found {targets.shape[0]} rows",
            "give every sample of inputs its target row",
        )

    default_activation = _choice(doc.get("activation", DEFAULT_ACTIVATION), "activation", tuple(ACTIVATIONS))
    default_train_biases = boolean(doc.get("train_biases", True), "train_biases")
    init = _init_spec(doc["init"]) if "init" in doc else None
    layers = _layers(doc, inputs.shape[1], layout, default_activation, default_train_biases, init)

    loss = _choice(doc.get("loss", DEFAULT_LOSS), "loss", tuple(LOSSES))
    reduction = _choice(doc.get("reduction", "sum"), "reduction", REDUCTIONS)
    learning_rate = None
    if doc.get("learning_rate") is not None:
        learning_rate = _positive_number(doc["learning_rate"], "learning_rate")

    if targets is not None and targets.shape[1] != layers[-1].size:
        raise SpecError(
            "targets",
            f"expected {counted(layers[-1].size, 'column')}, one per neuron of the output layer, found {targets.shape[1]}",
            "give each target row one value per output neuron",
        )
    _check_activation_use(layers, loss)
    _check_size(layers, inputs.shape)
    if LOSSES[loss].needs_probabilities and targets is not None:
        # Held-out rows are checked too, numbered as rows of the whole file.
        _check_probabilities(targets if test_targets is None else np.vstack([targets, test_targets]), layers[-1])

    optimizer = _optimizer(doc["optimizer"]) if doc.get("optimizer") is not None else PLAIN_SGD
    update_order = _choice(doc.get("update_order", "simultaneous"), "update_order", UPDATE_ORDERS)
    shared_biases = _choice(doc.get("bias_sharing", "per_neuron"), "bias_sharing", BIAS_SHARING) == "per_layer"
    if shared_biases:
        _check_shared_biases(layers)

    delta = CONVENTIONS[_choice(doc.get("delta", Convention.DESCENT.value), "delta", tuple(CONVENTIONS))]
    precision = _shown_digits(doc, "precision", minimum=0)
    digits = _shown_digits(doc, "digits", minimum=1)
    if precision is not None and digits is not None:
        raise SpecError(
            "digits",
            "cannot be combined with precision: numbers are shown either with decimals or with significant digits",
            "keep one of `precision:` (decimals) and `digits:` (significant digits)",
        )

    batch_size = _batch_size(doc.get("batch_size", "full"), inputs.shape[0])
    shuffle = doc.get("shuffle", False)
    if shuffle is False or shuffle is None:
        shuffle = None
    else:
        shuffle = _seed(shuffle, "shuffle")

    return Spec(
        name=name,
        inputs=inputs,
        targets=targets,
        layers=layers,
        loss=loss,
        learning_rate=learning_rate,
        epochs=epochs,
        layout=layout,
        init=init,
        batch_size=batch_size,
        shuffle=shuffle,
        source=source,
        data=data,
        feature_names=feature_names,
        target_names=target_names,
        test_inputs=test_inputs,
        test_targets=test_targets,
        reduction=reduction,
        optimizer=optimizer,
        update_order=update_order,
        shared_biases=shared_biases,
        delta=delta,
        precision=precision,
        digits=digits,
    )


MAX_SHOWN_DIGITS = 15  # float64 carries about 15 significant digits


def _shown_digits(doc: dict, key: str, minimum: int) -> int | None:
    """`precision:` or `digits:`, a whole number of digits to show, if given."""
    if doc.get(key) is None:
        return None
    value = _whole_number(doc[key], key, minimum=minimum)
    if value > MAX_SHOWN_DIGITS:
        raise SpecError(key, f"expected at most {MAX_SHOWN_DIGITS} digits, found {value}",
                        f"float64 carries about {MAX_SHOWN_DIGITS} significant digits: write {key}: 6, say")
    return value


def _name_or_mapping(raw, key: str, field: str, expected: str, fix: str) -> dict:
    """A setting written as a name alone or as a mapping holding the name under `key` (with the
    settings that go with it): the mapping."""
    if isinstance(raw, str):
        return {key: raw}
    if not isinstance(raw, dict):
        raise SpecError(field, f"expected {expected}, found {describe(raw)}", fix)
    return raw


def _optimizer(raw) -> Optimizer:
    """`optimizer: adam`, or a mapping of its name and settings: `{name: adam, beta1: 0.8}`."""
    raw = _name_or_mapping(
        raw,
        "name",
        "optimizer",
        "a name or a mapping such as {name: adam, beta1: 0.9}",
        f"write e.g. `optimizer: adam`; known optimizers: {', '.join(OPTIMIZERS)}",
    )
    kind = OPTIMIZERS[_choice(_required(raw, "name", "one of " + ", ".join(OPTIMIZERS), "optimizer"), "optimizer.name",
                              tuple(OPTIMIZERS))]  # fmt: skip
    defaults = kind().settings
    _reject_unknown_keys(raw, ("name", *defaults), "optimizer")
    settings = {}
    for key in (key for key in defaults if key in raw):
        field = f"optimizer.{key}"
        if isinstance(defaults[key], bool):
            settings[key] = boolean(raw[key], field)
            continue
        value = _number(raw[key], field)
        if value < 0 or (key in POSITIVE and value == 0):
            least = "above 0" if key in POSITIVE else "0 or more"
            raise SpecError(field, f"expected a number {least}, found {value:g}", f"use e.g. {defaults[key]:g}")
        settings[key] = value
    optimizer = kind(**settings)
    optimizer.check()
    return optimizer


def _check_shared_biases(layers: tuple[LayerSpec, ...]) -> None:
    """bias_sharing: per_layer trains one bias per layer, so each layer's given biases must agree."""
    for layer in layers:
        if layer.biases is not None and (layer.biases != layer.biases[0]).any():  # ptp's subtraction overflows
            raise SpecError(
                f"layers[{layer.index}].biases",
                f"bias_sharing: per_layer gives each layer one bias, found {layer.size} different biases",
                "give the layer a single bias, e.g. `biases: 0.35`, or use `bias_sharing: per_neuron`",
            )


def _layers(
    doc: dict, n_features: int, layout: str, default_activation: str, default_train_biases: bool, init: InitSpec | None
) -> tuple[LayerSpec, ...]:
    raw_layers = _required(doc, "layers", "a list of layers, the last one being the output layer")
    if not isinstance(raw_layers, list) or not raw_layers:
        raise SpecError(
            "layers",
            f"expected a list of at least one layer, found {describe(raw_layers)}",
            "give each layer its weights and biases, e.g. `- {weights: [[0.5], [0.5]], biases: [0]}`",
        )
    layers = []
    n_in = n_features
    previous = f"the inputs have {n_features} features"
    for index, raw in enumerate(raw_layers, start=1):
        field = f"layers[{index}]"
        if not isinstance(raw, dict):
            raise SpecError(
                field,
                f"expected a mapping with weights:, biases: (or size:), found {describe(raw)}",
                "write each layer as `- {weights: [[...], ...], biases: [...]}`",
            )
        _reject_unknown_keys(raw, LAYER_KEYS, field)
        default_name = default_layer_name(index, len(raw_layers))
        layer = _layer(
            raw, field, index, default_name, n_in, previous, layout, default_activation, default_train_biases, init
        )
        layers.append(layer)
        n_in = layer.size
        previous = f"layer {index} ('{layer.name}') has {layer.size} neurons"
    names = [layer.name for layer in layers]
    for name in names:
        if names.count(name) > 1:
            raise SpecError(
                "layers", f"the layer name '{name}' is used more than once", "give every layer its own name"
            )
    _check_distinct_quantities(layers)
    return tuple(layers)


def _check_distinct_quantities(layers: list[LayerSpec]) -> None:
    """Two layers whose names differ (h1 and H1, h and hidden) may still give their quantities one
    name (H1_in, delta_hidden): refused, naming both layers, before the records mix them up."""
    from nntrace.notation.names import layer_names
    from nntrace.notation.nodes import Sym

    owner: dict[str, LayerSpec] = {}
    for layer in layers:
        names = layer_names(layer.name, Sym("a"))
        for name in names[1:]:
            first = owner.setdefault(name.key, layer)
            if first is not layer:
                # The layer to rename is one the spec named (the other may have its default name).
                renamed = layer if layer.name != default_layer_name(layer.index, len(layers)) else first
                raise SpecError(
                    f"layers[{renamed.index}].name",
                    f"layer {first.index} ('{first.name}') and layer {layer.index} ('{layer.name}') would give "
                    f"their quantities the same names (both have {name.key})",
                    f"rename layer {renamed.index} with `name:`, e.g. name: {_free_name(renamed.name, owner)}",
                )


def _free_name(name: str, owner: dict) -> str:
    """A layer name like `name` whose quantities' names are all free."""
    stem = name.rstrip("0123456789") or "h"
    number = 2
    while any(key.endswith(f"_{stem}{number}") or key.startswith(f"{stem}{number}_") for key in owner):
        number += 1
    return f"{stem}{number}"


def default_layer_name(index: int, n_layers: int) -> str:
    """The paper's names: h for the one hidden layer, h1, h2, ... for several, out for the output."""
    if index == n_layers:
        return "out"
    return "h" if n_layers == 2 else f"h{index}"


def _layer(
    raw: dict,
    field: str,
    index: int,
    default_name: str,
    n_in: int,
    previous: str,
    layout: str,
    default_activation: str,
    default_train_biases: bool,
    init: InitSpec | None,
) -> LayerSpec:
    name = raw.get("name", default_name)
    if name != default_name:
        if not isinstance(name, str) or not re.match(_NAME_PATTERN, name):
            raise SpecError(
                f"{field}.name",
                f"expected a short name of letters and digits starting with a letter, found {describe(name)}",
                "use a name such as h2 or hidden",
            )
    activation = _choice(raw.get("activation", default_activation), f"{field}.activation", tuple(ACTIVATIONS))
    alpha = _number(raw["alpha"], f"{field}.alpha") if "alpha" in raw else None
    train_biases = boolean(raw.get("train_biases", default_train_biases), f"{field}.train_biases")
    label = f"layer {index} ('{name}')"

    weights = None
    if "weights" in raw:
        typed = _matrix(raw["weights"], f"{field}.weights")
        weights = layout.orient(typed)
        if weights.shape[0] != n_in:
            needed, fix = layout.weights_needed(name, n_in, weights.shape[1])
            if weights.shape[1] == n_in:
                other = next(other for other in LAYOUTS.values() if other != layout)
                fix = f"W_{name} looks typed transposed: transpose it, or set `layout: {other.name}`"
            raise SpecError(
                f"{field}.weights",
                f"W_{name} of {label} has shape {_shape(typed)}, which does not fit "
                f"the layer before it: {previous}, so W_{name} needs {needed}",
                fix,
            )
    size = weights.shape[1] if weights is not None else None
    if "size" in raw:
        declared = _whole_number(raw["size"], f"{field}.size", minimum=1)
        if size is not None and declared != size:
            raise SpecError(
                f"{field}.size",
                f"says {declared} neurons but the weights have {size}",
                "make size: match the weights, or leave size: out",
            )
        size = declared
    biases = None
    if "biases" in raw:
        biases = _biases(raw["biases"], f"{field}.biases", size, label)
        size = size if size is not None else len(biases)
    if size is None:
        raise SpecError(
            f"{field}.weights",
            f"is missing, so the size of {label} is unknown",
            "give the weights, or size: together with init: to draw them",
        )
    if biases is not None and biases.size == 1 and size > 1:
        biases = np.full(size, biases[0])
    if init is None:
        for key, value in (("weights", weights), ("biases", biases)):
            if value is None:
                raise SpecError(
                    f"{field}.{key}",
                    "is missing",
                    f"give the {key} of {label}, or add `init: {{method: numpy_rand, seed: 42}}` to draw them",
                )
    return LayerSpec(
        index=index,
        name=name,
        weights=weights,
        biases=biases,
        size=size,
        activation=activation,
        alpha=alpha,
        train_biases=train_biases,
    )


def _check_size(layers: tuple[LayerSpec, ...], inputs: tuple[int, int]) -> None:
    """Refuse, before anything is allocated, a network whose parameters and layer outputs for all
    the samples (what one pass holds, several times over while it is traced) exceed MAX_NUMBERS."""
    samples, n_in = inputs
    held = []  # (the numbers a layer holds, the layer)
    for layer in layers:
        held.append(((n_in + 1 + samples) * layer.size, layer.index))
        n_in = layer.size
    total = sum(numbers for numbers, _ in held)
    if total <= MAX_NUMBERS:
        return
    layer = layers[max(held)[1] - 1]  # the largest
    raise SpecError(
        f"layers[{layer.index}].size",
        f"{layer.size:,} neurons make the network hold {total:,} numbers (its weights and biases, and each "
        f"layer's outputs for {samples:,} samples: {_gigabytes(total)}); nntrace works with networks of up "
        f"to {MAX_NUMBERS:,} ({_gigabytes(MAX_NUMBERS)})",
        "use fewer neurons (or fewer samples): a worked example is read by hand",
    )


def _gigabytes(numbers: int) -> str:
    size = numbers * 8
    return f"{size / 1024**3:,.1f} GB" if size >= 1024**3 else f"{size / 1024**2:,.0f} MB"


def _check_activation_use(layers: tuple[LayerSpec, ...], loss: str) -> None:
    for layer in layers[:-1]:
        if ACTIVATIONS[layer.activation].output_only:
            raise SpecError(
                f"layers[{layer.index}].activation",
                f"{layer.activation} is only allowed on the output layer (it turns the outputs into class "
                "probabilities)",
                "use sigmoid, tanh or relu for hidden layers",
            )
    output, chosen = layers[-1], LOSSES[loss]
    if ACTIVATIONS[output.activation].output_only and not chosen.slope_cancels:
        raise SpecError(
            f"layers[{output.index}].activation",
            f"{output.activation} outputs need `loss: cross_entropy`, found loss {loss}",
            "set `loss: cross_entropy`, or use sigmoid outputs",
        )
    if chosen.slope_cancels and not ACTIVATIONS[output.activation].cancels_cross_entropy:
        fitting = [name for name, act in ACTIVATIONS.items() if act.cancels_cross_entropy]
        raise SpecError(
            "loss",
            f"{loss} needs {' or '.join(fitting)} outputs, found {output.activation}",
            f"set the output layer's activation to {' or '.join(fitting)}",
        )


def _check_trainable(layers: tuple[LayerSpec, ...]) -> None:
    for layer in layers:
        if not ACTIVATIONS[layer.activation].trainable:
            raise SpecError(
                f"layers[{layer.index}].activation",
                f"{layer.activation} cannot be trained: its derivative is 0 everywhere it exists, "
                "so backpropagation gets no gradient through it",
                "set `epochs: 0` (or use `nntrace forward`) to run it forward only, or use sigmoid",
            )


def _check_probabilities(targets: np.ndarray, output: LayerSpec) -> None:
    """Cross-entropy targets: each entry a probability; with softmax, each row a distribution."""
    if targets.min() < 0 or targets.max() > 1:  # (no mask the size of the targets)
        raise SpecError(
            "targets",
            "cross_entropy needs targets between 0 and 1 (probabilities or 0/1 labels), "
            f"found values from {targets.min():g} to {targets.max():g}",
            "rescale the targets to [0, 1] or choose another loss (half_sse, sse, mse)",
        )
    if not ACTIVATIONS[output.activation].output_only:
        return
    row = _first_row_not_summing_to_one(targets)
    if row is not None:
        raise SpecError(
            f"targets[{row + 1}]",
            f"sums to {targets[row].sum():g}: {output.activation} outputs are one distribution over the classes, so each target "
            "row must sum to 1 (a one-hot row, or soft labels that add up to 1)",
            "for several labels per sample use sigmoid outputs with cross_entropy; otherwise make the row sum to 1",
        )


def _first_row_not_summing_to_one(targets: np.ndarray, rows: int = 1 << 16) -> int | None:
    """The first row whose entries do not add up to 1 (within 1e-6), a block of rows at a time."""
    for start in range(0, len(targets), rows):
        off = np.flatnonzero(np.abs(targets[start : start + rows].sum(axis=1) - 1.0) > 1e-6)
        if off.size:
            return start + int(off[0])
    return None


def _data_spec(raw, base_dir: Path) -> DataSpec:
    from nntrace.spec.dataset import DataSpec

    if not isinstance(raw, dict):
        raise SpecError(
            "data",
            f"expected a mapping such as {{csv: data.csv, target: label}}, found {describe(raw)}",
            "write `data: {csv: FILE.csv, target: COLUMN}`",
        )
    _reject_unknown_keys(raw, ("csv", "target", "normalize", "test_rows"), "data")
    csv = raw.get("csv")
    if not isinstance(csv, str) or not csv:
        raise SpecError(
            "data.csv",
            f"expected the path of a CSV file, found {describe(csv)}",
            "write e.g. `csv: data.csv` (relative to the spec file)",
        )
    target = raw.get("target")
    if isinstance(target, str):
        target = (target,)
    elif isinstance(target, list) and target and all(isinstance(t, str) for t in target):
        target = tuple(target)
    else:
        raise SpecError(
            "data.target",
            f"expected a column name or a list of column names, found {describe(target)}",
            "write e.g. `target: label`",
        )
    normalize = _choice(raw.get("normalize", "none"), "data.normalize", NORMALIZATIONS)
    test_rows = raw.get("test_rows", 0)
    if isinstance(test_rows, bool) or not isinstance(test_rows, int) or test_rows < 0:
        raise SpecError(
            "data.test_rows",
            f"expected a whole number of rows (0 or more), found {describe(test_rows)}",
            "write e.g. `test_rows: 300` to hold out the last 300 rows as a test set",
        )
    return DataSpec(csv=(base_dir / csv), target=target, normalize=normalize, test_rows=test_rows)


def _init_spec(raw) -> InitSpec:
    raw = _name_or_mapping(
        raw,
        "method",
        "init",
        "a mapping such as {method: numpy_rand, seed: 42}",
        f"write `init: {{method: METHOD, seed: N}}` with METHOD one of {', '.join(INIT_METHODS)}",
    )
    _reject_unknown_keys(raw, ("method", "seed"), "init")
    method = _choice(_required(raw, "method", "one of " + ", ".join(INIT_METHODS), "init"), "init.method", INIT_METHODS)
    return InitSpec(method=method, seed=_seed(raw.get("seed", 0), "init.seed"))


def _seed(raw, field: str) -> int:
    seed = _whole_number(raw, field, minimum=0)
    if seed > MAX_SEED:
        raise SpecError(
            field,
            f"expected a seed from 0 to {MAX_SEED} (the range of numpy's generator), found {describe(seed)}",
            f"use a smaller seed, e.g. {seed % (MAX_SEED + 1)}",
        )
    return seed


def _batch_size(raw, n_samples: int) -> int | None:
    if raw in ("full", None):
        return None
    size = _whole_number(raw, "batch_size", minimum=1)
    if size > n_samples:
        raise SpecError(
            "batch_size",
            f"expected at most the number of samples ({n_samples:,}), found {size:,}",
            f"use a batch size from 1 to {n_samples:,}, or `full`",
        )
    return None if size == n_samples else size


def _biases(raw, field: str, size: int | None, label: str) -> np.ndarray:
    if isinstance(raw, list) and raw and all(isinstance(row, list) for row in raw):
        matrix = _matrix(raw, field)
        if 1 not in matrix.shape:
            raise SpecError(
                field,
                f"expected one number per neuron, found a {_shape(matrix)} matrix",
                "write the biases as a flat list, e.g. [0.1, 0.2]",
            )
        values = matrix.ravel()
    elif isinstance(raw, list):
        if not raw:
            raise SpecError(field, "expected one number per neuron, found an empty list", "write e.g. [0.1, 0.2]")
        values = np.array([_number(v, f"{field}[{j}]") for j, v in enumerate(raw, start=1)], dtype=np.float64)
    else:
        values = np.array([_number(raw, field)], dtype=np.float64)
    if size is not None and values.size not in (1, size):
        raise SpecError(
            field,
            f"expected {size} numbers (one per neuron of {label}) or a single number, found {values.size}",
            f"give {label} exactly {size} biases",
        )
    return values


def _matrix(raw, field: str) -> np.ndarray:
    if not isinstance(raw, list) or not raw or not all(isinstance(row, list) for row in raw):
        raise SpecError(
            field,
            f"expected a matrix written as a list of rows, e.g. [[1, 0], [0, 1]], found {describe(raw)}",
            "write each row in its own brackets: [[...], [...]]",
        )
    width = len(raw[0])
    for i, row in enumerate(raw, start=1):
        if not row:
            raise SpecError(f"{field}[{i}]", "is an empty row", "give every row at least one number")
        if len(row) != width:
            raise SpecError(
                field,
                f"is ragged: row 1 has {width} entries but row {i} has {len(row)}",
                "give every row the same number of entries",
            )
    return np.array(
        [[_number(v, f"{field}[{i}][{j}]") for j, v in enumerate(row, start=1)] for i, row in enumerate(raw, start=1)],
        dtype=np.float64,
    )


def _number(raw, field: str) -> float:
    if isinstance(raw, bool) or raw is None or not isinstance(raw, (int, float, str)):
        raise SpecError(field, f"expected a number, found {describe(raw)}", "write a plain number such as 0.5")
    if isinstance(raw, str):
        # YAML 1.1 reads 1e-3 (no dot) as a string; accept any plain decimal number.
        if not re.match(_NUMBER_TEXT, raw.strip()):
            if raw.strip().lower().lstrip("+-.") in ("nan", "inf", "infinity"):
                raise SpecError(field, f"expected a finite number, found {raw!r}", "replace it with a finite number")
            raise SpecError(field, f"expected a number, found {describe(raw)}", "write a plain number such as 0.5")
        raw = float(raw)
    try:
        value = float(raw)
    except OverflowError:
        raise SpecError(
            field, f"expected a number float64 can hold, found {describe(raw)}", "use a smaller number"
        ) from None
    if not math.isfinite(value):
        raise SpecError(field, f"expected a finite number, found {value}", "replace it with a finite number")
    return value


def _positive_number(raw, field: str) -> float:
    value = _number(raw, field)
    if value <= 0:
        raise SpecError(field, f"expected a positive number, found {value:g}", "use a small positive value such as 0.1")
    return value


def _whole_number(raw, field: str, minimum: int) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int):
        # 3.0 is refused too: a count typed with a decimal point is more likely a slip than meant.
        fix = f"write it without a decimal point, e.g. {int(raw)}" if isinstance(raw, float) and raw.is_integer() \
            else "write e.g. 1"
        raise SpecError(field, f"expected a whole number of at least {minimum}, found {describe(raw)}", fix)
    if raw < minimum:
        raise SpecError(
            field, f"expected a whole number of at least {minimum}, found {describe(raw)}", f"use {minimum} or more"
        )
    return raw


def boolean(raw, field: str) -> bool:
    if not isinstance(raw, bool):
        raise SpecError(field, f"expected true or false, found {describe(raw)}", "write true or false")
    return raw


def _choice(raw, field: str, known: tuple[str, ...]) -> str:
    if not isinstance(raw, str) or raw not in known:
        found = repr(raw) if isinstance(raw, str) else describe(raw)
        import difflib  # for a misspelt name only

        close = difflib.get_close_matches(raw, known, n=1) if isinstance(raw, str) else []
        fix = f"did you mean {close[0]}?" if close else f"choose one of {', '.join(known)}"
        raise SpecError(field, f"unknown value {found}; known: {', '.join(known)}", fix)
    return raw


def _required(doc: dict, key: str, expected: str, parent: str | None = None):
    if key not in doc or doc[key] is None:
        field = f"{parent}.{key}" if parent else key
        raise SpecError(
            field,
            f"is missing (a required key): expected {expected}",
            f"add `{key}:` to the spec (see the spec format in the README)",
        )
    return doc[key]


def _reject_unknown_keys(doc: dict, known: tuple[str, ...], field: str) -> None:
    for key in doc:
        if key not in known:
            raise SpecError(
                f"{field}.{key}" if field != "spec" else str(key),
                f"is not a known key; known keys here: {', '.join(known)}",
                "check the spelling, or remove the key",
            )


def describe(value) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, str):
        return f"the text {value!r}"
    if isinstance(value, int) and abs(value) >= 10**15:
        return f"a number of about {int(value.bit_length() * math.log10(2)) + 1} digits"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    if isinstance(value, list):
        return f"a list of {counted(len(value), 'item')}"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _shape(matrix: np.ndarray) -> str:
    return "\u00d7".join(str(n) for n in matrix.shape)
