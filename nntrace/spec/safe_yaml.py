"""YAML read as data and nothing more: the safe loader, with limits a hostile file cannot pass.

A spec is small: a few levels of nesting, at most a few hundred thousand numbers. Before any
Python object is built, the composed document is measured: its nesting depth, and how many
nodes it holds once every alias is expanded (aliases share one node, so an 853-byte file can
stand for 10^9 numbers). A second value for the same key is an error, not a silent override.
Syntax errors are explained in plain words with the line they are on.
"""

from __future__ import annotations

import yaml

from nntrace.common.errors import SpecError

MAX_DEPTH = 32  # a spec nests about five levels deep (layers, a layer, its weights, a row)
MAX_NODES = 2_000_000  # values, lists and mappings, aliases expanded
_MERGE_TAG = "tag:yaml.org,2002:merge"

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


class _LimitedLoader(yaml.SafeLoader):
    """The safe loader, refusing deep nesting while it composes and repeated keys while it builds."""

    def __init__(self, stream):
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent, index):
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark
                raise SpecError(
                    f"line {mark.line + 1}",
                    f"the YAML nests more than {MAX_DEPTH} levels deep",
                    "a spec needs about five levels (layers, a layer, its weights, a row); flatten the structure",
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            first_seen = {}
            for key_node, _ in node.value:
                if key_node.tag == _MERGE_TAG or not isinstance(key_node, yaml.ScalarNode):
                    continue
                key = key_node.value
                if key in first_seen:
                    raise SpecError(
                        str(key),
                        f"the key {key!r} is given twice: on line {first_seen[key] + 1} and on line "
                        f"{key_node.start_mark.line + 1}; YAML would silently keep the second",
                        "keep one of them",
                    )
                first_seen[key] = key_node.start_mark.line
        return super().construct_mapping(node, deep=deep)


def load(text: str):
    """The document in `text` as plain Python data, or a SpecError saying what is wrong and where."""
    return load_with_node(text)[0]


def load_with_node(text: str):
    """(the document as plain data, its composed node): the node keeps each scalar's text as
    written, such as the trailing zero of 1.10."""
    loader = _LimitedLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None
        _check_expanded_size(node)
        return loader.construct_document(node), node
    except yaml.MarkedYAMLError as error:
        raise _plain(error, text) from None
    except yaml.YAMLError as error:
        raise SpecError("YAML", f"the YAML does not parse: {error}", "check the file is a YAML spec") from None
    finally:
        loader.dispose()


def _check_expanded_size(root) -> None:
    """Refuse a document with more than MAX_NODES nodes once its aliases are expanded, or a cycle."""
    sizes: dict[int, int] = {}
    # Iterative post-order walk: shared nodes are counted once per use but measured once.
    stack: list[tuple[object, bool]] = [(root, False)]
    open_nodes: set[int] = set()
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if key in sizes:
            continue
        children = _children(node)
        if children_done:
            open_nodes.discard(key)
            sizes[key] = 1 + sum(sizes[id(child)] for child in children)
            if sizes[key] > MAX_NODES:
                raise SpecError(
                    f"line {node.start_mark.line + 1}",
                    f"the YAML stands for more than {MAX_NODES:,} values once its aliases (*name) are expanded",
                    "write a spec of ordinary size; large data belongs in a CSV file (data: {csv: ...})",
                )
            continue
        if key in open_nodes:
            raise SpecError(
                f"line {node.start_mark.line + 1}",
                "an alias (*name) refers to the list or mapping that contains it, which never ends",
                "write the value out instead of referring to itself",
            )
        open_nodes.add(key)
        stack.append((node, True))
        for child in children:
            if id(child) in open_nodes:
                raise SpecError(
                    f"line {child.start_mark.line + 1}",
                    "an alias (*name) refers to the list or mapping that contains it, which never ends",
                    "write the value out instead of referring to itself",
                )
            if id(child) not in sizes:
                stack.append((child, False))


def _children(node) -> list:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _plain(error: yaml.MarkedYAMLError, text: str) -> SpecError:
    mark = error.problem_mark or error.context_mark
    problem = error.problem or error.context or "invalid YAML"
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
