"""How current the map is, in plain sentences for the home and methods pages: the last search (per database where
review.yml gives dates), this version and its date, the next planned update, and the studies added since the last
search. And the map's version itself, for the footer and "Cite this map".

The version comes from git when the publisher found a tag `v*` (publish/history.py: it wins), else from review.yml's
`release.version`. No I/O here: dates from git come in the build's History, the build's date as Build.today.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

from .base import Build, day

Part = tuple[str, _dt.date | None]
"""A piece of a sentence: text, or a date (shown as the site shows dates, in a <time> element)."""


@dataclass(frozen=True)
class Version:
    label: str  # "1.2"
    tag: str | None = None  # the git tag it comes from ("v1.2"); None from review.yml
    later: int = 0  # commits after the tag: 0 when the build is the tagged commit
    date: _dt.date | None = None  # the date of the commit built (git); None unknown
    source: str = "review.yml"  # or "git"

    @property
    def text(self) -> str:
        """'1.2', or '1.2 with 3 later commits' for a build after the tagged commit (not itself that version)."""
        if not self.later:
            return self.label
        return f"{self.label} with {self.later:,} later commit{'s' if self.later != 1 else ''}"


@dataclass(frozen=True)
class Fact:
    label: str
    parts: tuple[Part, ...]

    def __post_init__(self) -> None:
        # Each fact reads as a sentence after its label: "Next update: No date set."
        if self.parts and self.parts[0][1] is None and self.parts[0][0]:
            first = self.parts[0][0]
            object.__setattr__(self, "parts", ((first[0].upper() + first[1:], None), *self.parts[1:]))

    @property
    def text(self) -> str:
        """The sentence as a reader reads it (dates as the site writes them)."""
        return "".join(day(when) if when else text for text, when in self.parts)


def map_version(build: Build) -> Version | None:
    """The version of the map being built: a git tag wins over review.yml's release.version; None without either."""
    found = getattr(build.history, "version", None)
    if found is not None:
        return found
    label = build.map.review.version
    return Version(label=label.removeprefix("v") if label[1:2].isdigit() else label) if label else None


def last_search(build: Build) -> _dt.date | None:
    """The review's last search: search.last_search, else the latest of its per-database dates."""
    review = build.map.review
    return review.last_search or max((d for _, d in review.last_search_by_database), default=None)


def facts(build: Build) -> list[Fact]:
    """The four currency facts, each a plain sentence whatever review.yml and git leave out."""
    return [_search_fact(build), _version_fact(build), _next_fact(build), _added_fact(build)]


def _search_fact(build: Build) -> Fact:
    review = build.map.review
    last = last_search(build)
    if last is None:
        return Fact("Last search", (("not reported", None),))
    parts: list[Part] = [("", last)]
    by_db = dict(review.last_search_by_database)
    if by_db:
        each: list[Part] = []
        for name in review.databases:
            each.append((f"; {name}: " if each else f" ({name}: ", None))
            when = by_db.get(name) or review.last_search
            each.append(("date not reported", None) if when is None else ("", when))
        parts += [*each, (")", None)]
    elif len(review.databases) > 1:
        parts.append((f" (all {len(review.databases)} databases)", None))
    return Fact("Last search", tuple(parts))


def _version_fact(build: Build) -> Fact:
    version = map_version(build)
    last = build.derived.last_update()
    updated = last[0] if last else None
    if version is None:
        if updated is None:
            return Fact("Version", (("not numbered; date of the last update unknown", None),))
        return Fact("Version", (("not numbered; last updated on ", None), ("", updated)))
    if version.date is not None:
        return Fact("Version", ((f"{version.text}, of ", None), ("", version.date)))
    if updated is not None:
        return Fact("Version", ((f"{version.text}; last updated on ", None), ("", updated)))
    return Fact("Version", ((version.text, None),))


def _next_fact(build: Build) -> Fact:
    when = build.map.review.next_update
    if when is None:
        return Fact("Next update", (("no date set", None),))
    if when < build.today:
        return Fact("Next update", (("was planned for ", None), ("", when), (", which has passed", None)))
    return Fact("Next update", (("planned for ", None), ("", when)))


def _added_fact(build: Build) -> Fact:
    label = "Added since the last search"
    last = last_search(build)
    if last is None:
        return Fact(label, (("unknown: the date of the last search is not reported", None),))
    parts: list[Part] = []
    other = _other_methods(build)
    if other is not None:
        parts.append((f"{_studies(other)} found by other methods (the flow diagram's other-methods arm); ", None))
    history = build.history
    if not history.known:
        parts.append(("when studies were added is unknown: this copy was built without its git history", None))
        return Fact(label, tuple(parts))
    added = _added_after(build, last)
    if not added:
        parts.append(("none added to the map since ", None))
        parts.append(("", last))
    else:
        parts.append((f"{_studies(len(added))} added to the map since ", None))
        parts += [("", last), (", the latest on ", None), ("", max(added))]
    return Fact(label, tuple(parts))


def _studies(n: int) -> str:
    return f"{n:,} stud{'y' if n == 1 else 'ies'}"


def _other_methods(build: Build) -> int | None:
    """Studies the flow diagram counts as found by other methods: assessed less excluded; None without that arm
    or when its counts are not reported."""
    prisma = build.map.review.prisma
    other = prisma.other_methods if prisma else None
    if other is None or other.assessed is None:
        return None
    excluded = 0 if other.excluded is None else other.excluded.total
    return None if excluded is None else max(0, other.assessed - excluded)


def _added_after(build: Build, last: _dt.date) -> list[_dt.date]:
    """The days studies were added to the map after the last search, from git. Studies in the map's first content
    commit are left out: a map imported after its search (the bundled one was made years later) would otherwise
    count every study it started with."""
    history = build.history
    known = [d for d in (*history.studies.values(), *history.themes.values()) if d]
    start = min(d.added for d in known).date()
    return [d.added.date() for d in history.studies.values() if d and d.added.date() > max(last, start)]


def footer_text(build: Build) -> str:
    """What every page's footer says of the version: 'Version 1.2 · 5 March 2024', or without a version 'No numbered
    version yet · last updated 5 March 2024' (plain text: the theme's template escapes it)."""
    version = map_version(build)
    last = build.derived.last_update()
    if version is not None:
        when = version.date or (last[0] if last else None)
        return f"Version {version.text}" + (f" · {day(when)}" if when else "")
    return "No numbered version yet" + (f" · last updated {day(last[0])}" if last else "")
