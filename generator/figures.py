"""Counting studies: the numbers shown on the home, theme and (later) matrix pages."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from .countries import country_name
from .model import Facet, Study


def by_country(studies: Iterable[Study]) -> list[tuple[str, int]]:
    """(country name, studies) — a study in two countries counts once for each; most first."""
    counts = Counter(country_name(c) for s in studies for c in s.countries)
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


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
