"""Read a PRISMA2020 R package CSV back into `prisma:` YAML, checking that its numbers add up and naming the CSV
line of any count that does not. The template, and how our counts map onto it, is in outputs/prisma_csv.py (which
writes it)."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from ..content.prisma_check import check_prisma, sum_counts
from ..content.problems import Problem
from ..content.schema import Prisma
from ..content.validate import validate_model
from ..content.yamlsource import Loaded
from ..outputs.prisma_csv import COLUMNS, DEFAULT_LABEL, OTHER_SOURCES
from .textfile import TextFileError, read_text_file

_UNKNOWN = {"", "na", "xxx"}  # how the template and R write "not reported"
_ITEM = re.compile(r"^(?P<name>.*?)\s*,\s*(?P<n>[0-9][0-9,]*|NA|xxx|)\s*$", re.IGNORECASE)

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
        DEFAULT_LABEL["database_results"]: db_total}
    registers = items("register_specific_results", "registers") or (
        {} if reg_total == 0 else {DEFAULT_LABEL["register_results"]: reg_total})
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
            sources[cells[key].boxtext or DEFAULT_LABEL[key]] = value
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


def read_csv_file(path: Path) -> str:
    """The text of a CSV file as spreadsheets save it (see importers/textfile.py). Raises PrismaCsvError saying
    what the file is otherwise."""
    try:
        return read_text_file(
            path, MAX_CSV_BYTES, what="the CSV file", save_as="save the file from your spreadsheet as 'CSV UTF-8'",
            too_big="the PRISMA2020 template is a few KB: is this the right file?",
            empty="fill in the PRISMA2020 template and save it as CSV",
            binary="is this the CSV? save the PRISMA2020 template from your spreadsheet as 'CSV UTF-8'")
    except TextFileError as exc:
        raise PrismaCsvError([Problem(str(path), exc.line, "", exc.message, exc.hint)]) from None
