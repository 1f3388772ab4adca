"""Render the model into Markdown pages (with HTML blocks) for the publisher.

Pure functions: records in, {page path: text} out. Every string from content reaches the page through
Jinja2's autoescape or the Markdown sanitiser; inputs are already sorted, so output is deterministic.
Generated pages are built from HTML blocks, which Markdown leaves alone, so a '*' in a title stays a '*'.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from . import downloads, figures, matrix
from .citations import author_label, author_year, reference, replace_citations, sort_key
from .countries import country_name
from .markup import markdown_html, markdown_html_then, xml_text
from .model import EvidenceMap, Facet, Study, Theme
from .prisma_csv import export_csv
from .prisma_svg import n as count_text
from .prisma_svg import render_svg

ASSET_PREFIX = "assets/evidence-map/"
PLOTLY_JS = ASSET_PREFIX + "vendor/plotly-cartesian.min.js"
MATRIX_PAGE = "matrix/index.md"
GLANCE_PAGE = "glance/index.md"
DOWNLOADS_PAGE = "downloads/index.md"
WHATS_NEW_PAGE = "whats-new/index.md"
FEED = "feed.xml"
WHATS_NEW_LIMIT = 100
"""Changes listed on What's new, newest first (a first import alone can add thousands of studies on one day)."""
FEED_LIMIT = 50
"""Entries in the feed: the latest additions (feed readers keep what they have already seen)."""
PRISMA_SVG = "prisma-flow-diagram.svg"
PRISMA_CSV = "prisma.csv"
SEARCH_END = "<!-- em-search-end -->"
"""Marks where the part of a generated page that search indexes ends: everything after it is left out of search
(data-search-exclude), so the publisher need not parse it for the index (see mkdocs_hook.on_page_content)."""
STUDIES_PAGE = "studies/index.md"
STUDIES_ROWS = "studies/index.json"
STUDIES_PER_PAGE = 100
"""Rows on each page of the studies index: a map of thousands of studies is listed over several pages (the first
at studies/, then studies/page/2/, …), so no page grows with the map; the index's filter and sort then work over
every study from STUDIES_ROWS, fetched when a reader first uses them."""
FINDINGS_PER_PAGE = 50
"""Contributing studies' findings on a theme's page; more continue on themes/<id>/page/2/, … (same reason)."""
RELATED_LIMIT = 8
"""Related studies listed on a study page: a fixed number, so pages do not grow with the map."""
RELATED_WINDOW = 16
"""How many studies on each side, in time, are considered for "related" within each theme."""


def page_url(src_uri: str) -> str:
    """'studies/x.md' -> 'studies/x/'; 'studies/index.md' -> 'studies/' (MkDocs directory URLs)."""
    path = src_uri.removesuffix(".md")
    if path == "index" or path.endswith("/index"):
        return path.removesuffix("index")
    return path + "/"


def relative(from_url: str, to_url: str) -> str:
    """A link from the page at `from_url` to `to_url`, both site-relative directory URLs. (String work, not
    posixpath.relpath, which consults the working folder: this runs tens of thousands of times in a big map.)"""
    src = [p for p in from_url.split("/") if p]
    dst = [p for p in to_url.split("/") if p]
    common = 0
    while common < len(src) and common < len(dst) and src[common] == dst[common]:
        common += 1
    rel = "/".join([".."] * (len(src) - common) + dst[common:])
    return "./" if not rel else rel + ("/" if to_url.endswith("/") or not to_url else "")


def _front_matter(title: str, description: str | None = None, **extra: object) -> str:
    # MkDocs' theme templates print meta values without escaping: escape them here.
    # A character YAML refuses would make the whole front matter unreadable, and the page lose its title.
    meta: dict[str, object] = {"title": str(escape(xml_text(title)))}
    if description:
        meta["description"] = str(escape(" ".join(xml_text(description).split())[:300]))
    meta.update(extra)
    # One `key: JSON` line each: JSON is YAML, and JSON is written many times faster than YAML.
    return "---\n" + "".join(f"{key}: {_json(meta[key])}\n" for key in sorted(meta)) + "---\n"


_json = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode  # made once: json.dumps makes one per call


@dataclass(frozen=True)
class Chart:
    """One chart of the "At a glance" page and the table under it."""

    id: str
    title: str
    dimension: str
    horizontal: bool
    rows: tuple[tuple[str, int, str], ...]  # (label, studies, matrix view it links to)
    note: str | None = None

    @property
    def json(self) -> str:
        return matrix.script_json({"horizontal": self.horizontal, "labels": [r[0] for r in self.rows],
                                   "counts": [r[1] for r in self.rows]})


@dataclass(frozen=True)
class Links:
    """Where the site is published and where its source lives (from mkdocs.yml)."""

    site_url: str | None = None
    repo_url: str | None = None
    branch: str = "main"

    def history(self, path: str) -> str | None:
        """The repository's page listing the commits that changed `path`."""
        return f"{self.repo_url.rstrip('/')}/commits/{self.branch}/{path}" if self.repo_url and path else None


@dataclass(frozen=True)
class History:
    """When each study and theme entered the map and last changed (None: unknown), and their source paths."""

    studies: dict[str, Any]  # study id -> history.Dates | None
    themes: dict[str, Any]
    paths: dict[tuple[str, str], str]
    folder: str = ""  # the content folder, relative to the repository

    @property
    def known(self) -> bool:
        return any(self.studies.values()) or any(self.themes.values())


@cache
def templates() -> Environment:
    """The page templates, compiled once per process (each build under `mkdocs serve` used to compile them again).
    Nothing in it depends on the map: that comes with each render."""
    env = Environment(loader=PackageLoader("generator", "templates"), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, auto_reload=False)
    env.globals.update(country_name=country_name, author_year=author_year, reference=reference,
                       author_label=author_label, markdown_html=markdown_html, count=count_text, day=_day, h2=_h2,
                       search_end=Markup(SEARCH_END))
    return env


class SiteRenderer:
    """Holds the map and the template environment; each method renders one kind of page."""

    def __init__(self, emap: EvidenceMap, history: History | None = None, links: Links | None = None) -> None:
        self.map = emap
        self.history = history or History({}, {}, {})
        self.links = links or Links()
        self.env = templates()

    @cached_property
    def themes_by_id(self) -> dict[str, Theme]:
        return {t.id: t for t in self.map.themes}

    @property
    def primary(self) -> Facet | None:
        """The review's main facet (its first): home and theme pages count studies by it."""
        return self.map.review.facets[0] if self.map.review.facets else None

    @cached_property
    def members(self) -> dict[str, tuple[Study, ...]]:
        found: dict[str, list[Study]] = {t.id: [] for t in self.map.themes}
        for study in self.map.studies:
            for theme_id in study.theme_ids:
                found[theme_id].append(study)
        return {k: tuple(v) for k, v in found.items()}

    def pages(self) -> dict[str, str]:
        """Every generated page, keyed by its path in the site's docs tree."""
        out = _Outputs()
        out.add(self.studies_index(), "the studies index")
        out.add({"themes/index.md": self.themes_index(), MATRIX_PAGE: self.matrix_page(),
                 GLANCE_PAGE: self.glance_page()}, "the site's own pages")
        entries = []
        for study in self.map.studies:
            entry = downloads.bibtex([study])  # written once: on the study's page and in references.bib
            out.add({f"studies/{study.id}.md": self.study_page(study, entry)}, f"study '{study.id}' ({study.source})")
            entries.append(entry)
        for theme in self.map.themes:
            out.add(self.theme_pages(theme), f"theme '{theme.id}' ({theme.source})")
        prisma = self._prisma_files()
        out.add({**prisma, WHATS_NEW_PAGE: self.whats_new_page(), FEED: self.feed()}, "the site's own pages")
        data = downloads.files(self.map, bibtex_text=downloads.join_bibtex(entries))
        out.add(data, "the downloads")
        out.add({DOWNLOADS_PAGE: self.downloads_page({**data, **prisma})}, "the downloads page")
        return dict(out)

    def _prisma_files(self) -> dict[str, str]:
        if self.map.review.prisma is None:
            return {}
        return {PRISMA_SVG: render_svg(self.map.review.prisma, lambda to: relative("", to), standalone=True),
                PRISMA_CSV: export_csv(self.map.review.prisma)}

    @cached_property
    def changes(self) -> list[tuple[_dt.date, list[tuple[str, str, str, str]]]]:
        """What changed, newest day first: (day, [(kind, label, title, page), ...]); kind is 'added' or 'changed'
        for studies, 'synthesis' for themes."""
        events: dict[_dt.date, list[tuple[_dt.datetime, str, str, str, str]]] = {}
        for study in self.map.studies:
            dates = self.history.studies.get(study.id)
            if not dates:
                continue
            page = f"studies/{study.id}/"
            events.setdefault(dates.added.date(), []).append(
                (dates.added, "added", author_year(study), study.title, page))
            if dates.changed.date() != dates.added.date():
                events.setdefault(dates.changed.date(), []).append(
                    (dates.changed, "changed", author_year(study), study.title, page))
        for theme in self.map.themes:
            dates = self.history.themes.get(theme.id)
            if dates:
                events.setdefault(dates.changed.date(), []).append(
                    (dates.changed, "synthesis", theme.title, theme.title, f"themes/{theme.id}/"))
        rank = {"added": 0, "changed": 1, "synthesis": 2}
        return [(day, [e[1:] for e in sorted(items, key=lambda e: (-e[0].timestamp(), rank[e[1]], sort_key(e[2])))])
                for day, items in sorted(events.items(), reverse=True)]

    def last_update(self) -> tuple[_dt.date, int] | None:
        """The day of the map's latest change, and how many studies were added that day."""
        changes = self.changes
        if not changes:
            return None
        day, items = changes[0]
        return day, sum(1 for kind, *_ in items if kind == "added")

    def whats_new_page(self) -> str:
        here = page_url(WHATS_NEW_PAGE)
        shown, left = [], WHATS_NEW_LIMIT
        for day, items in self.changes:
            if left <= 0:
                break
            shown.append((day, items[:left], len(items[left:])))
            left -= len(items)
        older = left < 0 or len(shown) < len(self.changes)
        body = self._render("whats_new.html.j2", here, changes=shown, known=self.history.known, feed=FEED,
                            older=older, limit=WHATS_NEW_LIMIT,
                            history_url=self.links.history(self.history.folder) if older else None)
        return _front_matter("What's new", "Studies added to this evidence map and entries changed, newest "
                             "first.") + body

    def feed(self) -> str:
        """An Atom feed with an entry per study added, newest first (written with ElementTree: escaped)."""
        ns = "http://www.w3.org/2005/Atom"
        base = (self.links.site_url or "").rstrip("/") + "/"
        added = sorted(((d.added, s) for s in self.map.studies if (d := self.history.studies.get(s.id))),
                       key=lambda item: (item[0], item[1].id), reverse=True)
        ET.register_namespace("", ns)
        root = ET.Element(f"{{{ns}}}feed")
        ET.SubElement(root, f"{{{ns}}}title").text = f"{self.map.review.title}: new studies"
        ET.SubElement(root, f"{{{ns}}}subtitle").text = " ".join(xml_text(self.map.review.question).split())
        ET.SubElement(root, f"{{{ns}}}id").text = base
        ET.SubElement(root, f"{{{ns}}}link", rel="self", href=base + FEED)
        ET.SubElement(root, f"{{{ns}}}link", rel="alternate", href=base + page_url(WHATS_NEW_PAGE))
        newest = added[0][0] if added else _dt.datetime(1970, 1, 1, tzinfo=_dt.UTC)
        ET.SubElement(root, f"{{{ns}}}updated").text = newest.strftime("%Y-%m-%dT%H:%M:%SZ")
        author = ET.SubElement(root, f"{{{ns}}}author")
        ET.SubElement(author, f"{{{ns}}}name").text = "; ".join(self.map.review.authors) or "Evidence map contributors"
        for when, study in added[:FEED_LIMIT]:
            entry = ET.SubElement(root, f"{{{ns}}}entry")
            ET.SubElement(entry, f"{{{ns}}}title").text = f"{author_year(study)}: {study.title}"
            ET.SubElement(entry, f"{{{ns}}}id").text = base + f"studies/{study.id}/"
            ET.SubElement(entry, f"{{{ns}}}link", rel="alternate", href=base + f"studies/{study.id}/")
            ET.SubElement(entry, f"{{{ns}}}updated").text = when.strftime("%Y-%m-%dT%H:%M:%SZ")
            ET.SubElement(entry, f"{{{ns}}}published").text = when.strftime("%Y-%m-%dT%H:%M:%SZ")
            for name in study.authors:
                ET.SubElement(ET.SubElement(entry, f"{{{ns}}}author"), f"{{{ns}}}name").text = name
            summary = study.summary or reference(study)
            ET.SubElement(entry, f"{{{ns}}}summary").text = " ".join(xml_text(summary).split())
        for element in root.iter():  # ElementTree escapes markup but writes any character it is given
            element.text = element.text and xml_text(element.text)
            element.attrib.update((k, xml_text(v)) for k, v in element.attrib.items())
        ET.indent(root)
        return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"

    def downloads_page(self, files: dict[str, str]) -> str:
        here = page_url(DOWNLOADS_PAGE)
        sizes = {name: len(text.encode("utf-8")) for name, text in files.items()}
        body = self._render("downloads.html.j2", here, sizes=sizes, n_studies=len(self.map.studies),
                            prisma=self.map.review.prisma is not None)
        return _front_matter("Downloads", "The studies of this evidence map as CSV, JSON, BibTeX and RIS, with "
                             "the PRISMA counts and a Frictionless data package.") + body

    def _render(self, template: str, here: str, **context: object) -> str:
        def link(to: str) -> str:
            return relative(here, to)

        return self.env.get_template(template).render(link=link, review=self.map.review, **context)

    # ------------------------------------------------------------------ pages

    def study_page(self, study: Study, bibtex: str | None = None) -> str:
        """The study's page; `bibtex` is its entry as references.bib has it (written here if not given)."""
        # The values are worked out here rather than in the template: with thousands of studies, each call made
        # from a template costs more than the same call made in Python.
        here = f"studies/{study.id}/"
        label = author_year(study)
        findings = [(self.themes_by_id[f.theme_id], markdown_html(f.markdown)) for f in study.findings]
        facets = [(facet.label, ", ".join(facet.label_of(v) for v in study.facets.get(facet.id) or ()))
                  for facet in self.map.review.facets]
        related = [(other.id, author_year(other), other.title, shared) for other, shared in self.related(study)]
        body = self._render("study.html.j2", here, study=study, label=label, findings=findings, related=related,
                            index_href=relative(here, "studies/"), up=relative(here, ""), facets=facets,
                            countries=", ".join(country_name(c) for c in study.countries),
                            summary=markdown_html(study.summary), notes=markdown_html(study.notes),
                            bibtex=(bibtex or downloads.bibtex([study])).strip(),
                            dates=self.history.studies.get(study.id),
                            history_url=self.links.history(self.history.paths.get(("study", study.id), "")))
        description = f"{label}. {study.title}"
        # Searching an author's surname should put the study itself above pages that merely list it.
        return _front_matter(study.title, description, search={"boost": 2}) + body

    def theme_pages(self, theme: Theme) -> dict[str, str]:
        """The theme's page (synthesis, contributing studies' findings, counts) and, in a big map, the pages that
        continue its list of findings, FINDINGS_PER_PAGE each."""
        members = self.members[theme.id]
        findings = [(s, author_year(s), markdown_html(next(f.markdown for f in s.findings if f.theme_id == theme.id)))
                    for s in members]
        sources = [f"themes/{theme.id}.md"] + [f"themes/{theme.id}/page/{k}.md"
                                                for k in range(2, -(-len(findings) // FINDINGS_PER_PAGE) + 1)]
        primary = self.primary
        out = {}
        for k, src in enumerate(sources, start=1):
            here = page_url(src)
            first = (k - 1) * FINDINGS_PER_PAGE
            common = dict(theme=theme, findings=findings[first:first + FINDINGS_PER_PAGE], total=len(findings),
                          first=first + 1, study_prefix=relative(here, "studies/"), **_paging(sources, k, here))
            if k == 1:
                body = self._render("theme.html.j2", here, synthesis=self.synthesis_html(theme, here),
                                    dates=self.history.themes.get(theme.id),
                                    history_url=self.links.history(self.history.paths.get(("theme", theme.id), "")),
                                    by_country=figures.by_country(members), primary=primary,
                                    by_primary=figures.by_facet(members, primary) if primary else [], **common)
                out[src] = _front_matter(theme.title, theme.summary) + body
            else:
                body = self._render("theme_findings.html.j2", here, theme_href=pager_link(sources, 1, here), **common)
                out[src] = _front_matter(f"{theme.title}: contributing studies, page {k} of {len(sources)}",
                                         theme.summary, search={"exclude": True}) + body
        return out

    def studies_index_pages(self) -> list[str]:
        """The studies index's pages, in order: studies/index.md, then studies/page/2.md, …"""
        count = max(1, -(-len(self.map.studies) // STUDIES_PER_PAGE))
        return [STUDIES_PAGE] + [f"studies/page/{k}.md" for k in range(2, count + 1)]

    def studies_index(self) -> dict[str, str]:
        """The studies index, STUDIES_PER_PAGE rows a page, and (over several pages) every row as JSON for its
        filter. Rows hold display text worked out here, so the script shows them exactly as the pages do."""
        facets, studies = self.map.review.facets, self.map.studies
        rows = [self._index_row(s) for s in studies]
        sources = self.studies_index_pages()
        out = {}
        for k, src in enumerate(sources, start=1):
            here = page_url(src)
            first = (k - 1) * STUDIES_PER_PAGE
            chunk = rows[first:first + STUDIES_PER_PAGE]
            body = self._render("studies_index.html.j2", here, rows=chunk, facets=facets, total=len(studies),
                                first=first + 1, last=first + len(chunk),
                                rows_url=relative(here, STUDIES_ROWS) if len(sources) > 1 else None,
                                study_prefix=relative(here, "studies/").removeprefix("./"), per_page=STUDIES_PER_PAGE,
                                **_paging(sources, k, here), first_label=chunk[0]["label"] if chunk else "",
                                last_label=chunk[-1]["label"] if chunk else "")
            title = "Studies" if k == 1 else f"Studies, page {k} of {len(sources)}"
            # Later pages are left out of search: their rows are excluded anyway, and "Studies, page 7" would
            # only crowd the results.
            out[src] = _front_matter(title, f"All {len(studies)} studies in this evidence map" +
                                     (f", page {k} of {len(sources)}." if len(sources) > 1 else "."),
                                     **({"search": {"exclude": True}} if k > 1 else {})) + body
        if len(sources) > 1:
            out[STUDIES_ROWS] = self._index_rows_json()
        return out

    def _index_rows_json(self) -> str:
        """Every row of the studies index, compactly: names of themes and countries once, facet values as ids
        (the page's filter menus hold their labels). The script builds each row from these as the pages show it."""
        themes = {t.id: i for i, t in enumerate(self.map.themes)}
        codes = sorted({c for s in self.map.studies for c in s.countries})
        data = {"facets": [f.id for f in self.map.review.facets], "themes": [t.title for t in self.map.themes],
                "countries": {c: country_name(c) for c in codes},
                "rows": [[s.id, author_label(s.authors), s.title, s.year, list(s.countries),
                          [themes[t] for t in s.theme_ids],
                          *(" ".join(s.facets.get(f.id) or ["-"]) for f in self.map.review.facets)]
                         for s in self.map.studies]}
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"

    def _index_row(self, study: Study) -> dict[str, Any]:
        themes = self.themes_by_id
        return {"id": study.id, "label": author_label(study.authors), "sort": author_year(study),
                "title": study.title, "year": study.year,
                "countries": ", ".join(country_name(c) for c in study.countries),
                "themes": "; ".join(themes[t].title for t in study.theme_ids),
                # per facet: the value ids the filter matches ('-': not reported) and the text shown
                "facets": [(" ".join(study.facets.get(f.id) or ["-"]),
                            ", ".join(f.label_of(v) for v in study.facets.get(f.id) or ()))
                           for f in self.map.review.facets]}

    def themes_index(self) -> str:
        body = self._render("themes_index.html.j2", "themes/", themes=self.map.themes, members=self.members)
        return _front_matter("Themes", f"The {len(self.map.themes)} themes of this evidence map.") + body

    def matrix_page(self) -> str:
        """Themes × one characteristic. The table drawn here (first dimension, no filters) is what readers without
        scripts get; the page's script redraws it with the chart, filters and lists."""
        here = page_url(MATRIX_PAGE)
        by = self.map.review.matrix_columns[0]
        data = matrix.page_data(self.map, relative(here, ""), self.primary.id if self.primary else None)
        body = self._render("matrix.html.j2", here, counts=matrix.count(self.map, by), themes=self.map.themes,
                            data_json=Markup(matrix.script_json(data)), plotly=PLOTLY_JS,
                            script=ASSET_PREFIX + "pages/matrix.js")
        return _front_matter("Evidence matrix", "Where the evidence is and where the gaps are: studies by theme "
                             f"and {matrix.dimensions(self.map)[by].label.lower()}, with filters.") + body

    def glance_page(self) -> str:
        """Studies by year, by country and by each facet: a chart with its table for each."""
        here = page_url(GLANCE_PAGE)
        studies = self.map.studies
        charts = [Chart("by-year", "Studies by year", "Year", False,
                        tuple((str(y), n, f"matrix/?from={y}&to={y}") for y, n in figures.by_year(studies))),
                  Chart("by-country", "Studies by country", "Country", True,
                        tuple((country_name(code), n, f"matrix/?f-country={code}")
                              for code, n in figures.by_country_code(studies)),
                        "A study carried out in several countries counts once for each.")]
        for facet in self.map.review.facets:
            rows = tuple((label, n, f"matrix/?f-{facet.id}={value or matrix.NOT_REPORTED}")
                         for value, label, n in figures.facet_counts(studies, facet))
            charts.append(Chart(f"by-{facet.id}", f"Studies by {facet.label.lower()}", facet.label, True, rows,
                                "A study can have several values; it counts once for each."
                                if facet.multiple else None))
        body = self._render("glance.html.j2", here, charts=charts, n_studies=len(studies), plotly=PLOTLY_JS,
                            script=ASSET_PREFIX + "pages/charts.js")
        return _front_matter("At a glance", f"The {len(studies)} studies of this evidence map by year, country "
                             "and study characteristics.") + body

    # ------------------------------------------------------------------ fragments for hand-written pages

    FRAGMENTS = ("home", "methods")

    def fragment(self, name: str, here: str) -> str:
        """HTML for a placeholder in a docs/ page (one of FRAGMENTS), linked relative to that page's URL."""
        studies, primary = self.map.studies, self.primary
        if name == "home":
            return self._render("home.html.j2", here, studies=studies, themes=self.map.themes,
                                 members=self.members, span=figures.year_span(studies),
                                 countries=figures.countries(studies), groups=figures.by_country_group(studies),
                                 primary=primary, by_primary=figures.by_facet(studies, primary) if primary else [],
                                 prisma=self.map.review.prisma, map_citation=self.map_citation(),
                                 last_update=self.last_update())
        prisma = self.map.review.prisma
        svg = Markup(render_svg(prisma, lambda to: relative(here, to))) if prisma else None
        return self._render("methods.html.j2", here, notes=markdown_html(self.map.review.search_notes),
                            n_studies=len(studies), prisma=prisma, svg_file=PRISMA_SVG, csv_file=PRISMA_CSV,
                            svg=svg)

    # ------------------------------------------------------------------ helpers

    def map_citation(self) -> str:
        """The map as a reference: its authors (or its contributors), the year of its last update, its title, its
        address. The year comes from git; without history, from SOURCE_DATE_EPOCH, else the build date."""
        review = self.map.review
        who = "; ".join(review.authors) if review.authors else "Contributors to this evidence map"
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        last = self.last_update()
        year = (last[0].year if last else _dt.datetime.fromtimestamp(int(epoch), _dt.UTC).year if epoch
                else _dt.date.today().year)
        where = f" {self.links.site_url}" if self.links.site_url else ""
        return f"{who} ({year}). {review.title} [Living evidence map].{where}"

    def synthesis_html(self, theme: Theme, here: str) -> Markup:
        def cite(key: str) -> str:
            study = self.map.study(key)
            href = relative(here, f"studies/{key}/")
            return f'<a href="{escape(href)}">{escape(author_year(study))}</a>'

        return markdown_html_then(theme.body, lambda html: replace_citations(html, cite))

    def related(self, study: Study) -> list[tuple[Study, int]]:
        """Other studies sharing its themes: most shared themes first, then nearest in time, then by id.
        Candidates are the RELATED_WINDOW studies nearest in time in each of its themes (all of them in a small
        map), so the cost per study does not grow with the map."""
        candidates: set[str] = set()
        for theme_id in study.theme_ids:
            ordered, position = self._by_time[theme_id]
            i = position[study.id]
            candidates.update(ordered[max(0, i - RELATED_WINDOW): i + RELATED_WINDOW + 1])
        candidates.discard(study.id)
        facts, mine, year = self._facts, frozenset(study.theme_ids), study.year
        ranked = sorted([(-len(mine & facts[x][0]), abs(facts[x][1] - year), x) for x in candidates])
        return [(facts[x][2], -shared) for shared, _, x in ranked[:RELATED_LIMIT]]

    @cached_property
    def _by_time(self) -> dict[str, tuple[tuple[str, ...], dict[str, int]]]:
        """Each theme's study ids by year (then id), with each study's position."""
        out = {}
        for theme_id, members in self.members.items():
            ordered = tuple(s.id for s in sorted(members, key=lambda s: (s.year, s.id)))
            out[theme_id] = (ordered, {x: i for i, x in enumerate(ordered)})
        return out

    @cached_property
    def _facts(self) -> dict[str, tuple[frozenset[str], int, Study]]:
        """What ranking related studies needs of each study: its themes, its year, and the study."""
        return {s.id: (frozenset(s.theme_ids), s.year, s) for s in self.map.studies}


class DuplicateOutput(ValueError):
    """Two generated outputs have the same path (or the same address): one would silently replace the other."""


class _Outputs(dict[str, str]):
    """Generated outputs by path, each added once: a second output at a path, or at an address a page already
    has, is an error naming both. `producer` names what made the outputs."""

    def __init__(self) -> None:
        super().__init__()
        self.made_by: dict[str, tuple[str, str]] = {}  # address -> (path, producer)

    def add(self, outputs: Mapping[str, str], producer: str) -> None:
        for path, text in outputs.items():
            address = page_url(path) if path.endswith(".md") else path
            if address in self.made_by:
                first_path, first = self.made_by[address]
                raise DuplicateOutput(
                    f"{path}: made by {producer} and by {first}"
                    + (f" (at {first_path}, the same address)" if first_path != path else "")
                    + "; each page and file needs a path of its own")
            self.made_by[address] = (path, producer)
            self[path] = text


def _paging(sources: list[str], k: int, here: str) -> dict[str, Any]:
    """What a page of a list spread over `sources` needs for its pager (the _pager.html.j2 macro)."""
    return {"page": k, "pages": len(sources), "prev": pager_link(sources, k - 1, here),
            "next": pager_link(sources, k + 1, here),
            "pager": [(n, pager_link(sources, n, here) if n else None) for n in _pager(k, len(sources))]}


def pager_link(sources: list[str], k: int, here: str) -> str | None:
    """The link from `here` to page k (1-based) of a list spread over `sources`, or None past either end."""
    return relative(here, page_url(sources[k - 1])) if 1 <= k <= len(sources) else None


def _pager(page: int, pages: int) -> list[int | None]:
    """Page numbers to offer: the first, the last, and two either side of this one; None marks a gap."""
    shown = sorted({1, pages, *range(max(1, page - 2), min(pages, page + 2) + 1)})
    out: list[int | None] = []
    for n in shown:
        if out and n - (out[-1] or 0) > 1:
            out.append(None)
        out.append(n)
    return out


@cache  # the same few headings on every page
def _h2(title: str, id: str, search: bool = True) -> Markup:
    """A section heading with its permanent link, written as Markdown's toc extension would write it: generated
    pages skip Markdown (they are HTML already), and the page's table of contents is read back from these.
    search=False leaves the section out of the site's search index (Material's data-search-exclude)."""
    exclude = "" if search else ' data-search-exclude="1"'
    id = escape(id)
    return Markup(f'<h2 id="{id}"{exclude}>{escape(title)}<a class="headerlink" href="#{id}" '
                  'title="Permanent link">&para;</a></h2>')


def _day(when: _dt.date | None) -> str:
    """'12 March 2024', or 'date unknown'."""
    return f"{when.day} {when:%B %Y}" if when else "date unknown"
