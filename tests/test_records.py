"""@record (common/records.py) behaves as the @dataclass it stands in for: each class here is declared
both ways and the two are compared."""

from __future__ import annotations

import copy
import dataclasses
import pickle
import typing
from typing import ClassVar

import pytest

from nntrace.common.records import NamedTuple, field_names, record, replace


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


def _point(base, name: str):
    """A point declared as a named tuple of `base`'s kind, named `name` (module-level, for pickle)."""

    class Point(base):
        """A point."""

        x: float
        y: float = 0.0
        label: str = "p"

        def norm(self) -> float:
            return (self.x**2 + self.y**2) ** 0.5

        @property
        def swapped(self):
            return type(self)(self.y, self.x, self.label)

    Point.__name__ = Point.__qualname__ = name
    return Point


MinePoint, TheirPoint = _point(NamedTuple, "MinePoint"), _point(typing.NamedTuple, "TheirPoint")


@pytest.mark.parametrize("args, kwargs", [((1.0,), {}), ((3.0, 4.0), {}), ((), {"x": 1.0, "label": "q"}),
                                          ((2.0,), {"y": 5.0})])  # fmt: skip
def test_a_named_tuple_is_made_read_and_shown_as_typings(args, kwargs):
    """records.NamedTuple builds its classes without compiling source for each: it must still make,
    read, compare, show, replace and pickle as typing.NamedTuple does."""
    mine, theirs = MinePoint(*args, **kwargs), TheirPoint(*args, **kwargs)
    assert tuple(mine) == tuple(theirs) and mine == theirs and hash(mine) == hash(theirs)
    assert (mine.x, mine.y, mine.label) == (theirs.x, theirs.y, theirs.label) and mine[1] == theirs[1]
    assert repr(mine).split("(", 1)[1] == repr(theirs).split("(", 1)[1]
    assert mine.norm() == theirs.norm() and tuple(mine.swapped) == tuple(theirs.swapped)
    assert type(mine.swapped) is MinePoint and mine.__doc__ == "A point."
    assert mine._replace(label="r") == theirs._replace(label="r") and type(mine._replace(y=1.0)) is MinePoint
    assert mine._asdict() == theirs._asdict() and MinePoint._make([1, 2, "z"]) == TheirPoint._make([1, 2, "z"])
    assert MinePoint._fields == TheirPoint._fields and MinePoint._field_defaults == TheirPoint._field_defaults
    assert MinePoint.__match_args__ == TheirPoint.__match_args__
    assert pickle.loads(pickle.dumps(mine)) == mine and type(pickle.loads(pickle.dumps(mine))) is MinePoint
    assert copy.copy(mine) == mine and copy.deepcopy(mine) == mine
    match mine:
        case MinePoint(x, y, label):
            assert (x, y, label) == tuple(theirs)
    with pytest.raises(AttributeError):
        mine.x = 2.0
    with pytest.raises(AttributeError):
        mine.other = 2.0  # no __dict__: slots, as a namedtuple's


def test_a_named_tuple_refuses_what_typings_refuses():
    for args, kwargs in (((), {}), ((1, 2, "a", 4), {}), ((1,), {"x": 2}), ((1,), {"z": 2})):
        for make in (MinePoint, TheirPoint):
            with pytest.raises(TypeError):
                make(*args, **kwargs)
    for point in (MinePoint(1.0), TheirPoint(1.0)):
        with pytest.raises(ValueError):
            point._replace(z=1)
    with pytest.raises(TypeError):
        MinePoint._make([1, 2])
    with pytest.raises(TypeError):  # a field without a default after one with a default

        class Bad(NamedTuple):
            a: int = 0
            b: int

    with pytest.raises(ValueError):

        class Hidden(NamedTuple):
            _a: int


def test_named_tuples_of_every_number_of_fields_share_their_new_by_count():
    """__new__ is compiled once per number of fields and renamed: keywords still bind by name."""

    class One(NamedTuple):
        only: int

    class Two(NamedTuple):
        left: int
        right: int = 7

    class OtherTwo(NamedTuple):
        top: int
        bottom: int

    class Zero(NamedTuple):
        pass

    assert One(only=3) == (3,) and Two(right=1, left=2) == (2, 1) and Two(5) == (5, 7)
    assert OtherTwo(bottom=1, top=2) == (2, 1) and Zero() == ()
    assert Two.__new__.__code__.co_code == OtherTwo.__new__.__code__.co_code
    with pytest.raises(TypeError):
        OtherTwo(left=1, right=2)  # the other class's names are not these


def test_a_named_tuple_whose_body_compares_is_still_hashed_as_a_tuple():
    """typing adds the body's methods to a class already made, so an __eq__ in the body leaves
    tuple's __hash__; a class made with the body at once (type()) would be unhashable."""

    def declare(base):
        class Pair(base):
            a: int
            b: int = 0

            def __eq__(self, other):
                return type(other) is type(self) and tuple.__eq__(self, other)

        return Pair

    mine, theirs = declare(NamedTuple), declare(typing.NamedTuple)
    assert hash(mine(1, 2)) == hash(theirs(1, 2)) == hash((1, 2))
    assert {mine(1, 2): "x"}[mine(1, 2)] == "x" and not mine(1, 2) == (1, 2)


def test_a_named_tuple_without_a_docstring_is_documented_by_its_fields_as_typings():
    def declare(base):
        class Bare(base):
            left: int
            right: str = ""

        return Bare

    assert declare(NamedTuple).__doc__ == declare(typing.NamedTuple).__doc__ == "Bare(left, right)"
    assert MinePoint.__doc__ == "A point."


class _Cell(NamedTuple):
    """Methods reaching the class through __class__ and super() (the class body's __classcell__)."""

    row: int
    column: int = 0

    def __repr__(self) -> str:
        return "cell " + super().__repr__()  # tuple's

    def same_kind(self) -> type:
        return __class__


def test_a_named_tuple_method_may_use_super_and_pickles_at_every_protocol():
    cell = _Cell(2, column=3)
    assert repr(cell) == "cell (2, 3)" and cell.same_kind() is _Cell
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        back = pickle.loads(pickle.dumps(cell, protocol))
        assert back == cell and type(back) is _Cell
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        back = pickle.loads(pickle.dumps(MinePoint(1.0, 2.0, "q"), protocol))
        assert back == (1.0, 2.0, "q") and type(back) is MinePoint


def test_a_class_derived_from_a_named_tuple_keeps_its_fields_and_makes_its_own_kind():
    class Labelled(MinePoint):
        extra: int = 5  # a class attribute, not a field, as for typing's

        def first(self) -> float:
            return self.x

    made = Labelled(1.0, label="k")
    assert Labelled._fields == ("x", "y", "label") and made.extra == 5 and made.first() == 1.0
    assert type(made._replace(y=2.0)) is Labelled and repr(made) == "Labelled(x=1.0, y=0.0, label='k')"
    assert copy.deepcopy(made) == made and type(copy.copy(made)) is Labelled
