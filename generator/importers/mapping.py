"""A mapping file (`import --mapping MAP.yml`): which column or code set of an export feeds which field, facet or
theme. It is read as content is (no link followed, size bounded, our YAML loader: nesting bounded, no duplicate
keys, no tags); each reader checks the keys it knows (csv_table.py, eppi.py) and names the line of anything wrong
with `MappingError`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..content.files import read_file
from ..content.yamlbuild import Loaded, Path_
from ..content.yamlsource import load_yaml
from .textfile import TextFileError


class MappingError(TextFileError):
    """What is wrong with a mapping file, the line to blame and a hint. `source` is the mapping file's path."""

    def __init__(self, message: str, hint: str, line: int | None = None, source: str | None = None):
        super().__init__(message, hint, line)
        self.source = source


@dataclass(frozen=True)
class Mapping:
    data: dict[str, Any]
    source: str  # the path as given, for messages
    loaded: Loaded

    def line(self, *path: str | int) -> int | None:
        """The line of a key path, e.g. mapping.line("columns", "Study design")."""
        key: Path_ = tuple(path)
        return self.loaded.line(key)

    def error(self, message: str, hint: str, *path: str | int) -> MappingError:
        """A MappingError naming this file and the line of `path`."""
        return MappingError(message, hint, self.line(*path), self.source)

    def section(self, name: str) -> dict[str, Any]:
        """A top-level mapping (`columns:`, `code_sets:`...), {} when absent; anything else is an error."""
        value = self.data.get(name)
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise self.error(f"`{name}` must be a mapping of names to what they feed",
                             f"write `{name}:` then one `<name>: <target>` line per entry", name)
        return value


def read_mapping(path: Path) -> Mapping:
    """The mapping file at `path`. Raises MappingError with the line when it cannot be read or is not a mapping."""
    source = str(path)
    text, problems = read_file(path, source)
    if text is None:
        first = problems[0] if problems else None
        raise MappingError(first.message if first else "cannot read the mapping file",
                           (first.hint if first else None) or "give the path of a YAML mapping file",
                           first.line if first else None, source)
    loaded = load_yaml(text, source)
    if loaded.problems:
        first = loaded.problems[0]
        raise MappingError(first.message, first.hint or "fix the YAML", first.line, source)
    if not isinstance(loaded.data, dict):
        raise MappingError("a mapping file is a YAML mapping", "start with `columns:` (CSV) or `code_sets:` "
                           "(EPPI-Reviewer); see docs/import.md", 1, source)
    return Mapping(loaded.data, source, loaded)
