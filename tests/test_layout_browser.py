"""Nothing cut off: every kind of page at 1280 × 800, 1440 × 900 and 375 × 800, light and dark, in Chromium.

Content wider than the box that holds it is either in view or inside a frame that scrolls sideways, can be reached
with the keyboard, says what it holds and shows that there is more; the page itself never scrolls sideways."""

from __future__ import annotations

import pytest

from conftest import ROOT

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


def test_every_matrix_view_shows_every_column(server, page):
    visit(page, server, "matrix/")
    views = page.locator("[data-em-by] option").evaluate_all("os => os.map(o => o.value)")
    assert "year" in views and "participants" in views
    for view in views:
        page.locator("[data-em-by]").select_option(view)
        table = page.locator("[data-em-matrix-table]")
        heads = table.locator("thead th")
        assert heads.last.inner_text() == "All studies"
        if page.size in DESKTOP:  # the grid and its chart fit beside the navigation
            assert table.evaluate(FITS), view
            assert page.locator(".em-matrix-chart-wrap").evaluate(FITS), view
        for k in range(heads.count()):
            assert heads.nth(k).evaluate(IN_SIGHT), (view, heads.nth(k).inner_text())


def test_on_a_phone_the_heat_map_comes_before_the_filters(server, phone):
    visit(phone, server, "matrix/")
    chart = phone.locator(".em-matrix-chart-wrap").bounding_box()
    controls = phone.locator(".em-matrix-controls").bounding_box()
    assert chart["y"] < controls["y"]
    assert chart["y"] + chart["height"] / 2 < SIZES["375"][1]  # most of the grid in the first screen


def test_every_box_of_the_prisma_diagram_can_be_brought_into_view(server, page):
    visit(page, server, "methods/")
    boxes = page.locator("svg.em-prisma rect")
    assert boxes.count() >= 10
    for k in range(boxes.count()):
        assert boxes.nth(k).evaluate(IN_SIGHT), k
