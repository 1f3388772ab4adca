"""Indexes worked out once from the map and shared by several outputs: theme members, related studies, changes."""

from __future__ import annotations

import datetime as _dt
from functools import cached_property
from typing import TYPE_CHECKING

from ..citations import author_year, sort_key
from ..model import EvidenceMap, Facet, Study, Theme
from .paths import study_url, theme_url

if TYPE_CHECKING:
    from .base import History

RELATED_LIMIT = 8
"""Related studies listed on a study page: a fixed number, so pages do not grow with the map."""
RELATED_WINDOW = 16
"""How many studies on each side, in time, are considered for "related" within each theme."""


class Derived:
    def __init__(self, emap: EvidenceMap, history: History) -> None:
        self.map = emap
        self.history = history

    @cached_property
    def themes_by_id(self) -> dict[str, Theme]:
        return {t.id: t for t in self.map.themes}

    @property
    def primary(self) -> Facet | None:
        """The review's main facet (its first): home and theme pages count studies by it."""
        return self.map.review.facets[0] if self.map.review.facets else None

    @cached_property
    def members(self) -> dict[str, tuple[Study, ...]]:
        """Each theme's studies, in the map's order."""
        found: dict[str, list[Study]] = {t.id: [] for t in self.map.themes}
        for study in self.map.studies:
            for theme_id in study.theme_ids:
                found[theme_id].append(study)
        return {k: tuple(v) for k, v in found.items()}

    @cached_property
    def changes(self) -> list[tuple[_dt.date, list[tuple[str, str, str, str]]]]:
        """What changed, newest day first: (day, [(kind, label, title, page), ...]); kind is 'added' or 'changed'
        for studies, 'synthesis' for themes."""
        events: dict[_dt.date, list[tuple[_dt.datetime, str, str, str, str]]] = {}
        for study in self.map.studies:
            dates = self.history.studies.get(study.id)
            if not dates:
                continue
            page = study_url(study.id)
            events.setdefault(dates.added.date(), []).append(
                (dates.added, "added", author_year(study), study.title, page))
            if dates.changed.date() != dates.added.date():
                events.setdefault(dates.changed.date(), []).append(
                    (dates.changed, "changed", author_year(study), study.title, page))
        for theme in self.map.themes:
            dates = self.history.themes.get(theme.id)
            if dates:
                events.setdefault(dates.changed.date(), []).append(
                    (dates.changed, "synthesis", theme.title, theme.title, theme_url(theme.id)))
        rank = {"added": 0, "changed": 1, "synthesis": 2}
        return [(day, [e[1:] for e in sorted(items, key=lambda e: (-e[0].timestamp(), rank[e[1]], sort_key(e[2])))])
                for day, items in sorted(events.items(), reverse=True)]

    def last_update(self) -> tuple[_dt.date, int] | None:
        """The day of the map's latest change, and how many studies were added that day."""
        changes = self.changes
        if not changes:
            return None
        day, items = changes[0]
        return day, sum(1 for kind, *_ in items if kind == "added")

    def related(self, study: Study) -> list[tuple[Study, int]]:
        """Other studies sharing its themes: most shared themes first, then nearest in time, then by id.
        Candidates are the RELATED_WINDOW studies nearest in time in each of its themes (all of them in a small
        map), so the cost per study does not grow with the map."""
        candidates: set[str] = set()
        for theme_id in study.theme_ids:
            ordered, position = self.by_time[theme_id]
            i = position[study.id]
            candidates.update(ordered[max(0, i - RELATED_WINDOW): i + RELATED_WINDOW + 1])
        candidates.discard(study.id)
        facts, mine, year = self._facts, frozenset(study.theme_ids), study.year
        ranked = sorted([(-len(mine & facts[x][0]), abs(facts[x][1] - year), x) for x in candidates])
        return [(facts[x][2], -shared) for shared, _, x in ranked[:RELATED_LIMIT]]

    @cached_property
    def by_time(self) -> dict[str, tuple[tuple[str, ...], dict[str, int]]]:
        """Each theme's study ids by year (then id), with each study's position."""
        out = {}
        for theme_id, members in self.members.items():
            ordered = tuple(s.id for s in sorted(members, key=lambda s: (s.year, s.id)))
            out[theme_id] = (ordered, {x: i for i, x in enumerate(ordered)})
        return out

    @cached_property
    def _facts(self) -> dict[str, tuple[frozenset[str], int, Study]]:
        """What ranking related studies needs of each study: its themes, its year, and the study."""
        return {s.id: (frozenset(s.theme_ids), s.year, s) for s in self.map.studies}
