"""Read a BibTeX file (Zotero, JabRef, Mendeley exports) into records, with bibtexparser 2.

LaTeX in titles and names ("{\\'e}", "\\&", double braces that keep capitals) is decoded with pylatexenc, the
decoder bibtexparser uses; DOIs and web addresses are verbatim in BibTeX and kept as written. A name braced whole
with no first name, "{World Health Organization}", is an organisation, as BibTeX reads it."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import bibtexparser
from bibtexparser.middlewares import SeparateCoAuthors, SplitNameParts
from bibtexparser.middlewares.names import NameParts
from pylatexenc.latex2text import LatexNodes2Text

from .records import Record, Skipped, clean, doi_of, organisation, pages_of, person, year_of
from .textfile import TextFileError, read_text_file

MAX_BYTES = 200 << 20
_DECODER = LatexNodes2Text()
# Text macros our own references.bib writes (outputs/downloads.py) that pylatexenc does not know.
_TEXT_MACROS = {"\\textbraceleft{}": "{", "\\textbraceright{}": "}", "\\textbackslash{}": "\\",
                "\\textasciitilde{}": "~", "\\textasciicircum{}": "^"}
_MACRO = re.compile("(" + "|".join(re.escape(m) for m in _TEXT_MACROS) + ")")


class BibtexError(TextFileError):
    """Text that holds no BibTeX record: the message, a hint, and the line when one is to blame."""


def read_bibtex_file(path: Path) -> str:
    return read_text_file(path, MAX_BYTES, what="the BibTeX file", save_as="export the references again as "
                          "BibTeX (UTF-8)", too_big=f"split the export: files up to {MAX_BYTES >> 20} MB are read",
                          empty="export the references again as BibTeX", binary="export the references as BibTeX "
                          "(.bib), not as a library file")


def latex_text(value: str) -> str:
    """'{Caf{\\'e} \\& more}' -> 'Café & more'."""
    pieces = _MACRO.split(value)
    return " ".join("".join(_TEXT_MACROS.get(p) or _DECODER.latex_to_text(p) for p in pieces).split())


def bibtex_author(parts: NameParts) -> str:
    if not parts.first and not parts.von and not parts.jr and len(parts.last) == 1:
        last = parts.last[0]
        if last.startswith("{") and last.endswith("}") and " " in last.strip():
            return organisation(latex_text(last))
    family = " ".join(latex_text(p) for p in (*parts.von, *parts.last))
    return person(family, " ".join(latex_text(p) for p in parts.first), " ".join(latex_text(p) for p in parts.jr))


def _field(entry: bibtexparser.model.Entry, key: str) -> str | None:
    field = entry.fields_dict.get(key)
    return clean(latex_text(field.value)) if field is not None and isinstance(field.value, str) else None


def _record(entry: bibtexparser.model.Entry, number: int) -> Record | Skipped:
    line = entry.start_line + 1  # bibtexparser counts from 0
    title = _field(entry, "title")
    year = year_of(_field(entry, "year") or _field(entry, "date"))
    if not title:
        return Skipped(number, f"no title (@{entry.entry_type}{{{entry.key}, ...}})", line)
    if year is None:
        return Skipped(number, f"no year or date with a four-digit year (@{entry.entry_type}{{{entry.key}, ...}})",
                       line)
    author = entry.fields_dict.get("author")
    names = author.value if author is not None and isinstance(author.value, list) else []
    url = entry.fields_dict.get("url")
    doi = entry.fields_dict.get("doi")
    return Record(number, title, tuple(bibtex_author(n) for n in names), year,
                  journal=_field(entry, "journal") or _field(entry, "journaltitle"), volume=_field(entry, "volume"),
                  issue=_field(entry, "number") or _field(entry, "issue"), pages=pages_of(_field(entry, "pages")),
                  doi=doi_of(doi.value) if doi is not None else None,
                  url=clean(url.value) if url is not None else None, line=line)


def parse_bibtex(text: str) -> tuple[list[Record], list[Skipped]]:
    """The entries of a BibTeX file's text, and the ones skipped with why (a block the parser could not read is
    skipped with its line). Raises BibtexError when the file holds no entry at all."""
    # bibtexparser also logs each block it cannot read, with a line counted from 0: the skipped list says it.
    logger = logging.getLogger("bibtexparser")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        library = bibtexparser.parse_string(text.lstrip("\ufeff"),
                                            append_middleware=[SeparateCoAuthors(), SplitNameParts()])
    finally:
        logger.setLevel(level)
    blocks = sorted([*library.entries, *library.failed_blocks], key=lambda b: b.start_line)
    records: list[Record] = []
    skipped: list[Skipped] = []
    for number, block in enumerate(blocks, start=1):
        if isinstance(block, bibtexparser.model.Entry):
            result = _record(block, number)
            (records if isinstance(result, Record) else skipped).append(result)
        else:
            skipped.append(Skipped(number, "unreadable: not valid BibTeX (check that its braces are closed and its "
                                   "fields separated by commas)", block.start_line + 1))
    if not blocks:
        raise BibtexError("no BibTeX entry found (no line starting '@article{' or similar)",
                          "is this a BibTeX file? export the references as BibTeX (.bib)", 1)
    return records, skipped
