"""What the site's searches match: the text a study page carries for site search, the hand-written pages as the
MkDocs plugin gives them to Material's search, and the names the studies index's filter takes for each country ("UK",
"England", "USA").

A study page is found by plain words: its reference (without the title, which is the search entry's own title),
summary, findings, characteristics, countries and region, one paragraph each, so that a search result shows the
paragraph that matched. The page carries them in a `hidden` element before its search end (study.html.j2), and
marks what they repeat `data-search-exclude`: Material's search plugin and Zensical both index the text of hidden
elements and skip excluded ones, so every builder indexes the same text and no plugin of ours is needed for it.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from functools import cache

import pycountry
from markupsafe import Markup, escape

from ..countries import country_name
from ..markup import markdown_html
from ..model import Study
from .base import Build
from .paths import COUNTRY_NAMES


def study_text(build: Build, study: Study) -> Markup:
    """A study's searchable text, as HTML paragraphs of plain words (no white space between them, which search
    would keep as a space in the entry)."""
    authors = ", ".join(study.authors[:-1]) + (" & " if len(study.authors) > 1 else "") + study.authors[-1]
    blocks = [f"{authors} ({study.year}). {study.journal}."]
    blocks += plain_paragraphs(markdown_html(study.summary))
    for finding in study.findings:
        blocks += plain_paragraphs(markdown_html(finding.markdown))
    facts = [", ".join(facet.label_of(v) for v in values)
             for facet in build.map.review.facets if (values := study.facets.get(facet.id))]
    facts += [", ".join(country_name(c) for c in study.countries), study.region or ""]
    blocks.append(". ".join(f for f in facts if f) + ".")
    return Markup("".join(f"<p>{escape(b)}</p>" for b in blocks if b.strip(" .")))


_BLOCK_TAG = re.compile(r"</?(?:p|li|h[1-6]|blockquote|pre|tr|dd|dt|table|ul|ol|dl)\b[^>]*>|<(?:br|hr)\b[^>]*>")
_INLINE_TAG = re.compile(r"<[^>]*>")
_PARAGRAPH_END = re.compile(r"</(?:p|li|h[1-6]|pre|dd|dt)>")
_CELL_END = re.compile(r"</t[dh]>")


def plain_paragraphs(rendered: str) -> list[str]:
    """The text of sanitised HTML (markdown_html's) as plain words, a string per paragraph (list item, heading)."""
    out = []
    for part in _PARAGRAPH_END.split(_CELL_END.sub(" ", rendered)):
        text = " ".join(html.unescape(_INLINE_TAG.sub("", _BLOCK_TAG.sub(" ", part))).split())
        if text:
            out.append(text)
    return out


# ---------------------------------------------------------------------------------------------- hand-written pages

_CODE_BLOCK = re.compile(r"<pre\b")


def index_view(page: str) -> str:
    """A hand-written page's HTML as the MkDocs plugin gives it to Material's search: its code blocks marked
    `data-search-exclude` (the search plugin skips them, then strips the attribute from the page). Generated pages
    carry their own marks (templates); a hand-written page is Markdown, whose code blocks take no attribute, so the
    export, built without the plugin, indexes them (docs/publishing.md)."""
    return _CODE_BLOCK.sub('<pre data-search-exclude="1"', page)


# ---------------------------------------------------------------------------------------------- country names

EVERYDAY_NAMES = {
    "GB": ("UK", "Britain"), "NL": ("Holland",), "TR": ("Turkey",), "CI": ("Ivory Coast",), "MM": ("Burma",),
    "CV": ("Cape Verde",), "SZ": ("Swaziland",), "MK": ("Macedonia",), "RU": ("Russia",), "CZ": ("Czech Republic",),
}
"""Names in everyday English that ISO 3166 does not give (the rest come from pycountry)."""


def fold(text: str) -> str:
    """Text as the studies filter compares it: lower case, without accents, single spaces (studies-table.js does
    the same to what a reader types)."""
    decomposed = unicodedata.normalize("NFD", text)
    return " ".join("".join(c for c in decomposed if not unicodedata.category(c).startswith("M")).lower().split())


@cache
def _country_names() -> dict[str, str]:
    """Every ISO 3166-1 country's names, folded, to its alpha-2 code: an alias may not name another country."""
    out: dict[str, str] = {}
    for country in pycountry.countries:
        for name in (country.name, getattr(country, "common_name", None)):
            if name:  # "Sint Maarten (Dutch part)" is also "Sint Maarten"
                out[fold(name)] = out[fold(name.split(" (", 1)[0])] = country.alpha_2
    return out


@cache
def aliases(code: str) -> frozenset[str]:
    """What a reader may type for the country `code` (folded): its ISO codes and names, the part of its official
    name after the last "of" ("America", "Great Britain", "Northern Ireland"), its constituent countries in ISO
    3166-2 ("England", "Scotland", "Wales"), and EVERYDAY_NAMES; never another country's name."""
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return frozenset()
    names = {code, country.alpha_3, country.name, country_name(code), *EVERYDAY_NAMES.get(code, ())}
    for attribute in ("common_name", "official_name"):
        names.add(getattr(country, attribute, None) or "")
    official = getattr(country, "official_name", None) or ""
    if " of " in official:
        tail = official.rsplit(" of ", 1)[1].removeprefix("the ")
        names.update(part for part in tail.split(" and ") if part[:1].isupper())
    for subdivision in pycountry.subdivisions.get(country_code=code) or ():
        if subdivision.type == "Country" and subdivision.parent_code is None:
            names.add(subdivision.name.split(" [", 1)[0])  # "Wales [Cymru GB-CYM]"
    names |= {name.split(" (", 1)[0] for name in names}  # "Sint Maarten (Dutch part)"
    others = _country_names()
    return frozenset(folded for name in names if (folded := fold(name)) and others.get(folded, code) == code)


@cache
def country_names() -> str:
    """The studies filter's country names, as JSON: each name a reader may type (folded) to the countries it
    stands for, named as the studies index shows them. Every country, not only the map's: "US" typed in a map
    with no study from there then finds none, rather than every row with "us" in it ("users")."""
    table: dict[str, set[str]] = {}
    for country in pycountry.countries:
        for alias in aliases(country.alpha_2):
            table.setdefault(alias, set()).add(country_name(country.alpha_2))
    data = {alias: sorted(names) for alias, names in sorted(table.items())}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


def files(build: Build) -> dict[str, str]:
    """The data files the site's searches read: the studies filter's country names."""
    return {COUNTRY_NAMES: country_names()}

