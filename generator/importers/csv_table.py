"""Read a spreadsheet saved as CSV into study records: `import FILE.csv [--mapping MAP.yml]`.

Read without a mapping, known by their header:
- **Zotero's CSV export** (mappings/zotero.yml): Title, Author ("Family, Given; Family, Given"), Publication Year,
  Publication Title, Volume, Issue, Pages, DOI, Url.
- **Rayyan's CSV export** (mappings/rayyan.yml) and **Covidence's CSV export of references** (mappings/covidence.yml).
- **The site's own studies.csv**: every column comes back, facets from their labels, themes by id (studies.csv
  holds no findings), an appraised map's rating from its level's label and its rationale.
Any other sheet (a Covidence data-extraction export, a team's coding sheet) needs a mapping. A mapping given with a
known export adds to its built-in one: a column the mapping names is read as the mapping says.

The mapping file (YAML):

    separator: "; "        # between the values of one cell, for every column that holds several (default "; ")
    delimiter: ";"         # between cells; left out, the reader tells ",", ";" or a tab from the header line
    columns:               # <column name, as in the header>: <what it feeds>
      Title: title
      Authors: authors                       # "Family, Given" (or "Family, I."); a name with no comma and a space
                                             # in it is an organisation's, kept whole
      Year: year                             # the first four-digit year in the cell
      Country: countries                     # ISO 3166-1 codes or country names, `separator` between them
      Countries (free text): {field: countries, separator: ",", values: {UK: GB, England: GB}}
      Abstract: summary                      # an abstract is published only when a mapping says so
      "Study design": {facet: design, label: Study design, values: {RCT: rct, "Qualitative study": qualitative}}
      "Setting(s)": {facet: setting, separator: ","}
      "School-based": {facet: setting, value: school}       # one column per value: a ticked cell gives `school`
      "Challenges finding": {theme: challenges, title: Challenges}   # the cell is the study's finding
      "Quality": {field: appraisal, tool: CASP qualitative checklist, values: {"No concerns": high, "Minor": medium}}
      "Quality notes": appraisal_rationale
      "Reviewer 1": ignore

A column feeds a field: title, authors, year, journal, volume, issue, pages, doi, url (journal: the journal or
source; pages: "185-199"; a doi or url cell is read up to its first space), countries, region, summary, notes
(Markdown), sample_size (a whole number), sample_description, inferred (the paths a study file's `inferred:` lists),
or themes (theme ids or titles: the study is listed under each, with no finding), or id (the study's id: a new study
keeps it when it is a valid id not yet taken, else gets new-study's), or appraisal (the study's rating) and
appraisal_rationale (why, in Markdown). The long form `{field: <name>, separator: ...}` gives a list field its own
separator; `values:` maps cell text to ISO codes for `countries`, to theme ids for `themes` and to level ids for
`appraisal` (`null` leaves a text out: not appraised). `ignore` says a column is left out on purpose; a column the
mapping does not name is left out too, and the import lists it. Internal reviewer columns (coder names, comments,
decisions) are never read unless a mapping sends them somewhere.

A facet column: `{facet: <id>}` with options `label` (the facet's label in review.yml; default: the column's name),
`description`, `multiple` (true or false; default: true when a cell gives several values), `separator`, and
`values`: cell text -> value id (matched ignoring case; `null` leaves a text out, e.g. "Not reported": null). A
cell text that `values` does not list becomes a value of its own, its id made from the text ("Focus groups" ->
`focus-groups`) and the text its label. `{facet: <id>, value: <id>}` reads a column that stands for one value:
any text but "no", "false", "0", "n" or "-" gives the value, labelled with the column's name. Several columns may
feed one facet: their values add up. A theme column, `{theme: <id>, title: <text>}`: a cell that is not empty is
the study's finding for that theme (Markdown). Ids are lowercase words joined by "-". The import matches facets,
values and themes to review.yml's by id, else by label, and adds what is new.

An appraisal column: `{field: appraisal, tool: <the tool's name>, values: {<cell text>: <level id>}}`, or just
`appraisal`. A rating `values:` does not list is a level of its own, its id made from the text and the text its
label ("High confidence" -> `high-confidence`). The import matches the levels to review.yml's `appraisal.levels` by
id, else by label (case ignored). A review.yml without `appraisal:` gains one: the tool (TODO when `tool:` is left
out), each level with its label and a TODO for what it means. One that has `appraisal:` gains no level, as a tool's
levels are fixed: a rating that matches none is listed with the review's levels and not written. The rationale is
read only with a rating.

Write a column name in double quotes when it holds " #" or ": ", or when YAML would read it as true or false (Yes,
No, On, Off); the same goes for cell texts under `values:`. A column the mapping names that the sheet lacks is an
error naming the mapping's line, with the sheet's columns in its hint. The built-in mappings also say which tool
they are for (`export:`) and the columns that tell its export (`recognise:`); in a mapping of your own these two are
not needed.

Two columns feeding one field: the first that is not empty is read. A row without a title or a year is skipped,
with its number and line. A country that is neither an ISO code nor a country name by ISO 3166 (pycountry) is left
out and listed with a hint; it is never guessed. A cell that studies.csv wrote with a leading apostrophe (text a
spreadsheet would have run as a formula) is read without it. A row with more or fewer cells than the header, and a
quote left open or put in the middle of a cell, stop the import with the line to look at.

The file is read as it streams, a row at a time: UTF-8 (with or without a byte order mark), UTF-16 with its mark
(Excel's "Unicode text"), or Windows-1252."""

from __future__ import annotations

import codecs
import csv
import difflib
import itertools
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from .mapping import Mapping
from .mappings import built_in, column_rules, recognise, studies_csv_rules
from .mappings.sheet import Sheet
from .records import ReadResult
from .textfile import TextFileError

MAX_BYTES = 200 << 20
_CHUNK = 1 << 20
_DELIMITERS = (",", ";", "\t")
_SAVE_AS = "save the sheet again as CSV UTF-8 (comma delimited)"


def read_csv_export(path: Path, mapping: Mapping | None) -> ReadResult:
    """The records of a CSV export, read with `mapping` or with the built-in mapping its header calls for. Raises
    TextFileError naming the line of a malformed file, MappingError naming the line of a mapping that does not fit
    the sheet."""
    encoding = _encoding(path)
    with open(path, encoding=encoding, newline="") as file:
        try:
            return _read(file, mapping, str(path))
        except UnicodeDecodeError as exc:  # Windows-1252 leaves five bytes undefined
            raise TextFileError(f"not UTF-8 or Windows-1252 text (byte 0x{exc.object[exc.start]:02x})",
                                _SAVE_AS) from None


def _encoding(path: Path) -> str:
    """The file's encoding, found without holding the file in memory: a UTF-16 or UTF-8 byte order mark, else UTF-8
    when every byte decodes, else Windows-1252. Refuses what is not a readable text file, as textfile.py does."""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):  # checked before opening: opening a named pipe waits for a writer
            raise TextFileError("not a file (a folder, pipe or device)", "give the path of the CSV file")
        if info.st_size > MAX_BYTES:
            raise TextFileError(f"file is {info.st_size:,} bytes, over the limit of {MAX_BYTES:,}",
                                f"split the sheet: files up to {MAX_BYTES >> 20} MB are read")
        with open(path, "rb") as file:
            head = file.read(_CHUNK)
            if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
                return "utf-16"
            if not head.strip():
                raise TextFileError("the file is empty", "export the sheet again as CSV")
            if b"\x00" in head:
                raise TextFileError("not a text file (it holds NUL bytes)", "save the sheet as CSV, not as a "
                                    "workbook (.xlsx, .ods)")
            decoder = codecs.getincrementaldecoder("utf-8")()
            chunk = head
            while chunk:
                decoder.decode(chunk)
                chunk = file.read(_CHUNK)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "cp1252"
    except OSError as exc:
        raise TextFileError(f"cannot read: {exc.strerror}", "check the path" if isinstance(exc, FileNotFoundError)
                            else "check the file's permissions") from None
    return "utf-8-sig"


def _delimiter(first_line: str) -> str:
    """The one of ',', ';' and tab that the header line holds most of (Excel writes ';' where ',' is the decimal
    mark, and a tab in its "Unicode text")."""
    counts = {d: first_line.count(d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _read(file: TextIO, mapping: Mapping | None, source: str) -> ReadResult:
    first = file.readline()
    delimiter = column_rules(mapping)[1] if mapping else None
    reader = csv.reader(itertools.chain([first], file), delimiter=delimiter or _delimiter(first), strict=True)
    rows = _rows(reader)
    try:
        _, header = next(rows)
    except StopIteration:
        raise TextFileError("the file has no header line", "export the sheet again as CSV") from None
    header = [h.strip().lstrip("\ufeff").strip() for h in header]
    sheet = Sheet(header, *_rules(header, mapping))
    for line, row in rows:
        if not any(cell.strip() for cell in row):
            continue  # a blank line, or a row of empty cells a spreadsheet left
        if len(row) < len(header) or any(cell.strip() for cell in row[len(header):]):
            raise TextFileError(f"{len(row)} cells where the header has {len(header)}",
                                "a cell holding the delimiter must be in double quotes; check this row's quotes "
                                "and delimiters", line)
        sheet.add(row, line)
    return sheet.result()


def _rows(reader: Iterator[list[str]]) -> Iterator[tuple[int, list[str]]]:
    """(line the row starts on, row), with csv's errors as messages naming the line."""
    start = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            where = reader.line_num  # type: ignore[attr-defined]
            text = str(exc)
            if "end of data" in text or "field larger" in text:
                raise TextFileError(f"a quoted cell starting on line {start} is not closed"
                                    + (" (it runs past 131,072 characters)" if "field larger" in text else ""),
                                    'close the quote; a quote inside a quoted cell is written twice: "He said '
                                    '""no"""', start) from None
            stopped = f" (the reader stopped on line {where})" if where != start else ""
            raise TextFileError(f"a quote in the middle of a cell in the row starting on line {start}{stopped}",
                                'a cell holding quotes is written in quotes, each quote inside doubled: "He said '
                                '""no"""', start) from None
        yield start, row
        start = reader.line_num + 1  # type: ignore[attr-defined]


def _rules(header: list[str], mapping: Mapping | None) -> tuple[dict, str | None, list[str]]:
    """The rules by column, what the sheet was read as (for the notices), and the columns a mapping left out."""
    rules = studies_csv_rules(header)
    known = "the site's studies.csv" if rules is not None else None
    if rules is None and (name := recognise(header)):
        base = built_in(name)
        rules = {c: r for c, r in column_rules(base)[0].items() if c in header}
        known = f"a {base.data['export']} CSV export (built-in mapping importers/mappings/{name}.yml)"
    rules = dict(rules or {})
    if mapping is None and not rules:
        raise TextFileError("these columns are not those of a Zotero, Rayyan or Covidence CSV export, nor of the "
                            "site's studies.csv", "give --mapping MAP.yml saying which column feeds which field "
                            f"(see docs/import.md); the sheet's columns are: {_columns(header)}", 1)
    if mapping is not None:
        mapped, _ = column_rules(mapping)
        for name, rule in mapped.items():
            rules[_column(header, name, mapping, rule.key)] = rule
        for field in ("title", "year"):
            if not any(r.kind == "field" and r.target == field for r in rules.values()):
                raise mapping.error(f"no column feeds `{field}`", f"name the sheet's {field} column under "
                                    f"`columns:`, e.g. `Title: title`; its columns are: {_columns(header)}",
                                    "columns")
    left_out = [] if known else [c for c in header if c and c not in rules]
    return rules, known, left_out


def _column(header: list[str], name: str, mapping: Mapping, key: object) -> str:
    """The header's column the mapping means: as written, else ignoring case and spacing."""
    if name in header:
        return name
    folded = {" ".join(h.split()).casefold(): h for h in header}
    found = folded.get(" ".join(name.split()).casefold())
    if found is not None:
        return found
    close = difflib.get_close_matches(name, header, n=1)
    raise mapping.error(f"column `{name}` is not in the sheet", (f"did you mean `{close[0]}`? " if close else "")
                        + f"the sheet's columns are: {_columns(header)}", "columns", key)


def _columns(header: list[str], most: int = 40) -> str:
    shown = ", ".join(h for h in header[:most] if h)
    return shown + (f" and {len(header) - most} more" if len(header) > most else "")
