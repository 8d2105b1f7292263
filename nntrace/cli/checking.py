"""`check` (claimed numbers judged against the true ones) and `gradcheck` (backpropagation
against finite differences)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from nntrace.cli.shared import (
    FiniteTolerance,
    InputError,
    checked,
    color_option,
    config_argument,
    diverged,
    input_files,
    input_option,
    load,
    make_console,
    new_file_output,
    notify,
    one_output_each,
    output,
    plain,
    traced,
    write_or_print,
    write_text,
)


@click.command(
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


@click.command(
    epilog="""
\b
Examples:
  nntrace gradcheck                        # the paper's example
  nntrace gradcheck two-hidden --tolerance 1e-7
  nntrace gradcheck big.yaml --entries 1000   # a random sample of a large network
  nntrace gradcheck big.yaml --entries 1000 --seed 7   # another sample
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
@click.option(
    "--seed",
    type=click.IntRange(min=0, max=2**32 - 1),
    metavar="S",
    help="With --entries, the seed of the sample (default: the same sample every time): another seed checks other entries.",
)
@color_option
def gradcheck(config, tolerance, entries, seed, no_color):
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
    if seed is not None and entries is None:
        raise InputError("--seed chooses the random sample of --entries N", "give --entries N too")
    console = make_console(no_color)
    end = checked(config, lambda: check_gradients(trace, tolerance, console, entries, plain(no_color), seed))
    if end.problem:
        diverged(end.problem)
    if end.failed:
        sys.exit(1)
