"""PRISMA 2020 arithmetic: the boxes of the flow diagram must add up, and agree with the study files.
A count written `null` (not reported) skips every check that needs it; an optional count left out is 0."""

from __future__ import annotations

from collections.abc import Callable

from pydantic import BaseModel

from .problems import Problem
from .schema import Excluded, OtherMethods, Prisma

MINUS = "\u2212"


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


def check_prisma(prisma: Prisma, n_study_files: int, source: str,
                 line: Callable[[tuple[str, ...]], int | None]) -> list[Problem]:
    problems: list[Problem] = []

    def add(keys: tuple[str, ...], message: str, field: str = "prisma") -> None:
        problems.append(Problem(source, line(("prisma", *keys)), field, message,
                                "check the counts against the review's flow diagram"))

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
        add(("included_studies",), f"{found[0]} = {found[1]}, but included_studies is {prisma.included_studies}")

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
