"""The "inferred" labels in Chromium: seen, named and followed on a study page in both colour schemes, with nothing for
axe-core to report; the studies filter still finds an inferred country by the names readers type; and in a big map,
the rows the script builds from studies/index.json carry the same labels."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import pytest
from test_accessibility import axe_path  # noqa: F401 (the fixture that finds axe-core)

from conftest import ROOT, serve, studies_index_site
from generator.content import load_map
from generator.model import EvidenceMap

sys.path.insert(0, str(ROOT / "benchmarks"))
from synth import write_review  # noqa: E402

SHOTS = ROOT / "test-artifacts" / "screenshots"
LABEL = "inferred by the map's authors, not stated by the source; see the notes"
ALL_AXE = """async () => (await axe.run(document, {resultTypes: ['violations']})).violations.map(v =>
  `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')}`)"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_study_page_shows_names_and_links_its_inferred_values(server, browser, axe_path, scheme):  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    page.goto(server + "studies/farrow-2014/", wait_until="load")
    marks = page.get_by_role("link", name=LABEL, exact=True)
    assert marks.count() == 2  # the country and the design
    rows = page.locator("table.em-facts tr", has=page.locator(".em-inferred"))
    assert [r.locator("th").inner_text() for r in rows.all()] == ["Countries", "Study design"]
    first = marks.first
    assert first.is_visible() and first.inner_text() == "inferred"
    box = first.bounding_box()
    assert box and box["height"] < 24 and box["width"] < 80  # a small label, not a second value
    label_colour = first.evaluate("e => getComputedStyle(e).color")
    text_colour = rows.first.locator("td").evaluate("e => getComputedStyle(e).color")
    assert label_colour != text_colour  # set apart from the value it follows
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("table.em-facts").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / f"inferred-farrow-{scheme}.png"))
    page.add_script_tag(path=str(axe_path))
    assert page.evaluate(ALL_AXE) == []
    first.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("location.hash === '#notes-and-corrections'")
    assert page.locator("#notes-and-corrections").is_visible()
    assert page.locator(".em-notes").is_visible()
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_studies_index_shows_the_labels_with_nothing_for_axe_to_report(server, browser, axe_path, scheme):  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    page.goto(server + "studies/", wait_until="load")
    assert page.locator("#em-studies .em-inferred").count() == 10  # 3 countries, 6 designs and one setting
    assert page.locator(".em-inferred-note").is_visible()
    page.add_script_tag(path=str(axe_path))
    assert page.evaluate(ALL_AXE) == []
    context.close()


def test_the_studies_filter_finds_inferred_countries_by_their_everyday_names(server, browser):
    page = browser.new_page()
    page.goto(server + "studies/", wait_until="load")
    farrow = page.locator("#em-studies tr", has=page.get_by_role("link", name="Farrow", exact=True))
    assert farrow.locator("td").nth(2).inner_text() == "United Kingdom inferred"
    page.locator("[data-em-filter=text]").fill("UK")
    page.wait_for_function("document.querySelector('[data-em-count]').textContent === '9 of 11 studies'")
    assert farrow.is_visible()
    page.locator("[data-em-filter=text]").fill("")

    def british() -> list[str]:
        rows = page.locator("#em-studies tbody tr", has_text="United Kingdom")
        return [r.locator("td a").first.inner_text() for r in rows.all()]

    by_author = british()
    page.get_by_role("button", name="Countries").click()
    # sorted by the country alone: the studies from one country stay in author order, inferred or not
    assert british() == by_author and "Farrow" in by_author
    page.close()


def big_map(tmp: Path) -> EvidenceMap:
    """A map of 150 synthetic studies (two pages of the index) whose British studies have an inferred country, and
    every third study an inferred design."""
    write_review(tmp / "content", 150)
    emap = load_map(tmp / "content")
    studies = []
    for k, s in enumerate(emap.studies):
        inferred = (("countries",) if "GB" in s.countries else ()) + (
            ("facets.design",) if k % 3 == 0 and s.facets["design"] else ())
        studies.append(dataclasses.replace(s, inferred=inferred, notes=s.notes or "Inferred from the review."))
    return dataclasses.replace(emap, studies=tuple(studies))


def test_a_big_maps_rows_built_by_the_script_carry_the_labels(browser, tmp_path: Path):
    emap = big_map(tmp_path)
    site = studies_index_site(emap, tmp_path / "site")
    british = sum("GB" in s.countries for s in emap.studies)
    designs = sum("facets.design" in s.inferred for s in emap.studies)
    assert british > 1 and designs > 10
    url, httpd = serve(site)
    try:
        page = browser.new_page()
        page.goto(url + "studies/", wait_until="load")
        page.locator("[data-em-filter=text]").fill("uk")  # fetches every row, and the country names
        page.wait_for_function(f"document.querySelector('[data-em-count]').textContent === "
                               f"'{british} of 150 studies'")
        cells = page.locator("#em-studies tbody tr td:nth-child(3)").all_inner_texts()
        assert len(cells) == british
        assert all("United Kingdom" in c and c.endswith(" inferred") for c in cells), cells
        page.locator("[data-em-filter=text]").fill("")
        page.wait_for_function("document.querySelector('[data-em-count]').textContent.startsWith('150 of 150')")
        page.get_by_role("button", name="Show 50 more").click()
        design = page.locator("#em-studies tbody tr td:nth-child(4) .em-inferred")
        assert design.count() == designs
        title = design.first.get_attribute("title")
        assert title == "inferred by the map's authors, not stated by the source; the study's page says from what"
        page.close()
    finally:
        httpd.shutdown()
