"""Scripts served from the site: the vendored plotly is the pinned one, and only charting pages load it."""

import hashlib
import re

from conftest import ROOT

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
    loading = sorted(str(p.relative_to(bundled_build.site)) for p in bundled_build.site.rglob("*.html")
                     if "plotly-cartesian.min.js" in p.read_text(encoding="utf-8"))
    assert loading == ["glance/index.html", "matrix/index.html"]
