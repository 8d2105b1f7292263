"""Selections of epochs (1,100,last or 5-8), or of an epoch's batches, held as ranges, never as a
set of every epoch."""

from __future__ import annotations

import bisect
import re

from nntrace.common.records import record

_TOKEN = r"^(\d+)(?:-(\d+))?$"


class EpochSelectionError(ValueError):
    """A selection that names no epoch of the run, with what to write instead."""


def check_tokens(text: str, unit: str = "epoch") -> tuple[str, ...]:
    """The comma-separated tokens of `text`, each a number from 1, a range, `last` or `all`."""
    tokens = tuple(token.strip() for token in text.split(",") if token.strip())
    if not tokens:
        raise EpochSelectionError(f"expected at least one {unit}, e.g. 1,2,last")
    for token in tokens:
        match = re.match(_TOKEN, token)
        if token not in ("last", "all") and not (match and int(match.group(1)) >= 1):
            raise EpochSelectionError(
                f"{token!r} is not {'an' if unit[0] in 'aeiou' else 'a'} {unit}: "
                "use numbers from 1, ranges like 5-8, 'last' or 'all'"
            )
    return tokens


def furthest(tokens: tuple[str, ...]) -> int:
    """The highest epoch the tokens name by number (0 where they say only last or all)."""
    return max((int(number) for token in tokens for number in token.split("-") if number.isdigit()), default=0)


@record
class EpochSelection:
    """Epochs as sorted, disjoint, inclusive ranges."""

    ranges: tuple[tuple[int, int], ...] = ()

    @classmethod
    def of(cls, tokens: tuple[str, ...], epochs: int, option: str, unit: str = "epoch") -> "EpochSelection":
        """The epochs `tokens` name in a run of `epochs` epochs (or the batches of an epoch of that many)."""
        ranges = []
        for token in tokens:
            if token == "all":
                ranges.append((1, epochs))
            elif token == "last":
                ranges.append((epochs, epochs))
            else:
                first, _, last = token.partition("-")
                low, high = int(first), int(last or first)
                if low > high:
                    raise EpochSelectionError(
                        f"{option} {token}: a range goes from the lower {unit} to the higher, e.g. {high}-{low}"
                    )
                if high > epochs:
                    where = "the run has epochs" if unit == "epoch" else f"an epoch has {unit}es"
                    raise EpochSelectionError(f"{option} {token}: {where} 1 to {epochs}")
                ranges.append((low, high))
        return cls(_merged(ranges))

    def __contains__(self, epoch: int) -> bool:
        ranges = self.ranges
        if not ranges or epoch < ranges[0][0] or epoch > ranges[-1][1]:
            return False
        position = bisect.bisect_right(ranges, (epoch, float("inf"))) - 1
        return position >= 0 and ranges[position][0] <= epoch <= ranges[position][1]

    def __or__(self, other: "EpochSelection") -> "EpochSelection":
        return EpochSelection(_merged([*self.ranges, *other.ranges]))

    @property
    def last(self) -> int:
        return self.ranges[-1][1]

    def __bool__(self) -> bool:
        return bool(self.ranges)

    def __len__(self) -> int:
        return sum(high - low + 1 for low, high in self.ranges)


def _merged(ranges: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    merged: list[tuple[int, int]] = []
    for low, high in sorted(ranges):
        if merged and low <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        else:
            merged.append((low, high))
    return tuple(merged)
