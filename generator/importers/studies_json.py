"""Read a map's own studies.json download (outputs/downloads.py) back into records, facets and themes, so that a
map can be rebuilt from its download or merged into another.

Every field of a study comes back: title, authors (from `authors_csl`, the parts, so that an organisation stays one
name; else from `authors`), year, journal, volume, issue, pages, doi, url, countries, region, facets, sample size
and description, summary, findings (`themes`: theme id -> Markdown, or null for a theme with no finding text),
notes and inferred. A facet given as null (not reported) is left out of the record, so the study file keeps new-
study's hint for it. The file's `facets` become FacetSpecs, in either form the download has written: a value as
`id: label`, or as review.yml's extended form (`{label, description}` for a code, `{label, description, values}`
for a category of codes); its `themes` become ThemeSpecs. A study without a title or year is skipped with its
number and id; a country that is not an ISO 3166-1 code is left out, with a notice. A new study keeps the id the
file gives it when that id is free (theme pages cite studies by id), else gets new-study's. The map's `appraisal`
(tool, url, levels: {id: {label, description}}) becomes the AppraisalSpec, and each study's `appraisal` ({rating,
rationale}; null = not appraised) its rating and rationale. No mapping file applies: the file names its own
fields."""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path
from typing import Any

from ..countries import is_country
from ..names import Name
from .mapping import Mapping
from .records import (
    AppraisalSpec,
    Category,
    Code,
    FacetSpec,
    ReadResult,
    Record,
    Skipped,
    ThemeSpec,
    clean,
    organisation,
    year_of,
)
from .textfile import TextFileError, read_text_file

FORMAT = "studies-json"
MAX_BYTES = 500 << 20
_HINT = "download studies.json again from the map's Downloads page"


class StudiesJsonError(TextFileError):
    """Why a file cannot be read as a map's studies.json, with a hint and the line when one is to blame."""


def sniff(path: Path) -> str | None:
    """'studies-json' when the file is a JSON object that names "facets" and "studies" (or "question") in its
    first 4 MB, as this generator's download does, else None."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None
        with open(path, "rb") as file:
            head = file.read(4 << 20).decode("utf-8", "ignore").lstrip("\ufeff").lstrip()
    except OSError:
        return None
    keys = set(re.findall(r'"(facets|studies|question)"\s*:', head))
    return FORMAT if head.startswith("{") and "facets" in keys and keys & {"studies", "question"} else None


def _text(value: object) -> str | None:
    """A field's text as the download wrote it (Markdown keeps its line breaks); None for null or ""."""
    if value is None or isinstance(value, (bool, dict, list)):
        return None
    return str(value) if str(value).strip() else None


def _code(code_id: str, raw: object, where: str) -> Code:
    if isinstance(raw, str):
        return Code(code_id, raw)
    if isinstance(raw, dict) and isinstance(raw.get("label"), str):
        return Code(code_id, raw["label"], _text(raw.get("description")))
    raise StudiesJsonError(f"{where}: value '{code_id}' is neither a label nor {{label, description}}", _HINT)


def facet_spec(facet_id: str, raw: Any) -> FacetSpec:
    """A facet of the download, flat (`id: label`) or with categories (review.yml's extended form)."""
    where = f"facets.{facet_id}"
    if not isinstance(raw, dict) or not isinstance(raw.get("values"), dict):
        raise StudiesJsonError(f"{where} is not a facet (label, multiple, values)", _HINT)
    values: list[Code | Category] = []
    for value_id, value in raw["values"].items():
        if isinstance(value, dict) and isinstance(value.get("values"), dict):
            codes = tuple(_code(c, v, f"{where}.{value_id}") for c, v in value["values"].items())
            values.append(Category(value_id, str(value.get("label") or value_id), codes,
                                   _text(value.get("description"))))
        else:
            values.append(_code(value_id, value, where))
    return FacetSpec(facet_id, str(raw.get("label") or facet_id), bool(raw.get("multiple")), tuple(values),
                     _text(raw.get("description")))


def appraisal_spec(raw: Any) -> AppraisalSpec | None:
    """The map's appraisal tool and its levels, as studies.json writes them (None when the map has none)."""
    if raw is None:
        return None
    if not isinstance(raw, dict) or not isinstance(raw.get("levels"), dict):
        raise StudiesJsonError("`appraisal` is not an appraisal tool (tool, url, levels)", _HINT)
    levels = tuple(_code(str(lid), level, "appraisal.levels") for lid, level in raw["levels"].items())
    return AppraisalSpec(clean(raw.get("tool")), levels, clean(raw.get("url")))


def study_authors(study: dict) -> tuple[str, ...]:
    """The authors as study files write them, from CSL's parts when the download gives them."""
    parts = study.get("authors_csl")
    if isinstance(parts, list) and all(isinstance(p, dict) for p in parts):
        return tuple(organisation(p["literal"]) if "literal" in p else
                     Name(str(p.get("family", "")), str(p.get("given", "")), str(p.get("non-dropping-particle", "")),
                          str(p.get("suffix", ""))).written for p in parts)
    names = study.get("authors")
    return tuple(str(a) for a in names if clean(a)) if isinstance(names, list) else ()


class _Studies:
    def __init__(self) -> None:
        self.countries: dict[str, list[int]] = {}

    def record(self, study: Any, number: int) -> Record | Skipped:
        if not isinstance(study, dict):
            return Skipped(number, "not a study (a JSON object with title, year, authors...)")
        sid = f" ({study['id']})" if isinstance(study.get("id"), str) else ""
        title, year = clean(study.get("title")), year_of(study.get("year"))
        if not title:
            return Skipped(number, f"no title{sid}")
        if year is None:
            return Skipped(number, f"no year{sid}")
        countries = []
        for code in study.get("countries") or ():
            if is_country(str(code)):
                countries.append(str(code))
            else:
                self.countries.setdefault(str(code), []).append(number)
        facets = {str(f): tuple(str(v) for v in values) for f, values in (study.get("facets") or {}).items()
                  if isinstance(values, list)} if isinstance(study.get("facets"), dict) else {}
        themes = {str(t): _text(v) for t, v in study["themes"].items()} if isinstance(study.get("themes"), dict) \
            else {}
        sample = study.get("sample") if isinstance(study.get("sample"), dict) else {}
        size = sample.get("size")
        rated = study.get("appraisal") if isinstance(study.get("appraisal"), dict) else {}
        return Record(number, title, study_authors(study), year, journal=_text(study.get("journal")),
                      volume=_text(study.get("volume")), issue=_text(study.get("issue")),
                      pages=_text(study.get("pages")), doi=_text(study.get("doi")), url=_text(study.get("url")),
                      countries=tuple(countries), region=_text(study.get("region")), facets=facets, themes=themes,
                      summary=_text(study.get("summary")), notes=_text(study.get("notes")),
                      sample_size=size if isinstance(size, int) and not isinstance(size, bool) else None,
                      sample_description=_text(sample.get("description")),
                      inferred=tuple(str(i) for i in study.get("inferred") or () if isinstance(i, str)),
                      study_id=study["id"] if isinstance(study.get("id"), str) else None,
                      appraisal_rating=clean(rated.get("rating")), appraisal_rationale=_text(rated.get("rationale")))

    def notices(self) -> list[str]:
        found = [f"country '{code}' is not an ISO 3166-1 code: left out of record(s) "
                 f"{', '.join(map(str, numbers[:10]))}{' and more' if len(numbers) > 10 else ''}"
                 for code, numbers in self.countries.items()]
        return found


def read_studies_json(path: Path, mapping: Mapping | None) -> ReadResult:
    """The records, facets and themes of a studies.json download. Raises StudiesJsonError naming what is wrong."""
    if mapping is not None and mapping.data:
        first = next(iter(mapping.data))
        raise mapping.error("a studies.json import takes no mapping", "leave out --mapping: studies.json names its "
                            "own fields", first)
    text = read_text_file(path, MAX_BYTES, what="the studies.json file", save_as=_HINT,
                          too_big=f"files up to {MAX_BYTES >> 20} MB are read", empty=_HINT,
                          binary=_HINT)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise StudiesJsonError(f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})", _HINT,
                               exc.lineno) from None
    except RecursionError:
        raise StudiesJsonError("not a studies.json file: nested too deeply", _HINT) from None
    if not isinstance(data, dict) or not isinstance(data.get("studies"), list):
        raise StudiesJsonError("not a map's studies.json: no `studies` list", _HINT, 1)
    raw_facets = {} if data.get("facets") is None else data["facets"]
    if not isinstance(raw_facets, dict):
        raise StudiesJsonError("`facets` is not a mapping of facet ids to facets", _HINT)
    facets = tuple(facet_spec(str(f), raw) for f, raw in raw_facets.items())
    themes = tuple(ThemeSpec(str(t["id"]), str(t.get("title") or t["id"]), _text(t.get("summary")))
                   for t in data.get("themes") or () if isinstance(t, dict) and isinstance(t.get("id"), str))
    appraisal = appraisal_spec(data.get("appraisal"))
    reader = _Studies()
    results = [reader.record(study, number) for number, study in enumerate(data["studies"], start=1)]
    return ReadResult(FORMAT, [r for r in results if isinstance(r, Record)],
                      [r for r in results if isinstance(r, Skipped)], facets, themes, reader.notices(), appraisal)
