"""The work of the commands that are not a run: checking gradients, the shipped examples and the
starter spec, parameter counts, documents and drawings, and a check's report in each of its forms.

Each function does the work and prints or returns the result; bad input raises SpecError (field,
problem, fix), which the command line turns into exit code 2. What a function needs it imports
itself, so `nntrace params` and `nntrace new` start without numpy.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from nntrace.common.errors import SpecError
from nntrace.common.records import NamedTuple

if TYPE_CHECKING:
    from rich.console import Console

    from nntrace.api.tracing import Trace


class GradientCheckEnd(NamedTuple):
    """How a gradient check ended: the matrices that failed, or why there was nothing to check."""

    failed: tuple[str, ...] = ()
    problem: str | None = None  # the loss is not finite at the starting parameters


def check_gradients(
    trace: Trace, tolerance: float, console: Console, entries: int | None = None, plain: bool = False,
    seed: int | None = None,
) -> GradientCheckEnd:
    """Every backpropagated gradient (or, with `entries`, a random sample of that many drawn with
    `seed`, by default the engine's) against central finite differences, printed as a table; a
    progress bar on stderr meanwhile."""
    from nntrace.api.runs import quiet_numpy
    from nntrace.engine.gradcheck import SEED, entries_to_check
    from nntrace.engine.gradcheck import check_gradients as compare
    from nntrace.engine.network import first_non_finite
    from nntrace.model.activations import ACTIVATIONS
    from nntrace.terminal.console import INDENT, in_words
    from nntrace.terminal.summary import EpochProgress
    from nntrace.terminal.views import gradcheck_table

    spec = trace.spec
    if spec.targets is None:
        raise SpecError("targets", "a gradient needs targets", "add `targets:` to the spec")
    untrainable = [layer for layer in spec.layers if not ACTIVATIONS[layer.activation].trainable]
    if untrainable:
        raise SpecError(
            f"layer {untrainable[0].name!r}",
            f"uses {untrainable[0].activation}, which has no gradient to check",
            "use sigmoid to train it; `nntrace forward` runs it forward",
        )
    network = trace.network()
    with quiet_numpy():
        start = network.record_pass(spec.inputs, spec.targets, update=False)
    broken = first_non_finite({"loss": start.loss, **start.quantities})
    if broken is not None:
        return GradientCheckEnd(
            problem=f"at the starting parameters {broken} is NaN or infinite, so there is no gradient to check"
        )
    seed = SEED if seed is None else seed
    total = sum(len(chosen) for chosen in entries_to_check(network, entries, seed).values())
    with EpochProgress(total, True, plain, what="checking", unit="entries") as bar:
        update = bar.callback

        def progress(done: int) -> None:
            if done % bar.every == 0:
                update(done)

        checks = compare(network, spec.inputs, spec.targets, tolerance, entries=entries,
                         progress=progress if update is not None else None, seed=seed)  # fmt: skip
    console.print(gradcheck_table(checks))
    if any(check.sampled for check in checks):
        size = sum(check.size for check in checks)
        more = f"; at least one of each matrix, so more than --entries {entries:,}" if total > entries else ""
        console.print(in_words(f"Checked a random sample of {total:,} of the {size:,} entries (seed {seed}{more}).", INDENT))
    failed = tuple(check.key for check in checks if not check.passed)
    for note in gradcheck_notes(checks, [layer.activation.name for layer in network.layers if layer.activation.kinked]):
        console.print(in_words(note, INDENT))
    if failed:
        console.print(f"FAILED: {', '.join(failed)} exceed the tolerance {tolerance:g}")
    else:
        console.print(f"All {len(checks)} parameter matrices agree within {tolerance:g}.")
    return GradientCheckEnd(failed)


def gradcheck_notes(checks, kinked: list[str]) -> list[str]:
    """What the verdicts' remarks mean: entries at kinks, entries passed by the absolute allowance
    alone (which criterion passed, where the relative error is large), entries not finite."""

    def entries(count: int) -> str:
        return f"{count} entr{'y' if count == 1 else 'ies'}"

    notes = []
    kinks = sum(check.undefined for check in checks)
    if kinks:
        names = " or ".join(dict.fromkeys(kinked))
        notes.append(
            f"at kinks: {entries(kinks)} {'sits' if kinks == 1 else 'sit'} at the kink of {names} at 0 (a unit's "
            "input within the difference step of 0): not differentiable here, so not compared."
        )
    for check in checks:
        if check.passed and check.absolute_only:
            notes.append(
                f"ok (absolute): {entries(check.absolute_only)} of {check.key} "
                f"{'differs' if check.absolute_only == 1 else 'differ'} from the finite difference by "
                f"at most {check.largest_absolute_error:.2e}, within the absolute allowance "
                f"{check.allowed_absolute:.2e} (1e-9 · max(1, |L|)) but not the relative tolerance: "
                f"{'its gradient is' if check.absolute_only == 1 else 'their gradients are'} too small beside the "
                f"loss for the relative error (up to {check.largest_relative_error:.2e}) to be more than round-off."
            )
        if check.non_finite:
            notes.append(
                f"not finite: {entries(check.non_finite)} of {check.key} {'has' if check.non_finite == 1 else 'have'} "
                "a gradient or finite difference that is NaN or infinite: the loss overflows a difference step "
                "(h = 1e-4) away from the starting parameters, so these entries cannot be checked."
            )
    return notes


def examples_listing():
    """The shipped examples as a table: each name with what it shows, then the claims files and the
    exercise templates."""
    from nntrace.spec.shipped import (
        claims_names,
        claims_summary,
        example_names,
        example_summary,
        exercise_names,
        exercise_summary,
    )
    from nntrace.terminal.views import examples_table

    return examples_table(
        [(name, example_summary(name)) for name in example_names()]
        + [(name, claims_summary(name)) for name in claims_names()]
        + [(name, exercise_summary(name)) for name in exercise_names()]
    )


def example_files(name: str) -> tuple[Path, list[Path]]:
    """The shipped example or claims file `name` and the files it reads (its CSV), which go beside
    it when copied (a claims file's spec is found by its shipped name where it is not beside it)."""
    from nntrace.spec.shipped import claims_path, companions, example_path, exercise_path, unknown_example

    path = example_path(name)
    if path is None:
        shipped = claims_path(name) or exercise_path(name)
        if shipped is None:
            raise unknown_example(name)
        return shipped, []
    return path, companions(name)


def example_use(path: Path) -> str:
    """How to use a shipped file once written out: run a spec, check a claims file, make an exercise."""
    from nntrace.spec.shipped import claims_names, exercise_names

    if path.stem in exercise_names():
        return "make a class's exercise with: nntrace exercise --variants 30 -o class/"
    return "check it with: nntrace check" if path.stem in claims_names() else "run it with: nntrace run"


def starter(sizes: list[int]) -> str:
    """A commented starter spec for a dense network of layer `sizes` (inputs first)."""
    from nntrace.spec.starter import MAX_STARTER_SIZE, starter_spec

    if len(sizes) < 2:
        raise SpecError("SIZES", "a network has at least two layer sizes: the inputs and the outputs", "e.g. 2 3 1")
    if max(sizes) > MAX_STARTER_SIZE:
        raise SpecError(
            "SIZES",
            f"a starter spec types out every weight, so sizes go up to {MAX_STARTER_SIZE}",
            "for larger layers write `size:` with `init:` (see the README's spec format)",
        )
    return starter_spec(sizes)


def parameter_table(sizes: list[int], ascii_only: bool = False) -> str:
    """The weights and biases of a dense network of layer `sizes`, per layer, as plain text."""
    from nntrace.model.counts import count_table

    if len(sizes) < 2:
        raise SpecError("SIZES", "a network has at least two layer sizes: the inputs and the outputs", "e.g. 4 3 1")
    return count_table(sizes, ascii_only=ascii_only)


FORMAT_NAMES = ("beamer", "html", "latex", "markdown", "typst")
def document_layout(to: str, paper: str | None = None, headings: bool = True, code: bool = True, fragment: bool = False):
    """The page a document in `to` is laid out on (--paper), and what it leaves out. Slides are
    16:9, but frames to paste into a presentation 4:3, beamer's own default; a LaTeX fragment may
    be fitted to a slide, to paste into a frame."""
    from nntrace.documents.formats import FORMATS
    from nntrace.documents.pages import PAGES, layout

    chosen = FORMATS[to]
    if paper is None:
        paper = ("slide" if fragment else "wide-slide") if chosen.slides else None
    elif chosen.slides and not PAGES[paper].slide:
        raise SpecError("--paper", f"{to} slides are slide (4:3) or wide-slide (16:9), not {paper}", "give --paper slide")
    elif PAGES[paper].slide and not chosen.slides and not (fragment and chosen.fragments):
        raise SpecError(
            "--paper",
            f"a {to} document is set on letter or a4; {paper} fits a LaTeX --fragment to a beamer frame",
            "give --paper a4, or --to beamer for slides",
        )
    return layout(paper, headings, code)


def document(
    to: str, trace: Trace, network=None, solutions=(), fragment: bool = False, explanations=(), layout=None
) -> str:
    """The worked solution (or explanations) as a document in the format `to`, laid out on
    `layout` (document_layout)."""
    from nntrace.documents.formats import FORMATS

    chosen = FORMATS[to]
    if fragment and not chosen.fragments:
        with_fragments = " and ".join(name for name, one in FORMATS.items() if one.fragments)
        raise SpecError(
            "--fragment",
            f"writes {with_fragments} without a preamble, to paste into a document; a {to} document has none to leave out",
            "leave --fragment out (--step K exports one step)",
        )
    return chosen.document(trace, network, solutions, fragment, explanations, layout)


def only_step(solution, number: int):
    """A solution cut down to its step `number`."""
    if number > len(solution.steps):
        raise SpecError(
            f"--step {number}",
            f"this network's epochs have steps 1 to {len(solution.steps)}",
            f"choose a step from 1 to {len(solution.steps)}",
        )
    return solution._replace(steps=(solution.step(number),), loss=None)


DRAWING_FORMATS = ("svg", "tikz")


class DrawingEnd(NamedTuple):
    """The network drawn (SVG or TikZ), or why it was not: the epoch holds a NaN or an infinity, or was never reached."""

    text: str | None
    problem: str | None = None


def drawing(trace: Trace, epoch: int | None, sample: int = 1, to: str = "svg", values: bool = True) -> DrawingEnd:
    """The network as SVG or TikZ (`to`): with the weights epoch `epoch` starts from and (when
    `values`) sample `sample`'s output and delta in that epoch."""
    from nntrace.documents.drawing import svg, tikz

    shown = None
    if epoch is not None:
        from nntrace.api.runs import non_finite_message

        shown = trace.epoch(epoch) if trace.spec.trains else trace.forward()
        problem = non_finite_message(shown, epoch if trace.spec.trains else 0)
        if problem is not None:
            return DrawingEnd(None, problem)
    drawn = trace.drawing(epoch, sample, shown, values)
    return DrawingEnd(svg(drawn) if to == "svg" else tikz(drawn) + "\n")


def worked_problem(worked, epochs) -> str | None:
    """Why epochs worked out for a document are not written: training met a NaN or an infinity
    before the last of them was done, or in one of them; None if all is finite."""
    from nntrace.api.runs import divergence_message

    divergence = worked.divergence
    if divergence is None:
        return None
    if divergence.epoch == 0:
        where = f"in the forward pass, {divergence.quantity} is NaN or infinite"
        return f"{where}: the numbers overflow; nothing was written"
    missed = "" if worked.epochs_done >= epochs.last else f"; epoch {epochs.last} was never reached"
    return divergence_message(divergence, worked.epochs_done) + missed + "; nothing was written"


def claims_template(spec_source: str, output_path: str | None = None) -> str:
    """A claims file for the spec `spec_source` (a path or a shipped example's name) listing every
    claimable name with its shape, numbers blank; its spec: line as seen from `output_path`."""
    import os

    from nntrace.checking.template import claims_template as template
    from nntrace.spec.validate import load_spec_or_example

    spec = load_spec_or_example(spec_source).with_epochs(1, "--template")
    reference = spec_source
    if output_path is not None and os.path.lexists(spec_source):
        spec_path, folder = Path(spec_source).resolve(), Path(output_path).resolve().parent
        relative = Path(os.path.relpath(spec_path, folder))
        # beside or near the claims file: relative to it; far away: where it is
        reference = (relative if relative.parts[:2].count("..") < 2 else spec_path).as_posix()
    return template(spec, reference)


def report_title(report, claims_file: str) -> str:
    return f"Claims of {claims_file} against {report.file.spec.name or report.file.spec.source}"


def report_json(report) -> dict:
    from nntrace.checking.report import report_json as as_data

    return as_data(report)


def report_document(report, title: str, to: str) -> str:
    """The check's report as a document to hand back: LaTeX, Markdown or HTML, from one structure."""
    from nntrace.documents.report import TEMPLATES, written_report

    if to not in TEMPLATES:
        formats = ", ".join(TEMPLATES)
        raise SpecError("--to", f"a check's report is written as {formats}, not {to}", "give one of them")
    return written_report(report, title, to)


def report_view(report, title: str):
    from nntrace.terminal.check_view import report_view as view

    return view(report, title)


def npz_problem(path: str, is_file: bool) -> SpecError | None:
    """Why the binary trace cannot be written to `path`, or None: a file it writes is named .npz,
    so that a zip archive never takes the name of a JSON trace."""
    if is_file and not path.lower().endswith(".npz"):
        return SpecError(
            f"--npz {path}",
            "does not end in .npz, and the trace it writes is a numpy .npz archive",
            "name the file e.g. trace.npz (--json PATH writes the trace as JSON)",
        )
    return None


def plot_problem(path: str, is_file: bool) -> SpecError | None:
    """Why the loss curve cannot be drawn to `path`, or None."""
    from nntrace.documents.plot import FORMATS, INSTALL_HINT, image_format, plotting_available

    if is_file and image_format(path) is None:
        return SpecError(f"--plot {path}", f"expected a file name ending in {' or '.join(FORMATS)}", "name the file e.g. loss.png")
    if not plotting_available():
        return SpecError("--plot", "needs matplotlib, which is not installed", f"install it with: {INSTALL_HINT}")
    return None


# Why an output option's path cannot be written, by option: each the command line asks before any work.
OUTPUT_PROBLEMS = {"--npz": npz_problem, "--plot": plot_problem}


def output_problem(option: str, path: str, is_file: bool) -> SpecError | None:
    return OUTPUT_PROBLEMS[option](path, is_file)
