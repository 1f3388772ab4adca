"""Typed, frozen records of a validated evidence map. Renderers take these and nothing else."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

BUILTIN_DIMENSIONS = ("country", "year")


@dataclass(frozen=True)
class Facet:
    id: str
    label: str
    multiple: bool
    values: tuple[tuple[str, str], ...]  # (value id, label), in the review's order

    def label_of(self, value: str) -> str:
        return self._labels.get(value, value)

    @cached_property
    def _labels(self) -> dict[str, str]:
        return dict(self.values)


@dataclass(frozen=True)
class Finding:
    theme_id: str
    markdown: str | None


@dataclass(frozen=True)
class Study:
    id: str
    title: str
    authors: tuple[str, ...]
    year: int
    journal: str
    countries: tuple[str, ...]
    facets: dict[str, tuple[str, ...] | None]  # facet id -> values; None = not reported
    findings: tuple[Finding, ...]
    source: str  # the file, as shown in messages and edit links
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    doi: str | None = None
    url: str | None = None
    region: str | None = None
    sample_size: int | None = None
    sample_description: str | None = None
    summary: str | None = None
    notes: str | None = None
    inferred: tuple[str, ...] = ()
    """Paths of the fields whose values the map's authors inferred (countries, region, facets.<id>, sample.size,
    sample.description), in that order; pages mark those values, and `notes` say what each is inferred from."""

    @cached_property
    def theme_ids(self) -> tuple[str, ...]:
        return tuple(f.theme_id for f in self.findings)


@dataclass(frozen=True)
class Theme:
    id: str
    title: str
    order: int
    summary: str | None
    body: str  # Markdown synthesis, citations still in pandoc form
    body_line: int  # line of the body's first line in `source`
    source: str


@dataclass(frozen=True)
class Review:
    title: str
    question: str
    authors: tuple[str, ...]
    databases: tuple[str, ...]
    last_search: _dt.date | None
    search_notes: str | None
    facets: tuple[Facet, ...]
    matrix_columns: tuple[str, ...]
    published_citation: str | None = None
    published_doi: str | None = None
    published_url: str | None = None
    prisma: Any = None  # schema.Prisma, drawn by the PRISMA renderer
    last_search_by_database: tuple[tuple[str, _dt.date], ...] = ()  # in search.databases' order
    next_update: _dt.date | None = None
    version: str | None = None  # release.version: the map's version when the build has no git tag
    map_doi: str | None = None  # release.doi

    def facet(self, facet_id: str) -> Facet:
        return next(f for f in self.facets if f.id == facet_id)


@dataclass(frozen=True)
class EvidenceMap:
    review: Review
    studies: tuple[Study, ...]  # sorted by first author, year, id
    themes: tuple[Theme, ...]  # sorted by order, id
    warnings: tuple[Any, ...] = field(default=())

    def study(self, study_id: str) -> Study:
        return self._studies_by_id[study_id]

    @property
    def _studies_by_id(self) -> dict[str, Study]:
        cache = self.__dict__.get("_by_id")
        if cache is None:
            cache = {s.id: s for s in self.studies}
            object.__setattr__(self, "_by_id", cache)
        return cache
