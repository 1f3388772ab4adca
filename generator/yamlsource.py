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

try:  # libyaml is several times faster; the pure-Python loader behaves the same
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

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
_MAP_TAG = "tag:yaml.org,2002:map"
_STR_TAG = "tag:yaml.org,2002:str"
_SEQ_TAG = "tag:yaml.org,2002:seq"

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
    builder = _Builder(source, shift, result)
    result.data = builder.build(node, ())
    return result


class _Builder:
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
        self.out.lines.setdefault(path, self._line(node))
        if isinstance(node, yaml.ScalarNode):
            if node.tag == _STR_TAG:  # most values: the constructor would return node.value as it is
                return node.value
            if node.tag not in _SCALAR_TAGS:
                self._problem(node, path, f"YAML tag {_short(node.tag)} is not allowed",
                              "remove the tag; write plain text, numbers or dates")
                return None
            try:
                return self.constructor.construct_object(node, deep=True)
            except (yaml.YAMLError, ValueError) as exc:
                self._problem(node, path, f"cannot read value {node.value!r}: {exc}")
                return None
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ_TAG:
                self._problem(node, path, f"YAML tag {_short(node.tag)} is not allowed", "remove the tag")
                return None
            return [self.build(item, path + (i,)) for i, item in enumerate(node.value)]
        if node.tag != _MAP_TAG:
            self._problem(node, path, f"YAML tag {_short(node.tag)} is not allowed", "remove the tag")
            return None
        data: dict[Any, Any] = {}
        first: dict[Any, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                self._problem(key_node, path, "keys must be plain names (no lists, maps or '<<' merges)")
                continue
            if key_node.tag == _STR_TAG:  # most keys: plain names
                key = key_node.value
            else:
                key = self.build(key_node, path + ("?",))
                if key is None and key_node.tag not in _SCALAR_TAGS:
                    continue
                key = key if isinstance(key, (str, int)) else str(key)
            if key in first:
                self._problem(key_node, path + (key,), f"duplicate key '{key}' (first at line {first[key]})",
                              "a key may appear once; merge the two entries")
                continue
            first[key] = self._line(key_node)
            self.out.lines[path + (key,)] = self._line(key_node)
            data[key] = self.build(value_node, path + (key,))
        self.out.lines.pop(path + ("?",), None)
        return data


def _short(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!")


def dotted(path: Path_) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


