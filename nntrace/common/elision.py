"""Which of many items are shown in a limited number of places: all, or the first and last around
a gap. Rows and columns of a matrix, samples of a table, neurons of a drawing and terms of a sum
are all left out the same way."""

from __future__ import annotations


def elided(count: int, limit: int) -> list[int | None]:
    """The indices shown of `count` items in `limit` places: all, or the first and last around None,
    where the middle ones are left out (a matrix's rows and columns, samples, neurons)."""
    if count <= limit:
        return list(range(count))
    head = (limit - 1) // 2 + (limit - 1) % 2
    tail = limit - 1 - head
    return list(range(head)) + [None] + list(range(count - tail, count))


def present(shown: list[int | None]) -> list[int]:
    """The indices `elided` shows, without the gap's mark: the items to read or write out."""
    return [index for index in shown if index is not None]
