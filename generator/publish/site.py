"""The generated site as data, independent of the publisher: pages, assets and placeholders."""

from __future__ import annotations

import copy
import dataclasses
import datetime as _dt
import os
import re
import traceback
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from markupsafe import escape

from ..content.files import kind_of
from ..content.load import load_map
from ..content.problems import ContentError, display_path, source_of
from ..model import EvidenceMap
from ..outputs import paths
from ..outputs.base import History, Links
from ..outputs.compose import DuplicateOutput, SiteOutputs
from ..outputs.currency import footer_text
from .history import build_time, file_dates, git_version

# A placeholder is a line of its own: one quoted in a sentence or a table (as in docs/format.md) stays as written.
PLACEHOLDER = re.compile(r"^[ \t]*<!--\s*evidence-map:([a-z-]+)\s*-->[ \t]*$", re.MULTILINE)
ASSETS_DIR = Path(__file__).parent.parent / "assets"


class SiteError(Exception):
    def __init__(self, summary: str, lines: list[str] | None = None) -> None:
        super().__init__(summary)
        self.summary = summary
        self.lines = lines or [summary]


@dataclass
class Site:
    root: Path
    map: EvidenceMap
    renderer: SiteOutputs
    pages: dict[str, str]
    warnings: list[str] = field(default_factory=list)
    """What the build should tell the maintainer, e.g. git dates it ignored: the build goes on."""

    @classmethod
    def load(cls, root: Path, content_dir: Path | None = None, links: Links | None = None) -> Site:
        content = content_dir or root / "content"
        now = build_time()  # the one reading of the clock (and SOURCE_DATE_EPOCH) for the whole build
        today = _dt.datetime.fromtimestamp(now, _dt.UTC).date()
        try:
            emap = load_map(content, today)
        except ContentError as exc:
            errors = [p for p in exc.problems if not p.warning]
            raise SiteError(f"the content has {len(errors)} problem(s); fix them and build again",
                            [str(p) for p in exc.problems]) from None
        history, warnings = history_of(root, content, emap, now)
        history = dataclasses.replace(history, version=git_version(root, now))
        renderer = SiteOutputs(emap, history=history, links=links or Links(), today=today)
        try:
            pages = renderer.pages()
        except DuplicateOutput as exc:
            raise SiteError(f"two outputs have one path: {exc}") from None
        return cls(root, emap, renderer, pages, warnings)

    # ---------------------------------------------------------------- what the publisher needs

    @property
    def nav_pages(self) -> set[str]:
        """Generated pages that belong in the navigation; study pages never do (the nav is in every page), nor the
        themes index of a map without themes."""
        pages = set(paths.SITE_PAGES) | {paths.theme_page(t.id) for t in self.map.themes}
        return pages if self.map.themes else pages - {paths.THEMES_PAGE}

    @property
    def assets(self) -> dict[str, Path]:
        """Every script and style sheet to copy into the site, keyed by its path there."""
        return {paths.ASSET_PREFIX + p.relative_to(ASSETS_DIR).as_posix(): p for p in sorted(ASSETS_DIR.rglob("*"))
                if p.suffix in (".js", ".css")}

    @property
    def global_assets(self) -> list[str]:
        """The ones every page loads; those in subfolders (charts, vendored plotly) are loaded by their pages."""
        return [uri for uri, path in self.assets.items() if path.parent == ASSETS_DIR]

    def site_settings(self, config: Any = None) -> dict[str, Any]:
        """Site name and description from review.yml, escaped: theme templates print them raw. And `extra` (the
        theme's own settings, from `config`, kept) with `evidence_map.version`: the map's version and date, which
        the footer shows (theme/partials/copyright.html)."""
        extra = copy.copy((config or {}).get("extra")) or {}  # a copy of the same kind MkDocs made
        extra["evidence_map"] = {"version": footer_text(self.renderer.build)}
        return {"site_name": str(escape(self.map.review.title)),
                "site_description": str(escape(" ".join(self.map.review.question.split()))), "extra": extra}

    def nav(self, nav: list[Any] | None) -> list[Any] | None:
        """Expand the nav entry pointing at themes/index.md into a section listing every theme; leave it out for a
        map without themes (an EPPI-Reviewer gap map, say), whose themes index only says there are none."""
        if nav is None:
            return None
        out: list[Any] = []
        for item in nav:
            if isinstance(item, dict) and len(item) == 1 and next(iter(item.values())) == paths.THEMES_PAGE:
                if not self.map.themes:
                    continue
                title = next(iter(item))
                # Theme templates print nav titles raw: escape them here, as the front matter's titles are.
                out.append({title: [paths.THEMES_PAGE] + [{str(escape(t.title)): paths.theme_page(t.id)}
                                                     for t in self.map.themes]})
            else:
                out.append(item)
        return out

    def edit_uri(self, src_uri: str, docs_dir: str) -> str | None:
        """The content file behind a generated page, relative to docs/ (for "edit this page"); None for pages
        made from several files (indexes, later pages of long lists)."""
        source = self._sources.get(src_uri)
        if source is None:
            return None
        return Path(os.path.relpath(Path(source).resolve(), Path(docs_dir).resolve())).as_posix()

    @cached_property
    def _sources(self) -> dict[str, str]:
        return {**{paths.study_page(s.id): s.source for s in self.map.studies},
                **{paths.theme_page(t.id): t.source for t in self.map.themes}}

    def fill_placeholders(self, markdown: str, url: str, src_uri: str) -> str:
        def fill(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in self.renderer.FRAGMENTS:
                raise SiteError(f"docs/{src_uri}: unknown placeholder '{match.group(0)}' "
                                f"(hint: use one of: {', '.join(self.renderer.FRAGMENTS)})")
            return self.renderer.fragment(name, url)

        return PLACEHOLDER.sub(fill, markdown)


def history_of(root: Path, content: Path, emap: EvidenceMap, now: float | None = None) -> tuple[History, list[str]]:
    """Each study's and theme's dates from git (empty without a full history), and their paths in the repository;
    and a warning for each commit whose date was ignored."""
    try:
        rel = content.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return History({}, {}, {}), []
    dates, warnings = file_dates(root, content, now=now)
    files = {**{("study", s.id): f"{rel}/studies/{s.id}.yml" for s in emap.studies},
             **{("theme", t.id): f"{rel}/themes/{t.id}.md" for t in emap.themes}}
    return History({s.id: dates.get(files[("study", s.id)]) for s in emap.studies},
                   {t.id: dates.get(files[("theme", t.id)]) for t in emap.themes}, files, rel), warnings


# ---------------------------------------------------------------------------------------------- hostile folders

def unsafe_paths(folder: Path, root: Path) -> list[str]:
    """Why the publisher must not read `folder` (hand-written pages and files): a message for each symbolic link in it
    (a pull request can add a link to /proc/self/environ, or to a folder outside the project, and the site would
    publish what it points to) and each special file (reading a named pipe waits forever). The folder itself and
    the folders between root and it must not be links either. Nothing is followed, nothing is read."""
    def shown(path: str | Path) -> str:
        relative = Path(os.path.relpath(path, root))
        return Path(path).as_posix() if relative.parts[0] == ".." else relative.as_posix()

    def link(path: str | Path) -> str:
        kind = "folder" if os.path.isdir(path) else "file"
        return (f"{shown(path)} is a symbolic link; the site would publish what it points to "
                f"(hint: commit the {kind} itself)")

    steps = Path(os.path.relpath(folder, root)).parts
    chain = [folder] if ".." in steps else [root.joinpath(*steps[:i + 1]) for i in range(len(steps))]
    for path in chain:
        if path.is_symlink():
            return [link(path)]
    found: list[tuple[str, str]] = []
    todo = [folder]
    while todo:
        here = todo.pop()
        try:
            entries = list(os.scandir(here))
        except OSError as exc:
            found.append((str(here), f"{shown(here)}: cannot read the folder: {exc.strerror}"))
            continue
        for entry in entries:
            if entry.is_symlink():
                found.append((entry.path, link(entry.path)))
            elif entry.is_dir(follow_symlinks=False):
                todo.append(Path(entry.path))
            elif not entry.is_file(follow_symlinks=False):
                kind = kind_of(entry.stat(follow_symlinks=False).st_mode)
                found.append((entry.path, f"{shown(entry.path)} is {kind}, not a file (hint: remove it: "
                                          f"{shown(folder)}/ holds files and folders only)"))
    return [message for _, message in sorted(found)]


# ---------------------------------------------------------------------------------------------- crashes

def crash_report(exc: BaseException) -> str:
    """An unexpected exception as one line for the maintainer: the content file being read when it happened (when the
    loader named one), the exception, where it was raised, and that it is a bug."""
    raised = traceback.extract_tb(exc.__traceback__)[-1:]
    where = f"at {display_path(Path(raised[0].filename))}:{raised[0].lineno}; " if raised else ""
    source = source_of(exc)
    return (f"{source + ': ' if source else ''}the generator failed: {type(exc).__name__}: {exc} ({where}this is a "
            "bug in the generator, not a mistake in the content: please report it with the output of "
            "`mkdocs build -v`)")
