"""The world map of studies by country ("At a glance", and a small one on the home page): a choropleth drawn at build
time as an SVG in the page, from the country outlines shipped in outputs/vendor/ (Natural Earth's, as the npm package
world-atlas gives them; vendor/README.md says which version and licence). No page fetches geometry or tiles.

The outlines are projected with Equal Earth (Šavrič, Patterson and Jenny, 2018: an equal-area projection, so no
country looks bigger than its share of the world), simplified with Douglas-Peucker border by border (a border shared
by two countries is simplified once, so neighbours still meet) and rounded to whole units of the drawing. That work
is done once per process for each size drawn; a build then only picks the colour of each country with studies."""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pycountry

from ..countries import country_name, is_country
from ..model import Study
from .base import Build
from .paths import STUDIES_URL

GEOMETRY = Path(__file__).parent / "vendor" / "countries-50m.json"
LEFT_OUT = frozenset({"010"})
"""ISO numeric codes not drawn: Antarctica, which would take a fifth of the drawing's height for no study."""
SHADES = 5
"""Most shades of the scale; the stylesheet has a light and a dark colour for each (evidence-map.css, .em-wm-s1…)."""
COUNTRY_FILTER = "f-country"
"""The studies index's URL parameter for one country (studies-table.js reads it), as the matrix's is named."""


@dataclass(frozen=True)
class Size:
    """A size the map is drawn at, in units of the drawing: the page scales it to its column."""

    width: int
    tolerance: float  # how far a simplified border may stray from Natural Earth's
    dot: float  # the radius of the dot that marks a country too small to see
    tiny: float  # a country whose largest piece fits in a square this wide gets the dot


LARGE = Size(1000, 0.45, 6.0, 4.0)  # "At a glance", up to the page's width
SMALL = Size(600, 0.6, 5.0, 3.0)  # the home page, beside the tables


@dataclass(frozen=True)
class Outline:
    d: str  # SVG path data; "" when every piece is smaller than a unit
    centre: tuple[float, float]  # of its largest piece: where its dot goes
    tiny: bool


@dataclass(frozen=True)
class Drawing:
    width: int
    height: int
    outlines: dict[str, Outline]  # by ISO 3166-1 alpha-2 code
    unnamed: str  # places with no ISO code (Kosovo, Somaliland, N. Cyprus…): drawn, never with studies
    scale: float  # units of the drawing per radius of the projection
    origin: tuple[float, float]  # where the projection's (0, 0) is in the drawing

    def at(self, lon: float, lat: float) -> tuple[float, float]:
        """Where a place is in the drawing."""
        x, y = equal_earth(lon, lat)
        return self.origin[0] + x * self.scale, self.origin[1] - y * self.scale


@dataclass(frozen=True)
class Country:
    """A country with studies, as the map draws it: its shape and, if it is too small to see, a dot."""

    code: str
    label: str  # 'France: 3 studies': the link's accessible name and its tooltip
    href: str
    shade: int  # 1 (fewest studies) … SHADES (most)
    d: str
    dot: tuple[float, float] | None


@dataclass(frozen=True)
class WorldMap:
    """What the _worldmap.html.j2 partial draws."""

    id: str  # prefix of the ids in the page
    small: bool
    width: int
    height: int
    others: str  # path data of every country without studies
    countries: tuple[Country, ...]  # most studies first, as the table lists them
    legend: tuple[tuple[str, int], ...]  # (studies, shade) of the shades drawn
    dot: float
    dots: bool  # whether a country is drawn as a dot, which the legend then explains
    undrawn: tuple[tuple[str, str, int], ...]  # (name, link, studies) of countries with studies but no outline
    unknown: int  # studies with no country the map knows
    description: str


def world_map(build: Build, here: str, small: bool = False) -> WorldMap:
    """The map of the build's studies, linked from the page at `here`; the small one for the home page."""
    size = SMALL if small else LARGE
    drawing = draw(size)
    counts = count(build.map.studies)
    bounds = shade_bounds(max(counts.values(), default=0))
    countries, undrawn = [], []
    for code, n in counts.items():
        href = build.link(here, f"{STUDIES_URL}?{COUNTRY_FILTER}={code}")
        outline = drawing.outlines.get(code)
        if outline is None:
            undrawn.append((country_name(code), href, n))
            continue
        countries.append(Country(code, f"{country_name(code)}: {studies(n)}", href, shade_of(n, bounds), outline.d,
                                 outline.centre if outline.tiny else None))
    others = "".join(o.d for code, o in sorted(drawing.outlines.items()) if code not in counts) + drawing.unnamed
    used = {c.shade for c in countries}
    legend = tuple((label, shade) for label, shade in zip(bound_labels(bounds, max(counts.values(), default=0)),
                                                          shades(len(bounds)), strict=True) if shade in used)
    unknown = sum(1 for s in build.map.studies if not any(is_country(c) for c in s.countries))
    places = f"{len(counts)} countr{'y' if len(counts) == 1 else 'ies'}"
    description = (f"Studies by country: {places}, shaded from fewest to most studies. Select a country to list "
                   "its studies; the table of studies by country gives the same numbers." if counts else
                   "No study in this map names a country yet.")
    return WorldMap("em-wm-home" if small else "em-wm", small, drawing.width, drawing.height, others,
                    tuple(countries), legend, size.dot, any(c.dot for c in countries), tuple(undrawn), unknown,
                    description)


def count(studies: Iterable[Study]) -> dict[str, int]:
    """Studies per country (ISO 3166-1 alpha-2), most first, then by name; a study in several countries counts once
    for each, and a code that is not a country (checks stop those in study files) is not counted."""
    counts = Counter(c for s in studies for c in dict.fromkeys(s.countries) if is_country(c))
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], country_name(kv[0]))))


def studies(n: int) -> str:
    return f"{n:,} stud{'y' if n == 1 else 'ies'}"


# ------------------------------------------------------------------------------------------- the colour scale

def shade_bounds(most: int) -> tuple[int, ...]:
    """The fewest studies of each shade: one shade per count up to SHADES, then steps that grow geometrically
    (1, 2, 5, 10, 20, 50…), so a map with one country of 300 studies still tells 1 from 10."""
    if most <= SHADES:
        return tuple(range(1, most + 1))
    return tuple(sorted({_nice_floor(most ** (i / SHADES)) for i in range(SHADES)}))


def _nice_floor(x: float) -> int:
    """The largest of 1, 2, 3, 5, 10, 20, 30, 50, 100… that is at most x."""
    power = 10 ** math.floor(math.log10(x))
    return max(step * power for step in (1, 2, 3, 5) if step * power <= x)


def bound_labels(bounds: Sequence[int], most: int) -> list[str]:
    """'1', '2–4', '5–9': the studies each shade stands for."""
    ends = [b - 1 for b in bounds[1:]] + [most] if bounds else []
    return [str(lo) if lo == hi else f"{lo}–{hi}" for lo, hi in zip(bounds, ends, strict=True)]


def shades(classes: int) -> list[int]:
    """The shades (1…SHADES) used for `classes` classes: spread over the whole scale, so two classes differ most."""
    if classes <= 1:
        return [SHADES - 1] * classes
    return [1 + round(i * (SHADES - 1) / (classes - 1)) for i in range(classes)]


def shade_of(n: int, bounds: Sequence[int]) -> int:
    return shades(len(bounds))[max(i for i, b in enumerate(bounds) if n >= b)]


# ------------------------------------------------------------------------------------------- the outlines

A1, A2, A3, A4 = 1.340264, -0.081106, 0.000893, 0.003796
_M = math.sqrt(3) / 2


def equal_earth(lon: float, lat: float) -> tuple[float, float]:
    """Equal Earth (Šavrič, Patterson and Jenny, 2018), in radii, y upwards."""
    theta = math.asin(_M * math.sin(math.radians(lat)))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = math.radians(lon) * math.cos(theta) / (_M * (A1 + 3 * A2 * t2 + t6 * (7 * A3 + 9 * A4 * t2)))
    return x, theta * (A1 + A2 * t2 + t6 * (A3 + A4 * t2))


@cache
def _topology() -> tuple[list[list[tuple[float, float]]], list[tuple[str | None, list]]]:
    """Every border (arc) projected, in radii with y downwards, and (ISO numeric code, polygons as arc indexes)
    for every place drawn."""
    topo = json.loads(GEOMETRY.read_text(encoding="utf-8"))
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:  # TopoJSON: quantised, each point the difference from the one before
        x = y = 0
        lonlat = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            lonlat.append((x * sx + tx, y * sy + ty))
        arcs.append([(px, -py) for px, py in (equal_earth(lon, lat) for lon, lat in _unwrap(lonlat))])
    places = [(g.get("id"), g["arcs"] if g["type"] == "MultiPolygon" else [g["arcs"]])
              for g in topo["objects"]["countries"]["geometries"] if g.get("id") not in LEFT_OUT]
    return arcs, places


def _unwrap(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """A border that crosses the 180th meridian (eastern Russia, Fiji) jumps from 180° to -180°, which would draw
    a line across the whole map: its longitudes are made continuous instead, then moved by 360° to keep most of it
    on the map. The part past the edge is cut off by the drawing's frame."""
    if all(abs(b[0] - a[0]) <= 180 for a, b in zip(points, points[1:], strict=False)):
        return points
    offset, out = 0.0, [points[0]]
    for (lon0, _), (lon, lat) in zip(points, points[1:], strict=False):
        if abs(lon - lon0) > 180:
            offset -= math.copysign(360, lon - lon0)
        out.append((lon + offset, lat))
    mean = sum(lon for lon, _ in out) / len(out)
    shift = -360 * round(mean / 360)
    return [(lon + shift, lat) for lon, lat in out]


@cache
def draw(size: Size) -> Drawing:
    """The outlines at `size`: projected, simplified, rounded; cached for the process, as they depend on nothing
    but the vendored file."""
    arcs, places = _topology()
    used = {i if i >= 0 else ~i for _, polygons in places for polygon in polygons for ring in polygon for i in ring}
    left = -equal_earth(180, 0)[0]
    top = min(y for i in used for _, y in arcs[i])
    bottom = max(y for i in used for _, y in arcs[i])
    k = size.width / (2 * -left)
    margin = size.dot  # room for a dot at the edge
    simple = {i: _simplify([((x - left) * k, (y - top) * k + margin) for x, y in arcs[i]], size.tolerance)
              for i in used}
    pieces: dict[str | None, list[list[tuple[float, float]]]] = {}
    for numeric, polygons in places:
        code = _alpha_2(numeric)
        for polygon in polygons:
            for ring in polygon:
                points: list[tuple[float, float]] = []
                for i in ring:  # a negative index is the arc ~i, reversed
                    arc = simple[i] if i >= 0 else simple[~i][::-1]
                    points.extend(arc[1:] if points else arc)
                pieces.setdefault(code, []).append(points)
    outlines = {code: _outline(rings, size) for code, rings in pieces.items() if code is not None}
    unnamed = _outline(pieces.get(None, []), size).d
    return Drawing(size.width, math.ceil((bottom - top) * k + 2 * margin), outlines, unnamed, k,
                   (-left * k, -top * k + margin))


def _alpha_2(numeric: str | None) -> str | None:
    country = pycountry.countries.get(numeric=numeric) if numeric else None
    return country.alpha_2 if country else None


def _outline(rings: list[list[tuple[float, float]]], size: Size) -> Outline:
    """Path data for a country's rings, in whole units, relative moves ('l'); pieces that round to less than a
    triangle are left out, and the largest piece gives where a dot goes."""
    d = []
    largest, area = (0.0, 0.0), -1.0
    extent = 0.0
    for ring in rings:
        xs, ys = [p[0] for p in ring], [p[1] for p in ring]
        ring_area = abs(_area(ring))
        if ring_area > area:
            area, largest = ring_area, ((min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2)
            extent = max(max(xs) - min(xs), max(ys) - min(ys))
        rounded = [(round(x), round(y)) for x, y in ring]
        kept = [rounded[0]]
        for p in rounded[1:]:
            if p != kept[-1]:
                kept.append(p)
        if kept[-1] == kept[0]:
            kept.pop()
        if len(kept) < 3:
            continue
        moves = " ".join(f"{x - px} {y - py}" for (px, py), (x, y) in zip(kept, kept[1:], strict=False))
        d.append(f"M{kept[0][0]} {kept[0][1]}l{moves}z".replace(" -", "-"))
    return Outline("".join(d), (round(largest[0], 1), round(largest[1], 1)), extent < size.tiny)


def _area(ring: Sequence[tuple[float, float]]) -> float:
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False)) / 2


def _simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas-Peucker: the points that keep the line within `tolerance` of the original; the ends always stay
    (they are where borders meet)."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = points[first], points[last]
        dx, dy = bx - ax, by - ay
        length = math.hypot(dx, dy)
        far, farthest = -1.0, -1
        for m in range(first + 1, last):
            px, py = points[m]
            # distance from the chord (or, for a closed ring whose ends meet, from its end)
            dist = abs(dx * (py - ay) - dy * (px - ax)) / length if length else math.hypot(px - ax, py - ay)
            if dist > far:
                far, farthest = dist, m
        if far > tolerance:
            keep[farthest] = True
            stack += [(first, farthest), (farthest, last)]
    return [p for p, kept in zip(points, keep, strict=True) if kept]
