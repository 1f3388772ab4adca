"""Read a RIS file (EndNote, Zotero, Rayyan, Covidence, Mendeley exports) into records, with rispy.

The file is cut into records here, at its `TY  -` and `ER  -` lines, so that a message can name the line a record
starts on and a record left without its `ER` line is reported rather than silently joined to the next one (rispy
drops it). Each record is then read by rispy. Tags differ between tools, so each field is taken from the first
tag that holds it: EndNote writes authors as A1 and titles as T1, dates as Y1 '2009///'; Zotero writes AU, TI, PY,
and the journal as T2."""

from __future__ import annotations

import re
from pathlib import Path

import rispy

from .records import Record, Skipped, clean, doi_of, organisation, pages_of, person, year_of
from .textfile import TextFileError, read_text_file

MAX_BYTES = 200 << 20
_TAG = re.compile(r"^([A-Z][A-Z0-9])  -(?: (.*))?$")

# rispy's names for the tags, in the order each field is looked for.
_TITLE = ("title", "primary_title")
_AUTHORS = ("authors", "first_authors")
_YEAR = ("year", "publication_year", "date")
_JOURNAL = ("journal_name", "alternate_title3", "secondary_title", "alternate_title1", "alternate_title2")


class RisError(TextFileError):
    """Text that holds no RIS record: the message, a hint, and the line when one is to blame."""


def read_ris_file(path: Path) -> str:
    return read_text_file(path, MAX_BYTES, what="the RIS file", save_as="export the references again as RIS "
                          "(UTF-8)", too_big=f"split the export: files up to {MAX_BYTES >> 20} MB are read",
                          empty="export the references again as RIS", binary="export the references as RIS, not "
                          "as a library file (.enl, .sqlite)")


def _first(entry: dict, keys: tuple[str, ...]) -> object:
    for key in keys:
        value = entry.get(key)
        if isinstance(value, list):
            value = next((v for v in value if clean(v)), None)
        if clean(value):
            return value
    return None


def ris_author(text: str) -> str:
    """RIS's 'Family, Given, Suffix' in the study files' form; a name with no comma is an organisation's (RIS
    writes a person family name first, with a comma)."""
    parts = [p.strip() for p in text.split(",")]
    if len(parts) == 1:
        return organisation(text) if " " in text.strip() else person(text)
    return person(parts[0], parts[1], ", ".join(parts[2:]))


def _record(entry: dict, number: int, line: int) -> Record | Skipped:
    title = clean(_first(entry, _TITLE))
    year = year_of(_first(entry, _YEAR))
    if not title:
        return Skipped(number, "no title (TI or T1 line)", line)
    if year is None:
        return Skipped(number, "no year (PY, Y1 or DA line with a four-digit year)", line)
    authors = next((entry[k] for k in _AUTHORS if entry.get(k)), [])
    url = _first(entry, ("urls",))
    return Record(number, title, tuple(ris_author(a) for a in authors if clean(a)), year,
                  journal=clean(_first(entry, _JOURNAL)), volume=clean(entry.get("volume")),
                  issue=clean(entry.get("number")), pages=pages_of(entry.get("start_page"), entry.get("end_page")),
                  doi=doi_of(entry.get("doi")), url=clean(url), line=line)


def parse_ris(text: str) -> tuple[list[Record], list[Skipped]]:
    """The records of a RIS file's text, and the ones skipped with why. Raises RisError when no record is found."""
    records: list[Record] = []
    skipped: list[Skipped] = []
    start: int | None = None
    chunk: list[str] = []
    number = 0
    for index, raw in enumerate(text.lstrip("\ufeff").splitlines(), start=1):
        match = _TAG.match(raw.rstrip())
        tag = match.group(1) if match else None
        if tag == "TY":
            if start is not None:
                skipped.append(Skipped(number, f"no ER line before the next record starts on line {index}", start))
            number, start, chunk = number + 1, index, []
        if start is None:
            continue  # a header before the first record (rispy's '1.', EndNote's blank lines)
        chunk.append(raw.rstrip())
        if tag == "ER":
            entries = rispy.loads("\n".join(chunk) + "\n", skip_unknown_tags=True)
            if entries:
                result = _record(entries[0], number, start)
                (records if isinstance(result, Record) else skipped).append(result)
            start = None
    if start is not None:
        skipped.append(Skipped(number, "the file ends before this record's ER line", start))
    if number == 0:
        raise RisError("no RIS record found (no line starting 'TY  - ')",
                       "is this a RIS file? export the references as RIS (.ris)", 1)
    return records, skipped
