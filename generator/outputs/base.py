"""What every output shares: the build's inputs (`Build`), the template environment, front matter, headings and
paging. Output modules are functions of a `Build`: records in, {path: text} out; no I/O, no clock, no environment."""

from __future__ import annotations

import datetime as _dt
import json
from dataclasses import dataclass
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from ..citations import author_label, author_year, reference
from ..countries import country_name
from ..markup import markdown_html, xml_text
from ..model import EvidenceMap
from . import paths
from .derived import Derived
from .paths import Urls, page_url
from .prisma_svg import n as count_text

SEARCH_END = "<!-- em-search-end -->"
"""Marks where the part of a generated page that search indexes ends: everything after it is left out of search
(data-search-exclude), so the publisher need not parse it for the index (see mkdocs_plugin.on_page_content)."""


@dataclass(frozen=True)
class Links:
    """Where the site is published, how its URLs are written, and where its source lives (from mkdocs.yml)."""

    site_url: str | None = None
    repo_url: str | None = None
    branch: str = "main"
    directory_urls: bool = True
    """MkDocs' use_directory_urls: False for a site opened from disk (the preview build), whose links name files."""

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
    version: Any = None  # currency.Version from a git tag, found by the publisher; None: none (review.yml's is used)

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
                       author_label=author_label, markdown_html=markdown_html, count=count_text, day=day, h2=h2,
                       search_end=Markup(SEARCH_END), paths=paths)
    return env


class Build:
    """The inputs of every output: the map, its history, the site's links, the build's date (given: no output reads
    the clock or the environment), and the indexes derived from them."""

    def __init__(self, emap: EvidenceMap, history: History | None = None, links: Links | None = None, *,
                 today: _dt.date) -> None:
        self.map = emap
        self.today = today
        self.history = history or History({}, {}, {})
        self.links = links or Links()
        self.urls = Urls(self.links.directory_urls)
        self.env = templates()
        self.derived = Derived(emap, self.history)

    def link(self, here: str, to: str) -> str:
        """The link from the page at `here` to `to` (addresses from paths, or files), in the publisher's URL style."""
        return self.urls.link(here, to)

    def render(self, template: str, here: str, **context: object) -> str:
        """A template rendered for the page at `here`: its `link(to)` is the link from that page to `to`."""
        def link(to: str) -> str:
            return self.urls.link(here, to)

        return self.env.get_template(template).render(link=link, review=self.map.review, **context)


WIDE: dict[str, object] = {"hide": ["toc"]}
"""Front matter for a page of wide tables or charts (studies index, matrix, "At a glance"): Material leaves out the
table of contents, whose column would otherwise stay empty beside a table cut to the narrower column."""


def front_matter(title: str, description: str | None = None, **extra: object) -> str:
    # MkDocs' theme templates print meta values without escaping: escape them here.
    # A character YAML refuses would make the whole front matter unreadable, and the page lose its title.
    meta: dict[str, object] = {"title": str(escape(xml_text(title)))}
    if description:
        meta["description"] = str(escape(" ".join(xml_text(description).split())[:300]))
    meta.update(extra)
    # One `key: JSON` line each: JSON is YAML, and JSON is written many times faster than YAML.
    return "---\n" + "".join(f"{key}: {_json(meta[key])}\n" for key in sorted(meta)) + "---\n"


_json = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode  # made once: json.dumps makes one per call


def paging(sources: list[str], k: int, here: str, urls: Urls) -> dict[str, Any]:
    """What a page of a list spread over `sources` needs for its pager (the _pager.html.j2 macro)."""
    return {"page": k, "pages": len(sources), "prev": pager_link(sources, k - 1, here, urls),
            "next": pager_link(sources, k + 1, here, urls),
            "pager": [(n, pager_link(sources, n, here, urls) if n else None) for n in _pager(k, len(sources))]}


def pager_link(sources: list[str], k: int, here: str, urls: Urls) -> str | None:
    """The link from `here` to page k (1-based) of a list spread over `sources`, or None past either end."""
    return urls.link(here, page_url(sources[k - 1])) if 1 <= k <= len(sources) else None


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
def h2(title: str, id: str, search: bool = True) -> Markup:
    """A section heading with its permanent link, written as Markdown's toc extension would write it: generated
    pages skip Markdown (they are HTML already), and the page's table of contents is read back from these.
    search=False leaves the section out of the site's search index (Material's data-search-exclude)."""
    exclude = "" if search else ' data-search-exclude="1"'
    id = escape(id)
    return Markup(f'<h2 id="{id}"{exclude}>{escape(title)}<a class="headerlink" href="#{id}" '
                  'title="Permanent link">&para;</a></h2>')


def day(when: _dt.date | None) -> str:
    """'12 March 2024', or 'date unknown'."""
    return f"{when.day} {when:%B %Y}" if when else "date unknown"
