"""The PRISMA 2020 flow diagram as SVG, laid out in Python and drawn by a Jinja2 template (autoescaped).

Real text (selectable, searchable, read aloud, sharp at any zoom); colours from Material's CSS variables
with fallbacks, so the same file reads well inline in light and dark mode and as a standalone download."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field

from jinja2 import Environment, PackageLoader

from ..content.schema import Excluded, Prisma
from ..markup import xml_text
from .paths import METHODS_URL, STUDIES_URL

LINE = 17  # px between text lines (13 px font)
PAD = 10
CHARS = 38  # characters per line in a box
BOX_W = 270
GAP_X = 40
GAP_Y = 34
PHASE_W = 26
HEAD_H = 40


@dataclass
class Box:
    x: int
    y: int
    w: int
    lines: list[str]
    href: str | None = None
    kind: str = "box"
    h: int = 0

    def __post_init__(self) -> None:
        wrapped: list[str] = []
        for line in self.lines:
            wrapped += textwrap.wrap(xml_text(line), CHARS, subsequent_indent="  ") or [""]
        self.lines = wrapped
        self.h = self.h or len(wrapped) * LINE + 2 * PAD


@dataclass
class Diagram:
    width: int
    height: int
    boxes: list[Box] = field(default_factory=list)
    arrows: list[tuple[int, int, int, int]] = field(default_factory=list)
    phases: list[tuple[str, int, int]] = field(default_factory=list)  # label, top, bottom
    heads: list[tuple[int, int, str]] = field(default_factory=list)  # x from, x to, column heading


def n(value: int | None) -> str:
    return "not reported" if value is None else f"{value:,}"


def _count(value: int | None) -> str:
    """'(n = 581)' with no-break spaces, so a line never wraps inside the count."""
    return "(n\u00a0=\u00a0" + n(value).replace(" ", "\u00a0") + ")"


def _excluded_lines(title: str, excluded: Excluded | None) -> list[str]:
    if excluded is None:
        return [f"{title} (n = 0)"]
    lines = [f"{title} {_count(excluded.total)}"]
    if excluded.reasons:
        lines += [f"{reason} {_count(count)}" for reason, count in excluded.reasons.items()]
    else:
        lines.append("Reasons not reported")
    return lines


def layout(p: Prisma, link: Callable[[str], str]) -> Diagram:
    left = PHASE_W + 14
    x_prev = left
    x_main = left + (BOX_W + GAP_X if p.previous else 0)
    x_side = x_main + BOX_W + GAP_X
    x_other = x_side + BOX_W + GAP_X
    x_oside = x_other + BOX_W + GAP_X
    width = (x_oside if p.other_methods else x_side) + BOX_W + 10
    d = Diagram(width, 0)
    top = HEAD_H + 16

    # Identification
    ident = ["Records identified from:", f"Databases and registers {_count(p.identified)}"]
    ident += [f"{name} {_count(count)}" for name, count in {**p.databases, **p.registers}.items()]
    removed = ["Records removed before screening:", f"Duplicate records {_count(p.duplicates)}"]
    if "automation_excluded" in p.model_fields_set:
        removed.append(f"Marked as ineligible by automation tools {_count(p.automation_excluded)}")
    if "other_removed" in p.model_fields_set:
        removed.append(f"Removed for other reasons {_count(p.other_removed)}")
    row: list[Box] = [Box(x_main, top, BOX_W, ident), Box(x_side, top, BOX_W, removed)]
    if p.previous:
        row.append(Box(x_prev, top, BOX_W, [
            f"Studies included in previous version of review {_count(p.previous.studies)}",
            f"Reports of studies included in previous version of review {_count(p.previous.reports)}"]))
    if p.other_methods:
        row.append(Box(x_other, top, BOX_W, ["Records identified from:"] + [
            f"{name} {_count(count)}" for name, count in p.other_methods.sources.items()]))
    rows = [row]

    def next_row(boxes: list[tuple[int, list[str], str | None]]) -> list[Box]:
        y = max(b.y + b.h for b in rows[-1]) + GAP_Y
        made = [Box(x, y, BOX_W, lines, href) for x, lines, href in boxes]
        rows.append(made)
        return made

    reasons = link(METHODS_URL) + "#exclusion-reasons"
    screened, screened_ex = next_row([(x_main, [f"Records screened {_count(p.screened)}"], None),
                                      (x_side, [f"Records excluded {_count(p.screened_excluded)}"], None)])
    sought_row = [(x_main, [f"Reports sought for retrieval {_count(p.sought)}"], None),
                  (x_side, [f"Reports not retrieved {_count(p.not_retrieved)}"], None)]
    assessed_row = [(x_main, [f"Reports assessed for eligibility {_count(p.assessed)}"], None),
                    (x_side, _excluded_lines("Reports excluded:", p.excluded), reasons)]
    if p.other_methods:
        o = p.other_methods
        sought_row += [(x_other, [f"Reports sought for retrieval {_count(o.sought)}"], None),
                       (x_oside, [f"Reports not retrieved {_count(o.not_retrieved)}"], None)]
        assessed_row += [(x_other, [f"Reports assessed for eligibility {_count(o.assessed)}"], None),
                         (x_oside, _excluded_lines("Reports excluded:", o.excluded), reasons)]
    sought = next_row(sought_row)
    assessed = next_row(assessed_row)
    total = "Total studies" if (p.previous or p.other_methods) else "Studies"
    (included,) = next_row([(x_main, [f"{total} included in review {_count(p.included_studies)}",
                                      f"Reports of {'total ' if total == 'Total studies' else ''}included "
                                      f"studies {_count(p.included_reports)}"], link(STUDIES_URL))])
    included.kind = "box included"
    for r in rows:
        d.boxes += r

    def down(a: Box, b: Box) -> None:
        d.arrows.append((a.x + a.w // 2, a.y + a.h, b.x + b.w // 2 if b.x == a.x else a.x + a.w // 2, b.y))

    def right(a: Box, b: Box) -> None:
        y = a.y + a.h // 2
        d.arrows.append((a.x + a.w, y, b.x, y))

    chain = [rows[0][0], screened, sought[0], assessed[0], included]
    for a, b in zip(chain, chain[1:], strict=False):
        down(a, b)
    right(rows[0][0], rows[0][1])
    right(screened, screened_ex)
    right(sought[0], sought[1])
    right(assessed[0], assessed[1])
    if p.other_methods:
        other_id = next(b for b in rows[0] if b.x == x_other)
        down(other_id, sought[2])
        down(sought[2], assessed[2])
        right(sought[2], sought[3])
        right(assessed[2], assessed[3])
        a = assessed[2]
        d.arrows.append((a.x + a.w // 2, a.y + a.h, included.x + included.w, included.y + included.h // 2))
    if p.previous:
        prev = next(b for b in rows[0] if b.x == x_prev)
        d.arrows.append((prev.x + prev.w // 2, prev.y + prev.h, included.x, included.y + included.h // 2))

    bottom = included.y + included.h
    d.phases = [("Identification", top, max(b.y + b.h for b in rows[0])),
                ("Screening", screened.y, max(b.y + b.h for b in rows[3])),
                ("Included", included.y, bottom)]
    d.height = bottom + 10
    if p.previous:
        d.heads.append((x_prev, x_prev + BOX_W, "Previous studies"))
    d.heads.append((x_main, x_side + BOX_W, "Identification of studies via databases and registers"))
    if p.other_methods:
        d.heads.append((x_other, x_oside + BOX_W, "Identification of studies via other methods"))
    return d


_env = Environment(loader=PackageLoader("generator", "templates"), autoescape=True, trim_blocks=True,
                   lstrip_blocks=True)


def render_svg(p: Prisma, link: Callable[[str], str], standalone: bool = False) -> str:
    d = layout(p, link)
    svg = _env.get_template("prisma.svg.j2").render(d=d, standalone=standalone, LINE=LINE, PAD=PAD)
    return xml_text(svg)  # the template writes only XML's characters; names from review.yml may hold others
