"""The document formats a worked solution can be exported to, each a template over the one
neutral structure (documents.structure), registered by name."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class Format:
    """A document format: its template, whether it can write the steps alone, and its drawing."""

    name: str
    template: Callable  # (numbers, fragment, drawing) -> a documents.template.Template
    fragments: bool = False  # can write the steps alone, to paste into a document
    drawn: Callable | None = None  # the network drawing in this format, placed at the document's head

    def document(self, trace, network, solutions, fragment: bool = False, explanations=()) -> str:
        """The worked solution (or explanations) of `trace` as a document in this format."""
        from nntrace.documents.structure import document

        drawing = self.drawn(trace.drawing()) if self.drawn and not fragment and not explanations else None
        template = self.template(trace.options.numbers, fragment, drawing)
        return template.write(document(trace.facts(network), solutions, explanations))


LATEX_TEXT_WIDTH_CM = 16.51  # the LaTeX export's \\textwidth (6.5 in), the drawing's width budget


def _tikz(drawing) -> str:
    from nntrace.documents.drawing import tikz

    return tikz(drawing, width_cm=LATEX_TEXT_WIDTH_CM)


def _svg(drawing) -> str:
    from nntrace.documents.drawing import svg

    return svg(drawing)


def _latex(numbers, fragment, drawing):
    from nntrace.documents.latex import LatexTemplate

    return LatexTemplate(numbers, fragment, drawing)


def _markdown(numbers, fragment, drawing):
    from nntrace.documents.markdown import MarkdownTemplate

    return MarkdownTemplate(numbers, fragment, drawing)


def _html(numbers, fragment, drawing):
    from nntrace.documents.html import HtmlTemplate

    return HtmlTemplate(numbers, fragment, drawing)


FORMATS = {
    "latex": Format("latex", _latex, fragments=True, drawn=_tikz),
    "markdown": Format("markdown", _markdown, drawn=_svg),  # no preamble to leave out: --fragment is LaTeX's
    "html": Format("html", _html, drawn=_svg),
}
