"""Read an EPPI-Reviewer JSON export (the file EPPI-Mapper reads) into records, facets and themes.

What the file is
    One JSON object with two lists. `CodeSets`: the review's coding tools, each with `SetName`, `SetDescription`
    and its codes in `Attributes.AttributesList`; each code has `AttributeId`, `AttributeName`, a description
    (`AttributeSetDescription`, else `AttributeDescription`), `AttributeType` ("Selectable (show checkbox)",
    "Outcome" and "Intervention" can be ticked; "Not selectable (no checkbox)" is a heading) and, nested the same
    way, the codes under it. `References`: one object per study with its fields as strings ("" when unknown, the
    year too: "2019") and `Codes`, the codes it is coded with: `AttributeId`, `AdditionalText` (the reviewer's
    "Info" text), `ArmId`/`ArmTitle`, and the coded passages of the full text.

What is imported from a reference
    | EPPI field | study file |
    | --- | --- |
    | Title | title (a reference without one is skipped, with its number and ItemId) |
    | Year | year (the first four-digit year in it; a reference without one is skipped) |
    | Authors | authors: "Smith JA ; van Doorn F ; World Health Organization  ; " becomes "Smith, J. A.", |
    |         | "van Doorn, F.", "{World Health Organization}" (see below) |
    | ParentTitle | journal (for a book chapter, the book) |
    | Volume, Issue, Pages, URL | volume, issue, pages, url |
    | DOI | doi, without https://doi.org/ |
    | Abstract | summary, only when the mapping says `fields: {Abstract: summary}` |
    | Codes | facets, themes (findings), countries and appraisal, by the code set each code belongs to (below) |

    Never imported, because they are the review team's own working notes or not about the study: Comments,
    CreatedBy, EditedBy, DateCreated, DateEdited, ItemStatus, Keywords, QuickCitation, ShortTitle, the coded
    passages of full texts (ItemAttributeFullTextDetails) and every other field. HTML in any text is made plain
    (tags dropped, `&amp;` read as `&`); EPPI's line ends (\\r) become line breaks.

    Authors: EPPI writes each author as "<family> <first> <second>; ", so the words are split this way. Trailing
    words of one to three capitals, with or without dots ("JA", "M D.A", "J.-P."), are initials and the words
    before them the family name ("van der Berg JA"). Otherwise the family name is the first word with any
    lowercase or one-letter words before it ("Chen Chaomei", "van Doorn Frank", "Ó Súilleabháin Niamh"), and the
    words after it are given names, written as initials. A name that EPPI wrote with both given-name parts empty
    (it then ends in two spaces before the ';') is an organisation's when it has several words, and is kept whole.

Code sets: what each becomes
    By default a code set becomes one facet, named by SetName, and its selectable codes become the facet's values.
    A code set three or more levels deep (a code under a code under a code) is a data-extraction tool of questions
    and answers: each of its top-level codes with codes under it becomes a facet of its own (as `split` does), and
    its top-level codes with none under them, if any, one more facet named by SetName.

    Inside a facet one level of grouping is kept (docs: the facets form of review.yml). A code right under the
    facet is a value; a code with codes under it is a category, and every selectable code at any depth below it is
    a code of that category; one three or more levels below the facet is labelled "<its parent>: <its label>"
    (e.g. "Adults: Older adults"), and a notice says how many were folded so. Headings (not selectable) give no
    value. Descriptions are kept. A category with no selectable code under it is left out, and a facet with none
    too, with a notice. A code that has codes under it and that references are also coded with directly (EPPI
    allows it) gets a code `<category id>-general` labelled "<label> (general)" in its category, and a notice says
    how many references have it. Ids are made from labels (`Training and education` -> `training-and-education`),
    unique within a facet ('-2', '-3'... when two labels give one id), and the facet is `multiple` when some
    reference has more than one of its codes. Codes of a reference that belong to no exported code set are left
    out, with a notice.

The mapping file (`--mapping MAP.yml`), all of it optional
    code_sets:                            # by SetName, case and spacing ignored; a name not in the export is an error
      "Study design": {facet: design}     # one facet, with this id (and `label:`/`description:` if given), even
                                          # for a code set three levels deep
      "Screening codes": drop             # not imported
      "Outcomes": split                   # each top-level code with codes under it becomes a facet
      "Main findings": themes             # each selectable code becomes a theme (its description the theme's
                                          # summary); a reference coded with it gets that finding, its
                                          # AdditionalText the finding's text (none when empty)
      "Country": countries                # code labels are country names: each becomes its ISO 3166-1 code; a
                                          # label that is not a country's name (or a region) is left out and
                                          # listed, never guessed
      "Quality": appraisal                # the appraisal tool (its SetName): each selectable code is a level
                                          # (label, description); a reference's code is its rating, the code's
                                          # AdditionalText the rationale. A reference with two or more codes of
                                          # the set is listed and given no rating. One code set at most
      "Design": facet                     # the default, said out loud
    fields:
      Abstract: summary                   # the abstract becomes the study's summary (else it is not imported)

Large exports are read as a stream (ijson): one reference at a time, so memory does not grow with the file (up to
1 GB). The file is UTF-8, with or without a byte order mark, or UTF-16 with one; bytes that are not UTF-8 (a title
re-saved in Windows-1252, EPPI's occasional CESU-8 surrogates) are replaced by U+FFFD, and a notice says how
many. A file that is not valid JSON is refused with JSON's own message and line, and how many references were
read before the fault.
"""

from __future__ import annotations

import codecs
import json
import os
import re
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import ijson

from ..countries import country_code, suggest
from .eppi_codes import CodePlan, plain, plan_codes
from .mapping import Mapping
from .records import ReadResult, Record, Skipped, doi_of, organisation, pages_of, person, year_of
from .textfile import TextFileError

FORMAT = "eppi-json"
MAX_BYTES = 1 << 30  # read as a stream: the limit is on what one import should be, not on memory
_HINT = "export the references again from EPPI-Reviewer as JSON (the export EPPI-Mapper reads)"
_INITIALS = re.compile(r"(?=(?:[^A-Z]*[A-Z]){1,3}[^A-Z]*$)[A-Z](?:[.\-]*[A-Z])*\.?")
_replaced = [0]


def _count_replaced(error: UnicodeError) -> tuple[str, int]:
    _replaced[0] += 1
    return "\ufffd", error.end  # type: ignore[attr-defined]


codecs.register_error("eppi-replace", _count_replaced)


class EppiError(TextFileError):
    """Why a file cannot be read as an EPPI-Reviewer export, with a hint and the line when one is to blame."""


def sniff(path: Path) -> str | None:
    """'eppi-json' when the file is a JSON object whose first 64 KB name CodeSets or References, else None."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None
        with open(path, "rb") as file:
            head = file.read(1 << 16)
    except OSError:
        return None
    text = head.decode("utf-16", "ignore") if head[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE) \
        else head.decode("utf-8", "ignore").lstrip("\ufeff")
    return FORMAT if text.lstrip().startswith("{") and re.search(r'"(?:CodeSets|References)"\s*:', text) else None


class _Recoded:
    """A file in another encoding read as UTF-8 bytes, which is what ijson reads; what cannot be decoded is
    replaced (and counted) by the "eppi-replace" handler."""

    def __init__(self, raw: IO[bytes], encoding: str):
        self.raw = raw
        self.decoder = codecs.getincrementaldecoder(encoding)(errors="eppi-replace")

    def read(self, size: int = -1) -> bytes:
        while True:  # a chunk that ends inside a character decodes to nothing: b"" would be read as the end
            chunk = self.raw.read(size)
            text = self.decoder.decode(chunk, final=not chunk)
            if text or not chunk:
                return text.encode("utf-8")


@contextmanager
def _open(path: Path, as_text: bool) -> Iterator[Any]:
    """The file's bytes for ijson, after any UTF-8 mark; a UTF-16 file, or (`as_text`) one that is not UTF-8,
    decoded and encoded again, with what cannot be decoded replaced and counted."""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise EppiError("not a file", "give the path of the EPPI-Reviewer JSON export")
        if info.st_size > MAX_BYTES:
            raise EppiError(f"file is {info.st_size:,} bytes, over the limit of {MAX_BYTES:,}",
                            "export the references in parts, a few thousand at a time")
        if info.st_size == 0:
            raise EppiError("the file is empty", _HINT)
        with open(path, "rb") as raw:
            mark = raw.read(3)
            utf16 = mark[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
            if utf16 or as_text:
                raw.seek(0)
                yield _Recoded(raw, "utf-16" if utf16 else "utf-8-sig")
            else:
                raw.seek(len(codecs.BOM_UTF8) if mark == codecs.BOM_UTF8 else 0)
                yield raw
    except OSError as exc:
        raise EppiError(f"cannot read: {exc.strerror}", "check the path" if isinstance(exc, FileNotFoundError)
                        else "check the file's permissions") from None


def _code_sets(stream: Any) -> list[Any]:
    """The CodeSets list, read up to its end only (EPPI writes it before the references)."""
    events = ijson.parse(stream, use_float=True)
    first = next(events, None)
    if first is None or first[1] != "start_map":
        raise EppiError("not an EPPI-Reviewer export: the file is not a JSON object ({...})", _HINT, 1)
    builder: Any = None
    for prefix, event, value in events:
        if builder is not None:
            if prefix == "CodeSets" and event == "end_array":
                return builder.value
            builder.event(event, value)
        elif prefix == "CodeSets":
            if event != "start_array":
                raise EppiError("CodeSets is not a list", _HINT)
            builder = ijson.ObjectBuilder()
            builder.event(event, value)
    return []


def eppi_authors(text: object) -> tuple[str, ...]:
    """EPPI's "Family First Second; ..." as the study files write authors (the rule is in the docstring)."""
    authors = []
    for raw in str(text or "").split(";"):
        words = raw.split()
        if not words:
            continue
        if len(words) > 1 and raw.endswith("  "):  # both given-name parts empty: the name is all family name
            authors.append(organisation(" ".join(words)))
            continue
        cut = len(words)
        while cut > 1 and _INITIALS.fullmatch(words[cut - 1]):
            cut -= 1
        if cut == len(words):  # no initials: the family name is the first word, with particles before it
            # ('van', 'de la') and a one-letter word before it too ('Ó Súilleabháin')
            cut = next((i for i, w in enumerate(words[:-1]) if not w.islower() and len(w) > 1), len(words) - 1) + 1
        authors.append(person(" ".join(words[:cut]), " ".join(words[cut:])))
    return tuple(authors)


class _Reader:
    """One pass over the references, after the code sets are planned."""

    def __init__(self, plan: CodePlan, abstract: bool):
        self.plan, self.abstract = plan, abstract
        self.records: list[Record] = []
        self.skipped: list[Skipped] = []
        self.unknown: dict[str, int] = {}  # AttributeId with no code set -> references coded with it
        self.countries: dict[str, list[int]] = {}  # country label that is no country -> record numbers
        self.status: dict[str, int] = {}  # EPPI's status of references not 'Included in review' -> count
        self.rated_twice: list[str] = []  # a notice for each reference with several codes of the appraisal set
        self.count = 0

    def read(self, stream: Any) -> None:
        for raw in ijson.items(stream, "References.item", use_float=True):
            self.count += 1
            result = self.reference(raw, self.count)
            (self.records if isinstance(result, Record) else self.skipped).append(result)

    def reference(self, raw: Any, number: int) -> Record | Skipped:
        if not isinstance(raw, dict):
            return Skipped(number, "not a reference (a JSON object with Title, Year, Authors...)")
        item = f" (EPPI ItemId {raw['ItemId']})" if str(raw.get("ItemId", "")).strip() else ""
        title, year = plain(raw.get("Title")), year_of(raw.get("Year"))
        if not title:
            return Skipped(number, f"no Title{item}")
        if year is None:
            return Skipped(number, f"no year in Year ({json.dumps(raw.get('Year', ''))}){item}")
        if str(raw.get("ItemStatus") or "I").strip() != "I":
            label = plain(raw.get("ItemStatusTooltip")) or f"status {raw.get('ItemStatus')}"
            self.status[label] = self.status.get(label, 0) + 1
        facets: dict[str, list[tuple[int, str]]] = {}
        themes: dict[str, str | None] = {}
        countries: list[str] = []
        ratings: dict[str, str | None] = {}  # appraisal level id -> the AdditionalText(s) given with it
        for code in raw.get("Codes") or () if isinstance(raw.get("Codes"), list) else ():
            self.code(code, number, facets, themes, countries, ratings)
        if len(ratings) > 1 and self.plan.appraisal is not None:
            labels = {level.id: level.label for level in self.plan.appraisal.levels}
            self.rated_twice.append(f"record {number}{item}: {len(ratings)} codes of the appraisal code set "
                                    f"'{self.plan.appraisal.tool}' ({', '.join(labels[r] for r in ratings)}): no "
                                    "rating written (hint: keep one code per reference in EPPI-Reviewer, or rate "
                                    "the study by hand)")
        rating, rationale = next(iter(ratings.items())) if len(ratings) == 1 else (None, None)
        for facet_id, codes in facets.items():
            if len(codes) > 1:
                next(d for d in self.plan.facets if d.id == facet_id).multiple = True
        return Record(number, title, eppi_authors(raw.get("Authors")), year,
                      journal=plain(raw.get("ParentTitle")), volume=plain(raw.get("Volume")),
                      issue=plain(raw.get("Issue")), pages=pages_of(plain(raw.get("Pages"))),
                      doi=doi_of(plain(raw.get("DOI"))), url=plain(raw.get("URL")),
                      countries=tuple(countries),
                      facets={f: tuple(c for _, c in sorted(codes)) for f, codes in facets.items()},
                      themes=themes, summary=plain(raw.get("Abstract"), multiline=True) if self.abstract else None,
                      appraisal_rating=rating, appraisal_rationale=rationale)

    def code(self, code: Any, number: int, facets: dict[str, list[tuple[int, str]]], themes: dict[str, str | None],
             countries: list[str], ratings: dict[str, str | None]) -> None:
        attribute = str(code.get("AttributeId", "")).strip() if isinstance(code, dict) else ""
        target = self.plan.targets.get(int(attribute)) if attribute.isdigit() else None
        if target is None:
            self.unknown[attribute] = self.unknown.get(attribute, 0) + 1
            return
        if target.kind == "facet" and target.code:
            codes = facets.setdefault(target.key, [])
            if all(c != target.code for _, c in codes):
                codes.append((target.order, target.code))
                if target.code.endswith("-general"):
                    draft = next(d for d in self.plan.facets if d.id == target.key)
                    draft.used[target.code] = draft.used.get(target.code, 0) + 1
        elif target.kind == "drop":
            return
        elif target.kind in ("theme", "appraisal"):  # a finding, or a rating's rationale: the reviewer's Info text
            text = plain(code.get("AdditionalText"), multiline=True)
            arm = plain(code.get("ArmTitle"))
            text = f"{arm}: {text}" if text and arm else text
            found = themes if target.kind == "theme" else ratings
            found[target.key] = "\n\n".join(t for t in (found.get(target.key), text) if t) or None
        else:
            iso = country_code(target.key)
            if iso is None:
                self.countries.setdefault(target.key, []).append(number)
            elif iso not in countries:
                countries.append(iso)

    def notices(self) -> list[str]:
        found = []
        for label, numbers in self.countries.items():
            listed = ", ".join(map(str, numbers[:10])) + (f" and {len(numbers) - 10} more" if len(numbers) > 10
                                                          else "")
            found.append(f"country code '{label}' is not a country's name that ISO 3166 knows: left out of "
                         f"record(s) {listed} ({suggest(label)}; add the country to those studies by hand)")
        if self.unknown:
            ids = ", ".join(sorted(self.unknown, key=lambda a: (len(a), a))[:10])
            found.append(f"{sum(self.unknown.values())} code(s) on references belong to no code set in the export "
                         f"(AttributeId {ids}{'...' if len(self.unknown) > 10 else ''}): left out; export the "
                         "coding tools with the references to import them")
        found += self.rated_twice
        for label, count in self.status.items():
            found.append(f"{count} reference(s) are not included in the review in EPPI-Reviewer ('{label}'): "
                         "imported all the same; export only the included ones to leave them out")
        return found


def _abstract_to_summary(mapping: Mapping | None) -> bool:
    if mapping is None:
        return False
    for key in mapping.data:
        if key not in ("code_sets", "fields"):
            raise mapping.error(f"`{key}` is not a section of an EPPI-Reviewer mapping",
                                "an EPPI-Reviewer mapping has `code_sets:` and `fields:` (`columns:` is for CSV)", key)
    fields = mapping.section("fields")
    for name, target in fields.items():
        if name != "Abstract" or target not in ("summary", "ignore"):
            raise mapping.error(f"fields: expected `Abstract: summary`, but received: `{name}: {target}`",
                                "only the abstract can be mapped (to the summary); the other fields are imported "
                                "as they are", "fields", name)
    return fields.get("Abstract") == "summary"


def _where_broken(path: Path, read: int) -> tuple[str, int | None]:
    """What JSON's own reader says of a file ijson could not read, and the line: read again only then."""
    after = f"; {read} reference(s) were read before it" if read else ""
    if os.stat(path).st_size <= 256 << 20:
        try:
            json.loads(path.read_bytes().decode("utf-8-sig", "replace"))
        except json.JSONDecodeError as exc:
            return f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno}){after}", exc.lineno
    return f"not valid JSON{after}", None


def read_eppi(path: Path, mapping: Mapping | None) -> ReadResult:
    """The records, facets and themes of an EPPI-Reviewer JSON export. Raises EppiError naming what is wrong (and
    the line, when JSON's reader can tell it), and MappingError for the mapping file."""
    abstract = _abstract_to_summary(mapping)
    for as_text in (False, True):
        reader: _Reader | None = None
        try:
            with _open(path, as_text) as stream:
                plan = plan_codes(_code_sets(stream), mapping)
            _replaced[0] = 0  # counted on the pass that reads the whole file
            with _open(path, as_text) as stream:
                reader = _Reader(plan, abstract)
                reader.read(stream)
            break
        except UnicodeDecodeError:
            continue  # not UTF-8: read again as text, with what is not UTF-8 replaced
        except ijson.JSONError as exc:
            if not as_text and "UTF8" in str(exc):
                continue
            message, line = _where_broken(path, reader.count if reader else 0)
            raise EppiError(message, _HINT + "; a file cut short ends before its closing ]}", line) from None
    assert reader is not None
    if reader.count == 0:
        raise EppiError("no references in the file (no References list, or an empty one)",
                        "in EPPI-Reviewer, select the included references, then export them as JSON with their "
                        "codes", 1)
    notices = ([f"{_replaced[0]} character(s) that are not UTF-8 were replaced with '\ufffd'; export the file "
                "again from EPPI-Reviewer to keep them"] if _replaced[0] else [])
    facets = plan.facet_specs()
    return ReadResult(FORMAT, reader.records, reader.skipped, facets, tuple(plan.themes),
                      notices + plan.notices + reader.notices(), plan.appraisal)
