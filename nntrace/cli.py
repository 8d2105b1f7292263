"""The nntrace command line: parse options, call the layers, map errors to exit codes.

Exit codes: 0 success, 1 a check failed or training diverged, 2 bad input or usage.
Results go to stdout, progress and messages to stderr.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys

import click

from nntrace import __version__


class InputError(click.ClickException):
    """Bad input: one clear message on stderr, exit code 2."""

    exit_code = 2

    def show(self, file=None) -> None:
        click.echo(f"nntrace: error: {self.format_message()}", err=True)


class EpochList(click.ParamType):
    """A comma-separated list of epochs: numbers, ranges like 5-8, `last`, `all`."""

    name = "EPOCHS"

    def convert(self, value, param, ctx):
        if not isinstance(value, str):
            return value
        tokens = [token.strip() for token in value.split(",") if token.strip()]
        for token in tokens:
            match = re.match(r"^(\d+)(?:-(\d+))?$", token)
            if token not in ("last", "all") and not (match and int(match.group(1)) >= 1):
                self.fail(
                    f"{token!r} is not an epoch: use numbers from 1, ranges like 5-8, 'last' or 'all'", param, ctx
                )
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
            if low > high:
                raise InputError(
                    f"{option} {token}: a range goes from the lower epoch to the higher, e.g. {high}-{low}"
                )
            if high > epochs:
                raise InputError(f"{option} {token}: the run has epochs 1 to {epochs}")
            chosen.update(range(low, high + 1))
    return chosen


def config_argument(command):
    return click.argument("config", required=False, type=click.Path(path_type=str))(command)


def color_option(command):
    return click.option("--no-color", is_flag=True, help="Plain text, no colours (NO_COLOR is honoured too).")(command)


def precision_option(command):
    return click.option(
        "--precision",
        type=click.IntRange(0, 15),
        default=3,
        show_default=True,
        metavar="N",
        help="Decimals shown for every number.",
    )(command)


def epoch_option(help_text: str):
    return click.option(
        "--epoch", type=click.IntRange(min=1), default=1, show_default=True, metavar="N", help=help_text
    )


def trace_options(command):
    """The options of every command that prints steps."""
    command = color_option(command)
    command = click.option(
        "--round",
        "rounding",
        type=click.IntRange(0, 15),
        metavar="N",
        help="Round every intermediate quantity to N decimals before it is used further, "
        "as by hand (the parameters themselves are not rounded).",
    )(command)
    command = click.option(
        "--expand/--no-expand",
        default=None,
        help="Write out each element's arithmetic under the equations (default: only for small matrices).",
    )(command)
    return precision_option(command)


def make_console(no_color: bool):
    from rich.console import Console

    return Console(no_color=no_color or None, highlight=False, soft_wrap=False)


def load(config: str | None):
    """The spec at CONFIG, or the built-in example; a bad spec is an InputError naming the file."""
    from nntrace.spec import load_builtin_example, load_spec

    return checked(config, lambda: load_builtin_example() if config is None else load_spec(config))


def checked(config: str | None, make):
    """`make()`, with a SpecError turned into an InputError naming the file."""
    from nntrace.spec import SpecError

    try:
        return make()
    except SpecError as error:
        raise InputError(f"{config or 'built-in example'}: {error}") from None


def build(spec, rounding=None):
    from nntrace.engine import build_network

    return build_network(spec, rounding)


def train_spec(network, spec, epochs: int, **options):
    """Train `network` for `epochs` epochs with the spec's samples and batching."""
    from nntrace.engine import train

    return train(
        network, spec.inputs, spec.targets, epochs, batch_size=spec.batch_size, shuffle=spec.shuffle, **options
    )


def check_output_directory(option: str, path: str) -> None:
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise InputError(f"{option} {path}: the directory {directory} does not exist")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="nntrace")
def main():
    """Trace backpropagation step by step, as a worked example is written by hand.

    A network is written as YAML (inputs, targets, weights, biases, activation,
    learning rate); nntrace runs the forward and backward passes and prints every
    numbered step: the formula, the matrices that go in, the matrix that comes out.
    Without CONFIG, every command uses the paper's worked example built into nntrace.

    \b
    Examples:
      nntrace run                          # the paper's worked example, Steps 1-11
      nntrace step --epoch 2 --step 10     # one step of the second epoch
      nntrace explain 'W_out[1,1]'         # one weight's chain rule
      nntrace forward configs/xor-step.yaml
      nntrace params 4 5 7 5 2
    """


@main.command(
    epilog="""
\b
Examples:
  nntrace run                              # the paper's worked example, Steps 1-11
  nntrace run configs/paper.yaml --precision 5 --no-expand
  nntrace run --round 3 --precision 4      # as worked by hand, 3 decimals
  nntrace run configs/paper-training.yaml --quiet --log-scale
  nntrace run my.yaml --epochs 10000 --show 1,last --plot loss.png
  nntrace run my.yaml --epochs 100 --json trace.json
"""
)
@config_argument
@click.option("--epochs", type=click.IntRange(min=0), metavar="N", help="Epochs to train (default: the spec's epochs).")
@click.option(
    "--show", type=EpochList(), metavar="EPOCHS", help="Epochs whose steps are printed, e.g. 1,100,last (default: 1)."
)
@click.option("--quiet", "-q", is_flag=True, help="Print only the training summary.")
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
    "--trace-epochs",
    type=EpochList(),
    metavar="EPOCHS",
    help="Epochs the JSON trace records, e.g. 1,10,last or 1-5 (default: all).",
)
@trace_options
def run(
    config, epochs, show, quiet, log_scale, plot_path, json_path, trace_epochs, precision, expand, rounding, no_color
):
    """Train the network of CONFIG, print the steps of the epochs asked for, then a summary.

    By default the steps of epoch 1 are printed; a run of more than one epoch ends
    with a summary: the loss at the first and last epoch, every sample's prediction
    beside its target, and the loss curve. A progress bar is shown on stderr while
    training when stderr is a terminal. A spec with `epochs: 0` (or --epochs 0) runs
    the forward pass only, as `nntrace forward` does.
    """
    from nntrace.render import EpochView, trace_header
    from nntrace.summary import EpochProgress, TrainingSummary

    spec = load(config)
    if epochs is not None:
        spec = checked(config, lambda: spec.with_epochs(epochs))
    if trace_epochs and not json_path:
        raise InputError("--trace-epochs chooses the epochs of the JSON trace: give --json PATH too")
    if not spec.trains:
        if json_path or plot_path:
            raise InputError(f"{'--json' if json_path else '--plot'} needs training epochs, and this run has none")
        return show_forward(spec, precision, expand, rounding, no_color)
    check_plot_path(plot_path)
    to_stdout_json = json_path == "-"
    recorded = resolve_epochs(trace_epochs or ("all",), spec.epochs, "--trace-epochs") if json_path else set()
    shown = set() if quiet or to_stdout_json else resolve_epochs(show or ("1",), spec.epochs, "--show")
    console = make_console(no_color)
    network = build(spec, rounding)
    trace_file = trace_writer(json_path, spec, network)
    if shown:
        console.print(trace_header(spec, network, precision, rounding))
        console.print()

    with trace_file as writer, EpochProgress(spec.epochs, not quiet, no_color) as progress:

        def on_record(record):
            if record.epoch in recorded:
                writer.write(record)
            if record.epoch in shown:
                with progress.pause():
                    console.print(EpochView(network, record, spec.layout, precision, expand))

        training = train_spec(
            network,
            spec,
            spec.epochs,
            traced=recorded | shown,
            on_record=on_record,
            progress=progress.callback,
            progress_every=progress.every,
        )
        if writer is not None:
            writer.finish(training.losses)
    if training.divergence is not None:
        click.echo(f"nntrace: {divergence_message(training.divergence, training.epochs_done)}", err=True)
    if not to_stdout_json and (spec.epochs > 1 or quiet or training.divergence):
        if shown:
            console.print()
        console.print(
            TrainingSummary(
                spec, network, training.losses, precision, log_scale, stopped_early=training.divergence is not None
            )
        )
    if plot_path and training.epochs_done:
        from nntrace.plot import write_loss_plot

        write_loss_plot(training.losses, plot_path, spec.name or "Training loss", network.loss.name, log_scale)
        click.echo(f"nntrace: wrote the loss curve to {plot_path}", err=True)
    if json_path and not to_stdout_json:
        click.echo(f"nntrace: wrote the trace of {len(recorded)} epoch(s) to {json_path}", err=True)
    if training.divergence is not None:
        sys.exit(1)


def divergence_message(divergence, epochs_done: int) -> str:
    if divergence.during_update:
        what = f"the update of epoch {divergence.epoch} made {divergence.quantity} NaN or infinite"
    else:
        what = f"in epoch {divergence.epoch}, {divergence.quantity} became NaN or infinite"
    return (
        f"training diverged: {what}; stopped after {epochs_done} complete epoch(s). "
        "A smaller learning_rate (or inputs scaled to about [0, 1]) usually helps."
    )


def check_plot_path(plot_path: str | None) -> None:
    from nntrace.plot import FORMATS, INSTALL_HINT, plotting_available

    if plot_path is None:
        return
    suffix = os.path.splitext(plot_path)[1].lower()
    if suffix not in FORMATS:
        raise InputError(f"--plot {plot_path}: expected a file name ending in {' or '.join(FORMATS)}")
    check_output_directory("--plot", plot_path)
    if not plotting_available():
        raise InputError(f"--plot needs matplotlib, which is not installed; install it with: {INSTALL_HINT}")


def trace_writer(json_path, spec, network):
    from nntrace.export import TraceWriter

    if not json_path:
        return contextlib.nullcontext()
    if json_path != "-":
        check_output_directory("--json", json_path)
    return TraceWriter(json_path, spec, network)


@main.command(
    epilog="""
\b
Examples:
  nntrace step --epoch 2                   # the steps of epoch 2 of the built-in example
  nntrace step my.yaml --epoch 3 --step 7
  nntrace step | less                      # piped: all steps at once
"""
)
@config_argument
@epoch_option("The epoch to show; it starts from the parameters epoch N-1 left.")
@click.option("--step", "step_number", type=click.IntRange(min=1), metavar="K", help="Show only step K.")
@trace_options
def step(config, epoch, step_number, precision, expand, rounding, no_color):
    """Show the steps of one epoch of CONFIG, one at a time.

    On a terminal nntrace waits for Enter between steps (q quits); piped, it
    prints them all.
    """
    from nntrace.render import EpochView, StepView

    spec = load(config)
    console = make_console(no_color)
    network = build(spec, rounding)
    if spec.trains:
        records = train_spec(network, spec, epoch, traced={epoch}).records
    else:
        records = [network.record_forward(spec.inputs)]
    interactive = console.is_terminal and sys.stdin.isatty() and step_number is None
    for record in records:
        view = EpochView(network, record, spec.layout, precision, expand)
        steps = view.steps()
        if step_number is not None:
            if step_number > len(steps):
                raise InputError(f"--step {step_number}: this network's epochs have steps 1 to {len(steps)}")
            steps = [steps[step_number - 1]]
        console.print(view.heading())
        console.print()
        for position, one in enumerate(steps):
            console.print(StepView(one, precision))
            if interactive and position < len(steps) - 1 and not wait_for_enter():
                return
        loss_line = view.loss_line()
        if step_number is None and loss_line is not None:
            console.print(loss_line)


def wait_for_enter() -> bool:
    click.echo("-- Enter: next step, q: quit --", err=True, nl=False)
    key = click.getchar()
    click.echo("\r" + " " * 32 + "\r", err=True, nl=False)
    return key not in ("q", "Q", "\x1b")


@main.command(
    epilog="""
\b
Examples:
  nntrace forward configs/xor-step.yaml    # the paper's XOR of step neurons
  nntrace forward my.yaml --precision 4
"""
)
@config_argument
@trace_options
def forward(config, precision, expand, rounding, no_color):
    """Run the forward pass of CONFIG only: its steps and a table of every sample's outputs.

    Targets are optional here; when given they are shown beside the outputs.
    """
    show_forward(load(config), precision, expand, rounding, no_color)


def show_forward(spec, precision, expand, rounding, no_color) -> None:
    from nntrace.render import EpochView, ForwardTable, trace_header

    console = make_console(no_color)
    network = build(spec, rounding)
    spec = spec.with_epochs(0)
    record = network.record_forward(spec.inputs)
    console.print(trace_header(spec, network, precision, rounding))
    console.print()
    console.print(EpochView(network, record, spec.layout, precision, expand))
    console.print(ForwardTable(network, record, spec.targets, precision, spec.feature_names))
    if spec.targets is not None:
        from nntrace.render import number_text

        loss = network.loss_value(spec.inputs, spec.targets)
        console.print(f"Loss {network.loss.formula} = {number_text(loss, precision)} (at the given parameters)")


@main.command(
    epilog="""
\b
Examples:
  nntrace explain 'W_out[1,1]'             # the paper's example, epoch 1
  nntrace explain 'b_h[2]' --epoch 3
  nntrace explain my.yaml 'W_h1[2,1]'
"""
)
@click.argument("arguments", nargs=-1, required=True, metavar="[CONFIG] PARAMETER")
@epoch_option("The epoch whose numbers are used.")
@precision_option
@color_option
def explain(arguments, epoch, precision, no_color):
    """Derive one parameter's gradient by the chain rule, with the numbers of an epoch.

    PARAMETER is written as papers index it, from 1: W_out[1,1] (row, column, as the
    spec types the weights) or b_h[2]. Each factor is shown with its meaning and value
    per sample, then their product, the sum over the samples, and the update.
    """
    from nntrace.explain import UnknownParameter, explain as chain_rule, parse_parameter
    from nntrace.render import ExplanationView

    if len(arguments) > 2:
        raise click.UsageError("expected [CONFIG] PARAMETER")
    config, reference = (None, arguments[0]) if len(arguments) == 1 else arguments
    spec = load(config)
    if spec.targets is None or not spec.trains:
        raise InputError(
            f"{config or 'built-in example'}: explain needs a spec that trains (targets, "
            "learning_rate and epochs of at least 1)"
        )
    network = build(spec)
    try:
        parameter = parse_parameter(reference, network, spec.layout)
    except UnknownParameter as error:
        raise InputError(str(error)) from None
    records = train_spec(network, spec, epoch, traced={epoch}).records
    console = make_console(no_color)
    for record in records:
        if record.n_batches > 1:
            console.print(f"Epoch {epoch}, batch {record.batch} of {record.n_batches}")
        console.print(ExplanationView(chain_rule(network, record, parameter, spec.layout), precision))


@main.command(
    epilog="""
\b
Examples:
  nntrace params 4 5 7 5 2                 # the paper's 119
  nntrace params 784 16 16 10              # the essay's 13002
"""
)
@click.argument("sizes", nargs=-1, required=True, type=click.IntRange(min=1), metavar="SIZES...")
@color_option
def params(sizes, no_color):
    """Count the weights and biases of a dense network with layer SIZES (inputs first)."""
    from nntrace.render import parameter_count_table

    if len(sizes) < 2:
        raise InputError("give at least two layer sizes: the inputs and the outputs, e.g. 4 3 1")
    make_console(no_color).print(parameter_count_table(list(sizes)))


@main.command(
    epilog="""
\b
Examples:
  nntrace gradcheck                        # the paper's example
  nntrace gradcheck my.yaml --tolerance 1e-7
"""
)
@config_argument
@click.option(
    "--tolerance",
    type=click.FloatRange(min=0, min_open=True),
    default=1e-5,
    show_default=True,
    help="Largest relative error that passes.",
)
@color_option
def gradcheck(config, tolerance, no_color):
    """Compare every backpropagated gradient with a central finite difference.

    At the starting parameters over all samples, per parameter matrix: the largest
    relative error and a verdict. Exit code 1 if any exceeds the tolerance.
    """
    from nntrace.gradcheck import check_gradients
    from nntrace.render import gradcheck_table

    spec = load(config)
    if spec.targets is None:
        raise InputError(f"{config or 'built-in example'}: targets: a gradient needs targets; add `targets:`")
    stepped = [layer.name for layer in spec.layers if layer.activation == "step"]
    if stepped:
        raise InputError(f"layer {stepped[0]!r} uses the step function, which has no gradient to check")
    checks = check_gradients(build(spec), spec.inputs, spec.targets, tolerance)
    console = make_console(no_color)
    console.print(gradcheck_table(checks))
    failed = [check.key for check in checks if not check.passed]
    if failed:
        console.print(f"FAILED: {', '.join(failed)} exceed the tolerance {tolerance:g}")
        sys.exit(1)
    console.print(f"All {len(checks)} parameter matrices agree within {tolerance:g}.")
