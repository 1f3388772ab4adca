"""YAML loading that remembers the line of every value (files are read by files.py).

Content files come from pull requests, so every one is treated as hostile. PyYAML's loaders forget where a value
came from, silently keep the last of two duplicate keys, and compose a document recursively (deep nesting crashes
them). We walk the safe (C when available) parser's event stream instead — it is produced iteratively — and build
plain Python data ourselves, so that we can: record a line per key path, bound the nesting depth, refuse duplicate
keys, anchors, aliases and object-constructing tags, keep numbers in YAML 1.1's other forms as written, refuse
invisible and control characters, and report malformed YAML as a problem instead of a traceback.
"""

from __future__ import annotations

import bisect
import re
from typing import Any

import yaml

from .problems import Problem, char_problem, first_forbidden, forbidden_chars, without_forbidden
from .yamlbuild import MAX_NESTING, Builder, Loaded, Path_, TooDeep, dotted
from .yamltags import EventLoader

__all__ = ["MAX_NESTING", "Loaded", "Path_", "dotted", "load_yaml", "text_problems"]

MAX_CHAR_PROBLEMS = 20
"""Forbidden characters are listed in up to this many places per file, then counted: a file full of them would
otherwise give a problem for each of thousands of lines."""


def text_problems(text: str, source: str, first_line: int = 1) -> list[Problem]:
    """Forbidden characters in text that is not YAML (a theme's Markdown body): one problem per line."""
    return _char_problems(text, source, first_line - 1, lambda pos: None)


def _char_problems(text: str, source: str, shift: int, field_at: Any) -> list[Problem]:
    """A problem for each field (`field_at(position)` gives its path) or, outside any, each line holding forbidden
    characters; MAX_CHAR_PROBLEMS at most, then one that counts the rest."""
    breaks = [m.start() for m in re.finditer("\n", text)]
    found: dict[Any, Problem] = {}
    for pos, char in forbidden_chars(text):
        line = bisect.bisect_left(breaks, pos) + 1 + shift
        path = field_at(pos)
        place = ("line", line) if path is None else path
        if place not in found:
            found[place] = char_problem(source, line, dotted(path or ()), char)
    problems = list(found.values())
    if len(problems) > MAX_CHAR_PROBLEMS:
        more = len(problems) - MAX_CHAR_PROBLEMS
        problems[MAX_CHAR_PROBLEMS:] = [Problem(source, None, "", f"{more:,} more places hold such characters",
                                                "remove them all; retype the text")]
    return problems


# ---------------------------------------------------------------------------------------------- loading YAML


def load_yaml(text: str, source: str, first_line: int = 1) -> Loaded:
    """Load one YAML document. `first_line` shifts line numbers (for front matter inside a file)."""
    # Forbidden characters are rare; looking for them costs a scan of the text, so only when the parser would not
    # refuse them itself: every one in ASCII is refused by the parser (and found then), but not all beyond it.
    if not text.isascii() and first_forbidden(text):
        return _load_marked(text, source, first_line - 1)
    return _load(text, source, first_line - 1)


def _load(text: str, source: str, shift: int, spans: list | None = None) -> Loaded:
    result = Loaded(None)
    loader = EventLoader(text)
    try:
        result.data = Builder(source, shift, result, spans).document(loader)
    except TooDeep as deep:
        return Loaded(None, problems=[*result.problems, deep.problem])
    except yaml.reader.ReaderError as exc:
        if spans is None and first_forbidden(text):
            return _load_marked(text, source, shift)
        return Loaded(None, problems=[Problem(source, None, "", f"invalid YAML: {exc}")])
    except yaml.MarkedYAMLError as exc:
        return Loaded(None, problems=[_syntax_problem(text, exc, source, shift)])
    except yaml.YAMLError as exc:
        return Loaded(None, problems=[Problem(source, None, "", f"invalid YAML: {exc}")])
    finally:
        loader.dispose()
    return result


def _syntax_problem(text: str, exc: yaml.MarkedYAMLError, source: str, shift: int) -> Problem:
    """The parser's complaint in a contributor's terms. Two mistakes make it speak of something else: a tab in the
    indentation ("found character that cannot start any token") and a quote left open (reported where the parser
    gives up, often many lines below, or at the end of the file). Those are named, at the line where they are."""
    mark = exc.problem_mark or exc.context_mark
    if mark is None:
        return Problem(source, None, "", f"invalid YAML: {exc.problem or exc.context or 'cannot be read'}")
    if text[mark.index:mark.index + 1] == "\t" or "tab" in (exc.problem or ""):
        line = mark.line + 1 + shift
        return Problem(source, line, "", f"invalid YAML: a tab at line {line}, column {mark.column + 1}: YAML "
                                         "indents with spaces", "replace the tab with spaces")
    quoted = _quote_at_fault(text, exc)
    if quoted is not None:
        start, end = quoted
        line = start.line + 1 + shift
        quote = text[start.index]
        inside = 'write \\" for a quote mark inside it' if quote == '"' else "write '' for an apostrophe inside it"
        where = f"the text quoted at line {line}, column {start.column + 1}"
        if end is None:
            message, hint = f"{where} is never closed", f"end it with a closing {quote} on line {line}; {inside}"
        elif end.line != start.line:
            message = f"{where} is not closed on that line: it runs on to line {end.line + 1 + shift}"
            hint = f"end it with a closing {quote} on line {line}; {inside}"
        else:
            message, hint = f"{where} ends at column {end.column}, before the rest of the line", inside
        return Problem(source, line, "", f"invalid YAML: {message}", hint)
    line = mark.line + 1 + shift
    return Problem(source, line, "", f"invalid YAML: {exc.problem or exc.context} (line {line}, column "
                                     f"{mark.column + 1})", "check indentation, and quote text containing ': ' or '#'")


def _quote_at_fault(text: str, exc: yaml.MarkedYAMLError) -> tuple[Any, Any] | None:
    """Where quoted text that the parser failed on starts, and where the parser took it to end (None: at no point).
    The parser fails at the end of the file for a quote never closed; at the line where it took quoted text to end
    for one closed only by the next quote mark, lines below (quoted text may run over several lines, but one whose
    end is where the parser failed was most likely not meant to); right after it for text closed early by a quote
    mark inside it ('Carers' views')."""
    if exc.context == "while scanning a quoted scalar" and exc.context_mark is not None:
        return exc.context_mark, None
    # The text read so far, again, by the pure-Python parser (only when a file is broken): its last value.
    last = None
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.ScalarEvent):
                last = event
    except yaml.YAMLError:
        pass
    if last is None or last.style not in ('"', "'") or exc.problem_mark is None:
        return None
    if last.end_mark.line != exc.problem_mark.line:
        return None
    rest = text[last.end_mark.index:].split("\n", 1)[0].strip()
    if last.start_mark.line != last.end_mark.line or (rest and rest[0] not in "#:,]}"):
        return last.start_mark, last.end_mark
    return None


def _load_marked(text: str, source: str, shift: int) -> Loaded:
    """A text holding forbidden characters: each is reported with its line, and with the field of the value (or
    key) that holds it; one outside any value (in a comment, say) with its line alone. The rest of the file is read
    with each such character replaced by U+FFFD, so that every other problem is found too, and no message can show
    the character itself. (Replaced, a line separator no longer shifts the lines the parser counts.)"""
    spans: list[tuple[int, int, Path_]] = []
    loaded = _load(without_forbidden(text), source, shift, spans)
    starts = [start for start, _, _ in spans]

    def field_at(pos: int) -> Path_ | None:
        i = bisect.bisect_right(starts, pos) - 1
        return spans[i][2] if i >= 0 and pos < spans[i][1] else None

    loaded.problems[:0] = _char_problems(text, source, shift, field_at)
    return loaded
