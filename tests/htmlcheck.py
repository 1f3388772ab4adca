"""Reading built pages as a reader's browser would: links, ids, text."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

_BLOCKS = {"p", "div", "li", "td", "th", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "br", "section", "header",
           "table", "caption", "ul", "ol", "dt", "dd", "label", "option", "article", "nav", "main", "footer"}


class PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.scripts: list[str] = []
        self.text: list[str] = []
        self.meta: dict[str, str] = {}  # <meta name|property=… content=…>
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in _BLOCKS:
            self.text.append(" ")
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag in ("link",) and a.get("href"):
            self.links.append(a["href"])
        if tag in ("script", "img") and a.get("src"):
            self.scripts.append(a["src"])
        if tag in ("script", "style"):
            self._skip += 1
        if tag == "meta" and (a.get("name") or a.get("property")) and a.get("content") is not None:
            self.meta[a.get("property") or a["name"]] = a["content"]

    def handle_endtag(self, tag):
        if tag in _BLOCKS:
            self.text.append(" ")
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


def parse(path: Path) -> PageParser:
    parser = PageParser()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def page_text(path: Path) -> str:
    """The text of the page's main content (no navigation, no permalink signs), whitespace folded."""
    html = path.read_text(encoding="utf-8")
    start = html.find("<article")
    html = html[start: html.index("</article>", start)] if start != -1 else html
    parser = PageParser()
    parser.feed(html)
    return " ".join("".join(parser.text).replace("¶", " ").split())


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def broken_links(site: Path) -> list[str]:
    """Every internal link (a, link, script) of every page that does not resolve to a file (and anchor)."""
    broken = []
    parsed = {p: parse(p) for p in pages(site)}
    for page, parser in parsed.items():
        if page.name == "404.html" and page.parent == site:
            continue  # served at any address, so its links are absolute to site_url: not resolvable here
        base = "http://site/" + page.relative_to(site).as_posix()
        for href in parser.links + parser.scripts:
            url = urlsplit(urljoin(base, href))
            if url.netloc != "site":
                continue
            target = site / unquote(url.path.lstrip("/"))
            if url.path.endswith("/") or target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{page.relative_to(site)}: {href}")
            elif url.fragment and target.suffix == ".html" and target in parsed \
                    and unquote(url.fragment) not in parsed[target].ids:
                broken.append(f"{page.relative_to(site)}: {href} (no such anchor)")
    return broken


def external_links(site: Path) -> set[str]:
    found = set()
    for page in pages(site):
        parser = parse(page)
        for href in parser.scripts:
            if urlsplit(href).netloc:
                found.add(href)
    return found
