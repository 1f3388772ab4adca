"""The evidence and gap map in Chromium, on the egm fixture with 500 synthetic studies made at test time: for random
views (rows × columns × split × filters × open categories), every number the page shows equals the Python reference
(generator.outputs.matrix.count); categories open from the keyboard; segments list their studies; axe finds no
serious problem in light and dark; a phone can use it. Screenshots of the bubble and heat views."""

from __future__ import annotations

import random
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
from sites.egm.synthetic import copy_with_studies
from test_accessibility import RUN_AXE, axe_path  # noqa: F401 (axe_path: the fixture that finds axe-core)

from conftest import ROOT, build, make_project, serve
from generator.content import load_map
from generator.outputs.matrix import NOT_REPORTED, count, dimensions, segment_colours

SHOTS = ROOT / "test-artifacts" / "screenshots"
MATRIX = ("matrix:\n  rows: [intervention, themes, outcome]\n  columns: [outcome, design, country, year, appraisal, "
          "intervention]\n  segments: [design, appraisal, intervention]\n  status: {facet: status, ongoing: [ongoing]}\n")
# Every number of the table as the reader sees it: cells, totals, the +n of ongoing studies, each segment's count.
READ = """() => {
  const t = document.querySelector('[data-em-matrix-table]');
  const num = (node) => node ? Number(node.textContent.replace('+', '')) : 0;
  const out = {rows: [], cols: [], cells: {}, totals: {}};
  const cols = [...t.tHead.rows[0].cells].slice(1, -1).map(th => th.querySelector('button.em-cell').dataset.col);
  out.cols = cols;
  for (const tr of t.tBodies[0].rows) {
    const row = tr.cells[0].querySelector('button.em-cell').dataset.row;
    out.rows.push(row);
    [...tr.cells].slice(1, -1).forEach((td, j) => {
      const b = td.querySelector('button');
      const segs = {};
      b.querySelectorAll('.em-seg-n').forEach(s => { segs[s.dataset.seg] = Number(s.textContent); });
      out.cells[row + '|' + cols[j]] = [num(b.querySelector('.em-n')), num(b.querySelector('.em-later')), segs,
                                        td.classList.contains('em-cell-gap')];
    });
    const last = tr.cells[tr.cells.length - 1];
    out.totals[row + '|*'] = [Number(last.firstChild.textContent), num(last.querySelector('.em-later'))];
  }
  const foot = [...t.tFoot.rows[0].cells];
  cols.forEach((c, j) => { out.totals['*|' + c] = [Number(foot[j + 1].firstChild.textContent),
                                                   num(foot[j + 1].querySelector('.em-later'))]; });
  return out;
}"""


def served_gap_map(tmp, studies: int):
    """The egm fixture with `studies` synthetic studies and MATRIX's rows, columns and splits, built and served:
    yields (the site's address, the map). test_accessibility.py's keyboard test uses it too."""
    content = copy_with_studies(tmp / "content", studies)
    review = content / "review.yml"
    text = review.read_text("utf-8")
    review.write_text(text[:text.index("\nmatrix:\n") + 1] + MATRIX, "utf-8")
    result = build(make_project(tmp, content))
    assert result.returncode == 0, result.output
    url, httpd = serve(result.site)
    yield url, load_map(content)
    httpd.shutdown()


@pytest.fixture(scope="module")
def egm(tmp_path_factory):
    yield from served_gap_map(tmp_path_factory.mktemp("egm"), 500)


@pytest.fixture()
def page(egm, browser):
    url, _ = egm
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("request", lambda r: None if r.url.startswith(url) else problems.append("request to " + r.url))
    yield page
    context.close()
    assert problems == []


def visible_lines(emap, dim_id, lines, open_ids):
    """The reference's lines (every category open) as the page shows them: a code under a category only when open."""
    facet = next((f for f in emap.review.facets if f.id == dim_id), None)
    out = []
    for value, _, depth in lines:
        if depth and (facet.category_of(value).id not in open_ids):
            continue
        out.append(value)
    return out


def expected(emap, rows, by, split, filters, years, open_rows, open_cols):
    c = count(emap, by, filters, years, rows=rows, split=split)
    row_ids = visible_lines(emap, rows, c.row_lines, open_rows)
    # the columns as shown: the reference's, a category's codes only when it is open
    depth = {v: d for v, _, d in dimensions(emap)[by].lines(True)}
    col_ids = [v for v, _ in c.columns if not depth.get(v) or
               emap.review.facet(by).category_of(v).id in open_cols]
    cells = {}
    for r in row_ids:
        for k in col_ids:
            segs = {s: len(ids) for s, ids in c.segments.get((r, k), {}).items()} if split else {}
            n = c.n(r, k)
            cells[f"{r}|{k}"] = [n, c.n_ongoing(r, k), segs if n else {}, n == 0]
    totals = {f"{r}|*": [len(c.done(c.rows.get(r, ()))), len(c.rows.get(r, ())) - len(c.done(c.rows.get(r, ())))]
              for r in row_ids}
    totals.update({f"*|{k}": [len(c.done(c.cols.get(k, ()))), len(c.cols.get(k, ())) - len(c.done(c.cols.get(k, ())))]
                   for k in col_ids})
    return {"rows": row_ids, "cols": col_ids, "cells": cells, "totals": totals}


def random_view(rng: random.Random, emap) -> dict:
    dims = dimensions(emap)
    rows = rng.choice(list(emap.review.matrix_rows))
    by = rng.choice(list(emap.review.matrix_columns))
    split = rng.choice([*emap.review.matrix_segments, None])
    filters = {}
    for d in rng.sample(["intervention", "outcome", "design", "country", "appraisal", "status"], rng.randint(0, 2)):
        choices = [v for v, _ in dims[d].values] + [c.id for c in dims[d].categories] + [NOT_REPORTED]
        filters[d] = rng.sample(choices, rng.randint(1, 2))
    years = (rng.choice([None, 2000, 2010]), rng.choice([None, 2015, 2020]))
    open_rows = [c.id for c in dims[rows].categories if rng.random() < 0.4]
    open_cols = [c.id for c in dims[by].categories if rng.random() < 0.4]
    return {"rows": rows, "by": by, "split": split, "filters": filters, "years": years, "open_rows": open_rows,
            "open_cols": open_cols}


def query(v: dict) -> str:
    q = {"rows": v["rows"], "by": v["by"], "split": v["split"] or "none", "view": "table"}
    q.update({f"f-{d}": ",".join(vals) for d, vals in v["filters"].items()})
    if v["years"][0]:
        q["from"] = v["years"][0]
    if v["years"][1]:
        q["to"] = v["years"][1]
    if v["open_rows"]:
        q["open-rows"] = ",".join(v["open_rows"])
    if v["open_cols"]:
        q["open-cols"] = ",".join(v["open_cols"])
    return urlencode(q, safe=",")


def test_random_views_count_as_the_python_reference(page, egm):
    url, emap = egm
    rng = random.Random(22)
    for _ in range(12):
        v = random_view(rng, emap)
        page.goto(url + "matrix/?" + query(v))
        page.locator("[data-em-count]").wait_for()
        want = expected(emap, v["rows"], v["by"], v["split"], v["filters"], v["years"], v["open_rows"], v["open_cols"])
        if not count(emap, v["by"], v["filters"], v["years"], rows=v["rows"]).total:
            assert page.locator("[data-em-count]").inner_text() == "No studies match these filters."
            continue
        got = page.evaluate(READ)
        assert got["rows"] == want["rows"] and got["cols"] == want["cols"], v
        assert got["cells"] == want["cells"], v
        assert got["totals"] == want["totals"], v


def test_a_category_opens_and_closes_from_the_keyboard_and_the_url_keeps_it(page, egm):
    url, emap = egm
    page.goto(url + "matrix/")
    table = page.locator("[data-em-matrix-table]")
    table.locator("button[tabindex='0']").focus()
    toggle = table.locator("tbody button[data-toggle='training']")
    assert toggle.get_attribute("aria-expanded") == "false"
    page.keyboard.press("ArrowDown")  # from the first column heading to the first row's cell under it
    page.keyboard.press("Home")  # the first row's first button: its category's toggle
    assert page.evaluate("document.activeElement.dataset.toggle") == "training"
    page.keyboard.press("Enter")
    toggle = table.locator("tbody button[data-toggle='training']")
    assert toggle.get_attribute("aria-expanded") == "true"
    assert page.evaluate("document.activeElement.dataset.toggle") == "training"  # the keyboard is not lost
    codes = emap.review.facet("intervention").codes_of("training")
    rows = table.locator("tbody th button.em-cell").evaluate_all("bs => bs.map(b => b.dataset.row)")
    assert rows[:1 + len(codes)] == ["training", *codes]
    assert parse_qs(urlparse(page.url).query)["open-rows"] == ["training"]
    # a cell from the keyboard: right of the category's heading, then Enter lists its studies
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    col = page.evaluate("document.activeElement.dataset.col")
    c = count(emap, "outcome", rows="intervention", split="design")
    listed = page.locator("[data-em-selection] .em-study-list a").evaluate_all(
        "as => as.map(a => a.href.replace(/\\/$/, '').split('/').pop())")
    assert listed == list(c.done(c.cells.get(("training", col), ()))) + [
        i for i in c.cells.get(("training", col), ()) if i in c.ongoing]
    assert page.locator("#em-matrix .em-sr-only").text_content().startswith(
        "Listed below the table: Intervention: Training and education × Outcome: ")
    page.go_back()
    page.go_back()
    assert table.locator("tbody button[data-toggle='training']").get_attribute("aria-expanded") == "false"


def test_a_segment_of_a_cell_lists_exactly_its_studies(page, egm):
    url, emap = egm
    page.goto(url + "matrix/?row=guidance&col=employment")
    page.locator("[data-em-legend] button[data-seg='qualitative']").click()
    c = count(emap, "outcome", rows="intervention", split="design")
    want = c.segments[("guidance", "employment")]["qualitative"]
    listed = page.locator("[data-em-selection] .em-study-list a").evaluate_all(
        "as => as.map(a => a.href.replace(/\\/$/, '').split('/').pop())")
    assert listed == list(want) and want
    assert parse_qs(urlparse(page.url).query) == {"row": ["guidance"], "col": ["employment"], "seg": ["qualitative"]}
    title = page.locator("#em-selection-title").inner_text()
    assert title == (f"Intervention: Guidance and counselling × Outcome: Employment × Study design: Qualitative — "
                     f"{len(want)} studies")


def test_bubbles_are_never_too_small_to_see_and_gaps_are_marked_in_every_view(page, egm):
    url, emap = egm
    for view in ("bubble", "heat", "table"):
        page.goto(url + f"matrix/?by=appraisal&open-rows=enterprise&view={view}")
        page.locator("[data-em-matrix-table]").wait_for()
        cells = page.evaluate("""() => [...document.querySelectorAll('[data-em-matrix-table] td button.em-cell')]
          .map(b => [b.querySelector('.em-n').textContent, b.closest('td').classList.contains('em-cell-gap'),
                     b.getAttribute('aria-label'),
                     b.querySelector('svg') ? b.querySelector('svg').getBBox().width : null])""")
        assert any(gap for _, gap, _, _ in cells), view  # the fixture has gaps in this view
        for n, gap, label, width in cells:
            assert gap == (n == "0") and label.startswith("Gap: no ") == gap, view
            if view == "bubble" and n != "0":
                assert width >= 8, "a non-empty cell's bubble is at least 8 px across"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 375])
def test_screenshots_axe_and_a_phone(egm, browser, axe_path, scheme, width):  # noqa: F811
    url, _ = egm
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    SHOTS.mkdir(parents=True, exist_ok=True)
    for view, split in (("bubble", "design"), ("heat", "design"), ("bubble", "appraisal")):
        page.goto(url + f"matrix/?view={view}&split={split}&open-rows=guidance&row=guidance&col=employment")
        page.locator("[data-em-matrix-table]").wait_for()
        # what a reader sees at this size, from the key down (the table and its colours), not the whole page
        page.locator("[data-em-legend]").evaluate("e => window.scrollTo(0, e.getBoundingClientRect().top + "
                                                  "window.scrollY - 60)")
        name = view if split == "design" else f"{view}-{split}"
        page.screenshot(path=str(SHOTS / f"gapmap-{name}-{scheme}-{width}.png"))
        page.add_script_tag(path=str(axe_path))
        assert page.evaluate(RUN_AXE) == [], view
        # usable on a phone: the page does not scroll sideways (the table does, in its frame), every control fits
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        first = page.locator("[data-em-matrix-table] td button.em-cell").first
        first.click()
        assert page.locator("#em-selection-title").inner_text() != "Studies"
    context.close()


def test_appraisal_has_one_ordered_scale_in_the_matrix_key_its_bubbles_and_the_glance_chart(page, egm):
    """Ranked levels take steps of one sequential scale, darkest first, "not appraised" grey: the same colours in
    the matrix's key, in the bubbles' segments and in the glance page's chart."""
    url, emap = egm
    dim = dimensions(emap)["appraisal"]
    colours = segment_colours(dim)
    want = {v: "rgb({}, {}, {})".format(*(int(colours[v][i:i + 2], 16) for i in (1, 3, 5)))
            for v in (*dim.top(), NOT_REPORTED)}
    page.goto(url + "matrix/?split=appraisal&view=bubble")
    page.locator("[data-em-matrix-table]").wait_for()
    key = page.evaluate("""() => [...document.querySelectorAll('[data-em-legend] button[data-seg]')].map(b =>
      [b.dataset.seg, getComputedStyle(b.querySelector('.em-swatch')).backgroundColor, b.textContent])""")
    assert key == [[v, want[v], dim.label_of(v)] for v in (*dim.top(), NOT_REPORTED)]
    fills = page.evaluate("""() => [...document.querySelectorAll('[data-em-matrix-table] svg [data-seg]')].map(p =>
      [p.dataset.seg, getComputedStyle(p).fill])""")
    assert fills and all(fill == want[seg] for seg, fill in fills)
    # a study has one rating at most: the key's note does not say that one with two is in both segments
    note = page.locator(".em-chart-note").inner_text()
    assert note.startswith("A bubble's area is the number of studies in its cell; its colours split them by "
                           "appraisal.") and "two values" not in note
    page.goto(url + "glance/")
    page.locator("#by-appraisal + figure [data-em-chart] .main-svg").first.wait_for()
    bars = page.evaluate("""() => [...document.querySelectorAll('#by-appraisal + figure .main-svg .point path')]
      .map(p => getComputedStyle(p).fill)""")
    assert bars == [want[v] for v in (*dim.top(), NOT_REPORTED)]


def test_descriptions_from_review_yml_describe_headings_and_the_selection(page, egm):
    """A category's, a code's, a rating's and a facet's description reach the reader: as the heading's accessible
    description (aria-describedby, not a tooltip), in the list folded under the key, and under the selection."""
    url, emap = egm
    facet = emap.review.facet("intervention")
    page.goto(url + "matrix/?by=appraisal&split=none&open-rows=work-experience")
    page.locator("[data-em-matrix-table]").wait_for()
    described = page.evaluate("""() => Object.fromEntries([...document.querySelectorAll(
        '[data-em-matrix-table] th button.em-cell')].map(b => [b.dataset.row || b.dataset.col,
        b.hasAttribute('aria-describedby') ? document.getElementById(b.getAttribute('aria-describedby')).textContent
                                            : null]))""")
    assert described["training"] == facet.description_of("training")  # a category
    assert described["supported-employment"] == facet.description_of("supported-employment")  # a code, shown open
    assert described["multi-component"] == facet.description_of("multi-component")  # a code outside categories
    assert described["guidance"] is None  # no description: nothing made up
    for level in emap.review.appraisal.levels:  # the columns: each rating's definition
        assert described[level.id] == level.description
    about = page.locator("[data-em-legend] details.em-about")
    assert about.locator("summary").inner_text() == "What the rows and columns mean"
    about.locator("summary").click()
    text = about.inner_text()
    assert facet.description in text and "Courses, workshops and modules that build skills." in text
    # the selection says what its values mean, under its heading
    page.locator("[data-em-matrix-table] tbody th button[data-row='training']").click()
    meant = page.locator("[data-em-selection] dl.em-selection-about")
    assert meant.locator("dt").all_inner_texts() == ["Training and education"]
    assert meant.locator("dd").all_inner_texts() == [facet.description_of("training")]
