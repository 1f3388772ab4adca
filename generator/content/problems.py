"""Problems found in content: every one names a file, a line and a field, and may carry a hint."""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

_BMP = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028-\u202e\u2066-\u2069\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
_PLANE_ENDS = "".join(chr(plane << 16 | 0xFFFE) + chr(plane << 16 | 0xFFFF) for plane in range(1, 17))
# Characters no content file may hold, typed or escaped: C0 controls but tab, line feed and carriage return; DEL and
# the C1 controls; the line and paragraph separators (YAML counts them as line breaks, where GitHub shows one line);
# the bidirectional embeddings, overrides and isolates (they show text in another order than it is stored);
# noncharacters and surrogates. Right-to-left text itself, and the marks and joiners scripts need, are fine.
# (The search takes every character beyond the first plane and keeps only the noncharacters among them: a class
# listing those one by one would make the regular expression test each character against each, many times slower.)
_SCAN = re.compile("[" + _BMP + "\U00010000-\U0010ffff]")


def _forbidden(char: str) -> bool:
    return char <= "\uffff" or ord(char) & 0xFFFE == 0xFFFE


def forbidden_chars(text: str) -> Iterator[tuple[int, str]]:
    """Each forbidden character in `text`, with its position."""
    for match in _SCAN.finditer(text):
        if _forbidden(match.group()):
            yield match.start(), match.group()


def first_forbidden(text: str) -> str | None:
    return next((char for _, char in forbidden_chars(text)), None)


def without_forbidden(text: str) -> str:
    """`text` with each forbidden character replaced by U+FFFD (the same length)."""
    return _SCAN.sub(lambda m: "\ufffd" if _forbidden(m.group()) else m.group(), text)


def describe(char: str) -> str:
    """'the control character U+000B', 'the bidirectional control U+202E (RIGHT-TO-LEFT OVERRIDE)', …"""
    code = ord(char)
    if code <= 0x9F:
        return f"the control character U+{code:04X}"
    if code in (0x2028, 0x2029):
        return f"the {'line' if code == 0x2028 else 'paragraph'} separator U+{code:04X}"
    if 0xD800 <= code <= 0xDFFF:
        return f"the surrogate U+{code:04X}"
    if 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069:
        return f"the bidirectional control U+{code:04X} ({unicodedata.name(char)})"
    return f"the noncharacter U+{code:04X}"


def char_problem(path: str, line: int | None, field: str, char: str) -> Problem:
    return Problem(path, line, field, f"contains {describe(char)}", "remove it; retype the text")


def _escaped(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}" if ord(match.group()) <= 0xFFFF else f"\\U{ord(match.group()):08x}"


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int | None
    field: str
    message: str
    hint: str | None = None
    warning: bool = False
    placeholder: bool = False
    """Text the contributor has not written yet (a template's placeholder): a warning while they write, so that the
    preview still builds, and an error in the pull-request check (`validate --strict`), so that none is published."""
    example: tuple[str, ...] = ()
    """Lines of YAML showing the right shape, printed indented below the message."""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        if self.warning:
            text = f"{where}: warning: " + text[len(where) + 2 :]
        text = f"{text} (hint: {self.hint})" if self.hint else text
        # What a file name or a value puts in a message must not drive the terminal or the CI log showing it
        # (escape sequences) nor start a line that looks like another problem: the example's lines are indented.
        lines = [text, *(f"    {line}" for line in self.example)]
        return "\n".join(_UNSAFE.sub(_escaped, line) if not line.isprintable() else line for line in lines)


def strict(problems: list[Problem]) -> list[Problem]:
    """The problems as the pull-request check sees them: a placeholder left in is an error."""
    return [replace(p, warning=False) if p.placeholder and p.warning else p for p in problems]


_UNSAFE = re.compile("[" + _BMP + "\n\r\t" + _PLANE_ENDS + "]")


class ContentError(Exception):
    """Raised when content has errors; carries every problem, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=_sort_key)
        errors = [p for p in self.problems if not p.warning]
        super().__init__(f"{len(errors)} problem(s) in content:\n" + "\n".join(map(str, self.problems)))


def _sort_key(p: Problem) -> tuple[str, int, str, str]:
    return (p.path, p.line or 0, p.field, p.message)


def sort_problems(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=_sort_key)


def display_path(path: Path) -> str:
    """The path as a contributor would type it: relative to the working folder when inside it.
    (String operations: this runs for every file, and pathlib's relpath is slow at 10,000 studies.)"""
    cwd = os.getcwd()
    absolute = os.path.normpath(os.path.join(cwd, os.fspath(path)))
    if absolute.startswith(cwd.rstrip(os.sep) + os.sep):
        return absolute[len(cwd.rstrip(os.sep)) + 1:].replace(os.sep, "/")
    return Path(path).as_posix()


_READING = "while reading "


@contextmanager
def reading(source: str) -> Iterator[None]:
    """Name the content file in an unexpected exception raised while it is read (a bug in the generator), so the
    crash report can tell the maintainer which file to look at."""
    try:
        yield
    except Exception as exc:
        if source_of(exc) is None:
            exc.add_note(_READING + source)
        raise


def source_of(exc: BaseException) -> str | None:
    """The content file being read when `exc` was raised, if known."""
    return next((note.removeprefix(_READING) for note in getattr(exc, "__notes__", ())
                 if note.startswith(_READING)), None)
