"""A map without themes, as an EPPI-Reviewer gap map is imported (issue 21): the egm fixture with its themes/ folder
and every study's `themes:` taken out, and 40 synthetic studies. It builds strictly; the matrix shows the first facet
against the next by default; no page says "0 themes", has an empty section or a Themes entry in its navigation.
Screenshots of the home page and the matrix in test-artifacts/screenshots."""

from __future__ import annotations

import shutil

import pytest
import yaml
from sites.egm.synthetic import FIXTURE, write_studies

from conftest import ROOT, build, make_project, serve
from generator.content import load_map
from generator.outputs.matrix import axes, count, default_labels, dimensions

SHOTS = ROOT / "test-artifacts" / "screenshots"
PAGES = ("", "matrix/", "glance/", "themes/", "studies/", "methods/", "downloads/", "whats-new/",
         "studies/osei-2021/")
# Every heading (h2, h3) of the page's article that nothing follows before the next heading of its level or above.
EMPTY_SECTIONS = """() => {
  const level = (n) => /^H[1-6]$/.test(n.tagName) ? Number(n.tagName[1]) : 9;
  return [...document.querySelectorAll('article h2, article h3')].filter(h => {
    let next = h.nextElementSibling;
    while (next && !next.textContent.trim() && !next.querySelector('img, svg, table') && level(next) === 9) {
      next = next.nextElementSibling;
    }
    return !next || level(next) <= level(h);
  }).map(h => h.textContent);
}"""


def without_themes(content):
    """A copy of the egm fixture as an import without themes writes it: no themes/ folder, no study's `themes:`."""
    shutil.copytree(FIXTURE, content)
    shutil.rmtree(content / "themes")
    for path in (content / "studies").glob("*.yml"):
        study = yaml.safe_load(path.read_text("utf-8"))
        study.pop("themes", None)
        path.write_text(yaml.safe_dump(study, allow_unicode=True, sort_keys=False), "utf-8")
    return content


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("nothemes")
    content = without_themes(tmp / "content")
    write_studies(content, 40)
    result = build(make_project(tmp, content))
    assert result.returncode == 0, result.output  # mkdocs build --strict
    assert "WARNING" not in result.output
    url, httpd = serve(result.site)
    yield url, load_map(content), result
    httpd.shutdown()


def test_the_default_view_is_the_first_facet_against_the_next(tmp_path):
    content = without_themes(tmp_path / "content")
    review = content / "review.yml"
    text = review.read_text("utf-8")
    emap = load_map(content)
    assert emap.themes == () and "themes" not in dimensions(emap)
    rows, columns = axes(emap)
    assert rows[0] == "intervention" and "themes" not in rows  # the first facet
    assert columns == ("outcome", "design", "status", "country", "year")  # review.yml's columns, themes nowhere
    # without a matrix section: the first facet in rows, the next in columns
    review.write_text(text[:text.index("\nmatrix:\n") + 1], "utf-8")
    rows, columns = axes(load_map(content))
    assert (rows[0], columns[0]) == ("intervention", "outcome")
    assert default_labels(load_map(content)) == ("Intervention", "Outcome")
    # columns that begin with the first facet: the next of them, so the default is never a facet against itself
    review.write_text(text.replace("columns: [outcome, design,", "columns: [intervention, design,"), "utf-8")
    assert axes(load_map(content))[1][:2] == ("design", "intervention")
    # review.yml's rows naming themes, which the map does not have: the same default
    review.write_text(text.replace("matrix:\n", "matrix:\n  rows: [themes]\n"), "utf-8")
    assert axes(load_map(content))[0][0] == "intervention"


def test_a_map_with_themes_keeps_themes_in_rows():
    emap = load_map(ROOT / "content")
    assert axes(emap) == (emap.review.matrix_rows, emap.review.matrix_columns) and axes(emap)[0] == ("themes",)


def test_the_matrix_shows_facet_by_facet_and_counts_as_the_reference(site, browser):
    url, emap, _ = site
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(url + "matrix/")
    table = page.locator("[data-em-matrix-table]")
    table.wait_for()
    assert page.get_by_label("Rows").input_value() == "intervention"
    assert page.get_by_label("Columns").input_value() == "outcome"
    assert "themes" not in page.get_by_label("Rows").evaluate("s => [...s.options].map(o => o.value)")
    c = count(emap, "outcome", rows="intervention")
    rows = table.locator("tbody th button.em-cell").evaluate_all("bs => bs.map(b => b.dataset.row)")
    assert rows == [v for v, _, depth in c.row_lines if not depth]  # categories closed, "not reported" last
    first = table.locator("tbody tr").first.locator("td button.em-cell").evaluate_all(
        "bs => bs.map(b => Number(b.querySelector('.em-n').textContent))")
    cols = table.locator("thead th button.em-cell").evaluate_all("bs => bs.map(b => b.dataset.col)")
    assert first == [c.n(rows[0], col) for col in cols]
    assert page.locator("h1").inner_text() == "Evidence matrix"
    assert "Each row is a theme" not in page.locator("article").inner_text()
    page.close()
    # and without scripts: the same default table
    context = browser.new_context(java_script_enabled=False)
    plain = context.new_page()
    plain.goto(url + "matrix/")
    assert plain.locator(".em-matrix-table caption").inner_text() == "Studies by intervention and outcome"
    context.close()


def test_no_page_says_0_themes_or_has_an_empty_section_or_a_themes_entry(site, browser):
    url, _, _ = site
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    for path in PAGES:
        page.goto(url + path)
        text = page.locator("article").inner_text()
        assert "0 themes" not in text and "0 theme" not in text, path
        assert page.evaluate(EMPTY_SECTIONS) == [], path
        nav = page.locator("nav.md-nav--primary a").evaluate_all("as => as.map(a => a.textContent.trim())")
        assert "Themes" not in nav and "Evidence matrix" in nav, path
    page.goto(url)
    figures = page.locator(".em-figure").all_inner_texts()
    assert [f.split()[-1] for f in figures] == ["studies", "countries", "published"]  # no "0 themes"
    cards = page.locator(".em-card-title").all_inner_texts()
    assert "Themes" not in cards
    assert page.locator(".em-card", has_text="Evidence matrix").inner_text().endswith(
        "Intervention against outcome, or any two study characteristics: where the evidence is, and where the gaps "
        "are.")
    # the themes index, for an old link, says there are none and where to go
    page.goto(url + "themes/")
    assert page.locator("article p").first.inner_text().startswith("This map has no themes")
    page.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshots_of_home_and_matrix(site, browser, scheme):
    url, _, _ = site
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    SHOTS.mkdir(parents=True, exist_ok=True)
    for name, path in (("home", ""), ("matrix", "matrix/")):
        page.goto(url + path)
        if name == "matrix":
            page.locator("[data-em-matrix-table]").wait_for()
        page.screenshot(path=str(SHOTS / f"no-themes-{name}-{scheme}-1280.png"))
    context.close()
