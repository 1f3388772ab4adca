"""`python -m generator import FILE`: which format the file is in, and its reader. Every reader gives a ReadResult
(records.py); RIS and BibTeX give bibliographic records only, CSV, EPPI-Reviewer JSON and our studies.json coded
ones, with the facets and themes they define. The readers are imported when used: each is its own module."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

from .records import ReadResult
from .textfile import TextFileError

FORMATS = ("eppi-json", "ris", "bibtex", "csv", "studies-json")
NAMES = {"ris": "RIS", "bibtex": "BibTeX", "csv": "CSV", "eppi-json": "EPPI-Reviewer JSON",
         "studies-json": "studies.json"}
"""Each format's name in messages: "(56 RIS records in my-review.ris)"."""

_READERS = {"csv": ("csv_table", "read_csv_export"), "eppi-json": ("eppi", "read_eppi"),
            "studies-json": ("studies_json", "read_studies_json")}
_BY_SUFFIX = {".ris": "ris", ".bib": "bibtex", ".bibtex": "bibtex", ".csv": "csv", ".tsv": "csv"}
_HEAD = 65536  # how much of a JSON file is read to tell EPPI-Reviewer's from ours: their first keys differ


class ImportFileError(Exception):
    """The export (or its mapping file: `source`) cannot be read; `line` when known."""

    def __init__(self, message: str, hint: str, line: int | None = None, source: str | None = None):
        super().__init__(message)
        self.message, self.hint, self.line, self.source = message, hint, line, source


def _reader(fmt: str) -> Callable[..., ReadResult]:
    module, name = _READERS[fmt]
    try:
        return getattr(importlib.import_module(f"{__package__}.{module}"), name)
    except (ImportError, AttributeError):
        raise ImportFileError(f"this version cannot read {NAMES[fmt]} yet",
                              "export the references as RIS or BibTeX instead") from None


def _json_format(path: Path) -> str | None:
    """'eppi-json' or 'studies-json', by the readers' own `sniff(path)` when they have one, else by the keys near the
    file's start: EPPI-Reviewer's export begins with CodeSets (then References), our studies.json with facets,
    themes and studies."""
    for fmt in ("eppi-json", "studies-json"):
        try:
            sniff = getattr(importlib.import_module(f"{__package__}.{_READERS[fmt][0]}"), "sniff", None)
        except ImportError:
            sniff = None
        if sniff is not None and sniff(path):
            return fmt
    try:
        with path.open("rb") as file:
            head = file.read(_HEAD).decode("utf-8", errors="replace")
    except OSError:
        return None
    if '"CodeSets"' in head or '"References"' in head:
        return "eppi-json"
    if '"studies"' in head or ('"facets"' in head and '"themes"' in head):
        return "studies-json"
    return None


def guess_format(path: Path, text: str | None = None) -> str:
    """The format from the file's extension, else from its start: 'TY  -' is RIS, '@' BibTeX, a JSON file
    EPPI-Reviewer's export or our studies.json (by its first keys)."""
    suffix = path.suffix.lower()
    if suffix == ".json":
        found = _json_format(path)
        if found:
            return found
        raise ImportFileError("cannot tell which JSON export this is: it has neither EPPI-Reviewer's CodeSets and "
                              "References nor studies.json's facets and studies",
                              "give --format eppi-json or --format studies-json")
    if suffix in (".ris", ".txt") and text is not None and "TY  -" in text[:10000]:
        return "ris"
    if suffix in _BY_SUFFIX:
        return _BY_SUFFIX[suffix]
    first = next((line.strip() for line in (text or "").lstrip("\ufeff").splitlines() if line.strip()), "")
    if first.startswith("TY  -") or (first[:1].isdigit() and "TY  -" in (text or "")[:1000]):
        return "ris"
    if first.startswith(("@", "%")):
        return "bibtex"
    if first.startswith("{"):
        found = _json_format(path)
        if found:
            return found
    raise ImportFileError("cannot tell the file's format from its name or first line",
                          "give --format eppi-json, ris, bibtex, csv or studies-json")


def read_export(path: Path, fmt: str | None = None, mapping: Path | None = None) -> ReadResult:
    """The file read in `fmt` (guessed when None), with the mapping file for CSV and EPPI-Reviewer JSON. Raises
    ImportFileError naming what is wrong (and, for the mapping file, the file and line)."""
    from .mapping import MappingError, read_mapping

    try:
        if fmt is None:
            fmt = guess_format(path, _text_for_guess(path))
        if mapping is not None and fmt in ("ris", "bibtex"):
            raise ImportFileError(f"a mapping file is for CSV and EPPI-Reviewer exports; {NAMES[fmt]} has fixed "
                                  "fields", "leave out --mapping for a RIS or BibTeX file", source=str(mapping))
        if fmt in ("ris", "bibtex"):
            return _bibliographic(path, fmt)
        reader = _reader(fmt)
        return reader(path, read_mapping(mapping) if mapping is not None else None)
    except MappingError as exc:
        raise ImportFileError(exc.message, exc.hint, exc.line, exc.source) from None
    except TextFileError as exc:  # RisError, BibtexError and every reader's own
        raise ImportFileError(exc.message, exc.hint, exc.line) from None


def _text_for_guess(path: Path) -> str | None:
    """The file's text when it is small enough to look at and its name does not say what it is."""
    if path.suffix.lower() in (".json", ".csv", ".tsv", ".bib", ".bibtex"):
        return None
    from .ris import read_ris_file

    return read_ris_file(path)


def _bibliographic(path: Path, fmt: str) -> ReadResult:
    from .bibtex import parse_bibtex, read_bibtex_file
    from .ris import parse_ris, read_ris_file

    text = (read_bibtex_file if fmt == "bibtex" else read_ris_file)(path)
    records, skipped = (parse_bibtex if fmt == "bibtex" else parse_ris)(text)
    return ReadResult(fmt, records, skipped)
