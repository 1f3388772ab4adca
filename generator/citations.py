"""Author–year labels and pandoc-style citations (`[@key]`, `[@a; @b]`) in syntheses."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from .model import Study
from .names import as_name

# A bracketed group of one or more @keys separated by semicolons, e.g. [@a; @b-2017].
CITATION_GROUP = re.compile(r"\[(@[a-z0-9][a-z0-9-]*(?:\s*;\s*@[a-z0-9][a-z0-9-]*)*)\](?!\()", re.IGNORECASE)
_KEY = re.compile(r"@([a-z0-9][a-z0-9-]*)", re.IGNORECASE)


_FOLD = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "ł": "l", "đ": "d", "ð": "d", "þ": "th"})


def sort_key(name: str) -> str:
    """Alphabetical order that ignores case and accents: 'Østergaard' sorts with the Os."""
    folded = unicodedata.normalize("NFKD", name.casefold().translate(_FOLD))
    return "".join(c for c in folded if not unicodedata.combining(c))


def family(author: str) -> str:
    """'Anghel, R.' -> 'Anghel'; 'van Doorn, L.' -> 'van Doorn'; '{World Health Organization}' and a name written
    without a comma are taken whole."""
    return as_name(author).short


def author_label(authors: tuple[str, ...]) -> str:
    """'Anghel & Ramon'; 'Levy et al.' from three authors on."""
    first = family(authors[0])
    if len(authors) == 1:
        return first
    if len(authors) == 2:
        return f"{first} & {family(authors[1])}"
    return f"{first} et al."


def author_year(study: Study) -> str:
    return f"{author_label(study.authors)}, {study.year}"


def reference(study: Study, doi: bool = True) -> str:
    """A plain-text reference: Authors (year). Title. Journal, volume(issue), pages. https://doi.org/…"""
    names = [str(as_name(a)) for a in study.authors]
    authors = ", ".join(names[:-1]) + (" & " if len(names) > 1 else "") + names[-1]
    text = f"{authors} ({study.year}). {study.title.rstrip('.')}. {study.journal}"
    if study.volume:
        text += f", {study.volume}"
        if study.issue:
            text += f"({study.issue})"
    if study.pages:
        text += f", {study.pages}"
    text += "."
    if doi and study.doi:
        text += f" https://doi.org/{study.doi}"
    return text


@dataclass(frozen=True)
class Citation:
    key: str
    line: int  # 1-based, within the text given


def find_citations(text: str) -> Iterator[Citation]:
    for match in CITATION_GROUP.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        for key in _KEY.findall(match.group(1)):
            yield Citation(key, line)


# In HTML as cmark-gfm writes it: a tag (no '<' inside: cmark writes a '<' of the text as '&lt;'), and whether it
# opens or closes code.
_TAG = re.compile(r"<(/?)(code|pre)?\b[^<>]*>", re.IGNORECASE)


def replace_citations(html: str, link: Callable[[str], str]) -> str:
    """Replace each citation group in the text of `html` by '(A, 2009; B et al., 2014)', where link(key) gives each
    item's HTML. A citation inside code (a code span or block) is code, shown as written; tags are left alone."""

    def group(match: re.Match[str]) -> str:
        return "(" + "; ".join(link(key) for key in _KEY.findall(match.group(1))) + ")"

    out, start, code = [], 0, 0
    for tag in _TAG.finditer(html):
        text = html[start:tag.start()]
        out += (CITATION_GROUP.sub(group, text) if not code else text, tag.group())
        if tag.group(2):
            code = max(0, code - 1) if tag.group(1) else code + 1
        start = tag.end()
    text = html[start:]
    out.append(CITATION_GROUP.sub(group, text) if not code else text)
    return "".join(out)
