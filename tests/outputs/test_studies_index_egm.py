"""An evidence and gap map built as a user builds it (tests/sites/egm with 500 synthetic studies): the study page
shows each code after its category and the appraisal, the methods page explains the ratings, and the studies index
filters by a category (any of its codes) and by rating, with the keyboard, in Chromium; axe finds no serious
problem on those pages."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from sites.egm.synthetic import copy_with_studies
from test_accessibility import RUN_AXE, axe_path  # noqa: F401 (a fixture)

from conftest import SITES, build, make_project, serve
from generator.content import load_map
from htmlcheck import page_text

N_SYNTHETIC = 500


@pytest.fixture(scope="module")
def egm(tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("egm")
    content = copy_with_studies(tmp / "content", N_SYNTHETIC)
    result = build(make_project(tmp, content))
    assert result.returncode == 0, result.output
    url, httpd = serve(result.site)
    yield result.site, url, load_map(content)
    httpd.shutdown()


def test_the_study_page_shows_codes_under_their_category_and_the_appraisal(egm):
    site, _, _ = egm
    text = page_text(site / "studies/osei-2021/index.html")
    assert "Intervention Training and education › Workshops; Guidance and counselling › Mentoring" in text
    assert ("Appraisal Rating High confidence: The study's methods leave little doubt about its findings. "
            "Tool Confidence in study findings (fixture tool) Why Randomised with low attrition (6%); outcomes "
            "from , not self-report. How to read the ratings") in text  # <records> sanitised away, as in a summary
    html = (site / "studies/osei-2021/index.html").read_text(encoding="utf-8")
    assert '<a href="https://example.org/appraisal-tool">Confidence in study findings (fixture tool)</a>' in html
    assert '<a href="../../methods/#how-to-read-the-ratings">How to read the ratings</a>' in html
    assert "Rating not appraised" in page_text(site / "studies/haddad-2023/index.html")


def test_the_methods_page_explains_the_ratings(egm):
    site, _, _ = egm
    text = page_text(site / "methods/index.html")
    assert "How to read the ratings The map's authors rated each study with Confidence in study findings" in text
    assert ("Rating What it means High confidence The study's methods leave little doubt about its findings. "
            "Medium confidence") in text


def test_a_map_without_appraisal_shows_nothing_of_it(other_build):
    for page in ("studies/silva-2020/index.html", "studies/index.html", "methods/index.html"):
        assert not re.search("apprais|ratings", page_text(other_build.site / page), re.I), page


def test_the_index_menu_groups_codes_by_category(egm):
    site, _, _ = egm
    html = (site / "studies/index.html").read_text(encoding="utf-8")
    menu = html[html.index('data-em-filter="intervention"'):]
    menu = menu[:menu.index("</select>")]
    assert re.findall(r'<optgroup label="([^"]+)">', menu) == [
        "Training and education", "Guidance and counselling", "Work experience", "Subsidies and incentives",
        "Enterprise support", "Services and systems"]
    assert ('<option value="enterprise" data-em-codes="start-up-grants microfinance business-training incubators '
            'enterprise-mentoring">All in Enterprise support</option>') in menu
    rows = json.loads((site / "studies/index.json").read_text(encoding="utf-8"))
    assert rows["facets"][-1] == "_appraisal"  # the rating after the facets, as the page's columns


def _count(page) -> str:
    return page.locator("[data-em-count]").inner_text()


def test_filtering_by_a_category_or_a_rating_counts_as_python_does(egm, browser):
    _, url, emap = egm
    intervention = emap.review.facet("intervention")
    page = browser.new_page()
    page.goto(url + "studies/")
    total = len(emap.studies)
    for category in intervention.categories:
        codes = set(intervention.codes_of(category.id))
        expected = sum(1 for s in emap.studies if codes & set(s.facets["intervention"] or ()))
        page.select_option("[data-em-filter=intervention]", category.id)
        page.wait_for_function("document.querySelector('[data-em-count]').textContent.includes(' of ')")
        assert _count(page).startswith(f"{expected:,} of {total:,} studies"), category.id
    page.select_option("[data-em-filter=intervention]", "")
    for rating in ("critically-low", "-"):
        expected = sum(1 for s in emap.studies if (s.appraisal.rating if s.appraisal else "-") == rating)
        page.select_option("[data-em-filter=_appraisal]", rating)
        assert _count(page).startswith(f"{expected:,} of {total:,} studies"), rating
    # the rows the script builds show the rating, or that the study was not appraised
    assert page.locator("#em-studies tbody tr").first.locator("td").nth(-2).inner_text() == "not appraised"
    page.close()


def test_keyboard_alone_chooses_a_category(egm, browser):
    _, url, emap = egm
    page = browser.new_page()
    page.goto(url + "studies/")
    page.focus("[data-em-filter=intervention]")
    page.keyboard.press("ArrowDown")  # the first choice after All: the first category as a whole
    assert page.eval_on_selector("[data-em-filter=intervention]", "s => s.value") == "training"
    codes = set(emap.review.facet("intervention").codes_of("training"))
    expected = sum(1 for s in emap.studies if codes & set(s.facets["intervention"] or ()))
    page.wait_for_function("document.querySelector('[data-em-count]').textContent.includes(' of ')")
    assert _count(page).startswith(f"{expected:,} of")
    page.close()


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_problem_on_the_pages_that_show_categories_and_ratings(egm, browser, axe_path,  # noqa: F811
                                                                                    scheme, width):
    _, url, _ = egm
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    found = {}
    for path in ("studies/osei-2021/", "studies/haddad-2023/", "studies/", "methods/"):
        page.goto(url + path, wait_until="load")
        page.add_script_tag(path=str(axe_path))
        if violations := page.evaluate(RUN_AXE):
            found[path] = violations
    context.close()
    assert found == {}


def test_the_fixture_helper_adds_the_studies_it_says(tmp_path: Path):
    content = copy_with_studies(tmp_path / "content", 30, seed=1)
    assert len(list((content / "studies").glob("*.yml"))) == 30 + len(list((SITES / "egm/content/studies").glob("*")))
    assert len(load_map(content).studies) == 35
