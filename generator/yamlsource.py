"""Safe YAML loading that remembers the line of every value.

PyYAML's loaders forget where a value came from and silently keep the last of two duplicate keys.
We compose the node tree with the safe (C when available) loader, then build plain Python data ourselves,
so that we can: record a line per key path, reject duplicate keys, aliases and object-constructing tags,
and report malformed YAML as a problem instead of a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from .problems import Problem

_MAP_TAG = "tag:yaml.org,2002:map"
_STR_TAG = "tag:yaml.org,2002:str"
_SEQ_TAG = "tag:yaml.org,2002:seq"

try:  # libyaml is several times faster; the pure-Python loader behaves the same
    _Base: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Base = yaml.SafeLoader


def _tag_table(resolvers: dict) -> dict:
    """PyYAML's implicit resolvers by first character, each list with the catch-all resolvers appended, as
    BaseResolver.resolve builds it anew for every value."""
    wildcard = list(resolvers.get(None, []))
    return {first: tuple(list(found) + wildcard) for first, found in resolvers.items() if first is not None}


class _Loader(_Base):  # type: ignore[misc,valid-type]
    """The safe loader, resolving each scalar's tag as BaseResolver.resolve does, with less work per value (a
    study file has about 60): the table of implicit tags is made once, not concatenated for every value, and the
    path-resolver bookkeeping is skipped, since no path resolver is registered for the safe loader. Held to
    PyYAML's own resolve by a test."""

    _tags = _tag_table(_Base.yaml_implicit_resolvers)
    _wildcard = tuple(_Base.yaml_implicit_resolvers.get(None, []))

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode:
            if implicit[0]:
                for tag, regexp in self._tags.get(value[:1], self._wildcard):
                    if regexp.match(value):
                        return tag
            return _STR_TAG
        return _SEQ_TAG if kind is yaml.SequenceNode else _MAP_TAG


MAX_FILE_BYTES = 256 * 1024
"""A study or theme file larger than this is refused: real ones are a few kilobytes."""

_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}

Path_ = tuple[str | int, ...]


@dataclass
class Loaded:
    """Plain data from one YAML document, with the line (1-based) of each key path."""

    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def line(self, path: Path_) -> int | None:
        """The line of `path`, or of its nearest ancestor that has one."""
        while True:
            if path in self.lines:
                return self.lines[path]
            if not path:
                return None
            path = path[:-1]


def read_text(raw: bytes, source: str) -> tuple[str | None, list[Problem]]:
    """Decode a content file's bytes, refusing oversized files and bytes that are not UTF-8."""
    if len(raw) > MAX_FILE_BYTES:
        return None, [
            Problem(source, None, "", f"file is {len(raw):,} bytes, over the limit of {MAX_FILE_BYTES:,}",
                    "a study file is a few kilobytes; move long text elsewhere")
        ]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [Problem(source, line, "", f"not valid UTF-8 (byte 0x{raw[exc.start]:02x})",
                              "save the file with UTF-8 encoding")]
    return text.removeprefix("\ufeff"), []


def load_yaml(text: str, source: str, first_line: int = 1) -> Loaded:
    """Load one YAML document. `first_line` shifts line numbers (for front matter inside a file)."""
    shift = first_line - 1
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + shift if mark else None
        col = f", column {mark.column + 1}" if mark else ""
        what = exc.problem or exc.context or "cannot be read"
        return Loaded(None, problems=[Problem(source, line, "", f"invalid YAML: {what} (line {line}{col})",
                                              "check indentation, and quote text containing ': ' or '#'")])
    except yaml.YAMLError as exc:  # e.g. a reader error on control characters
        return Loaded(None, problems=[Problem(source, None, "", f"invalid YAML: {exc}")])
    finally:
        loader.dispose()
    result = Loaded(None)
    if node is None:
        result.problems.append(Problem(source, None, "", "the file is empty", "see the template in docs/format"))
        return result
    result.lines[()] = node.start_mark.line + 1 + shift
    result.data = _Builder(source, shift, result).build(node, ())
    return result


class _Builder:
    """Plain data from a node tree. The caller records each node's line under its path before building it (a
    mapping key's line for its value), so the paths of a large file are made once."""

    def __init__(self, source: str, shift: int, out: Loaded) -> None:
        self.source = source
        self.shift = shift
        self.out = out
        self.seen: set[int] = set()
        self.constructor = yaml.constructor.SafeConstructor()

    def _problem(self, node: yaml.Node, path: Path_, message: str, hint: str | None = None) -> None:
        self.out.problems.append(Problem(self.source, self._line(node), dotted(path), message, hint))

    def _line(self, node: yaml.Node) -> int:
        return node.start_mark.line + 1 + self.shift

    def build(self, node: yaml.Node, path: Path_) -> Any:
        # An alias makes the composer hand us the same node object twice: refusing it stops
        # "billion laughs" expansion, and contributors never need anchors in a study file.
        if id(node) in self.seen:
            line = self.out.line(path) or self._line(node)
            self.out.problems.append(Problem(self.source, line, dotted(path), "YAML aliases (*name) are not allowed",
                                             "write the value out in full"))
            return None
        self.seen.add(id(node))
        tag = node.tag
        if isinstance(node, yaml.ScalarNode):
            if tag == _STR_TAG:  # most values: the constructor would return node.value as it is
                return node.value
            if tag not in _SCALAR_TAGS:
                self._problem(node, path, f"YAML tag {_short(tag)} is not allowed",
                              "remove the tag; write plain text, numbers or dates")
                return None
            try:
                return self.constructor.construct_object(node, deep=True)
            except (yaml.YAMLError, ValueError) as exc:
                self._problem(node, path, f"cannot read value {node.value!r}: {exc}")
                return None
        if tag != (_SEQ_TAG if isinstance(node, yaml.SequenceNode) else _MAP_TAG):
            self._problem(node, path, f"YAML tag {_short(tag)} is not allowed", "remove the tag")
            return None
        lines, shift = self.out.lines, self.shift + 1
        if isinstance(node, yaml.SequenceNode):
            items = []
            for i, item in enumerate(node.value):
                where = path + (i,)
                if id(item) not in self.seen:  # an alias's node has the line of its anchor: keep the parent's
                    lines.setdefault(where, item.start_mark.line + shift)
                items.append(self.build(item, where))
            return items
        data: dict[Any, Any] = {}
        first: dict[Any, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                self._problem(key_node, path, "keys must be plain names (no lists, maps or '<<' merges)")
                continue
            if key_node.tag == _STR_TAG and id(key_node) not in self.seen:  # most keys: plain names
                self.seen.add(id(key_node))  # an alias of it, later, is refused like any other
                key = key_node.value
            else:
                if id(key_node) not in self.seen:
                    lines.setdefault(path + ("?",), key_node.start_mark.line + shift)
                key = self.build(key_node, path + ("?",))
                if key is None and key_node.tag not in _SCALAR_TAGS:
                    continue
                key = key if isinstance(key, (str, int)) else str(key)
            line = key_node.start_mark.line + shift
            if key in first:
                self._problem(key_node, path + (key,), f"duplicate key '{key}' (first at line {first[key]})",
                              "a key may appear once; merge the two entries")
                continue
            first[key] = line
            where = path + (key,)
            lines[where] = line
            data[key] = self.build(value_node, where)
        lines.pop(path + ("?",), None)
        return data


def _short(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!")


def dotted(path: Path_) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


