"""The document formats a worked solution can be exported to, by name."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class Format:
    name: str
    writer: Callable  # (precision, fragment, drawing) -> document.Writer
    fragments: bool = False  # can write the steps alone, to paste into a document
    drawn: Callable | None = None  # the network drawing in this format, placed at the document's head

    def document(self, trace, network, solutions, fragment: bool = False, explanations=()) -> str:
        """The worked solution (or explanations) of `trace` as a document in this format."""
        from nntrace.documents.structure import write_document

        precision = trace.options.precision
        drawing = self.drawn(trace.drawing()) if self.drawn and not fragment and not explanations else None
        writer = self.writer(precision, fragment, drawing)
        return write_document(writer, trace.facts(network), solutions, explanations, precision)


def _tikz(drawing) -> str:
    from nntrace.documents.drawing import tikz

    return tikz(drawing)


def _svg(drawing) -> str:
    from nntrace.documents.drawing import svg

    return svg(drawing)


def _latex(precision, fragment, drawing):
    from nntrace.documents.latex import LatexWriter

    return LatexWriter(precision, fragment, drawing)


def _markdown(precision, fragment, drawing):
    from nntrace.documents.markdown import MarkdownWriter

    return MarkdownWriter(precision)


def _html(precision, fragment, drawing):
    from nntrace.documents.html import HtmlWriter

    return HtmlWriter(precision, fragment, drawing)


FORMATS = {
    "latex": Format("latex", _latex, fragments=True, drawn=_tikz),
    "markdown": Format("markdown", _markdown, fragments=True),
    "html": Format("html", _html, drawn=_svg),
}
