"""What the site's searches match: the text site search indexes for each study page, the page HTML as Material's
search should read it, and the names the studies index's filter takes for each country ("UK", "England", "USA").

A study page is found by plain words: its reference (without the title, which is the search entry's own title),
summary, findings, characteristics, countries and region, one paragraph each, so that Material's search shows the
paragraph that matched. The page itself is not parsed for the index (see publish/mkdocs_plugin.on_page_content).
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from functools import cache

import pycountry
from markupsafe import escape

from ..countries import country_name
from ..markup import markdown_html
from ..model import Study
from .base import Build
from .paths import COUNTRY_NAMES, study_page


def texts(build: Build) -> dict[str, str]:
    """The searchable text of every study page, by page path."""
    return {study_page(s.id): study_text(build, s) for s in build.map.studies}


def study_text(build: Build, study: Study) -> str:
    """A study's searchable text, as HTML paragraphs of plain words."""
    authors = ", ".join(study.authors[:-1]) + (" & " if len(study.authors) > 1 else "") + study.authors[-1]
    blocks = [f"{authors} ({study.year}). {study.journal}."]
    blocks += plain_paragraphs(markdown_html(study.summary))
    for finding in study.findings:
        blocks += plain_paragraphs(markdown_html(finding.markdown))
    facts = [", ".join(facet.label_of(v) for v in values)
             for facet in build.map.review.facets if (values := study.facets.get(facet.id))]
    facts += [", ".join(country_name(c) for c in study.countries), study.region or ""]
    blocks.append(". ".join(f for f in facts if f) + ".")
    return "".join(f"<p>{escape(b)}</p>" for b in blocks if b.strip(" ."))


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


# ---------------------------------------------------------------------------------------------- pages as indexed

_EXCLUDE = ' data-search-exclude="1"'
_CODE_OR_FIGURE = re.compile(r"<(pre|svg)\b")
_CELL = re.compile(r"<(t[dh])\b([^>]*)>(.*?)</\1>", re.S)
_NUMBER = re.compile(r"[-+−]?\d[\d,.\u00a0\u202f ]*(?:%|\s?[kKMG]?B)?")
_CELL_AFTER_CELL = re.compile(r"(</t[dh]>)(?=<t[dh]\b)")


def index_view(page: str) -> str:
    """Page HTML as Material's search should read it: code blocks, figures and table cells that hold only a number
    marked `data-search-exclude` (its parser skips them; its plugin then strips the attribute from the page), and
    a space between adjacent table cells, whose words its parser would run together ("Theme" "Qualitative"
    becoming "ThemeQualitative"). Only the attribute and that space differ from `page`."""
    page = _CODE_OR_FIGURE.sub(lambda m: f"<{m.group(1)}{_EXCLUDE}", page)

    def cell(match: re.Match[str]) -> str:
        tag, attributes, inner = match.groups()
        text = html.unescape(_INLINE_TAG.sub("", inner)).strip()
        if not text or not _NUMBER.fullmatch(text) or "data-search-exclude" in attributes:
            return match.group(0)
        return f"<{tag}{attributes}{_EXCLUDE}>{inner}</{tag}>"

    return _CELL_AFTER_CELL.sub(r"\1 ", _CELL.sub(cell, page))


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

