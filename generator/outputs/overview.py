"""Pages over the whole map: the evidence matrix (themes × a characteristic) and "At a glance" (charts)."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from ..countries import country_name
from . import figures, matrix, matrix_data, worldmap
from .base import WIDE, Build, front_matter
from .paths import CHARTS_JS, GLANCE_PAGE, HOME_URL, MATRIX_PAGE, MATRIX_SCRIPTS, PLOTLY_JS, page_url


@dataclass(frozen=True)
class Chart:
    """One chart of the "At a glance" page and the table under it."""

    id: str
    title: str
    dimension: str
    horizontal: bool
    rows: tuple[tuple[str, int, str], ...]  # (label, studies, matrix view it links to)
    note: str | None = None
    colours: tuple[str, ...] = ()  # a colour per bar (appraisal levels: the matrix's scale); () = one for all

    @property
    def json(self) -> str:
        return matrix.script_json({"horizontal": self.horizontal, "labels": [r[0] for r in self.rows],
                                   "counts": [r[1] for r in self.rows],
                                   **({"colours": list(self.colours)} if self.colours else {})})


def matrix_pages(build: Build) -> dict[str, str]:
    """The default view: the first of matrix.rows × the first of matrix.columns, every category open. The table drawn
    here (no filters) is what readers without scripts get; the page's script redraws it with the bubbles or heat,
    the pickers, filters and lists."""
    emap, primary = build.map, build.derived.primary
    here = page_url(MATRIX_PAGE)
    dims = matrix.dimensions(emap)
    (rows, *_), (by, *_) = matrix.axes(emap, dims)
    data = matrix_data.page_data(emap, build.link(here, HOME_URL), primary.id if primary else None, build.urls)
    body = build.render("matrix.html.j2", here, counts=matrix.count(emap, by, rows=rows, dims=dims),
                        data_json=Markup(matrix.script_json(data)), scripts=MATRIX_SCRIPTS)
    return {MATRIX_PAGE: front_matter("Evidence matrix", "Where the evidence is and where the gaps are: studies by "
                                      f"{dims[rows].label.lower()} and {dims[by].label.lower()}, with filters.",
                                      **WIDE) + body}


def glance_pages(build: Build) -> dict[str, str]:
    """Studies by year, by country and by each facet: a chart with its table for each."""
    here = page_url(GLANCE_PAGE)
    studies = build.map.studies
    charts = [Chart("by-year", "Studies by year", "Year", False,
                    tuple((str(y), n, matrix_data.view_url(years=(y, y))) for y, n in figures.by_year(studies))),
              Chart("by-country", "Studies by country", "Country", True,
                    tuple((country_name(code), n, matrix_data.view_url({"country": code}))
                          for code, n in figures.by_country_code(studies)),
                    "A study carried out in several countries counts once for each.")]
    for facet in build.map.review.facets:
        rows = tuple((label, n, matrix_data.view_url({facet.id: value}))
                     for value, label, n in figures.facet_counts(studies, facet))
        charts.append(Chart(f"by-{facet.id}", f"Studies by {facet.label.lower()}", facet.label, True, rows,
                            "A study can have several values; it counts once for each."
                            if facet.multiple else None))
    if build.map.review.appraisal:
        charts.append(appraisal_chart(build))
    body = build.render("glance.html.j2", here, charts=charts, n_studies=len(studies), plotly=PLOTLY_JS,
                        script=CHARTS_JS, worldmap=worldmap.world_map(build, here))
    return {GLANCE_PAGE: front_matter("At a glance", f"The {len(studies)} studies of this evidence map by year, "
                                      "country and study characteristics.", **WIDE) + body}


def appraisal_chart(build: Build) -> Chart:
    """Studies by rating, in the tool's order, then those not appraised; each bar in its level's colour, as the
    matrix's key and segments have it."""
    dim = matrix.dimensions(build.map)["appraisal"]
    colours = matrix.segment_colours(dim)
    counts = {level: 0 for level in (*dim.top(), matrix.NOT_REPORTED)}
    for s in build.map.studies:
        counts[s.appraisal.rating if s.appraisal else matrix.NOT_REPORTED] += 1
    shown = [v for v in counts if v != matrix.NOT_REPORTED or counts[v]]
    rows = tuple((dim.label_of(v), counts[v], matrix_data.view_url({"appraisal": v})) for v in shown)
    return Chart("by-appraisal", "Studies by appraisal", "Rating", True, rows,
                 f"Rated with {build.map.review.appraisal.tool}; the methods page says what each rating means.",
                 tuple(colours[v] for v in shown))
