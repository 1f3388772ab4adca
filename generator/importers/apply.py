"""Write imported records into content/studies/: the plan first (what is new, what fills an empty field, what
differs from the file), then every file or none.

A record is the same study as a file when their DOIs match, else when their titles (case, accents and punctuation
ignored) and years do. A matched file only ever gains what it lacks (a field that is null or absent); a field that
differs is a conflict, reported with both values and left as is, because someone may have corrected it by hand.
Summary, findings (themes), facets and notes are never read or written. New studies are written from new-study's
template, so they carry its TODO hints for what an import cannot know: countries, facets, themes."""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..content.files import read_file
from ..content.scaffold import render
from ..content.yamlsource import load_yaml
from ..model import Review, Theme
from ..names import as_name
from .records import FIELDS, Record, Skipped, doi_key, new_ids, title_key

# LibYAML's safe loader reads a review's thousands of study files about ten times faster than the pure-Python one.


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
    conflicts: list[Conflict] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


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
    return str(existing).strip() == str(imported)


_EMPTY = r"""(?:null|~|\[\]|""|'')?"""  # what YAML reads as no value, as a study file may write it


def set_field(text: str, name: str, value: object) -> str:
    """The file's text with top-level `name` set to `value`: its `name: null` line replaced (with any comment),
    or, when the file lacks the field, a line added before the next field in the format's order."""
    line = f"{name}: {_yaml(value)}\n"
    pattern = re.compile(rf"^{name}:[ \t]*{_EMPTY}[ \t]*(?:#.*)?\n", re.MULTILINE)
    if pattern.search(text):
        return pattern.sub(lambda _: line, text, count=1)
    later = [*FIELDS[FIELDS.index(name) + 1:], "countries", "region", "facets"]
    for after in later:
        found = re.search(rf"^{after}:", text, re.MULTILINE)
        if found:
            return text[:found.start()] + line + text[found.start():]
    return text + ("" if text.endswith("\n") else "\n") + line


def plan_import(records: list[Record], skipped: list[Skipped], studies_dir: Path, review: Review,
                themes: list[Theme]) -> Plan:
    plan = Plan(skipped=list(skipped))
    files = sorted(studies_dir.glob("*.yml")) if studies_dir.is_dir() else []
    existing: dict[str, tuple[dict, str]] = {}
    by_doi: dict[str, str] = {}
    by_title: dict[tuple[str, int], str] = {}
    for path in files:
        # Read as the build reads content: no link followed, size bounded, YAML built without recursion. A file that
        # cannot be read is neither matched nor touched (validate names the problem).
        text, _ = read_file(path, str(path))
        loaded = load_yaml(text, str(path)) if text is not None else None
        data = loaded.data if loaded is not None and not loaded.problems else None
        if text is None or not isinstance(data, dict):
            continue
        existing[path.stem] = (data, text)
        if doi_key(data.get("doi")):
            by_doi.setdefault(doi_key(data.get("doi")), path.stem)  # type: ignore[arg-type]
        if data.get("title") and isinstance(data.get("year"), int):
            by_title.setdefault(title_key(str(data["title"]), data["year"]), path.stem)

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

    for sid, (record, *others) in sorted(matched.items()):
        for other in others:  # one matched by DOI, another by title: both are this file's study
            plan.skipped.append(Skipped(other.number, f"the same study as record {record.number} ({sid})",
                                        other.line))
        data, text = existing[sid]
        for name, value in record.values().items():
            if data.get(name) in (None, "", []):
                text = set_field(text, name, value)
            elif not _same(name, data[name], value):
                plan.conflicts.append(Conflict(sid, name, data[name], _plain(value), record.number))
        if text != existing[sid][1]:
            plan.updated[sid] = text
        else:
            plan.unchanged.append(sid)

    ids = new_ids(new, set(existing) | {p.stem for p in files})
    for record in new:
        text = render(review, themes, list(record.authors), record.year, record.title)
        for name, value in record.values().items():
            if name not in ("title", "authors", "year"):
                text = set_field(text, name, value)
        plan.added[ids[record.number]] = text
    return plan


def _plain(value: object) -> object:
    return list(value) if isinstance(value, tuple) else value


def write_plan(plan: Plan, studies_dir: Path) -> list[Path]:
    """Write every added and updated file, or none: each is written to a folder beside the studies first, then
    moved into place; if a move fails, the files already moved are put back as they were."""
    changes = {**plan.added, **plan.updated}
    if not changes:
        return []
    studies_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".import-", dir=studies_dir))
    done: list[tuple[Path, Path | None]] = []  # (target, its old text's copy or None when it is new)
    try:
        for sid, text in changes.items():
            (staging / f"{sid}.new").write_text(text, encoding="utf-8")
        for sid in changes:
            target = studies_dir / f"{sid}.yml"
            backup = None
            if sid in plan.updated:
                backup = staging / f"{sid}.old"
                shutil.copy2(target, backup)
            elif target.exists():
                raise FileExistsError(f"{target} appeared while importing: not overwritten")
            os.replace(staging / f"{sid}.new", target)
            done.append((target, backup))
    except BaseException:
        for target, backup in reversed(done):
            if backup is None:
                target.unlink(missing_ok=True)
            else:
                os.replace(backup, target)
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [target for target, _ in done]
