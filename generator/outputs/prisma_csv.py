"""The PRISMA2020 R package's CSV template, written from our `prisma:` counts (importers/prisma_csv.py reads it back).

The PRISMA2020 R package and its Shiny app (Haddaway et al. 2022) read a CSV with the columns
`data,node,box,description,boxtext,tooltips,url,n`: one row per count, named in `data`. Counts per database or
register, and exclusion reasons, go in one `n` cell as `Name, 20; Other name, 30`.

What does not map one to one:
- Our `identified` is databases + registers; the template has one count for each.
- Our `included_studies` is the total on the map; the template has new studies and, with a previous version of the
  review, the total.
- The template has three "other methods" sources (websites, organisations, citation searching), whose `boxtext` is
  the label drawn. Our sources are matched to them by name; extra sources share the last free row.
- Names cannot contain the template's separators `,` and `;`: they are written as ` / `. A name that starts like a
  spreadsheet formula (`=`, `+`, `-`, `@`) is written with a leading `'`, and read back without it.
"""

from __future__ import annotations

import csv
import io
import re

from ..content.prisma_check import given_count, sum_counts
from ..content.schema import Excluded, Prisma

COLUMNS = ("data", "node", "box", "description", "boxtext", "tooltips", "url", "n")

# (data, node, box, description, boxtext, tooltips, url), in the order of the package's inst/extdata/PRISMA.csv
# (plus the per-database and per-register rows its app's template adds). n is filled in by export_csv.
TEMPLATE: tuple[tuple[str, ...], ...] = (
    ("NA", "node4", "prevstud", "Grey title box; Previous studies", "Previous studies",
     "Grey title box; Previous studies", "prevstud.html"),
    ("previous_studies", "node5", "box1", "Studies included in previous version of review",
     "Studies included in previous version of review", "Studies included in previous version of review",
     "previous_studies.html"),
    ("previous_reports", "NA", "box1", "Reports of studies included in previous version of review",
     "Reports of studies included in previous version of review", "NA", "previous_reports.html"),
    ("NA", "node6", "newstud", "Yellow title box; Identification of new studies via databases and registers",
     "Identification of new studies via databases and registers",
     "Yellow title box; Identification of new studies via databases and registers", "newstud.html"),
    ("database_results", "node7", "box2", "Records identified from: Databases", "Databases",
     "Records identified from: Databases", "database_results.html"),
    ("database_specific_results", "NA", "box2", "Records identified from: specific databases",
     "Specific databases", "NA", "database_results.html"),
    ("register_results", "NA", "box2", "Records identified from: Registers", "Registers", "NA", "NA"),
    ("register_specific_results", "NA", "box2", "Records identified from: specific registers",
     "Specific registers", "NA", "database_results.html"),
    ("NA", "node16", "othstud", "Grey title box; Identification of new studies via other methods",
     "Identification of new studies via other methods",
     "Grey title box; Identification of new studies via other methods", "othstud.html"),
    ("website_results", "node17", "box11", "Records identified from: Websites", "Websites",
     "Records identified from: Websites", "website_results.html"),
    ("organisation_results", "", "box11", "Records identified from: Organisations", "Organisations", "NA", "NA"),
    ("citations_results", "NA", "box11", "Records identified from: Citation searching", "Citation searching",
     "NA", "NA"),
    ("duplicates", "node8", "box3", "Duplicate records", "Duplicate records", "Duplicate records",
     "duplicates.html"),
    ("excluded_automatic", "NA", "box3", "Records marked as ineligible by automation tools",
     "Records marked as ineligible by automation tools", "NA", "NA"),
    ("excluded_other", "NA", "box3", "Records removed for other reasons", "Records removed for other reasons",
     "NA", "NA"),
    ("records_screened", "node9", "box4", "Records screened (databases and registers)", "Records screened",
     "Records screened (databases and registers)", "records_screened.html"),
    ("records_excluded", "node10", "box5", "Records excluded (databases and registers)", "Records excluded",
     "Records excluded (databases and registers)", "records_excluded.html"),
    ("dbr_sought_reports", "node11", "box6", "Reports sought for retrieval (databases and registers)",
     "Reports sought for retrieval", "Reports sought for retrieval (databases and registers)",
     "dbr_sought_reports.html"),
    ("dbr_notretrieved_reports", "node12", "box7", "Reports not retrieved (databases and registers)",
     "Reports not retrieved", "Reports not retrieved (databases and registers)", "dbr_notretrieved_reports.html"),
    ("other_sought_reports", "node18", "box12", "Reports sought for retrieval (other)",
     "Reports sought for retrieval", "Reports sought for retrieval (other)", "other_sought_reports.html"),
    ("other_notretrieved_reports", "node19", "box13", "Reports not retrieved (other)", "Reports not retrieved",
     "Reports not retrieved (other)", "other_notretrieved_reports.html"),
    ("dbr_assessed", "node13", "box8", "Reports assessed for eligibility (databases and registers)",
     "Reports assessed for eligibility", "Reports assessed for eligibility (databases and registers)",
     "dbr_assessed.html"),
    ("dbr_excluded", "node14", "box9", "Reports excluded (databases and registers): [separate reasons and numbers "
     "using ; e.g. Reason1, xxx; Reason2, xxx; Reason3, xxx]", "Reports excluded",
     "Reports excluded (databases and registers)", "dbrexcludedrecords.html"),
    ("other_assessed", "node20", "box14", "Reports assessed for eligibility (other)",
     "Reports assessed for eligibility", "Reports assessed for eligibility (other)", "other_assessed.html"),
    ("other_excluded", "node21", "box15", "Reports excluded (other): [separate reasons and numbers using ; e.g. "
     "Reason1, xxx; Reason2, xxx; Reason3, xxx]", "Reports excluded", "Reports excluded (other)",
     "other_excluded.html"),
    ("new_studies", "node15", "box10", "New studies included in review", "New studies included in review",
     "New studies included in review", "new_studies.html"),
    ("new_reports", "NA", "box10", "Reports of new included studies", "Reports of new included studies", "NA",
     "NA"),
    ("total_studies", "node22", "box16", "Total studies included in review", "Total studies included in review",
     "Total studies included in review", "total_studies.html"),
    ("total_reports", "NA", "box16", "Reports of total included studies", "Reports of total included studies",
     "NA", "NA"),
    ("identification", "node1", "identification", "Blue identification box", "Identification",
     "Blue identification box", "identification.html"),
    ("screening", "node2", "screening", "Blue screening box", "Screening", "Blue screening box", "screening.html"),
    ("included", "node3", "included", "Blue included box", "Included", "Blue included box", "included.html"),
)

OTHER_SOURCES = ("website_results", "organisation_results", "citations_results")
SOURCE_WORDS = {"website_results": "website", "organisation_results": "organi", "citations_results": "citation"}
DEFAULT_LABEL = {row[0]: row[4] for row in TEMPLATE}



def _count(value: int | None) -> str:
    return "" if value is None else str(value)


def _name(text: str) -> str:
    """A name in an `n` cell: the template's separators become ' / ', and a name a spreadsheet would read as a
    formula (=, +, -, @ first) gets a leading apostrophe, as spreadsheets themselves write text."""
    name = re.sub(r"\s*[,;]\s*", " / ", text.strip())
    return "'" + name if name[:1] in ("=", "+", "-", "@") else name


def _items(counts: dict[str, int | None]) -> str:
    return "; ".join(f"{_name(name)}, {_count(value)}" for name, value in counts.items())


def _minus(a: int | None, b: int | None) -> int | None:
    return None if a is None or b is None else a - b


def _excluded(excluded: Excluded | None) -> str:
    if excluded is None:
        return "0"
    return _items(excluded.reasons) if excluded.reasons else _count(excluded.total)


def _other_sources(sources: dict[str, int | None]) -> dict[str, tuple[str, int | None]]:
    """Our other-methods sources on the template's three rows: {row: (label drawn, count)}."""
    rows: dict[str, list[tuple[str, int | None]]] = {row: [] for row in OTHER_SOURCES}
    rest = []
    for name, value in sources.items():
        row = next((r for r in OTHER_SOURCES if SOURCE_WORDS[r] in name.lower() and not rows[r]), None)
        (rows[row] if row else rest).append((name, value))
    for name, value in rest:  # unmatched sources fill the free rows; once none is free, they share the last
        row = next((r for r in OTHER_SOURCES if not rows[r]), OTHER_SOURCES[-1])
        rows[row].append((name, value))
    out = {}
    for row, found in rows.items():
        if found:
            total = sum_counts(dict(found))
            out[row] = (_name(" + ".join(name for name, _ in found)), total)
    return out


def export_rows(prisma: Prisma) -> list[dict[str, str]]:
    """The template's rows with our counts in `n` (and our labels in `boxtext` where the template draws them)."""
    p = prisma
    registers = sum_counts(p.registers) if p.registers else 0
    databases = sum_counts(p.databases)
    if databases is None and registers is not None:
        databases = _minus(p.identified, registers)
    if registers is None and databases is not None:
        registers = _minus(p.identified, databases)
    prev_studies = p.previous.studies if p.previous else 0
    prev_reports = p.previous.reports if p.previous else 0
    other = p.other_methods
    n = {
        "previous_studies": _count(prev_studies), "previous_reports": _count(prev_reports),
        "database_results": _count(databases), "database_specific_results": _items(p.databases),
        "register_results": _count(registers), "register_specific_results": _items(p.registers),
        "duplicates": _count(given_count(p, "duplicates")),
        "excluded_automatic": _count(given_count(p, "automation_excluded")),
        "excluded_other": _count(given_count(p, "other_removed")),
        "records_screened": _count(p.screened), "records_excluded": _count(p.screened_excluded),
        "dbr_sought_reports": _count(p.sought), "dbr_notretrieved_reports": _count(p.not_retrieved),
        "dbr_assessed": _count(p.assessed), "dbr_excluded": _excluded(p.excluded),
        "other_sought_reports": _count(other.sought) if other else "0",
        "other_notretrieved_reports": _count(other.not_retrieved) if other else "0",
        "other_assessed": _count(other.assessed) if other else "0",
        "other_excluded": _excluded(other.excluded) if other else "0",
        "new_studies": _count(_minus(p.included_studies, prev_studies)),
        "new_reports": _count(_minus(p.included_reports, prev_reports)),
        "total_studies": _count(p.included_studies), "total_reports": _count(p.included_reports),
    }
    labels = {}
    for row in OTHER_SOURCES:
        n[row] = "0"
    if other:
        for row, (label, value) in _other_sources(other.sources).items():
            n[row], labels[row] = _count(value), label
    rows = []
    for data, node, box, description, boxtext, tooltips, url in TEMPLATE:
        if data in ("database_specific_results", "register_specific_results") and not n[data]:
            continue  # no names to give: leave the row out, as the package's own template does
        rows.append(dict(zip(COLUMNS, (data, node, box, description, labels.get(data, boxtext), tooltips, url,
                                       n.get(data, "0")), strict=True)))
    return rows


def export_csv(prisma: Prisma) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(export_rows(prisma))
    return out.getvalue()
