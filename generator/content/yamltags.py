"""Which tag a plain YAML scalar gets: PyYAML's own implicit resolvers, in a table made once, with numbers read only
in plain decimal forms. The safe loader (libyaml's when PyYAML has it) is used for its parser's events alone."""

from __future__ import annotations

import re
from typing import Any

import yaml

MAP_TAG = "tag:yaml.org,2002:map"
STR_TAG = "tag:yaml.org,2002:str"
SEQ_TAG = "tag:yaml.org,2002:seq"
_INT_TAG = "tag:yaml.org,2002:int"
_FLOAT_TAG = "tag:yaml.org,2002:float"

try:  # libyaml is several times faster; the pure-Python loader behaves the same
    _Base: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Base = yaml.SafeLoader

# Numbers are read as numbers only in decimal digits, without a leading zero, underscores or colons. YAML 1.1 (which
# PyYAML follows) also reads 012 as octal 10, 1:30 as 90, 0x1F, 0b101 and 1_000: such a scalar is kept as text,
# exactly as written, as YAML 1.2 keeps most of them. So is '=' (1.1's "value" type, which nothing constructs).
_STRICT = {
    _INT_TAG: re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"),
    _FLOAT_TAG: re.compile(r"^(?:[-+]?(?:0|[1-9][0-9]*)\.[0-9]*(?:[eE][-+][0-9]+)?|\.[0-9]+(?:[eE][-+][0-9]+)?"
                           r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"),
}
_DROPPED = {"tag:yaml.org,2002:value"}


def _ours(found: list) -> list:
    return [(tag, _STRICT.get(tag, regexp)) for tag, regexp in found if tag not in _DROPPED]


def _tag_table(resolvers: dict) -> dict:
    """PyYAML's implicit resolvers by first character, each list with the catch-all resolvers appended, as
    BaseResolver.resolve builds it anew for every value; with the stricter number forms above."""
    wildcard = _ours(resolvers.get(None, []))
    return {first: tuple(_ours(found) + wildcard) for first, found in resolvers.items() if first is not None}


_TAGS = _tag_table(_Base.yaml_implicit_resolvers)
_WILDCARD = tuple(_ours(_Base.yaml_implicit_resolvers.get(None, [])))


def plain_tag(value: str) -> str:
    """The tag of a plain scalar, as BaseResolver.resolve picks it (but for the number forms above), with less work
    per value (a study file has about 60): the table of implicit tags is made once, not concatenated for every value."""
    for tag, regexp in _TAGS.get(value[:1], _WILDCARD):
        if regexp.match(value):
            return tag
    return STR_TAG


class EventLoader(_Base):  # type: ignore[misc,valid-type]
    """The safe loader, whose parser gives the events we build from; its resolve is ours. Held to PyYAML's own
    resolve by a test."""

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode:
            return plain_tag(value) if implicit[0] else STR_TAG
        return SEQ_TAG if kind is yaml.SequenceNode else MAP_TAG


SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}

# An explicit tag (!!int "12") must be given a value of its kind, in the form the tag would be read without it.
FORMS = {tag: regexp for tag, regexp in _TAGS["1"] + _TAGS["t"] + _TAGS["n"] + _TAGS["~"] if tag in SCALAR_TAGS}
FORMS["tag:yaml.org,2002:null"] = re.compile(r"^(?:~|null|Null|NULL|)$")
FORM_HINTS = {
    "tag:yaml.org,2002:int": "write a whole number",
    "tag:yaml.org,2002:float": "write a number such as 1.5",
    "tag:yaml.org,2002:bool": "write true or false",
    "tag:yaml.org,2002:null": "write null",
    "tag:yaml.org,2002:timestamp": "write a date as YYYY-MM-DD",
}
