"""`export` (the worked solution as a LaTeX, beamer, Typst, Markdown or HTML document) and `draw`
(the network as SVG or TikZ)."""

from __future__ import annotations

import click

from nntrace.cli.shared import (
    FORMAT_NAMES,
    EpochList,
    InputError,
    batch_selection,
    batches_option,
    bounded_show,
    checked,
    config_argument,
    diverged,
    force_option,
    input_files,
    load,
    output,
    precision_option,
    select,
    step_options,
    traced,
    usage,
    write_or_print,
)
from nntrace.common.epochs import EpochSelection, furthest
from nntrace.common.errors import SpecError

PAPER_NAMES = ("letter", "a4", "slide", "wide-slide")  # documents.pages.PAGES
DRAWING_FORMATS = ("svg", "tikz")  # the drawing's formats (api.commands.DRAWING_FORMATS), named here to keep --help quick


@click.command(
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


@click.command(
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
