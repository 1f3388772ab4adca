"""Where every generated page and file goes, and the links between them: the one place that spells a path.

A page's path is its source path in the site's docs tree ('studies/<id>.md'); its address is where MkDocs
publishes it with directory URLs, its default ('studies/<id>/'). The generator names pages by these addresses; the
build's `Urls` writes the links between them in the publisher's URL style: the address itself, or with MkDocs'
`use_directory_urls: false` (the preview to open from disk) the page's file ('studies/<id>.html'). Links in pages
are relative, so the site works from any folder.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

ASSET_PREFIX = "assets/evidence-map/"
PLOTLY_JS = ASSET_PREFIX + "vendor/plotly-cartesian.min.js"
MATRIX_SCRIPTS = tuple(f"{ASSET_PREFIX}pages/{name}.js"
                       for name in ("matrix-draw", "matrix-lists", "matrix-model", "matrix"))
"""The evidence and gap map's scripts, in the order its page loads them: each adds to one namespace (window.emMatrix)
what the next uses, and the last, matrix.js, starts the page."""
CHARTS_JS = ASSET_PREFIX + "pages/charts.js"
COUNTRY_NAMES = ASSET_PREFIX + "country-names.json"
"""The names the studies filter takes for each country (UK, England, USA, ...), read by studies-table.js."""

STUDIES_PAGE = "studies/index.md"
STUDIES_ROWS = "studies/index.json"
THEMES_PAGE = "themes/index.md"
MATRIX_PAGE = "matrix/index.md"
GLANCE_PAGE = "glance/index.md"
DOWNLOADS_PAGE = "downloads/index.md"
WHATS_NEW_PAGE = "whats-new/index.md"
FEED = "feed.xml"
PRISMA_SVG = "prisma-flow-diagram.svg"
PRISMA_CSV = "prisma.csv"

HOME_URL = ""
METHODS_URL = "methods/"
"""The hand-written methods page (docs/methods.md), which generated pages link to."""
STUDIES_URL = "studies/"
THEMES_URL = "themes/"
MATRIX_URL = "matrix/"
GLANCE_URL = "glance/"
DOWNLOADS_URL = "downloads/"
WHATS_NEW_URL = "whats-new/"

SITE_PAGES = (STUDIES_PAGE, THEMES_PAGE, MATRIX_PAGE, GLANCE_PAGE, DOWNLOADS_PAGE, WHATS_NEW_PAGE)
"""The site's own generated pages that belong in the navigation (with each theme's first page)."""


def studies_page(k: int = 1) -> str:
    """Page k (1-based) of the studies index: studies/index.md, then studies/page/2.md, …"""
    return STUDIES_PAGE if k == 1 else f"studies/page/{k}.md"


def study_page(study_id: str) -> str:
    return f"studies/{study_id}.md"


def study_url(study_id: str) -> str:
    return f"studies/{study_id}/"


def theme_page(theme_id: str, k: int = 1) -> str:
    """Page k (1-based) of a theme: themes/<id>.md, then the pages continuing its findings, themes/<id>/page/2.md, …"""
    return f"themes/{theme_id}.md" if k == 1 else f"themes/{theme_id}/page/{k}.md"


def theme_url(theme_id: str) -> str:
    return f"themes/{theme_id}/"


def theme_feed_path(theme_id: str) -> str:
    """The theme's Atom feed (studies added to it, revisions of its synthesis). At the site's top, beside feed.xml:
    Material takes every <link rel="alternate"> in a page's head for another language's site and fetches the
    sitemap.xml beside its address, so a feed in themes/<id>/ made each theme page request a sitemap that is not
    there (a 404 in the console; docs/upstream.md, guarded by tests/publish/test_export_browser.py)."""
    return f"feed-{theme_id}.xml"


RESERVED_IDS: dict[str, dict[str, str]] = {
    "study": {"index": "the studies index (studies/)",
              "page": "the studies index's further pages (studies/page/2/, ...)"},
    "theme": {"index": "the themes index (themes/)"},
}
"""File names a study or theme may not have: the generator writes these pages beside theirs (studies/<id>/,
themes/<id>/), so such a file would silently replace one, or be replaced. What each is reserved for, by kind.
(tests/outputs/test_paths.py checks these against the paths above.)"""


def page_url(src_uri: str) -> str:
    """'studies/x.md' -> 'studies/x/'; 'studies/index.md' -> 'studies/' (MkDocs directory URLs)."""
    path = src_uri.removesuffix(".md")
    if path == "index" or path.endswith("/index"):
        return path.removesuffix("index")
    return path + "/"


def relative(from_url: str, to_url: str) -> str:
    """A link from the page at `from_url` to `to_url`, both site-relative URLs: a directory URL ('studies/x/', '' the
    site's folder) or a file ('studies/x.html', 'studies.json'), which is linked from its folder. (String work, not
    posixpath.relpath, which consults the working folder: this runs tens of thousands of times in a big map.)"""
    src = [p for p in from_url[:from_url.rfind("/") + 1].split("/") if p]
    dst = [p for p in to_url.split("/") if p]
    common = 0
    while common < len(src) and common < len(dst) and src[common] == dst[common]:
        common += 1
    rel = "/".join([".."] * (len(src) - common) + dst[common:])
    return "./" if not rel else rel + ("/" if to_url.endswith("/") or not to_url else "")


INDEX_PAGES = (STUDIES_PAGE, THEMES_PAGE, MATRIX_PAGE, GLANCE_PAGE, DOWNLOADS_PAGE, WHATS_NEW_PAGE)
"""The generator's pages that are a folder's index.md. Every other address the generator links to ('studies/<id>/',
'themes/<id>/page/2/', the hand-written 'methods/') is the page '<address without its slash>.md'."""
_INDEX_ADDRESSES = frozenset(page_url(p) for p in INDEX_PAGES)


@dataclass(frozen=True)
class Urls:
    """The publisher's URL style (MkDocs' use_directory_urls, given by the publisher to each build): how a page's
    address is written in a link. Directory URLs link 'studies/x/' and need a server that answers a folder with
    its index.html; file URLs link 'studies/x.html', which a browser opens from disk (file://) too."""

    directory: bool = True

    def url(self, address: str) -> str:
        """The URL of the page at `address` ('studies/x/', with any ?query or #fragment), as this style writes it.
        A file ('studies.json', or a URL that is already a page's file) and '' (the site's folder, which links to
        files are written from) are their own URL."""
        if self.directory:
            return address
        cut = min((i for i in (address.find("?"), address.find("#")) if i >= 0), default=len(address))
        path, rest = address[:cut], address[cut:]
        if not path.endswith("/"):
            return address
        return (path + "index.html" if path in _INDEX_ADDRESSES else path[:-1] + ".html") + rest

    def page(self, src_uri: str) -> str:
        """The URL of the page at `src_uri` in the docs tree, as MkDocs gives it: 'studies/x/' or 'studies/x.html',
        'studies/' or 'studies/index.html'."""
        return page_url(src_uri) if self.directory else src_uri.removesuffix(".md") + ".html"

    def link(self, here: str, to: str) -> str:
        """The link from the page at `here` to `to` (addresses, files or this style's URLs)."""
        to = self.url(to)
        cut = min((i for i in (to.find("?"), to.find("#")) if i >= 0), default=len(to))
        return relative(self.url(here), to[:cut]) + to[cut:]

    def around(self, here: str, url_of: Callable[[str], str]) -> tuple[str, str]:
        """(before, after): the link from `here` to any page `url_of` gives an address (study_url, theme_url) is
        before + id + after, so that a page or script can join them around each id rather than hold every link."""
        before, after = self.link(here, url_of(_ID)).split(_ID)
        return before, after


_ID = "\0"  # stands for the id in Urls.around: no address or id holds it

DIRECTORY_URLS = Urls()
"""MkDocs' default style (use_directory_urls: true), which the published site has."""
