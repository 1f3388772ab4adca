"""What every reader (RIS, BibTeX) gives the writer: a neutral record of one imported study, the records it
skipped and why, and the rules that turn a record into a study file's values and id.

Names are written in the study files' form, "Family, I." (see names.py): a reference manager's "Anghel, Ruxandra"
becomes "Anghel, R."; an organisation is kept whole, in braces. Study ids are new-study's (content/scaffold.py):
'smith-2020', 'smith-jones-2020', 'smith-et-al-2020', ASCII-folded; a second study with the same id gets '-b', a
third '-c', in the order of their titles, so that the same file always gives the same ids."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field

from ..citations import sort_key
from ..content.scaffold import slug, study_id
from ..names import Name, parse_name

FIELDS = ("title", "authors", "year", "journal", "volume", "issue", "pages", "doi", "url")
"""The bibliographic fields an import fills, in the order a study file writes them."""


@dataclass(frozen=True)
class Record:
    number: int  # the record's place in the file, from 1: what messages name
    title: str
    authors: tuple[str, ...]  # "Family, I." strings, as a study file writes them
    year: int
    journal: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    doi: str | None = None  # without https://doi.org/
    url: str | None = None
    line: int | None = None  # the line the record starts on, when the reader knows it
    # What a coded export (EPPI-Reviewer, a mapped CSV, studies.json) gives beyond the reference. Empty = the export
    # does not say, so the study file keeps its own value (or new-study's TODO hint).
    countries: tuple[str, ...] = ()  # ISO 3166-1 alpha-2 codes, already checked; unknown names are never guessed
    region: str | None = None
    facets: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # facet id -> code ids, in the reader's ids
    # Written only into NEW study files: a file that exists keeps its hand-written summary, findings and notes.
    themes: Mapping[str, str | None] = field(default_factory=dict)  # theme id -> finding (Markdown; None = none)
    summary: str | None = None
    notes: str | None = None
    sample_size: int | None = None
    sample_description: str | None = None
    inferred: tuple[str, ...] = ()
    study_id: str | None = None  # the id the export gives (studies.json): a new study gets it when it is free
    # A level id of the ReadResult's AppraisalSpec (the reader's ids; None = the export gives no rating), and why.
    appraisal_rating: str | None = None
    appraisal_rationale: str | None = None  # Markdown

    def values(self) -> dict[str, object]:
        """The fields this record gives, without the empty ones."""
        return {f: getattr(self, f) for f in FIELDS if getattr(self, f) not in (None, "", ())}


@dataclass(frozen=True)
class Code:
    """A value of a facet: what a study file gives."""

    id: str
    label: str
    description: str | None = None


@dataclass(frozen=True)
class Category:
    """A group of codes (review.yml: a value with its own `values:`). Studies give its codes, not the category."""

    id: str
    label: str
    codes: tuple[Code, ...]
    description: str | None = None


@dataclass(frozen=True)
class FacetSpec:
    """A facet an export defines (an EPPI-Reviewer code set, a mapped CSV column, studies.json's facets), in the
    reader's ids: the import matches it to review.yml's facets by id, else by label, and adds what is new."""

    id: str
    label: str
    multiple: bool
    values: tuple[Code | Category, ...]
    description: str | None = None


@dataclass(frozen=True)
class ThemeSpec:
    """A theme an export defines (a code set sent to themes, studies.json's themes)."""

    id: str
    title: str
    summary: str | None = None


@dataclass(frozen=True)
class AppraisalSpec:
    """The appraisal tool an export defines (studies.json's `appraisal`, an EPPI-Reviewer code set sent to
    appraisal, a CSV column's ratings), its levels in the reader's ids. The import matches them to review.yml's
    levels by id, else by label; it adds the whole tool to a review.yml that has none, and never adds a level to
    one that has it. `tool` None: the export does not name it."""

    tool: str | None
    levels: tuple[Code, ...]  # id, label and (when the export gives one) what the level means
    url: str | None = None


@dataclass
class ReadResult:
    """What a reader gives the writer."""

    format: str  # 'ris', 'bibtex', 'csv', 'eppi-json', 'studies-json'
    records: list[Record]
    skipped: list[Skipped] = field(default_factory=list)
    facets: tuple[FacetSpec, ...] = ()
    themes: tuple[ThemeSpec, ...] = ()
    notices: list[str] = field(default_factory=list)  # what the reader did that is not a skipped record
    appraisal: AppraisalSpec | None = None


@dataclass(frozen=True)
class Skipped:
    number: int
    reason: str
    line: int | None = None

    def __str__(self) -> str:
        where = f" (line {self.line})" if self.line else ""
        return f"record {self.number}{where}: {self.reason}"


def clean(text: object) -> str | None:
    """One line of text, or None when there is none."""
    if text is None:
        return None
    joined = " ".join(str(text).split())
    return joined or None


def year_of(text: object) -> int | None:
    """2009 from '2009', '2009///', '2009/05/01/' or '2009-05': the first four-digit year in the field."""
    found = re.search(r"(?<!\d)(1[5-9]\d\d|2[01]\d\d)(?!\d)", str(text or ""))
    return int(found.group(1)) if found else None


def doi_of(text: object) -> str | None:
    """'10.1080/x' from 'https://doi.org/10.1080/x', 'doi:10.1080/x' or '10.1080/x'."""
    value = clean(text)
    if not value:
        return None
    value = re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", "", value, flags=re.IGNORECASE)
    return value if value.startswith("10.") else None


def pages_of(first: object, last: object = None) -> str | None:
    """'185-199' from '185' and '199', or from '185--199' and '185–199'."""
    start, end = clean(first), clean(last)
    if start and not end:
        start, _, end_part = re.sub(r"\s*(?:--|–|—)\s*", "-", start).partition("-")
        end = end_part.strip() or None
    if not start:
        return None
    return f"{start}-{end}" if end and end != start else start


def initials(given: str) -> str:
    """'Ruxandra' -> 'R.'; 'Mary-Jane' -> 'M.-J.'; 'R. M.', 'R M' and 'RM' (PubMed's form) -> 'R. M.'."""
    given = given.strip()
    if re.fullmatch(r"[A-Z]{1,3}", given):
        return " ".join(f"{c}." for c in given)
    words = []
    for word in given.replace(".", ". ").split():
        parts = [p for p in word.split("-") if p.strip(".")]
        words.append("-".join(f"{p.strip('.')[0]}." for p in parts))
    return " ".join(w for w in words if w)


def person(family: str, given: str = "", suffix: str = "") -> str:
    """A person's name as a study file writes it: 'van Doorn, F.', 'King, M. L., Jr.'."""
    rest = ", ".join(filter(None, (initials(given), suffix.strip())))
    return parse_name(f"{family.strip()}, {rest}" if rest else family.strip() + ("," if " " in family.strip()
                                                                                  else "")).written


def organisation(text: str) -> str:
    return Name(" ".join(text.strip("{} ").split()), organisation=True).written


def title_key(title: str, year: int) -> tuple[str, int]:
    """How two titles are the same study: case, accents, punctuation and spacing ignored."""
    folded = unicodedata.normalize("NFKD", sort_key(title))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", folded).split()), year


def doi_key(doi: object) -> str | None:
    value = doi_of(doi)
    return value.casefold() if value else None


def new_ids(records: list[Record], taken: set[str]) -> dict[int, str]:
    """An id for each new record (by its number): the one the export gives when it is a free slug (a map's own
    studies.json: theme pages cite studies by id), else new-study's, then '-b', '-c'... when one is taken, the
    records of one id taken in the order of their titles."""
    def base(record: Record) -> str:
        if record.authors:
            return study_id(list(record.authors), record.year)
        return f"{slug(record.title.split()[0]) or 'study'}-{record.year}"

    ids: dict[int, str] = {}
    used = set(taken)
    for record in records:
        if record.study_id and record.study_id == slug(record.study_id) and record.study_id not in used:
            used.add(record.study_id)
            ids[record.number] = record.study_id
    rest = [r for r in records if r.number not in ids]
    for record in sorted(rest, key=lambda r: (base(r), title_key(r.title, r.year), r.number)):
        sid, letter = base(record), 1
        candidate = sid
        while candidate in used:
            letter += 1
            candidate = f"{sid}-{_letters(letter)}"
        used.add(candidate)
        ids[record.number] = candidate
    return ids


def _letters(n: int) -> str:
    """2 -> 'b', 26 -> 'z', 27 -> 'aa': as many as there are collisions."""
    text = ""
    while n:
        n, rest = divmod(n - 1, 26)
        text = chr(ord("a") + rest) + text
    return text
