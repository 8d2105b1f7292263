"""Classes declared by their fields, as dataclasses are, without what dataclasses cost at import.

On Python 3.11, @dataclass writes the source of __init__, __repr__ and __eq__ (and for a frozen
class __hash__, __setattr__ and __delattr__) for every class and compiles it as its module is
imported: about 3.7 million instructions a frozen class, a twentieth of numpy's whole import for
every five classes. @record gives a class the same methods from functions shared by all records,
which compile nothing: the fields are read off the class's annotations (not ClassVar ones), in
order, base classes' first; a field's default is its class attribute; __post_init__ is called
after __init__ when the class has one.

    @record                  # frozen; compared, hashed and shown by its fields
    class Momentum(Optimizer):
        momentum: float = 0.9

    @record(eq=False)        # holds arrays: compared by identity
    class Layer: ...

`replace(instance, **changes)` is dataclasses.replace; `field_names(instance)` the fields in order.

`NamedTuple` is typing.NamedTuple without its checks of every annotation, which under `from
__future__ import annotations` compile each one into a ForwardRef: a third of what importing
nntrace's own modules cost. Nor does it compile source per class as collections.namedtuple does
(400,000 instructions a class; `nntrace run` defines 55): its classes share their methods, and
__new__ (whose parameters must be the fields', for keywords) is one compiled function per number of
fields, renamed. Type checkers see typing's.
"""

from __future__ import annotations

import dataclasses
from dataclasses import FrozenInstanceError
from operator import itemgetter
from types import FunctionType
from typing import TYPE_CHECKING, ClassVar, get_origin

try:  # the C descriptor collections.namedtuple reads fields with: quicker than a property
    from _collections import _tuplegetter
except ImportError:  # pragma: no cover - another Python

    def _tuplegetter(index, doc):
        return property(itemgetter(index), doc=doc)

_NO_DEFAULT = object()


def _is_class_variable(annotation) -> bool:
    if isinstance(annotation, str):  # under `from __future__ import annotations`
        return annotation.startswith(("ClassVar", "typing.ClassVar"))
    return annotation is ClassVar or get_origin(annotation) is ClassVar


def _init(self, *values, **named) -> None:
    names = self.__record_fields__
    if len(values) > len(names):
        raise TypeError(f"{type(self).__name__}() takes {len(names)} arguments but {len(values)} were given")
    given = dict(zip(names, values))
    for name, value in named.items():
        if name not in names:
            raise TypeError(f"{type(self).__name__}() got an unexpected keyword argument {name!r}")
        if name in given:
            raise TypeError(f"{type(self).__name__}() got multiple values for argument {name!r}")
        given[name] = value
    defaults = self.__record_defaults__
    for name in names:
        value = given[name] if name in given else defaults.get(name, _NO_DEFAULT)
        if value is _NO_DEFAULT:
            raise TypeError(f"{type(self).__name__}() missing required argument: {name!r}")
        object.__setattr__(self, name, value)
    post_init = getattr(self, "__post_init__", None)
    if post_init is not None:
        post_init()


def _values(self) -> tuple:
    return tuple(getattr(self, name) for name in self.__record_fields__)


def record_repr(self) -> str:
    hidden = self.__record_hidden__
    shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__record_fields__ if name not in hidden)
    return f"{type(self).__qualname__}({shown})"


def _eq(self, other):
    if type(other) is not type(self):
        return NotImplemented
    return _values(self) == _values(other)


def _hash(self) -> int:
    return hash((type(self), _values(self)))


def frozen_setattr(self, name, value) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def frozen_delattr(self, name) -> None:
    raise FrozenInstanceError(f"cannot delete field {name!r}")


def record(cls=None, *, eq: bool = True, frozen: bool = True, hidden: tuple[str, ...] = ()):
    """The class with __init__, __repr__ and, with `eq`, __eq__ by its fields (and __hash__ when
    also `frozen`); `frozen` forbids assigning to an instance's attributes after __init__; the
    fields named in `hidden` are left out of repr (dataclasses' field(repr=False))."""

    def make(cls):
        names = list(getattr(cls, "__record_fields__", ()))
        defaults = dict(getattr(cls, "__record_defaults__", {}))
        for name, annotation in cls.__dict__.get("__annotations__", {}).items():
            if not _is_class_variable(annotation) and name not in names:
                names.append(name)
        for name in names:
            if name in cls.__dict__:
                defaults[name] = cls.__dict__[name]
        cls.__record_fields__ = tuple(names)
        cls.__record_defaults__ = defaults
        cls.__record_hidden__ = frozenset(hidden) | getattr(cls, "__record_hidden__", frozenset())
        cls.__init__ = _init
        cls.__repr__ = record_repr
        if eq:
            cls.__eq__ = _eq
            cls.__hash__ = _hash if frozen else None
        if frozen:
            cls.__setattr__ = frozen_setattr
            cls.__delattr__ = frozen_delattr
        return cls

    return make if cls is None else make(cls)


def field_names(instance) -> tuple[str, ...]:
    """The fields of a record, in order; of a dataclass (a class declared outside nntrace may be one) too."""
    names = getattr(instance, "__record_fields__", None)
    return names if names is not None else tuple(field.name for field in dataclasses.fields(instance))


def replace(instance, **changes):
    """A copy of a record with some fields changed, as dataclasses.replace makes one."""
    return type(instance)(**{**{name: getattr(instance, name) for name in instance.__record_fields__}, **changes})


_NEW_CODE: dict = {}  # number of fields -> the code of a __new__ taking that many


def _new(fields: tuple[str, ...], defaults: list, qualname: str):
    """A named tuple's __new__, its parameters named for the fields (Point(x=1, y=2)) and its
    defaults the last fields': one function compiled per number of fields, renamed for the class."""
    code = _NEW_CODE.get(len(fields))
    if code is None:
        names = [f"_{i}" for i in range(len(fields))]
        values = ", ".join(names) + ("," if len(names) == 1 else "")
        source = f"def __new__(_cls, {', '.join(names)}): return _tuple_new(_cls, ({values}))"
        namespace: dict = {}
        exec(source, {"_tuple_new": tuple.__new__}, namespace)
        code = _NEW_CODE[len(fields)] = namespace["__new__"].__code__
    new = FunctionType(code.replace(co_varnames=("_cls", *fields)), {"_tuple_new": tuple.__new__}, "__new__",
                       tuple(defaults) or None)  # fmt: skip
    new.__qualname__ = f"{qualname}.__new__"
    return new


@classmethod
def _make(cls, iterable):
    made = tuple.__new__(cls, iterable)
    if len(made) != len(cls._fields):
        raise TypeError(f"Expected {len(cls._fields)} arguments, got {len(made)}")
    return made


def _replace(self, /, **changes):
    made = self._make(map(changes.pop, self._fields, self))
    if changes:
        raise ValueError(f"Got unexpected field names: {list(changes)!r}")
    return made


def _tuple_repr(self) -> str:
    return f"{type(self).__name__}({', '.join(f'{name}={value!r}' for name, value in zip(self._fields, self))})"


def _asdict(self) -> dict:
    return dict(zip(self._fields, self))


def _getnewargs(self) -> tuple:
    return tuple(self)


def _named_tuple(name: str, fields: tuple[str, ...], defaults: list, methods: dict) -> type:
    """The class collections.namedtuple(name, fields, defaults=defaults) makes, with `methods` (the
    class body's) added, built from shared functions rather than from source compiled for it."""
    for field in fields:
        if field.startswith("_") or not field.isidentifier():
            raise ValueError(f"{name}: a field's name must be an identifier not starting with _: {field!r}")
    qualname = methods.get("__qualname__", name)
    body = {
        "__doc__": f"{name}({', '.join(fields)})",  # collections.namedtuple's, kept when the body has none
        "__slots__": (),
        "_fields": fields,
        "_field_defaults": dict(zip(fields[len(fields) - len(defaults) :], defaults)),
        "__match_args__": fields,
        "__new__": _new(fields, defaults, qualname),
        "_make": _make,
        "_replace": _replace,
        "__repr__": _tuple_repr,
        "_asdict": _asdict,
        "__getnewargs__": _getnewargs,
        **{field: _tuplegetter(index, f"Alias for field number {index}") for index, field in enumerate(fields)},
    }
    body.update((key, value) for key, value in methods.items() if key != "__annotations__")
    if "__eq__" in methods and "__hash__" not in methods:  # type() would make it unhashable; typing's
        body["__hash__"] = tuple.__hash__  # adds the body's methods to a made class, which keeps tuple's
    return type(name, (tuple,), body)


class _NamedTupleType(type):
    """Makes `class Point(NamedTuple): x: float; y: float = 0.0` the class collections.namedtuple
    makes, with the class body's methods, as typing's does (every annotation a field, defaults after
    the others)."""

    def __new__(meta, name, bases, namespace):
        if not any(isinstance(base, _NamedTupleType) for base in bases):  # NamedTuple itself
            return super().__new__(meta, name, bases, namespace)
        fields = tuple(namespace.get("__annotations__", {}))
        defaults = [namespace[field] for field in fields if field in namespace]
        if any(field not in namespace for field in fields[len(fields) - len(defaults) :]):
            raise TypeError(f"{name}: a field without a default follows one with a default")
        methods = {key: value for key, value in namespace.items() if key not in fields}
        return _named_tuple(name, fields, defaults, methods)


if TYPE_CHECKING:
    from typing import NamedTuple
else:

    class NamedTuple(metaclass=_NamedTupleType):
        """Base of a named tuple declared as a class (typing.NamedTuple's syntax)."""
