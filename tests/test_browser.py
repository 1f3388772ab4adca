"""The built site in a real browser: Debian's Chromium driven by Playwright, served on 127.0.0.1."""

from __future__ import annotations

import pytest

from conftest import ROOT

SHOTS = ROOT / "test-artifacts" / "screenshots"
PAGES = ["", "studies/", "studies/anghel-ramon-2009/", "themes/challenges/", "methods/", "contributing/", "matrix/",
         "glance/", "downloads/", "whats-new/"]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 375])
def test_pages_load_cleanly_and_stay_local(server, browser, scheme, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    errors: list[str] = []
    foreign: list[str] = []
    failed: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: None if r.url.startswith(server) or r.url.startswith("data:") else foreign.append(r.url))
    page.on("requestfailed", lambda r: failed.append(r.url))
    SHOTS.mkdir(parents=True, exist_ok=True)
    for path in PAGES:
        page.goto(server + path, wait_until="networkidle")
        name = (path.strip("/").replace("/", "_") or "home") + f"-{scheme}-{width}.png"
        page.screenshot(path=str(SHOTS / name), full_page=True)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {width}px"
    context.close()
    assert errors == [] and foreign == [] and failed == []


def test_studies_table_filters_and_sorts(server, browser):
    page = browser.new_page()
    page.goto(server + "studies/")
    rows = page.locator("#em-studies tbody tr")
    assert rows.count() == 11
    page.get_by_label("Study design").select_option("mixed-methods")
    assert page.locator("[data-em-count]").inner_text() == "3 of 11 studies"
    assert page.locator(".em-more").is_hidden()  # every match is shown: no "Show more" button
    visible = [t.split("\n")[0] for t in page.locator("#em-studies tbody tr:visible td:first-child").all_inner_texts()]
    assert visible == ["Anghel & Ramon", "MacSporran", "Tanner et al."]
    page.get_by_label("Study design").select_option("")
    page.get_by_label("Filter").fill("Østergaard")
    assert page.locator("[data-em-count]").inner_text() == "0 of 11 studies"
    page.get_by_label("Filter").fill("belgium")
    assert page.locator("[data-em-count]").inner_text() == "1 of 11 studies"
    page.get_by_label("Filter").fill("")
    page.get_by_role("button", name="Year").click()
    years = page.locator("#em-studies tbody tr td:nth-child(2)").all_inner_texts()
    assert years == sorted(years) and years[0] == "2009"
    assert page.locator("th", has=page.get_by_role("button", name="Year")).get_attribute("aria-sort") == "ascending"
    page.get_by_role("button", name="Year").click()
    assert page.locator("#em-studies tbody tr td:nth-child(2)").first.inner_text() == "2017"
    page.close()


def test_search_finds_a_study_by_surname(server, browser):
    page = browser.new_page()
    page.goto(server)
    page.keyboard.press("/")  # Material's shortcut to the search box
    page.keyboard.type("MacSporran")
    result = page.locator(".md-search-result__link").first
    result.wait_for(timeout=10000)
    assert "studies/macsporran-2015/" in result.get_attribute("href")
    page.close()


def test_prisma_diagram_shows_without_scripts_and_links_to_the_studies(server, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(server + "methods/")
    diagram = page.locator("svg.em-prisma")
    assert diagram.is_visible()
    assert "Records screened (n\u00a0=\u00a0581)" in diagram.text_content()
    page.locator("svg.em-prisma a", has_text="Studies included in review").click()
    page.wait_for_url(server + "studies/")
    assert page.locator("h1").inner_text() == "Studies"
    context.close()
