"""What is worked out once for an object and asked for again with the same object: kept by the
object's identity (an expression tree's hash walks the whole tree, which costs more than most
lookups save). The object is kept alive with its answer, so its id is never another's."""

from __future__ import annotations

from typing import Callable, Hashable


class ByIdentity:
    """Answers kept by (the identity of an object, whatever else the answer depends on), at most
    `most` of them: when full, the oldest are let go all at once (each is cheap to find again)."""

    def __init__(self, most: int = 4096):
        self.most = most
        self._kept: dict[tuple, tuple] = {}

    def get(self, thing, depends: Hashable, find: Callable[[], object]):
        """The answer for `thing` and `depends`: kept, or found by `find()` and kept."""
        key = (id(thing), depends)
        kept = self._kept.get(key)
        if kept is not None and kept[0] is thing:
            return kept[1]
        answer = find()
        if len(self._kept) >= self.most:
            self._kept.clear()
        self._kept[key] = (thing, answer)
        return answer
