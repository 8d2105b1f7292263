"""The error every layer raises for input it cannot use, and how its text is made safe to print."""

from __future__ import annotations

import re

# C0 and C1 control characters (but newline and tab) and the bidirectional overrides: a
# name, a CSV header or a path could otherwise move the cursor or recolour the terminal.
_UNPRINTABLE = "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]"


def printable(text: str) -> str:
    """`text` with every control character written as an escape (ESC as \\x1b)."""
    if text.isprintable():  # holds none (each is of Unicode's categories Cc or Cf), found in C
        return text
    return re.sub(_UNPRINTABLE, lambda match: match.group().encode("unicode_escape").decode("ascii"), text)


class SpecError(ValueError):
    """A spec that cannot be used: the field at fault, what was wrong, and how to fix it."""

    def __init__(self, field: str, problem: str, fix: str):
        self.field = field
        self.problem = problem
        self.fix = fix
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.field}: " if self.field else ""
        return printable(f"{where}{self.problem}\n  fix: {self.fix}")


class OutputError(ValueError):
    """An output path that must not or cannot be written: the problem and how to fix it."""

    def __init__(self, problem: str, fix: str):
        self.problem = problem
        self.fix = fix
        super().__init__(f"{problem}\n  fix: {fix}")
