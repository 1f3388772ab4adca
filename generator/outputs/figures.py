"""Counting studies: the numbers shown on the home, theme and (later) matrix pages."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from ..countries import country_name
from ..model import Facet, Study


def by_country(studies: Iterable[Study]) -> list[tuple[str, int]]:
    """(country name, studies) — a study in two countries counts once for each; most first."""
    return [(country_name(code), n) for code, n in by_country_code(studies)]


def by_country_code(studies: Iterable[Study]) -> list[tuple[str, int]]:
    """(ISO code, studies) — a study in two countries counts once for each; most first, then by name."""
    counts = Counter(c for s in studies for c in s.countries)
    return sorted(counts.items(), key=lambda kv: (-kv[1], country_name(kv[0])))


def by_country_group(studies: Iterable[Study]) -> list[tuple[str, int]]:
    """(countries joined with ' + ', studies) — each study once, as a review reports it."""
    counts = Counter(" + ".join(sorted(country_name(c) for c in s.countries)) for s in studies)
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def by_facet(studies: Iterable[Study], facet: Facet) -> list[tuple[str, int]]:
    """(value label, studies) in the facet's own order, then 'Not reported'; zero counts left out."""
    counts: Counter[str | None] = Counter()
    for s in studies:
        values = s.facets.get(facet.id)
        if values is None:
            counts[None] += 1
        else:
            counts.update(values)
    rows = [(label, counts[v]) for v, label in facet.values if counts[v]]
    if counts[None]:
        rows.append(("Not reported", counts[None]))
    return rows


def year_span(studies: Iterable[Study]) -> tuple[int, int] | None:
    years = [s.year for s in studies]
    return (min(years), max(years)) if years else None


def countries(studies: Iterable[Study]) -> set[str]:
    return {c for s in studies for c in s.countries}


def by_year(studies: Iterable[Study]) -> list[tuple[int, int]]:
    """(year, studies) for every year from the first to the last, years without a study included as 0."""
    counts = Counter(s.year for s in studies)
    if not counts:
        return []
    return [(y, counts[y]) for y in range(min(counts), max(counts) + 1)]


def facet_counts(studies: Iterable[Study], facet: Facet) -> list[tuple[str | None, str, int]]:
    """(value id, label, studies) for every value in the facet's order, zeros included (they are gaps), then
    (None, 'Not reported', n) when some study does not report it. A study with two values counts for each."""
    counts: Counter[str | None] = Counter()
    for s in studies:
        counts.update(s.facets.get(facet.id) or (None,))
    rows: list[tuple[str | None, str, int]] = [(v, label, counts[v]) for v, label in facet.values]
    if counts[None]:
        rows.append((None, "Not reported", counts[None]))
    return rows
