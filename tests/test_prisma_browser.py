"""The PRISMA flow diagram on the methods page, measured in Chromium: no text clipped or spilling out of its box or
bar, light and dark; every arm within the content column at 1280 px, text at its full size; on a phone the diagram
scrolls inside its labelled frame, not the page; its text and links reach a screen reader."""

from __future__ import annotations

import shutil

import pytest

from conftest import ROOT, SITES, build, make_project, serve

SHOTS = ROOT / "test-artifacts" / "screenshots"
AXE = ROOT / "node_modules/axe-core/axe.min.js"

MEASURE = """() => {
  const svg = document.querySelector('svg.em-prisma');
  const frame = svg.closest('.em-prisma-wrap');
  const column = document.querySelector('.md-content__inner');
  const within = (a, b) => a.left >= b.left - 0.5 && a.right <= b.right + 0.5 &&
                           a.top >= b.top - 0.5 && a.bottom <= b.bottom + 0.5;
  const rgb = c => (c.match(/[\\d.]+/g) || []).slice(0, 3).map(Number);
  const lum = c => rgb(c).map(v => v / 255).map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)
                         .reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
  const contrast = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const whole = svg.getBoundingClientRect();
  const texts = [...svg.querySelectorAll('text')].map(t => {
    const rect = t.previousElementSibling;  // each text follows the rect of its box, bar or heading
    return {text: t.textContent, size: getComputedStyle(t).fontSize,
            inDiagram: within(t.getBoundingClientRect(), whole),
            inBox: [...(t.querySelectorAll('tspan').length ? t.querySelectorAll('tspan') : [t])]
                     .every(s => within(s.getBoundingClientRect(), rect.getBoundingClientRect())),
            contrast: contrast(getComputedStyle(t).fill, getComputedStyle(rect).fill)};
  });
  return {texts, svgWidth: whole.width, viewBoxWidth: svg.viewBox.baseVal.width,
          frameWidth: frame.clientWidth, frameScroll: frame.scrollWidth, column: column.clientWidth,
          frameLabel: frame.getAttribute('aria-label'), frameTabindex: frame.getAttribute('tabindex'),
          frameRole: frame.getAttribute('role'),
          pageOverflow: document.documentElement.scrollWidth - document.documentElement.clientWidth};
}"""


@pytest.fixture(scope="module")
def full_server(tmp_path_factory: pytest.TempPathFactory):
    """The fixture review with every optional arm (previous review, registers, other methods), built and served."""
    tmp = tmp_path_factory.mktemp("prisma-full")
    content = tmp / "content"
    shutil.copytree(SITES / "other/content", content)
    shutil.copy(SITES / "full/review.yml", content / "review.yml")
    result = build(make_project(tmp, content))
    assert result.returncode == 0, result.output
    url, httpd = serve(result.site)
    yield url
    httpd.shutdown()


@pytest.fixture(params=["bundled", "all-arms"])
def site(request, server):
    return request.param, server if request.param == "bundled" else request.getfixturevalue("full_server")


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 375])
def test_no_text_is_clipped_and_every_arm_fits(browser, site, scheme, width):
    name, url = site
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    page.goto(url + "methods/", wait_until="networkidle")
    figure = page.locator("figure.em-prisma-figure")
    SHOTS.mkdir(parents=True, exist_ok=True)
    figure.screenshot(path=str(SHOTS / f"prisma-{name}-{scheme}-{width}.png"))
    m = page.evaluate(MEASURE)
    texts = m["texts"]
    labels = [t["text"] for t in texts]
    assert "Included" in labels and "Identification" in labels and len(texts) >= 12
    assert [t["text"] for t in texts if not t["inDiagram"]] == []  # nothing cut off at the diagram's edge
    assert [t["text"] for t in texts if not t["inBox"]] == []  # nor spilling out of its box, bar or heading
    assert [t["text"] for t in texts if t["contrast"] < 4.5] == []  # readable on its box, light and dark
    assert {t["size"] for t in texts} == {"12px"}
    assert m["svgWidth"] == m["viewBoxWidth"]  # drawn at its natural size: never shrunk below 12 px text
    if width == 1280:
        assert m["svgWidth"] <= m["frameWidth"] <= m["column"]
        assert m["frameScroll"] <= m["frameWidth"]  # every arm in view, no sideways scrolling
    else:  # a phone scrolls the diagram inside a frame that says so, and a keyboard can scroll
        assert m["frameRole"] == "region" and "scrolls sideways" in m["frameLabel"] and m["frameTabindex"] == "0"
    assert m["pageOverflow"] <= 0
    context.close()


def test_the_diagram_text_and_links_reach_a_screen_reader(browser, full_server):
    page = browser.new_page()
    page.goto(full_server + "methods/")
    figure = page.get_by_role("figure")
    assert figure.count() == 1
    links = page.locator("figure.em-prisma-figure svg").get_by_role("link")  # not hidden inside an image role
    assert [" ".join(t.split()) for t in links.all_text_contents()] == [  # words apart, as read aloud
        "Reports excluded (n = 16): Wrong population (n = 10) Not an intervention (n = 6)",
        "Reports excluded (n = 4): Wrong setting (n = 4)",
        "Total studies included in review (n = 5) Reports of total included studies (n = 6)"]
    if AXE.is_file():
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate("async () => (await axe.run('figure.em-prisma-figure')).violations"
                                   ".map(v => v.id)")
        assert violations == []
    page.close()


def test_the_width_estimate_is_never_short_in_the_browsers_font(browser, server):
    """The layout wraps text by prisma_svg.text_width: it must be at least what Chromium draws, regular and bold,
    for every character the counts and the usual names are made of."""
    from generator.outputs.prisma_svg import FONT, text_width

    chars = "".join(chr(c) for c in range(33, 127)) + "\u00a0éøóÓ–—"
    page = browser.new_page()
    page.goto(server + "methods/")
    drawn = page.evaluate("""([chars, size]) => {
      const svg = document.querySelector('svg.em-prisma');
      const t = document.createElementNS('http://www.w3.org/2000/svg', 'text');
      svg.appendChild(t);
      const out = {};
      for (const weight of ['400', '700']) {
        t.style.fontWeight = weight;
        out[weight] = [...chars].map(c => { t.textContent = c.repeat(10); return t.getComputedTextLength() / 10; });
      }
      t.remove();
      return out;
    }""", [chars, FONT])
    page.close()
    short = [(c, bold) for bold, weight in ((False, "400"), (True, "700"))
             for c, width in zip(chars, drawn[weight], strict=True) if text_width(c, bold) < width - 0.01]
    assert short == [], short
