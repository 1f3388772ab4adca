"""HTML for the placeholders in hand-written docs/ pages (`<!-- evidence-map:home -->`, …), linked relative to
the page they fill, and the map's own citation shown on the home page."""

from __future__ import annotations

from markupsafe import Markup

from ..markup import markdown_html
from . import currency, figures, matrix
from .base import Build
from .paths import PRISMA_CSV, PRISMA_SVG
from .prisma_svg import render_svg
from .prisma_text import home_summary, methods_account
from .worldmap import world_map

NAMES = ("home", "methods")


def fragment(build: Build, name: str, here: str) -> str:
    """HTML for a placeholder (one of NAMES) in the docs/ page at URL `here`."""
    emap, studies, primary = build.map, build.map.studies, build.derived.primary
    prisma = emap.review.prisma
    if name == "home":
        return build.render("home.html.j2", here, studies=studies, themes=emap.themes,
                            members=build.derived.members, span=figures.year_span(studies),
                            worldmap=world_map(build, here, small=True),
                            countries=figures.countries(studies), groups=figures.by_country_group(studies),
                            primary=primary, by_primary=figures.by_facet(studies, primary) if primary else [],
                            prisma=prisma, map_citation=map_citation(build),
                            prisma_summary=home_summary(prisma, emap.review.databases) if prisma else [],
                            last_update=build.derived.last_update(), currency=currency.facts(build),
                            version=currency.map_version(build), matrix_axes=matrix.default_labels(emap))
    svg = Markup(render_svg(prisma, lambda to: build.link(here, to))) if prisma else None
    return build.render("methods.html.j2", here, notes=markdown_html(emap.review.search_notes),
                        n_studies=len(studies), prisma=prisma, svg_file=PRISMA_SVG, csv_file=PRISMA_CSV, svg=svg,
                        prisma_account=methods_account(prisma) if prisma else [], currency=currency.facts(build))


def map_citation(build: Build) -> str:
    """The map as a reference: its authors (or its contributors), the year of this version (else of its last
    update), its title and version, its DOI (else its address). Dates come from git; without history, the year is
    the build's (Build.today)."""
    review = build.map.review
    who = "; ".join(review.authors) if review.authors else "Contributors to this evidence map"
    version = currency.map_version(build)
    last = build.derived.last_update()
    year = (version.date if version and version.date else last[0] if last else build.today).year
    numbered = f" (Version {version.text})" if version else ""
    where = f" https://doi.org/{review.map_doi}" if review.map_doi else (
        f" {build.links.site_url}" if build.links.site_url else "")
    return f"{who} ({year}). {review.title}{numbered} [Living evidence map].{where}"
