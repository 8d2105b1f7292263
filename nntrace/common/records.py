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
nntrace's own modules cost. Type checkers see typing's.
"""

from __future__ import annotations

import dataclasses
from collections import namedtuple
from dataclasses import FrozenInstanceError
from typing import TYPE_CHECKING, ClassVar, get_origin

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


def _repr(self) -> str:
    hidden = self.__record_hidden__
    shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__record_fields__ if name not in hidden)
    return f"{type(self).__qualname__}({shown})"


def _eq(self, other):
    if type(other) is not type(self):
        return NotImplemented
    return _values(self) == _values(other)


def _hash(self) -> int:
    return hash((type(self), _values(self)))


def _frozen_setattr(self, name, value) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _frozen_delattr(self, name) -> None:
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
        cls.__repr__ = _repr
        if eq:
            cls.__eq__ = _eq
            cls.__hash__ = _hash if frozen else None
        if frozen:
            cls.__setattr__ = _frozen_setattr
            cls.__delattr__ = _frozen_delattr
        return cls

    return make if cls is None else make(cls)


def field_names(instance) -> tuple[str, ...]:
    """The fields of a record, in order; of a dataclass (a class declared outside nntrace may be one) too."""
    names = getattr(instance, "__record_fields__", None)
    return names if names is not None else tuple(field.name for field in dataclasses.fields(instance))


def replace(instance, **changes):
    """A copy of a record with some fields changed, as dataclasses.replace makes one."""
    return type(instance)(**{**{name: getattr(instance, name) for name in instance.__record_fields__}, **changes})


class _NamedTupleType(type):
    """Makes `class Point(NamedTuple): x: float; y: float = 0.0` a collections.namedtuple with the
    class body's methods, as typing's does (every annotation a field, defaults after the others)."""

    _kept_by_namedtuple = frozenset({"__module__", "__qualname__", "__annotations__", "__doc__"})

    def __new__(meta, name, bases, namespace):
        if not any(isinstance(base, _NamedTupleType) for base in bases):  # NamedTuple itself
            return super().__new__(meta, name, bases, namespace)
        fields = tuple(namespace.get("__annotations__", {}))
        defaults = [namespace[field] for field in fields if field in namespace]
        if any(field not in namespace for field in fields[len(fields) - len(defaults) :]):
            raise TypeError(f"{name}: a field without a default follows one with a default")
        cls = namedtuple(name, fields, defaults=defaults, module=namespace["__module__"])
        cls.__qualname__ = namespace.get("__qualname__", name)
        if namespace.get("__doc__"):
            cls.__doc__ = namespace["__doc__"]
        for key, value in namespace.items():
            if key not in fields and key not in meta._kept_by_namedtuple:
                setattr(cls, key, value)
        return cls


if TYPE_CHECKING:
    from typing import NamedTuple
else:

    class NamedTuple(metaclass=_NamedTupleType):
        """Base of a named tuple declared as a class (typing.NamedTuple's syntax)."""
