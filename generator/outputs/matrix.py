"""The evidence and gap map: the values of one dimension (rows) × another's (columns), optionally split by a third.

Counting rules, shared by the page's script (`assets/pages/matrix-model.js`) and by this reference implementation,
which draws the table readers without scripts see and which the tests hold the script to:
- a study with several values of a dimension (two countries, say) counts once under each;
- a study that does not report a dimension counts under "Not reported", shown only when some study is there;
- a category of a grouped facet counts the distinct studies with any of its codes (its line in the table);
- row, column and grand totals count distinct studies, so they are not the sums of the cells;
- a cell split by a third dimension counts, per top-level value of it (a category, or a code outside any), the
  distinct studies with that value: a study with two values counts in both segments;
- with review.yml's matrix.status, ongoing studies are counted apart: numbers, bubbles and segments are of the
  completed ones, and a cell whose completed count is 0 is a gap;
- filters combine with AND across dimensions and OR within one (a category stands for its codes); years are a range.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from ..countries import country_name
from ..model import Category, EvidenceMap, Study

NOT_REPORTED = "-"
NOT_REPORTED_LABEL = "Not reported"
MAX_SINGLE_YEARS = 12
"""With more distinct years than this between the first and the last study, years are grouped into periods."""
PERIOD = 5
SEGMENT_COLOURS = ("#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#CC6677", "#882255", "#AA4499")
"""Paul Tol's "muted" scheme, told apart by readers with any common colour-vision deficiency: the n-th top-level
value of a split dimension always takes the n-th colour, so a colour means the same value on every page."""
NOT_REPORTED_COLOUR = "#BBBBBB"
APPRAISAL_COLOURS = ("#662506", "#993404", "#CC4C02", "#EC7014", "#FE9929", "#FEC44F", "#FEE391", "#FFF7BC", "#FFFFE5")
"""ColorBrewer's YlOrBr, darkest first: appraisal levels are ordered, so they take steps of one sequential scale (told
apart by lightness, which every colour-vision deficiency keeps), not the categorical palette. The first level in
review.yml (the format asks for the highest first) is the darkest; the two palest steps are used only by a tool with
more than 7 levels. Its warm hue stays apart from the grey of "not appraised". The bubbles' edge in the text's colour
keeps the palest and the darkest visible on a light and a dark page."""


@dataclass(frozen=True)
class Dimension:
    id: str
    label: str
    values: tuple[tuple[str, str], ...]  # (code id, label) in display order; every code, categories left out
    of: Callable[[Study], tuple[str, ...]]  # a study's code ids; () when not reported
    categories: tuple[Category, ...] = ()
    order: tuple[str, ...] = ()  # top-level ids (categories and loose codes) in review order; () = `values`' order
    unreported: str = NOT_REPORTED_LABEL  # what "not reported" is called in this dimension
    total_label: str = ""  # the line of totals, "All themes"; default "Any <label>"
    ordered: bool = False  # its values are ranked (appraisal levels): a split colours them on a sequential scale
    single: bool = False  # a study has at most one of its values (a facet with multiple: false, year, appraisal)
    description: str | None = None  # what the dimension is (a facet's description)
    descriptions: tuple[tuple[str, str], ...] = ()  # (code or category id, its description), those that have one
    _category_of: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._category_of.update({code: c.id for c in self.categories for code in c.codes})

    @property
    def total(self) -> str:
        return self.total_label or f"Any {self.label.lower()}"

    def label_of(self, value: str) -> str:
        if value == NOT_REPORTED:
            return self.unreported
        category = self.category(value)
        return category.label if category else dict(self.values).get(value, value)

    def category(self, value: str) -> Category | None:
        return next((c for c in self.categories if c.id == value), None)

    def top(self) -> tuple[str, ...]:
        """The top-level ids: the values a split takes (a colour each)."""
        return self.order or tuple(v for v, _ in self.values)

    def keys(self, study: Study) -> tuple[str, ...]:
        """The lines a study counts in: its codes and, once each, their categories; (NOT_REPORTED,) if none."""
        codes = self.of(study)
        if not codes:
            return (NOT_REPORTED,)
        cats = dict.fromkeys(self._category_of[c] for c in codes if c in self._category_of)
        return tuple(codes) + tuple(cats)

    def tops(self, study: Study) -> tuple[str, ...]:
        """The top-level values a study has (a category for any of its codes): its segments."""
        codes = self.of(study)
        return tuple(dict.fromkeys(self._category_of.get(c, c) for c in codes)) if codes else (NOT_REPORTED,)

    def lines(self, unreported: bool) -> tuple[tuple[str, str, int], ...]:
        """(id, label, depth) of every line with every category open: a category (0), then its codes (1); codes
        outside any category (0); "Not reported" last when `unreported`."""
        out = []
        for value in self.top():
            category = self.category(value)
            out.append((value, self.label_of(value), 0))
            if category:
                out.extend((code, self.label_of(code), 1) for code in category.codes)
        if unreported:
            out.append((NOT_REPORTED, self.unreported, 0))
        return tuple(out)


def year_groups(years: Iterable[int]) -> list[tuple[str, str, int, int]]:
    """(id, label, first, last) per column: one per year, or 5-year periods when the span is long. Empty years
    in the span are kept: a year with no study is a gap worth seeing."""
    years = sorted(set(years))
    if not years:
        return []
    lo, hi = years[0], years[-1]
    if hi - lo + 1 <= MAX_SINGLE_YEARS:
        return [(str(y), str(y), y, y) for y in range(lo, hi + 1)]
    start = lo - lo % PERIOD
    return [(f"{y}-{y + PERIOD - 1}", f"{y}\u2013{y + PERIOD - 1}", y, y + PERIOD - 1)
            for y in range(start, hi + 1, PERIOD)]


def dimensions(emap: EvidenceMap) -> dict[str, Dimension]:
    """Every dimension a reader can count or filter by: the review's facets, then country and year, then themes and
    (when the studies were appraised) appraisal."""
    dims: dict[str, Dimension] = {}
    for facet in emap.review.facets:
        described = tuple((v, d) for v in (*(c.id for c in facet.categories), *(c for c, _ in facet.values))
                          if (d := facet.description_of(v)))
        dims[facet.id] = Dimension(facet.id, facet.label, facet.values, lambda s, fid=facet.id: s.facets.get(fid) or (),
                                   facet.categories, facet.order, description=facet.description,
                                   descriptions=described, single=not facet.multiple)
    codes = sorted({c for s in emap.studies for c in s.countries}, key=country_name)
    dims["country"] = Dimension("country", "Country", tuple((c, country_name(c)) for c in codes),
                                lambda s: s.countries)
    groups = year_groups(s.year for s in emap.studies)
    by_year = {y: gid for gid, _, first, last in groups for y in range(first, last + 1)}
    dims["year"] = Dimension("year", "Year" if all(g[2] == g[3] for g in groups) else "Period",
                             tuple((gid, label) for gid, label, _, _ in groups), lambda s: (by_year[s.year],),
                             single=True)
    if emap.themes:  # a map without themes (an EPPI-Reviewer gap map, say) has no such dimension
        dims["themes"] = Dimension("themes", "Theme", tuple((t.id, t.title) for t in emap.themes),
                                   lambda s: s.theme_ids, unreported="No theme", total_label="All themes",
                                   descriptions=tuple((t.id, t.summary) for t in emap.themes if t.summary))
    appraisal = emap.review.appraisal
    if appraisal:
        levels = tuple((level.id, level.label) for level in appraisal.levels)
        dims["appraisal"] = Dimension("appraisal", "Appraisal", levels, lambda s: (s.appraisal.rating,) if s.appraisal
                                      else (), unreported="Not appraised", ordered=True, single=True,
                                      description=f"How far each study's findings can be trusted, rated with "
                                                  f"{appraisal.tool}.",
                                      descriptions=tuple((level.id, level.description) for level in appraisal.levels))
    return dims


def axes(emap: EvidenceMap, dims: Mapping[str, Dimension] | None = None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The dimensions offered as rows and as columns, the default first: review.yml's matrix.rows and .columns, less
    any the map does not have. A map without themes has no `themes` dimension (rows default to [themes]): its rows
    are then every facet, then country, year and appraisal, the first facet by default, and its default columns the
    next dimension of the columns that is not the rows' (the next facet, when review.yml lists no columns)."""
    dims = dims or dimensions(emap)
    rows = tuple(d for d in emap.review.matrix_rows if d in dims)
    columns = tuple(d for d in emap.review.matrix_columns if d in dims)
    if rows:
        return rows, columns
    rows = tuple(d for d in dims if d != "themes")
    first = next((c for c in columns if c != rows[0]), None)
    if first is None:  # the columns hold only the rows' default: offer every other dimension
        columns = columns + tuple(d for d in rows if d not in columns)
        first = next(c for c in columns if c != rows[0])
    return rows, (first, *(c for c in columns if c != first))


def default_labels(emap: EvidenceMap) -> tuple[str, str]:
    """The labels of the matrix's default rows and columns ("Intervention", "Outcome"): what pages name when the
    map has no themes to put in rows."""
    dims = dimensions(emap)
    (rows, *_), (columns, *_) = axes(emap, dims)
    return dims[rows].label, dims[columns].label


def ongoing_ids(emap: EvidenceMap) -> frozenset[str]:
    """The studies review.yml's matrix.status calls ongoing; none without it."""
    status = emap.review.matrix_status
    if status is None:
        return frozenset()
    return frozenset(s.id for s in emap.studies if set(s.facets.get(status.facet) or ()) & set(status.ongoing))


@dataclass(frozen=True)
class Counts:
    by: Dimension  # the columns' dimension
    down: Dimension  # the rows'
    split: Dimension | None
    columns: tuple[tuple[str, str], ...]  # (value id, label) of every column line, categories open, "Not reported" last
    row_lines: tuple[tuple[str, str, int], ...]  # (value id, label, depth) of every row line
    cells: Mapping[tuple[str, str], tuple[str, ...]]  # (row value, column value) -> study ids, ongoing ones too
    rows: Mapping[str, tuple[str, ...]]  # row value -> distinct study ids
    cols: Mapping[str, tuple[str, ...]]  # column value -> distinct study ids
    total: tuple[str, ...]  # the studies that pass the filters
    segments: Mapping[tuple[str, str], Mapping[str, tuple[str, ...]]]  # cell -> split value -> completed study ids
    ongoing: frozenset[str] = frozenset()

    def done(self, ids: Iterable[str]) -> tuple[str, ...]:
        return tuple(i for i in ids if i not in self.ongoing)

    def n(self, row: str, col: str) -> int:
        """Completed studies in a cell (every study, without a status facet); 0 is a gap."""
        return len(self.done(self.cells.get((row, col), ())))

    def n_ongoing(self, row: str, col: str) -> int:
        return len(self.cells.get((row, col), ())) - self.n(row, col)


def selected(studies: Iterable[Study], dims: Mapping[str, Dimension], filters: Mapping[str, Iterable[str]],
             years: tuple[int | None, int | None] = (None, None)) -> list[Study]:
    """The studies that pass every filter: any of the chosen values within a dimension (a category stands for its
    codes), all dimensions at once."""
    wanted = {d: set(v) for d, v in filters.items() if v}
    lo, hi = years
    out = []
    for s in studies:
        if lo is not None and s.year < lo or hi is not None and s.year > hi:
            continue
        if all(set(dims[d].keys(s)) & values for d, values in wanted.items()):
            out.append(s)
    return out


def count(emap: EvidenceMap, by: str, filters: Mapping[str, Iterable[str]] | None = None,
          years: tuple[int | None, int | None] = (None, None), rows: str = "themes", split: str | None = None,
          dims: Mapping[str, Dimension] | None = None) -> Counts:
    """The reference counts of the view `rows` × `by` (columns), split by `split`, of the studies that pass."""
    dims = dims or dimensions(emap)
    col_dim, row_dim, split_dim = dims[by], dims[rows], dims[split] if split else None
    studies = selected(emap.studies, dims, filters or {}, years)
    ongoing = ongoing_ids(emap)
    cells: dict[tuple[str, str], list[str]] = {}
    row_ids: dict[str, list[str]] = {}
    col_ids: dict[str, list[str]] = {}
    segments: dict[tuple[str, str], dict[str, list[str]]] = {}
    for s in studies:
        down, across = row_dim.keys(s), col_dim.keys(s)
        tops = split_dim.tops(s) if split_dim and s.id not in ongoing else ()
        for value in across:
            col_ids.setdefault(value, []).append(s.id)
        for r in down:
            row_ids.setdefault(r, []).append(s.id)
            for c in across:
                cells.setdefault((r, c), []).append(s.id)
                for t in tops:
                    segments.setdefault((r, c), {}).setdefault(t, []).append(s.id)
    col_lines = col_dim.lines(any(not col_dim.of(s) for s in emap.studies))
    row_lines = row_dim.lines(any(not row_dim.of(s) for s in emap.studies))
    return Counts(col_dim, row_dim, split_dim, tuple((v, label) for v, label, _ in col_lines), row_lines,
                  {k: tuple(v) for k, v in cells.items()}, {k: tuple(v) for k, v in row_ids.items()},
                  {k: tuple(v) for k, v in col_ids.items()}, tuple(s.id for s in studies),
                  {k: {t: tuple(ids) for t, ids in v.items()} for k, v in segments.items()}, ongoing)


def segment_colours(dim: Dimension) -> dict[str, str]:
    """A split dimension's top-level value -> its colour, from its place in review.yml (never from what is drawn):
    the categorical palette, or for ranked values (appraisal) steps of the sequential one."""
    top = dim.top()
    if dim.ordered:
        return {**sequential_colours(top), NOT_REPORTED: NOT_REPORTED_COLOUR}
    colours = {value: SEGMENT_COLOURS[i % len(SEGMENT_COLOURS)] for i, value in enumerate(top)}
    return {**colours, NOT_REPORTED: NOT_REPORTED_COLOUR}


def sequential_colours(levels: Sequence[str]) -> dict[str, str]:
    """Ranked values, first = highest, -> evenly spaced steps of APPRAISAL_COLOURS from the darkest: as far apart
    as the scale allows, the last level the palest of the first 7 steps (of all 9 for a longer list)."""
    span = min(max(len(levels), 7), len(APPRAISAL_COLOURS)) - 1
    last = max(len(levels) - 1, 1)
    return {level: APPRAISAL_COLOURS[min(round(i * span / last), span)] for i, level in enumerate(levels)}


def script_json(data: object) -> str:
    """JSON safe to place inside <script type="application/json">: no '<', '>' or '&' that could end the element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
