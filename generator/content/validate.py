"""Schema errors in contributor terms: pydantic's errors become Problems with a line and a hint."""

from __future__ import annotations

import difflib
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..markup import NESTING_HINT
from . import schema
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


def _clean_loc(loc: tuple[Any, ...], data: Any) -> tuple[tuple[str | int, ...], Any, bool]:
    """Drop pydantic's union-member tags from an error location; return (path, value there, was_union)."""
    path: list[str | int] = []
    union = False
    for part in loc:
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
            problems[path] = Problem(source, loaded.line(path), dotted(path), message, hint)
        return None, list(problems.values())


def _explain(error: dict[str, Any], path: tuple[str | int, ...], value: Any, union: bool,
             model: type[BaseModel]) -> tuple[str, str | None]:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    key = str(path[-1]) if path else ""
    if kind == "markdown_nesting":
        return error["msg"], NESTING_HINT
    if kind == "missing":
        return "required field is missing", f"add '{key}: ...'"
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
        return f"expected a list, got {_type_name(value)}", f"write it as [{value}]" if value is not None else None
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"expected a mapping of fields, got {_type_name(value)}", None
    if kind.startswith("date"):
        return f"expected a date, got {value!r}", "write it as YYYY-MM-DD"
    return error["msg"], None
