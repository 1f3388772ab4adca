"""Author names in parts.

A study file writes a person family name first, as a reference list and BibTeX do: "Carter, R.", with a particle
before the family name ("van Doorn, F.") and a suffix after the initials ("King, M. L., Jr."); a family name alone
when the initials are unknown ("Hunter"). An organisation is written in braces, "{World Health Organization}": as in
BibTeX, the braces say that the name is one whole, never split into a family name and initials.

Which words of "van Doorn" are a particle is BibTeX's rule, applied by bibtexparser: the lowercase words before
the last word. The checks that catch a name written another way are in content/authors.py.
"""

from __future__ import annotations

import re
from functools import cache

from bibtexparser.middlewares.names import parse_single_name_into_parts

SUFFIXES = frozenset({"Jr.", "Jr", "Sr.", "Sr", "II", "III", "IV"})
_ORGANISATION = re.compile(r"\{([^{}]*)\}")


class Name(str):
    """A name as the site shows it — "van Doorn, F.", or an organisation's name without its braces — with its
    parts. It is a str so that every page and file that shows names as text shows this form; author–year labels,
    the order of the studies and the reference formats read the parts."""

    family: str  # 'Doorn'; an organisation's whole name
    given: str  # 'F.'; '' when unknown
    particle: str  # 'van'
    suffix: str  # 'Jr.'
    organisation: bool
    short: str  # 'van Doorn': family name with its particle, or an organisation's name

    def __new__(cls, family: str, given: str = "", particle: str = "", suffix: str = "",
                organisation: bool = False) -> Name:
        if organisation:
            text = family
        else:
            rest = [given, suffix] if suffix else [given] if given else []
            text = ", ".join([" ".join(filter(None, (particle, family))), *rest])
        name = super().__new__(cls, text)
        name.family, name.given, name.particle, name.suffix = family, given, particle, suffix
        name.organisation = organisation
        # What an author–year label shows and the studies are sorted by: 'Carter', 'van Doorn', or an
        # organisation's whole name. (Set once: a study is labelled on many pages.)
        name.short = f"{particle} {family}" if particle and not organisation else family
        return name

    def __getnewargs__(self) -> tuple[str, str, str, str, bool]:  # copies and pickles keep the parts
        return self.family, self.given, self.particle, self.suffix, self.organisation

    @property
    def written(self) -> str:
        """The name as a study file writes it: an organisation in braces, and a family name of several words with
        no initials ends in a comma ("Ó Súilleabháin,"), which says that it is not given name first."""
        if self.organisation:
            return "{" + self + "}"
        return f"{self}," if not (self.given or self.suffix) and " " in self else str(self)

    def csl(self) -> dict[str, str]:
        """The name as CSL-JSON writes one (what Zotero and citeproc read): family, given, non-dropping-particle and
        suffix, or literal for an organisation."""
        if self.organisation:
            return {"literal": str(self)}
        parts = {"family": self.family, "given": self.given, "non-dropping-particle": self.particle,
                 "suffix": self.suffix}
        return {key: value for key, value in parts.items() if value}


@cache
def parse_name(text: str) -> Name:
    """'van Doorn, F.' -> Name(family='Doorn', given='F.', particle='van'). A name with no comma is taken whole, as
    written: the checks warn when it looks like given name first, and the site does not guess."""
    text = text.strip()
    organisation = _ORGANISATION.fullmatch(text)
    if organisation:
        return Name(" ".join(organisation.group(1).split()), organisation=True)
    sections = [section.strip() for section in text.split(",")]
    if len(sections) == 1:
        return Name(" ".join(text.split()))
    lead, given, suffix = sections[0], sections[1], ", ".join(sections[2:])
    if given in SUFFIXES and suffix and suffix not in SUFFIXES:
        given, suffix = suffix, given  # BibTeX's order, "King, Jr., M. L." (the checks ask for "King, M. L., Jr.")
    if len(lead.split()) < 2 and "{" not in lead:  # one word: no particle to split off (most names)
        return Name(lead, given, "", suffix)
    # "von Last, First" is the form in which BibTeX splits a particle off; the initials here only complete it.
    parts = parse_single_name_into_parts(f"{lead}, I.", strict=False)
    return Name(" ".join(parts.last), given, " ".join(parts.von), suffix)


def as_name(author: str) -> Name:
    """A Name, from a Name or from text in the file's form."""
    return author if isinstance(author, Name) else parse_name(author)


def parse_authors(authors: list[str] | tuple[str, ...]) -> tuple[Name, ...]:
    return tuple(as_name(a) for a in authors)
