"""What the evidence and gap map's script reads: the dimensions, each study's values compactly, and the names of the
address's query parameters (spelled here only: the script and the links to a view of the matrix take them from here).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from ..citations import author_year
from ..model import EvidenceMap
from .downloads import STUDIES_JSON
from .matrix import NOT_REPORTED, NOT_REPORTED_COLOUR, Dimension, axes, dimensions, segment_colours, year_groups
from .paths import DIRECTORY_URLS, MATRIX_URL, Urls, study_url, theme_url

PARAMS = {"rows": "rows", "columns": "by", "split": "split", "view": "view", "open_rows": "open-rows",
          "open_cols": "open-cols", "filter": "f-", "from": "from", "to": "to", "row": "row", "col": "col",
          "seg": "seg"}
"""The query parameters of the matrix's address: the dimensions in rows, columns and segments, the view (bubble, heat
or table), the open categories, the filters (f-<dimension>), the year range and the selection (row, col, seg)."""
VIEWS = ("bubble", "heat", "table")
NONE = "none"  # split=none: cells not split, though review.yml names a default split


def view_url(filters: Mapping[str, str] | None = None, years: tuple[int, int] | None = None) -> str:
    """The matrix's address (from the site root) with these filters: dimension id -> one value (NOT_REPORTED for
    "not reported"), and a year range."""
    query = [f"{PARAMS['filter']}{dim}={value or NOT_REPORTED}" for dim, value in (filters or {}).items()]
    if years:
        query += [f"{PARAMS['from']}={years[0]}", f"{PARAMS['to']}={years[1]}"]
    return MATRIX_URL + ("?" + "&".join(query) if query else "")


_ID = "\0"  # stands for the id in around_id: no path or id holds it


def around_id(base: str, url_of: Callable[[str], str], urls: Urls = DIRECTORY_URLS) -> list[str]:
    """[before, after]: the link to any page `url_of` spells, from a page whose site root is at `base`, is
    before + id + after, in the URL style `urls`. The script joins the two around a study's or theme's id, so it
    spells no path itself and the page's data holds one pair rather than a URL per study."""
    before, after = (base + urls.url(url_of(_ID))).split(_ID)
    return [before, after]


def _dimension(dim: Dimension, splits: bool) -> dict:
    """A dimension for the script: its codes, its categories as indexes into them, its top-level order (a code's
    index, or -1 - a category's), the colour of each top-level value when it can split a cell, and what the
    dimension and its values mean (review.yml's descriptions: once per value, so the data per study stays small)."""
    index = {v: i for i, (v, _) in enumerate(dim.values)}
    cats = [c.id for c in dim.categories]
    out: dict = {"id": dim.id, "label": dim.label, "nr": dim.unreported, "total": dim.total,
                 "values": [list(v) for v in dim.values]}
    if dim.categories:
        out["cats"] = [[c.id, c.label, [index[code] for code in c.codes]] for c in dim.categories]
        out["order"] = [-1 - cats.index(v) if v in cats else index[v] for v in dim.top()]
    if dim.description:
        out["about"] = dim.description
    if dim.descriptions:
        out["desc"] = dict(dim.descriptions)
    if splits:
        if dim.single:  # the key need not say that a study with two values is in both segments
            out["one"] = 1
        colours = segment_colours(dim)
        out["colours"] = [colours[v] for v in dim.top()] + [NOT_REPORTED_COLOUR]
    return out


def _compact(indexes: list[int]) -> int | list[int]:
    """One value as a number, others as a list: most dimensions have one value a study, so the data stays small."""
    return indexes[0] if len(indexes) == 1 else indexes


def page_data(emap: EvidenceMap, base: str, primary: str | None, urls: Urls = DIRECTORY_URLS) -> dict:
    """What the matrix page's script needs, compactly: value indexes instead of labels, one short row per study.
    `base` is the site root relative to the page (paths.relative(here, HOME_URL)); `primary` the facet shown beside
    each study in lists; `urls` the build's URL style (Build.urls), which the links to pages follow."""
    review = emap.review
    dims = dimensions(emap)
    rows, columns = axes(emap, dims)
    order = list(dims)
    index = {d: {v: i for i, (v, _) in enumerate(dims[d].values)} for d in order}
    studies = [[s.id, author_year(s), s.title, s.year, [_compact([index[d][v] for v in dims[d].of(s)]) for d in order]]
               for s in emap.studies]
    status = review.matrix_status
    return {
        "urls": {"study": around_id(base, study_url, urls), "theme": around_id(base, theme_url, urls),
                 "studies_json": base + STUDIES_JSON},
        "params": PARAMS, "views": list(VIEWS), "none": NONE, "nr": NOT_REPORTED,
        "dims": [_dimension(dims[d], d in review.matrix_segments) for d in order],
        "rows": list(rows),
        "columns": list(columns),
        "segments": [d for d in review.matrix_segments if d in dims],
        "status": status and {"dim": status.facet, "ongoing": [index[status.facet][c] for c in status.ongoing]},
        "periods": [[first, last] for _, _, first, last in year_groups(s.year for s in emap.studies)],
        "primary": primary,
        "studies": studies,
    }
