"""Match the facets and themes an export defines (in the reader's ids) to the review's, and say what is new.

A facet is the review's when their ids are the same, else when their labels are (case ignored); a code or a
category likewise, within the facet (ids are unique across a facet, codes and categories together). What matches
nothing is new: a new facet is added whole, a new category with its new codes, a new code at the end of its
category (or of the facet when it has none). New ids are the reader's (slugs of labels); one already taken in the
facet gets '-2', '-3'. Themes are matched to content/themes/ by file name, else by title.

Appraisal levels are matched to review.yml's the same way (id, else label). A review.yml without `appraisal:` gains
the export's whole tool; one that has it gains nothing, because a tool's levels are fixed: a rating that matches none
of its levels is reported and not written."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..content.placeholders import MARK
from ..content.scaffold import slug
from ..model import MATRIX_BUILTINS, Appraisal, AppraisalLevel, Facet, Theme
from .records import AppraisalSpec, Category, Code, FacetSpec, Record, ThemeSpec


@dataclass
class ReviewFacet:
    """A facet as review.yml writes it (short or long form, categories or none), read from its plain data."""

    id: str
    label: str
    multiple: bool
    codes: dict[str, str] = field(default_factory=dict)  # code id -> label, every code in the review's order
    categories: dict[str, str] = field(default_factory=dict)  # category id -> label

    def taken(self) -> set[str]:
        return set(self.codes) | set(self.categories)


def review_facets(data: Any) -> dict[str, ReviewFacet]:
    """review.yml's facets from its loaded data (already valid: the import refuses an invalid review.yml)."""
    facets: dict[str, ReviewFacet] = {}
    raw = data.get("facets") if isinstance(data, dict) else None
    for fid, spec in (raw or {}).items():
        facet = ReviewFacet(str(fid), str(spec.get("label", fid)), bool(spec.get("multiple", False)))
        for vid, value in (spec.get("values") or {}).items():
            if isinstance(value, dict) and isinstance(value.get("values"), dict):
                facet.categories[str(vid)] = str(value.get("label", vid))
                for cid, code in value["values"].items():
                    facet.codes[str(cid)] = _label(cid, code)
            else:
                facet.codes[str(vid)] = _label(vid, value)
        facets[facet.id] = facet
    return facets


def _label(vid: object, value: object) -> str:
    return str(value.get("label", vid)) if isinstance(value, dict) else str(value)


@dataclass
class Additions:
    """What review.yml gains, in the review's ids: whole facets, entries appended to a `values:` mapping (path
    (facet,) or (facet, category)), and facet ids appended to matrix.columns."""

    facets: list[FacetSpec] = field(default_factory=list)
    values: dict[tuple[str, ...], list[Code | Category]] = field(default_factory=dict)
    appraisal: AppraisalSpec | None = None  # the whole `appraisal:` block, for a review.yml that has none

    def __bool__(self) -> bool:
        return bool(self.facets or self.values or self.appraisal)


@dataclass
class FacetMatch:
    facets: dict[str, str] = field(default_factory=dict)  # reader facet id -> review facet id
    codes: dict[str, dict[str, str]] = field(default_factory=dict)  # reader facet id -> reader code id -> review's
    review: dict[str, ReviewFacet] = field(default_factory=dict)  # the review's facets after the import
    additions: Additions = field(default_factory=Additions)
    notices: list[str] = field(default_factory=list)

    def model_facets(self) -> tuple[Facet, ...]:
        """The review's facets after the import, as new-study's template lists them."""
        return tuple(Facet(f.id, f.label, f.multiple, tuple(f.codes.items())) for f in self.review.values())

    def translate(self, record: Record) -> dict[str, str | list[str]]:
        """The record's facets in the review's ids, as a study file writes them (a list for a facet that takes
        several, in the review's order); what cannot be placed is noted. A single-valued facet given several codes
        is noted and left out, not cut down to one."""
        found: dict[str, list[str]] = {}
        for rid, codes in record.facets.items():
            fid = self.facets.get(rid) or (rid if rid in self.review else None)
            if fid is None:
                self.notices.append(f"record {record.number}: facet '{rid}' is not defined by the export nor in "
                                    "review.yml: its codes are left out")
                continue
            table, facet = self.codes.get(rid, {}), self.review[fid]
            for code in codes:
                cid = table.get(code) or (code if code in facet.codes else None)
                if cid is None:
                    self.notices.append(f"record {record.number}: '{code}' is not a code of facet '{fid}': left out")
                elif cid not in found.setdefault(fid, []):
                    found[fid].append(cid)
        out: dict[str, str | list[str]] = {}
        for fid, codes in found.items():
            facet = self.review[fid]
            if facet.multiple:
                order = {code: i for i, code in enumerate(facet.codes)}
                out[fid] = sorted(codes, key=order.__getitem__)
            elif len(codes) == 1:
                out[fid] = codes[0]
            elif codes:
                self.notices.append(f"record {record.number}: facet '{fid}' takes one value in review.yml, the record "
                                    f"gives {len(codes)} ({', '.join(codes)}): not written (hint: choose one by hand, "
                                    f"or set `multiple: true` for {fid} in review.yml)")
        return out


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _free(wanted: str, taken: Iterable[str]) -> str:
    used, n, candidate = set(taken), 1, wanted
    while candidate in used:
        n += 1
        candidate = f"{wanted}-{n}"
    return candidate


def match_facets(specs: Iterable[FacetSpec], data: Any) -> FacetMatch:
    """Each facet spec matched to review.yml's (`data`, its loaded YAML) or planned as new."""
    match = FacetMatch(review=review_facets(data))
    for spec in specs:
        by_label = {_key(f.label): f.id for f in match.review.values()}
        fid = spec.id if spec.id in match.review else by_label.get(_key(spec.label))
        if fid is None:
            fid = _free(spec.id, [*match.review, *MATRIX_BUILTINS])
            match.review[fid] = ReviewFacet(fid, spec.label, spec.multiple)
            new = FacetSpec(fid, spec.label, spec.multiple, (), spec.description)
            match.additions.facets.append(new)
            entries = _merge_values(spec, match.review[fid], match.codes.setdefault(spec.id, {}), None)
            match.additions.facets[-1] = FacetSpec(fid, new.label, new.multiple, tuple(entries), new.description)
            if not entries:
                match.additions.facets.pop()
                del match.review[fid]
                match.notices.append(f"facet '{spec.label}' has no codes: not added to review.yml")
                continue
        else:
            facet = match.review[fid]
            appended = _merge_values(spec, facet, match.codes.setdefault(spec.id, {}), match.additions.values)
            for entry in appended:
                match.additions.values.setdefault((fid,), []).append(entry)
        match.facets[spec.id] = fid
    return match


def _merge_values(spec: FacetSpec, facet: ReviewFacet, table: dict[str, str],
                  into_categories: dict[tuple[str, ...], list[Code | Category]] | None) -> list[Code | Category]:
    """Match each of the spec's codes and categories to the facet's, filling `table` (reader code id -> review
    code id) and the facet's codes; return the entries new at the facet's top level. Codes new in a category that
    the review already has go to `into_categories` under (facet, category)."""
    top: list[Code | Category] = []
    for entry in spec.values:
        if isinstance(entry, Code):
            code = _code(entry, facet, table)
            if code is not None:
                facet.codes[code.id] = code.label
                top.append(code)
            continue
        by_label = {_key(label): cid for cid, label in facet.categories.items()}
        cat = entry.id if entry.id in facet.categories else by_label.get(_key(entry.label))
        codes = []
        for member in entry.codes:
            code = _code(member, facet, table)
            if code is not None:
                codes.append(code)
                facet.codes[code.id] = code.label  # taken at once: the next new code cannot reuse its id
        if cat is not None and codes and into_categories is not None:
            into_categories.setdefault((facet.id, cat), []).extend(codes)
        elif codes:
            cat = _free(entry.id, facet.taken())
            facet.categories[cat] = entry.label
            top.append(Category(cat, entry.label, tuple(codes), entry.description))
    return top


def _code(entry: Code, facet: ReviewFacet, table: dict[str, str]) -> Code | None:
    """The review's code for `entry` (recorded in `table`), or the new Code to add (None when it exists)."""
    if entry.id in facet.codes:
        table[entry.id] = entry.id
        return None
    by_label = {_key(label): cid for cid, label in facet.codes.items()}
    found = by_label.get(_key(entry.label))
    if found is not None:
        table[entry.id] = found
        return None
    cid = _free(entry.id, facet.taken())
    table[entry.id] = cid
    return Code(cid, entry.label, entry.description)


# ---------------------------------------------------------------------------------------------- appraisal


@dataclass
class AppraisalMatch:
    levels: dict[str, str] = field(default_factory=dict)  # reader level id -> review level id
    review: dict[str, AppraisalLevel] = field(default_factory=dict)  # the review's levels after the import
    tool: str = ""
    url: str | None = None
    labels: dict[str, str] = field(default_factory=dict)  # reader level id -> its label, for messages
    unknown: dict[str, list[int]] = field(default_factory=dict)  # rating placed nowhere -> record numbers
    notices: list[str] = field(default_factory=list)

    def model(self) -> Appraisal | None:
        """The review's appraisal after the import, as new-study's template hints at it."""
        return Appraisal(self.tool, tuple(self.review.values()), self.url) if self.review else None

    def translate(self, record: Record) -> dict[str, str | None] | None:
        """The record's appraisal as a study file writes it, in the review's level ids; None when it gives none or
        its rating matches no level (counted for `final_notices`)."""
        rating = record.appraisal_rating
        if rating is None:
            return None
        level = self.levels.get(rating) or (rating if rating in self.review else None)
        if level is None:
            self.unknown.setdefault(rating, []).append(record.number)
            return None
        return {"rating": level, "rationale": record.appraisal_rationale}

    def final_notices(self) -> list[str]:
        found = list(self.notices)
        levels = ", ".join(f"{i} ({level.label})" for i, level in self.review.items())
        for rating, numbers in self.unknown.items():
            shown = ", ".join(map(str, numbers[:10])) + (f" and {len(numbers) - 10} more" if len(numbers) > 10
                                                         else "")
            label = self.labels.get(rating)
            given = f"'{label}' ({rating})" if label and label != rating else f"'{rating}'"
            if self.review:
                found.append(f"appraisal rating {given} of record(s) {shown} is not a level of review.yml's "
                             f"appraisal ({levels}): not written (hint: a tool's levels are fixed: rate the "
                             "study by hand with one of them, or map the export's rating to one)")
            else:
                found.append(f"appraisal rating {given} of record(s) {shown}: review.yml has no `appraisal:` and "
                             "the export defines no levels: not written (hint: describe the tool and its levels "
                             "in review.yml, then import again)")
        return found


def match_appraisal(spec: AppraisalSpec | None, data: Any) -> tuple[AppraisalMatch, AppraisalSpec | None]:
    """The export's levels matched to review.yml's (`data`, its loaded YAML), and the `appraisal:` block to add
    when review.yml has none and the export brings levels (None otherwise)."""
    match = AppraisalMatch()
    raw = data.get("appraisal") if isinstance(data, dict) else None
    if isinstance(raw, dict):
        match.tool, match.url = str(raw.get("tool", "")), raw.get("url")
        for lid, level in (raw.get("levels") or {}).items():
            match.review[str(lid)] = AppraisalLevel(str(lid), str(level.get("label", lid)),
                                                    str(level.get("description", "")))
    if spec is None:
        return match, None
    match.labels = {level.id: level.label for level in spec.levels}
    if match.review:
        by_label = {_key(level.label): lid for lid, level in match.review.items()}
        for level in spec.levels:
            found = level.id if level.id in match.review else by_label.get(_key(level.label))
            if found is not None:
                match.levels[level.id] = found
        return match, None
    if not spec.levels:
        return match, None
    taken: set[str] = set()
    levels = []
    todo = [] if spec.tool else ["the tool's name"]
    for level in spec.levels:
        lid = _free(slug(level.id) or slug(level.label) or "level", taken)
        taken.add(lid)
        match.levels[level.id] = lid
        if not level.description:
            todo.append(f"what '{level.label}' means")
        levels.append(Code(lid, level.label, level.description or f"{MARK}: what this rating means"))
        match.review[lid] = AppraisalLevel(lid, level.label, str(levels[-1].description))
    match.tool = spec.tool or f"{MARK}: the appraisal tool's name"
    match.url = spec.url
    if todo:
        them = "them" if len(todo) > 1 else "it"
        match.notices.append(f"review.yml's new `appraisal:` says TODO where the export does not say "
                             f"{'; '.join(todo)}: write {them} in review.yml before publishing")
    return match, AppraisalSpec(match.tool, tuple(levels), spec.url)


# ---------------------------------------------------------------------------------------------- themes


@dataclass
class ThemeMatch:
    themes: dict[str, str] = field(default_factory=dict)  # reader theme id -> content/themes/ id
    new: dict[str, ThemeSpec] = field(default_factory=dict)  # new theme id -> its spec (in that id)
    notices: list[str] = field(default_factory=list)

    def translate(self, record: Record) -> dict[str, str | None]:
        out: dict[str, str | None] = {}
        for rid, finding in record.themes.items():
            tid = self.themes.get(rid)
            if tid is None:
                self.notices.append(f"record {record.number}: theme '{rid}' is not defined by the export nor in "
                                    "content/themes/: its finding is left out")
            elif out.get(tid) is None:
                out[tid] = finding
        return out


def match_themes(specs: Iterable[ThemeSpec], records: Iterable[Record], files: Iterable[str],
                 themes: Iterable[Theme]) -> ThemeMatch:
    """`files`: the ids of every theme file (one that does not load still takes its id); `themes`: those that load,
    whose titles a spec may match."""
    match = ThemeMatch()
    taken = set(files)
    by_title = {_key(t.title): t.id for t in themes}
    for spec in specs:
        tid = spec.id if spec.id in taken else by_title.get(_key(spec.title))
        if tid is None:
            tid = _free(spec.id, taken)
            taken.add(tid)
            match.new[tid] = ThemeSpec(tid, spec.title, spec.summary)
            by_title[_key(spec.title)] = tid
        match.themes[spec.id] = tid
    for record in records:  # a finding for a theme the export does not define, but content/themes/ has
        for rid in record.themes:
            if rid not in match.themes and rid in taken:
                match.themes[rid] = rid
    return match
