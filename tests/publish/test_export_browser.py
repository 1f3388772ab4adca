"""The export as a reader gets it: the bundled map built from `python -m generator export` with plain MkDocs and with
Zensical (the builds test_export.py makes), served on 127.0.0.1 and read in Chromium. Each page loads with no
console error and no request to another host, axe-core finds no serious or critical problem, the matrix counts
and lists studies, and the site's own search finds a study by its first author's family name."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from test_accessibility import RUN_AXE, axe_path  # noqa: F401 (axe_path: the fixture, injected as it does)
from test_export import mkdocs_site_of, zensical_site_of

from conftest import ROOT, Build, serve
from generator.content import load_map
from generator.outputs.matrix import count

SHOTS = ROOT / "test-artifacts" / "screenshots"
# Every kind of page a reader meets: home, a study, a theme, the studies index, the matrix, the PRISMA flow diagram
# (methods), the downloads.
PAGES = ["", "studies/anghel-ramon-2009/", "themes/challenges/", "studies/", "matrix/", "methods/", "downloads/"]
STUDY = "macsporran-2015"


@pytest.fixture(scope="module", params=["mkdocs", "zensical"])
def export_site(request: pytest.FixtureRequest, bundled_build: Build) -> Iterator[str]:
    """The base URL of the export built by one publisher."""
    folder = (mkdocs_site_of if request.param == "mkdocs" else zensical_site_of)(bundled_build.project)
    url, httpd = serve(folder)
    yield url
    httpd.shutdown()


@pytest.fixture
def reader(browser, export_site: str, request: pytest.FixtureRequest):
    """A page at 1280 px, in the light scheme unless the test asks for "dark", that records console errors, script
    errors, failed requests and any request to another host; the test fails if it recorded any."""
    scheme = getattr(request, "param", "light")
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"script: {e}"))
    page.on("request", lambda r: None if r.url.startswith((export_site, "data:"))
            else problems.append(f"request to {r.url}"))
    page.on("requestfailed", lambda r: problems.append(f"failed: {r.url}"))
    yield page
    context.close()
    assert problems == []


@pytest.fixture(scope="module")
def emap(bundled_build: Build):
    return load_map(bundled_build.project / "content")


@pytest.mark.parametrize("reader", ["light", "dark"], indirect=True)
def test_pages_load_cleanly_stay_local_and_pass_axe(reader, export_site: str, axe_path: Path):  # noqa: F811
    found = {}
    for path in PAGES:
        reader.goto(export_site + path, wait_until="networkidle")
        reader.add_script_tag(path=str(axe_path))
        violations = reader.evaluate(RUN_AXE)
        if violations:
            found[path or "home"] = violations
    assert found == {}


def test_the_matrix_draws_its_cells_and_a_cell_lists_its_studies(reader, export_site: str, emap):
    reader.goto(export_site + "matrix/")
    table = reader.locator("[data-em-matrix-table]")
    table.wait_for()
    c = count(emap, "design")
    assert table.locator("td button[data-row='outcomes'][data-col='qualitative']").inner_text() == str(
        c.n("outcomes", "qualitative"))
    table.locator("td button[data-row='outcomes'][data-col='qualitative']").click()
    hrefs = reader.locator("[data-em-selection] .em-study-list a").evaluate_all("as => as.map(a => a.href)")
    assert [h.rstrip("/").rsplit("/", 1)[-1] for h in hrefs] == list(c.cells[("outcomes", "qualitative")]) != []
    reader.locator("[data-em-selection] .em-study-list a").first.click()  # the list's links lead to study pages
    reader.wait_for_url(f"**/studies/{c.cells[('outcomes', 'qualitative')][0]}/")


def test_search_finds_a_study_by_its_authors_family_name(reader, export_site: str, emap):
    """Material's search (plain MkDocs) opens with "/"; Zensical's is a button in the header that opens its own
    dialog (in a shadow root, which Playwright's selectors enter)."""
    family_name = emap.study(STUDY).authors[0].split(",")[0]
    reader.goto(export_site)
    zensical = reader.locator(".md-search__button")
    if zensical.count():
        zensical.click()
        reader.keyboard.type(family_name)
        first = reader.locator("[role=listbox] [role=option]").first
    else:
        reader.keyboard.press("/")
        reader.keyboard.type(family_name)
        first = reader.locator(".md-search-result__link").first
    first.wait_for(timeout=10000)
    assert f"studies/{STUDY}/" in first.get_attribute("href")
    first.click()
    reader.wait_for_url(f"**/studies/{STUDY}/**")
    assert reader.locator("article h1").first.inner_text() == emap.study(STUDY).title


def test_a_study_page_screenshot(reader, export_site: str, request: pytest.FixtureRequest):
    """For a person to compare with the main path's (test_browser.py's studies_anghel-ramon-2009-light-1280.png)."""
    reader.goto(export_site + "studies/anghel-ramon-2009/", wait_until="networkidle")
    SHOTS.mkdir(parents=True, exist_ok=True)
    publisher = request.node.callspec.params["export_site"]
    reader.screenshot(path=str(SHOTS / f"export-{publisher}-studies_anghel-ramon-2009-light-1280.png"),
                      full_page=True)
    assert reader.locator("nav.md-nav--secondary a.md-nav__link").count() >= 4  # its table of contents is there
