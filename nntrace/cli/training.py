"""`run` (train and print the steps of the epochs asked for, then a summary), `step` (one
epoch's steps, one at a time) and `forward` (the forward pass and its outputs)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from nntrace.cli.shared import (
    EpochList,
    InputError,
    batch_selection,
    batches_option,
    bounded_show,
    checked,
    config_argument,
    diverged,
    epoch_option,
    force_option,
    input_files,
    load,
    make_console,
    notify,
    one_output_each,
    output,
    plain,
    report_non_finite,
    select,
    trace_options,
    traced,
    usage,
)
from nntrace.common.epochs import EpochSelection
from nntrace.common.errors import SpecError
from nntrace.common.signals import INTERRUPT_EXIT


@click.command(
    epilog="""
\b
Examples:
  nntrace run                              # the paper's worked example, Steps 1-11
  nntrace run paper --precision 5 --no-expand
  nntrace run --round 3 --precision 4      # as worked by hand, 3 decimals
  nntrace run paper-training --quiet --log-scale
  nntrace run my.yaml --epochs 10000 --show 1,last --plot loss.png
  nntrace run two-hidden --epochs 100 --json trace.json
  nntrace run digits --npz trace.npz       # the same trace as numpy arrays
"""
)
@config_argument
@click.option("--epochs", type=click.IntRange(min=0), metavar="N", help="Epochs to train (default: the spec's epochs).")
@click.option(
    "--show", type=EpochList(), metavar="EPOCHS", help="Epochs whose steps are printed, e.g. 1,100,last (default: 1)."
)
@click.option("--quiet", "-q", is_flag=True, help="Print only the training summary (or, untrained, the outputs).")
@click.option("--log-scale", is_flag=True, help="Draw the loss curve on a logarithmic scale.")
@click.option(
    "--plot",
    "plot_path",
    metavar="FILE",
    help="Also write the loss curve as an image, FILE.png or FILE.svg (needs nntrace[plot]).",
)
@click.option(
    "--json",
    "json_path",
    metavar="PATH",
    help="Write the trace as JSON to PATH (- for stdout, which then carries nothing else).",
)
@click.option(
    "--npz",
    "npz_path",
    metavar="PATH",
    help="Write the trace as numpy arrays to PATH, an .npz file (- for stdout); read_trace reads it back.",
)
@click.option(
    "--trace-epochs",
    type=EpochList(),
    metavar="EPOCHS",
    help="Epochs the trace (--json, --npz) records, e.g. 1,10,last or 1-5 (default: all).",
)
@force_option("Write a trace (--json, --npz) estimated above 1 GB, or show more than 1,000 passes (epochs x batches).")
@batches_option
@trace_options
def run(
    config,
    epochs,
    show,
    batches,
    quiet,
    log_scale,
    plot_path,
    json_path,
    npz_path,
    trace_epochs,
    force,
    precision,
    expand,
    rounding,
    no_color,
):
    """Train the network of CONFIG, print the steps of the epochs asked for, then a summary.

    By default the steps of epoch 1 are printed; a run of more than one epoch ends
    with a summary: the loss at the first and last epoch, every sample's prediction
    beside its target, and the loss curve. A progress bar is shown on stderr while
    training when stderr is a terminal. Ctrl-C stops after the current epoch and
    summarises the epochs done (exit code 130). A spec with `epochs: 0` (or
    --epochs 0) runs the forward pass only, as `nntrace forward` does.
    """
    spec = load(config)
    if epochs is not None:
        spec = checked(config, lambda: spec.with_epochs(epochs))
    if quiet and show:
        raise InputError("--show chooses epochs to print and --quiet prints none", "give only one of them")
    if trace_epochs and not (json_path or npz_path):
        raise InputError("--trace-epochs chooses the epochs of the trace", "give --json PATH or --npz PATH too")
    inputs = input_files(config, spec)
    trace_out = output("--json", json_path, inputs)
    npz_out = checked_output("--npz", npz_path, inputs)
    plot_out = checked_output("--plot", plot_path, inputs)
    outputs = [(f"--json {json_path}", trace_out), (f"--npz {npz_path}", npz_out), (f"--plot {plot_path}", plot_out)]
    for number, first in enumerate(outputs):
        for second in outputs[number + 1 :]:
            one_output_each(first, second)
    if not spec.trains:
        if plot_out:
            raise InputError("--plot draws the loss per epoch, and this run trains no epochs", "give --epochs N")
        trace = traced(spec, precision, expand, rounding)
        return show_forward(trace, no_color, quiet=quiet, trace_out=trace_out, npz_out=npz_out)
    trace = traced(checked(config, spec.for_training), precision, expand, rounding)
    stdout_taken = any(out is not None and out.is_stdout for out in (trace_out, plot_out, npz_out))
    tracing = trace_out or npz_out
    recorded = select(trace_epochs or ("all",), spec.epochs, "--trace-epochs") if tracing else EpochSelection()
    shown = EpochSelection() if quiet or stdout_taken else select(show or ("1",), spec.epochs, "--show")
    shown_batches = batch_selection(trace, batches)
    if not force:
        bounded_show(shown, shown_batches, "--show", "give --force to show them all")
    network = trace.network()
    if tracing and not force:
        from nntrace.api.runs import trace_too_large

        for option, out in (("--json", trace_out), ("--npz", npz_out)):
            too_large = out and trace_too_large(trace, network, recorded, option)
            if too_large:
                raise InputError(
                    too_large,
                    "record fewer epochs with --trace-epochs (e.g. 1,100,last), or give --force to write it anyway",
                )
    from nntrace.api.runs import run_training

    end = run_training(
        trace, network, make_console(no_color), notify, shown=shown, shown_batches=shown_batches,
        recorded=recorded, trace_out=trace_out, plot_out=plot_out, npz_out=npz_out, quiet=quiet, log_scale=log_scale,
        plain=plain(no_color),
    )  # fmt: skip
    if end.interrupted:
        sys.exit(INTERRUPT_EXIT)
    if end.divergence is not None:
        sys.exit(1)
    if end.problem:
        diverged(end.problem)


def checked_output(option: str, given: str | None, inputs: list[Path]):
    """Where `option` writes, refused (exit 2) where the API says the path cannot take it."""
    if given is None:
        return None
    from nntrace.api.commands import output_problem

    target = output(option, given, inputs)
    problem = output_problem(option, given, target.file is not None)
    if problem is not None:
        raise usage(problem)
    return target


@click.command(
    epilog="""
\b
Examples:
  nntrace step --epoch 2                   # the steps of epoch 2 of the built-in example
  nntrace step two-hidden --epoch 3 --step 7
  nntrace step | less                      # piped: all steps at once
"""
)
@config_argument
@epoch_option("The epoch to show; it starts from the parameters epoch N-1 left.", "epoch_number")
@click.option("--step", "step_number", type=click.IntRange(min=1), metavar="K", help="Show only step K.")
@batches_option
@trace_options
def step(config, epoch_number, step_number, batches, precision, expand, rounding, no_color):
    """Show the steps of one epoch of CONFIG, one at a time.

    On a terminal nntrace waits for Enter between steps (q quits); piped, it
    prints them all.
    """
    from nntrace.api.commands import only_step
    from nntrace.api.runs import show_hidden_batches_note, show_steps

    spec = load(config)
    console = make_console(no_color)
    trace = traced(spec, precision, expand, rounding)
    if spec.trains:
        selection = batch_selection(trace, batches)
        bounded_show(EpochSelection(((epoch_number, epoch_number),)), selection, "--batches",
                     "show the others in a second run")  # fmt: skip
        epoch = checked(config, lambda: trace.epoch(epoch_number, selection))
        show_hidden_batches_note(console, trace, selection)
    else:
        epoch = trace.forward()
    if step_number is not None and epoch.solutions:
        try:
            only_step(epoch.solutions[0], step_number)
        except SpecError as error:
            raise usage(error) from None
    interactive = console.is_terminal and sys.stdin.isatty() and step_number is None
    show_steps(epoch, console, trace.options, step_number, wait_for_enter if interactive else lambda: True)
    report_non_finite(epoch, epoch.number)


def wait_for_enter() -> bool:
    click.echo("-- Enter: next step, q: quit --", err=True, nl=False)
    key = click.getchar()
    click.echo("\r" + " " * 32 + "\r", err=True, nl=False)
    return key not in ("q", "Q", "\x1b")


@click.command(
    epilog="""
\b
Examples:
  nntrace forward xor-step                 # the paper's XOR of step neurons
  nntrace forward my.yaml --precision 4
"""
)
@config_argument
@trace_options
def forward(config, precision, expand, rounding, no_color):
    """Run the forward pass of CONFIG only: its steps and a table of every sample's outputs.

    Targets and a learning rate are optional here; targets, when given, are shown
    beside the outputs.
    """
    show_forward(traced(load(config), precision, expand, rounding), no_color)


def show_forward(trace, no_color, quiet=False, trace_out=None, npz_out=None) -> None:
    from nntrace.api.runs import show_forward as shown

    problem = shown(trace, make_console(no_color), notify, quiet, trace_out, npz_out)
    if problem is not None:
        diverged(problem)
