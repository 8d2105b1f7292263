"""The command group: its help, its lazily imported commands, and every way a run can end mapped
to its exit code (see the package's docstring)."""

from __future__ import annotations

import contextlib
import errno
import importlib
import io
import os
import sys

import click

from nntrace import __version__
from nntrace.cli.shared import InputError
from nntrace.common.errors import OutputError, SpecError, printable
from nntrace.common.signals import CLOSED_PIPE_EXIT, INTERRUPT_EXIT, Terminated, unwinding_signals

BUG_EXIT = 70  # EX_SOFTWARE of sysexits.h: an internal error
BUG_REPORTS = "nntrace's issue tracker"  # where a bug is reported: the project's repository, under Issues
# Each command, by the module (of nntrace.cli) that defines it under its own name: imported when
# the command is run, or listed by --help.
COMMANDS = dict(
    check="checking",
    draw="documents",
    examples="specs",
    exercise="classes",
    explain="explain",
    export="documents",
    forward="training",
    gradcheck="checking",
    grade="classes",
    new="specs",
    params="specs",
    run="training",
    step="training",
)


class Nntrace(click.Group):
    """The command group, with every way a run can end mapped to its exit code, and each command
    imported from its module when it is asked for (click's lazily loaded subcommands)."""

    def list_commands(self, ctx) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx, name: str) -> click.Command | None:
        module = COMMANDS.get(name)
        return None if module is None else getattr(importlib.import_module(f"nntrace.cli.{module}"), name)

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


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so Python's final flush of what is left cannot fail again."""
    with contextlib.suppress(OSError, ValueError, AttributeError, io.UnsupportedOperation):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


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
