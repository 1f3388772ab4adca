"""Study pages: one page per study, studies/<id>.md."""

from __future__ import annotations

from markupsafe import Markup

from ..citations import author_year
from ..countries import country_name
from ..markup import markdown_html
from ..model import CATEGORY_SEPARATOR, Category, Facet, Study
from . import downloads, search
from .base import Build, front_matter
from .paths import STUDIES_URL, study_page, study_url, theme_url


def pages(build: Build, study: Study, bibtex: str | None = None) -> dict[str, str]:
    return {study_page(study.id): page(build, study, bibtex)}


def page(build: Build, study: Study, bibtex: str | None = None) -> str:
    """The study's page; `bibtex` is its entry as references.bib has it (written here if not given)."""
    # The values are worked out here rather than in the template: with thousands of studies, each call made
    # from a template costs more than the same call made in Python.
    here = study_url(study.id)
    label = author_year(study)
    themes = build.derived.themes_by_id
    findings = [(themes[f.theme_id], build.link(here, theme_url(f.theme_id)), markdown_html(f.markdown))
                for f in study.findings]
    facets = [(facet.label, shown(facet, study.facets.get(facet.id) or ()),
               f"facets.{facet.id}" in study.inferred) for facet in build.map.review.facets]
    related = [(build.link(here, study_url(other.id)), author_year(other), other.title, shared)
               for other, shared in build.derived.related(study)]
    body = build.render("study.html.j2", here, study=study, label=label, findings=findings, related=related,
                        index_href=build.link(here, STUDIES_URL), facets=facets,
                        countries=", ".join(country_name(c) for c in study.countries),
                        summary=markdown_html(study.summary), notes=markdown_html(study.notes),
                        **_appraisal(build, study),
                        search_text=search.study_text(build, study),
                        bibtex=(bibtex or downloads.bibtex([study])).strip(),
                        dates=build.history.studies.get(study.id),
                        history_url=build.links.history(build.history.paths.get(("study", study.id), "")))
    description = f"{label}. {study.title}"
    # Searching an author's surname should put the study itself above pages that merely list it.
    return front_matter(study.title, description, search={"boost": 2}) + body


def shown(facet: Facet, codes: tuple[str, ...]) -> str:
    """A study's codes as its page shows them: each after its category, the codes of one category together
    ("Training and education › Workshops, Apprenticeships; Guidance and counselling › Mentoring"); a flat facet's
    labels joined with commas."""
    if not facet.categories:
        return ", ".join(facet.label_of(c) for c in codes)
    groups: dict[Category | None, list[str]] = {}
    for code in codes:
        groups.setdefault(facet.category_of(code), []).append(facet.label_of(code))
    return "; ".join(f"{category.label}{CATEGORY_SEPARATOR}{', '.join(labels)}" if category else ", ".join(labels)
                     for category, labels in groups.items())


def _appraisal(build: Build, study: Study) -> dict[str, object]:
    """The study's rating (the review's level, or None: not appraised) and its rationale as HTML."""
    appraisal = build.map.review.appraisal
    given = study.appraisal
    if appraisal is None or given is None:
        return {"rating": None, "rationale": ""}
    rationale = markdown_html(given.rationale)
    if rationale.count("<p>") == 1 and rationale.startswith("<p>") and rationale.rstrip().endswith("</p>"):
        # one paragraph in a table cell: without its paragraph margin, it lines up with the cell's heading
        rationale = Markup(rationale.rstrip()[3:-4])
    return {"rating": appraisal.level(given.rating), "rationale": rationale}
