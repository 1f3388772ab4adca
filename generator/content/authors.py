"""Checks of author lists, in study files, review.yml and new-study's --author: each name in the form the format
documents (generator/names.py), and the mistakes YAML makes easy.

Errors, since the site would show the wrong people: a name split in two (`[Carter, R.]` is, to YAML, the two
authors 'Carter' and 'R.'), two names joined by 'and' in one item, several names in one quoted item. Warnings, since
the site still shows the name as written: a person given name first ('Rachel Carter', 'R. Carter') or with no comma
('Carter R'), a suffix before the initials. Each says the form to write instead.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from bibtexparser.middlewares.names import parse_single_name_into_parts

from ..names import SUFFIXES, parse_name
from .problems import Problem
from .yamlsource import Loaded, dotted

_CONNECTOR = re.compile(r"\s+(and|&)\s+", re.IGNORECASE)
_ORGANISATION = re.compile(r"\{[^{}]*\}")


@dataclass(frozen=True)
class Issue:
    index: int  # the item of the list
    kind: str  # 'split', 'and', 'several' (errors); 'no-comma', 'initials-first', 'given-first', 'suffix-order'
    message: str
    names: tuple[str, ...]  # what the list, or this item alone, should be
    organisation: str | None = None  # the item as an organisation, when it may be one

    @property
    def warning(self) -> bool:
        return self.kind not in _WHOLE_LIST

    @property
    def whole_list(self) -> bool:
        return self.kind in _WHOLE_LIST


_WHOLE_LIST = {"split", "and", "several"}


def check_authors(items: list[object]) -> list[Issue]:
    """Every issue with an author list, in the order of its items. Items that are not text are the schema's to
    refuse; an organisation in braces is taken as written."""
    drafts, reasons = _regroup(items)
    issues: list[Issue] = []
    if reasons:
        fixed = tuple(_fixed(d, items, reasons) for d in drafts)
        for i, (kind, message) in sorted(reasons.items()):
            issues.append(Issue(i, kind, message, fixed))
    # An item a name was split from ('Carter' of 'Carter', 'R.') is judged with the rest of it, in the fix.
    rebuilt = {i for d in drafts if any(j in reasons for j in d.items) for i in d.items}
    for i, item in enumerate(items):
        if i not in rebuilt and isinstance(item, str) and not _ORGANISATION.fullmatch(item.strip()):
            form = _other_form(item.strip())
            if form:
                kind, message, name, organisation = form
                issues.append(Issue(i, kind, message, (name,), organisation))
    return sorted(issues, key=lambda issue: issue.index)


def author_problems(loaded: Loaded, source: str) -> list[Problem]:
    """The issues with a file's `authors:` list, as problems at each item's line."""
    items = loaded.data.get("authors") if isinstance(loaded.data, dict) else None
    if not isinstance(items, list):
        return []
    problems = []
    for issue in check_authors(items):
        keys = ("authors", issue.index)
        message = issue.message + (", split from it at the comma" if issue.kind == "split" else "")
        problems.append(Problem(source, loaded.line(keys), dotted(keys), message, yaml_hint(issue),
                                warning=issue.warning))
    return problems


def yaml_hint(issue: Issue) -> str:
    if issue.whole_list:
        return f"one name a list item, each in quotes: authors: {_flow(issue.names)}"
    return _item_hint(issue, _quoted)


def cli_hint(issue: Issue) -> str:
    if issue.whole_list:
        return "give each author whole, in quotes: " + " ".join(f"--author {_quoted(n)}" for n in issue.names)
    return _item_hint(issue, lambda name: f"--author {_quoted(name)}")


def text_hint(text: str) -> str:
    """The hint for `authors:` written as text: a list that says the same, in valid YAML."""
    drafts, reasons = _regroup([text])
    names = tuple(_fixed(d, [text], reasons) for d in drafts) if reasons else (text.strip(),)
    return f"write a list, each name in quotes: authors: {_flow(names)}"


def _item_hint(issue: Issue, show) -> str:
    (name,) = issue.names
    if issue.kind not in ("given-first", "initials-first"):
        return f"write {show(name)}"
    if issue.organisation is None:
        return f"write the family name first, {show(name)}"
    return f"write a person family name first, {show(name)}; an organisation in braces, {show(issue.organisation)}"


def _quoted(value: object) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is YAML's)."""
    return json.dumps(value, ensure_ascii=False, default=str)


def _flow(values: tuple[object, ...]) -> str:
    return "[" + ", ".join(_quoted(v) for v in values) + "]"


# ------------------------------------------------------------------------------------------ names split or joined

@dataclass
class _Draft:
    """A name as the author meant it, from the items it was spread over."""

    sections: list[str] | None  # comma-separated parts; None: an item kept as written (not text, an organisation)
    items: list[int] = field(default_factory=list)
    bare: bool = False  # a family name alone from a comma-free item: what YAML leaves of a name split at its comma


def _regroup(items: list[object]) -> tuple[list[_Draft], dict[int, tuple[str, str]]]:
    """The names the items were meant to be, and, for each item that is not one whole name, why (kind, message)."""
    drafts: list[_Draft] = []
    reasons: dict[int, tuple[str, str]] = {}
    for i, item in enumerate(items):
        if not isinstance(item, str) or _ORGANISATION.fullmatch(item.strip()):
            drafts.append(_Draft(None, [i]))
            continue
        pieces = _CONNECTOR.split(item.strip())
        texts, connectors = pieces[::2], pieces[1::2]
        new = 0
        for k, piece in enumerate(texts):
            sections = [s.strip() for s in piece.split(",")]
            last = drafts[-1] if drafts else None
            while k == 0 and sections and last and _continues(last, i, sections[0]):
                if not reasons.get(i):
                    reasons[i] = ("split", f"{item.strip()!r} looks like the rest of the name {_text(last)!r}")
                last.sections.append(sections.pop(0))
                last.items.append(i)
                last.bare = False
            while sections:
                draft = _Draft([sections.pop(0)], [i], bare=len(sections) == 0 and "," not in piece)
                if sections:
                    draft.sections.append(sections.pop(0))  # the given names, whatever they look like
                    if sections and (sections[0] in SUFFIXES or draft.sections[1] in SUFFIXES):
                        draft.sections.append(sections.pop(0))  # "King, M. L., Jr." (or BibTeX's order)
                drafts.append(draft)
                new += 1
        if connectors:
            reasons[i] = ("and", f"{item.strip()!r} joins {_count(len(texts))} names with {connectors[0]!r}")
        elif new > 1:
            reasons[i] = ("several", f"{item.strip()!r} is {_count(new)} names in one item")
    return drafts, reasons


def _count(n: int) -> str:
    return ("two", "three", "four", "five")[n - 2] if 2 <= n <= 5 else str(n)


def _continues(draft: _Draft, i: int, section: str) -> bool:
    """Whether `section`, first in item i, is the rest of the name begun in item i - 1: its initials after a family
    name alone, or a suffix after the initials."""
    if draft.sections is None or draft.items[-1] != i - 1:
        return False
    if draft.bare:
        return _is_initials(section) or section in SUFFIXES
    return len(draft.sections) == 2 and section in SUFFIXES


def _text(draft: _Draft) -> str:
    return ", ".join(draft.sections or ())


def _fixed(draft: _Draft, items: list[object], reasons: dict[int, tuple[str, str]]) -> object:
    """The draft as the list should hold it: an item left alone as written, a rebuilt name in the documented
    form."""
    if draft.sections is None or not any(i in reasons for i in draft.items):
        return items[draft.items[0]].strip() if isinstance(items[draft.items[0]], str) else items[draft.items[0]]
    text = _text(draft)
    form = _other_form(text)
    return form[2] if form else str(parse_name(text))


# ------------------------------------------------------------------------------------------ one name, another form

def _other_form(text: str) -> tuple[str, str, str, str | None] | None:
    """(kind, message, the documented form, the organisation form) for a name written another way."""
    sections = [s.strip() for s in text.split(",")]
    if len(sections) == 2 and sections[1] in SUFFIXES and len(sections[0].split()) > 1:
        # "Martin Luther King, Jr.": given names first, then the suffix
        return ("given-first", f"{text!r} looks like given name first", _family_first(sections[0].split(),
                                                                                      sections[1]), None)
    if len(sections) == 3 and sections[1] in SUFFIXES and sections[2] not in SUFFIXES:
        return ("suffix-order", f"{text!r} has the suffix before the initials",
                f"{sections[0]}, {sections[2]}, {sections[1]}", None)
    words = text.split()
    if len(sections) > 1 or len(words) < 2 or all(_is_initials(w) for w in words):
        return None
    if _is_initials(words[-1]):  # Vancouver style: "Carter R", "Carter RJ"
        return ("no-comma", f"{text!r} has no comma after the family name",
                f"{' '.join(words[:-1])}, {_dotted(words[-1])}", None)
    lead = next(n for n, w in enumerate(words) if not ("." in w and _is_initials(w)))
    if lead:  # "R. Carter", "R. J. Carter"
        return ("initials-first", f"{text!r} has the initials first",
                f"{' '.join(words[lead:])}, {_dotted(' '.join(words[:lead]))}", None)
    return ("given-first", f"{text!r} looks like given name first", _family_first(words), "{" + text + "}")


def _family_first(words: list[str], suffix: str = "") -> str:
    """'Rachel Carter' -> 'Carter, R.'; 'Ludwig van Beethoven' -> 'van Beethoven, L.': BibTeX reads a name with no
    comma as "First von Last" (bibtexparser applies its rule)."""
    if not suffix and len(words) > 2 and words[-1] in SUFFIXES:
        words, suffix = words[:-1], words[-1]
    parts = parse_single_name_into_parts(" ".join(words), strict=False)
    initials = " ".join("-".join(p[0] + "." for p in word.split("-") if p) for word in parts.first)
    return ", ".join(filter(None, (" ".join(parts.von + parts.last), initials, suffix)))


def _is_initials(text: str) -> bool:
    """'R.', 'R. J.', 'R.J.', 'J.-P.', 'RJ': capitals alone, with or without full stops."""
    letters = re.sub(r"[.\s-]", "", text)
    return 0 < len(letters) <= 4 and letters.isalpha() and letters.isupper()


def _dotted(initials: str) -> str:
    """'RJ' -> 'R. J.'; 'R.J.' -> 'R. J.'; 'J.-P.' stays."""
    if "." not in initials:
        return " ".join(c + "." for c in initials if c.isalpha())
    return re.sub(r"\.(?=[^\s.-])", ". ", " ".join(initials.split()))
