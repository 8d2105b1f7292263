"""The walk every document medium shares: the head, each section's heading, its blocks, its
sub-sections and what follows them. A medium (LaTeX, Markdown, HTML) is a subclass that writes a
heading and each kind of block (`_<kind>` methods, looked up by the block's type)."""

from __future__ import annotations

from nntrace.documents.structure import Document, Section
from nntrace.notation.numbers import NumberFormat


class Template:
    """Writes a Document in one medium; `lines` collects the output."""

    def __init__(self, numbers: NumberFormat, fragment: bool = False, drawing: str | None = None):
        self.numbers, self.fragment, self.drawing = numbers, fragment, drawing
        self.lines: list[str] = []

    def write(self, document: Document) -> str:
        self.begin(document)
        for section in document.sections:
            self.section(section, 1)
        self.end(document)
        return self.text()

    def section(self, section: Section, depth: int) -> None:
        self.heading(section, depth)
        for block in section.blocks:
            self.block(block)
        for sub in section.sections:
            self.section(sub, depth + 1)
        for block in section.after:
            self.block(block)
        self.close(section, depth)

    def block(self, block) -> None:
        method = getattr(self, f"_{type(block).__name__.lower()}", None)
        if method is None:
            raise NotImplementedError(f"the {type(self).__name__} has no way to write a {type(block).__name__} block")
        method(block)

    # What each medium provides.

    def begin(self, document: Document) -> None: ...

    def end(self, document: Document) -> None: ...

    def heading(self, section: Section, depth: int) -> None: ...

    def close(self, section: Section, depth: int) -> None: ...

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"
