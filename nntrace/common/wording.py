"""Counts in messages as a person writes them: 1 epoch, 2 epochs, 2,000 epochs."""

from __future__ import annotations


def counted(count: int, singular: str, plural: str | None = None) -> str:
    """`count` and its noun, the noun plural unless the count is one, thousands grouped."""
    return f"{count:,} {singular if count == 1 else plural or singular + 's'}"
