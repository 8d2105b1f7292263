"""The nntrace command line: parse options, call the layers, map errors to exit codes.

Exit codes: 0 success, 1 a check failed or training diverged, 2 bad input or usage.
"""

from __future__ import annotations

import functools
import os
import re
import sys

import click

from nntrace import __version__

EXAMPLES_RUN = """
\b
Examples:
  nntrace run                          # the paper's worked example, Steps 1-11
  nntrace run configs/paper.yaml --precision 5
  nntrace run my.yaml --epochs 100     # train 100 epochs, show the steps of epoch 1
"""

EXAMPLES_STEP = """
\b
Examples:
  nntrace step --epoch 2               # the steps of epoch 2 of the built-in example
  nntrace step my.yaml --epoch 3 --step 7
  nntrace step | less                  # piped: all steps at once
"""


class InputError(click.ClickException):
    """Bad input: one clear message on stderr, exit code 2."""

    exit_code = 2

    def show(self, file=None) -> None:
        click.echo(f"nntrace: error: {self.format_message()}", err=True)


def reports_input_errors(command):
    """Turn a SpecError into an InputError that names the file."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        from nntrace.spec import SpecError

        try:
            return command(*args, **kwargs)
        except SpecError as error:
            source = kwargs.get("config") or "built-in example"
            raise InputError(f"{source}: {error}") from None

    return wrapper


def config_argument(command):
    return click.argument("config", required=False, type=click.Path(dir_okay=True, path_type=str))(command)


def output_options(command):
    command = click.option("--no-color", is_flag=True, help="Plain text, no colours (NO_COLOR is honoured too).")(command)
    command = click.option("--precision", type=click.IntRange(0, 15), default=3, show_default=True,
                           metavar="N", help="Decimals shown for every number.")(command)
    return command


class EpochList(click.ParamType):
    """A comma-separated list of epochs: numbers, ranges like 5-8, `last`, `all`."""

    name = "EPOCHS"

    def convert(self, value, param, ctx):
        if not isinstance(value, str):
            return value
        tokens = [token.strip() for token in value.split(",") if token.strip()]
        pattern = re.compile(r"^(\d+)(?:-(\d+))?$")
        for token in tokens:
            match = pattern.match(token)
            if token not in ("last", "all") and not (match and int(match.group(1)) >= 1):
                self.fail(f"{token!r} is not an epoch: use numbers from 1, ranges like 5-8, 'last' or 'all'",
                          param, ctx)
        if not tokens:
            self.fail("expected at least one epoch, e.g. 1,10,last", param, ctx)
        return tuple(tokens)


def resolve_epochs(tokens: tuple[str, ...], epochs: int, option: str) -> set[int]:
    chosen: set[int] = set()
    for token in tokens:
        if token == "all":
            chosen.update(range(1, epochs + 1))
        elif token == "last":
            chosen.add(epochs)
        else:
            first, _, last = token.partition("-")
            low, high = int(first), int(last or first)
            if high > epochs or low > high:
                raise InputError(f"{option} {token}: the run has epochs 1 to {epochs}")
            chosen.update(range(low, high + 1))
    return chosen


def make_console(no_color: bool):
    from rich.console import Console

    return Console(no_color=no_color or None, highlight=False, soft_wrap=False)


def load(config: str | None):
    from nntrace.spec import load_builtin_example, load_spec

    return load_builtin_example() if config is None else load_spec(config)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="nntrace")
def main():
    """Trace backpropagation step by step, as a worked example is written by hand.

    A network is written as YAML (inputs, targets, weights, biases, activation,
    learning rate); nntrace runs the forward and backward passes and prints every
    numbered step: the formula, the matrices that go in, the matrix that comes out.

    \b
    Examples:
      nntrace run                      # the paper's worked example, Steps 1-11
      nntrace step --epoch 2 --step 10 # one step of the second epoch
      nntrace run my.yaml --precision 5
    """


@main.command(epilog=EXAMPLES_RUN)
@config_argument
@click.option("--epochs", type=click.IntRange(min=0), metavar="N", help="Epochs to train (default: the spec's epochs).")
@click.option("--json", "json_path", metavar="PATH",
              help="Write the trace as JSON to PATH (- for stdout, which then carries nothing else).")
@click.option("--trace-epochs", type=EpochList(), metavar="EPOCHS",
              help="Epochs the JSON trace records, e.g. 1,10,last or 1-5 (default: all).")
@output_options
@reports_input_errors
def run(config, epochs, json_path, trace_epochs, precision, no_color):
    """Train the network of CONFIG and print the steps of its first epoch.

    CONFIG is a YAML spec; without it, the paper's worked example built into nntrace.
    """
    from nntrace.engine import build_network, train
    from nntrace.render import StepView, epoch_heading, number_text, trace_header
    from nntrace.steps import epoch_steps

    spec = load(config)
    if epochs is not None:
        spec = _with_epochs(spec, epochs)
    if trace_epochs and not json_path:
        raise InputError("--trace-epochs chooses the epochs of the JSON trace: give --json PATH too")
    recorded = resolve_epochs(trace_epochs or ("all",), spec.epochs, "--trace-epochs") if json_path else set()
    shown = set() if json_path == "-" else {1}
    console = make_console(no_color)
    network = build_network(spec)
    trace_file = _trace_writer(json_path, spec, network)
    if shown:
        console.print(trace_header(spec, network, precision))
        console.print()

    def show(record):
        console.print(epoch_heading(record.epoch, record.batch, record.n_batches))
        console.print()
        for one in epoch_steps(network, record, spec.layout):
            console.print(StepView(one, precision))
        console.print(f"Loss {network.loss.formula} = {number_text(record.loss, precision)}"
                      f" (epoch {record.epoch}, before its updates)")

    with trace_file as writer:
        def on_record(record):
            if record.epoch in recorded:
                writer.write(record)
            if record.epoch in shown:
                show(record)

        training = train(network, spec.inputs, spec.targets, spec.epochs, batch_size=spec.batch_size,
                         shuffle=spec.shuffle, traced=recorded | shown, on_record=on_record)
        if writer is not None:
            writer.finish(training.losses)
    if shown and spec.epochs > 1:
        console.print(f"Loss after {spec.epochs} epochs: last epoch {number_text(training.losses[-1], precision)}")
    if json_path and json_path != "-":
        click.echo(f"nntrace: wrote the trace of {len(recorded)} epoch(s) to {json_path}", err=True)


def _trace_writer(json_path, spec, network):
    import contextlib

    from nntrace.export import TraceWriter

    if not json_path:
        return contextlib.nullcontext()
    if json_path != "-":
        directory = os.path.dirname(os.path.abspath(json_path))
        if not os.path.isdir(directory):
            raise InputError(f"--json {json_path}: the directory {directory} does not exist")
    return TraceWriter(json_path, spec, network)


@main.command(epilog=EXAMPLES_STEP)
@config_argument
@click.option("--epoch", type=click.IntRange(min=1), default=1, show_default=True, metavar="N",
              help="The epoch to show; it starts from the parameters epoch N-1 left.")
@click.option("--step", "step_number", type=click.IntRange(min=1), metavar="K", help="Show only step K.")
@output_options
@reports_input_errors
def step(config, epoch, step_number, precision, no_color):
    """Show the steps of one epoch of CONFIG, one at a time.

    On a terminal nntrace waits for Enter between steps (q quits); piped, it
    prints them all.
    """
    from nntrace.engine import build_network, train
    from nntrace.render import StepView, epoch_heading
    from nntrace.steps import epoch_steps

    spec = load(config)
    console = make_console(no_color)
    network = build_network(spec)
    training = train(network, spec.inputs, spec.targets, epoch, batch_size=spec.batch_size,
                     shuffle=spec.shuffle, traced={epoch})
    interactive = console.is_terminal and sys.stdin.isatty() and step_number is None
    for record in training.records:
        steps = epoch_steps(network, record, spec.layout)
        if step_number is not None:
            if step_number > len(steps):
                raise InputError(f"--step {step_number}: this network's epochs have steps 1 to {len(steps)}")
            steps = [steps[step_number - 1]]
        console.print(epoch_heading(record.epoch, record.batch, record.n_batches))
        console.print()
        for position, one in enumerate(steps):
            console.print(StepView(one, precision))
            if interactive and position < len(steps) - 1 and not _wait_for_enter():
                return


def _wait_for_enter() -> bool:
    click.echo("-- Enter: next step, q: quit --", err=True, nl=False)
    key = click.getchar()
    click.echo("\r" + " " * 32 + "\r", err=True, nl=False)
    return key not in ("q", "Q", "\x1b")


def _with_epochs(spec, epochs: int):
    import dataclasses

    return dataclasses.replace(spec, epochs=epochs)


@main.command(epilog="""
\b
Examples:
  nntrace gradcheck                    # the paper's example
  nntrace gradcheck my.yaml --tolerance 1e-7
""")
@config_argument
@click.option("--tolerance", type=click.FloatRange(min=0, min_open=True), default=1e-5, show_default=True,
              help="Largest relative error that passes.")
@click.option("--no-color", is_flag=True, help="Plain text, no colours (NO_COLOR is honoured too).")
@reports_input_errors
def gradcheck(config, tolerance, no_color):
    """Compare every backpropagated gradient with a central finite difference.

    At the starting parameters over all samples, per parameter matrix: the largest
    relative error and a verdict. Exit code 1 if any exceeds the tolerance.
    """
    from nntrace.engine import build_network
    from nntrace.gradcheck import check_gradients
    from nntrace.render import gradcheck_table

    spec = load(config)
    if spec.targets is None:
        raise InputError(f"{config or 'built-in example'}: targets: a gradient needs targets; add `targets:`")
    stepped = [layer.name for layer in spec.layers if layer.activation == "step"]
    if stepped:
        raise InputError(f"layer {stepped[0]!r} uses the step function, which has no gradient to check")
    checks = check_gradients(build_network(spec), spec.inputs, spec.targets, tolerance)
    console = make_console(no_color)
    console.print(gradcheck_table(checks))
    failed = [check.key for check in checks if not check.passed]
    if failed:
        console.print(f"FAILED: {', '.join(failed)} exceed the tolerance {tolerance:g}")
        sys.exit(1)
    console.print(f"All {len(checks)} parameter matrices agree within {tolerance:g}.")
