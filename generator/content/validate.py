"""Schema errors in contributor terms: pydantic's errors become Problems with a line and a hint."""

from __future__ import annotations

import difflib
import re
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..markup import NESTING_HINT
from . import schema
from .authors import text_hint
from .problems import Problem
from .yamlsource import Loaded, dotted

M = TypeVar("M", bound=BaseModel)

_PATTERN_MESSAGES = {
    schema.DOI_PATTERN: ("is not a DOI", "write the DOI alone, e.g. 10.1080/13691450802567416 (no https://doi.org/)"),
    schema.URL_PATTERN: ("is not a web address", "only http:// and https:// addresses are accepted"),
    schema.SLUG_PATTERN: ("is not a valid id", "use lowercase letters, digits and single hyphens"),
    r"^[^\n]*$": ("must be a single line", None),
    schema.AUTHOR_PATTERN: ("has no family name before the comma",
                            'write each author as "Family, I.", e.g. "Silva, A."'),
}


def _type_name(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    return {str: "text", int: "a number", float: "a number", bool: "true/false", list: "a list",
            dict: "a mapping"}.get(type(value), type(value).__name__)


_UNION_TAGS = {"str", "int", "float", "bool", "none"}
_FORM_TAGS = set(schema.CODE_TAGS.values())


def _clean_loc(loc: tuple[Any, ...], data: Any) -> tuple[tuple[str | int, ...], Any, bool]:
    """Drop pydantic's union-member tags from an error location; return (path, value there, was_union)."""
    path: list[str | int] = []
    union = False
    for part in loc:
        if part in _FORM_TAGS or part == "[key]":
            # the form of a facet value pydantic tried (schema.CODE_TAGS), or a mapping's key itself (the value
            # before it is that key): not a place in the file, nor a choice between kinds of value
            continue
        if isinstance(data, dict) and part in data:
            data = data[part]
            path.append(part)
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
            path.append(part)
        elif isinstance(part, str) and (part in _UNION_TAGS or "[" in part):
            union = True  # pydantic names the union member it tried, e.g. 'str' or 'list[str]'
        else:
            path.append(part)  # a missing or unknown key
            data = None
    return tuple(path), data, union


def _allowed_fields(model: type[BaseModel], path: tuple[str | int, ...]) -> list[str]:
    """The field names of the model class at `path` (its parent for a key)."""
    current: Any = model
    for part in path:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return []
        info = current.model_fields.get(str(part))
        if info is None:
            return []
        current = _model_in(info.annotation)
    return list(current.model_fields) if isinstance(current, type) and issubclass(current, BaseModel) else []


def _model_at(model: type[BaseModel], path: tuple[str | int, ...]) -> type[BaseModel] | None:
    """The model class of the value at `path` (None for a list, a mapping of names or text)."""
    current: Any = model
    for part in path:
        if isinstance(part, int) or not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        info = current.model_fields.get(part)
        if info is None:
            return None
        current = _model_in(info.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _model_in(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def validate_model(model: type[M], loaded: Loaded, source: str) -> tuple[M | None, list[Problem]]:
    if not isinstance(loaded.data, dict):
        got = _type_name(loaded.data)
        return None, [Problem(source, loaded.line(()), "", f"the top level must be a mapping of fields, got {got}",
                              "start each line with a field name, e.g. 'title: ...'")]
    try:
        return model.model_validate(loaded.data), []
    except ValidationError as exc:
        problems: dict[tuple[str | int, ...], Problem] = {}
        for error in exc.errors(include_url=False):
            path, value, union = _clean_loc(error["loc"], loaded.data)
            if path in problems:
                continue
            message, hint = _explain(error, path, value, union, model)
            example: tuple[str, ...] = ()
            if error["type"] in _MAPPING_ERRORS and value is not None and path and isinstance(path[-1], str):
                hint = "write one entry a line, indented under it, as shown below"
                example = _mapping_example(model, path, value)
            problems[path] = Problem(source, loaded.line(path), dotted(path), message, hint, example=example)
        return None, list(problems.values())


_MAPPING_ERRORS = {"dict_type", "model_type", "model_attributes_type"}
_DOI_PUNCTUATION = ".,;:"
_DOI_END = re.compile(schema.DOI_PATTERN.removesuffix("$") + f"[{_DOI_PUNCTUATION}]+$")
_ENTRY_EXAMPLES = {  # (the entry's name when the value gives none, whether a list gives ids, the entry)
    (schema.StudyFile, "themes"): ("theme-id", True, "{name}: What this study found on this theme, in your own words."),
    (schema.StudyFile, "facets"): ("facet-id", False, "{name}: value-id"),
    (schema.ReviewFile, "facets"): ("facet-id", True, "{name}: {{label: Study design, values: {{qualitative: "
                                                      "Qualitative}}}}"),
}


def _mapping_example(model: type[BaseModel], path: tuple[str | int, ...], value: Any) -> tuple[str, str]:
    """Two lines of YAML in the shape the field takes: its name, and one entry indented under it. A list of ids
    where ids are the names (themes: [outcomes]) gives its first id as the entry's name."""
    key = str(path[-1])
    parent = _model_at(model, path[:-1])
    name, from_list, entry = _ENTRY_EXAMPLES.get((parent, key), ("name", False, "{name}: ..."))
    inner = _model_at(model, path)
    if inner is not None:
        name = next(iter(inner.model_fields))
    first = value[0] if isinstance(value, list) and value else value
    if from_list and isinstance(first, str) and re.match(schema.SLUG_PATTERN, first):
        name = first  # an id, safe to show
    return f"{key}:", "  " + entry.format(name=name)


def _in_category(path: tuple[str | int, ...], model: type[BaseModel]) -> str | None:
    """Where `path` is inside a category of a facet (facets.<id>.values.<category>.values…), the code's id there, or
    the category's when the path ends at its values."""
    if model not in (schema.ReviewFile, schema.Download) or len(path) < 5 or path[0] != "facets":
        return None
    if path[2] != "values" or path[4] != "values":
        return None
    return str(path[5]) if len(path) > 5 else str(path[3])


def _explain(error: dict[str, Any], path: tuple[str | int, ...], value: Any, union: bool,
             model: type[BaseModel]) -> tuple[str, str | None]:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    key = str(path[-1]) if path else ""
    if kind == "markdown_nesting":
        return error["msg"], NESTING_HINT
    if kind == "missing":
        return "required field is missing", f"add '{key}: ...'"
    if facet_value := _in_category(path, model):
        if kind in ("too_short", "string_too_short") and len(path) == 5:
            return "a category must hold at least one code", \
                f"add its codes under it, or write '{path[3]}' as a code: '{path[3]}: Label'"
        if kind == "extra_forbidden" and key == "values" and len(path) == 7:
            return (f"'{facet_value}' is a code in category '{path[3]}', so it cannot hold codes of its own",
                    "facets have one level of grouping: move its codes into the category, or make "
                    f"'{facet_value}' a category at the top level of the facet's values")
    if kind == "extra_forbidden":
        allowed = _allowed_fields(model, path[:-1])
        close = difflib.get_close_matches(key, allowed, n=1)
        hint = f"did you mean '{close[0]}'?" if close else None
        return f"unknown field '{key}'", hint or ("allowed fields: " + ", ".join(allowed) if allowed else None)
    if union:
        return f"expected text or a list of text, got {_type_name(value)}", None
    if kind in ("string_type",):
        return f"expected text, got {_type_name(value)}", "put quotes around it" if value is not None else None
    if kind in ("string_too_short", "too_short"):
        return "must not be empty", None
    if kind == "string_pattern_mismatch":
        if ctx.get("pattern") == schema.DOI_PATTERN and isinstance(value, str) and _DOI_END.match(value):
            doi, end = value.rstrip(_DOI_PUNCTUATION), value[len(value.rstrip(_DOI_PUNCTUATION)):]
            # Copied from a sentence, a DOI often brings the sentence's full stop along.
            return f"{value!r} ends in {end!r}, which is not part of the DOI", f"remove it, leaving {doi}"
        message, hint = _PATTERN_MESSAGES.get(ctx.get("pattern", ""), ("has the wrong form", None))
        return f"{value!r} {message}", hint
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"expected a whole number, got {value!r}", None
    if kind in ("greater_than_equal", "less_than_equal"):
        bound = ctx.get("ge", ctx.get("le"))
        return f"{value!r} is out of range ({'at least' if kind == 'greater_than_equal' else 'at most'} {bound})", None
    if kind in ("bool_type", "bool_parsing"):
        return f"expected true or false, got {value!r}", None
    if kind in ("list_type",):
        hint = text_hint(value) if key == "authors" and isinstance(value, str) else f"write it as [{value}]"
        return f"expected a list, got {_type_name(value)}", hint if value is not None else None
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"expected a mapping of fields, got {_type_name(value)}", None
    if kind.startswith("date"):
        return f"expected a date, got {value!r}", "write it as YYYY-MM-DD"
    return error["msg"], None
