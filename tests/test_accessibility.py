"""Accessibility, keyboard use and sharing, in Chromium: axe-core on every page of the built site, in both colour
schemes, at a desktop and a phone width."""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from conftest import ROOT
from generator.outputs.matrix import count
from htmlcheck import parse

AXE = ROOT / "node_modules/axe-core/axe.min.js"
# Besides every page of the built site (site_pages), the matrix in a state with a selection and a filter open.
MATRIX_STATE = "matrix/?by=country&f-design=qualitative&row=outcomes&col=GB"
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical').map(v =>
    `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')}`);
}"""


def site_pages(site: Path) -> list[str]:
    """Every HTML page of a built site, as a path under its address: the hand-written ones, each study and theme
    page, and the 404 page."""
    return sorted(str(p.relative_to(site).as_posix()).removesuffix("index.html") for p in site.rglob("*.html"))


def published_under(site: Path) -> str:
    """The path the site is published under (site_url's, from the home page's canonical link), e.g. /evidence-map/.
    The 404 page is served for any missing address, so its links start with this path rather than being relative."""
    home = re.search(r'<link rel="canonical" href="([^"]+)"', (site / "index.html").read_text(encoding="utf-8"))
    assert home, "the home page names its address (site_url in mkdocs.yml)"
    return urlsplit(home.group(1)).path


@pytest.fixture(scope="module")
def axe_path() -> Path:
    if not AXE.is_file():
        if os.environ.get("CI"):
            raise RuntimeError("CI needs axe-core: scripts/setup.sh installs it with npm ci")
        pytest.skip("axe-core is not installed (scripts/test.sh installs it)")
    return AXE


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_or_critical_problem_on_any_page(bundled_build, server, browser, axe_path, scheme, width):
    pages = site_pages(bundled_build.site)
    assert {"", "404.html", "performance/", "studies/farrow-2014/", "themes/outcomes/"} <= set(pages)
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    # Served at the root here: the 404 page's links to the site's styles and scripts are turned back to it.
    if (prefix := published_under(bundled_build.site)) != "/":
        page.route(f"{server}{prefix.lstrip('/')}**", lambda r: r.continue_(url=r.request.url.replace(prefix, "/", 1)))
    found = {}
    for path in [*pages, MATRIX_STATE]:
        page.goto(server + path, wait_until="load")
        page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
        if path == MATRIX_STATE:
            page.locator("summary", has_text="Study design").click()  # a filter group open
        page.add_script_tag(path=str(axe_path))
        violations = page.evaluate(RUN_AXE)
        if violations:
            found[path or "home"] = violations
    context.close()
    assert found == {}, found


def test_axe_checks_the_open_search_dialog(server, browser, axe_path):
    page = browser.new_page()
    page.goto(server)
    page.keyboard.press("/")
    page.keyboard.type("coproduction")
    page.locator(".md-search-result__link").first.wait_for()
    page.add_script_tag(path=str(axe_path))
    assert page.evaluate(RUN_AXE) == []
    page.close()


def tab_to(page, test: str, limit: int = 120) -> None:
    """Press Tab until `test` (a JS expression about document.activeElement `e`) is true."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(e => !!e && ({test}))(document.activeElement)"):
            return
    raise AssertionError(f"Tab never reached: {test}")


def focus_is_visible(page) -> bool:
    return page.evaluate("""() => {
      const e = document.activeElement, s = getComputedStyle(e);
      return e.matches(':focus-visible') && (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0
             || s.boxShadow !== 'none' || s.textDecorationLine.includes('underline'));
    }""")


def test_keyboard_alone_searches_and_opens_a_study(server, browser):
    page = browser.new_page()
    page.goto(server)
    tab_to(page, "e.classList.contains('md-search__input')")
    page.keyboard.type("MacSporran")
    page.locator(".md-search-result__link").first.wait_for()
    page.keyboard.press("ArrowDown")  # Material moves focus into the results
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/studies/macsporran-2015/" in url)
    page.close()


@pytest.fixture(scope="module")
def gap_map(tmp_path_factory):
    """A map with every part of the matrix's controls: the egm fixture (grouped facets, a status facet, appraisal)
    with tests/test_gapmap_browser.py's choice of rows, columns and splits, and 60 synthetic studies.
    Yields (the site's address, the map)."""
    from test_gapmap_browser import served_gap_map  # here, not at the top: that module imports this one

    yield from served_gap_map(tmp_path_factory.mktemp("egm-keyboard"), 60)


def listed_ids(page) -> list[str]:
    hrefs = page.locator("[data-em-selection] .em-study-list a").evaluate_all("as => as.map(a => a.href)")
    return [h.rstrip("/").rsplit("/", 1)[-1] for h in hrefs]


def test_keyboard_alone_works_the_matrix(gap_map, browser):
    """With the keyboard alone, and the focus always in sight: choose the rows, the columns and the split, the view,
    a filter; then in the table open a category and select a cell with Enter, another with Space, and Space again
    to let it go. Each selection is announced (a live region) and lists exactly the studies the Python reference
    counts in that cell, completed ones first."""
    url, emap = gap_map
    page = browser.new_page()
    page.goto(url + "matrix/")
    table = page.locator("[data-em-matrix-table]")
    caption = table.locator("caption")
    assert caption.inner_text() == "Studies by intervention and outcome, split by study design"
    tab_to(page, "e.matches('[data-em-pick=rows]')")
    assert focus_is_visible(page)
    page.keyboard.press("ArrowDown")  # the next choice of rows: themes, then outcome
    assert caption.inner_text() == "Studies by theme and outcome, split by study design"
    page.keyboard.press("ArrowDown")
    tab_to(page, "e.matches('[data-em-pick=cols]')")
    assert focus_is_visible(page)
    page.keyboard.press("ArrowDown")  # outcome, then study design
    tab_to(page, "e.matches('[data-em-pick=split]')")
    assert focus_is_visible(page)
    page.keyboard.press("ArrowDown")  # study design, then appraisal
    assert caption.inner_text() == "Studies by outcome and study design, split by appraisal"
    for key, view in [("Enter", "table"), ("Space", "bubble")]:
        tab_to(page, f"e.dataset.emView === '{view}'")
        assert focus_is_visible(page)
        page.keyboard.press(key)
        assert f"em-view-{view}" in table.get_attribute("class")
        assert page.evaluate("document.activeElement.getAttribute('aria-pressed')") == "true"
    tab_to(page, "e.tagName === 'SUMMARY' && e.textContent.startsWith('Status')")
    assert focus_is_visible(page)
    page.keyboard.press("Enter")  # opens the group
    page.keyboard.press("Tab")  # its first value
    page.keyboard.press("Space")
    filters = {"status": [emap.review.facet("status").values[0][0]]}
    c = count(emap, "design", filters, rows="outcome", split="appraisal")
    assert page.locator("[data-em-count]").inner_text() == f"{len(c.total)} of {len(emap.studies)} studies"
    assert parse_qs(urlsplit(page.url).query) == {"rows": ["outcome"], "by": ["design"], "split": ["appraisal"],
                                                   "f-status": filters["status"]}  # bubbles: the default, unsaid

    tab_to(page, "e.closest('[data-em-matrix-table]') !== null")  # the table is one tab stop
    assert focus_is_visible(page)
    page.keyboard.press("ArrowDown")  # from the first column heading to the first row's cell under it
    page.keyboard.press("Home")  # that row's first button: its category's open button
    category = emap.review.facet("outcome").categories[0]
    assert page.evaluate("[document.activeElement.dataset.toggle, document.activeElement.ariaExpanded]") == [
        category.id, "false"]
    assert focus_is_visible(page)
    page.keyboard.press("Enter")
    assert page.evaluate("[document.activeElement.dataset.toggle, document.activeElement.ariaExpanded]") == [
        category.id, "true"]
    page.keyboard.press("ArrowDown")  # the category's first code
    page.keyboard.press("ArrowRight")  # its first cell
    code, first, second = category.codes[0], c.columns[0][0], c.columns[1][0]
    announced = page.locator("#em-matrix .em-sr-only[aria-live]")
    for key, col in [("Enter", first), ("Space", second)]:
        if key == "Space":
            page.keyboard.press("ArrowRight")
        assert focus_is_visible(page)
        page.keyboard.press(key)
        assert page.evaluate("[document.activeElement.dataset.row, document.activeElement.dataset.col, "
                             "document.activeElement.ariaPressed]") == [code, col, "true"]
        ids = c.cells.get((code, col), ())
        assert listed_ids(page) == list(c.done(ids)) + [i for i in ids if i in c.ongoing]
        title = page.locator("#em-selection-title").inner_text()
        assert title.startswith(f"Outcome: {emap.review.facet('outcome').label_of(code)} × Study design: ")
        assert title.endswith(f" — {c.n(code, col)} {'study' if c.n(code, col) == 1 else 'studies'}" +
                              (f" and {c.n_ongoing(code, col)} ongoing" if c.n_ongoing(code, col) else ""))
        assert announced.text_content() == "Listed below the table: " + title
    page.keyboard.press("Space")  # the same cell again lets it go
    assert page.evaluate("document.activeElement.ariaPressed") == "false"
    assert listed_ids(page) == [] and announced.text_content() == ""
    page.close()


def test_keyboard_alone_filters_the_studies_table(server, browser):
    page = browser.new_page()
    page.goto(server + "studies/")
    tab_to(page, "e.matches('[data-em-filter=text]')")
    assert focus_is_visible(page)
    page.keyboard.type("netherlands")
    assert page.locator("[data-em-count]").inner_text() == "1 of 11 studies"
    page.close()


def test_pages_say_what_they_are_for_sharing(bundled_build):
    seen = set()
    for path in ["index.html", "studies/index.html", "studies/farrow-2014/index.html", "themes/outcomes/index.html",
                 "matrix/index.html", "glance/index.html", "methods/index.html"]:
        html = (bundled_build.site / path).read_text(encoding="utf-8")
        meta = parse(bundled_build.site / path).meta
        assert meta.get("og:title") and meta.get("og:description") and meta.get("description"), path
        assert meta["og:url"].endswith(path.removesuffix("index.html")), path
        assert "<title>" in html
        seen.add(meta["og:title"])
    assert len(seen) == 7  # every page has its own title
