"""A spec traced, as objects any writer can draw: the heart of the Python API.

    import nntrace
    trace = nntrace.trace("spec.yaml")        # a path, a dict, or YAML text
    trace.epoch(2).step(7)                    # a Step: its equations as notation
    trace.explain("W_h[2,3]", epoch=1)        # the chain rule for one parameter
    trace.forward()                           # the forward pass alone
    trace.summary(epochs=100)                 # losses and predictions after training

Each result draws itself with rich (`rich.print(trace.epoch(1))`, and in Jupyter with
rich's IPython extension).
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from nntrace.common.epochs import EpochSelection
from nntrace.common.errors import SpecError
from nntrace.common.records import NamedTuple, record, replace
from nntrace.common.wording import counted
from nntrace.engine.network import Divergence, Network, Record, Training, build_network, train
from nntrace.model.losses import Loss
from nntrace.solution.options import DEFAULT_OPTIONS, RenderOptions
from nntrace.spec.shipped import claims_path, shipped_instead
from nntrace.spec.validate import Spec, load_spec_or_example, parse_spec

if TYPE_CHECKING:
    from nntrace.checking.check import CheckReport
    from nntrace.checking.claims import ClaimsFile
    from nntrace.solution.explain import Explanation
    from nntrace.solution.steps import Solution, Step


NO_EPOCHS = EpochSelection()
MANY_BATCHES = 3  # an epoch with more batches than this shows its first unless asked


def trace(
    source: str | Path | dict | Spec, *, rounding: int | None = None, options: RenderOptions | None = None,
    delta: str | None = None,
):  # fmt: skip
    """A traced spec: `source` is a YAML file, a shipped example's name, a spec as a dict, YAML text,
    or a parsed Spec. `options` say how numbers are shown (by default as the spec's `precision:` or
    `digits:` say, else with 3 decimals); `delta` ("-dL/dz" or "dL/dz") overrides the spec's sign
    convention of δ."""
    spec = _spec_of(source)
    if delta is not None:
        from nntrace.notation.names import CONVENTIONS

        if delta not in CONVENTIONS:
            raise SpecError("delta", f"unknown value {delta!r}; known: {', '.join(CONVENTIONS)}",
                            "write delta='-dL/dz' (the paper's) or delta='dL/dz' (the gradient)")  # fmt: skip
        spec = replace(spec, delta=CONVENTIONS[delta])
    return Trace(spec, rounding, options)


def load_spec(source: str | Path | None) -> Spec:
    """The spec at `source` (a YAML file, or a shipped example's name), or without one the built-in example."""
    from nntrace.spec.validate import load_builtin_example

    return load_builtin_example() if source is None else load_spec_or_example(source)


def spec_file(source: str | Path | None) -> Path | None:
    """The file the spec `source` is read from (as load_spec finds it), or None: the path itself,
    the shipped example so named, or without a source the built-in example."""
    from nntrace.spec.shipped import BUILTIN, example_path

    if source is None:
        return example_path(BUILTIN)
    path = Path(source)
    return shipped_instead(path, str(source), example_path) or (path if os.path.lexists(path) else None)


def console(plain: bool = False):
    """The console results are printed to: rich's, with nntrace's conventions; `plain`: no colour or bold."""
    from nntrace.terminal.console import terminal_console

    return terminal_console(plain)


def read_claims(source: str | Path, tolerance: int | None = None) -> ClaimsFile:
    """The claims file `source`: a path, or a shipped claims file's name such as paper-claims.
    `tolerance` overrides the file's own."""
    from nntrace.checking.claims import load_claims  # imported here: `run` and its start-up need none of check

    path = Path(source)
    claims = load_claims(shipped_instead(path, str(source), claims_path) or path)
    return claims if tolerance is None else dataclasses.replace(claims, tolerance=tolerance)


def check(source: str | Path | ClaimsFile, tolerance: int | None = None) -> CheckReport:
    """Judge every number of a claims file (see read_claims): a CheckReport."""
    from nntrace.checking.check import check as check_claims
    from nntrace.checking.claims import ClaimsFile

    return check_claims(source if isinstance(source, ClaimsFile) else read_claims(source, tolerance))


def _spec_of(source) -> Spec:
    if isinstance(source, Spec):
        return source
    if isinstance(source, dict):
        import yaml

        return parse_spec(yaml.safe_dump(source), source="<dict>")
    if isinstance(source, Path) or "\n" not in str(source):
        return load_spec_or_example(source)
    return parse_spec(str(source))


def _markdown(facts, solutions=(), explanations=(), options: RenderOptions = DEFAULT_OPTIONS) -> str:
    from nntrace.documents.markdown import MarkdownTemplate
    from nntrace.documents.structure import document

    return MarkdownTemplate(options.numbers).write(document(facts, solutions, explanations))


def _plain_text(renderable, width: int = 100) -> str:
    import io

    from rich.console import Console

    # force_jupyter=False: in a notebook rich would also display what it prints, a second copy of the result.
    console = Console(record=True, file=io.StringIO(), width=width, color_system=None, force_terminal=False,
                      force_jupyter=False)  # fmt: skip
    console.print(renderable)
    return console.export_text()


@record
class ShownStep:
    """One step of an epoch, which displays itself (in a notebook, typeset); its data is `.step`."""

    step: Step
    options: RenderOptions = RenderOptions()

    def __getattr__(self, name):
        return getattr(self.step, name)

    def _repr_markdown_(self) -> str:
        from nntrace.documents.markdown import MarkdownTemplate
        from nntrace.documents.structure import step_section

        template = MarkdownTemplate(self.options.numbers)
        template.section(step_section(self.step), 2)
        return template.text()

    def __rich__(self):
        from nntrace.terminal.views import StepView

        return StepView(self.step, self.options)


@record(hidden=("network", "records", "facts"))
class Epoch:
    """One epoch (or, as number 0, the forward pass) worked out, batch by batch."""

    number: int
    solutions: tuple[Solution, ...]
    network: Network
    records: tuple[Record, ...]
    divergence: Divergence | None = None  # training met NaN or infinity by this epoch
    options: RenderOptions = RenderOptions()
    facts: object = None

    @property
    def reached(self) -> bool:
        """Whether training got as far as this epoch."""
        return bool(self.solutions)

    def step(self, number: int, batch: int = 1) -> ShownStep:
        solution = next((one for one in self.solutions if one.batch == batch), None)
        if solution is None:
            raise KeyError(f"batch {batch} was not worked out; ask for it with batches=")
        return ShownStep(solution.step(number), self.options)

    def _repr_markdown_(self) -> str:
        return _markdown(self.facts, self.solutions, options=self.options)

    @property
    def non_finite(self) -> str | None:
        """The first quantity of this epoch that is NaN or infinite, if any."""
        for one in self.records:
            broken = one.first_non_finite()
            if broken is not None:
                return broken
        return None

    def __rich__(self):
        from rich.console import Group

        from nntrace.terminal.views import SolutionView

        return Group(*(SolutionView(solution, self.options) for solution in self.solutions))


@record(hidden=("facts",))
class Explained:
    """One parameter's chain rule in an epoch, batch by batch."""

    explanations: tuple[Explanation, ...]
    batches: tuple[int, ...]  # the batch number of each explanation
    n_batches: int
    divergence: Divergence | None = None
    non_finite: str | None = None
    options: RenderOptions = RenderOptions()
    facts: object = None

    @property
    def reached(self) -> bool:
        """Whether training got as far as the epoch explained."""
        return bool(self.explanations)

    def _repr_markdown_(self) -> str:
        return _markdown(self.facts, explanations=self.explanations, options=self.options)

    def __rich__(self):
        from rich.console import Group
        from rich.text import Text

        from nntrace.terminal.views import ExplanationView

        parts = []
        for batch, explanation in zip(self.batches, self.explanations):
            if self.n_batches > 1:
                parts.append(Text(f"Epoch {explanation.epoch}, batch {batch:,} of {self.n_batches:,}"))
            parts.append(ExplanationView(explanation, self.options))
        return Group(*parts)


class Worked(NamedTuple):
    """Epochs worked out: the network as training left it, their solutions, and how training ended."""

    network: Network
    solutions: list
    divergence: Divergence | None  # a NaN or an infinity met, which stopped training (epoch 0: the forward pass)
    epochs_done: int


@record(eq=False)  # holds arrays, which have no one truth value: compared by identity
class TestResult:
    """The held-out rows (`data.test_rows`) at the final parameters."""

    loss: float
    predictions: np.ndarray


@record(eq=False)  # holds arrays, which have no one truth value: compared by identity
class Summary:
    """The end of a run: every epoch's loss and the predictions at the final parameters."""

    spec: Spec
    loss: Loss
    losses: np.ndarray
    predictions: np.ndarray
    stopped_early: bool = False
    log_scale: bool = False
    options: RenderOptions = RenderOptions()
    test: TestResult | None = None

    def _repr_markdown_(self) -> str:
        return "```text\n" + _plain_text(self.__rich__()) + "```\n"

    def __rich__(self):
        from nntrace.terminal.summary import TrainingSummary

        return TrainingSummary(self.spec, self.loss, self.losses, self.predictions, self.options.numbers,
                               self.log_scale, self.stopped_early, self.test)  # fmt: skip


class Trace:
    """A spec, with the rounding and rendering options a trace of it uses."""

    def __init__(self, spec: Spec, rounding: int | None = None, options: RenderOptions | None = None):
        self.spec = spec
        self.rounding = rounding
        # How numbers are shown: as asked, else as the spec says (precision: or digits:), else the default.
        self.options = options or RenderOptions(precision=spec.precision or DEFAULT_OPTIONS.precision,
                                                digits=spec.digits)  # fmt: skip

    def network(self) -> Network:
        """A fresh network at the spec's starting parameters."""
        return build_network(self.spec, self.rounding)

    def solution(self, network: Network, record: Record) -> Solution:
        from nntrace.solution.steps import epoch_solution  # not on the start-up of a run that shows no epoch

        return epoch_solution(network, record, self.spec.layout, self.options.expansion_policy)

    @property
    def n_batches(self) -> int:
        """How many batches each epoch has."""
        size, samples = self.spec.batch_size, len(self.spec.inputs)
        return -(-samples // size) if size else 1

    def hidden_batches_note(self, selection: EpochSelection) -> str | None:
        """A line saying which batches of each shown epoch are left out, and how to show others."""
        n, shown = self.n_batches, len(selection)
        if shown == n:
            return None
        size = self.spec.batch_size
        samples = ("" if size == 1 else "up to ") + counted(size, "sample")
        return (
            f"(each epoch has {counted(n, 'batch', 'batches')} of {samples}; {shown:,} of them "
            f"{'is' if shown == 1 else 'are'} worked out here: --batches all, or e.g. --batches 2,last, shows others)"
        )

    def batches(self, tokens: tuple[str, ...] | None = None) -> EpochSelection:
        """The batches of an epoch worked out: those `tokens` name (e.g. ("1", "last")), or by
        default every batch of an epoch of up to MANY_BATCHES and the first of one with more."""
        if tokens is None:
            return EpochSelection(((1, self.n_batches if self.n_batches <= MANY_BATCHES else 1),))
        return EpochSelection.of(tokens, self.n_batches, "--batches", unit="batch")

    def train(
        self,
        network: Network,
        epochs: int,
        *,
        shown: EpochSelection = NO_EPOCHS,
        on_solution: Callable[[Solution], None] | None = None,
        recorded: EpochSelection = NO_EPOCHS,
        on_record: Callable[[Record], None] | None = None,
        batches: EpochSelection | None = None,
        **options,
    ) -> Training:
        """Train `network`; the epochs in `shown` are worked out (of each, the batches in `batches`,
        by default self.batches()) and handed to `on_solution` as they are made, and the records of
        every batch of the epochs in `recorded` to `on_record`."""
        shown_batches = self.batches() if batches is None else batches

        def keep(record: Record) -> None:
            if record.epoch in recorded and on_record is not None:
                on_record(record)
            if record.epoch in shown and record.batch in shown_batches and on_solution is not None:
                on_solution(self.solution(network, record))

        traced = shown | recorded  # one selection, asked once an epoch
        spec = self.spec
        return train(network, spec.inputs, spec.targets, epochs, batch_size=spec.batch_size, shuffle=spec.shuffle,
                     traced=traced, traced_batches=None if recorded else shown_batches, on_record=keep,
                     **options)  # fmt: skip

    def epoch(self, number: int, batches: EpochSelection | None = None) -> Epoch:
        """Epoch `number`, which starts from the parameters epoch `number` - 1 left: of its batches,
        those in `batches` (by default self.batches())."""
        spec = self.spec.with_epochs(number, "--epoch")
        network = build_network(spec, self.rounding)
        training = train(network, spec.inputs, spec.targets, number, batch_size=spec.batch_size,
                         shuffle=spec.shuffle, traced={number},
                         traced_batches=self.batches() if batches is None else batches)  # fmt: skip
        return self._epoch(number, network, training.records, training.divergence)

    def worked(self, epochs, batches: EpochSelection | None = None) -> Worked:
        """The solutions of the epochs in `epochs` (an EpochSelection), or of the forward pass for a
        spec that does not train, and whether training met a NaN or an infinity on the way."""
        if not self.spec.trains:
            forward = self.forward()
            broken = forward.non_finite
            divergence = None if broken is None else Divergence(0, broken, during_update=False)
            return Worked(forward.network, list(forward.solutions), divergence, 0)
        network = build_network(self.spec.with_epochs(epochs.last), self.rounding)
        solutions: list[Solution] = []
        training = self.train(network, epochs.last, shown=epochs, on_solution=solutions.append, batches=batches)
        return Worked(network, solutions, training.divergence, training.epochs_done)

    def facts(self, network: Network | None = None):
        """What the trace is of, for the head of a document."""
        from nntrace.solution.overview import trace_facts

        return trace_facts(self.spec, network or self.network(), self.options.numbers, self.rounding)

    def drawing(self, epoch: int | None = None, sample: int = 1, shown: Epoch | None = None, show_values: bool = True):
        """The network drawn with its starting weights, or with those epoch `epoch` starts from and,
        on each neuron (unless not `show_values`), that epoch's output a and delta for sample `sample`
        (of `shown`, that epoch worked out already, when given)."""
        from nntrace.documents.drawing import network_drawing

        fmt, spec = self.options.numbers, self.spec
        if epoch is None:
            network = self.network()
            return network_drawing(network, network.parameters(), spec.layout, fmt, spec.feature_names)
        shown = shown or (self.epoch(epoch) if spec.trains else self.forward())
        if not shown.records:
            raise ValueError(f"epoch {epoch} was never reached: training stopped before it")
        record = shown.records[0]
        row = _sample_row(record, sample)
        values = {}
        for layer in shown.network.layers:
            names = layer.names
            kept = [name for name in (names.a, names.delta) if name.key in record.quantities]
            # Per neuron: its output a and, when the pass went backward, its delta (in the trace's sign).
            values[names.layer] = list(zip(*(name.sign * record.quantities[name.key][row] for name in kept)))
        return network_drawing(shown.network, record.params_before, spec.layout, fmt, spec.feature_names,
                               values if show_values else None, epoch if spec.trains else 0, sample)

    def forward(self) -> Epoch:
        """The forward pass alone, at the spec's parameters (epoch 0)."""
        network = self.network()
        return self._epoch(0, network, [network.record_forward(self.spec.inputs)], None)

    def _epoch(self, number: int, network: Network, records, divergence) -> Epoch:
        solutions = tuple(self.solution(network, record) for record in records)
        return Epoch(number, solutions, network, tuple(records), divergence, self.options, self.facts(network))

    def explain(self, parameter: str, epoch: int = 1, batches: EpochSelection | None = None) -> Explained:
        """The chain rule for `parameter` (as papers index it, e.g. W_h[2,3]) with epoch's numbers,
        in the batches `batches` (by default self.batches())."""
        from nntrace.solution.explain import explain, parse_parameter  # kept off run's start-up

        spec = self.spec.with_epochs(epoch, "--epoch")
        network = build_network(spec, self.rounding)
        chosen = parse_parameter(parameter, network, spec.layout)
        training = train(network, spec.inputs, spec.targets, epoch, batch_size=spec.batch_size,
                         shuffle=spec.shuffle, traced={epoch},
                         traced_batches=self.batches() if batches is None else batches)  # fmt: skip
        # Overflow is reported by name (non_finite, divergence), not warned about.
        with np.errstate(over="ignore", invalid="ignore"):
            explanations = tuple(explain(network, record, chosen, spec.layout) for record in training.records)
        broken = next((r.first_non_finite() for r in training.records if r.first_non_finite()), None)
        batches_done = tuple(r.batch for r in training.records)
        return Explained(explanations, batches_done, self.n_batches, training.divergence, broken, self.options,
                         self.facts(network))  # fmt: skip

    def summary(self, epochs: int | None = None) -> Summary:
        """Train for `epochs` (default: the spec's) and summarise."""
        spec = self.spec.with_epochs(self.spec.epochs if epochs is None else epochs)
        network = build_network(spec, self.rounding)
        training = train(network, spec.inputs, spec.targets, spec.epochs, batch_size=spec.batch_size,
                         shuffle=spec.shuffle)  # fmt: skip
        return self.summarise(network, training)

    def summarise(self, network: Network, training: Training, log_scale: bool = False) -> Summary:
        spec = self.spec
        with np.errstate(over="ignore", invalid="ignore"):
            predictions = network.predict(spec.inputs)
            test = None
            if spec.test_inputs is not None:
                outputs, loss = network.evaluate(spec.test_inputs, spec.test_targets)
                test = TestResult(loss, outputs)
        stopped = training.divergence is not None or training.interrupted
        return Summary(spec, network.loss, training.losses, predictions, stopped, log_scale, self.options, test)


def _sample_row(record: Record, sample: int) -> int:
    """The row of `sample` (1-based, in the spec's order) in a record's batch."""
    rows = [int(i) + 1 for i in record.samples]
    if sample not in rows:
        raise SpecError("--sample", f"sample {sample} is not in this batch (samples {rows})", "choose one of them")
    return rows.index(sample)

