"""The evidence matrix and the "At a glance" charts in Chromium, held to the reference counting in generator.outputs.matrix."""

from __future__ import annotations

from urllib.parse import parse_qs, urljoin, urlparse

import pytest
from test_accessibility import RUN_AXE, axe_path  # noqa: F401 (axe_path: the fixture that finds axe-core)

from conftest import ROOT
from generator.content import load_map
from generator.outputs import figures
from generator.outputs.matrix import count
from generator.outputs.paths import study_url, theme_url

SHOTS = ROOT / "test-artifacts" / "screenshots"
READ_TABLE = """() => {
  const t = document.querySelector('[data-em-matrix-table]');
  const cols = [...t.tHead.rows[0].cells].slice(1, -1).map(th => th.querySelector('button').dataset.col);
  const out = {};
  for (const tr of t.tBodies[0].rows) {
    const row = tr.cells[0].querySelector('button').dataset.row;
    [...tr.cells].slice(1, -1).forEach((td, j) => { out[row + '|' + cols[j]] = Number(td.textContent); });
    out[row + '|*'] = Number(tr.cells[tr.cells.length - 1].textContent);
  }
  const foot = [...t.tFoot.rows[0].cells];
  cols.forEach((c, j) => { out['*|' + c] = Number(foot[j + 1].textContent); });
  out['*|*'] = Number(foot[foot.length - 1].textContent);
  return out;
}"""
@pytest.fixture(scope="module")
def emap():
    return load_map(ROOT / "content")


def expected(emap, by, filters=None, years=(None, None)) -> dict[str, int]:
    c = count(emap, by, filters, years)
    out = {f"{t.id}|{v}": c.n(t.id, v) for t in emap.themes for v, _ in c.columns}
    out.update({f"{t.id}|*": len(c.rows[t.id]) for t in emap.themes})
    out.update({f"*|{v}": len(c.cols.get(v, ())) for v, _ in c.columns})
    out["*|*"] = len(c.total)
    return out


def listed(page) -> list[str]:
    hrefs = page.locator("[data-em-selection] .em-study-list a").evaluate_all("as => as.map(a => a.href)")
    return [h.rstrip("/").rsplit("/", 1)[-1] for h in hrefs]


@pytest.fixture()
def page(server, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("request", lambda r: None if r.url.startswith(server) else problems.append("request to " + r.url))
    page.goto(server + "matrix/")
    page.locator("[data-em-matrix-table]").wait_for()
    yield page
    context.close()
    assert problems == []


def test_every_column_dimension_counts_as_the_data_says(page, emap):
    assert page.locator("[data-em-count]").inner_text() == "11 of 11 studies"
    for by in emap.review.matrix_columns:
        page.get_by_label("Columns").select_option(by)
        want = expected(emap, by)
        assert page.evaluate(READ_TABLE) == want, by
        for view in ("Bubbles", "Numbers", "Heat map"):  # the same counts in every view
            page.get_by_role("button", name=view).click()
            assert page.evaluate(READ_TABLE) == want, (by, view)


def test_a_cell_a_theme_and_a_column_list_exactly_their_studies(page, emap):
    c = count(emap, "design")
    page.locator("[data-em-matrix-table] td button[data-row='outcomes'][data-col='qualitative']").click()
    assert listed(page) == list(c.cells[("outcomes", "qualitative")])
    assert page.locator("#em-selection-title").inner_text() == (
        f"Outcomes × Study design: Qualitative — {c.n('outcomes', 'qualitative')} studies")
    assert page.locator("#em-matrix .em-sr-only").text_content() == (  # announced to screen readers
        f"Listed below the table: Outcomes × Study design: Qualitative — {c.n('outcomes', 'qualitative')} studies")
    page.locator("[data-em-matrix-table] th button[data-row='challenges']").click()
    assert listed(page) == list(c.rows["challenges"])
    page.locator("[data-em-matrix-table] th button[data-col='mixed-methods']").click()
    assert listed(page) == list(c.cols["mixed-methods"])
    # each entry links to its study page, with the author–year and title
    first = emap.study(c.cols["mixed-methods"][0])
    assert page.locator("[data-em-selection] li").first.inner_text().startswith(f"Anghel & Ramon, 2009 — {first.title}")


def test_filters_update_every_count_and_the_url(page, emap):
    page.get_by_label("Columns").select_option("country")
    page.locator("summary", has_text="Study design").click()
    page.get_by_label("Qualitative").check()
    page.locator("summary", has_text="Participants").click()
    page.get_by_label("Carers").check()
    page.get_by_label("Students").check()
    filters = {"design": ["qualitative"], "participants": ["carers", "students"]}
    want = expected(emap, "country", filters)
    assert page.evaluate(READ_TABLE) == want
    assert page.locator("[data-em-count]").inner_text() == f"{want['*|*']} of 11 studies"
    page.get_by_label("From year").select_option("2014")
    assert page.evaluate(READ_TABLE) == expected(emap, "country", filters, (2014, None))
    query = parse_qs(urlparse(page.url).query)
    assert query == {"by": ["country"], "f-design": ["qualitative"], "f-participants": ["carers,students"],
                     "from": ["2014"]}
    page.get_by_role("button", name="Clear filters").click()
    assert page.evaluate(READ_TABLE) == expected(emap, "country")


def test_a_shared_url_restores_the_view_and_back_steps_through_changes(page, server, emap):
    page.goto(server + "matrix/?by=country&f-design=qualitative&row=outcomes&col=GB")
    filters = {"design": ["qualitative"]}
    assert page.evaluate(READ_TABLE) == expected(emap, "country", filters)
    assert page.get_by_label("Columns").input_value() == "country"
    assert page.get_by_label("Qualitative").is_checked()
    assert listed(page) == list(count(emap, "country", filters).cells[("outcomes", "GB")])
    page.locator("[data-em-matrix-table] th button[data-col='AU']").click()
    assert listed(page) == list(count(emap, "country", filters).cols["AU"])
    page.go_back()
    assert listed(page) == list(count(emap, "country", filters).cells[("outcomes", "GB")])
    assert page.locator("[data-em-matrix-table] button[aria-pressed='true']").get_attribute("data-col") == "GB"


def test_the_table_is_one_tab_stop_worked_with_arrow_keys_and_enter(page, emap):
    table = page.locator("[data-em-matrix-table]")
    assert table.locator("button[tabindex='0']").count() == 1
    table.locator("button[tabindex='0']").focus()  # the first column heading
    page.keyboard.press("ArrowDown")  # first theme, first column
    page.keyboard.press("ArrowRight")  # first theme, second column
    page.keyboard.press("Enter")
    first = emap.themes[0].id
    assert listed(page) == list(count(emap, "design").cells[(first, "mixed-methods")])
    focused = page.evaluate("[document.activeElement.dataset.row, document.activeElement.dataset.col]")
    assert focused == [first, "mixed-methods"]  # the keyboard stays on the cell after the table is redrawn


def test_listed_studies_and_themes_link_to_the_pages_the_site_has(page, server, bundled_build, emap):
    """The links come from the page's data (made by paths.py); each must reach the page MkDocs really wrote."""
    seen = set()
    for theme in emap.themes:
        page.locator(f"[data-em-matrix-table] th button[data-row='{theme.id}']").click()
        synthesis = page.get_by_role("link", name=f"Read the synthesis: {theme.title}").get_attribute("href")
        links = page.locator("[data-em-selection] .em-study-list a").evaluate_all("as => as.map(a => a.href)")
        ids = list(count(emap, "design").rows[theme.id])
        assert links == [server + study_url(i) for i in ids]
        assert urljoin(page.url, synthesis) == server + theme_url(theme.id)
        for url in [*links, urljoin(page.url, synthesis)]:
            assert (bundled_build.site / urlparse(url).path.lstrip("/") / "index.html").is_file(), url
        seen.update(ids)
    assert seen == {s.id for s in emap.studies}
    # and a reader gets there: a cell, then a study in it
    c = count(emap, "design")
    page.locator("[data-em-matrix-table] td button[data-row='outcomes'][data-col='qualitative']").click()
    first = emap.study(c.cells[("outcomes", "qualitative")][0])
    page.locator("[data-em-selection] .em-study-list a").first.click()
    page.wait_for_url(server + study_url(first.id))
    assert page.locator("h1").first.inner_text() == first.title


NOTHING = {"design": ["qualitative"], "methods": ["questionnaires"]}  # no bundled study has both


def filter_to_nothing(page, emap):
    assert count(emap, "design", NOTHING).total == ()  # else pick two other values that no study shares
    page.locator("summary", has_text="Study design").click()
    page.get_by_role("checkbox", name="Qualitative").check()
    page.locator("summary", has_text="Data collection").click()
    page.get_by_role("checkbox", name="Questionnaires").check()


def test_when_no_study_passes_the_filters_the_page_says_so_and_offers_to_clear_them(page, emap):
    filter_to_nothing(page, emap)
    status = page.locator("[data-em-count]")
    assert status.inner_text() == "No studies match these filters."
    assert status.get_attribute("role") == "status"  # a live region: screen readers hear it
    empty = page.locator("[data-em-empty]")
    assert empty.is_visible()
    # no grid of zeros, and no legend calling them gaps
    for part in ("[data-em-matrix-table]", "[data-em-legend]", "[data-em-selection]"):
        assert page.locator(part).is_hidden(), part
    assert page.get_by_text("Gap: no studies").is_hidden()
    empty.get_by_role("button", name="Clear filters").click()
    assert page.evaluate("document.activeElement.hasAttribute('data-em-count')")  # the keyboard is not lost
    assert status.inner_text() == "11 of 11 studies"
    assert empty.is_hidden()
    assert page.evaluate(READ_TABLE) == expected(emap, "design")
    assert page.locator("[data-em-legend]").is_visible()
    assert page.get_by_text("Gap: no studies").is_visible()
    assert page.get_by_role("button", name="Clear filters").count() == 0  # neither button shows
    assert urlparse(page.url).query == ""


def test_clear_filters_shows_only_while_a_filter_is_set(page):
    clear = page.locator(".em-matrix-filters .em-clear")
    assert clear.is_hidden()
    assert clear.evaluate("b => getComputedStyle(b).display") == "none"
    page.locator("summary", has_text="Country").click()
    page.get_by_label("Belgium").check()
    assert clear.is_visible()
    clear.click()
    assert clear.is_hidden()
    assert page.evaluate("document.activeElement.hasAttribute('data-em-count')")
    assert page.locator("[data-em-count]").inner_text() == "11 of 11 studies"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 375])
def test_screenshots(server, browser, axe_path, scheme, width):  # noqa: F811
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    page.goto(server + "matrix/?by=country&row=outcomes&col=GB")
    page.locator("[data-em-matrix-table]").wait_for()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"matrix-selected-{scheme}-{width}.png"), full_page=True)
    page.goto(server + "matrix/?" + "&".join(f"f-{d}={','.join(v)}" for d, v in NOTHING.items()))
    page.locator("[data-em-empty]").wait_for()
    page.screenshot(path=str(SHOTS / f"matrix-empty-{scheme}-{width}.png"), full_page=True)
    page.add_script_tag(path=str(axe_path))
    assert page.evaluate(RUN_AXE) == []  # the empty state too: no serious or critical problem
    context.close()


def test_without_scripts_the_table_still_gives_the_counts(server, browser, emap):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(server + "matrix/")
    c = count(emap, emap.review.matrix_columns[0])
    rows = page.locator(".em-matrix-table tbody tr").all_inner_texts()
    assert rows[0].split("\t") == [emap.themes[0].title] + [str(c.n(emap.themes[0].id, v)) for v, _ in c.columns] + [
        str(len(c.rows[emap.themes[0].id]))]
    context.close()


# Each section of "At a glance" as a reader meets it: its heading, what is drawn (a bar chart's bars, or the world
# map's countries with studies), and the table under it, row by row.
READ_GLANCE = """() => [...document.querySelectorAll('article h2')].map(h => {
  const fig = h.nextElementSibling;
  const chart = fig.querySelector('[data-em-chart]');
  const map = fig.querySelector('svg.em-wm-map');
  const trace = chart && chart.data ? chart.data[0] : null;
  return {
    title: h.textContent.replace(/\u00b6$/, ''), figure: fig.tagName,
    bars: trace ? (trace.orientation === 'h' ? trace.x : trace.y) : null,
    drawn: chart ? !!chart.querySelector('.main-svg') : null,
    map: map ? [...map.querySelectorAll('a[data-em-country]')].map(a => a.getAttribute('aria-label')) : null,
    table: [...fig.querySelectorAll('details.em-chart-table tbody tr')].map(tr =>
      [tr.cells[0].textContent, Number(tr.cells[1].textContent)]),
    open: fig.querySelector('details.em-chart-table') ? fig.querySelector('details.em-chart-table').open : null,
  };
})"""


def test_glance_charts_are_drawn_with_their_tables_behind_them(server, browser, emap):
    """Every section of "At a glance" has a chart (a bar chart, or the world map for countries) and its table, and
    what is drawn says what the table says."""
    page = browser.new_page()
    page.goto(server + "glance/")
    page.locator("[data-em-chart] .main-svg").first.wait_for()
    sections = page.evaluate(READ_GLANCE)
    assert [s["title"] for s in sections] == ["Studies by year", "Studies by country"] + [
        f"Studies by {f.label.lower()}" for f in emap.review.facets]
    for section in sections:
        assert section["figure"] == "FIGURE" and section["table"], section["title"]  # every chart has its table
        assert (section["bars"] is None) != (section["map"] is None), section["title"]  # and is a chart or the map
        if section["bars"] is not None:
            assert section["drawn"] and section["open"] is False, section["title"]  # folded once the chart is drawn
            assert section["bars"] == [n for _, n in section["table"]], section["title"]
        else:  # the map: each country drawn with studies is a row of its table, with the same number
            assert section["open"] is True  # the map has no bars to read: its table stays open beside it
            rows = {f"{name}: {n} stud{'y' if n == 1 else 'ies'}" for name, n in section["table"]}
            assert section["map"] and set(section["map"]) <= rows
    year, country = sections[0], sections[1]
    assert year["table"] == [[str(y), n] for y, n in figures.by_year(emap.studies)]
    assert [n for _, n in country["table"]] == [n for _, n in figures.by_country_code(emap.studies)]
    page.get_by_role("link", name="Belgium", exact=True).click()
    page.wait_for_url("**/matrix/?f-country=BE")
    assert page.locator("[data-em-count]").inner_text() == "1 of 11 studies"
    page.close()
