"""EPPI-Reviewer's code sets as the facets, themes and countries of an import: what each code (AttributeId) gives a
reference coded with it. The rules are written out in eppi.py's docstring; this module applies them."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ..content.scaffold import slug
from .mapping import Mapping
from .records import AppraisalSpec, Category, Code, FacetSpec, ThemeSpec, clean
from .textfile import TextFileError

MAX_DEPTH = 40  # a code tree deeper than this is not a coding tool: refused rather than walked
TARGETS = ("facet", "split", "drop", "themes", "countries", "appraisal")
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)\b[^<>]*>")
_BREAKS = frozenset("br p div li tr ul ol table h1 h2 h3 h4 h5 h6 blockquote".split())


def plain(value: object, *, multiline: bool = False) -> str | None:
    """Text as EPPI-Reviewer stores it made plain: HTML tags dropped (a <br> or </p> is a line break), entities
    such as &amp; decoded, and Windows' and old Mac line ends (\\r\\n, \\r) made \\n. One line unless `multiline`;
    None when nothing is left, as EPPI writes "" for what it does not know."""
    if value is None or isinstance(value, (bool, dict, list)):
        return None
    text = str(value)
    if "<" in text:
        text = _TAG.sub(lambda m: "\n" if m.group(2).lower() in _BREAKS else "", text)
    if "&" in text:
        text = html.unescape(text)
    if not multiline:
        return clean(text)
    lines = (" ".join(line.split()) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() or None


@dataclass
class Node:
    """A code (EPPI's attribute) and the codes under it."""

    id: int
    label: str
    description: str | None
    selectable: bool
    children: list[Node]


@dataclass(frozen=True)
class Target:
    """What a reference coded with one AttributeId gets."""

    kind: str  # 'facet', 'theme', 'country', 'appraisal' or 'drop'
    key: str  # the facet id, the theme id, the country's label, or the appraisal level's id
    code: str | None = None  # the code id in the facet
    order: int = 0  # the code's place in its facet, so that a study lists its codes in the review's order


@dataclass
class _Category:
    id: str
    label: str
    description: str | None
    codes: list[Code] = field(default_factory=list)
    general: Code | None = None  # '<id>-general', given only when some reference is coded with the category itself


@dataclass
class FacetDraft:
    id: str
    label: str
    description: str | None
    source: str  # "'Intervention'" or "'Data extraction' > 'Population'", for notices
    values: list[Code | _Category] = field(default_factory=list)
    top_general: Code | None = None  # a split facet's own code, when references are coded with it
    taken: set[str] = field(default_factory=set)
    folded: int = 0
    multiple: bool = False
    used: dict[str, int] = field(default_factory=dict)  # general code id -> references coded with it

    def new_id(self, label: str) -> str:
        return unique(slug(label) or "code", self.taken)


def unique(base: str, taken: set[str]) -> str:
    """`base`, or `base-2`, `base-3`... when taken; the id is then taken."""
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    taken.add(candidate)
    return candidate


@dataclass
class CodePlan:
    facets: list[FacetDraft] = field(default_factory=list)
    themes: list[ThemeSpec] = field(default_factory=list)
    targets: dict[int, Target] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)
    appraisal: AppraisalSpec | None = None  # the code set sent to `appraisal`: its name the tool, its codes levels

    def facet_specs(self) -> tuple[FacetSpec, ...]:
        """The facets, each with the general codes that references used; a category left with no code, or a facet
        with no value, is left out and said so."""
        specs = []
        for draft in self.facets:
            values: list[Code | Category] = [draft.top_general] if draft.top_general and draft.top_general.id in \
                draft.used else []
            for value in draft.values:
                if isinstance(value, Code):
                    values.append(value)
                    continue
                codes = ([value.general] if value.general and value.general.id in draft.used else []) + value.codes
                if codes:
                    values.append(Category(value.id, value.label, tuple(codes), value.description))
                else:
                    self.notices.append(f"{draft.source} > '{value.label}': no code under it can be selected; "
                                        "left out")
            for general in (draft.top_general, *(v.general for v in draft.values if isinstance(v, _Category))):
                if general is not None and general.id in draft.used:
                    self.notices.append(
                        f"{draft.source}: {draft.used[general.id]} reference(s) are coded with the heading "
                        f"'{general.label.removesuffix(' (general)')}' itself, not a code under it: they get the "
                        f"code '{general.id}' ('{general.label}')")
            if draft.folded:
                self.notices.append(f"{draft.source}: {draft.folded} code(s) three or more levels below the facet "
                                    "are listed in their category, their parent's label before theirs (a facet "
                                    "keeps one level of grouping)")
            if values:
                specs.append(FacetSpec(draft.id, draft.label, draft.multiple, tuple(values), draft.description))
            else:
                self.notices.append(f"{draft.source}: no code can be selected; no facet made")
        return tuple(specs)


def _attributes(raw: dict) -> list[Any]:
    """The codes directly under a code set or a code: its Attributes.AttributesList, [] when it has none."""
    attributes = raw.get("Attributes")
    found = attributes.get("AttributesList") if isinstance(attributes, dict) else None
    return found if isinstance(found, list) else []


def _node(raw: Any, depth: int, where: str) -> Node | None:
    if depth > MAX_DEPTH:
        raise TextFileError(f"{where}: codes nested more than {MAX_DEPTH} levels deep",
                            "export the coding tools again from EPPI-Reviewer")
    if not isinstance(raw, dict) or not str(raw.get("AttributeId", "")).strip().isdigit():
        return None
    children = [n for n in (_node(k, depth + 1, where) for k in _attributes(raw)) if n is not None]
    # EPPI's types: 'Selectable (show checkbox)', 'Outcome', 'Intervention' (selectable, used with arms), and
    # 'Not selectable (no checkbox)' for a heading; the case varies between exports.
    kind = str(raw.get("AttributeType") or "").casefold()
    attribute = int(str(raw["AttributeId"]).strip())
    return Node(attribute, plain(raw.get("AttributeName")) or f"Code {attribute}",
                plain(raw.get("AttributeSetDescription"), multiline=True)
                or plain(raw.get("AttributeDescription"), multiline=True),
                not kind.startswith("not selectable"), children)


def _walk(nodes: list[Node], depth: int = 1, parent: Node | None = None) -> Iterator[tuple[Node, int, Node | None]]:
    for node in nodes:
        yield node, depth, parent
        yield from _walk(node.children, depth + 1, node)


def _depth(nodes: list[Node]) -> int:
    return max((d for _, d, _ in _walk(nodes)), default=0)


def _instructions(names: list[str], mapping: Mapping | None) -> dict[int, object]:
    """The mapping's `code_sets:`, by code set number. Unknown names and targets are MappingErrors."""
    if mapping is None:
        return {}
    folded = {" ".join(n.split()).casefold(): i for i, n in enumerate(names)}
    found: dict[int, object] = {}
    for name, target in mapping.section("code_sets").items():
        index = folded.get(" ".join(str(name).split()).casefold())
        if index is None:
            raise mapping.error(f"no code set named '{name}' in the export",
                                "its code sets are: " + ", ".join(f"'{n}'" for n in names), "code_sets", name)
        if isinstance(target, dict):
            extra = set(target) - {"facet", "label", "description"}
            facet = target.get("facet")
            if extra or not isinstance(facet, str) or slug(facet) != facet:
                raise mapping.error(f"code set '{name}': expected {{facet: <id>, label: <label>}}",
                                    "a facet id is lowercase words joined by '-', e.g. {facet: design}",
                                    "code_sets", name)
        elif target not in TARGETS:
            raise mapping.error(f"code set '{name}': expected one of: {', '.join(TARGETS)} or {{facet: <id>}}, "
                                f"but received: {target!r}", "e.g. `\"Study design\": {facet: design}`",
                                "code_sets", name)
        if target == "appraisal" and "appraisal" in found.values():
            raise mapping.error(f"code set '{name}': a second code set sent to appraisal",
                                "a review has one appraisal tool: send one code set to `appraisal`", "code_sets", name)
        if isinstance(target, dict) and any(isinstance(t, dict) and t["facet"] == target["facet"]
                                            for t in found.values()):
            raise mapping.error(f"facet id '{target['facet']}' is given to two code sets",
                                "give each code set its own facet id", "code_sets", name)
        found[index] = target
    return found


def plan_codes(code_sets: list[Any], mapping: Mapping | None) -> CodePlan:
    """What each code of each code set gives, by the rules in eppi.py's docstring."""
    plan = CodePlan()
    sets = [s for s in code_sets if isinstance(s, dict)]
    names = [plain(s.get("SetName")) or f"Code set {i}" for i, s in enumerate(sets, 1)]
    wanted = _instructions(names, mapping)
    # Ids a mapping gives are kept as given; a facet named after a label gets '-2' when one of them has its id.
    facet_ids = {str(t["facet"]) for t in wanted.values() if isinstance(t, dict)}
    theme_ids: set[str] = set()
    for index, (raw, name) in enumerate(zip(sets, names, strict=True)):
        roots = [n for n in (_node(a, 1, f"code set '{name}'") for a in _attributes(raw)) if n is not None]
        how = wanted.get(index) or ("split" if _depth(roots) >= 3 else "facet")
        if how == "drop":  # its codes are known, so that references' codes in it are not reported as unknown
            plan.targets.update((node.id, Target("drop", name)) for node, _, _ in _walk(roots))
            continue
        if how == "themes":
            for node, _, _ in _walk(roots):
                if node.selectable:
                    theme = ThemeSpec(unique(slug(node.label) or "theme", theme_ids), node.label, node.description)
                    plan.themes.append(theme)
                    plan.targets[node.id] = Target("theme", theme.id)
        elif how == "appraisal":
            levels: list[Code] = []
            for node, _, _ in _walk(roots):
                if node.selectable:
                    levels.append(Code(unique(slug(node.label) or "level", {c.id for c in levels}), node.label,
                                       node.description))
                    plan.targets[node.id] = Target("appraisal", levels[-1].id)
            if levels:
                plan.appraisal = AppraisalSpec(name, tuple(levels))
            else:
                plan.notices.append(f"'{name}': no code can be selected; no appraisal levels made")
        elif how == "countries":
            for node, _, _ in _walk(roots):
                if node.selectable:
                    plan.targets[node.id] = Target("country", node.label)
        elif how == "split":
            for root in roots:
                if root.children:
                    draft = _draft(plan, facet_ids, root.label, root.description, f"'{name}' > '{root.label}'")
                    if root.selectable:
                        draft.top_general = _general(plan, draft, root)
                    _fill(plan, draft, root.children)
            leaves = [r for r in roots if not r.children and r.selectable]
            if leaves:
                _fill(plan, _draft(plan, facet_ids, name, plain(raw.get("SetDescription"), multiline=True),
                                   f"'{name}' (its codes with no codes under them)"), leaves)
        else:
            given = how if isinstance(how, dict) else {}
            draft = _draft(plan, facet_ids, str(given.get("label") or name),
                           plain(given.get("description")) or plain(raw.get("SetDescription"), multiline=True),
                           f"'{name}'", given.get("facet"))
            _fill(plan, draft, roots)
    return plan


def _draft(plan: CodePlan, facet_ids: set[str], label: str, description: str | None, source: str,
           given: object = None) -> FacetDraft:
    facet_id = str(given) if given else unique(slug(label) or "facet", facet_ids)
    draft = FacetDraft(facet_id, label, description, source)
    plan.facets.append(draft)
    return draft


def _general(plan: CodePlan, draft: FacetDraft, node: Node, base: str | None = None) -> Code:
    # No description of its own: the category (or the facet) it stands for has it.
    code = Code(unique(f"{base or draft.id}-general", draft.taken), f"{node.label} (general)")
    plan.targets[node.id] = Target("facet", draft.id, code.id, -1)
    return code


def _fill(plan: CodePlan, draft: FacetDraft, nodes: list[Node]) -> None:
    """Level 1 under the facet: a code, or a category; every selectable code below a category is one of its codes,
    a code two or more levels below it labelled '<its parent>: <its own label>'."""
    order = len(plan.targets)
    for node in nodes:
        if not node.children:
            if node.selectable:
                code = Code(draft.new_id(node.label), node.label, node.description)
                draft.values.append(code)
                plan.targets[node.id] = Target("facet", draft.id, code.id, order := order + 1)
            continue
        category = _Category(draft.new_id(node.label), node.label, node.description)
        draft.values.append(category)
        if node.selectable:
            category.general = _general(plan, draft, node, category.id)
            plan.targets[node.id] = Target("facet", draft.id, category.general.id, order := order + 1)
        for child, depth, parent in _walk(node.children, 2, node):
            if child.selectable:
                draft.folded += depth > 2
                label = child.label if depth == 2 or parent is None else f"{parent.label}: {child.label}"
                code = Code(draft.new_id(label), label, child.description)
                category.codes.append(code)
                plan.targets[child.id] = Target("facet", draft.id, code.id, order := order + 1)
