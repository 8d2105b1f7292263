"""The pages a document is set on (`--paper`): their text's width and height, which every fitted
format lays its lines out to, and what LaTeX and Typst are told to make them.

Widths are in ems of the body font (11 pt: an em is 10.95 pt in LaTeX). A whole document sets its
own margins; a fragment goes into someone else's document, so it is fitted to the narrowest text
it is likely to meet there: the standard article's (345 pt at 10 pt, 32.9 ems at 11 pt), or a
beamer frame's.
"""

from __future__ import annotations

from nntrace.common.records import NamedTuple

FONT_PT = 10.95  # LaTeX's 11 pt


class Page(NamedTuple):
    """A page: its name on the command line, its text block in ems, what LaTeX and Typst are told."""

    name: str
    width: float  # the text width of a whole document, in ems
    height: float  # its text height
    fragment_width: float  # the text width a fragment is fitted to
    fragment_height: float
    geometry: str  # \usepackage[...]{geometry}, or the beamer class's aspect ratio
    typst: str  # Typst's paper name, or its page size
    slide: bool = False
    max_rows: int = 12  # a taller matrix keeps its first and last rows around ⋮
    max_lines: int = 0  # element lines shown under an equation (0: as the solution has them)

    @property
    def width_pt(self) -> float:
        return self.width * FONT_PT


# letter and A4 with 1 in and 25 mm margins; slides as beamer sets them (128 x 96 mm and
# 160 x 90 mm: the text block beamer gives a frame, its title and foot included).
# fmt: off
PAGES = {
    "letter": Page("letter", 468 / FONT_PT, 648 / FONT_PT, 32.9, 54.0, "letterpaper,margin=1in", '"us-letter"'),
    "a4": Page("a4", 455 / FONT_PT, 700 / FONT_PT, 32.9, 54.0, "a4paper,margin=25mm", '"a4"'),
    "slide": Page("slide", 307 / FONT_PT, 269 / FONT_PT, 28.0, 18.3, "aspectratio=43", "(width: 128mm, height: 96mm)",
                  slide=True, max_rows=6, max_lines=4),
    "wide-slide": Page("wide-slide", 398 / FONT_PT, 252 / FONT_PT, 36.3, 16.4, "aspectratio=169",
                       "(width: 160mm, height: 90mm)", slide=True, max_rows=6, max_lines=4),
}
# fmt: on
DEFAULT_PAGE = "letter"


class Layout(NamedTuple):
    """How a document is laid out: its page, and what a fragment pasted into someone's document
    leaves out (the headings, the code form)."""

    page: Page = PAGES[DEFAULT_PAGE]
    headings: bool = True
    code: bool = True


def layout(paper: str | None = None, headings: bool = True, code: bool = True) -> Layout:
    return Layout(PAGES[paper or DEFAULT_PAGE], headings, code)
