"""The document formats a worked solution can be exported to, each a template over the one
neutral structure (documents.structure), registered by name."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class Format:
    """A document format: its template, whether it can write the steps alone, and its drawing."""

    name: str
    template: Callable  # (numbers, fragment, drawing, layout) -> a documents.template.Template
    fragments: bool = False  # can write the steps alone, to paste into a document
    slides: bool = False  # set on slides (documents.pages: slide, wide-slide), not on paper
    drawn: Callable | None = None  # (drawing, layout) -> the network drawn in this format, at the document's head

    def document(self, trace, network, solutions, fragment: bool = False, explanations=(), layout=None) -> str:
        """The worked solution (or explanations) of `trace` as a document in this format, set on
        `layout`'s page (documents.pages; by default letter paper)."""
        from nntrace.documents.pages import Layout
        from nntrace.documents.structure import document

        layout = layout or Layout()
        drawing = self.drawn(trace.drawing(), layout) if self.drawn and not fragment and not explanations else None
        template = self.template(trace.options.numbers, fragment, drawing, layout)
        return template.write(document(trace.facts(network), solutions, explanations))


def _tikz(drawing, layout) -> str:
    """TikZ drawn to the page's text width (documents.pages)."""
    from nntrace.documents.drawing import PT_PER_CM, tikz

    return tikz(drawing, width_cm=layout.page.width_pt / PT_PER_CM)


def _svg(drawing, layout) -> str:
    from nntrace.documents.drawing import svg

    return svg(drawing)


def _latex(numbers, fragment, drawing, layout):
    from nntrace.documents.latex import LatexTemplate

    return LatexTemplate(numbers, fragment, drawing, layout)


def _beamer(numbers, fragment, drawing, layout):
    from nntrace.documents.beamer import BeamerTemplate

    return BeamerTemplate(numbers, fragment, drawing, layout)


def _markdown(numbers, fragment, drawing, layout):
    from nntrace.documents.markdown import MarkdownTemplate

    return MarkdownTemplate(numbers, fragment, drawing)


def _html(numbers, fragment, drawing, layout):
    from nntrace.documents.html import HtmlTemplate

    return HtmlTemplate(numbers, fragment, drawing)


def _typst(numbers, fragment, drawing, layout):
    from nntrace.documents.typst import TypstTemplate

    return TypstTemplate(numbers, fragment, drawing, layout)


FORMATS = {
    "latex": Format("latex", _latex, fragments=True, drawn=_tikz),
    "beamer": Format("beamer", _beamer, fragments=True, slides=True, drawn=_tikz),
    "markdown": Format("markdown", _markdown, drawn=_svg),  # no preamble to leave out: --fragment is LaTeX's
    "html": Format("html", _html, drawn=_svg),
    "typst": Format("typst", _typst, drawn=_svg),
}
