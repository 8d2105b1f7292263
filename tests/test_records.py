"""@record (common/records.py) behaves as the @dataclass it stands in for: each class here is declared
both ways and the two are compared."""

from __future__ import annotations

import dataclasses
from typing import ClassVar

import pytest

from nntrace.common.records import field_names, record, replace


def both(**options):
    """A record and a dataclass of the same declaration."""

    def declare(make):
        class Base:
            kind: ClassVar[str] = "base"
            first: int
            second: float = 0.5
            third: str = "x"

        return make(Base)

    return declare(record(**options)), declare(dataclasses.dataclass(**options))


@pytest.mark.parametrize("options", [{}, {"frozen": False}, {"eq": False, "frozen": False}, {"eq": False}])
def test_a_record_is_made_read_compared_and_shown_as_a_dataclass(options):
    options = {"frozen": True, "eq": True} | options
    mine, theirs = both(**options)
    for args, kwargs in (((1,), {}), ((1, 2.0), {"third": "y"}), ((), {"first": 3, "second": 1.0})):
        a, b = mine(*args, **kwargs), theirs(*args, **kwargs)
        assert [getattr(a, name) for name in field_names(a)] == [getattr(b, f.name) for f in dataclasses.fields(b)]
        assert repr(a).split("(", 1)[1] == repr(b).split("(", 1)[1]
        assert (a == mine(*args, **kwargs)) == (b == theirs(*args, **kwargs))
        if options["eq"] and options["frozen"]:
            assert hash(a) == hash(mine(*args, **kwargs))
        if options["eq"] and not options["frozen"]:
            with pytest.raises(TypeError):
                hash(a)
    assert field_names(mine(1)) == ("first", "second", "third") and mine.kind == "base"
    for args, kwargs in (((), {}), ((1, 2, 3, 4), {}), ((1,), {"first": 2}), ((1,), {"fourth": 2})):
        for make in (mine, theirs):
            with pytest.raises(TypeError):
                make(*args, **kwargs)
    if options["frozen"]:
        with pytest.raises(dataclasses.FrozenInstanceError):
            mine(1).first = 2
        with pytest.raises(dataclasses.FrozenInstanceError):
            del mine(1).first


def test_inheritance_defaults_post_init_and_replace():
    @record
    class Optimizer:
        rate: float = 0.1

    @record
    class Adam(Optimizer):
        beta: float = 0.9

    @record
    class AdamW(Adam):
        beta: float = 0.8  # a new default for an inherited field keeps its place

    assert field_names(AdamW()) == ("rate", "beta") and AdamW().beta == 0.8 and Adam().beta == 0.9
    assert AdamW(0.2, 0.7) == AdamW(rate=0.2, beta=0.7) != Adam(0.2, 0.7)
    assert replace(AdamW(), beta=0.5) == AdamW(beta=0.5)

    seen = []

    @record(eq=False, frozen=False)
    class Layer:
        size: int

        def __post_init__(self):
            seen.append(self.size)
            self.double = 2 * self.size

    assert Layer(3).double == 6 and seen == [3]
    assert Layer(3) != Layer(3)  # compared by identity


def test_hidden_fields_are_left_out_of_repr_as_field_repr_false():
    @record(hidden=("network",))
    class Epoch:
        number: int
        network: object = None

    @dataclasses.dataclass(frozen=True)
    class Theirs:
        number: int
        network: object = dataclasses.field(default=None, repr=False)

    assert repr(Epoch(2, "big")).split("(", 1)[1] == repr(Theirs(2, "big")).split("(", 1)[1] == "number=2)"
    assert Epoch(2, "big") != Epoch(2, "other")  # still compared
