"""The studies index, STUDIES_PER_PAGE rows a page, and (over several pages) every row as JSON for its filter."""

from __future__ import annotations

import json
from typing import Any

from ..citations import author_label, author_year
from ..countries import country_name
from ..model import Study
from .base import WIDE, Build, front_matter, paging
from .paths import STUDIES_ROWS, page_url, studies_page, study_url

APPRAISAL = "_appraisal"
"""The appraisal's key among the index's filters and the rows' data: not a slug, so no facet id can take it."""

STUDIES_PER_PAGE = 100
"""Rows on each page of the studies index: a map of thousands of studies is listed over several pages (the first
at studies/, then studies/page/2/, …), so no page grows with the map; the index's filter and sort then work over
every study from STUDIES_ROWS, fetched when a reader first uses them."""


def sources(n_studies: int) -> list[str]:
    """The studies index's pages, in order: studies/index.md, then studies/page/2.md, …"""
    count = max(1, -(-n_studies // STUDIES_PER_PAGE))
    return [studies_page(k) for k in range(1, count + 1)]


def pages(build: Build) -> dict[str, str]:
    """The index's pages, and the rows JSON when there are several. Rows hold display text worked out here, so
    the script shows them exactly as the pages do."""
    facets, studies = build.map.review.facets, build.map.studies
    themes = build.derived.themes_by_id
    inferred = any(s.inferred for s in studies)
    countries = sorted({(c, country_name(c)) for s in studies for c in s.countries}, key=lambda cn: cn[1])
    rows = [_row(build, s, themes) for s in studies]
    srcs = sources(len(studies))
    out = {}
    for k, src in enumerate(srcs, start=1):
        here = page_url(src)
        first = (k - 1) * STUDIES_PER_PAGE
        chunk = rows[first:first + STUDIES_PER_PAGE]
        body = build.render("studies_index.html.j2", here, rows=chunk, facets=facets, total=len(studies),
                            first=first + 1, last=first + len(chunk), countries=countries,
                            rows_url=build.link(here, STUDIES_ROWS) if len(srcs) > 1 else None,
                            study_link=build.urls.around(here, study_url), per_page=STUDIES_PER_PAGE,
                            **paging(srcs, k, here, build.urls), first_label=chunk[0]["label"] if chunk else "",
                            last_label=chunk[-1]["label"] if chunk else "", inferred=inferred,
                            appraisal=build.map.review.appraisal, APPRAISAL=APPRAISAL)
        title = "Studies" if k == 1 else f"Studies, page {k} of {len(srcs)}"
        # Later pages are left out of search: their rows are excluded anyway, and "Studies, page 7" would
        # only crowd the results.
        out[src] = front_matter(title, f"All {len(studies)} studies in this evidence map" +
                                (f", page {k} of {len(srcs)}." if len(srcs) > 1 else "."),
                                **WIDE, **({"search": {"exclude": True}} if k > 1 else {})) + body
    if len(srcs) > 1:
        out[STUDIES_ROWS] = rows_json(build)
    return out


def rows_json(build: Build) -> str:
    """Every row of the studies index, compactly: names of themes and countries once, facet values as ids
    (the page's filter menus hold their labels), then a study's inferred fields if it has any. The script builds
    each row from these as the pages show it."""
    emap = build.map
    themes = {t.id: i for i, t in enumerate(emap.themes)}
    codes = sorted({c for s in emap.studies for c in s.countries})
    appraisal = emap.review.appraisal
    # The appraisal is written as one more facet (its rating, '-' for none) under APPRAISAL, which no facet id can be
    # (a slug has no '_'); the script shows it as the page does.
    data = {"facets": [f.id for f in emap.review.facets] + ([APPRAISAL] if appraisal else []),
            "themes": [t.title for t in emap.themes],
            "countries": {c: country_name(c) for c in codes},
            "rows": [[s.id, author_label(s.authors), s.title, s.year, list(s.countries),
                      [themes[t] for t in s.theme_ids],
                      *(" ".join(s.facets.get(f.id) or ["-"]) for f in emap.review.facets),
                      *([s.appraisal.rating if s.appraisal else "-"] if appraisal else []),
                      # the inferred fields, after the facets, only when there are some
                      *([list(s.inferred)] if s.inferred else [])]
                     for s in emap.studies]}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


def _row(build: Build, study: Study, themes: dict) -> dict[str, Any]:
    return {"id": study.id, "label": author_label(study.authors), "sort": author_year(study),
            "title": study.title, "year": study.year,
            "countries": ", ".join(country_name(c) for c in study.countries),
            "countries_inferred": "countries" in study.inferred,
            "codes": " ".join(study.countries),  # what the Country menu matches (?f-country=FR: the world map's links)
            "themes": "; ".join(themes[t].title for t in study.theme_ids),
            # per facet: the value ids the filter matches ('-': not reported), the text shown, and whether the
            # map's authors inferred it (the study's `inferred:`)
            "facets": [(" ".join(study.facets.get(f.id) or ["-"]),
                        ", ".join(f.label_of(v) for v in study.facets.get(f.id) or ()),
                        f"facets.{f.id}" in study.inferred)
                       for f in build.map.review.facets],
            "appraisal": _appraisal(build, study)}


def _appraisal(build: Build, study: Study) -> tuple[str, str, str]:
    """The rating's id ('-': not appraised), its label ('' for none), and a key that sorts the levels in the review's
    order with the studies not appraised last."""
    appraisal = build.map.review.appraisal
    if appraisal is None or study.appraisal is None:
        return "-", "", f"{len(appraisal.levels) if appraisal else 0:02d}"
    ids = [level.id for level in appraisal.levels]
    rating = study.appraisal.rating
    return rating, appraisal.level(rating).label, f"{ids.index(rating):02d}"
