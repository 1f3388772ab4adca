"""Write what a reader gives (a ReadResult) into content/: the plan first (what is new, what fills an empty field,
what differs from the file, what review.yml and content/themes/ gain), then every file or none.

A record is the same study as a file when their DOIs match, else when their titles (case, accents and punctuation
ignored) and years do. A matched file only ever gains what it lacks: a bibliographic field, its countries, region or
a facet that is null, absent or []; a value that differs is a conflict, reported with both values and left as is,
because someone may have corrected it by hand. Its summary, findings (themes), notes, sample and inferred are never
touched; its appraisal is written only when it has none (absent or null), and a different rating is a conflict.
New studies are written from new-study's template with everything the record gives, and its TODO hints for the
rest. The export's facets, themes and appraisal levels are matched to the review's (facets_plan.py); new facets and
themes are added to review.yml (review_yml.py) and content/themes/, and the export's appraisal tool to a review.yml
that has none."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..content.files import read_file
from ..content.load import load_outline
from ..content.problems import Problem
from ..content.scaffold import appraisal_text, render
from ..content.yamlsource import load_yaml
from ..names import as_name
from .facets_plan import AppraisalMatch, FacetMatch, ThemeMatch, match_appraisal, match_facets, match_themes
from .records import FIELDS, ReadResult, Record, Skipped, doi_key, new_ids, title_key
from .review_yml import MINIMAL, ReviewTextError, add_to_review, yaml_nodes
from .writing import write_plan

__all__ = ["Conflict", "Plan", "PlanError", "plan_import", "set_field", "write_plan"]


@dataclass(frozen=True)
class Conflict:
    study: str
    field: str
    existing: object
    imported: object
    number: int

    def __str__(self) -> str:
        return (f"{self.study}: {self.field} is {json.dumps(self.existing, ensure_ascii=False)} in the file, "
                f"{json.dumps(self.imported, ensure_ascii=False)} in record {self.number}: left as is")


@dataclass
class Plan:
    added: dict[str, str] = field(default_factory=dict)  # study id -> the new file's text
    updated: dict[str, str] = field(default_factory=dict)  # study id -> the file's text with empty fields filled
    unchanged: list[str] = field(default_factory=list)
    completed: dict[str, str] = field(default_factory=dict)  # study id -> its text with the new facets as null
    conflicts: list[Conflict] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # the reader's, then what the import left out and why
    themes: dict[str, str] = field(default_factory=dict)  # new theme id -> its file's text
    review: str | None = None  # review.yml's new text, when the import adds to it or writes it
    review_changes: list[str] = field(default_factory=list)  # what review.yml gains, in words
    new_facets: list[str] = field(default_factory=list)  # ids of the facets review.yml gains
    originals: dict[str, str | None] = field(default_factory=dict)  # path in content/ -> its text when planned


class PlanError(Exception):
    """review.yml cannot be read, or cannot take the export's facets: nothing is imported."""

    def __init__(self, message: str, hint: str, source: str, line: int | None = None,
                 problems: list[Problem] | None = None):
        super().__init__(message)
        self.message, self.hint, self.source, self.line = message, hint, source, line
        self.problems = problems or []  # review.yml's own, when it does not load

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line else self.source
        return f"{where}: {self.message} (hint: {self.hint})"


def _yaml(value: object) -> str:
    # JSON strings and lists are YAML flow scalars: any title or name is written safely (as new-study does).
    return json.dumps(list(value) if isinstance(value, tuple) else value, ensure_ascii=False)


def _same(name: str, existing: object, imported: object) -> bool:
    if name == "authors":
        # Compared as the site shows them: RIS cannot tell "{Ó Súilleabháin}" from "Ó Súilleabháin," (no initials).
        return [str(as_name(str(a))) for a in existing or []] == [str(as_name(a)) for a in imported]  # type: ignore
    if name == "doi":
        return doi_key(existing) == doi_key(imported)
    if name == "title":
        return " ".join(str(existing).split()) == imported
    if name == "countries" or name.startswith("facets."):  # a set of codes: the order is the file's to choose
        def codes(value: object) -> set[str]:
            return {str(v) for v in (value if isinstance(value, list | tuple) else [value])}
        return codes(existing) == codes(imported)
    return str(existing).strip() == str(imported)


_EMPTY = r"""(?:null|~|\[\]|""|'')?"""  # what YAML reads as no value, as a study file may write it
_ORDER = (*FIELDS, "countries", "region", "facets", "sample", "summary", "themes", "inferred", "notes",
          "appraisal")


def set_field(text: str, name: str, value: object, written: str | None = None) -> str:
    """The file's text with top-level `name` set to `value` (or to the lines `written`): its `name: null` line
    replaced (with any comment), or, when the file lacks the field, a line added before the next field in the
    format's order."""
    line = written or f"{name}: {_yaml(value)}\n"
    pattern = re.compile(rf"^{name}:[ \t]*{_EMPTY}[ \t]*(?:#.*)?\n", re.MULTILINE)
    if pattern.search(text):
        return pattern.sub(lambda _: line, text, count=1)
    for after in _ORDER[_ORDER.index(name) + 1:]:
        found = re.search(rf"^{after}:", text, re.MULTILINE)
        if found:
            return text[:found.start()] + line + text[found.start():]
    return text + ("" if text.endswith("\n") else "\n") + line


def set_facet(text: str, fid: str, value: object) -> str:
    """The file's text with facets.<fid> set: its empty line replaced, else a line added at the end of `facets:`
    (made when the file has none, or holds null or {}). The caller reads the result back to check it."""
    nodes = yaml_nodes(text)
    facets = nodes.get(("facets",))
    entry = nodes.get(("facets", fid))
    if entry is not None and entry.key_start is not None:
        end = text.find("\n", entry.key_start)
        end = len(text) if end < 0 else end
        return text[:entry.key_start] + f"{fid}: {_yaml(value)}" + text[end:]
    if facets is not None and facets.kind == "map" and not facets.flow and not facets.empty:
        pad = " " * (facets.column or 2)
        at = text.find("\n", _last(text, facets.end))
        at = len(text) if at < 0 else at + 1
        return text[:at] + ("" if text[:at].endswith("\n") else "\n") + f"{pad}{fid}: {_yaml(value)}\n" + text[at:]
    block = f"facets:\n  {fid}: {_yaml(value)}\n"
    if facets is None:
        return set_field(text, "facets", {}).replace("facets: {}\n", block, 1)
    start = text.rfind("\n", 0, facets.key_start or 0) + 1
    end = text.find("\n", _last(text, facets.end))
    return text[:start] + block + text[len(text) if end < 0 else end + 1:]


def _last(text: str, end: int) -> int:
    while end > 0 and text[end - 1] in " \t\r\n":
        end -= 1
    return end


def plan_import(result: ReadResult, content: Path) -> Plan:
    """What importing `result` into the content folder would change. Raises PlanError when review.yml cannot be
    read (an absent review.yml is written, minimal) or cannot take the export's facets."""
    plan = Plan(skipped=list(result.skipped), notices=list(result.notices))
    review_path = content / "review.yml"
    source = f"{content}/review.yml"
    review, themes, problems = load_outline(content)
    if review_path.exists() or review_path.is_symlink():
        text, _ = read_file(review_path, source) if review is not None else (None, [])
        if review is None or text is None:
            errors = [p for p in problems if not p.warning]
            raise PlanError("review.yml has problems: the import needs its facets", "fix review.yml first (the "
                            "problems are listed above), then import again", source, None, errors)
        before: str | None = text
    else:
        text, before = MINIMAL, None
    data = load_yaml(text, source).data
    facets = match_facets(result.facets, data)
    appraisal, facets.additions.appraisal = match_appraisal(result.appraisal, data)
    theme_files = [p.stem for p in (content / "themes").glob("*.md")] if (content / "themes").is_dir() else []
    theme_match = match_themes(result.themes, result.records, theme_files, themes)
    if facets.additions or before is None:
        try:
            new_text, plan.review_changes = add_to_review(text, data, facets.additions, True, source)
        except ReviewTextError as exc:
            raise PlanError(exc.message, exc.hint, source, exc.line) from None
        plan.review, plan.originals["review.yml"] = new_text, before
    cited = _plan_studies(plan, result.records, content / "studies", facets, theme_match, themes, appraisal)
    for tid, spec in theme_match.new.items():
        plan.themes[tid] = _theme_text(spec.title, spec.summary, cited.get(tid, []))
        plan.originals[f"themes/{tid}.md"] = None
    plan.notices += facets.notices + theme_match.notices + appraisal.final_notices()
    return plan


def _theme_text(title: str, summary: str | None, studies: list[str]) -> str:
    front = f"title: {_yaml(title)}\n" + (f"summary: {_yaml(' '.join(summary.split()))}\n" if summary else "")
    cites = f" Studies with a finding for it: [{'; '.join('@' + s for s in sorted(studies))}]." if studies else ""
    return (f"---\n{front}---\nTODO: the synthesis for this theme: what the studies found, in your own words, citing "
            f"each study by its id.{cites}\n")


def _existing(studies_dir: Path) -> tuple[dict[str, tuple[dict, str]], list[str]]:
    files = sorted(studies_dir.glob("*.yml")) if studies_dir.is_dir() else []
    existing: dict[str, tuple[dict, str]] = {}
    for path in files:
        # Read as the build reads content: no link followed, size bounded, YAML built without recursion. A file that
        # cannot be read is neither matched nor touched (validate names the problem).
        text, _ = read_file(path, str(path))
        loaded = load_yaml(text, str(path)) if text is not None else None
        data = loaded.data if loaded is not None and not loaded.problems else None
        if text is not None and isinstance(data, dict):
            existing[path.stem] = (data, text)
    return existing, [p.stem for p in files]


def _plan_studies(plan: Plan, records: list[Record], studies_dir: Path, facets: FacetMatch, themes: ThemeMatch,
                  review_themes: list[Any], appraisal: AppraisalMatch) -> dict[str, list[str]]:
    """Plan each record's study; return the new studies with a finding for each theme (theme id -> study ids)."""
    existing, stems = _existing(studies_dir)
    by_doi: dict[str, str] = {}
    by_title: dict[tuple[str, int], str] = {}
    for sid, (data, _) in existing.items():
        if doi_key(data.get("doi")):
            by_doi.setdefault(doi_key(data.get("doi")), sid)  # type: ignore[arg-type]
        if data.get("title") and isinstance(data.get("year"), int):
            by_title.setdefault(title_key(str(data["title"]), data["year"]), sid)

    seen: dict[object, int] = {}  # what identifies each record already read -> its number
    new: list[Record] = []
    matched: dict[str, list[Record]] = {}
    for record in records:
        keys = [k for k in (doi_key(record.doi), title_key(record.title, record.year)) if k]
        earlier = next((seen[k] for k in keys if k in seen), None)
        if earlier is not None:
            plan.skipped.append(Skipped(record.number, f"the same study as record {earlier}", record.line))
            continue
        for key in keys:
            seen[key] = record.number
        sid = (by_doi.get(doi_key(record.doi)) if record.doi else None) or by_title.get(keys[-1])  # type: ignore
        if sid is None:
            new.append(record)
        else:
            matched.setdefault(sid, []).append(record)

    added_facets = plan.new_facets = [f.id for f in facets.additions.facets]
    for sid, (data, text) in sorted(existing.items()):
        record, *others = matched.get(sid) or [None]
        for other in others:  # one matched by DOI, another by title: both are this file's study
            plan.skipped.append(Skipped(other.number, f"the same study as record {record.number} ({sid})",
                                        other.line))
        _fill(plan, sid, record, data, text, facets, added_facets, appraisal)

    ids = new_ids(new, set(existing) | set(stems))
    hint_facets = facets.model_facets()
    hint_themes = [*review_themes, *(_Hint(t.id, t.title) for t in themes.new.values())]
    tool = appraisal.model()
    cited: dict[str, list[str]] = {}
    for record in new:
        sid = ids[record.number]
        findings = themes.translate(record)
        study = {**record.values(), "countries": list(record.countries), "region": record.region,
                 "facets": facets.translate(record), "themes": findings, "summary": record.summary,
                 "notes": record.notes, "inferred": list(record.inferred),
                 "sample": {"size": record.sample_size, "description": record.sample_description},
                 "appraisal": appraisal.translate(record)}
        plan.added[sid] = render(None, hint_themes, list(record.authors), record.year, record.title, study,
                                 hint_facets, tool)
        plan.originals[f"studies/{sid}.yml"] = None
        for tid in findings:
            cited.setdefault(tid, []).append(sid)
    return cited


@dataclass(frozen=True)
class _Hint:  # a theme new in this import, as new-study's template lists the review's themes
    id: str
    title: str


def _fill(plan: Plan, sid: str, record: Record | None, data: dict, text: str, facets: FacetMatch,
          added_facets: list[str], appraisal: AppraisalMatch) -> None:
    """Fill what the file lacks from its record; report what differs. Every study file, matched or not, gains
    `<facet>: null` (not reported) for each facet the import adds to review.yml, as validate requires."""
    original, expected = text, dict(data)
    wanted: dict[str, object] = {}
    if record is not None:
        wanted = {**record.values(), "countries": list(record.countries), "region": record.region}
    for name, value in wanted.items():
        if value in (None, "", [], ()):
            continue
        if data.get(name) in (None, "", []):
            text, expected[name] = set_field(text, name, value), _plain(value)
        elif not _same(name, data[name], value):
            plan.conflicts.append(Conflict(sid, name, data[name], _plain(value), record.number))  # type: ignore
    have = data.get("facets") if isinstance(data.get("facets"), dict) else {}
    given = facets.translate(record) if record is not None else {}
    for fid in added_facets:
        if fid not in given and fid not in have:
            given[fid] = None  # type: ignore[assignment]
    for fid, value in given.items():
        if have.get(fid) in (None, "", []) and (value is not None or fid not in have):
            text = set_facet(text, fid, value)
            expected["facets"] = {**(expected.get("facets") or {}), fid: value}
        elif value is not None and not _same(f"facets.{fid}", have[fid], value):
            plan.conflicts.append(Conflict(sid, f"facets.{fid}", have[fid], value, record.number))  # type: ignore
    rated = appraisal.translate(record) if record is not None else None
    if record is not None and rated is not None:  # a rating is a judgement: filled when absent, never replaced
        mine = data.get("appraisal")
        if mine is None:
            block = appraisal_text(str(rated["rating"]), rated["rationale"]) + "\n"
            text, expected["appraisal"] = set_field(text, "appraisal", None, block), rated
        elif not isinstance(mine, dict) or mine.get("rating") != rated["rating"]:
            existing = mine.get("rating") if isinstance(mine, dict) else mine
            plan.conflicts.append(Conflict(sid, "appraisal.rating", existing, rated["rating"], record.number))
    if text == original:
        if record is not None:
            plan.unchanged.append(sid)
        return
    loaded = load_yaml(text, sid)
    if loaded.problems or loaded.data != expected:  # an unusual layout the edits did not fit: leave it to a person
        plan.notices.append(f"studies/{sid}.yml: its empty fields could not be filled in place"
                            + (f" (record {record.number})" if record else "") + ": left as is (hint: fill them by "
                            "hand, or write the file's fields one per line as new-study does, then import again)")
        if record is not None:
            plan.unchanged.append(sid)
        return
    (plan.updated if record is not None else plan.completed)[sid] = text
    plan.originals[f"studies/{sid}.yml"] = original


def _plain(value: object) -> object:
    return list(value) if isinstance(value, tuple) else value
