"""Syntheses against the studies, as the map grows: a synthesis that says how many studies report on its theme when
that is no longer the number, and studies with a finding on a theme that its synthesis does not cite.

Both are warnings: revising the narrative is the maintainers' work, and until then the theme page lists the studies
added since the synthesis was last revised. The count is looked for only where a synthesis states it for the theme
as a whole: a sentence of its opening paragraph that starts with the number ("Eight studies report …", "11 of the
included studies …"); a number further on ("Five studies describe …") is usually about some of them."""

from __future__ import annotations

import re

from ..citations import find_citations
from ..model import Study, Theme
from .prisma_check import listing
from .problems import Problem

_UNITS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_TEENS = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
          "nineteen"]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
WORDS = {**{w: i + 1 for i, w in enumerate(_UNITS)}, **{w: i + 10 for i, w in enumerate(_TEENS)},
         **{w: 10 * (i + 2) for i, w in enumerate(_TENS)}}

_NUMBER = (r"\d{1,3}(?:,\d{3})*|(?:" + "|".join(_TENS) + r")(?:[- ](?:" + "|".join(_UNITS) + r"))?|"
           + "|".join(_TEENS + _UNITS))
# At the start of a sentence: "Eight studies", "In total, 12 included studies", "Eleven of the studies".
_CLAIM = re.compile(r"(?:^|(?:(?<=[.!?])|(?<=[.!?][)\]\"'\u2019\u201d]))\s+)(?:in\s+total,?\s+|all\s+)?"
                    r"(?P<n>" + _NUMBER + r")\s+(?P<of>of\s+the\s+)?(?:included\s+)?stud(?:y|ies)\b",
                    re.IGNORECASE)


def number(text: str) -> int:
    """'Eight' -> 8, 'twenty-one' -> 21, '1,200' -> 1200."""
    text = text.lower()
    if text[0].isdigit():
        return int(text.replace(",", ""))
    return sum(WORDS[part] for part in re.split(r"[- ]", text))


def opening_paragraph(body: str) -> tuple[int, str]:
    """The synthesis's first paragraph of text (after any heading), and its line within the body (0-based)."""
    lines = body.split("\n")
    start = next((i for i, line in enumerate(lines) if line.strip() and not line.lstrip().startswith("#")), None)
    if start is None:
        return 0, ""
    end = next((i for i in range(start, len(lines)) if not lines[i].strip() or lines[i].lstrip().startswith("#")),
               len(lines))
    return start, "\n".join(lines[start:end])


def stated_count(paragraph: str) -> re.Match[str] | None:
    """The first sentence of the paragraph that starts with a number of studies ("one of the studies" names one of
    them, not their number)."""
    for claim in _CLAIM.finditer(paragraph):
        if not (claim.group("of") and number(claim.group("n")) == 1):
            return claim
    return None


def synthesis_problems(themes: list[Theme], studies: list[Study]) -> list[Problem]:
    members: dict[str, list[str]] = {t.id: [] for t in themes}
    for study in studies:
        for theme_id in study.theme_ids:
            members.setdefault(theme_id, []).append(study.id)
    known = {study.id for study in studies}
    found: list[Problem] = []
    for theme in themes:
        ids = members[theme.id]
        first, paragraph = opening_paragraph(theme.body)
        claim = stated_count(paragraph)
        if claim is not None:
            said = number(claim.group("n"))
            if said != len(ids):
                line = theme.body_line + first + paragraph.count("\n", 0, claim.start("n"))
                have = "1 study has" if len(ids) == 1 else f"{len(ids):,} studies have"
                found.append(Problem(
                    theme.source, line, "synthesis", f"says '{claim.group(0).strip()}', but {have} findings on "
                    "this theme", "revise the synthesis to cover the studies added since it was written (the theme "
                    "page lists them), and update the number", warning=True))
        cited = {c.key for c in find_citations(theme.body)}
        # A synthesis written without citations is not asked for them; one citing an unknown id has an error that
        # names the study it most likely means.
        uncited = sorted(set(ids) - cited) if cited and cited <= known else []
        if len(uncited) == 1:
            found.append(Problem(theme.source, theme.body_line, "synthesis", f"does not cite {uncited[0]}, which has a "
                                 "finding on this theme", f"cite it where the synthesis covers its finding, as "
                                 f"[@{uncited[0]}]", warning=True))
        elif uncited:
            found.append(Problem(theme.source, theme.body_line, "synthesis", f"does not cite {len(uncited):,} studies "
                                 f"that have findings on this theme: {listing(uncited)}", "cite each where the "
                                 f"synthesis covers its finding, e.g. [@{uncited[0]}]", warning=True))
    return found
