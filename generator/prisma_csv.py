"""The PRISMA2020 R package's CSV template, both ways.

The PRISMA2020 R package and its Shiny app (Haddaway et al. 2022) read a CSV with the columns
`data,node,box,description,boxtext,tooltips,url,n`: one row per count, named in `data`. Counts per database or
register, and exclusion reasons, go in one `n` cell as `Name, 20; Other name, 30`. `export_csv` writes our
`prisma:` counts in that template; `import_csv` reads such a file back into `prisma:` YAML and checks that its
numbers add up, naming the CSV line of any count that does not.

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

import codecs
import csv
import io
import os
import re
import stat
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from .prisma_check import check_prisma, given_count, sum_counts
from .problems import Problem
from .schema import Excluded, Prisma
from .validate import validate_model
from .yamlsource import Loaded

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
_SOURCE_WORDS = {"website_results": "website", "organisation_results": "organi", "citations_results": "citation"}
_DEFAULT_LABEL = {row[0]: row[4] for row in TEMPLATE}
_UNKNOWN = {"", "na", "xxx"}  # how the template and R write "not reported"
_ITEM = re.compile(r"^(?P<name>.*?)\s*,\s*(?P<n>[0-9][0-9,]*|NA|xxx|)\s*$", re.IGNORECASE)


# ---------------------------------------------------------------------------------------------------- export

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
        row = next((r for r in OTHER_SOURCES if _SOURCE_WORDS[r] in name.lower() and not rows[r]), None)
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


# ---------------------------------------------------------------------------------------------------- import

@dataclass
class _Cell:
    text: str
    line: int
    boxtext: str


class PrismaCsvError(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def _parse_count(text: str, source: str, line: int, field: str, problems: list[Problem]) -> int | None:
    clean = text.strip().replace(",", "").replace(" ", "")
    if clean.lower() in _UNKNOWN:
        return None
    if clean.isdigit():
        return int(clean)
    problems.append(Problem(source, line, field, f"{text.strip()!r} is not a count",
                            "write a whole number, or leave the cell empty when it was not reported"))
    return None


def _parse_items(cell: _Cell, source: str, field: str, problems: list[Problem]) -> dict[str, int | None]:
    items: dict[str, int | None] = {}
    for part in cell.text.split(";"):
        if not part.strip():
            continue
        match = _ITEM.match(part.strip())
        if not match or not match["name"]:
            problems.append(Problem(source, cell.line, field, f"{part.strip()!r} is not 'name, number'",
                                    "separate items with ';' and give each as 'Name, 20'"))
            continue
        name = match["name"][1:] if re.match(r"'[=+\-@]", match["name"]) else match["name"]
        items[name] = _parse_count(match["n"], source, cell.line, field, problems)
    return items


def _is_placeholder(items: dict[str, int | None]) -> bool:
    """The template's own example text, e.g. 'Database 1, xxx; Database 2, xxx'."""
    return all(v is None and re.fullmatch(r"(database|register|reason) ?\d+", k, re.I) for k, v in items.items())


def import_csv(text: str, source: str) -> tuple[dict, Loaded]:
    """The `prisma:` mapping a template CSV describes, with the CSV line of each key.
    Raises PrismaCsvError naming the line of every count that is unreadable or does not add up."""
    problems: list[Problem] = []
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    cells: dict[str, _Cell] = {}
    try:
        missing = [c for c in ("data", "n") if c not in (reader.fieldnames or [])]
        if missing:
            raise PrismaCsvError([Problem(source, 1, "", f"no {' or '.join(missing)} column",
                                          "the first line must be the template's: " + ",".join(COLUMNS))])
        for row in reader:
            data = (row.get("data") or "").strip()
            if data and data != "NA":
                cells[data] = _Cell(row.get("n") or "", reader.line_num, (row.get("boxtext") or "").strip())
    except csv.Error as exc:
        raise PrismaCsvError([Problem(source, reader.line_num + 1, "", f"not readable as CSV: {exc}",
                                      "save the PRISMA2020 template from your spreadsheet as CSV")]) from None
    if not cells:
        raise PrismaCsvError([Problem(source, 1, "", "no counts found", "is this the PRISMA2020 template?")])

    lines: dict[tuple[str | int, ...], int] = {}

    def count(key: str, *to: str) -> int | None:
        cell = cells.get(key)
        if cell is None:
            return 0  # the R package's default for a missing row
        for path in to:
            lines[tuple(path.split("."))] = cell.line
        return _parse_count(cell.text, source, cell.line, key, problems)

    def items(key: str, *to: str) -> dict[str, int | None]:
        cell = cells.get(key)
        if cell is None:
            return {}
        for path in to:
            lines[tuple(path.split("."))] = cell.line
        found = _parse_items(cell, source, key, problems)
        return {} if _is_placeholder(found) else found

    def excluded(key: str, to: str) -> dict:
        cell = cells.get(key)
        if cell is None:
            return {"total": 0}
        lines[tuple(to.split("."))] = cell.line
        text = cell.text.strip()
        if re.search(r"[^0-9,\s]", text) and text.lower() not in _UNKNOWN:  # reasons, not a bare number
            lines[(*to.split("."), "reasons")] = cell.line
            found = _parse_items(cell, source, key, problems)
            if _is_placeholder(found):
                return {"total": None}
            return {"total": sum_counts(found), "reasons": found}
        return {"total": _parse_count(text, source, cell.line, key, problems)}

    def positive(value: int | None) -> bool:
        return value is not None and value > 0

    db_total = count("database_results", "identified", "databases")
    reg_total = count("register_results", "identified", "registers")
    databases = items("database_specific_results", "databases") or {
        _DEFAULT_LABEL["database_results"]: db_total}
    registers = items("register_specific_results", "registers") or (
        {} if reg_total == 0 else {_DEFAULT_LABEL["register_results"]: reg_total})
    prisma: dict = {"databases": databases}
    if registers:
        prisma["registers"] = registers
    prisma["identified"] = None if db_total is None or reg_total is None else db_total + reg_total
    for key, ours in (("duplicates", "duplicates"), ("excluded_automatic", "automation_excluded"),
                      ("excluded_other", "other_removed")):
        value = count(key, ours)
        if value != 0:
            prisma[ours] = value
    prisma["screened"] = count("records_screened", "screened")
    prisma["screened_excluded"] = count("records_excluded", "screened_excluded")
    prisma["sought"] = count("dbr_sought_reports", "sought")
    prisma["not_retrieved"] = count("dbr_notretrieved_reports", "not_retrieved")
    prisma["assessed"] = count("dbr_assessed", "assessed")
    prisma["excluded"] = excluded("dbr_excluded", "excluded")

    prev_studies, prev_reports = count("previous_studies", "previous"), count("previous_reports", "previous")
    has_previous = positive(prev_studies) or positive(prev_reports)
    sources = {}
    for key in OTHER_SOURCES:
        value = count(key, "other_methods.sources")
        if value != 0 and key in cells:
            sources[cells[key].boxtext or _DEFAULT_LABEL[key]] = value
    other = {"sources": sources, "sought": count("other_sought_reports", "other_methods.sought"),
             "not_retrieved": count("other_notretrieved_reports", "other_methods.not_retrieved"),
             "assessed": count("other_assessed", "other_methods.assessed"),
             "excluded": excluded("other_excluded", "other_methods.excluded")}
    has_other = bool(sources) or any(positive(other[k]) for k in ("sought", "not_retrieved", "assessed")) \
        or positive(other["excluded"]["total"]) or "reasons" in other["excluded"]

    new_studies, new_reports = count("new_studies", "included_studies"), count("new_reports", "included_reports")
    total_studies, total_reports = count("total_studies"), count("total_reports")
    if positive(total_studies):
        lines[("included_studies",)] = cells["total_studies"].line
    if positive(total_reports):
        lines[("included_reports",)] = cells["total_reports"].line

    def total(total_value: int | None, new: int | None, previous: int | None) -> int | None:
        if positive(total_value):
            return total_value
        return _plus(new, previous) if has_previous else new

    prisma["included_studies"] = total(total_studies, new_studies, prev_studies)
    prisma["included_reports"] = total(total_reports, new_reports, prev_reports)
    if has_previous:
        prisma["previous"] = {"studies": prev_studies, "reports": prev_reports}
    if has_other:
        prisma["other_methods"] = other
    if problems:
        raise PrismaCsvError(problems)

    loaded = Loaded(prisma, lines)
    model, problems = validate_model(Prisma, loaded, source)
    if model is not None:
        problems = check_prisma(model, 0, source, lambda keys: loaded.line(keys[1:]))
    if problems:  # name the CSV's row, not our YAML key
        row_at = {cell.line: key for key, cell in cells.items()}
        raise PrismaCsvError([replace(p, field=row_at.get(p.line, p.field)) for p in problems])
    return prisma, loaded


def _plus(a: int | None, b: int | None) -> int | None:
    return None if a is None or b is None else a + b


def prisma_yaml(prisma: dict) -> str:
    """`prisma:` as YAML to paste into review.yml: one line per count, flow style for name -> count maps."""
    return yaml.safe_dump({"prisma": prisma}, sort_keys=False, allow_unicode=True, default_flow_style=None,
                          width=100)


MAX_CSV_BYTES = 1 << 20
"""The template is a few KB: a file over this is not one, and is not read whole."""
_SPECIAL = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket"))


def read_csv_file(path: Path) -> str:
    """The text of a CSV file as spreadsheets save it: UTF-8 (with or without a byte order mark), UTF-16 with its
    mark, or Windows-1252 (Excel's "CSV" on Windows). Raises PrismaCsvError saying what the file is otherwise."""
    def refuse(message: str, hint: str, line: int | None = None) -> PrismaCsvError:
        return PrismaCsvError([Problem(str(path), line, "", message, hint)])

    try:
        mode, size = (info := os.stat(path)).st_mode, info.st_size
        if not stat.S_ISREG(mode):  # checked before opening: opening a named pipe waits for a writer
            kind = next((name for test, name in _SPECIAL if test(mode)), "a device")
            raise refuse(f"{kind}, not a file", "give the path of the CSV file")
        if size > MAX_CSV_BYTES:
            raise refuse(f"file is {size:,} bytes, over the limit of {MAX_CSV_BYTES:,}",
                         "the PRISMA2020 template is a few KB: is this the right file?")
        with open(path, "rb") as file:
            raw = file.read(MAX_CSV_BYTES + 1)
    except OSError as exc:
        raise refuse(f"cannot read: {exc.strerror}", "check the path" if isinstance(exc, FileNotFoundError)
                     else "check the file's permissions") from None
    if len(raw) > MAX_CSV_BYTES:  # it grew since
        raise refuse(f"file is over the limit of {MAX_CSV_BYTES:,} bytes",
                     "the PRISMA2020 template is a few KB: is this the right file?")
    if not raw.strip():
        raise refuse("the file is empty", "fill in the PRISMA2020 template and save it as CSV")
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Excel's "Unicode text"
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise refuse("not valid UTF-16 text", "save the file from your spreadsheet as 'CSV UTF-8'") from None
    if b"\x00" in raw:
        raise refuse("not a text file (it holds NUL bytes)",
                     "is this the CSV? save the PRISMA2020 template from your spreadsheet as 'CSV UTF-8'")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as not_utf8:
        try:
            return raw.decode("cp1252")  # the template saved by Excel on Windows
        except UnicodeDecodeError:
            line = raw.count(b"\n", 0, not_utf8.start) + 1
            raise refuse(f"not UTF-8 text (byte 0x{raw[not_utf8.start]:02x})",
                         "save the file from your spreadsheet as 'CSV UTF-8'", line) from None
