"""`new-study`: a study file to fill in, with a valid id, the review's facets and themes listed as hints."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, Template

from ..citations import family, sort_key
from ..model import Appraisal, Facet, Review, Theme
from ..names import parse_authors
from .authors import check_authors, cli_hint
from .schema import SLUG_PATTERN


class ScaffoldError(Exception):
    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message, self.hint = message, hint


def slug(text: str) -> str:
    """'Østergaard' -> 'ostergaard'; 'van Doorn' -> 'van-doorn'."""
    return re.sub(r"[^a-z0-9]+", "-", sort_key(text)).strip("-")


def study_id(authors: list[str], year: int) -> str:
    """The id the bundled studies use: 'smith-2020', 'smith-jones-2020', 'smith-et-al-2020'."""
    names = [slug(family(a)) or "study" for a in authors]
    lead = names[0] if len(names) == 1 else f"{names[0]}-{names[1]}" if len(names) == 2 else f"{names[0]}-et-al"
    return f"{lead}-{year}"


@cache
def _template() -> Template:
    # Made once: `import` renders one new study per record, thousands in a whole review.
    env = Environment(loader=PackageLoader("generator", "templates"), autoescape=False, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["yaml"] = _yaml
    return env.get_template("new_study.yml.j2")


def _yaml(value: object) -> str:
    # JSON strings and lists are YAML double-quoted scalars and flow sequences: any title or name is written safely.
    return json.dumps(value, ensure_ascii=False) if value else "null"


def _text(value: str | None, indent: int) -> str:
    """Markdown as a YAML value: a literal block (`|-`) when it has several lines that one reads back unchanged,
    else a JSON string (a YAML double-quoted scalar, safe for any text)."""
    if not value:
        return "null"
    lines = value.split("\n")
    plain = ("\n" in value and not value[0].isspace() and "\t" not in value and "\r" not in value
             and all(line == line.rstrip() for line in lines) and not value.endswith("\n"))
    if not plain:
        return json.dumps(value, ensure_ascii=False)
    pad = " " * indent
    return "|-\n" + "\n".join(pad + line if line else "" for line in lines)


@lru_cache(maxsize=256)
def _facet_hint(facet: Facet) -> str:
    """A facet's line when the study does not give it: null, with its label and code ids as a hint."""
    several = " (one or more, as a list)" if facet.multiple else ""
    return f"{facet.id}: null  # {facet.label}{several}: {', '.join(code for code, _ in facet.values)}"


@lru_cache(maxsize=16)
def _appraisal_hint(appraisal: Appraisal) -> str:
    """The line of a study not (yet) appraised in a review that appraises: null, with the tool and its level ids."""
    tool = " ".join(appraisal.tool.split())
    return (f"appraisal: null  # {tool}: one of {', '.join(level.id for level in appraisal.levels)}; "
            "null = not appraised")


def appraisal_text(rating: str, rationale: str | None) -> str:
    """A study's `appraisal:` block (without its last newline): the rating, and the rationale as Markdown."""
    return f"appraisal:\n  rating: {_yaml(rating)}\n  rationale: {_text(rationale, 4)}"


def render(review: Review | None, themes: list[Theme], authors: list[str], year: int, title: str | None,
           study: Mapping[str, Any] | None = None, facets: Sequence[Facet] | None = None,
           appraisal: Appraisal | None = None) -> str:
    """A new study file's text. `study`: what is known beyond the authors, year and title, by study-file field
    (journal, countries, facets, themes, summary, sample: {size, description}, inferred, notes, appraisal:
    {rating, rationale}...): those fields are written, the rest keep their TODO hints. `facets` and `appraisal`: the
    review's when an import adds to them (default: the review's). A review without appraisal gets no `appraisal:`
    line; one with it, the study's rating or a null line naming the levels."""
    listed = review.facets if facets is None and review is not None else tuple(facets or ())
    tool = appraisal if appraisal is not None or review is None else review.appraisal
    given = dict(study or {})
    coded = given.get("facets") or {}
    sample = given.get("sample") or {}
    # The values are made YAML here rather than by filters in the template: an import renders thousands of studies.
    values = {name: _yaml(given.get(name)) for name in _FIELDS}
    values |= {name: _text(given.get(name), 2) for name in ("summary", "notes")}
    values["sample_size"] = "null" if sample.get("size") is None else str(int(sample["size"]))
    values["sample_description"] = _text(sample.get("description"), 4)
    lines = [f"{f.id}: {_yaml(coded[f.id])}" if f.id in coded else _facet_hint(f) for f in listed]
    findings = [(tid, _text(text, 4)) for tid, text in (given.get("themes") or {}).items()]
    rated = given.get("appraisal")
    appraised = (appraisal_text(rated["rating"], rated.get("rationale")) if rated
                 else _appraisal_hint(tool) if tool is not None else None)
    return _template().render(title=title, authors=authors, year=year, facet_lines=lines, themes=themes,
                              given={k for k, v in given.items() if v}, v=values, findings=findings,
                              appraisal=appraised)


_FIELDS = ("journal", "volume", "issue", "pages", "doi", "url", "countries", "region", "inferred")


def new_study(content: Path, review: Review, themes: list[Theme], authors: list[str], year: int,
              title: str | None = None, study: str | None = None) -> Path:
    authors = [a.strip() for a in authors if a.strip()]
    if not authors:
        raise ScaffoldError("give at least one author", 'e.g. --author "Smith, J."')
    # A name the checks would flag is refused, with the form to give instead, rather than guessed at: which word
    # of "Rachel Carter" is the family name decides the id and the file name.
    issues = check_authors(list(authors))
    if issues:
        raise ScaffoldError(issues[0].message, cli_hint(issues[0]))
    names = parse_authors(authors)
    for author, name in zip(authors, names, strict=True):
        if not name.short:
            raise ScaffoldError(f"{author!r} has no family name before the comma", 'e.g. --author "Smith, J."')
    authors = [name.written for name in names]
    if not 1800 <= year <= 2200:
        raise ScaffoldError(f"{year} is not a publication year")
    sid = study or study_id(authors, year)
    if not re.match(SLUG_PATTERN, sid):
        raise ScaffoldError(f"'{sid}' is not a valid study id", "use lowercase letters, digits and single hyphens")
    path = content / "studies" / f"{sid}.yml"
    if path.exists():
        raise ScaffoldError(f"{path} already exists: not overwritten",
                            f"if it is another study, choose another id, e.g. --id {sid}b")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as out:  # "x": never overwrite, even in a race
        out.write(render(review, themes, authors, year, title))
    return path
