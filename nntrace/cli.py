"""The nntrace command line: parse options, call the API, map errors to exit codes.

Exit codes: 0 success; 1 training diverged, a quantity became NaN or infinite, or a gradient
check failed; 2 bad input or usage (nothing was written); 70 a bug in nntrace (an exception no
input should reach: one line says so, NNTRACE_DEBUG=1 shows the traceback); 130 interrupted by
Ctrl-C; 141 the reader of stdout went away (`nntrace run | head`); 129 and 143 hung up or terminated.
Results go to stdout, progress and messages to stderr.
"""

from __future__ import annotations

import contextlib
import errno
import io
import math
import os
import sys
from pathlib import Path

import click

from nntrace import __version__
from nntrace.common.epochs import EpochSelection, EpochSelectionError, check_tokens, furthest
from nntrace.common.errors import OutputError, SpecError, printable
from nntrace.common.limits import MAX_INPUT_OPTION, input_limit, parse_size
from nntrace.common.signals import CLOSED_PIPE_EXIT, INTERRUPT_EXIT, Terminated, unwinding_signals

# Measured on this project's 2-core machines: for these small matrices a second OpenBLAS thread
# costs CPU and saves no time (784-16-16-10, 2,000 samples: 0.76x the CPU on one thread, the same
# wall time). Set before numpy is first imported; an explicit OPENBLAS_NUM_THREADS wins.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

FORMAT_NAMES = ("beamer", "html", "latex", "markdown", "typst")  # the API's document formats, named here to keep --help quick
PAPER_NAMES = ("letter", "a4", "slide", "wide-slide")  # documents.pages.PAGES
DRAWING_FORMATS = ("svg", "tikz")  # the drawing's formats (api.commands.DRAWING_FORMATS), named here for the same reason
BUG_EXIT = 70  # EX_SOFTWARE of sysexits.h: an internal error
BUG_REPORTS = "nntrace's issue tracker"  # where a bug is reported: the project's repository, under Issues


class InputError(click.ClickException):
    """Bad input: one clear message on stderr and how to fix it, exit code 2."""

    exit_code = 2

    def __init__(self, problem: str, fix: str | None = None):
        super().__init__(f"{problem}\n  fix: {fix}" if fix else problem)

    def show(self, file=None) -> None:
        click.echo(f"nntrace: error: {printable(self.format_message())}", err=True)


class Nntrace(click.Group):
    """The command group, with every way a run can end mapped to its exit code."""

    def main(self, *args, **kwargs):
        with unwinding_signals():
            return super().main(*args, **kwargs)

    def invoke(self, ctx):
        _replace_unencodable_output()
        if sys.stdout is None:  # started with stdout closed (`nntrace run >&-`)
            raise InputError(
                "stdout is closed, so nothing can be printed", "give the command an output, e.g. > out.txt"
            )
        try:
            result = super().invoke(ctx)
            sys.stdout.flush()
            return result
        except SpecError as error:
            raise InputError(str(error)) from None
        except OutputError as error:
            raise InputError(str(error)) from None
        except BrokenPipeError:
            _silence_stdout()
            sys.exit(CLOSED_PIPE_EXIT)
        except KeyboardInterrupt:
            click.echo("nntrace: interrupted", err=True)
            sys.exit(INTERRUPT_EXIT)
        except Terminated as signal:
            sys.exit(signal.exit_code)
        except OSError as error:
            if error.errno == errno.EPIPE:
                _silence_stdout()
                sys.exit(CLOSED_PIPE_EXIT)
            _silence_stdout()
            where = f" {error.filename}" if error.filename else ""
            # One line, as the shell's own write errors are.
            raise InputError(f"cannot write the output{where}: {error.strerror or error}") from None
        except MemoryError:
            _silence_stdout()
            raise InputError(
                "ran out of memory: the data, the network or what is shown is larger than this machine holds",
                "use fewer samples, smaller layers or fewer shown epochs",
            ) from None
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as error:  # the last line of defence: no input should get here
            internal_error(error)


def internal_error(error: Exception) -> None:
    """An exception no input should reach: one line saying so, exit 70 (temporaries are already removed)."""
    if os.environ.get("NNTRACE_DEBUG"):
        import traceback

        traceback.print_exception(error)
    what = printable(" ".join(f"{type(error).__name__}: {error}".split()))
    what = what if len(what) <= 160 else what[:157] + "..."
    debug = "" if os.environ.get("NNTRACE_DEBUG") else "; NNTRACE_DEBUG=1 shows the traceback"
    click.echo(
        f"nntrace: internal error ({what}): this is a bug in nntrace, please report it with the command "
        f"and its input to {BUG_REPORTS}{debug}",
        err=True,
    )
    sys.exit(BUG_EXIT)


def _replace_unencodable_output() -> None:
    """On an output that is not UTF-8, a symbol that slipped past the ASCII stand-ins becomes '?'."""
    encoding = (getattr(sys.stdout, "encoding", None) or "utf-8").lower().replace("-", "")
    if not encoding.startswith("utf"):
        with contextlib.suppress(AttributeError, ValueError):
            sys.stdout.reconfigure(errors="replace")


def can_carry(text: str) -> bool:
    """Whether stdout's encoding can carry `text`."""
    try:
        text.encode(getattr(sys.stdout, "encoding", None) or "utf-8")
        return True
    except UnicodeEncodeError:
        return False


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so Python's final flush of what is left cannot fail again."""
    with contextlib.suppress(OSError, ValueError, AttributeError, io.UnsupportedOperation):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def diverged(message: str) -> None:
    """A NaN or an infinity was met: say where, on stderr, and exit 1."""
    click.echo(f"nntrace: {message}", err=True)
    sys.exit(1)


class EpochList(click.ParamType):
    """A comma-separated list of epochs (or batches): numbers, ranges like 5-8, `last`, `all`."""

    name = "EPOCHS"

    def __init__(self, unit: str = "epoch"):
        self.unit = unit

    def convert(self, value, param, ctx):
        if not isinstance(value, str):
            return value
        try:
            return check_tokens(value, self.unit)
        except EpochSelectionError as error:
            self.fail(str(error), param, ctx)


class FiniteTolerance(click.ParamType):
    name = "FLOAT"

    def convert(self, value, param, ctx):
        try:
            number = float(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a number", param, ctx)
        if not math.isfinite(number) or number <= 0:
            self.fail(f"expected a finite positive number such as 1e-5, found {value!r}", param, ctx)
        return number


def select(tokens: tuple[str, ...], epochs: int, option: str) -> EpochSelection:
    try:
        return EpochSelection.of(tokens, epochs, option)
    except EpochSelectionError as error:
        raise InputError(str(error), f"choose epochs from 1 to {epochs}, e.g. {option} 1,last") from None


def config_argument(command):
    command = input_option(command)
    return click.argument("config", required=False, type=click.Path(path_type=str))(command)


class InputSize(click.ParamType):
    """A size in bytes, written as 300MB, 2GB or 500000."""

    name = "SIZE"

    def convert(self, value, param, ctx):
        if isinstance(value, int):
            return value
        try:
            return parse_size(value)
        except ValueError as error:
            self.fail(str(error), param, ctx)


def _raise_input_limit(ctx, param, size):
    if size is not None:
        ctx.with_resource(input_limit(size))  # for this command only
    return size


def input_option(command):
    return click.option(
        MAX_INPUT_OPTION,
        "max_input",
        type=InputSize(),
        metavar="SIZE",
        expose_value=False,
        callback=_raise_input_limit,
        help="Read input files up to SIZE (e.g. 1GB) instead of the caps: a spec 16 MB, a CSV 256 MB.",
    )(command)


def color_option(command):
    return click.option("--no-color", is_flag=True, help="Plain text: no colours, no bold (NO_COLOR is honoured too).")(
        command
    )


def precision_option(command):
    """--precision N (decimals) and --digits N (significant digits): how every number is shown.
    --digits is read by `traced` from the context, so each command takes `precision` alone."""
    command = click.option(
        "--digits",
        type=click.IntRange(1, 15),
        metavar="N",
        expose_value=False,
        callback=_keep_digits,
        help="Show every number with N significant digits instead of a number of decimals.",
    )(command)
    return click.option(
        "--precision",
        type=click.IntRange(0, 15),
        metavar="N",
        help="Decimals shown for every number (default: the spec's precision:, else 3).",
    )(command)


def _keep_digits(ctx, param, value):
    ctx.meta["digits"] = value
    return value


def epoch_option(help_text: str, name: str = "epoch"):
    return click.option(
        "--epoch", name, type=click.IntRange(min=1), default=1, show_default=True, metavar="N", help=help_text
    )


def batches_option(command):
    return click.option(
        "--batches",
        type=EpochList("batch"),
        metavar="BATCHES",
        help="With mini-batches, the batches of an epoch worked out, e.g. 1,last or all "
        "(default: all of up to 3, else the first).",
    )(command)


def batch_selection(trace, tokens):
    """The batches `--batches` names, as an InputError when it names none of an epoch's."""
    try:
        return trace.batches(tokens)
    except EpochSelectionError as error:
        n = trace.n_batches
        raise InputError(str(error), f"choose batches from 1 to {n}, e.g. --batches 1,last") from None


def force_option(help_text: str):
    return click.option("--force", is_flag=True, help=help_text)


def trace_options(command):
    """The options of every command that prints steps: --no-color, and step_options."""
    return step_options(color_option(command))


def step_options(command):
    """The options of every command that works out steps, printed or written as a document."""
    command = click.option(
        "--round",
        "rounding",
        type=click.IntRange(0, 15),
        metavar="N",
        help="Round every intermediate quantity to N decimals before it is used further, "
        "as by hand (halves away from zero; the parameters themselves are not rounded).",
    )(command)
    command = click.option(
        "--expand/--no-expand",
        default=None,
        help="Write out each element's arithmetic under the equations (default: only for small matrices).",
    )(command)
    return precision_option(command)


def plain(no_color: bool) -> bool:
    return no_color or bool(os.environ.get("NO_COLOR"))


def make_console(no_color: bool):
    from nntrace import api

    return api.console(plain(no_color))


def notify(message: str) -> None:
    """A message beside the results: on stderr."""
    click.echo(f"nntrace: {message}", err=True)


def load(config: str | None):
    """The spec at CONFIG (a file, or the name of a shipped example), or the built-in example."""
    from nntrace import api

    return checked(config, lambda: api.load_spec(config))


def checked(config: str | None, make):
    """`make()`, with a SpecError turned into an InputError naming the file."""
    try:
        return make()
    except SpecError as error:
        raise InputError(f"{config or 'built-in example'}: {error}") from None


def input_files(config: str | None, spec) -> list[Path]:
    """The files this run reads, which no output may replace: its spec (a shipped example's too) and CSV."""
    from nntrace import api

    files = [path for path in [api.spec_file(config)] if path is not None]
    return files + ([spec.data.csv] if spec.data is not None else [])


def output(option: str, given: str | None, inputs: list[Path]):
    if given is None:
        return None
    from nntrace import api
    from nntrace.common.files import resolve_output  # only a run that writes somewhere

    try:
        return resolve_output(given, option, inputs, api.shipped_files())
    except OutputError as error:
        raise InputError(str(error)) from None


def one_output_each(first: tuple[str, object], second: tuple[str, object], fix: str = "give each its own file") -> None:
    """Refuse two outputs, each (its option as typed, its resolved Output or None), with one destination."""
    (name, out), (other_name, other) = first, second
    if out is not None and other is not None and out.destination == other.destination:
        where = "stdout" if out.is_stdout else out.given
        raise InputError(f"{name} and {other_name} would both write to {where}", fix)


def traced(spec, precision: int | None = None, expand: bool | None = None, rounding: int | None = None):
    """The API's trace of `spec` with the options of this command: numbers shown as --precision or
    --digits say, else as the spec's precision: or digits: say, else with 3 decimals."""
    from nntrace import api

    context = click.get_current_context(silent=True)
    digits = context.meta.get("digits") if context is not None else None
    if precision is not None and digits is not None:
        raise InputError("--precision and --digits both say how numbers are shown", "give only one of them")
    if precision is None and digits is None:
        precision, digits = (spec.precision, spec.digits) if spec.precision or spec.digits else (3, None)
    return api.Trace(spec, rounding, api.RenderOptions(precision=precision or 3, expand=expand, digits=digits))


def usage(error: SpecError) -> InputError:
    """A SpecError from the API about an option or argument, as the command line reports it."""
    return InputError(f"{error.field}: {error.problem}" if error.field else error.problem, error.fix)


@click.group(cls=Nntrace, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="nntrace")
def main():
    """Trace backpropagation step by step, as a worked example is written by hand.

    A network is written as YAML (inputs, targets, weights, biases, activation,
    learning rate); nntrace runs the forward and backward passes and prints every
    numbered step: the formula, the matrices that go in, the matrix that comes out.
    Without CONFIG, every command uses the paper's worked example built into nntrace;
    CONFIG may also name a shipped example (see `nntrace examples`).

    \b
    Examples:
      nntrace run                          # the paper's worked example, Steps 1-11
      nntrace step --epoch 2 --step 10     # one step of the second epoch
      nntrace explain 'W_out[1,1]'         # one weight's chain rule
      nntrace run two-hidden               # a shipped example, by name
      nntrace forward xor-step
      nntrace examples                     # list the shipped examples
      nntrace new 2 3 1 -o my.yaml         # a starter spec to edit
      nntrace params 4 5 7 5 2
    """


@main.command(
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
    npz_out = output("--npz", npz_path, inputs)
    plot_out = plot_output(plot_path, inputs)
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


def bounded_show(epochs: EpochSelection, batches: EpochSelection, option: str, lift: str) -> None:
    """Refuse, before any work, to show more passes than a command works out at once."""
    from nntrace.api.runs import too_many_shown

    problem = too_many_shown(epochs, batches)
    if problem:
        example = "--show 1,100,last (or fewer --batches)" if option == "--show" else "--batches 1,last"
        raise InputError(f"{option}: {problem}", f"show fewer, e.g. {example}, or {lift}")


def plot_output(plot_path: str | None, inputs: list[Path]):
    if plot_path is None:
        return None
    from nntrace.api.commands import plot_problem

    target = output("--plot", plot_path, inputs)
    problem = plot_problem(plot_path, target.file is not None)
    if problem is not None:
        raise usage(problem)
    return target


@main.command(
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
    from nntrace.api.runs import show_steps

    spec = load(config)
    console = make_console(no_color)
    trace = traced(spec, precision, expand, rounding)
    if spec.trains:
        selection = batch_selection(trace, batches)
        bounded_show(EpochSelection(((epoch_number, epoch_number),)), selection, "--batches",
                     "show the others in a second run")  # fmt: skip
        epoch = checked(config, lambda: trace.epoch(epoch_number, selection))
        note = trace.hidden_batches_note(selection)
        if note:
            console.print(note, style="dim")
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


def report_non_finite(result, epoch: int) -> None:
    """Exit 1 with a message when training met, or the epoch shown holds, a NaN or an infinity."""
    from nntrace.api.runs import non_finite_message

    message = non_finite_message(result, epoch)
    if message is not None:
        diverged(message)


def wait_for_enter() -> bool:
    click.echo("-- Enter: next step, q: quit --", err=True, nl=False)
    key = click.getchar()
    click.echo("\r" + " " * 32 + "\r", err=True, nl=False)
    return key not in ("q", "Q", "\x1b")


@main.command(
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


@main.command(
    epilog="""
\b
Examples:
  nntrace explain 'W_out[1,1]'             # the paper's example, epoch 1
  nntrace explain 'b_h[2]' --epoch 3
  nntrace explain essay-one-neuron 'W_out[1,1]' --precision 4
"""
)
@click.argument("arguments", nargs=-1, required=True, metavar="[CONFIG] PARAMETER")
@input_option
@epoch_option("The epoch whose numbers are used.")
@click.option("--to", "to", type=click.Choice(sorted(FORMAT_NAMES)), help="Write it as a document instead.")
@click.option("-o", "--output", "output_path", metavar="FILE", help="With --to: write to FILE instead of stdout.")
@batches_option
@precision_option
@color_option
def explain(arguments, epoch, to, output_path, batches, precision, no_color):
    """Derive one parameter's gradient by the chain rule, with the numbers of an epoch.

    PARAMETER is written as papers index it, from 1: W_out[1,1] (row, column, as the
    spec types the weights) or b_h[2]. Each factor is shown with its meaning and value
    per sample, then their product, the sum over the samples, and the update.
    """
    from nntrace import api

    if len(arguments) > 2:
        raise click.UsageError("expected [CONFIG] PARAMETER")
    config, reference = (None, arguments[0]) if len(arguments) == 1 else arguments
    trace = traced(checked(config, lambda: load(config).for_training()), precision)
    try:
        selection = batch_selection(trace, batches)
        bounded_show(EpochSelection(((epoch, epoch),)), selection, "--batches", "explain the others in a second run")
        explained = checked(config, lambda: trace.explain(reference, epoch, selection))
    except api.UnknownParameter as error:
        raise InputError(str(error), "name a parameter as listed, indexed from 1") from None
    if to is not None:
        from nntrace.api.commands import document

        target = output("-o", output_path, input_files(config, trace.spec))
        write_or_print(target, document(to, trace, explanations=explained.explanations))
        report_non_finite(explained, epoch)
        return
    if output_path:
        raise InputError("-o writes a document", "give --to latex, markdown or html too")
    make_console(no_color).print(explained)
    report_non_finite(explained, epoch)


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
    from nntrace.api.commands import parameter_table

    try:
        table = parameter_table(list(sizes))
        click.echo(table if can_carry(table) else parameter_table(list(sizes), ascii_only=True), nl=False)
    except SpecError as error:
        raise usage(error) from None

@main.command(
    epilog="""
\b
Examples:
  nntrace check configs/paper-claims.yaml     # the paper's errata
  nntrace check paper-claims                  # the same file, as shipped
  nntrace check homework.yaml --tolerance 1 --json report.json
  nntrace check homework.yaml --to markdown -o errata.md
  nntrace check homework.yaml --to latex -o marked.tex   # or --to html
  nntrace check --template paper -o mine.yaml # every claimable name, numbers blank
\b
A claims file names a spec and lists numbers by the names nntrace prints:
  spec: paper.yaml               # relative to the claims file, or inline
  tolerance: 1                   # optional: units of the last digit
  round: printed                 # optional: 2..8, or printed
  claims:
    - source: Step 2             # optional; epoch: and batch: too
      H_in[2,3]: 1.452
      W_out+: [0.295, 0.245, 0.225]   # + : after the update
"""
)
@click.argument("claims_file", metavar="CLAIMS", required=False)
@input_option
@click.option(
    "--tolerance",
    type=click.IntRange(min=0),
    metavar="UNITS",
    help="Allow this many units in a number's last digit (overrides the file's tolerance:).",
)
@click.option("--json", "json_path", metavar="FILE", help="Write the report as JSON to FILE ('-': stdout).")
@click.option("--to", "to", type=click.Choice(["html", "latex", "markdown"]),
              help="Write the report as a document instead: the claimed numbers in place, marked.")  # fmt: skip
@click.option("-o", "--output", "output_path", metavar="FILE", help="With --to or --template: write to FILE instead of stdout.")
@click.option("--template", "template", metavar="SPEC",
              help="Write a claims file for SPEC instead: every claimable name with its shape, numbers blank.")  # fmt: skip
@color_option
def check(claims_file, tolerance, json_path, to, output_path, template, no_color):
    """Check claimed numbers (a paper's, a student's) against the true ones.

    Each number is judged at the decimals it is printed with: 1.48 claims the true
    value rounded to two decimals (halves away from zero); one printed with more
    digits than float64 carries is judged at the 15 it does. The report marks every
    claimed number right or wrong, names the first wrong ones in the order of
    computation and the claims that only follow from them, and gives each first
    error's likely cause where one reproduces it without making a right claim
    wrong (hand rounding or cutting, the learning rate applied twice, the updated
    weights used for the hidden errors, the 1/2 of the loss dropped, a mean for a
    sum, sigma' from the net input, a transposed index or weight matrix, a dropped
    or swapped digit, ... or the one slipped term of a sum). Exit code 0 when
    every claim holds, 1 when any is wrong, 2 for a claims file that cannot be read.
    """
    import json

    from nntrace import api
    from nntrace.api import commands

    if template is not None:
        if claims_file is not None or json_path or to or tolerance is not None:
            raise InputError("--template writes a claims file to fill in", "give it alone: nntrace check --template SPEC")
        target = new_file_output(output_path, False) if output_path else None
        write_or_print(target, checked(template, lambda: commands.claims_template(template, output_path)))
        if target is not None:
            notify(f"fill in the numbers, then check them with: nntrace check {output_path}")
        return
    if claims_file is None:
        raise InputError("missing the claims file (CLAIMS)", "give one, or start one with: nntrace check --template SPEC")
    if output_path and to is None:
        raise InputError("-o writes a document", "give --to latex, --to markdown or --to html too")
    claims = checked(claims_file, lambda: api.read_claims(claims_file, tolerance))
    # Outputs are settled before the work, and none may replace the claims file or its spec.
    inputs = [Path(claims.source), *input_files(claims.spec.source, claims.spec)]
    json_target = output("--json", json_path, inputs)
    document_target = output("-o", output_path, inputs)
    if to is not None:  # the document goes to -o, or else to stdout
        document = (f"-o {output_path}", document_target) if output_path else (f"--to {to}", output("--to", "-", []))
        one_output_each((f"--json {json_path}", json_target), document, "send the JSON and the document to two places")
    report = api.check(claims)
    title = commands.report_title(report, claims_file)
    if json_target is not None:
        write_text(json_target, json.dumps(commands.report_json(report), indent=2, ensure_ascii=False) + "\n")
    if to is not None:
        write_or_print(document_target, commands.report_document(report, title, to))
    elif json_target is None or not json_target.is_stdout:
        make_console(no_color).print(commands.report_view(report, title))
    sys.exit(1 if report.wrong else 0)


@main.command(
    epilog="""
\b
Examples:
  nntrace gradcheck                        # the paper's example
  nntrace gradcheck two-hidden --tolerance 1e-7
  nntrace gradcheck big.yaml --entries 1000   # a random sample of a large network
"""
)
@config_argument
@click.option(
    "--tolerance",
    type=FiniteTolerance(),
    default=1e-5,
    show_default=True,
    help="Largest relative error that passes (tiny gradients are also allowed a small absolute error).",
)
@click.option(
    "--entries",
    type=click.IntRange(min=1),
    metavar="N",
    help="Check a random sample of N entries (seeded: the same ones every time), not every entry.",
)
@color_option
def gradcheck(config, tolerance, entries, no_color):
    """Compare every backpropagated gradient with a central finite difference.

    At the starting parameters over all samples, per parameter matrix: the largest
    relative and absolute error and a verdict. Entries at the kink of relu,
    leaky_relu or elu at 0, where no derivative exists, are reported as such, not as
    failures. Exit code 1 if any entry exceeds the tolerance or is not finite. For a
    large network, --entries N checks a seeded random sample of N entries; a progress
    bar runs on stderr when stderr is a terminal.
    """
    from nntrace.api.commands import check_gradients

    trace = traced(load(config))
    end = checked(config, lambda: check_gradients(trace, tolerance, make_console(no_color), entries, plain(no_color)))
    if end.problem:
        diverged(end.problem)
    if end.failed:
        sys.exit(1)

@main.command(
    epilog="""
\b
Examples:
  nntrace examples                         # list them
  nntrace examples two-hidden              # print one
  nntrace examples paper -o my.yaml        # write one out to edit
  nntrace run two-hidden                   # any command takes an example's name as CONFIG
"""
)
@click.argument("name", required=False)
@click.option(
    "-o", "--output", "output_path", metavar="FILE", help="Write the example to FILE (and its CSV beside it)."
)
@force_option("Replace FILE (or the CSV beside it) if it exists.")
@color_option
def examples(name, output_path, force, no_color):
    """List the example specs and claims files shipped with nntrace, print one, or write one out."""
    from nntrace.api import commands

    if name is None:
        if output_path:
            raise InputError("-o writes one example", "name it, e.g. `nntrace examples paper -o my.yaml`")
        make_console(no_color).print(commands.examples_listing())
        return
    try:
        path, companions = commands.example_files(name)
    except SpecError as error:
        raise InputError(str(error)) from None
    text = path.read_text("utf-8")
    target = new_file_output(output_path, force) if output_path is not None else None
    if target is None or target.file is None:  # stdout, a device or a pipe: no folder for the CSV
        write_or_print(target, text, quiet=True)
        if companions:
            names = ", ".join(extra.name for extra in companions)
            notify(f"{path.name} reads {names}, which is not written here: `nntrace examples {name} -o FILE.yaml` "
                   "writes both, the CSV beside FILE.yaml")  # fmt: skip
        return
    extras = [(extra, new_file_output(str(Path(output_path).parent / extra.name), force)) for extra in companions]
    for extra, extra_target in extras:
        if extra_target.destination == target.destination:
            raise InputError(
                f"-o {output_path}: {path.name} reads {extra.name}, which is written beside it under that same name",
                f"give the spec another name, e.g. -o {Path(output_path).with_name(path.name)}",
            )
    write_text(target, text)
    for extra, extra_target in extras:
        write_text(extra_target, extra.read_text("utf-8"))
    written = ", ".join([output_path] + [extra_target.given for _, extra_target in extras])
    notify(f"wrote {written}; {commands.example_use(path)} {output_path}")


@main.command(
    epilog="""
\b
Examples:
  nntrace new 2 3 1                        # print a 2-3-1 spec
  nntrace new 4 3 1 -o my.yaml             # the paper's shape, written to my.yaml
"""
)
@click.argument("sizes", nargs=-1, required=True, type=click.IntRange(min=1), metavar="SIZES...")
@click.option("-o", "--output", "output_path", metavar="FILE", help="Write the spec to FILE instead of stdout.")
@force_option("Replace FILE if it exists.")
def new(sizes, output_path, force):
    """Write a commented starter spec for a dense network of layer SIZES (inputs first)."""
    from nntrace.api.commands import starter

    try:
        text = starter(list(sizes))
    except SpecError as error:
        raise usage(error) from None
    if output_path is None:
        click.echo(text, nl=False)
        return
    write_text(new_file_output(output_path, force), text)
    click.echo(f"nntrace: wrote {output_path}; run it with: nntrace run {output_path}", err=True)


@main.command(
    epilog="""
\b
Examples:
  nntrace export --to latex -o paper.tex           # the paper's example, a complete document
  nntrace export --to latex --fragment --step 10   # one step, to paste into a paper
  nntrace export --to latex --fragment --step 2 --no-headings --no-code
  nntrace export digits --to latex --paper a4 -o digits.tex
  nntrace export --to beamer -o slides.tex         # 16:9 slides; --paper slide for 4:3
  nntrace export --to typst -o paper.typ           # typst compile paper.typ (PDF/UA-1)
  nntrace export two-hidden --to markdown -o notes.md
  nntrace export --to html -o paper.html           # a stepper for the browser
  nntrace export my.yaml --to html --show 1,last --precision 4
"""
)
@config_argument
@click.option("--to", "to", type=click.Choice(sorted(FORMAT_NAMES)), required=True, help="The document format.")
@click.option("-o", "--output", "output_path", metavar="FILE", help="Write to FILE instead of stdout.")
@click.option("--epoch", "epoch_number", type=click.IntRange(min=1), metavar="N", help="Export epoch N (default 1).")
@click.option("--show", type=EpochList(), metavar="EPOCHS", help="Export these epochs, e.g. 1,last or 1-3.")
@click.option("--step", "step_number", type=click.IntRange(min=1), metavar="K", help="Export only step K.")
@click.option("--fragment", is_flag=True, help="LaTeX: only the steps, to paste into an existing document; beamer: only the frames.")
@click.option(
    "--paper",
    type=click.Choice(PAPER_NAMES),
    help="The page the document is fitted to: letter (default), a4; for beamer, slide (4:3) or wide-slide (16:9, default).",
)
@click.option("--no-headings", "headings", flag_value=False, default=True, help="With --fragment: leave out the epoch and step headings.")
@click.option("--no-code", "code", flag_value=False, default=True, help="Leave out each step's numpy code form.")
@force_option("Export more than 1,000 passes (epochs x batches) in one document.")
@batches_option
@step_options
def export(
    config, to, output_path, epoch_number, show, step_number, fragment, paper, headings, code, force, batches, precision,
    expand, rounding,
):  # fmt: skip
    """Export the worked solution of CONFIG as a document: LaTeX, beamer, Typst, Markdown or HTML.

    The same steps, formulas and numbers the terminal shows, typeset and fitted to the page:
    LaTeX that compiles with pdflatex, beamer slides, Typst (a PDF/UA-1 with spoken maths),
    Markdown whose maths renders on GitHub and in Jupyter, or a single self-contained HTML
    page that steps through the solution.
    """
    from nntrace.api import commands

    if epoch_number and show:
        raise InputError("--epoch and --show both choose epochs", "give only one of them")
    if not headings and not fragment:
        raise InputError("--no-headings applies to a fragment; a whole document keeps its headings", "add --fragment")
    spec = load(config)
    target = output("-o", output_path, input_files(config, spec))
    if spec.trains:
        spec = checked(config, spec.for_training)
        # As `step --epoch N` does, an export may reach past the spec's epochs.
        reach = max(spec.epochs, epoch_number or 1, furthest(show or ()))
        spec = checked(config, lambda: spec.with_epochs(reach, "--epoch"))
        last = epoch_number or 1
        epochs = select(show, spec.epochs, "--show") if show else EpochSelection(((last, last),))
    else:
        epochs = EpochSelection(((0, 0),))
    trace = traced(spec, precision, expand, rounding)
    selection = batch_selection(trace, batches)
    if not force:
        bounded_show(epochs, selection, "--show", "give --force to export them all")
    worked = trace.worked(epochs, selection)
    problem = commands.worked_problem(worked, epochs)
    if problem:
        diverged(problem)
    try:
        solutions = worked.solutions
        if step_number is not None:
            solutions = [commands.only_step(solution, step_number) for solution in solutions]
        layout = commands.document_layout(to, paper, headings, code, fragment)
        document = commands.document(to, trace, worked.network, solutions, fragment, layout=layout)
    except SpecError as error:
        raise usage(error) from None
    write_or_print(target, document)


@main.command(
    epilog="""
\b
Examples:
  nntrace draw -o net.svg                          # the paper's network and its weights
  nntrace draw --epoch 1 --values -o epoch1.svg    # with epoch 1's a and delta of sample 1
  nntrace draw two-hidden --epoch 3 --values --sample 2 -o net.svg
  nntrace draw --to tikz -o net.tex                # a tikzpicture to \\input into LaTeX
"""
)
@config_argument
@click.option(
    "--epoch",
    "epoch_number",
    type=click.IntRange(min=1),
    metavar="N",
    help="Draw the weights epoch N starts from (default: the spec's).",
)
@click.option(
    "--values", is_flag=True, help="Show the epoch's output and delta on each neuron (epoch 1 unless --epoch)."
)
@click.option(
    "--sample",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    metavar="S",
    help="The sample whose values are shown.",
)
@click.option("--to", "to", type=click.Choice(DRAWING_FORMATS), default="svg", show_default=True,
              help="The drawing's format: SVG, or a TikZ picture for LaTeX.")  # fmt: skip
@click.option("-o", "--output", "output_path", metavar="FILE", help="Write the drawing to FILE instead of stdout.")
@precision_option
def draw(config, epoch_number, values, sample, to, output_path, precision):
    """Draw the network of CONFIG as SVG or TikZ: inputs, neurons with their biases, the
    weights on the edges, and a caption saying which epoch's weights (and sample's values).

    Layers of more than 10 neurons show their first and last ones around a marked gap;
    between large layers the edges are coloured by weight against a colour bar instead of
    labelled. No two texts overlap, and none touches a unit or a crossing of two edges.
    The LaTeX, HTML and Markdown exports include the same drawing.
    """
    from nntrace.api.commands import drawing

    if values and epoch_number is None:
        epoch_number = 1
    spec = load(config)
    target = output("-o", output_path, input_files(config, spec))
    trace = traced(spec, precision)
    if epoch_number is not None and spec.trains:
        trace = traced(checked(config, spec.for_training), precision)
    drawn = checked(config, lambda: drawing(trace, epoch_number, sample, to, values))
    if drawn.problem:
        diverged(drawn.problem)
    write_or_print(target, drawn.text)


def write_or_print(target, document: str, quiet: bool = False) -> None:
    if target is None:
        click.echo(document, nl=False)
        return
    write_text(target, document)
    if not target.is_stdout and not quiet:
        click.echo(f"nntrace: wrote {target.given}", err=True)


def new_file_output(path: str, force: bool):
    """A destination for a file nntrace creates, refusing to replace one unless --force."""
    target = output("-o", path, [])
    if target.file is not None and target.file.exists() and not force:
        raise InputError(f"-o {path}: the file exists", "give --force to replace it, or choose another name")
    return target


def write_text(target, text: str) -> None:
    with target.open() as handle:
        handle.write(text)


@main.command(
    epilog="""
\b
Examples:
  nntrace exercise paper-exercise --variants 30 -o class/
  nntrace exercise my-exercise.yaml --roster students.csv --seed 2027 -o exam/
  nntrace exercise paper-exercise --roster students.csv --only latex,moodle --booklet -o exam/
\b
Writes into the folder (created; refused if it holds files, unless --force):
  key.csv, key.json                  the key: a row per student, a column per blank
  worksheets/ID.tex .typ .md .html   the questions with blanks (or worksheets.* with --booklet)
  keys/ID.tex .typ .md .html         the same with the answers and the worked solution
  selfcheck/ID.html                  an offline page that judges each answer as typed
  moodle.xml                         a category, a Cloze question per student
  prairielearn/NAME/                 info.json, question.html, server.py
  canvas-qti.zip                     QTI 1.2: a question group per blank
A progress bar is shown on stderr while the class is drawn and written.
"""
)
@click.argument("template_source", metavar="TEMPLATE")
@click.option("--roster", metavar="CSV", help="One variant per student of this CSV (a column `id`, perhaps `name`).")
@click.option("--variants", "count", type=click.IntRange(min=1), metavar="N", help="N variants, numbered v01...")
@click.option("--seed", type=click.IntRange(min=0), metavar="S", help="The exam's seed (default: the template's seed:).")
@click.option("-o", "--output", "output_dir", required=True, metavar="DIR", help="The folder to write into.")
@click.option("--only", metavar="LIST",
              help="Write only these, comma-separated: latex, typst (where the document layer has it), markdown, "
                   "html, selfcheck, moodle, prairielearn, canvas (the key is always written).")  # fmt: skip
@click.option("--booklet", is_flag=True, help="One worksheet and one key document for the class, not one per student.")
@force_option("Replace files of the same names in a folder that is not empty.")
def exercise(template_source, roster, count, seed, output_dir, only, booklet, force):
    """Make an exercise for a class: one variant per student, its worksheet and key, LMS files.

    Each student's numbers are drawn from the template's ranges with a seed made from
    the exam's seed and the student's id, so the same student always gets the same
    variant. Every variant is checked before anything is written (no saturated or dead
    unit, no answer an LMS cannot grade, no catalogued slip that gives a right-looking
    answer), redrawn where it fails, and a template no draw satisfies is refused with
    the reasons.
    """
    from nntrace.api import exercises

    outputs = exercises.available_outputs()
    if only:
        chosen = tuple(part.strip() for part in only.split(",") if part.strip())
        unknown = [part for part in chosen if part not in outputs]
        if unknown:
            missing = " (this install's document layer has no such format)" if unknown[0] in exercises.OUTPUTS else ""
            raise InputError(f"--only: {unknown[0]!r} is not an output{missing}", f"choose from {', '.join(outputs)}")
        outputs = chosen
    exercises.check_folder(output_dir, force)
    template = exercises.load_template(template_source)
    template, variants = exercises.variants(template, roster, count, seed, plain=plain(False))
    # each file written as it is made: a class is never held in memory whole
    files = exercises.made_files(template, variants, outputs, booklet, plain=plain(False))
    written = exercises.write_folder(files, output_dir, force)
    draws = sum(variant.draws for variant in variants)
    notify(f"wrote {written} files for {len(variants)} students ({len(variants[0].blanks)} blanks each; "
           f"{draws} draws) to {output_dir}")  # fmt: skip


@main.command(
    epilog="""
\b
Examples:
  nntrace grade class/key.json answers.csv -o graded/
  nntrace grade class/key.json submissions/ -o graded/      # claims files named ID.yaml
  nntrace grade key.json answers.yaml --student 12345 --results results.json   # Gradescope
\b
Writes into the folder: gradebook.csv (score, each blank right or wrong, the first
error and its cause), feedback/ID.md, gradescope/results/ID.json, and
gradescope/run_autograder with setup.sh, to upload with key.json as an autograder.
"""
)
@click.argument("key_path", metavar="KEY")
@click.argument("submissions", nargs=-1, required=True, metavar="SUBMISSIONS...")
@click.option("-o", "--output", "output_dir", metavar="DIR", help="The folder to write into.")
@click.option("--student", metavar="ID", help="The student of the one submission given (Gradescope).")
@click.option("--results", "results_path", metavar="FILE", help="Write that student's Gradescope results.json to FILE.")
@force_option("Replace files of the same names in a folder that is not empty.")
def grade(key_path, submissions, output_dir, student, results_path, force):
    """Grade submissions against the key `nntrace exercise` wrote.

    SUBMISSIONS are claims files (the student is the file's stem, or --student) or CSVs
    with a column `id` and a column per blank. A wrong answer that follows from an
    earlier wrong one is said so (and earns the template's partial_credit); another is
    named by its likely slip. A bad submission is reported on stderr naming its row and
    field, and the rest are graded. Exit code 0, or 1 when some submission had a problem.
    """
    from nntrace.api import exercises

    if (output_dir is None) == (results_path is None):
        raise InputError("give -o DIR, or --results FILE for one student", "e.g. -o graded/")
    if output_dir is not None:
        exercises.check_folder(output_dir, force)
    target = output("--results", results_path, [Path(key_path), *map(Path, submissions)]) if results_path else None
    result = exercises.grade(key_path, list(submissions), student, plain=plain(False))
    for problem in result.problems:
        notify(str(problem))
    if target is not None:
        if not result.graded:
            raise InputError("no submission could be graded", "see the messages above")
        write_text(target, exercises.gradescope_json(result.graded[0], result.problems))
    else:
        exercises.write_folder(result.files, output_dir, force, executable=("gradescope/run_autograder", "gradescope/setup.sh"))
        notify(f"graded {len(result.graded)} submissions into {output_dir}")
    sys.exit(1 if result.problems else 0)
