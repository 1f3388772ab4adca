"""PRISMA 2020 arithmetic: the boxes of the flow diagram must add up, and agree with the study files.
A count written `null` (not reported) skips every check that needs it; an optional count left out is 0."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable, Sequence

from pydantic import BaseModel

from .problems import Problem
from .schema import Excluded, OtherMethods, Prisma

MINUS = "\u2212"
FLOW_HINT = "check the counts against the review's flow diagram"
GUIDE = "see 'Update the PRISMA counts' in docs/contributing.md"


def given_count(model: BaseModel, name: str) -> int | None:
    """The count, 0 when an optional count was left out, None when written null (not reported)."""
    value = getattr(model, name)
    if value is None and name not in model.model_fields_set:
        return 0
    return value


def sum_counts(counts: dict[str, int | None]) -> int | None:
    return None if any(v is None for v in counts.values()) else sum(v for v in counts.values() if v is not None)


def _chain(parts: list[tuple[str, int | None]]) -> tuple[str, int] | None:
    """'a (1) − b (2)' and its value, or None when a part is not reported."""
    if any(v is None for _, v in parts):
        return None
    text = f" {MINUS} ".join(f"{name} ({value})" for name, value in parts)
    return text, parts[0][1] - sum(v for _, v in parts[1:])  # type: ignore[operator]


def check_prisma(prisma: Prisma, n_study_files: int, source: str, line: Callable[[tuple[str, ...]], int | None],
                 last_search: _dt.date | None = None, late: Sequence[tuple[str, int]] = ()) -> list[Problem]:
    """Every count that does not add up. `late` names the studies published after `last_search` (id, year): the
    hint for a study added to the map says which arm they belong in."""
    problems: list[Problem] = []

    def add(keys: tuple[str, ...], message: str, field: str = "prisma", hint: str = FLOW_HINT) -> None:
        problems.append(Problem(source, line(("prisma", *keys)), field, message, hint))

    sources = {**prisma.databases, **prisma.registers}
    total = sum_counts(sources) if sources else None
    if total is not None and prisma.identified is not None and total != prisma.identified:
        add(("identified",), f"databases and registers add up to {total}, but identified is {prisma.identified}")

    removed = [("identified", prisma.identified)] + [
        (name, given_count(prisma, name)) for name in ("duplicates", "automation_excluded", "other_removed")
        if name in prisma.model_fields_set]
    _expect(add, ("screened",), removed, "screened", prisma.screened)
    _expect(add, ("sought",), [("screened", prisma.screened), ("screened_excluded", prisma.screened_excluded)],
            "sought", prisma.sought)
    _expect(add, ("assessed",), [("sought", prisma.sought), ("not_retrieved", prisma.not_retrieved)],
            "assessed", prisma.assessed)
    _reasons(add, ("excluded",), prisma.excluded, "prisma")

    # Studies included: this arm, plus the other-methods arm and the previous review when present.
    parts = [("assessed", prisma.assessed), ("excluded", prisma.excluded.total)]
    found = _chain(parts)
    other = prisma.other_methods
    if found and other is not None:
        other_found = _chain([("other assessed", other.assessed),
                              ("other excluded", other.excluded.total if other.excluded else 0)])
        found = (f"{found[0]} + {other_found[0]}", found[1] + other_found[1]) if other_found else None
    if found and prisma.previous is not None:
        prev = prisma.previous.studies
        found = (f"{found[0]} + previous studies ({prev})", found[1] + prev) if prev is not None else None
    if found and prisma.included_studies is not None and found[1] != prisma.included_studies:
        # included_studies already counts a study just added to the map, the boxes above it not yet.
        added = found[1] < prisma.included_studies == n_study_files
        add(("included_studies",), f"{found[0]} = {found[1]}, but included_studies is {prisma.included_studies}",
            hint=added_study_hint(prisma, last_search, late, prisma.included_studies - found[1], counted=True)
            if added else FLOW_HINT)

    if prisma.included_reports is not None and prisma.included_studies is not None \
            and prisma.included_reports < prisma.included_studies:
        add(("included_reports",), f"included_reports ({prisma.included_reports}) is less than "
                                   f"included_studies ({prisma.included_studies})")
    if prisma.previous is not None and None not in (prisma.previous.studies, prisma.previous.reports) \
            and prisma.previous.reports < prisma.previous.studies:  # type: ignore[operator]
        add(("previous",), f"previous reports ({prisma.previous.reports}) are fewer than previous studies "
                           f"({prisma.previous.studies})", "prisma.previous")
    if other is not None:
        _check_other(other, add)
    return problems


def _expect(add, keys, parts, name, actual) -> None:
    found = _chain(parts)
    if found and actual is not None and found[1] != actual:
        add(keys, f"{found[0]} = {found[1]}, but {name} is {actual}")


def _reasons(add, keys, excluded: Excluded | None, field: str) -> None:
    if excluded is None or not excluded.reasons or excluded.total is None:
        return
    total = sum_counts(excluded.reasons)
    if total is not None and total != excluded.total:
        add(keys, f"exclusion reasons add up to {total}, but excluded.total is {excluded.total}", field)


def _check_other(other: OtherMethods, add) -> None:
    def sub(keys, message, field="prisma.other_methods"):
        add(("other_methods", *keys), message, field)

    found = sum_counts(other.sources)
    if found is not None and other.sought is not None and other.sought > found:
        sub(("sought",), f"sought ({other.sought}) is more than the sources add up to ({found})")
    _expect(sub, ("assessed",), [("sought", other.sought), ("not_retrieved", other.not_retrieved)],
            "assessed", other.assessed)
    _reasons(lambda k, m, f: sub(k, m), ("excluded",), other.excluded, "prisma.other_methods")


def added_study_hint(prisma: Prisma, last_search: _dt.date | None, late: Sequence[tuple[str, int]], missing: int,
                     counted: bool = False) -> str:
    """What to do when the map has `missing` more studies than the flow diagram counts. A study published after the
    last search cannot have come from it: those the other-methods arm does not count yet are named, with the YAML
    that counts them. Otherwise both cases are explained. `counted`: included_studies already counts them."""
    other = prisma.other_methods
    in_other = _chain([("assessed", other.assessed), ("excluded", other.excluded.total if other.excluded else 0)]) \
        if other is not None else ("", 0)
    uncounted = len(late) - (in_other[1] if in_other else len(late))
    if last_search is None or uncounted <= 0:
        after = f", e.g. published after the last search ({last_search})" if last_search else ""
        return (f"a study that the review's own search found belongs in the database arm (as a rule, one report "
                f"fewer in prisma.excluded{'' if counted else ' and one more included_studies'}); one found later or "
                f"elsewhere{after}, under prisma.other_methods; {GUIDE}")
    n = uncounted
    it = "it" if len(late) == 1 else "them"
    if other is None:
        where = (f"count {it} in the other-methods arm: prisma.other_methods: {{sources: {{Citation searching: {n}}}, "
                 f"sought: {n}, not_retrieved: 0, assessed: {n}, excluded: {{total: 0}}}} (name the source)")
    else:
        where = (f"count {it} in prisma.other_methods, which includes {len(late) - n} so far: {n} more in a source, "
                 "in sought and in assessed")
    also = "" if counted else f", and {n} more included_studies and included_reports"
    return (f"{listing(f'{sid} ({year})' for sid, year in late)} {'was' if len(late) == 1 else 'were'} published "
            f"after the last search ({last_search}), so the review's search cannot have found {it}: {where}{also}; "
            f"{GUIDE}")


def listing(items: Iterable[str], shown: int = 5) -> str:
    """'a', 'a and b', 'a, b and c'; past `shown` items, 'a, b, c, d, e and 12 more'."""
    items = list(items)
    if len(items) > shown:
        return ", ".join(items[:shown]) + f" and {len(items) - shown:,} more"
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
