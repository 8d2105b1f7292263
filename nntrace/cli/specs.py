"""`examples` (the shipped specs listed, printed or written out), `new` (a starter spec) and
`params` (a dense network's weights and biases counted)."""

from __future__ import annotations

from pathlib import Path

import click

from nntrace.cli.shared import (
    InputError,
    can_carry,
    color_option,
    force_option,
    make_console,
    new_file_output,
    notify,
    usage,
    write_or_print,
    write_text,
)
from nntrace.common.errors import SpecError


@click.command(
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


@click.command(
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


@click.command(
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
