"""The PRISMA 2020 flow diagram as SVG, laid out in Python and drawn by a Jinja2 template (autoescaped).

Real text (selectable, searchable, read aloud, sharp at any zoom); colours from Material's CSS variables
with fallbacks, so the same file reads well inline in light and dark mode and as a standalone download.

The layout follows the PRISMA 2020 template: the previous review's studies on the left, databases and registers
in the middle, other methods on the right; identification, screening and included as phases down the side. The
diagram is drawn at its natural size, never scaled down, and its columns share MAX_WIDTH, so every arm fits the
page's content column with text at FONT px; a box's text wraps to its width, measured with TEXT_EM."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from jinja2 import Environment, PackageLoader

from ..content.schema import Excluded, Prisma
from ..markup import xml_text
from .paths import METHODS_URL, STUDIES_URL

MAX_WIDTH = 680  # Material's content column is 688 px wide at a 1280 px window, with both sidebars shown
FONT = 12  # px, for every text of the diagram
LINE = 15  # px from one baseline to the next
BASELINE = 11  # px from the top of a line to its baseline
PAD = 6  # px between a box's edge and its text
INDENT = 8  # px for an item under a heading line, and again for the wrapped lines of an item
BOX_MAX = 280
ROW_GAP = 30  # room for the downward arrows
MIN_LINES = 2  # a box is at least this many lines tall, as in the PRISMA template
PHASE_X, PHASE_W = 2, 20
LEFT = PHASE_X + PHASE_W + 8
RIGHT = 2

# Advance widths in em, rounded up from DejaVu Sans (the widest of the usual system sans-serif fonts, and what
# Debian's Chromium draws with): an estimate that is never short, so wrapped text stays inside its box.
_EM_GROUPS = {
    0.34: " \u00a0.,:;'|ijlI",
    0.41: "!()[]-/frtJ",
    0.56: "csz?_\"`",
    0.64: "abdeghknopquvxyELFPSTY0123456789$*",
    0.84: "ABCDGHKNOQRUVXZ&=+<>#^~w",
    1.0: "mMW@%\u2014",
}
TEXT_EM = {ch: em for em, chars in _EM_GROUPS.items() for ch in chars}
BOLD = 1.21  # bold is at most this much wider, measured glyph by glyph


def _char_em(ch: str) -> float:
    if ch in TEXT_EM:
        return TEXT_EM[ch]
    if unicodedata.combining(ch):
        return 0.0
    return 1.1 if unicodedata.east_asian_width(ch) in "WF" else 0.84


def text_width(text: str, bold: bool = False) -> float:
    """An upper estimate of the width of `text` in px at FONT px."""
    return sum(_char_em(ch) for ch in text) * FONT * (BOLD if bold else 1.0)


def _split_word(word: str, width: float, bold: bool) -> list[str]:
    """A word too long for a line, cut into pieces that fit: after '.', '/', '-' or a no-break space (a count
    too wide for its box goes to the next line whole) when one fits, else anywhere."""
    pieces: list[str] = []
    while text_width(word, bold) > width:
        fits = max((i for i in range(1, len(word)) if text_width(word[:i], bold) <= width), default=1)
        spaces = [i for i in range(1, fits + 1) if word[i - 1] == "\u00a0"]
        breaks = [i for i in range(fits // 2 + 1, fits + 1) if word[i - 1] in "./-_"]
        cut = (spaces or breaks or [fits])[-1]
        pieces.append(word[:cut])  # a no-break space it was cut after stays, unseen, to be read between the two
        word = word[cut:]
    return [*pieces, word]


def wrap(text: str, width: float, bold: bool = False, then: float | None = None) -> list[str]:
    """Lines of at most `width` px (`then` px after the first), broken at spaces, never at a no-break space;
    no line starts with a space."""
    return [line for line, _ in _wrap(text, width, bold, then)]


def _wrap(text: str, width: float, bold: bool, then: float | None) -> list[tuple[str, bool]]:
    """wrap's lines, each with whether it goes on with the word the line before cut."""
    lines: list[tuple[str, bool]] = []
    line, goes_on = "", False

    def room() -> float:
        return width if not lines or then is None else then

    for word in text.split(" "):
        if not word:
            continue
        trial = f"{line} {word}" if line else word
        if text_width(trial, bold) <= room():
            line = trial
            continue
        if line:
            lines.append((line, goes_on))
        pieces = _split_word(word, room() if then is None else min(width, then), bold)
        lines += [(piece, k > 0) for k, piece in enumerate(pieces[:-1])]
        line, goes_on = pieces[-1], len(pieces) > 1
    return [*lines, (line, goes_on)] if line else lines or [("", False)]


@dataclass
class Line:
    text: str
    dx: int  # indent from the box's text edge
    goes_on: bool = False  # the rest of a word cut at the line before: read on with no space between


@dataclass
class Box:
    """A box of the diagram. `items` are (text, level): level 1 is an item under a heading line ending in ':'."""

    col: str
    items: list[tuple[str, int]]
    href: str | None = None
    kind: str = "box"
    x: int = 0
    y: int = 0
    w: int = 0
    h: int = 0
    lines: list[Line] = field(default_factory=list)

    def fill(self, x: int, w: int) -> None:
        self.x, self.w, self.lines = x, w, []
        hang = INDENT if len(self.items) > 1 else 0  # a list's wrapped lines stand in, so each item shows
        for text, level in self.items:
            indent = level * INDENT
            room = w - 2 * PAD - indent
            for k, (line, goes_on) in enumerate(_wrap(xml_text(text), room, False, room - hang)):
                self.lines.append(Line(line, indent + (hang if k else 0), goes_on))
        self.h = max(len(self.lines), MIN_LINES) * LINE + 2 * PAD

    @property
    def cx(self) -> int:
        return self.x + self.w // 2

    @property
    def cy(self) -> int:
        return self.y + self.h // 2

    def baseline(self, k: int) -> int:
        """The baseline of line k: the lines sit in the middle of the box."""
        return self.y + (self.h - len(self.lines) * LINE) // 2 + k * LINE + BASELINE


@dataclass
class Head:
    x: int
    w: int
    lines: list[str]


@dataclass
class Phase:
    label: str
    top: int
    bottom: int
    boxes: list[Box]  # in reading order: row by row, left to right


@dataclass
class Diagram:
    width: int
    height: int
    head_h: int
    heads: list[Head]
    phases: list[Phase]
    arrows: list[list[tuple[int, int]]]  # polylines, the arrowhead at the last point


def n(value: int | None) -> str:
    return "not reported" if value is None else f"{value:,}"


def _count(value: int | None) -> str:
    """'(n = 581)' with no-break spaces, so a line never breaks inside a number's brackets."""
    return "(n\u00a0=\u00a0not reported)" if value is None else f"(n\u00a0=\u00a0{value:,})"


def _excluded(excluded: Excluded | None) -> list[tuple[str, int]]:
    if excluded is None:
        return [(f"Reports excluded {_count(0)}", 0)]
    if not excluded.reasons:
        return [(f"Reports excluded {_count(excluded.total)}", 0), ("Reasons not reported", 1)]
    return [(f"Reports excluded {_count(excluded.total)}:", 0)] + [
        (f"{reason} {_count(count)}", 1) for reason, count in excluded.reasons.items()]


def _columns(p: Prisma) -> dict[str, int]:
    """The x of each column: 'prev', then 'main' and 'side' (databases and registers, and what they lose), then
    'other' and 'oside' (other methods). Arrows need wider gaps than the space between two arms."""
    names = (["prev"] if p.previous else []) + ["main", "side"] + (["other", "oside"] if p.other_methods else [])
    arrow_gap, arm_gap = {2: (40, 24), 3: (28, 20)}.get(len(names), (16, 12))
    gaps = [arrow_gap if b in ("side", "oside") else arm_gap for b in names[1:]]
    box_w = min(BOX_MAX, (MAX_WIDTH - LEFT - RIGHT - sum(gaps)) // len(names))
    xs, x = {"w": box_w}, LEFT
    for name, gap in zip(names, [0, *gaps], strict=True):
        x += gap
        xs[name] = x
        x += box_w
    return xs


def _rows(p: Prisma, link: Callable[[str], str]) -> list[list[Box]]:
    """The boxes, row by row: identification, screened, sought, assessed, included."""
    source_lines = [(f"{name} {_count(count)}", 1) for name, count in {**p.databases, **p.registers}.items()]
    found = f"Records identified from databases and registers {_count(p.identified)}"
    ident = [(found + ":", 0), *source_lines] if source_lines else [(found, 0)]
    removed = [("Records removed before screening:", 0), (f"Duplicate records removed {_count(p.duplicates)}", 1)]
    if "automation_excluded" in p.model_fields_set:
        removed.append((f"Records marked as ineligible by automation tools {_count(p.automation_excluded)}", 1))
    if "other_removed" in p.model_fields_set:
        removed.append((f"Records removed for other reasons {_count(p.other_removed)}", 1))
    reasons = link(METHODS_URL) + "#exclusion-reasons"
    rows = [[], [Box("main", [(f"Records screened {_count(p.screened)}", 0)]),
                 Box("side", [(f"Records excluded {_count(p.screened_excluded)}", 0)])], [], []]
    if p.previous:
        rows[0].append(Box("prev", [
            (f"Studies included in previous version of review {_count(p.previous.studies)}", 0),
            (f"Reports of studies included in previous version of review {_count(p.previous.reports)}", 0)]))
    rows[0] += [Box("main", ident), Box("side", removed)]
    arms = [("main", "side", p)] + ([("other", "oside", p.other_methods)] if p.other_methods else [])
    for col, side, arm in arms:
        rows[2] += [Box(col, [(f"Reports sought for retrieval {_count(arm.sought)}", 0)]),
                    Box(side, [(f"Reports not retrieved {_count(arm.not_retrieved)}", 0)])]
        rows[3] += [Box(col, [(f"Reports assessed for eligibility {_count(arm.assessed)}", 0)]),
                    Box(side, _excluded(arm.excluded), reasons)]
    if p.other_methods:
        rows[0].append(Box("other", [("Records identified from:", 0)] + [
            (f"{name} {_count(count)}", 1) for name, count in p.other_methods.sources.items()]))
    total = "Total studies" if (p.previous or p.other_methods) else "Studies"
    reports = "Reports of total included studies" if (p.previous or p.other_methods) else "Reports of included studies"
    rows.append([Box("main", [(f"{total} included in review {_count(p.included_studies)}", 0),
                              (f"{reports} {_count(p.included_reports)}", 0)], link(STUDIES_URL), "box included")])
    return rows


def layout(p: Prisma, link: Callable[[str], str]) -> Diagram:
    xs = _columns(p)
    rows = _rows(p, link)
    for box in (b for row in rows for b in row):
        box.fill(xs[box.col], xs["w"])

    new = "new " if p.previous else ""
    spans = ([("prev", "prev", "Previous studies")] if p.previous else []) + [
        ("main", "side", f"Identification of {new}studies via databases and registers")] + (
        [("other", "oside", f"Identification of {new}studies via other methods")] if p.other_methods else [])
    heads = [Head(xs[a], xs[b] + xs["w"] - xs[a], wrap(label, xs[b] + xs["w"] - xs[a] - 2 * PAD, bold=True))
             for a, b, label in spans]
    head_h = max(len(h.lines) for h in heads) * LINE + 2 * PAD

    # Every box of a row is as tall as the row, so side arrows run level; a phase is at least as tall as its label.
    heights = [max(b.h for b in row) for row in rows]
    phases = [("Identification", 0, 1), ("Screening", 1, 4), ("Included", 4, 5)]
    for label, first, end in phases:
        short = text_width(label, bold=True) + 2 * PAD - (sum(heights[first:end]) + ROW_GAP * (end - first - 1))
        heights[first] += max(0, int(short) + 1)
    y = head_h + 12
    for row, height in zip(rows, heights, strict=True):
        for box in row:
            box.y, box.h = y, height
        y += height + ROW_GAP

    by_col = [{b.col: b for b in row} for row in rows]
    ident, screened, sought, assessed, included = by_col
    arrows: list[list[tuple[int, int]]] = []
    for a, b in [(ident["main"], screened["main"]), (screened["main"], sought["main"]),
                 (sought["main"], assessed["main"]), (assessed["main"], included["main"])]:
        arrows.append([(a.cx, a.y + a.h), (a.cx, b.y)])
    for row in by_col:
        for col, side in (("main", "side"), ("other", "oside")):
            if col in row and side in row:
                arrows.append([(row[col].x + row[col].w, row[col].cy), (row[side].x, row[side].cy)])
    inc = included["main"]
    if p.other_methods:
        for a, b in [(ident["other"], sought["other"]), (sought["other"], assessed["other"])]:
            arrows.append([(a.cx, a.y + a.h), (a.cx, b.y)])
        a = assessed["other"]
        arrows.append([(a.cx, a.y + a.h), (a.cx, inc.cy), (inc.x + inc.w, inc.cy)])
    if p.previous:
        a = ident["prev"]
        arrows.append([(a.cx, a.y + a.h), (a.cx, inc.cy), (inc.x, inc.cy)])

    width = max(b.x + b.w for row in rows for b in row) + RIGHT
    return Diagram(width, inc.y + inc.h + 2, head_h, heads,
                   [Phase(label, rows[first][0].y, rows[end - 1][0].y + rows[end - 1][0].h,
                          [b for row in rows[first:end] for b in sorted(row, key=lambda b: b.x)])
                    for label, first, end in phases], arrows)


_env = Environment(loader=PackageLoader("generator", "templates"), autoescape=True, trim_blocks=True,
                   lstrip_blocks=True)


def render_svg(p: Prisma, link: Callable[[str], str], standalone: bool = False) -> str:
    d = layout(p, link)
    svg = _env.get_template("prisma.svg.j2").render(d=d, standalone=standalone, FONT=FONT, LINE=LINE, PAD=PAD,
                                                    BASELINE=BASELINE, PHASE_X=PHASE_X, PHASE_W=PHASE_W)
    return xml_text(svg)  # the template writes only XML's characters; names from review.yml may hold others
