"""Scripts served from the site: the vendored plotly is the pinned one, and only pages that chart with it load it."""

import hashlib
import re

from conftest import ROOT
from generator.outputs.paths import MATRIX_SCRIPTS

VENDOR = ROOT / "generator/assets/vendor"


def test_vendored_plotly_is_the_pinned_release():
    table = (VENDOR / "README.md").read_text(encoding="utf-8")
    pinned = re.search(r"`plotly-cartesian\.min\.js` \| npm `plotly\.js-cartesian-dist-min` \| ([\d.]+) \|.*`([0-9a-f]{64})`",
                       table)
    assert pinned, "the vendor table names the file, its version and its sha256"
    data = (VENDOR / "plotly-cartesian.min.js").read_bytes()
    assert hashlib.sha256(data).hexdigest() == pinned.group(2)
    assert f"plotly.js (cartesian - minified) v{pinned.group(1)}".encode() in data[:200]


def test_only_pages_that_chart_load_plotly(bundled_build):
    """A page loads plotly (1.5 MB) if and only if one of its own scripts draws with it: At a glance does; the evidence
    and gap map draws its bubbles and heat map itself, as SVG and table cells (matrix-draw.js), so it does not."""
    pages = {str(p.relative_to(bundled_build.site)): p.read_text(encoding="utf-8")
             for p in bundled_build.site.rglob("*.html")}
    loading = sorted(path for path, html in pages.items() if "plotly-cartesian.min.js" in html)
    assert loading == ["glance/index.html"]
    charting = set()
    for path, html in pages.items():
        for script in re.findall(r'<script src="([^"]*evidence-map/pages/[^"]+\.js)"', html):
            if "Plotly." in (bundled_build.site / path).parent.joinpath(script).resolve().read_text(encoding="utf-8"):
                charting.add(path)
    assert sorted(charting) == loading  # and each page that loads it uses it
    matrix_scripts = [s.removeprefix("../") for s in re.findall(r'<script src="([^"]+)"', pages["matrix/index.html"])]
    assert set(MATRIX_SCRIPTS) <= set(matrix_scripts)  # what draws the map instead: the page is not left blank
