"""The preview build (OFFLINE=true, SITE_URL empty: generator/publish/preview.py), as a contributor opens the
pull request's site-preview artifact: unzipped, index.html opened in Chromium from disk (file://)."""

from __future__ import annotations

import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from conftest import ROOT, build, make_project, serve

SHOTS = ROOT / "test-artifacts" / "screenshots"
PREVIEW_ENV = {"OFFLINE": "true", "SITE_URL": ""}  # what docs/publishing.md and checks.yml set
INDIGO = "rgb(64, 81, 181)"  # the header of mkdocs.yml's palette (primary: indigo), only there once styles load
FILE_ONLY = re.compile(r"Access to XMLHttpRequest at 'file://[^']*/sitemap\.xml' from origin 'null' has been blocked"
                       r"|Failed to load resource: net::ERR_FAILED")
"""The console errors file:// itself causes: Material's script asks for sitemap.xml, which a page opened from disk may
not fetch (any fetch or XMLHttpRequest from file:// is refused), and the refused request is logged again."""


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Path:
    result = build(make_project(tmp_path_factory.mktemp("preview"), ROOT / "content"), "site-preview",
                   **PREVIEW_ENV)
    assert result.returncode == 0, result.output
    return result.site


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.data: list[str] = []
        self._json = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls += [v for k, v in attrs if k in ("href", "src") and v]
        self._json = tag == "script" and ("type", "application/json") in attrs

    def handle_data(self, data: str) -> None:
        if self._json:
            self.data.append(data)


def _local(url: str) -> str | None:
    parts = urlsplit(url)
    return None if parts.scheme or parts.netloc or not parts.path else unquote(parts.path)


def test_every_link_names_a_file_that_exists(preview):
    """From every page: each link, script and style sheet of the site (and the matrix script's study and theme
    links) is a file of the built folder, never a folder, which a browser would show as a listing from disk."""
    bad = []
    for page in sorted(preview.rglob("*.html")):
        if page.name == "404.html" and page.parent == preview:
            continue  # linked from the server's root (site_url unset), as served: test_404_page_is_styled_when_served
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        urls = list(parser.urls)
        for data in parser.data:
            found = json.loads(data).get("urls") if data.lstrip().startswith("{") else None
            if isinstance(found, dict):  # the matrix: [before, after] around each id, and studies.json
                urls += [found["study"][0] + "farrow-2014" + found["study"][1],
                         found["theme"][0] + "outcomes" + found["theme"][1], found["studies_json"]]
        for url in urls:
            path = _local(url)
            if path is not None and not (page.parent / path).resolve().is_file():
                bad.append(f"{page.relative_to(preview)}: {url}")
    assert bad == []


def test_pages_are_files_and_search_works_from_disk(preview):
    assert (preview / "studies" / "farrow-2014.html").is_file() and not (preview / "studies" / "farrow-2014").exists()
    assert (preview / "search" / "search_index.js").read_text(encoding="utf-8").startswith("var __index = ")
    home = (preview / "index.html").read_text(encoding="utf-8")
    assert "unpkg.com" not in home and '<script src="assets/evidence-map/vendor/iframe-worker-shim.js">' in home


def test_the_vendored_shim_is_the_pinned_release():
    vendor = ROOT / "generator" / "publish" / "vendor"
    pinned = re.search(r"`iframe-worker-shim\.js` \| npm `iframe-worker`.*\| ([\d.]+) \|.*`([0-9a-f]{64})`",
                       (vendor / "README.md").read_text(encoding="utf-8"))
    assert pinned, "the vendor table names the file, its version and its sha256"
    assert hashlib.sha256((vendor / "iframe-worker-shim.js").read_bytes()).hexdigest() == pinned.group(2)


def test_a_reader_browses_the_preview_from_disk(preview, browser):
    """index.html opened from disk: styles load, links go to pages (not folder listings), the matrix draws and lists
    a cell's studies, whose link opens the study; search finds a study; nothing is asked of another host."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    foreign: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: None if r.url.startswith(("file://", "data:", "blob:", "about:"))
            else foreign.append(r.url))
    SHOTS.mkdir(parents=True, exist_ok=True)
    root = preview.as_uri() + "/"

    def styled(where: str) -> None:
        page.wait_for_url(root + where, wait_until="load")
        assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).backgroundColor") == INDIGO
        assert page.evaluate("getComputedStyle(document.body).fontFamily") != "Times New Roman"

    page.goto(root + "index.html", wait_until="load")
    styled("index.html")
    page.locator("a.em-card", has_text="Every included study").click()  # the home page's card
    styled("studies/index.html")
    page.get_by_role("link", name="Farrow").first.click()
    styled("studies/farrow-2014.html")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Involving service users")
    page.screenshot(path=str(SHOTS / "preview-study.png"), full_page=True)
    page.locator(".em-facts").get_by_role("link", name="Meaningful involvement").click()
    styled("themes/meaningful-involvement.html")
    page.locator(".md-nav").get_by_role("link", name="Studies", exact=True).first.click()
    styled("studies/index.html")
    page.go_back()
    styled("themes/meaningful-involvement.html")
    page.locator(".md-nav").get_by_role("link", name="Evidence matrix").first.click()
    styled("matrix/index.html")
    page.locator("[data-em-matrix-table]").wait_for()
    page.screenshot(path=str(SHOTS / "preview-matrix.png"), full_page=True)
    page.locator("[data-em-matrix-table] td button[data-row='outcomes'][data-col='qualitative']").click()
    listed = page.locator("[data-em-selection] .em-study-list a")
    assert listed.count() == 5
    hrefs = listed.evaluate_all("as => as.map(a => a.getAttribute('href'))")
    assert all(h.startswith("../studies/") and h.endswith(".html") for h in hrefs), hrefs
    title = page.locator("[data-em-selection] .em-study-list li").first.inner_text()  # label — title
    listed.first.click()
    styled("studies/" + hrefs[0].removeprefix("../studies/"))
    assert page.get_by_role("heading", level=1).inner_text() in title
    page.goto(root + "index.html", wait_until="load")
    page.locator(".md-search__input").click()
    page.keyboard.type("tokenistic")
    page.locator(".md-search-result__item").first.wait_for(timeout=10000)
    assert "2 matching documents" in page.locator(".md-search-result__meta").inner_text()
    page.screenshot(path=str(SHOTS / "preview-search.png"))
    context.close()
    assert [e for e in errors if not FILE_ONLY.search(e)] == [] and foreign == []


def test_404_page_is_styled_when_served_from_the_folder(preview, browser):
    url, httpd = serve(preview)
    try:
        page = browser.new_page()
        failed: list[str] = []
        page.on("requestfailed", lambda r: failed.append(r.url))
        page.on("response", lambda r: failed.append(r.url) if r.status >= 400 and r.url != url + "404.html" else None)
        page.goto(url + "404.html", wait_until="load")
        assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).backgroundColor") == INDIGO
        assert failed == []
        page.close()
    finally:
        httpd.shutdown()
