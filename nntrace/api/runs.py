"""A training run, a forward pass and an epoch's steps shown in the terminal: what is printed, in
which order, what is written where, and how the run ended. The command line calls these and turns
the ending into an exit code; a script can call them the same way.

Messages meant for the user's eyes beside the results (what was written where, why a run stopped)
go to `notify`, which the command line points at stderr.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

import numpy as np
from rich.console import Console

from nntrace.api.tracing import Epoch, Explained, Trace
from nntrace.common.epochs import EpochSelection
from nntrace.common.records import NamedTuple
from nntrace.common.signals import StopBetweenEpochs
from nntrace.common.wording import counted
from nntrace.engine.network import Divergence, Network, first_non_finite

Notify = Callable[[str], None]
JSON_LIMIT = 1024**3  # a trace estimated larger than this needs --force
MAX_SHOWN = 1_000  # passes (epochs x batches) one command works out and shows, unless --force


class RunEnd(NamedTuple):
    """How a training run ended: the command line's exit code is read off it."""

    epochs_done: int
    interrupted: bool = False  # stopped between epochs on Ctrl-C
    divergence: Divergence | None = None
    problem: str | None = None  # a non-finite number met after training (the predictions)


def quiet_numpy():
    """Overflow is reported by name (divergence, non_finite), not warned about."""
    return np.errstate(over="ignore", invalid="ignore")


def divergence_message(divergence: Divergence, epochs_done: int) -> str:
    if divergence.during_update:
        what = f"the update of epoch {divergence.epoch} made {divergence.quantity} NaN or infinite"
    else:
        what = f"in epoch {divergence.epoch}, {divergence.quantity} became NaN or infinite"
    return (
        f"training diverged: {what}; stopped after {counted(epochs_done, 'complete epoch')}. "
        "A smaller learning_rate (or inputs scaled to about [0, 1]) usually helps."
    )


def non_finite_message(result: Epoch | Explained, epoch: int) -> str | None:
    """Why an epoch (or explanation) shown holds a NaN or an infinity, or was never reached; None if it is finite."""
    divergence = result.divergence
    if divergence is not None:
        shown = "" if result.reached else f"; epoch {epoch} was never reached"
        done = divergence.epoch if divergence.during_update else divergence.epoch - 1
        return divergence_message(divergence, done) + shown
    if result.non_finite is not None:
        where = "the forward pass" if epoch == 0 else f"epoch {epoch}"
        return f"in {where}, {result.non_finite} is NaN or infinite: the numbers overflow"
    return None


def too_many_shown(epochs: EpochSelection, batches: EpochSelection) -> str | None:
    """Why showing the batches `batches` of the epochs `epochs` is refused (each pass is pages of
    steps, and a document holds them all in memory), or None."""
    passes = len(epochs) * len(batches)
    if passes <= MAX_SHOWN:
        return None
    each = f" x {len(batches):,} batches" if len(batches) > 1 else ""
    return (
        f"{counted(len(epochs), 'epoch')}{each} make {passes:,} passes to work out and show, each pages of steps; "
        f"at most {MAX_SHOWN:,} are shown at once"
    )


def trace_too_large(trace: Trace, network: Network, recorded: EpochSelection, option: str = "--json") -> str | None:
    """Why a trace (`option`: --json, or --npz) of the epochs `recorded` is refused without --force, or None."""
    from nntrace.engine import trace_json, trace_npz

    per_number = (trace_npz if option == "--npz" else trace_json).BYTES_PER_NUMBER
    size = trace_json.estimated_size(trace.spec, network, len(recorded), per_number)
    if size <= JSON_LIMIT:
        return None
    return f"{option}: the trace of {counted(len(recorded), 'epoch')} would take about {size / 1024**3:.1f} GB"


class TraceWriters(NamedTuple):
    """The trace writers of a run (JSON, .npz), written to as one."""

    writers: tuple

    def write(self, record) -> None:
        for writer in self.writers:
            writer.write(record)

    def finish(self, losses) -> None:
        for writer in self.writers:
            writer.finish(losses)

    @property
    def epochs_written(self) -> int:
        return self.writers[0].epochs_written


@contextlib.contextmanager
def trace_writers(trace: Trace, network: Network, spec, trace_out=None, npz_out=None):
    """The JSON (`trace_out`) and .npz (`npz_out`) trace writers asked for, open, as one
    TraceWriters; None when neither is. A file is complete only if the block finishes them."""
    with contextlib.ExitStack() as stack:
        writers = []
        if trace_out:
            from nntrace.engine.trace_json import TraceWriter

            writers.append(stack.enter_context(TraceWriter(trace_out, spec, network, trace.rounding)))
        if npz_out:
            from nntrace.engine.trace_npz import NpzTraceWriter

            writers.append(stack.enter_context(NpzTraceWriter(npz_out, spec, network, trace.rounding)))
        yield TraceWriters(tuple(writers)) if writers else None


def show_hidden_batches_note(console: Console, trace: Trace, selection: EpochSelection) -> None:
    """Say which batches of each shown epoch are left out, if any, and how to show them."""
    text = trace.hidden_batches_note(selection)
    if text:
        from nntrace.terminal.console import in_words

        console.print(in_words(text, style="dim"))


def run_training(
    trace: Trace,
    network: Network,
    console: Console,
    notify: Notify,
    *,
    shown: EpochSelection,
    shown_batches: EpochSelection,
    recorded: EpochSelection,
    trace_out=None,
    plot_out=None,
    npz_out=None,
    quiet: bool = False,
    log_scale: bool = False,
    progress: bool = True,
    plain: bool = False,
) -> RunEnd:
    """Train, printing the header and the epochs `shown` as they are worked out, writing the records
    of the epochs `recorded` to `trace_out` (JSON) and `npz_out` and the loss curve to `plot_out`,
    then the summary."""
    from nntrace.terminal.summary import EpochProgress

    spec = trace.spec
    stdout_taken = any(out is not None and out.is_stdout for out in (trace_out, plot_out, npz_out))
    if shown:  # the equation layout is imported only by a run that shows epochs
        from nntrace.terminal.views import trace_header

        console.print(trace_header(spec, network, trace.options, trace.rounding))
        show_hidden_batches_note(console, trace, shown_batches)
        console.print()
    bar = EpochProgress(spec.epochs, progress and not quiet, plain)
    with StopBetweenEpochs() as stop, trace_writers(trace, network, spec, trace_out, npz_out) as writer, bar as bar:

        def on_solution(solution):
            from nntrace.terminal.views import SolutionView

            with bar.pause():
                console.print(SolutionView(solution, trace.options))

        training = trace.train(
            network,
            spec.epochs,
            shown=shown,
            on_solution=on_solution,
            batches=shown_batches,
            recorded=recorded,
            on_record=writer.write if writer is not None else None,
            progress=bar.callback,
            progress_every=bar.every,
            stop_requested=stop.requested,
        )
        if writer is not None and not training.interrupted:
            writer.finish(training.losses)
    if training.interrupted:
        notify(f"interrupted after {counted(training.epochs_done, 'complete epoch')}")
    elif training.divergence is not None:
        notify(divergence_message(training.divergence, training.epochs_done))
    summary = trace.summarise(network, training, log_scale)
    if not stdout_taken and (spec.epochs > 1 or quiet or summary.stopped_early):
        if shown:
            console.print()
        console.print(summary)
    end = RunEnd(training.epochs_done, training.interrupted, training.divergence)
    if training.interrupted:
        for out in (trace_out, npz_out):
            if out and out.file:
                notify(f"no trace written to {out.given}")
        return end
    if plot_out and training.epochs_done:
        from nntrace.documents.plot import write_loss_plot

        write_loss_plot(training.losses, plot_out, spec.name or "Training loss", network.loss.name, log_scale)
        if not plot_out.is_stdout:
            notify(f"wrote the loss curve to {plot_out.given}")
    for out in (trace_out, npz_out):
        if out and not out.is_stdout:
            notify(f"wrote the trace of {counted(writer.epochs_written, 'epoch')} to {out.given}")
    if training.divergence is None and first_non_finite({"predictions": summary.predictions}):
        return end._replace(problem="the predictions at the final parameters are NaN or infinite: the outputs overflow")
    return end


def show_forward(
    trace: Trace, console: Console, notify: Notify, quiet: bool = False, trace_out=None, npz_out=None
) -> str | None:
    """The forward pass: its steps (unless quiet), the table of every sample's outputs and the loss;
    with `trace_out` its JSON trace, with `npz_out` its .npz trace. Returns why a number is not
    finite, or None."""
    from nntrace.terminal.views import ForwardTable, loss_text, trace_header

    forward_pass = trace.forward()
    spec, network, record = trace.spec.with_epochs(0), forward_pass.network, forward_pass.records[0]
    with trace_writers(trace, network, spec, trace_out, npz_out) as writer:
        if writer is not None:
            writer.write(record)
            writer.finish([])
    for out in (trace_out, npz_out):
        if out is not None and not out.is_stdout:
            notify(f"wrote the forward pass to {out.given}")
    if not any(out is not None and out.is_stdout for out in (trace_out, npz_out)):
        if not quiet:
            console.print(trace_header(spec, network, trace.options, trace.rounding))
            console.print()
            console.print(forward_pass)
        console.print(ForwardTable(network, record, spec.targets, trace.options.numbers, spec.feature_names))
    loss = None
    if spec.targets is not None:
        with quiet_numpy():
            loss = network.loss_value(spec.inputs, spec.targets)
        if trace_out is None or not trace_out.is_stdout:
            console.print(loss_text(network.loss.formula(), loss, trace.options, "at the given parameters"))
    problem = non_finite_message(forward_pass, 0)
    if problem is None and loss is not None and not np.isfinite(loss):
        problem = "in the forward pass, the loss is NaN or infinite: the numbers overflow"
    return problem


def show_steps(epoch: Epoch, console: Console, options, step_number: int | None, between: Callable[[], bool]) -> None:
    """The steps of an epoch's passes (or only step `step_number`), calling `between()` after each
    step but the last of a pass: it returns False to stop (an interactive reader quitting)."""
    from nntrace.terminal.views import StepView, solution_heading, solution_loss

    for solution in epoch.solutions:
        steps = solution.steps if step_number is None else [solution.step(step_number)]
        console.print(solution_heading(solution))
        console.print()
        for position, one in enumerate(steps):
            console.print(StepView(one, options))
            if position < len(steps) - 1 and not between():
                return
        loss_line = solution_loss(solution, options)
        if step_number is None and loss_line is not None:
            console.print(loss_line)
