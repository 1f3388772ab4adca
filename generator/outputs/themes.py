"""Theme pages (synthesis, contributing studies' findings, counts), the pages continuing a long list of findings,
and the themes index."""

from __future__ import annotations

import datetime as _dt

from markupsafe import Markup, escape

from ..citations import author_year, replace_citations
from ..markup import markdown_html, markdown_html_then
from ..model import Study, Theme
from . import changes, figures, matrix
from .base import Build, front_matter, pager_link, paging
from .paths import THEMES_PAGE, THEMES_URL, page_url, study_url, theme_feed_path, theme_page

FINDINGS_PER_PAGE = 50
"""Contributing studies' findings on a theme's page; more continue on themes/<id>/page/2/, … (so no page grows
with the map)."""
ADDED_SHOWN = 20
"""Studies added since the synthesis was last revised, listed on its page (the most recent; the rest are counted)."""


def index(build: Build) -> dict[str, str]:
    """The themes index: a card per theme. A map without themes (an EPPI-Reviewer gap map, say) keeps the page, out
    of the navigation, saying so and where to go instead (the matrix's default rows and columns)."""
    themes = build.map.themes
    if not themes:
        body = build.render("themes_index.html.j2", THEMES_URL, themes=themes,
                            matrix_axes=matrix.default_labels(build.map))
        return {THEMES_PAGE: front_matter("Themes", "This evidence map has no themes.") + body}
    body = build.render("themes_index.html.j2", THEMES_URL, themes=themes, members=build.derived.members)
    n = len(themes)
    return {THEMES_PAGE: front_matter("Themes", f"The {n} theme{'s' if n != 1 else ''} of this evidence map.") + body}


def pages(build: Build, theme: Theme) -> dict[str, str]:
    """The theme's page, its feed and, in a big map, the pages that continue its list of findings, FINDINGS_PER_PAGE
    each."""
    members = build.derived.members[theme.id]
    findings = [(s, author_year(s), markdown_html(next(f.markdown for f in s.findings if f.theme_id == theme.id)))
                for s in members]
    sources = [theme_page(theme.id, k) for k in range(1, max(1, -(-len(findings) // FINDINGS_PER_PAGE)) + 1)]
    primary = build.derived.primary
    out = {theme_feed_path(theme.id): changes.theme_feed(build, theme)}
    for k, src in enumerate(sources, start=1):
        here = page_url(src)
        first = (k - 1) * FINDINGS_PER_PAGE
        common = dict(theme=theme, findings=findings[first:first + FINDINGS_PER_PAGE], total=len(findings),
                      first=first + 1, study_link=build.urls.around(here, study_url),
                      **paging(sources, k, here, build.urls))
        if k == 1:
            added = added_since(build, theme, members)
            body = build.render("theme.html.j2", here, synthesis=synthesis_html(build, theme, here),
                                dates=build.history.themes.get(theme.id), added=added[:ADDED_SHOWN],
                                added_total=len(added),
                                history_url=build.links.history(build.history.paths.get(("theme", theme.id), "")),
                                by_country=figures.by_country(members), primary=primary,
                                by_primary=figures.by_facet(members, primary) if primary else [],
                                feed=theme_feed_path(theme.id), **common)
            # em_feed: the theme's feed, which the theme's <head> names (publish/theme/main.html)
            out[src] = front_matter(theme.title, theme.summary, em_feed=theme_feed_path(theme.id)) + body
        else:
            body = build.render("theme_findings.html.j2", here, theme_href=pager_link(sources, 1, here, build.urls),
                                **common)
            out[src] = front_matter(f"{theme.title}: contributing studies, page {k} of {len(sources)}",
                                    theme.summary, search={"exclude": True}) + body
    return out


def added_since(build: Build, theme: Theme, members: tuple[Study, ...]) -> list[tuple[Study, str, _dt.datetime]]:
    """The theme's studies added to the map after its synthesis last changed (so the narrative cannot cover them
    yet), most recent first: (study, author-year label, when added). Empty without git dates."""
    revised = build.history.themes.get(theme.id)
    if revised is None:
        return []
    found = [(s, author_year(s), dates.added) for s in members
             if (dates := build.history.studies.get(s.id)) is not None and dates.added > revised.changed]
    return sorted(found, key=lambda item: item[2], reverse=True)  # stable: a day's studies stay by first author


def synthesis_html(build: Build, theme: Theme, here: str) -> Markup:
    """The theme's synthesis, its citations linked to the studies' pages."""
    def cite(key: str) -> str:
        study = build.map.study(key)
        href = build.link(here, study_url(key))
        return f'<a href="{escape(href)}">{escape(author_year(study))}</a>'

    return markdown_html_then(theme.body, lambda html: replace_citations(html, cite))
