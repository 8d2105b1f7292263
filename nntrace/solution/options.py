"""How a worked solution is drawn: one object from the command line to every writer."""

from __future__ import annotations

from nntrace.common.records import NamedTuple
from nntrace.notation.numbers import NumberFormat
from nntrace.solution.expansions import Policy


class RenderOptions(NamedTuple):
    """How numbers and expansions are shown, for every output format.

    Numbers have `precision` decimals, or with `digits` set that many significant digits
    (see notation.numbers for the whole policy)."""

    precision: int = 3  # decimals shown for every computed number
    expand: bool | None = None  # element arithmetic: None for small results, True always, False never
    width: int | None = None  # columns to fit; None: the terminal's
    digits: int | None = None  # significant digits instead of decimals

    @property
    def expansion_policy(self) -> Policy:
        return Policy(self.expand)

    @property
    def numbers(self) -> NumberFormat:
        return NumberFormat(decimals=self.precision, digits=self.digits)


DEFAULT_OPTIONS = RenderOptions()
