"""What is worked out once and asked for again: kept by an object's identity (ByIdentity: an
expression tree's hash walks the whole tree, which costs more than most lookups save; the object is
kept alive with its answer, so its id is never another's), or by a small key (ByKey)."""

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


class ByKey(dict):
    """Answers kept by a small hashable key, at most `most` of them: looked up as a dict's (`get`),
    kept with `keep`; when full, all are let go at once (each is cheap to find again)."""

    def __init__(self, most: int = 1 << 14):
        super().__init__()
        self.most = most

    def keep(self, key: Hashable, answer):
        """`answer` kept for `key`, and returned."""
        if len(self) >= self.most:
            self.clear()
        self[key] = answer
        return answer
