"""Problems found in content: every one names a file, a line and a field, and may carry a hint."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int | None
    field: str
    message: str
    hint: str | None = None
    warning: bool = False

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        if self.warning:
            text = f"{where}: warning: " + text[len(where) + 2 :]
        return f"{text} (hint: {self.hint})" if self.hint else text


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
