"""Typed, frozen records of a validated evidence map. Renderers take these and nothing else."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

BUILTIN_DIMENSIONS = ("country", "year")
MATRIX_BUILTINS = ("themes", "country", "year", "appraisal")
"""Dimensions of the evidence matrix that are not facets (appraisal only when review.yml has one)."""
MAX_SEGMENT_VALUES = 9
"""A matrix cell is split by a dimension of at most this many values (at the top level), each a colour of a
colour-blind-safe palette (outputs/matrix.py SEGMENT_COLOURS); "not reported" takes a grey of its own."""


CATEGORY_SEPARATOR = " › "
"""Between a category's label and its code's, where a code is shown with its category: "Training › Workshops"."""


@dataclass(frozen=True)
class Category:
    """A group of a facet's codes (review.yml: a value with its own `values:`). Studies give codes, not categories;
    a category holds the studies that have any of its codes."""

    id: str
    label: str
    codes: tuple[str, ...]  # code ids, in the review's order
    description: str | None = None


@dataclass(frozen=True)
class Facet:
    id: str
    label: str
    multiple: bool
    values: tuple[tuple[str, str], ...]  # (code id, label), every code in the review's order, categories left out
    description: str | None = None
    categories: tuple[Category, ...] = ()  # in the review's order; () for a flat facet
    code_descriptions: tuple[tuple[str, str], ...] = ()  # (code id, description) for codes that have one
    order: tuple[str, ...] = ()
    """Code and category ids as review.yml lists them at the top level (a category stands for its codes); () means
    the codes in `values`' order, as in a flat facet."""

    def label_of(self, value: str) -> str:
        """A code's label, or a category's."""
        return self._labels.get(value, value)

    def description_of(self, value: str) -> str | None:
        """A code's description, or a category's; None when it has none."""
        return self._descriptions.get(value)

    def category_of(self, code: str) -> Category | None:
        """The category a code is in; None for a code at the top level (or in a flat facet)."""
        return self._category_of.get(code)

    def category(self, category_id: str) -> Category | None:
        return next((c for c in self.categories if c.id == category_id), None)

    def codes_of(self, value: str) -> tuple[str, ...]:
        """The codes a value stands for: a category's codes, or the code itself."""
        category = self.category(value)
        return category.codes if category else (value,)

    def full_label(self, code: str) -> str:
        """A code's label after its category's, "Training › Workshops"; a top-level code's label alone."""
        category = self.category_of(code)
        label = self.label_of(code)
        return f"{category.label}{CATEGORY_SEPARATOR}{label}" if category else label

    def groups(self) -> tuple[tuple[Category | None, tuple[tuple[str, str], ...]], ...]:
        """The codes in the review's order, grouped: each category with its (code id, label) pairs, and each run of
        top-level codes between categories under None. A flat facet is one group under None."""
        if not self.categories:
            return ((None, self.values),) if self.values else ()
        out: list[tuple[Category | None, tuple[tuple[str, str], ...]]] = []
        loose: list[tuple[str, str]] = []
        for value in self.order:
            category = self.category(value)
            if category is None:
                loose.append((value, self.label_of(value)))
                continue
            if loose:
                out.append((None, tuple(loose)))
                loose = []
            out.append((category, tuple((c, self.label_of(c)) for c in category.codes)))
        if loose:
            out.append((None, tuple(loose)))
        return tuple(out)

    @cached_property
    def _labels(self) -> dict[str, str]:
        return {**dict(self.values), **{c.id: c.label for c in self.categories}}

    @cached_property
    def _descriptions(self) -> dict[str, str]:
        return {**dict(self.code_descriptions), **{c.id: c.description for c in self.categories if c.description}}

    @cached_property
    def _category_of(self) -> dict[str, Category]:
        return {code: c for c in self.categories for code in c.codes}


@dataclass(frozen=True)
class AppraisalLevel:
    id: str
    label: str
    description: str


@dataclass(frozen=True)
class Appraisal:
    """The review's appraisal tool and its ratings, in the order readers see them."""

    tool: str
    levels: tuple[AppraisalLevel, ...]
    url: str | None = None

    def level(self, rating: str) -> AppraisalLevel:
        return next(level for level in self.levels if level.id == rating)


@dataclass(frozen=True)
class StudyAppraisal:
    rating: str  # a level id of the review's appraisal
    rationale: str | None = None  # Markdown
    label: str = ""  # the level's label, and the tool's name, from review.yml: a study's reference can say them
    tool: str = ""


@dataclass(frozen=True)
class MatrixStatus:
    """review.yml's matrix.status: a study with any of `ongoing`'s codes of `facet` is ongoing."""

    facet: str
    ongoing: tuple[str, ...]


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
    appraisal: StudyAppraisal | None = None  # None: not appraised

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
    appraisal: Appraisal | None = None  # None: the studies were not appraised
    matrix_rows: tuple[str, ...] = ("themes",)  # dimension ids offered as the matrix's rows, the default first
    matrix_segments: tuple[str, ...] = ()  # dimension ids a matrix cell may be split by; () = none
    matrix_status: MatrixStatus | None = None  # the facet whose ongoing studies the matrix shows apart

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
