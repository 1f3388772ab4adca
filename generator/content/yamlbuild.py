"""Plain Python data built from the YAML parser's events, with the line of each value: an explicit stack (no
recursion), bounded nesting, and duplicate keys, anchors, aliases and object-constructing tags refused as problems."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from .problems import Problem, char_problem, first_forbidden, without_forbidden
from .yamltags import FORM_HINTS, FORMS, MAP_TAG, SCALAR_TAGS, SEQ_TAG, STR_TAG, plain_tag

MAX_NESTING = 20
"""Lists and mappings nested deeper than this are refused. The deepest content needs 5 (review.yml's
prisma.other_methods.excluded.reasons); a bound keeps the loader's work and memory small whatever a file holds."""

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



class TooDeep(Exception):
    def __init__(self, problem: Problem) -> None:
        self.problem = problem


_NO_KEY = object()  # a mapping waits for a key
_SKIP = object()  # a mapping drops the value that comes next (its key was refused)


class _Frame:
    """A list or mapping being built. `data` is None for one whose content is dropped (it was refused, or belongs
    to something refused). A mapping's `key` is its next value's key (or _NO_KEY, _SKIP), `where` that value's path."""

    __slots__ = ("data", "path", "is_map", "key", "where", "first")

    def __init__(self, data: Any, path: Path_, is_map: bool) -> None:
        self.data, self.path, self.is_map, self.key, self.where = data, path, is_map, _NO_KEY, path
        self.first: dict[Any, int] = {}


_ScalarEvent, _AliasEvent = yaml.ScalarEvent, yaml.AliasEvent
_SeqStart, _MapStart = yaml.SequenceStartEvent, yaml.MappingStartEvent
_KEY_TAGS: dict[str, str] = {}


def _key_tag(key: str) -> str:
    """A plain key's tag. Remembered (up to a bound): the same few dozen keys recur in every file."""
    tag = _KEY_TAGS.get(key)
    if tag is None:
        tag = plain_tag(key)
        if len(_KEY_TAGS) < 4096:
            _KEY_TAGS[key] = tag
    return tag


class Builder:
    """Plain data from the parser's events, with an explicit stack: no recursion, and no deeper than MAX_NESTING.
    Each value's line is recorded under its path (a mapping key's line for its value), so the paths of a large file
    are made once. `spans`, when given, collects each scalar's (start, end, path), to place forbidden characters.
    Most scalars are plain text without tag or anchor: the loop takes those itself, and hands the rest to methods."""

    def __init__(self, source: str, shift: int, out: Loaded, spans: list | None = None) -> None:
        self.source = source
        self.shift = shift + 1
        self.out = out
        self.spans = spans

    def _problem(self, line: int, path: Path_, message: str, hint: str | None = None) -> None:
        self.out.problems.append(Problem(self.source, line, dotted(path), message, hint))

    def document(self, loader: Any) -> Any:
        loader.get_event()  # the stream's start
        if loader.check_event(yaml.StreamEndEvent):
            self.out.problems.append(Problem(self.source, None, "", "the file is empty",
                                             "see the template in docs/format"))
            return None
        loader.get_event()  # the document's start
        data = self.build(loader.get_event)
        loader.get_event()  # the document's end
        if not loader.check_event(yaml.StreamEndEvent):
            mark = loader.peek_event().start_mark
            line = mark.line + self.shift
            self.out.problems.append(Problem(
                self.source, line, "", f"invalid YAML: a second document begins here (line {line}, column "
                f"{mark.column + 1})", "a content file holds one document; remove the '---' line"))
        return data

    def build(self, next_event: Any) -> Any:
        lines, shift = self.out.lines, self.shift
        fast = self.spans is None
        stack: list[_Frame] = []
        while True:
            event = next_event()
            kind = type(event)
            if kind is _ScalarEvent and stack:
                parent = stack[-1]
                data = parent.data
                if data is None:
                    continue
                plain = fast and event.tag is None and event.anchor is None and event.style != '"'
                is_map = parent.is_map
                if is_map and parent.key is _NO_KEY:
                    key = event.value
                    if plain and event.implicit[0] and key not in parent.first and _key_tag(key) is STR_TAG:
                        line = parent.first[key] = event.start_mark.line + shift
                        parent.key, parent.where = key, parent.path + (key,)
                        lines[parent.where] = line
                    else:
                        self._key(parent, event, kind, stack, event.start_mark.line + shift)
                    continue
                if is_map and parent.key is _SKIP:
                    parent.key = _NO_KEY
                    continue
                if is_map:
                    where = parent.where
                else:
                    where = parent.path + (len(data),)
                    lines.setdefault(where, event.start_mark.line + shift)
                if not plain:
                    value = self._value(event, where)
                else:
                    value = event.value
                    if event.implicit[0]:
                        tag = plain_tag(value)
                        if tag is not STR_TAG:
                            value = self._typed(event, where, tag)
                if is_map:
                    data[parent.key] = value
                    parent.key = _NO_KEY
                else:
                    data.append(value)
                continue
            if kind is _SeqStart or kind is _MapStart or kind is _AliasEvent or kind is _ScalarEvent:
                line = event.start_mark.line + shift
                if not stack:
                    parent, path = None, ()
                    lines[()] = line
                else:
                    parent = stack[-1]
                    if parent.data is None or parent.key is _SKIP:  # inside something dropped, or its value
                        if kind is _SeqStart or kind is _MapStart:
                            self._push(stack, None, parent.path, kind is _MapStart, line)
                        elif parent.data is not None:
                            parent.key = _NO_KEY
                        continue
                    if not parent.is_map:
                        path = parent.path + (len(parent.data),)
                        lines.setdefault(path, line)
                    elif parent.key is _NO_KEY:
                        self._key(parent, event, kind, stack, line)
                        continue
                    else:
                        path = parent.where
                if kind is _ScalarEvent:  # the document is a single value
                    return self._value(event, path)
                if kind is _AliasEvent:
                    # Refusing aliases stops "billion laughs" expansion; contributors never need them in content.
                    self._problem(line, path, "YAML aliases (*name) are not allowed", "write the value out in full")
                    if parent is None:
                        return None
                    _give(parent, None)
                    continue
                self._anchor(event, path, line)
                is_map = kind is _MapStart
                tag = event.tag
                if tag is not None and tag != "!" and tag != (MAP_TAG if is_map else SEQ_TAG):
                    self._problem(line, path, f"YAML tag {_short(tag)} is not allowed", "remove the tag")
                    self._push(stack, None, path, is_map, line)
                else:
                    self._push(stack, {} if is_map else [], path, is_map, line)
                continue
            # the end of a list or mapping
            value = stack.pop().data
            if not stack:
                return value
            _give(stack[-1], value)

    def _push(self, stack: list[_Frame], data: Any, path: Path_, is_map: bool, line: int) -> None:
        if len(stack) >= MAX_NESTING:
            top = path[:1] if path and isinstance(path[0], str) else ()
            raise TooDeep(Problem(self.source, line, dotted(top), f"nested more than {MAX_NESTING} levels deep",
                                   "a content file needs 5 levels at most; check the brackets and the indentation"))
        stack.append(_Frame(data, path, is_map))

    def _key(self, parent: _Frame, event: Any, kind: type, stack: list[_Frame], line: int) -> None:
        """A mapping's key: most are plain names, taken as they are."""
        path = parent.path
        if kind is _AliasEvent:
            self._problem(line, path + ("?",), "YAML aliases (*name) are not allowed", "write the value out in full")
            parent.key = _SKIP
            return
        if kind is not _ScalarEvent:
            self._problem(line, path, "keys must be plain names (no lists, maps or '<<' merges)")
            self._push(stack, None, path, kind is _MapStart, line)
            return
        tag = event.tag
        if tag is None or tag == "!":
            tag = plain_tag(event.value) if event.implicit[0] else STR_TAG
        if tag == STR_TAG:
            key, bad = self._text(event)
        elif tag == "tag:yaml.org,2002:merge":
            self._problem(line, path, "keys must be plain names (no lists, maps or '<<' merges)")
            parent.key = _SKIP
            return
        else:
            before = len(self.out.problems)
            self._anchor(event, path + ("?",), line)
            key, bad = self._scalar(event, path + ("?",), line), None
            if len(self.out.problems) > before:
                parent.key = _SKIP
                return
            key = key if isinstance(key, (str, int)) else str(key)
        where = path + (key,)
        if self.spans is not None:
            self.spans.append((event.start_mark.index, event.end_mark.index, where))
        if bad:
            self.out.problems.append(char_problem(self.source, line, dotted(where), bad))
        if tag == STR_TAG:
            self._anchor(event, where, line)
        if key in parent.first:
            self._problem(line, where, f"duplicate key '{key}' (first at line {parent.first[key]})",
                          "a key may appear once; merge the two entries")
            parent.key = _SKIP
            return
        parent.first[key] = line
        self.out.lines[where] = line
        parent.key, parent.where = key, where

    def _anchor(self, event: Any, path: Path_, line: int) -> None:
        if event.anchor is not None:
            self._problem(line, path, "YAML anchors (&name) are not allowed",
                          f"remove '&{event.anchor}'; write each value out in full")

    @staticmethod
    def _text(event: Any) -> tuple[str, str | None]:
        """A scalar's text, and the first forbidden character in it. Escapes in double quotes can write any
        character, so those are checked here (the rest of the file was checked as a whole). The character is
        replaced, so that no later message shows it."""
        value = event.value
        if event.style == '"':
            bad = first_forbidden(value)
            if bad:
                return without_forbidden(value), bad
        return value, None

    def _value(self, event: Any, path: Path_) -> Any:
        """A scalar with a tag, an anchor or escapes (or any, while forbidden characters are being placed)."""
        line = event.start_mark.line + self.shift
        self._anchor(event, path, line)
        return self._scalar(event, path, line)

    def _scalar(self, event: Any, path: Path_, line: int) -> Any:
        if self.spans is not None:
            self.spans.append((event.start_mark.index, event.end_mark.index, path))
        value, bad = self._text(event)
        if bad:
            self.out.problems.append(char_problem(self.source, line, dotted(path), bad))
        tag = event.tag
        if tag is None or tag == "!":
            return self._typed(event, path, plain_tag(value), value) if event.implicit[0] else value
        return self._typed(event, path, tag, value, explicit=True)

    def _typed(self, event: Any, path: Path_, tag: str, value: str | None = None, explicit: bool = False) -> Any:
        """A scalar's value for its tag: most are text, as they are."""
        if tag is STR_TAG or tag == STR_TAG:
            return event.value if value is None else value
        value = event.value if value is None else value
        line = event.start_mark.line + self.shift
        if tag not in SCALAR_TAGS:
            self._problem(line, path, f"YAML tag {_short(tag)} is not allowed",
                          "remove the tag; write plain text, numbers or dates")
            return None
        if explicit and not FORMS[tag].match(value):
            self._problem(line, path, f"{value!r} is not a valid {_short(tag)} value",
                          f"{FORM_HINTS[tag]}, or remove the tag")
            return None
        try:
            return _CONSTRUCTOR.yaml_constructors[tag](_CONSTRUCTOR, yaml.ScalarNode(tag, value))
        except (yaml.YAMLError, ArithmeticError, LookupError, TypeError, ValueError) as exc:
            self._problem(line, path, f"cannot read value {value!r}: {exc}")
            return None


_CONSTRUCTOR = yaml.constructor.SafeConstructor()  # its scalar constructors keep no state


def _give(parent: _Frame, value: Any) -> None:
    """A finished value to the list or mapping that holds it."""
    if parent.data is None:
        return
    if not parent.is_map:
        parent.data.append(value)
    elif parent.key is _NO_KEY:  # a list or mapping was given as a key, and refused
        parent.key = _SKIP
    else:
        if parent.key is not _SKIP:
            parent.data[parent.key] = value
        parent.key = _NO_KEY


def _short(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!")


def dotted(path: Path_) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text
