"""Add an import's new facets, categories, codes and appraisal tool to review.yml's TEXT, leaving every line already
there as it is (comments, order, quoting, blank lines): a new facet goes at the end of `facets:` (which is made when
absent), a new code or category at the end of its facet's or category's `values:`, in the form of docs/format.md:

    facets:
      intervention:
        label: "Intervention"
        multiple: true
        values:
          training:                 # a category: a value with its own values
            label: "Training and education"
            values:
              workshops: "Workshops"
          other-support: "Other support"

A new facet's id is also appended to `matrix.columns` when review.yml has that list. An `appraisal:` block (for a
review.yml that has none) is written after `facets:` (else after `search:`), in docs/format.md's form:

    appraisal:
      tool: "CASP qualitative checklist"
      levels:
        high:
          label: "High"
          description: "No or very minor concerns."

Labels and descriptions are written as JSON strings (YAML double-quoted scalars), so any text is safe. The result
is read back with the content loader: it must hold exactly the old data plus the additions, and be a valid
review.yml, or nothing is written."""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass
from typing import Any

import yaml

from ..content import schema
from ..content.validate import validate_model
from ..content.yamlsource import load_yaml
from ..content.yamltags import STR_TAG, plain_tag
from .facets_plan import Additions
from .records import AppraisalSpec, Category, Code, FacetSpec

MINIMAL = """\
# yaml-language-server: $schema=../docs/schema/review.schema.json
# Written by `python -m generator import`: fill in every field marked TODO (docs/format.md describes them).
title: "TODO: the review's title"
question: "TODO: the review's question or aim"
authors: []
search:
  databases: ["TODO: the databases searched"]
"""
"""review.yml as an import writes it into a content folder that has none (a map started from an export)."""


class ReviewTextError(Exception):
    def __init__(self, message: str, hint: str, line: int | None = None):
        super().__init__(message)
        self.message, self.hint, self.line = message, hint, line


@dataclass
class _Node:
    start: int  # where the value starts in the text
    end: int  # just after its last character (for a block collection: after its last descendant's)
    kind: str  # 'map', 'seq' or 'scalar'
    flow: bool = False
    close: int | None = None  # a flow collection's '}' or ']'
    column: int | None = None  # a block mapping's key column; a block sequence's '-' column
    key_start: int | None = None  # for an entry of a mapping: where its key starts
    empty: bool = True


def yaml_nodes(text: str) -> dict[tuple[str, ...], _Node]:
    """Each value of the document by its key path (mapping keys only; sequence items are not addressed), with where
    it is in the text. The text has been loaded by the content loader already, so it is small and plain."""
    nodes: dict[tuple[str, ...], _Node] = {}
    stack: list[tuple[tuple[str, ...], _Node, list[Any]]] = []  # (path, node, [pending key, key start])

    def child(event: yaml.Event) -> tuple[str, ...] | None:
        """The path of the value this event starts, or None when it is a key (recorded) or a list item."""
        if not stack:
            return ()
        path, node, pending = stack[-1]
        node.empty = False
        if node.kind == "map":
            if pending[0] is None:
                pending[0], pending[1] = str(getattr(event, "value", "")), event.start_mark.index
                if node.column is None:
                    node.column = event.start_mark.column
                return None
            key, start = pending
            pending[0] = None
            nodes[(*path, key)] = found = _Node(event.start_mark.index, event.end_mark.index, "scalar")
            found.key_start = start
            return (*path, key)
        if node.column is None:
            node.column = node.start_column  # type: ignore[attr-defined]
        return (*path, "#")

    def reach(end: int) -> None:
        for _, node, _ in stack:
            node.end = max(node.end, end)

    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.ScalarEvent):
            path = child(event)
            if path is not None and path in nodes:
                nodes[path].end = event.end_mark.index
            reach(event.end_mark.index)
        elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            path = child(event)
            kind = "map" if isinstance(event, yaml.MappingStartEvent) else "seq"
            node = _Node(event.start_mark.index, event.start_mark.index, kind, bool(event.flow_style))
            node.start_column = event.start_mark.column  # type: ignore[attr-defined]
            if path is not None and path in nodes:
                node.key_start = nodes[path].key_start
            if path is not None and path[-1:] != ("#",):
                nodes[path] = node
            stack.append((path or (), node, [None, None]))
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            _, node, _ = stack.pop()
            if node.flow:
                node.close = event.start_mark.index
                node.end = event.end_mark.index
            reach(node.end)
    return nodes


def _key(key: str) -> str:
    """A mapping key as written: plain when YAML reads it back as that text, else JSON-quoted ('yes', '2020')."""
    return key if re.fullmatch(r"[a-z0-9][a-z0-9-]*", key) and plain_tag(key) == STR_TAG else json.dumps(key)


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _entry_data(entry: Code | Category | FacetSpec) -> Any:
    """An addition as review.yml's data holds it (short form for a code without a description)."""
    if isinstance(entry, Code):
        return {"label": entry.label, "description": entry.description} if entry.description else entry.label
    data: dict[str, Any] = {"label": entry.label}
    if entry.description:
        data["description"] = entry.description
    if isinstance(entry, FacetSpec):
        data["multiple"] = entry.multiple
    members = entry.codes if isinstance(entry, Category) else entry.values
    data["values"] = {m.id: _entry_data(m) for m in members}
    return data


def _block(key: str, value: Any, column: int, step: int) -> list[str]:
    """`key: value` as block lines at `column`; scalars JSON-quoted."""
    pad = " " * column
    if not isinstance(value, dict):
        scalar = json.dumps(value) if isinstance(value, bool) else _q(str(value))
        return [f"{pad}{_key(key)}: {scalar}\n"]
    lines = [f"{pad}{_key(key)}:\n"]
    for k, v in value.items():
        lines += _block(k, v, column + step, step)
    return lines


def _flow(key: str, value: Any) -> str:
    return f"{_key(key)}: {json.dumps(value, ensure_ascii=False)}"


def _after_line(text: str, end: int) -> int:
    """Where the line holding the value that ends at `end` finishes (after its newline, comment included)."""
    pos = end
    while pos > 0 and text[pos - 1] in " \t\r\n":
        pos -= 1
    newline = text.find("\n", pos)
    return len(text) if newline < 0 else newline + 1


class _Edits:
    def __init__(self, text: str):
        self.text = text
        self.items: list[tuple[int, int, int, str]] = []  # (start, -depth, end, new text)

    def insert(self, at: int, new: str, depth: int) -> None:
        if at == len(self.text) and not self.text.endswith("\n"):
            new = "\n" + new
        self.items.append((at, -depth, at, new))

    def replace(self, start: int, end: int, new: str, depth: int) -> None:
        self.items.append((start, -depth, end, new))

    def apply(self) -> str:
        # At one place, the deeper addition first: a category's new code before its facet's next new entry.
        out, cursor = [], 0
        for start, _, end, new in sorted(self.items, key=lambda item: (item[0], item[1])):
            out.append(self.text[cursor:start] + new)
            cursor = max(cursor, end)
        return "".join(out) + self.text[cursor:]


def _append(edits: _Edits, text: str, nodes: dict[tuple[str, ...], _Node], path: tuple[str, ...],
            entries: list[tuple[str, Any]], step: int, line_of: Any) -> None:
    """Append `entries` (key, data) to the mapping at `path`."""
    node = nodes[path]
    if node.kind == "map" and node.flow:
        joined = ", ".join(_flow(k, v) for k, v in entries)
        edits.insert(node.close, joined if node.empty else ", " + joined, len(path))  # type: ignore[arg-type]
    elif node.kind == "map":
        lines = [line for k, v in entries for line in _block(k, v, node.column or 0, step)]
        edits.insert(_after_line(text, node.end), "".join(lines), len(path))
    else:
        raise ReviewTextError(f"`{'.'.join(path)}` is not written as a mapping, so the import cannot add to it",
                              "write it as one `id: label` line per entry, then import again", line_of(path))


def add_to_review(text: str, data: dict[str, Any], additions: Additions, columns: bool,
                  source: str = "content/review.yml") -> tuple[str, list[str]]:
    """review.yml's new text with `additions`, and what changed in words. `data` is the text's loaded data.
    `columns`: append new facets to matrix.columns (when review.yml has it). Raises ReviewTextError when review.yml
    is written in a form this cannot add to, or when the result would not read back as intended."""
    nodes = yaml_nodes(text)
    edits = _Edits(text)
    expected = copy.deepcopy(data)
    changes: list[str] = []

    def line_of(path: tuple[str, ...]) -> int | None:
        node = nodes.get(path)
        where = node.key_start if node and node.key_start is not None else node.start if node else None
        return None if where is None else text.count("\n", 0, where) + 1

    step = _step(nodes)
    for path, entries in additions.values.items():
        values = ("facets", path[0], "values", *((path[1], "values") if len(path) > 1 else ()))
        _append(edits, text, nodes, values, [(e.id, _entry_data(e)) for e in entries], step, line_of)
        target = expected["facets"][path[0]]["values"]
        target = target if len(path) == 1 else target[path[1]]["values"]
        for entry in entries:
            target[entry.id] = _entry_data(entry)
            kind = "category" if isinstance(entry, Category) else "code"
            where = f"facet {path[0]}" + (f", category {path[1]}" if len(path) > 1 else "")
            changes.append(f"{kind} {entry.id} ({_q(entry.label)}) in {where}")

    if additions.facets:
        new = [(f.id, _entry_data(f)) for f in additions.facets]
        facets = nodes.get(("facets",))
        if facets is not None and facets.kind == "map":
            _append(edits, text, nodes, ("facets",), new, step, line_of)
        else:
            _open_facets(edits, text, nodes, new, step, line_of)
        if "facets" not in expected:  # made after search:, where _open_facets writes it
            at = list(expected).index("search") + 1 if "search" in expected else len(expected)
            items = list(expected.items())
            expected = dict([*items[:at], ("facets", None), *items[at:]])
        expected["facets"] = {**(expected["facets"] or {}), **dict(new)}
        for facet in additions.facets:
            changes.append(f"facet {facet.id} ({_q(facet.label)}, {_count(facet)})")
        matrix = nodes.get(("matrix", "columns"))
        if columns and matrix is not None and matrix.kind == "seq":
            ids = [f.id for f in additions.facets]
            _append_items(edits, text, matrix, ids)
            expected["matrix"]["columns"] = [*expected["matrix"]["columns"], *ids]
            changes.append(f"{', '.join(ids)} at the end of matrix.columns")

    if additions.appraisal is not None:
        expected = _add_appraisal(edits, text, nodes, expected, additions.appraisal, step)
        levels = additions.appraisal.levels
        changes.append(f"appraisal ({_q(additions.appraisal.tool or '')}, {len(levels)} level"
                       f"{'s' * (len(levels) != 1)}: {', '.join(level.id for level in levels)})")

    result = edits.apply()
    _check(result, expected, source)
    return result, changes


def _add_appraisal(edits: _Edits, text: str, nodes: dict[tuple[str, ...], _Node], expected: dict[str, Any],
                   spec: AppraisalSpec, step: int) -> dict[str, Any]:
    """The `appraisal:` block inserted after `facets:` (after any facets this import adds to it), else after
    `search:`, else at the end; returns the data expected once it is written, with the key in the same place."""
    data: dict[str, Any] = {"tool": spec.tool}
    if spec.url:
        data["url"] = spec.url
    data["levels"] = {level.id: {"label": level.label, "description": level.description} for level in spec.levels}
    anchor = next((key for key in ("facets", "search") if (key,) in nodes), None)
    # Depth 0: at the same place as facets added at the end of `facets:` (depth 1), it comes after them.
    edits.insert(_after_line(text, nodes[(anchor,)].end) if anchor else len(text), "".join(_block(
        "appraisal", data, 0, step)), 0)
    after = "facets" if "facets" in expected else anchor
    items = list(expected.items())
    at = [k for k, _ in items].index(after) + 1 if after in expected else len(items)
    return dict([*items[:at], ("appraisal", data), *items[at:]])


def _count(facet: FacetSpec) -> str:
    codes = sum(len(v.codes) if isinstance(v, Category) else 1 for v in facet.values)
    cats = sum(isinstance(v, Category) for v in facet.values)
    return f"{codes} code{'s' * (codes != 1)}" + (f" in {cats} categor{'ies' if cats != 1 else 'y'}" if cats else "")


def _step(nodes: dict[tuple[str, ...], _Node]) -> int:
    """The file's indentation step, from a facet's keys under `facets:` (2 when it has none)."""
    facets = nodes.get(("facets",))
    for path, node in nodes.items():
        if len(path) == 2 and path[0] == "facets" and node.kind == "map" and not node.flow and facets:
            if node.column is not None and facets.column is not None and node.column > facets.column:
                return node.column - facets.column
    return 2


def _open_facets(edits: _Edits, text: str, nodes: dict[tuple[str, ...], _Node], new: list[tuple[str, Any]],
                 step: int, line_of: Any) -> None:
    """`facets:` made a block mapping holding `new`: its `null`/`{}` line rewritten, or the key added after
    `search:` (the format's order) when review.yml has none."""
    block = "".join(line for k, v in new for line in _block(k, v, step, step))
    node = nodes.get(("facets",))
    if node is None:
        search = nodes.get(("search",))
        at = _after_line(text, search.end) if search else len(text)
        edits.insert(at, "facets:\n" + block, 1)
        return
    start = node.key_start or 0
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    line_end = len(text) if line_end < 0 else line_end
    found = re.fullmatch(r"facets:[ \t]*(?:null|Null|NULL|~|\{[ \t]*\})?[ \t]*(#.*)?", text[line_start:line_end])
    if start != line_start or not found:
        raise ReviewTextError("`facets:` is written in a form the import cannot add to",
                              "write it as a block: `facets:` on a line of its own, each facet indented below",
                              line_of(("facets",)))
    comment = f"  {found.group(1)}" if found.group(1) else ""
    edits.replace(line_start, min(line_end + 1, len(text)), f"facets:{comment}\n" + block, 1)


def _append_items(edits: _Edits, text: str, node: _Node, items: list[str]) -> None:
    if node.flow:
        joined = ", ".join(_key(i) for i in items)
        edits.insert(node.close, joined if node.empty else ", " + joined, 2)  # type: ignore[arg-type]
    else:
        pad = " " * (node.column or 0)
        edits.insert(_after_line(text, node.end), "".join(f"{pad}- {_key(i)}\n" for i in items), 2)


def _ordered(value: Any) -> Any:
    """Data with mappings as lists of pairs: equal only when the keys come in the same order too."""
    if isinstance(value, dict):
        return [(k, _ordered(v)) for k, v in value.items()]
    if isinstance(value, list):
        return [_ordered(v) for v in value]
    return value


def _check(text: str, expected: Any, source: str) -> None:
    loaded = load_yaml(text, source)
    if loaded.problems or _ordered(loaded.data) != _ordered(expected):
        first = loaded.problems[0] if loaded.problems else None
        raise ReviewTextError("the import could not add its facets or appraisal tool to review.yml as intended"
                              + (f": {first.message}" if first else ""),
                              "add them by hand (the dry run lists them), or report this with your review.yml",
                              first.line if first else None)
    _, problems = validate_model(schema.ReviewFile, loaded, source)
    errors = [p for p in problems if not p.warning]
    if errors:
        raise ReviewTextError(f"with the import's additions, review.yml would not be valid: {errors[0].field}: "
                              f"{errors[0].message}", errors[0].hint or "check the export's code labels",
                              errors[0].line)
