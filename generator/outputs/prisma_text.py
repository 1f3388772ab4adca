"""The PRISMA counts in words: the home page's one-line summary and the methods page's account.

Each sentence counts every arm the review has (databases and registers, other methods, the previous version of
the review), so its numbers add up to what the flow diagram shows. A count written `null` reads "an unreported
number"; how many studies each arm gave is worked out (assessed − excluded, as content/prisma_check.py checks it)
and left out when a count it needs is not reported."""

from __future__ import annotations

from collections.abc import Sequence

from ..content.prisma_check import given_count, sum_counts
from ..content.schema import OtherMethods, Prisma

Part = tuple[str, bool]
"""A piece of a sentence, and whether it is a number the page shows in bold."""


def join_and(items: Sequence[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    return " and ".join(items) if len(items) < 3 else ", ".join(items[:-1]) + " and " + items[-1]


def _bare(k: int | None) -> str:
    return "an unreported number" if k is None else f"{k:,}"


def _were(k: int | None) -> str:
    return "was" if k == 1 else "were"


def _num(k: int | None, one: str, many: str) -> list[Part]:
    """'581 records' (the number in bold) or 'an unreported number of records'."""
    if k is None:
        return [(f"an unreported number of {many}", False)]
    return [(f"{k:,}", True), (" " + (one if k == 1 else many), False)]


def _words(parts: Sequence[Part]) -> str:
    return "".join(text for text, _ in parts)


def _minus(a: int | None, b: int | None) -> int | None:
    return None if a is None or b is None else a - b


def _other_excluded(other: OtherMethods) -> int | None:
    return other.excluded.total if other.excluded else 0


def studies_by_arm(p: Prisma) -> list[tuple[int, str]] | None:
    """(studies, 'from …') for each arm that gave included studies, when the review has more than the databases
    and registers; None with only that arm, or when a count needed is not reported."""
    if p.previous is None and p.other_methods is None:
        return None
    arms: list[tuple[int | None, str]] = []
    if p.previous is not None:
        arms.append((p.previous.studies, "from the previous version of the review"))
    arms.append((_minus(p.assessed, p.excluded.total), "from databases and registers"))
    if p.other_methods is not None:
        arms.append((_minus(p.other_methods.assessed, _other_excluded(p.other_methods)), "from other methods"))
    if any(k is None for k, _ in arms):
        return None
    return [(k, where) for k, where in arms if k is not None]


def _by_arm(p: Prisma, lead: str) -> list[Part]:
    arms = studies_by_arm(p)
    if not arms:
        return []
    items = [[(f"{k:,}", True), (f" {where}", False)] for k, where in arms]
    out: list[Part] = [(lead, False)]
    for i, item in enumerate(items):
        out += ([(", " if i < len(items) - 1 else " and ", False)] if i else []) + item
    return out


def home_summary(p: Prisma, databases: Sequence[str]) -> list[Part]:
    """'Found by searching A, B and C: 581 records, screened down to 67 full texts assessed and 11 studies
    included', with the other methods' records and full texts, and where the studies came from, when the review
    has those arms."""
    names = list(databases) + [name for name in p.registers if name not in databases]
    parts: list[Part] = [(f"Found by searching {join_and(names)}" if names else
                          "Found by searching databases and registers", False)]
    other = p.other_methods
    if other is None:
        parts += [(": ", False), *_num(p.identified, "record", "records"), (", screened down to ", False),
                  *_num(p.assessed, "full text", "full texts")]
    else:
        assessed = None if p.assessed is None or other.assessed is None else p.assessed + other.assessed
        parts += [(" (", False), *_num(p.identified, "record", "records"), (") and by other methods (", False),
                  *_num(sum_counts(other.sources), "record", "records"), ("): ", False),
                  *_num(assessed, "full text", "full texts")]
    return parts + [(" assessed and ", False), *_num(p.included_studies, "study", "studies"), (" included", False),
                    *_by_arm(p, " \u2014 ")]


def _removed(p: Prisma) -> str:
    """'50 were removed before screening (40 duplicates, …), ' when records were."""
    if p.identified is None or p.screened is None or p.identified <= p.screened:
        return ""
    kinds = [("duplicates", "duplicate", "duplicates"),
             ("automation_excluded", "marked as ineligible by automation tools", None),
             ("other_removed", "removed for other reasons", None)]
    details = []
    for name, one, many in kinds:
        k = given_count(p, name)
        if k:
            details.append(f"{k:,} {one if k == 1 or many is None else many}")
    gone = p.identified - p.screened
    return f"{gone:,} {_were(gone)} removed before screening" + (f" ({join_and(details)})" if details else "") + ", "


def methods_account(p: Prisma) -> list[str]:
    """The methods page's sentences: each arm from identification to inclusion, then the studies included."""
    more = p.previous is not None or p.other_methods is not None
    first = (f"Of {_words(_num(p.identified, 'record', 'records'))} identified in databases and registers, "
             f"{_removed(p)}{_bare(p.screened)} {_were(p.screened)} screened and {_bare(p.screened_excluded)} "
             f"excluded; {_words(_num(p.sought, 'full-text report', 'full-text reports'))} {_were(p.sought)} sought"
             + (f", {_bare(p.not_retrieved)} not retrieved" if p.not_retrieved != 0 else "")
             + f", {_bare(p.assessed)} assessed for eligibility and {_bare(p.excluded.total)} excluded")
    if not more:
        first += (f", leaving {_words(_num(p.included_studies, 'included study', 'included studies'))} "
                  f"({_words(_num(p.included_reports, 'report', 'reports'))})")
    sentences = [first + "."]
    if p.other_methods is not None:
        o = p.other_methods
        sources = [f"{_bare(k)} from {name}" for name, k in o.sources.items()]
        sentences.append(
            f"Other methods found {_words(_num(sum_counts(o.sources), 'record', 'records'))}"
            + (f" ({join_and(sources)})" if sources else "")
            + f"; {_words(_num(o.sought, 'report', 'reports'))} {_were(o.sought)} sought"
            + (f", {_bare(o.not_retrieved)} not retrieved" if o.not_retrieved != 0 else "")
            + f", {_bare(o.assessed)} assessed for eligibility and {_bare(_other_excluded(o))} excluded.")
    if p.previous is not None:
        sentences.append(f"The previous version of the review included "
                         f"{_words(_num(p.previous.studies, 'study', 'studies'))} "
                         f"({_words(_num(p.previous.reports, 'report', 'reports'))}).")
    if more:
        verb = "is" if p.included_studies == 1 else "are"
        sentences.append(f"In all, {_words(_num(p.included_studies, 'study', 'studies'))} "
                         f"({_words(_num(p.included_reports, 'report', 'reports'))}) {verb} included"
                         f"{_words(_by_arm(p, ': '))}.")
    return sentences
