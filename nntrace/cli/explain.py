"""`explain`: one parameter's gradient derived by the chain rule, with an epoch's numbers."""

from __future__ import annotations

import click

from nntrace.cli.shared import (
    FORMAT_NAMES,
    InputError,
    batch_selection,
    batches_option,
    bounded_show,
    checked,
    color_option,
    epoch_option,
    input_files,
    input_option,
    load,
    make_console,
    output,
    precision_option,
    report_non_finite,
    traced,
    write_or_print,
)
from nntrace.common.epochs import EpochSelection


@click.command(
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
