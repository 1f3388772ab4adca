"""The world map of studies by country in Chromium: its numbers are the table's and the study files', a click or
Enter on a country lands on the studies index showing exactly that country's studies (in a big map too, whose rows
come from studies/index.json), only countries with studies take the focus, no request leaves the site, and axe-core
reports nothing in either colour scheme. Screenshots at a desktop and a phone width, in both schemes."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from test_accessibility import RUN_AXE, axe_path  # noqa: F401 (the fixture that finds axe-core)

from conftest import ROOT, serve, studies_index_site
from generator.content import load_map
from generator.countries import country_name
from generator.outputs import studies_index, worldmap

sys.path.insert(0, str(ROOT / "benchmarks"))
from synth import write_review  # noqa: E402

SHOTS = ROOT / "test-artifacts" / "screenshots"
MAP_COUNTS = """() => Object.fromEntries([...document.querySelectorAll('svg.em-wm-map a.em-wm-country')].map(a =>
  [a.dataset.emCountry, a.getAttribute('aria-label')]))"""
TABLE = "#by-country + figure details.em-chart-table tbody tr"
ROWS = "#em-studies tbody tr"


def bundled_counts() -> dict[str, int]:
    return worldmap.count(load_map(ROOT / "content").studies)


def studies_in(code: str) -> set[str]:
    return {s.id for s in load_map(ROOT / "content").studies if code in s.countries}


def listed(page) -> set[str]:
    """The studies the index shows, by the id in each row's link."""
    hrefs = page.locator(f"{ROWS} td:first-child a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    return {h.rstrip("/").split("/")[-1].removesuffix(".html") for h in hrefs}


def test_the_maps_numbers_are_the_tables_and_the_study_files(server, browser):
    page = browser.new_page()
    page.goto(server + "glance/", wait_until="load")
    on_map = page.evaluate(MAP_COUNTS)
    table = {cells[0]: int(cells[1]) for cells in
             (row.split("\t") for row in page.locator(TABLE).evaluate_all(
                 "rows => rows.map(r => [...r.cells].map(c => c.textContent.trim()).join('\\t'))"))}
    expected = bundled_counts()
    assert on_map == {c: f"{country_name(c)}: {n} stud{'y' if n == 1 else 'ies'}" for c, n in expected.items()}
    assert table == {country_name(c): n for c, n in expected.items()}
    page.close()


@pytest.mark.parametrize("path", ["glance/", ""])
def test_a_click_on_a_country_lists_exactly_its_studies(server, browser, path):
    page = browser.new_page()
    page.goto(server + path, wait_until="load")
    page.locator('svg.em-wm-map a[data-em-country="NL"]').click()  # Driessens: Belgium and the Netherlands
    page.wait_for_url("**/studies/?f-country=NL")
    page.wait_for_function("document.querySelector('[data-em-count]').textContent === '1 of 11 studies'")
    assert listed(page) == studies_in("NL")
    assert page.locator("select[data-em-filter=country]").input_value() == "NL"
    assert page.get_by_label("Country").locator("option:checked").inner_text() == "Netherlands"
    page.close()


def test_enter_on_a_focused_country_lists_its_studies_and_only_countries_with_studies_take_the_focus(server, browser):
    page = browser.new_page()
    page.goto(server + "glance/", wait_until="load")
    svg = page.locator("svg.em-wm-map")
    focusable = svg.evaluate("""svg => [...svg.querySelectorAll('*')].filter(el => {
        el.focus(); return document.activeElement === el; }).map(el => el.dataset.emCountry)""")
    assert focusable == list(bundled_counts())  # in the table's order, most studies first
    # from the heading before the map, Tab reaches the first country
    page.locator("h2#by-country").evaluate("h2 => { h2.tabIndex = -1; h2.focus(); }")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "United Kingdom: 9 studies"
    page.keyboard.press("Enter")
    page.wait_for_url("**/studies/?f-country=GB")
    page.wait_for_function("document.querySelector('[data-em-count]').textContent === '9 of 11 studies'")
    assert listed(page) == studies_in("GB")
    page.close()


def test_no_request_leaves_the_site(server, browser):
    page = browser.new_page()
    foreign: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(server) or r.url.startswith("data:") else
            foreign.append(r.url))
    for path in ("", "glance/", "studies/?f-country=AU"):
        page.goto(server + path, wait_until="networkidle")
    page.locator('svg.em-wm-map a[data-em-country="AU"]').count()
    assert foreign == []
    page.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 375])
def test_axe_finds_nothing_on_the_maps_and_the_filtered_index(server, browser, axe_path, scheme, width):  # noqa: F811
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    SHOTS.mkdir(parents=True, exist_ok=True)
    found = {}
    for path in ("glance/", "", "studies/?f-country=GB"):
        page.goto(server + path, wait_until="load")
        page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
        if path != "studies/?f-country=GB":
            shown = page.locator(".em-wm").first
            shown.scroll_into_view_if_needed()
            shown.screenshot(path=str(SHOTS / f"worldmap-{path.strip('/') or 'home'}-{scheme}-{width}.png"))
            box = page.locator("svg.em-wm-map").bounding_box()
            assert box and box["width"] <= width and box["height"] > 0.3 * box["width"]  # it scales to the column
        page.add_script_tag(path=str(axe_path))
        if violations := page.evaluate(RUN_AXE):
            found[path or "home"] = violations
    context.close()
    assert found == {}, found


def test_a_big_maps_index_filtered_by_country_lists_every_study_of_it(browser, tmp_path: Path):
    write_review(tmp_path / "content", 150)
    emap = load_map(tmp_path / "content")
    site = studies_index_site(emap, tmp_path / "site")
    code, n = next((c, n) for c, n in worldmap.count(emap.studies).items() if n > 1)
    expected = {s.id for s in emap.studies if code in s.countries}
    on_page_one = {s.id for s in emap.studies[:studies_index.STUDIES_PER_PAGE] if code in s.countries}
    assert on_page_one != expected  # some of them are on the second page, which the script fetches
    url, httpd = serve(site)
    try:
        page = browser.new_page()
        page.goto(f"{url}studies/?f-country={code}", wait_until="load")
        page.wait_for_function(f"document.querySelector('[data-em-count]').textContent === '{n} of 150 studies'")
        assert listed(page) == expected
        page.close()
    finally:
        httpd.shutdown()
