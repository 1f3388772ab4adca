"""Nothing cut off: every kind of page at 1280 × 800, 1440 × 900 and 375 × 800, light and dark, in Chromium.

Content wider than the box that holds it is either in view or inside a frame that scrolls sideways, can be reached
with the keyboard, says what it holds and shows that there is more; the page itself never scrolls sideways."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from test_accessibility import gap_map  # noqa: F401 (the fixture: a map with every part of the matrix's controls)

from conftest import ROOT
from generator.outputs.matrix import count, dimensions

SHOTS = ROOT / "test-artifacts" / "screenshots"
SIZES = {"1280": (1280, 800), "1440": (1440, 900), "375": (375, 800)}
DESKTOP = ["1280", "1440"]
# Every kind of generated page (a study and a theme stand for the others), a matrix view per long set of columns,
# and every hand-written page (docs/*.md), so a new one is measured without a change here.
GENERATED = ["studies/anghel-ramon-2009/", "themes/", "themes/challenges/", "studies/", "matrix/", "matrix/?by=year",
             "matrix/?by=participants", "glance/", "methods/", "downloads/", "whats-new/"]
HAND_WRITTEN = ["" if p.stem == "index" else f"{p.stem}/" for p in sorted((ROOT / "docs").glob("*.md"))]
PAGES = list(dict.fromkeys(HAND_WRITTEN + GENERATED))  # docs/methods.md is the page the methods are generated into
SHOWN = ["studies/", "matrix/?by=year", "matrix/?by=participants", "glance/", "methods/", "performance/"]  # screenshots

# Each box whose content is wider than it, and what is wrong: content cut off (the box hides its overflow), or a
# frame that scrolls but cannot be reached with the keyboard, has no name, or gives no sign that there is more.
# Left out: boxes wholly off screen (the closed navigation drawer on a phone) and the site name in Material's header,
# which it shortens with an ellipsis by design (the full name heads the home page and every page's title).
CUT_OFF = """() => {
  const out = [];
  const describe = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
    (typeof e.className === 'string' && e.className.trim() ? '.' + e.className.trim().split(/\\s+/).join('.') : '');
  for (const e of document.body.querySelectorAll('*')) {
    const s = getComputedStyle(e), box = e.getBoundingClientRect();
    if (s.overflowX === 'visible' || e.scrollWidth <= e.clientWidth + 1 || e.clientWidth === 0) continue;
    if (box.right <= 0 || box.left >= innerWidth || e.closest('.md-header .md-ellipsis')) continue;
    const what = describe(e) + ` (${e.scrollWidth - e.clientWidth}px more)`;
    if (s.overflowX === 'hidden' || s.overflowX === 'clip') { out.push(what + ': cut off'); continue; }
    const name = (e.getAttribute('aria-label') || '').trim() ||
      (e.getAttribute('aria-labelledby') || '').split(' ').map(id => document.getElementById(id))
        .filter(Boolean).map(n => n.textContent.trim()).join(' ');
    if (e.tabIndex < 0) out.push(what + ': scrolls but cannot be reached with the keyboard');
    if (!name || !e.getAttribute('role')) out.push(what + ': scrolls but has no role and name');
    if (!s.backgroundImage.includes('gradient')) out.push(what + ': scrolls with no sign that there is more');
  }
  return out;
}"""
PAGE_SCROLL = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
# Whether both ends of `el` can be brought into sight, scrolling its frames and the page: its left edge, then its
# right edge (one at a time, for a box wider than the window), each inside the window and every box around it that
# clips.
IN_SIGHT = """el => {
  const clips = [];
  for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
    if (getComputedStyle(a).overflowX !== 'visible') clips.push(a);
  }
  const seen = edge => {
    const r = el.getBoundingClientRect(), x = edge(r);
    return [{left: 0, top: 0, right: innerWidth, bottom: innerHeight}, ...clips.map(a => a.getBoundingClientRect())]
      .every(o => x >= o.left - 1 && x <= o.right + 1 && r.top >= o.top - 1 && r.bottom <= o.bottom + 1);
  };
  el.scrollIntoView({block: 'center', inline: 'start'});
  const left = seen(r => r.left);
  el.scrollIntoView({block: 'center', inline: 'end'});
  return left && seen(r => r.right);
}"""
FITS = "el => el.scrollWidth <= el.clientWidth + 1"


def open_page(browser, size: str, scheme: str):
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme)
    p = context.new_page()
    p.size, p.scheme = size, scheme
    return context, p


@pytest.fixture(params=[(s, c) for s in SIZES for c in ("light", "dark")], ids=lambda p: f"{p[0]}-{p[1]}")
def page(request, browser):
    context, p = open_page(browser, *request.param)
    yield p
    context.close()


@pytest.fixture(params=["light", "dark"])
def phone(request, browser):
    context, p = open_page(browser, "375", request.param)
    yield p
    context.close()


def visit(page, server, path: str) -> None:
    """Open a page and wait until it is drawn: its scripts have run (load), and two frames have been painted since
    (the page scripts draw, then scroll-frames.js looks at what they drew)."""
    page.goto(server + path, wait_until="load")
    page.evaluate("() => document.fonts.ready.then(() => new Promise(done => requestAnimationFrame(() => "
                  "requestAnimationFrame(done))))")


def test_nothing_is_cut_off_and_the_page_never_scrolls_sideways(server, page):
    SHOTS.mkdir(parents=True, exist_ok=True)
    found = {}
    for path in PAGES:
        visit(page, server, path)
        if path in SHOWN:  # for a person to look at (CI keeps test-artifacts/)
            name = path.strip("/").replace("/", "_").replace("?", "_")
            page.screenshot(path=str(SHOTS / f"layout-{name}-{page.scheme}-{page.size}.png"))
        problems = page.evaluate(CUT_OFF)
        if (overflow := page.evaluate(PAGE_SCROLL)) > 0:
            problems.append(f"the page scrolls sideways by {overflow}px")
        if problems:
            found[path or "home"] = problems
    assert found == {}, found


def test_the_studies_table_shows_its_last_column(server, page):
    visit(page, server, "studies/")
    last = page.locator("#em-studies thead th").last
    assert last.inner_text().startswith("Themes")
    if page.size in DESKTOP:  # the whole table, with no scrolling: the page has room for it
        assert page.locator("#em-studies").evaluate("t => t.getBoundingClientRect().right <= innerWidth")
        assert page.locator(".em-table-wrap:has(#em-studies)").evaluate(FITS)
    assert last.evaluate(IN_SIGHT)


# The matrix's table frame, if it scrolls: reachable with the keyboard, named after what it shows now (its caption:
# the table is redrawn for each view), and showing that there is more.
MATRIX_FRAME = """() => {
  const frame = document.querySelector('[data-em-table]'), caption = frame.querySelector('caption');
  if (frame.scrollWidth <= frame.clientWidth + 1) return [];
  const out = [], name = frame.getAttribute('aria-label') || '';
  if (frame.tabIndex < 0) out.push('scrolls but cannot be reached with the keyboard');
  if (frame.getAttribute('role') !== 'region') out.push('scrolls but is not a region');
  if (!name.startsWith(caption.textContent.trim() + ' ')) out.push(`named "${name}", not after its caption`);
  if (!getComputedStyle(frame).backgroundImage.includes('gradient')) out.push('scrolls with no sign of more');
  return out;
}"""


def matrix_view_problems(page, view) -> list:
    """What keeps a reader from a heading of the matrix's table in its present view: the last column is not
    'All studies', a column heading cannot be brought into sight, the table's frame scrolls without a way in, a name
    or a cue, or the page scrolls sideways."""
    table = page.locator("[data-em-matrix-table]")
    heads = table.locator("thead th")
    found = [f"{view}: the last column is {heads.last.inner_text()!r}"] if heads.last.inner_text() != "All studies" else []
    found += [f"{view}: {p}" for p in page.evaluate(MATRIX_FRAME)]
    if (overflow := page.evaluate(PAGE_SCROLL)) > 0:
        found.append(f"{view}: the page scrolls sideways by {overflow}px")
    for k in range(heads.count()):
        if not heads.nth(k).evaluate(IN_SIGHT):
            found.append(f"{view}: column heading {heads.nth(k).inner_text()!r} cannot be brought into sight")
    return found


def test_every_matrix_view_shows_every_column(server, page):
    """The bundled map: every choice of rows and of columns, in bubbles, heat map and numbers, chosen with the page's
    own pickers. At 1280 and 1440 px the whole table is in view; at 375 px it may scroll inside its frame."""
    visit(page, server, "matrix/")
    pick = {axis: page.locator(f"[data-em-pick={axis}]") for axis in ("rows", "cols")}
    choices = {axis: field.locator("option").evaluate_all("os => os.map(o => [o.value, o.textContent])")
               for axis, field in pick.items()}
    assert {"year", "participants"} <= {v for v, _ in choices["cols"]}  # the widest sets of columns
    views = page.locator("[data-em-view]").evaluate_all("bs => bs.map(b => b.dataset.emView)")
    assert views == ["bubble", "heat", "table"]
    found = []
    for rows, rows_label in choices["rows"]:
        pick["rows"].select_option(rows)
        for cols, cols_label in choices["cols"]:
            pick["cols"].select_option(cols)
            for view in views:
                page.locator(f"[data-em-view={view}]").click()
                table = page.locator("[data-em-matrix-table]")
                assert f"em-view-{view}" in table.get_attribute("class")  # the view asked for is the one measured
                assert table.locator("caption").inner_text() == f"Studies by {rows_label.lower()} and {cols_label.lower()}"
                if page.size in DESKTOP and not page.locator("[data-em-table]").evaluate(FITS):
                    found.append(f"{rows} × {cols} as {view}: the table does not fit beside the navigation")
                found += matrix_view_problems(page, f"{rows} × {cols} as {view}")
    assert found == []


@pytest.mark.parametrize("size", ["1280", "375"])
def test_every_gap_map_view_shows_every_column_with_every_category_open(gap_map, browser, size):  # noqa: F811
    """Rows × columns × views of a map whose columns are wider than any screen (two dozen countries, or a facet's
    categories open to their codes): every heading can be brought into sight, scrolling the table's frame, which can
    be reached with the keyboard, says what it shows and shows that there is more."""
    url, emap = gap_map
    context, page = open_page(browser, size, "light")
    dims = dimensions(emap)
    found = []
    for rows in emap.review.matrix_rows:
        for cols in emap.review.matrix_columns:
            opened = {"open-rows": ",".join(c.id for c in dims[rows].categories),
                      "open-cols": ",".join(c.id for c in dims[cols].categories)}
            visit(page, url, "matrix/?" + urlencode({"rows": rows, "by": cols, **opened}, safe=","))
            heads = page.locator("[data-em-matrix-table] thead th button.em-cell")
            shown = heads.evaluate_all("bs => bs.map(b => b.dataset.col)")
            assert shown == [v for v, _ in count(emap, cols, rows=rows).columns], (rows, cols)  # every category open
            for view in ("bubble", "heat", "table"):
                page.locator(f"[data-em-view={view}]").click()
                found += matrix_view_problems(page, f"{rows} × {cols} as {view}")
    context.close()
    assert found == []


def test_on_a_phone_the_map_comes_before_its_pickers_and_filters(server, gap_map, phone):  # noqa: F811
    """On a phone the table, under its key, comes right after the page's lead: a reader reaches the map without
    scrolling past the pickers and filters (400 px and more of them), and its column headings are in the first screen,
    on the bundled map and on a gap map whose key lists a split. How to use the table sits under it; the pickers and
    filters follow the studies listed, and the count of studies the filters leave comes after them, where the reader
    who has just set a filter is."""
    for site in (server, gap_map[0]):
        visit(phone, site, "matrix/")
        top = {part: phone.locator(f"#em-matrix > {selector}").evaluate("e => e.getBoundingClientRect().top + scrollY")
               for part, selector in [("key", "[data-em-legend]"), ("table", "[data-em-table]"),
                                      ("how", ".em-matrix-hint"), ("list", "[data-em-selection]"),
                                      ("pickers", ".em-matrix-controls"), ("count", "[data-em-count]")]}
        assert sorted(top, key=top.get) == ["key", "table", "how", "list", "pickers", "count"], site
        headings = phone.locator("[data-em-matrix-table] thead").bounding_box()
        assert headings["y"] + headings["height"] <= SIZES["375"][1], site  # in the first screen


def test_every_box_of_the_prisma_diagram_can_be_brought_into_view(server, page):
    visit(page, server, "methods/")
    boxes = page.locator("svg.em-prisma rect")
    assert boxes.count() >= 10
    for k in range(boxes.count()):
        assert boxes.nth(k).evaluate(IN_SIGHT), k
