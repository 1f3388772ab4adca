"""The evidence matrix: themes (rows) × the values of one study characteristic (columns), counted.

Counting rules, shared by the page's script (`assets/pages/matrix.js`) and by this reference implementation, which draws
the table readers without scripts see and which the tests hold the script to:
- a study with several values of the column dimension (two countries, say) counts once under each;
- a study that does not report the dimension counts under "Not reported", shown only when some study is there;
- row, column and grand totals count distinct studies, so they are not the sums of the cells;
- filters combine with AND across dimensions and OR within one; the year filter is a range.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from ..citations import author_year
from ..countries import country_name
from ..model import EvidenceMap, Study
from .downloads import STUDIES_JSON
from .paths import DIRECTORY_URLS, Urls, study_url, theme_url

NOT_REPORTED = "-"
NOT_REPORTED_LABEL = "Not reported"
MAX_SINGLE_YEARS = 12
"""With more distinct years than this between the first and the last study, years are grouped into periods."""
PERIOD = 5


@dataclass(frozen=True)
class Dimension:
    id: str
    label: str
    values: tuple[tuple[str, str], ...]  # (value id, label) in display order
    of: Callable[[Study], tuple[str, ...]]  # a study's value ids; () when not reported

    def label_of(self, value: str) -> str:
        return NOT_REPORTED_LABEL if value == NOT_REPORTED else dict(self.values).get(value, value)


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
    """Every dimension a reader can count or filter by: the review's facets, then country and year."""
    dims: dict[str, Dimension] = {}
    for facet in emap.review.facets:
        dims[facet.id] = Dimension(facet.id, facet.label, facet.values,
                                   lambda s, fid=facet.id: s.facets.get(fid) or ())
    codes = sorted({c for s in emap.studies for c in s.countries}, key=country_name)
    dims["country"] = Dimension("country", "Country", tuple((c, country_name(c)) for c in codes),
                                lambda s: s.countries)
    groups = year_groups(s.year for s in emap.studies)
    by_year = {y: gid for gid, _, first, last in groups for y in range(first, last + 1)}
    dims["year"] = Dimension("year", "Year" if all(g[2] == g[3] for g in groups) else "Period",
                             tuple((gid, label) for gid, label, _, _ in groups), lambda s: (by_year[s.year],))
    return dims


@dataclass(frozen=True)
class Counts:
    by: Dimension
    columns: tuple[tuple[str, str], ...]  # (value id, label), "Not reported" last when used
    cells: Mapping[tuple[str, str], tuple[str, ...]]  # (theme id, value id) -> study ids
    rows: Mapping[str, tuple[str, ...]]  # theme id -> distinct study ids
    cols: Mapping[str, tuple[str, ...]]  # value id -> distinct study ids
    total: tuple[str, ...]  # the studies that pass the filters

    def n(self, theme_id: str, value: str) -> int:
        return len(self.cells.get((theme_id, value), ()))


def selected(studies: Iterable[Study], dims: Mapping[str, Dimension], filters: Mapping[str, Iterable[str]],
             years: tuple[int | None, int | None] = (None, None)) -> list[Study]:
    """The studies that pass every filter: any of the chosen values within a dimension, all dimensions at once."""
    wanted = {d: set(v) for d, v in filters.items() if v}
    lo, hi = years
    out = []
    for s in studies:
        if lo is not None and s.year < lo or hi is not None and s.year > hi:
            continue
        if all(set(dims[d].of(s) or (NOT_REPORTED,)) & values for d, values in wanted.items()):
            out.append(s)
    return out


def count(emap: EvidenceMap, by: str, filters: Mapping[str, Iterable[str]] | None = None,
          years: tuple[int | None, int | None] = (None, None)) -> Counts:
    dims = dimensions(emap)
    dim = dims[by]
    studies = selected(emap.studies, dims, filters or {}, years)
    cells: dict[tuple[str, str], list[str]] = {}
    rows: dict[str, list[str]] = {t.id: [] for t in emap.themes}
    cols: dict[str, list[str]] = {}
    for s in studies:
        values = dim.of(s) or (NOT_REPORTED,)
        for value in values:
            cols.setdefault(value, []).append(s.id)
        for theme_id in s.theme_ids:
            rows[theme_id].append(s.id)
            for value in values:
                cells.setdefault((theme_id, value), []).append(s.id)
    unreported = any(not dim.of(s) for s in emap.studies)
    columns = dim.values + (((NOT_REPORTED, NOT_REPORTED_LABEL),) if unreported else ())
    return Counts(dim, columns, {k: tuple(v) for k, v in cells.items()}, {k: tuple(v) for k, v in rows.items()},
                  {k: tuple(v) for k, v in cols.items()}, tuple(s.id for s in studies))


_ID = "\0"  # stands for the id in around_id: no path or id holds it


def around_id(base: str, url_of: Callable[[str], str], urls: Urls = DIRECTORY_URLS) -> list[str]:
    """[before, after]: the link to any page `url_of` spells, from a page whose site root is at `base`, is
    before + id + after, in the URL style `urls`. The script joins the two around a study's or theme's id, so it
    spells no path itself and the page's data holds one pair rather than a URL per study."""
    before, after = (base + urls.url(url_of(_ID))).split(_ID)
    return [before, after]


def page_data(emap: EvidenceMap, base: str, primary: str | None, urls: Urls = DIRECTORY_URLS) -> dict:
    """What the matrix page's script needs, compactly: value indexes instead of labels, one short row per study.
    `base` is the site root relative to the page (paths.relative(here, HOME_URL)); `primary` the facet shown beside
    each study in lists; `urls` the build's URL style (Build.urls), which the links to pages follow."""
    dims = dimensions(emap)
    order = list(dims)
    index = {d: {v: i for i, (v, _) in enumerate(dims[d].values)} for d in order}
    theme_index = {t.id: i for i, t in enumerate(emap.themes)}
    studies = []
    for s in emap.studies:
        values = [[index[d][v] for v in dims[d].of(s)] for d in order]
        studies.append([s.id, author_year(s), s.title, s.year, [theme_index[t] for t in s.theme_ids], values])
    return {
        "urls": {"study": around_id(base, study_url, urls), "theme": around_id(base, theme_url, urls),
                 "studies_json": base + STUDIES_JSON},
        "themes": [[t.id, t.title] for t in emap.themes],
        "dims": [{"id": d, "label": dims[d].label, "values": [list(v) for v in dims[d].values]} for d in order],
        "columns": [c for c in emap.review.matrix_columns if c in dims],
        "periods": [[first, last] for _, _, first, last in year_groups(s.year for s in emap.studies)],
        "primary": primary,
        "studies": studies,
    }


def script_json(data: object) -> str:
    """JSON safe to place inside <script type="application/json">: no '<', '>' or '&' that could end the element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
