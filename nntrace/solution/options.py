"""How a worked solution is drawn: one object from the command line to every backend."""

from __future__ import annotations

from typing import NamedTuple

from nntrace.solution.expansions import Policy


class RenderOptions(NamedTuple):
    """How numbers and expansions are shown, for every output format."""

    precision: int = 3  # decimals shown for every number
    expand: bool | None = None  # element arithmetic: None for small results, True always, False never
    width: int | None = None  # columns to fit; None: the terminal's

    @property
    def expansion_policy(self) -> Policy:
        return Policy(self.expand)


DEFAULT_OPTIONS = RenderOptions()
