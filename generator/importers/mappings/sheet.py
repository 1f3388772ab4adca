"""A CSV sheet's rows made records by the column rules of its mapping (csv_table.py reads the file and says what
the rules are): one row at a time, so that a big export is never held whole; the facets, values and themes the
sheet defines are gathered as the rows go."""

from __future__ import annotations

import re
from functools import cache

import pycountry

from ...content.scaffold import slug
from ...countries import country_code, country_name, suggest
from ...outputs.downloads import FORMULA_START
from ..records import (
    AppraisalSpec,
    Code,
    FacetSpec,
    ReadResult,
    Record,
    Skipped,
    ThemeSpec,
    clean,
    doi_of,
    pages_of,
    year_of,
)
from ..ris import ris_author
from . import Rule, split

_UNTICKED = frozenset({"", "no", "false", "0", "n", "-"})
_MISSING = object()
_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+|\d+")


@cache
def country_hint(text: str) -> str:
    hint = suggest(text)
    if not hint.startswith("use two-letter"):
        return hint
    try:
        found = pycountry.countries.search_fuzzy(text)[0]
    except LookupError:
        return hint + "; or map the name to its code under the column's `values:`"
    return (f"is it '{found.alpha_2}' ({country_name(found.alpha_2)})? write the code, or map the name to it under "
            "the column's `values:`")


class Sheet:
    """The records of a sheet, added a row at a time, and what it defines."""

    def __init__(self, header: list[str], rules: dict[str, Rule], known: str | None, left_out: list[str]):
        self.columns = [(header.index(column), rule) for column, rule in rules.items() if rule.kind != "ignore"]
        self.unquote = bool(known and "studies.csv" in known)  # studies.csv marks formula-like text with a "'"
        self.records: list[Record] = []
        self.skipped: list[Skipped] = []
        self.codes: dict[str, dict[str, str]] = {}  # facet id -> value id -> label, as first seen
        self.several: set[str] = set()  # facets to which one row gave several values
        self.themes: dict[str, str] = {}  # theme id -> title
        rating = next((r for _, r in self.columns if r.kind == "field" and r.target == "appraisal"), None)
        self.tool = rating.label if rating else None
        self.levels: dict[str, str] | None = dict(rating.listed) if rating else None  # level id -> label
        self.unknown: dict[str, list[int]] = {}  # country text -> the records that give it
        self.notices = [f"read as {known}"] if known else []
        if left_out:
            self.notices.append(f"columns not read (the mapping does not name them): {', '.join(left_out)}")
        self.number = 0

    def column(self, target: str) -> str:
        return next((r.column for _, r in self.columns if r.kind == "field" and r.target == target), target)

    def add(self, row: list[str], line: int) -> None:
        self.number += 1
        number = self.number
        given: dict[str, tuple[str, Rule]] = {}
        facets: dict[str, list[str]] = {}
        findings: dict[str, str | None] = {}
        for index, rule in self.columns:
            cell = row[index]
            if self.unquote and cell[:1] == "'" and cell[1:2] and cell[1] in FORMULA_START:
                cell = cell[1:]
            cell = cell.replace("\r\n", "\n").strip()
            if rule.kind == "facet":
                facets.setdefault(rule.target, []).extend(self._codes(rule, cell))
            elif not cell:
                continue
            elif rule.kind == "field":
                given.setdefault(rule.target, (cell, rule))
            else:  # a theme's finding
                findings.setdefault(rule.target, cell)
                self.themes.setdefault(rule.target, rule.label or rule.column)
        title = clean(given["title"][0]) if "title" in given else None
        year = year_of(given["year"][0]) if "year" in given else None
        if not title:
            self.skipped.append(Skipped(number, f"no title (column `{self.column('title')}` is empty)", line))
            return
        if year is None:
            self.skipped.append(Skipped(number, f"no year (column `{self.column('year')}`" + (
                f": '{given['year'][0]}' has no four-digit year)" if "year" in given else " is empty)"), line))
            return
        self.records.append(self._record(number, line, title, year, given, facets, findings))

    def _record(self, number: int, line: int, title: str, year: int, given: dict[str, tuple[str, Rule]],
                facets: dict[str, list[str]], findings: dict[str, str | None]) -> Record:
        def text(name: str) -> str | None:
            return given[name][0] if name in given else None

        def values(name: str) -> list[str]:
            return split(given[name][0], given[name][1].separator) if name in given else []

        for theme in values("themes"):
            rule = given["themes"][1]
            ident = rule.values.get(theme.casefold(), _MISSING)
            if ident is _MISSING:
                ident = slug(theme)
            if ident:
                findings.setdefault(str(ident), None)
                self.themes.setdefault(str(ident), theme)
        chosen = {facet: tuple(dict.fromkeys(ids)) for facet, ids in facets.items() if ids}
        for facet, ids in chosen.items():
            if len(ids) > 1:
                self.several.add(facet)
        rating = self._rating(given.get("appraisal"), number)
        first = (text("doi") or "").split()
        link = (text("url") or "").split()
        return Record(number, title, tuple(ris_author(a) for a in values("authors")), year,
                      journal=clean(text("journal")), volume=clean(text("volume")), issue=clean(text("issue")),
                      pages=pages_of(text("pages")), doi=doi_of(first[0]) if first else None,
                      url=link[0] if link else None, line=line,
                      countries=self._countries(given.get("countries"), number), region=clean(text("region")),
                      facets=chosen, themes=findings, summary=text("summary"), notes=text("notes"),
                      sample_size=self._size(text("sample_size"), number, line),
                      sample_description=text("sample_description"), inferred=tuple(values("inferred")),
                      study_id=clean(text("id")), appraisal_rating=rating,
                      appraisal_rationale=text("appraisal_rationale") if rating else None)

    def _codes(self, rule: Rule, cell: str) -> list[str]:
        """The value ids a facet cell gives, each noted with its label."""
        if rule.value is not None:
            if cell.casefold() in _UNTICKED:
                return []
            self.codes.setdefault(rule.target, {}).setdefault(rule.value, rule.column)
            return [rule.value]
        ids = []
        for text in split(cell, rule.separator):
            ident = rule.values.get(text.casefold(), _MISSING)
            if ident is None:
                continue  # the mapping leaves this text out
            if ident is _MISSING:
                ident = slug(text)
                if not ident:
                    self.notices.append(f"record {self.number}: `{text}` in column `{rule.column}` makes no id "
                                        "(no letter or digit): left out")
                    continue
            self.codes.setdefault(rule.target, {}).setdefault(str(ident), text)
            ids.append(str(ident))
        return ids

    def _rating(self, given: tuple[str, Rule] | None, number: int) -> str | None:
        """The level id of a rating cell (its text through `values:`, else made from the text, which is then the
        level's label); None when the cell is empty or `values:` leaves its text out."""
        if given is None or self.levels is None:
            return None
        text, rule = clean(given[0]) or "", given[1]
        ident = rule.values.get(text.casefold(), _MISSING)
        if ident is None:
            return None
        if ident is _MISSING:
            ident = slug(text)
            if not ident:
                self.notices.append(f"record {number}: rating `{text}` in column `{rule.column}` makes no id (no "
                                    "letter or digit): left out")
                return None
        self.levels.setdefault(str(ident), text)  # a level the mapping lists keeps the label it gives
        return str(ident)

    def _countries(self, given: tuple[str, Rule] | None, number: int) -> tuple[str, ...]:
        if given is None:
            return ()
        codes = []
        for text in split(given[0], given[1].separator):
            code = given[1].values.get(text.casefold(), _MISSING)
            if code is _MISSING:
                code = country_code(text)
                if code is None:
                    self.unknown.setdefault(text, []).append(number)
            if code:
                codes.append(str(code))
        return tuple(dict.fromkeys(codes))

    def _size(self, cell: str | None, number: int, line: int) -> int | None:
        if cell is None:
            return None
        if _NUMBER.fullmatch(cell):
            return int(cell.replace(",", ""))
        self.notices.append(f"record {number} (line {line}): sample size '{cell}' in column "
                            f"`{self.column('sample_size')}` is not a whole number: left out")
        return None

    def result(self) -> ReadResult:
        for text, numbers in self.unknown.items():
            shown = ", ".join(map(str, numbers[:10])) + (f" and {len(numbers) - 10} more" if len(numbers) > 10
                                                         else "")
            self.notices.append(f"country '{text}' (record{'s' if len(numbers) > 1 else ''} {shown}) is not an "
                                f"ISO 3166-1 code or a country name: left out ({country_hint(text)})")
        appraisal = None if self.levels is None else AppraisalSpec(
            self.tool, tuple(Code(i, label) for i, label in self.levels.items()))
        return ReadResult("csv", self.records, self.skipped, self._facets(),
                          tuple(ThemeSpec(i, t) for i, t in self.themes.items()), self.notices, appraisal)

    def _facets(self) -> tuple[FacetSpec, ...]:
        rules: dict[str, list[Rule]] = {}
        for _, rule in self.columns:
            if rule.kind == "facet":
                rules.setdefault(rule.target, []).append(rule)
        specs = []
        for facet, group in rules.items():
            labels = dict(pair for rule in group for pair in rule.listed)
            for ident, label in self.codes.get(facet, {}).items():
                labels.setdefault(ident, label)
            label = next((r.label for r in group if r.label), None) or next(
                (r.column for r in group if r.value is None), facet)
            stated = next((r.multiple for r in group if r.multiple is not None), None)
            multiple = stated if stated is not None else (facet in self.several
                                                          or sum(r.value is not None for r in group) > 1)
            if stated is False and facet in self.several:
                self.notices.append(f"`{facet}` takes one value (the mapping says `multiple: false`), but some rows "
                                    "give it several: check them after the import")
            specs.append(FacetSpec(facet, label, multiple, tuple(Code(i, t) for i, t in labels.items()),
                                   next((r.description for r in group if r.description), None)))
        return tuple(specs)
