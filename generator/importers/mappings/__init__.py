"""The column rules of a CSV mapping (its `columns:` section, checked key by key), and the built-in mappings of the
exports that are read without one: Zotero's, Rayyan's and Covidence's CSV (the YAML files beside this module, which
a team can copy to start a mapping of its own) and the site's own studies.csv (made from its header: its facet
columns are named by the review's facet ids). csv_table.py's docstring is the reference of the format."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from ...content.scaffold import slug
from ...countries import is_country, suggest
from ..mapping import Mapping as MappingFile
from ..mapping import MappingError, read_mapping

FIELDS = ("title", "authors", "year", "journal", "volume", "issue", "pages", "doi", "url", "countries", "region",
          "summary", "notes", "sample_size", "sample_description", "inferred", "themes", "id", "appraisal",
          "appraisal_rationale")
"""What a column can feed besides a facet or a theme's finding."""
LISTS = frozenset({"authors", "countries", "inferred", "themes"})  # fields whose cells hold several values
SECTIONS = ("separator", "delimiter", "columns", "export", "recognise")
_OPTIONS = {"field": ("field", "separator", "values", "tool"),
            "facet": ("facet", "label", "description", "multiple", "separator", "values", "value"),
            "theme": ("theme", "title")}
TARGETS = (f"{', '.join(FIELDS)} or ignore; or {{facet: <id>, ...}} for a facet's values, {{theme: <id>}} for the "
           "finding of a theme, {field: <field>, separator: ...}")
BUILT_IN = ("zotero", "rayyan", "covidence")
_HERE = Path(__file__).parent


@dataclass(frozen=True)
class Rule:
    """What one column feeds."""

    column: str  # as the mapping names it
    kind: str  # 'field', 'facet', 'theme' or 'ignore'
    target: str  # the field's name, or the facet's or theme's id
    separator: str | None = None  # between the values of one cell; None: the cell is one value
    values: Mapping[str, str | None] = field(default_factory=dict)  # casefolded cell text -> id (None: left out)
    listed: tuple[tuple[str, str], ...] = ()  # (id, label) of the values the mapping lists, in its order
    label: str | None = None  # a facet's label, a theme's title, the appraisal tool's name
    description: str | None = None
    multiple: bool | None = None  # None: a facet is multiple when a cell gives it several values
    value: str | None = None  # a column per value: a ticked cell gives this value id
    origin: MappingFile | None = None  # the mapping file it is written in (None: made from the header)
    key: object = None  # its key in `columns:`, for the line of messages


def split(cell: str, separator: str | None) -> list[str]:
    """The values of a cell. A separator that is one punctuation mark with spaces ("; ", ", ") splits on the mark
    and ignores the spaces around each value; a longer one (" and ") splits where it is written whole."""
    if separator is None:
        return [cell.strip()] if cell.strip() else []
    mark = separator.strip()
    parts = cell.split(mark if len(mark) == 1 and not mark.isalnum() else separator)
    return [p.strip() for p in parts if p.strip()]


def column_rules(mapping: MappingFile) -> tuple[dict[str, Rule], str | None]:
    """The rules of a mapping's `columns:` by column name, and its `delimiter:` if it gives one. Raises
    MappingError naming the line of anything it cannot use."""
    for key in mapping.data:
        if key not in SECTIONS:
            eppi = key in ("code_sets", "fields")
            hint = ("`code_sets:` and `fields:` are for an EPPI-Reviewer JSON export; " if eppi else "") + (
                f"a CSV mapping has these sections: {', '.join(SECTIONS)}")
            raise mapping.error(f"`{key}` is not a section of a CSV mapping", hint, key)
    separator = _text(mapping, mapping.data.get("separator", "; "), "separator")
    delimiter = mapping.data.get("delimiter")
    if delimiter is not None and (not isinstance(delimiter, str) or len(delimiter) != 1):
        raise mapping.error("`delimiter` is the one character between cells", 'write `delimiter: ","`, `";"` or '
                            '`"\\t"` (a tab), or leave it out: the reader tells it from the header', "delimiter")
    columns = mapping.section("columns")
    if not columns and "columns" not in mapping.data:
        raise mapping.error("the mapping has no `columns:` section", "write `columns:` then one `<column>: <target>` "
                            f"line per column of the sheet; a target is {TARGETS}", *list(mapping.data)[:1])
    return {str(key): _rule(mapping, key, target, separator) for key, target in columns.items()}, delimiter


def _rule(m: MappingFile, key: object, target: object, separator: str) -> Rule:
    name = str(key)
    where = ("columns", key)
    _not_bool(m, key, *where)
    if isinstance(target, str):
        if target == "ignore":
            return Rule(name, "ignore", "", origin=m, key=key)
        if target in FIELDS:
            return Rule(name, "field", target, separator if target in LISTS else None, origin=m, key=key)
    if not isinstance(target, dict):
        raise m.error(f"column `{name}`: `{target}` is not a field, a facet, a theme or `ignore`",
                      f"write one of {TARGETS}", *where)
    kinds = [k for k in _OPTIONS if k in target]
    if len(kinds) != 1:
        stray = next((k for k in target if k not in _OPTIONS["facet"]), None) if not kinds else None
        raise m.error(f"column `{name}`: " + (f"`{stray}` is not `field:`, `facet:` or `theme:`" if stray else
                                              "give one of `field:`, `facet:` or `theme:`"),
                      f"write one of {TARGETS}", *where, *([stray] if stray else []))
    kind = kinds[0]
    for option in target:
        if option not in _OPTIONS[kind]:
            raise m.error(f"`{option}` is not an option of a {kind} column",
                          f"a {kind} column takes {', '.join(_OPTIONS[kind])}; a column feeds one of {TARGETS}",
                          *where, option)
    if kind == "field":
        return _field_rule(m, key, target, separator)
    ident = _id(m, target[kind], *where, kind)
    if kind == "theme":
        return Rule(name, "theme", ident, label=_text(m, target.get("title"), *where, "title"), origin=m, key=key)
    multiple = target.get("multiple")
    if multiple is not None and not isinstance(multiple, bool):
        raise m.error("`multiple` is true or false", "write `multiple: true` when a study can have several "
                      "values of this facet", *where, "multiple")
    values, listed = _values(m, target.get("values"), *where)
    return Rule(name, "facet", ident, _text(m, target.get("separator", separator), *where, "separator"), values,
                listed, _text(m, target.get("label"), *where, "label"),
                _text(m, target.get("description"), *where, "description"), multiple,
                _id(m, target["value"], *where, "value") if "value" in target else None, m, key)


def _field_rule(m: MappingFile, key: object, target: dict, separator: str) -> Rule:
    where = ("columns", key)
    name = target["field"]
    if name not in FIELDS:
        raise m.error(f"`{name}` is not a field a column can feed", f"write one of {', '.join(FIELDS)}", *where,
                      "field")
    if "values" in target and name not in ("countries", "themes", "appraisal"):
        raise m.error(f"`values:` does not apply to `{name}`", "`values:` maps cell text to ids for facets, "
                      "`countries` (names to ISO codes), `themes` and `appraisal` (ratings to level ids)", *where,
                      "values")
    if "tool" in target and name != "appraisal":
        raise m.error(f"`tool:` does not apply to `{name}`", "`tool:` names the appraisal tool of a column that "
                      "feeds `appraisal`", *where, "tool")
    values, listed = _values(m, target.get("values"), *where, codes=name == "countries")
    sep = _text(m, target.get("separator", separator), *where, "separator") if name in LISTS else None
    if "separator" in target and name not in LISTS:
        raise m.error(f"`{name}` holds one value, so it takes no separator",
                      f"a separator applies to {', '.join(sorted(LISTS))} and facets", *where, "separator")
    return Rule(str(key), "field", name, sep, values, listed, _text(m, target.get("tool"), *where, "tool"), origin=m,
                key=key)


def _values(m: MappingFile, values: object, *where: object, codes: bool = False) -> tuple[dict[str, str | None],
                                                                                         tuple]:
    """Cell text (casefolded) -> id, and the (id, label) pairs listed; `codes`: the ids are ISO country codes."""
    if values is None:
        return {}, ()
    if not isinstance(values, dict):
        raise m.error("`values` maps each cell text to an id", "write `values: {Randomised trial: rct, ...}`; "
                      "null leaves a text out", *where, "values")
    mapped: dict[str, str | None] = {}
    listed: dict[str, str] = {}
    for text, ident in values.items():
        _not_bool(m, text, *where, "values", text)
        if ident is not None and codes:
            if not (isinstance(ident, str) and is_country(ident.strip().upper())):
                raise m.error(f"`{ident}` is not an ISO 3166-1 country code", suggest(str(ident)), *where, "values",
                              text)
            ident = ident.strip().upper()
        elif ident is not None:
            ident = _id(m, ident, *where, "values", text)
            listed.setdefault(ident, str(text))
        mapped[str(text).strip().casefold()] = ident
    return mapped, tuple(listed.items())


def _not_bool(m: MappingFile, key: object, *path: object) -> None:
    if isinstance(key, bool):  # YAML reads Yes, No, On, Off, True and False unquoted as true or false
        raise m.error(f"`{str(key).lower()}` here is YAML's true or false, not the text of the sheet",
                      'put the text in quotes: "Yes": ..., "No": ...', *path)


def _id(m: MappingFile, value: object, *path: object) -> str:
    if not isinstance(value, str) or not value or slug(value) != value:
        made = slug(str(value)) if value is not None else ""
        raise m.error(f"`{value}` is not an id", "ids are lowercase words joined by '-'"
                      + (f": write `{made}`" if made else ""), *path)
    return value


def _text(m: MappingFile, value: object, *path: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str | int | float) or isinstance(value, bool) or not str(value):
        raise m.error(f"`{path[-1]}` is text", f"write `{path[-1]}: <text>`", *path)
    return str(value)


@cache
def built_in(name: str) -> MappingFile:
    """A built-in mapping (zotero, rayyan, covidence). A mistake in one is a bug: MappingError names its line."""
    return read_mapping(_HERE / f"{name}.yml")


def recognise(header: list[str]) -> str | None:
    """The built-in mapping whose `recognise:` columns the header all has."""
    present = set(header)
    for name in BUILT_IN:
        if set(built_in(name).data.get("recognise") or ()) <= present:
            return name
    return None


STUDIES_CSV = {"id": "id", "title": "title", "authors": "authors", "year": "year", "journal": "journal",
               "volume": "volume", "issue": "issue", "pages": "pages", "doi": "doi", "url": "url",
               "countries": "countries", "country_names": "ignore", "region": "region",
               "sample_size": "sample_size", "sample": "sample_description", "themes": "themes",
               "summary": "summary", "notes": "notes", "inferred": "inferred",
               # an appraised map's last two columns: the rating's label, and why
               "appraisal": "appraisal", "appraisal_rationale": "appraisal_rationale"}
"""studies.csv's columns (outputs/downloads.py csv_columns) and what each feeds; every other column is a facet,
named by its id, its cells the values' labels."""


def studies_csv_rules(header: list[str]) -> dict[str, Rule] | None:
    """The rules for the site's own studies.csv, known by its first columns and its country_names column; None for
    any other sheet. A column someone deleted or moved in a spreadsheet does not matter."""
    if header[:4] != ["id", "title", "authors", "year"] or "country_names" not in header:
        return None
    rules = {}
    for column in header:
        target = STUDIES_CSV.get(column)
        if target is None:
            rules[column] = Rule(column, "facet", slug(column) or column, "; ")
        elif target == "ignore":
            rules[column] = Rule(column, "ignore", "")
        else:
            rules[column] = Rule(column, "field", target, "; " if target in LISTS else None)
    return rules


__all__ = ["BUILT_IN", "FIELDS", "MappingError", "Rule", "built_in", "column_rules", "recognise", "split",
           "studies_csv_rules"]
