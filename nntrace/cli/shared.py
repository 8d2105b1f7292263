"""What the commands share: bad input (InputError, exit 2), the options several take (the spec,
the input cap, colour, the numbers' precision, epochs and batches, --force), the spec loaded and
traced with those options, and the outputs settled before any work (none may replace an input)
and written."""

from __future__ import annotations

import math
import os
import sys
from pathlib import Path

import click

from nntrace.common.epochs import EpochSelection, EpochSelectionError, check_tokens
from nntrace.common.errors import OutputError, SpecError, printable
from nntrace.common.limits import MAX_INPUT_OPTION, input_limit, parse_size

FORMAT_NAMES = ("beamer", "html", "latex", "markdown", "typst")  # the API's document formats, named here to keep --help quick


class InputError(click.ClickException):
    """Bad input: one clear message on stderr and how to fix it, exit code 2."""

    exit_code = 2

    def __init__(self, problem: str, fix: str | None = None):
        super().__init__(f"{problem}\n  fix: {fix}" if fix else problem)

    def show(self, file=None) -> None:
        click.echo(f"nntrace: error: {printable(self.format_message())}", err=True)


def diverged(message: str) -> None:
    """A NaN or an infinity was met: say where, on stderr, and exit 1."""
    click.echo(f"nntrace: {message}", err=True)
    sys.exit(1)


def usage(error: SpecError) -> InputError:
    """A SpecError from the API about an option or argument, as the command line reports it."""
    return InputError(f"{error.field}: {error.problem}" if error.field else error.problem, error.fix)


def checked(config: str | None, make):
    """`make()`, with a SpecError turned into an InputError naming the file."""
    try:
        return make()
    except SpecError as error:
        raise InputError(f"{config or 'built-in example'}: {error}") from None


def can_carry(text: str) -> bool:
    """Whether stdout's encoding can carry `text`."""
    try:
        text.encode(getattr(sys.stdout, "encoding", None) or "utf-8")
        return True
    except UnicodeEncodeError:
        return False


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


def config_argument(command):
    command = input_option(command)
    return click.argument("config", required=False, type=click.Path(path_type=str))(command)


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


def select(tokens: tuple[str, ...], epochs: int, option: str) -> EpochSelection:
    try:
        return EpochSelection.of(tokens, epochs, option)
    except EpochSelectionError as error:
        raise InputError(str(error), f"choose epochs from 1 to {epochs}, e.g. {option} 1,last") from None


def batch_selection(trace, tokens):
    """The batches `--batches` names, as an InputError when it names none of an epoch's."""
    try:
        return trace.batches(tokens)
    except EpochSelectionError as error:
        n = trace.n_batches
        raise InputError(str(error), f"choose batches from 1 to {n}, e.g. --batches 1,last") from None


def bounded_show(epochs: EpochSelection, batches: EpochSelection, option: str, lift: str) -> None:
    """Refuse, before any work, to show more passes than a command works out at once."""
    from nntrace.api.runs import too_many_shown

    problem = too_many_shown(epochs, batches)
    if problem:
        example = "--show 1,100,last (or fewer --batches)" if option == "--show" else "--batches 1,last"
        raise InputError(f"{option}: {problem}", f"show fewer, e.g. {example}, or {lift}")


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


def input_files(config: str | None, spec) -> list[Path]:
    """The files this run reads, which no output may replace: its spec (a shipped example's too) and CSV."""
    from nntrace import api

    files = [path for path in [api.spec_file(config)] if path is not None]
    return files + ([spec.data.csv] if spec.data is not None else [])


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


def report_non_finite(result, epoch: int) -> None:
    """Exit 1 with a message when training met, or the epoch shown holds, a NaN or an infinity."""
    from nntrace.api.runs import non_finite_message

    message = non_finite_message(result, epoch)
    if message is not None:
        diverged(message)


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
