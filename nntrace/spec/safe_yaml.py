"""YAML read as data and nothing more: the safe loader, with limits a hostile file cannot pass.

A spec is small: a few levels of nesting, at most a few hundred thousand numbers. The limits are
checked on the parser's events, as they come, before anything they describe is built: the nesting
depth and the number of values once every alias is expanded (aliases share one node, so an
853-byte file can stand for 10^9 numbers, or nest a thousand levels deep through a chain of
aliases). So a 16 MB file of numbers is refused after its first 2,000,000 values, not after it
has all been built. A second value for the same key is an error, not a silent override.

The events come from libyaml (PyYAML's C parser) when it is installed, about twenty times faster
than PyYAML's Python one, and the data is built from them directly, without the tree of nodes
PyYAML's loaders make first (a node and its two marks cost about 500 bytes a value). Anything
unusual for a spec (an explicit tag, a merge key `<<`) is loaded by PyYAML's safe loader instead,
once the events have passed the limits. Syntax errors are explained in plain words with the line
they are on, as PyYAML's Python parser words them: a file libyaml refuses is parsed again by it
to find the words (up to REWORD_LIMIT characters; a larger file gets libyaml's words).
"""

from __future__ import annotations

import re

import yaml
from yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    StreamEndEvent,
)
from yaml.nodes import ScalarNode

from nntrace.common.errors import SpecError

try:  # PyYAML built with libyaml
    from yaml.cyaml import CParser as _FastParser
except ImportError:  # pragma: no cover - PyYAML without libyaml: the Python parser serves
    _FastParser = None

MAX_DEPTH = 32  # a spec nests about five levels deep (layers, a layer, its weights, a row)
MAX_NODES = 2_000_000  # values, lists and mappings, aliases expanded
MAX_INTEGER_DIGITS = 4300  # Python's own limit for turning digits into an int (float64 stops at 309)
REWORD_LIMIT = 1024 * 1024  # characters up to which a refused file is parsed again for PyYAML's words
_MERGE_TAG = "tag:yaml.org,2002:merge"
# What YAML does not allow in a file, as PyYAML's reader defines it.
_NOT_PRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

# PyYAML's wording of common mistakes, and what they mean to someone editing a spec.
_PLAIN_WORDS = (
    ("found character '\\t'", "a tab character: YAML indents with spaces only", "replace the tabs with spaces"),
    (
        "mapping values are not allowed here",
        "a ':' where YAML expected a plain value: this line is indented too far, or its value holds ': '",
        "line the key up with the keys above it, or put the value in quotes",
    ),
    (
        "did not find expected key",
        "this line is not indented like the keys of the mapping it belongs to",
        "indent it by the same number of spaces as the keys above it",
    ),
    (
        "expected <block end>",
        "this line is indented differently from the lines before it",
        "indent it by the same number of spaces as the lines of its block",
    ),
    (
        "expected ',' or ']'",
        "a list in [brackets] is not closed, or two of its items have no comma between them",
        "close every '[' with ']' and separate the items with commas",
    ),
    (
        "expected ',' or '}'",
        "a mapping in {braces} is not closed, or two of its entries have no comma between them",
        "close every '{' with '}' and separate the entries with commas",
    ),
    (
        "found undefined alias",
        "an alias (*name) refers to no anchor (&name) defined before it",
        "define the anchor before using it, or write the value out",
    ),
    (
        "could not determine a constructor",
        "a tag (!!...) asks for a Python object; specs are read as plain data only",
        "remove the tag and write the value as a number, list or mapping",
    ),
    (
        "found unexpected end of stream",
        "the file ends inside a quoted text or an open bracket",
        "close the quote or bracket",
    ),
    (
        "could not find expected ':'",
        "a key without ':' after it",
        "write `key: value`",
    ),
    (
        "found unhashable key",
        "a list or mapping is used as a key",
        "keys are plain names such as inputs or weights",
    ),
    (
        "expected a single document",
        "the file holds more than one YAML document (a line '---' separates them)",
        "keep one spec per file",
    ),
)
# libyaml's wording of the same mistakes, for a file too large to parse again with PyYAML's parser.
_LIBYAML_WORDS = (
    ("mapping values are not allowed in this context", "mapping values are not allowed here"),
    ("did not find expected key", "expected <block end>"),
    ("did not find expected '-' indicator", "expected <block end>"),
    ("did not find expected ',' or ']'", "expected ',' or ']'"),
    ("did not find expected ',' or '}'", "expected ',' or '}'"),
)


class _Constructor(yaml.constructor.SafeConstructor):
    """The safe constructor, refusing repeated keys and integers of more digits than Python converts."""

    def construct_yaml_int(self, node):
        _check_digits(node)
        return super().construct_yaml_int(node)

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            first_seen = {}
            for key_node, _ in node.value:
                if key_node.tag == _MERGE_TAG or not isinstance(key_node, yaml.ScalarNode):
                    continue
                key = key_node.value
                if key in first_seen:
                    raise _repeated_key(key, first_seen[key], key_node.start_mark.line)
                first_seen[key] = key_node.start_mark.line
        return super().construct_mapping(node, deep=deep)


_Constructor.add_constructor("tag:yaml.org,2002:int", _Constructor.construct_yaml_int)


class _PythonNodeLoader(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser, yaml.composer.Composer,
                        _Constructor, yaml.resolver.Resolver):  # fmt: skip
    """PyYAML's safe loader with the constructor above, on PyYAML's Python parser."""

    def __init__(self, text: str):
        yaml.reader.Reader.__init__(self, text)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        yaml.composer.Composer.__init__(self)
        _Constructor.__init__(self)
        yaml.resolver.Resolver.__init__(self)


if _FastParser is not None:

    class _NodeLoader(_FastParser, _Constructor, yaml.resolver.Resolver):
        """The same loader on libyaml: for the node tree a caller asks for, and for a document
        holding tags or merge keys."""

        def __init__(self, text: str):
            _FastParser.__init__(self, text)
            _Constructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)

else:  # pragma: no cover
    _NodeLoader = _PythonNodeLoader


class _Unusual(Exception):
    """The document holds something the direct build leaves to PyYAML's loader (a tag, a merge key)."""


class _Open:
    """A list or mapping being built, with what the limits need to know of it."""

    __slots__ = ("value", "is_mapping", "anchor", "mark", "start_size", "height", "has_key", "key", "key_line",
                 "key_text", "seen")  # fmt: skip

    def __init__(self, value, is_mapping: bool, anchor: str | None, mark, start_size: int):
        self.value, self.is_mapping, self.anchor, self.mark = value, is_mapping, anchor, mark
        self.start_size = start_size  # the document's expanded size when this began, itself counted
        self.height = 1  # levels of nesting from this one down, aliases expanded
        self.has_key = False
        self.key = self.key_line = self.key_text = None
        self.seen: dict | None = {} if is_mapping else None  # each key's first line


class _Limits:
    """The expanded size of the document so far, and its depth, checked at every event."""

    def __init__(self):
        self.size = 0
        self.aliased = False  # whether an alias was met: the size counts its expansion

    def add(self, count: int, mark, alias: bool = False) -> None:
        self.size += count
        self.aliased = self.aliased or alias
        if self.size > MAX_NODES:
            how = "stands for" if self.aliased else "holds"
            expanded = " once its aliases (*name) are expanded" if self.aliased else ""
            raise SpecError(
                f"line {mark.line + 1}",
                f"the YAML {how} more than {MAX_NODES:,} values{expanded}",
                "write a spec of ordinary size; large data belongs in a CSV file (data: {csv: ...})",
            )

    @staticmethod
    def depth(depth: int, mark, through_alias: bool = False) -> None:
        if depth > MAX_DEPTH:
            how = " once its aliases (*name) are expanded" if through_alias else ""
            raise SpecError(
                f"line {mark.line + 1}",
                f"the YAML nests more than {MAX_DEPTH} levels deep{how}",
                "a spec needs about five levels (layers, a layer, its weights, a row); flatten the structure",
            )


def load(text: str):
    """The document in `text` as plain Python data, or a SpecError saying what is wrong and where."""
    return _guarded(text, _load)


def load_with_node(text: str):
    """(the document as plain data, its composed node): the node keeps each scalar's text as
    written, such as the trailing zero of 1.10."""
    return _guarded(text, _load_nodes)


def _guarded(text: str, load_text):
    _check_printable(text)
    try:
        return load_text(text, _FastParser or _python_parser)
    except yaml.MarkedYAMLError as refused:
        error = refused  # (the name `refused` is unbound when its except block ends)
        if _FastParser is not None and len(text) <= REWORD_LIMIT:
            # libyaml refused it: PyYAML's Python parser refuses it too, in the words _PLAIN_WORDS knows.
            try:
                load_text(text, _python_parser)
            except yaml.MarkedYAMLError as worded:
                error = worded
        raise _plain(error, text) from None
    except yaml.YAMLError as error:
        raise SpecError("YAML", f"the YAML does not parse: {error}", "check the file is a YAML spec") from None


def _python_parser(text: str):
    return yaml.SafeLoader(text)  # its events are PyYAML's Python parser's


def _load(text: str, parser_of):
    try:
        return _build(text, parser_of)
    except _Unusual:
        return _load_nodes(text, parser_of)[0]


def _load_nodes(text: str, parser_of):
    """Through PyYAML's node tree, once the events have passed the limits."""
    _measure(text, parser_of)
    loader = _NodeLoader(text) if parser_of is _FastParser else _PythonNodeLoader(text)
    try:
        node = loader.get_single_node()
        return (None, None) if node is None else (loader.construct_document(node), node)
    finally:
        loader.dispose()


def _measure(text: str, parser_of) -> None:
    """The limits alone, on the events: nothing is built."""
    _walk(text, parser_of, build=False)


def _build(text: str, parser_of):
    return _walk(text, parser_of, build=True)


def _walk(text: str, parser_of, build: bool):
    """The document's data, built from the parser's events while the limits are checked (with
    `build` False, only checked). Raises _Unusual for what PyYAML's constructor must build."""
    parser = parser_of(text)
    constructor = _Constructor() if build else None
    resolve = yaml.resolver.Resolver().resolve
    try:
        get = parser.get_event
        get()  # the stream's start
        if isinstance(get(), StreamEndEvent):  # else the document's start
            return None
        limits = _Limits()
        anchors: dict[str, tuple[object, int, int]] = {}  # name: (value, expanded size, height)
        first_marks: dict = {}  # name: where it was first defined
        stack: list[_Open] = []
        root = None
        while True:
            event = get()
            kind = type(event)
            mark = event.start_mark
            if kind is AliasEvent:
                name = event.anchor
                if name not in anchors:
                    if any(frame.anchor == name for frame in stack):
                        raise SpecError(
                            f"line {mark.line + 1}",
                            "an alias (*name) refers to the list or mapping that contains it, which never ends",
                            "write the value out instead of referring to itself",
                        )
                    raise yaml.composer.ComposerError(None, None, f"found undefined alias {name!r}", mark)
                value, size, height = anchors[name]
                limits.add(size, mark, alias=True)
                limits.depth(len(stack) + height, mark, through_alias=True)
            elif kind is DocumentEndEvent:
                break
            else:
                if kind is SequenceEndEvent or kind is MappingEndEvent:
                    frame = stack.pop()
                    value, height = frame.value, frame.height
                    if frame.anchor is not None:
                        anchors[frame.anchor] = (value, limits.size - frame.start_size + 1, height)
                else:  # a scalar, or the start of a list or mapping
                    if event.tag is not None and event.tag != "!" and build:
                        raise _Unusual
                    limits.add(1, mark)
                    limits.depth(len(stack) + 1, mark)
                    if event.anchor is not None:
                        if event.anchor in first_marks:
                            raise yaml.composer.ComposerError(
                                f"found duplicate anchor {event.anchor!r}; first occurrence",
                                first_marks[event.anchor], "second occurrence", mark,
                            )  # fmt: skip
                        first_marks[event.anchor] = mark
                    if kind is not ScalarEvent:
                        is_mapping = kind is MappingStartEvent
                        value = ({} if is_mapping else []) if build else None
                        stack.append(_Open(value, is_mapping, event.anchor, mark, limits.size))
                        continue
                    value = _scalar(constructor, resolve, event) if build else None
                    height = 1
                    if event.anchor is not None:
                        anchors[event.anchor] = (value, 1, 1)
            if not stack:
                root = value
                continue
            parent = stack[-1]
            if height + 1 > parent.height:
                parent.height = height + 1
            if build:
                _attach(parent, value, event)
        after = get()
        if not isinstance(after, StreamEndEvent):
            raise yaml.composer.ComposerError(
                "expected a single document in the stream", None, "but found another document", after.start_mark
            )
        return root
    finally:
        parser.dispose()


def _scalar(constructor: _Constructor, resolve, event: ScalarEvent):
    """A scalar's value, as PyYAML's safe constructor makes it from the tag its text resolves to."""
    tag = resolve(ScalarNode, event.value, event.implicit)
    node = ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
    make = constructor.yaml_constructors.get(tag)
    if make is None:
        raise _Unusual  # a merge key `<<: *base`, whose meaning PyYAML's constructor knows
    return make(constructor, node)


def _attach(parent: _Open, value, event) -> None:
    if not parent.is_mapping:
        parent.value.append(value)
        return
    if not parent.has_key:
        try:
            hash(value)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                "while constructing a mapping", parent.mark, "found unhashable key", event.start_mark
            ) from None
        parent.key, parent.has_key = value, True
        parent.key_line = event.start_mark.line
        parent.key_text = event.value if isinstance(event, ScalarEvent) else value
        return
    key = parent.key
    if key in parent.seen:
        raise _repeated_key(parent.key_text, parent.seen[key], parent.key_line)
    parent.seen[key] = parent.key_line
    parent.value[key] = value
    parent.has_key = False


def _repeated_key(key, first_line: int, second_line: int) -> SpecError:
    return SpecError(
        str(key),
        f"the key {key!r} is given twice: on line {first_line + 1} and on line {second_line + 1}; "
        "YAML would silently keep the second",
        "keep one of them",
    )


def _check_digits(node) -> None:
    """An integer of more digits than Python turns into a number: refused with its line, not a traceback."""
    digits = sum(map(node.value.count, "0123456789")) if len(node.value) > MAX_INTEGER_DIGITS else 0
    if digits > MAX_INTEGER_DIGITS:
        raise SpecError(
            f"line {node.start_mark.line + 1}",
            f"an integer of {digits:,} digits; nntrace reads at most {MAX_INTEGER_DIGITS:,} "
            "(float64 holds numbers up to about 1.8e308, 309 digits)",
            "write a smaller number, or in scientific notation such as 1.0e+20",
        )


def _check_printable(text: str) -> None:
    """A control character is not allowed in a YAML file: refused with its line and column."""
    bad = _NOT_PRINTABLE.search(text)
    if bad is None:
        return
    line = text.count("\n", 0, bad.start())
    column = bad.start() - (text.rfind("\n", 0, bad.start()) + 1)
    character = bad.group().encode("unicode_escape").decode("ascii")
    raise SpecError(
        f"line {line + 1}, column {column + 1}",
        f"the YAML holds the control character {character}, which YAML does not allow in a file",
        f'remove it; inside a double-quoted text it may be written as the escape "{character}"',
    )


def _plain(error: yaml.MarkedYAMLError, text: str) -> SpecError:
    mark = error.problem_mark or error.context_mark
    problem = error.problem or error.context or "invalid YAML"
    for libyaml_words, words in _LIBYAML_WORDS:
        problem = problem.replace(libyaml_words, words)
    if "cannot start any token" in problem and mark is not None and text[mark.index : mark.index + 1] == "\t":
        problem = "found character '\\t' that cannot start any token"
    meaning, fix = problem, "check the indentation and brackets on that line"
    for wording, plain_meaning, plain_fix in _PLAIN_WORDS:
        if wording in problem or wording in (error.context or ""):
            meaning, fix = plain_meaning, plain_fix
            break
    if mark is None:
        return SpecError("YAML", f"the YAML does not parse: {meaning}", fix)
    lines = text.splitlines()
    shown = lines[mark.line].strip() if mark.line < len(lines) else ""
    quoted = f": `{shown[:60]}`" if shown else ""
    return SpecError(
        f"line {mark.line + 1}, column {mark.column + 1}", f"the YAML does not parse{quoted}: {meaning}", fix
    )
