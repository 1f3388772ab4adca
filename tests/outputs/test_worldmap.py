"""The world map of studies by country: its numbers are the studies' (a study in several countries counts once for
each), each country with studies links to the studies index filtered to it, what it cannot draw is said under it,
everything in it is escaped, the drawing is right (no border across the map) and small, and the geometry it is
drawn from is the pinned one."""

from __future__ import annotations

import datetime as _dt
import gzip
import hashlib
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from generator.content import load_map
from generator.model import EvidenceMap, Finding, Review, Study, Theme
from generator.outputs import fragments, overview, worldmap
from generator.outputs.base import Build, Links
from generator.outputs.paths import GLANCE_PAGE

TODAY = _dt.date(2026, 11, 30)
VENDOR = ROOT / "generator/outputs/vendor"
LINK = re.compile(r'<a class="em-wm-country" href="([^"]*)" aria-label="([^"]*): ([\d,]+) stud(?:y|ies)" '
                  r'data-em-country="([^"]*)"><title>([^<]*)</title>')


def study(sid: str, countries: tuple[str, ...]) -> Study:
    return Study(sid, f"Title of {sid}", (f"{sid.title()}, A.",), 2020, "J", countries, {},
                 (Finding("a", None),), f"content/studies/{sid}.yml")


def synthetic_map(*studies: Study) -> EvidenceMap:
    review = Review("R", "Q?", (), ("DB",), None, None, (), ("country", "year"))
    return EvidenceMap(review, studies, (Theme("a", "Theme A", 1, None, "", 1, "a.md"),))


MULTI = synthetic_map(study("one", ("GB", "IE")), study("two", ("IE",)), study("three", ("FR", "DE", "IE")),
                      study("four", ("SG",)), study("five", ("MT", "GB")), study("six", ("GI",)))


def glance_body(emap: EvidenceMap, links: Links | None = None) -> str:
    return overview.glance_pages(Build(emap, links=links, today=TODAY))[GLANCE_PAGE]


def map_counts(html: str) -> dict[str, int]:
    """{code: studies} as the map's links say it, after checking each link's name is its tooltip too."""
    found = {}
    for _href, name, n, code, title in LINK.findall(html):
        assert title == f"{name}: {n} stud{'y' if n == '1' else 'ies'}"
        found[code] = int(n.replace(",", ""))
    return found


def test_the_bundled_maps_numbers_are_its_study_files():
    counts: Counter[str] = Counter()
    for path in sorted((ROOT / "content/studies").glob("*.yml")):  # read here as plain YAML, not by the generator
        counts.update(set(yaml.safe_load(path.read_text(encoding="utf-8"))["countries"]))
    html = glance_body(load_map(ROOT / "content"))
    assert map_counts(html) == dict(counts)
    assert dict(counts) == {"GB": 9, "AU": 1, "BE": 1, "NL": 1}  # Driessens (Belgium and the Netherlands) in both


def test_a_study_in_several_countries_counts_once_in_each_and_links_to_its_filtered_index():
    html = glance_body(MULTI)
    assert map_counts(html) == {"IE": 3, "GB": 2, "DE": 1, "FR": 1, "MT": 1, "SG": 1}  # GI: no outline, below
    links = {code: href for href, _, _, code, _ in LINK.findall(html)}
    assert links["IE"] == "../studies/?f-country=IE"
    assert 'aria-label="Ireland: 3 studies"' in html and 'aria-label="Germany: 1 study"' in html
    # the links are in the table's order: most studies first, then by name
    assert [code for *_, code, _ in LINK.findall(html)] == ["IE", "GB", "FR", "DE", "MT", "SG"]


def test_links_follow_the_publishers_url_style():
    html = glance_body(MULTI, Links(directory_urls=False))
    assert 'href="../studies/index.html?f-country=IE"' in html


def test_countries_too_small_to_see_get_a_dot_and_those_without_an_outline_are_named_under_the_map():
    html = glance_body(MULTI)
    dotted = re.findall(r'data-em-country="(\w+)">.*?</a>', html)
    with_dot = {code for code in dotted if re.search(rf'data-em-country="{code}">[^\n]*<circle', html)}
    assert with_dot == {"MT", "SG"}
    assert "a country too small to see" in html
    assert ('Not on the map, which has no outline for it: <a href="../studies/?f-country=GI">Gibraltar</a> '
            '(1 study).') in html


def test_studies_with_no_known_country_are_counted_under_the_map_and_unknown_codes_are_not_drawn():
    emap = synthetic_map(study("one", ("GB",)), study("two", ("ZZ",)), study("three", ()),
                         study("four", ("XX", "FR")))
    assert worldmap.count(emap.studies) == {"FR": 1, "GB": 1}
    html = glance_body(emap)
    assert map_counts(html) == {"FR": 1, "GB": 1}
    assert "2 studies do not say which country they were carried out in, so they are not on the map." in html
    one = glance_body(synthetic_map(study("one", ("GB",)), study("two", ())))
    assert "1 study does not say which country it was carried out in, so it is not on the map." in one
    assert "do not say" not in glance_body(MULTI)


def test_a_map_without_studies_draws_every_country_grey_and_says_so():
    html = glance_body(synthetic_map())
    assert map_counts(html) == {} and "No study in this map names a country yet." in html
    assert "Select a country" not in html


def test_every_name_in_the_map_is_escaped(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(worldmap, "country_name", lambda code: f'<b onclick="x">{code} & co</b>')
    html = glance_body(MULTI)
    assert "<b onclick" not in html
    assert 'aria-label="&lt;b onclick=&#34;x&#34;&gt;IE &amp; co&lt;/b&gt;: 3 studies"' in html
    assert "<title>&lt;b onclick=&#34;x&#34;&gt;IE &amp; co&lt;/b&gt;: 3 studies</title>" in html
    assert '&lt;b onclick=&#34;x&#34;&gt;GI &amp; co&lt;/b&gt;</a> (1 study)' in html


def test_the_scale_has_a_shade_per_count_up_to_five_then_steps_that_grow():
    assert worldmap.shade_bounds(0) == () and worldmap.shade_bounds(3) == (1, 2, 3)
    assert worldmap.shade_bounds(9) == (1, 2, 3, 5)
    assert worldmap.bound_labels((1, 2, 3, 5), 9) == ["1", "2", "3–4", "5–9"]
    assert worldmap.shade_bounds(300) == (1, 3, 5, 30, 50)  # 300 ** (i / 5), each down to 1, 2, 3 or 5 × 10ⁿ
    assert worldmap.shades(2) == [1, 5] and worldmap.shades(5) == [1, 2, 3, 4, 5]
    assert [worldmap.shade_of(n, (1, 2, 3, 5)) for n in (1, 2, 4, 9)] == [1, 2, 4, 5]


def test_the_legend_has_only_the_shades_drawn():
    html = glance_body(load_map(ROOT / "content"))  # 9 studies in one country, 1 in each of three others
    legend = re.findall(r'<li><span class="em-wm-swatch em-wm-s(\d)"></span>([^<]*)</li>', html)
    assert legend == [("1", "1"), ("5", "5–9")]


def rings(d: str) -> list[list[tuple[int, int]]]:
    """The rings of SVG path data written as 'M x y l dx dy … z'."""
    out = []
    for ring in re.findall(r"M[^Mz]*z", d):
        numbers = [int(n) for n in re.findall(r"-?\d+", ring)]
        x, y = numbers[0], numbers[1]
        points = [(x, y)]
        for dx, dy in zip(numbers[2::2], numbers[3::2], strict=True):
            x, y = x + dx, y + dy
            points.append((x, y))
        out.append(points)
    return out


def inside(point: tuple[float, float], d: str) -> bool:
    """Whether the point is inside the shape (even-odd rule over its rings)."""
    px, py = point
    crossings = 0
    for ring in rings(d):
        for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
            if (y0 > py) != (y1 > py) and px < x0 + (py - y0) * (x1 - x0) / (y1 - y0):
                crossings += 1
    return crossings % 2 == 1


def test_cities_fall_in_their_countries_and_no_border_runs_across_the_map():
    drawing = worldmap.draw(worldmap.LARGE)
    at = drawing.at
    for code, (lon, lat) in {"FR": (2.35, 48.86), "BR": (-47.9, -15.8), "AU": (149.1, -35.3), "RU": (37.6, 55.8),
                             "US": (-77.0, 38.9), "IN": (77.2, 28.6), "ZA": (28.0, -26.2)}.items():
        assert inside(at(lon, lat), drawing.outlines[code].d), code
    assert not inside(at(2.35, 48.86), drawing.outlines["DE"].d)
    widest = max(max(x for x, _ in r) - min(x for x, _ in r) for o in drawing.outlines.values() for r in rings(o.d))
    assert widest < drawing.width / 2  # a ring crossing the 180th meridian would draw a line across the map


def test_equal_earth_matches_its_published_formula():
    assert worldmap.equal_earth(0, 0) == (0.0, 0.0)
    # The map's extent either side of its centre (Šavrič, Patterson and Jenny, 2018): the ratio of 2.05 to 1
    assert worldmap.equal_earth(180, 0)[0] == pytest.approx(2.70663, abs=1e-5)
    assert worldmap.equal_earth(0, 90)[1] == pytest.approx(1.31736, abs=1e-5)
    assert worldmap.equal_earth(-30, -40) == pytest.approx(tuple(-v for v in worldmap.equal_earth(30, 40)))


def test_the_map_adds_little_to_a_page():
    glance = glance_body(MULTI)
    svg = re.search(r"<svg.*?</svg>", glance, re.S)
    assert svg and len(svg.group(0)) < 60_000 and len(gzip.compress(svg.group(0).encode())) < 20_000
    home = fragments.fragment(Build(MULTI, today=TODAY), "home", "")
    small = re.search(r"<svg.*?</svg>", home, re.S)
    assert small and len(small.group(0)) < 30_000
    assert 'id="em-wm-home-title"' in home and 'href="studies/?f-country=IE"' in home


def test_the_vendored_geometry_is_the_pinned_release():
    table = (VENDOR / "README.md").read_text(encoding="utf-8")
    pinned = re.search(r"\| `countries-50m\.json` \| npm `world-atlas` \| ([\d.]+) \| .*? \| `([0-9a-f]{64})` \|", table)
    assert pinned, "the vendor table names the file, its version and its sha256"
    assert hashlib.sha256((VENDOR / "countries-50m.json").read_bytes()).hexdigest() == pinned.group(2)
    assert "Permission to use, copy, modify" in (VENDOR / "world-atlas.LICENSE").read_text(encoding="utf-8")  # ISC


def test_the_geometry_ships_with_the_package():
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"outputs/vendor/*"' in pyproject
    assert Path(worldmap.GEOMETRY).is_file()
