"""The generated site as data, independent of the publisher: pages, assets and placeholders."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from markupsafe import escape

from .content import load_map
from .history import file_dates
from .model import EvidenceMap
from .problems import ContentError
from .render import (
    ASSET_PREFIX,
    DOWNLOADS_PAGE,
    GLANCE_PAGE,
    MATRIX_PAGE,
    STUDIES_PAGE,
    WHATS_NEW_PAGE,
    History,
    Links,
    SiteRenderer,
)

# A placeholder is a line of its own: one quoted in a sentence or a table (as in docs/format.md) stays as written.
PLACEHOLDER = re.compile(r"^[ \t]*<!--\s*evidence-map:([a-z-]+)\s*-->[ \t]*$", re.MULTILINE)
ASSETS_DIR = Path(__file__).parent / "assets"
THEMES_INDEX = "themes/index.md"


class SiteError(Exception):
    def __init__(self, summary: str, lines: list[str] | None = None) -> None:
        super().__init__(summary)
        self.summary = summary
        self.lines = lines or [summary]


@dataclass
class Site:
    root: Path
    map: EvidenceMap
    renderer: SiteRenderer
    pages: dict[str, str]

    @classmethod
    def load(cls, root: Path, content_dir: Path | None = None, links: Links | None = None) -> Site:
        content = content_dir or root / "content"
        try:
            emap = load_map(content)
        except ContentError as exc:
            errors = [p for p in exc.problems if not p.warning]
            raise SiteError(f"the content has {len(errors)} problem(s); fix them and build again",
                            [str(p) for p in exc.problems]) from None
        renderer = SiteRenderer(emap, history=history_of(root, content, emap), links=links or Links())
        return cls(root, emap, renderer, renderer.pages())

    # ---------------------------------------------------------------- what the publisher needs

    @property
    def nav_pages(self) -> set[str]:
        """Generated pages that belong in the navigation; study pages never do (the nav is in every page)."""
        return {STUDIES_PAGE, THEMES_INDEX, MATRIX_PAGE, GLANCE_PAGE, DOWNLOADS_PAGE, WHATS_NEW_PAGE} | {
            f"themes/{t.id}.md" for t in self.map.themes}

    @property
    def assets(self) -> dict[str, Path]:
        """Every script and style sheet to copy into the site, keyed by its path there."""
        return {ASSET_PREFIX + p.relative_to(ASSETS_DIR).as_posix(): p for p in sorted(ASSETS_DIR.rglob("*"))
                if p.suffix in (".js", ".css")}

    @property
    def global_assets(self) -> list[str]:
        """The ones every page loads; those in subfolders (charts, vendored plotly) are loaded by their pages."""
        return [uri for uri, path in self.assets.items() if path.parent == ASSETS_DIR]

    def site_settings(self) -> dict[str, str]:
        """Site name and description from review.yml, escaped: theme templates print them raw."""
        return {"site_name": str(escape(self.map.review.title)),
                "site_description": str(escape(" ".join(self.map.review.question.split())))}

    def nav(self, nav: list[Any] | None) -> list[Any] | None:
        """Expand the nav entry pointing at themes/index.md into a section listing every theme."""
        if nav is None:
            return None
        out: list[Any] = []
        for item in nav:
            if isinstance(item, dict) and len(item) == 1 and next(iter(item.values())) == THEMES_INDEX:
                title = next(iter(item))
                # Theme templates print nav titles raw: escape them here, as the front matter's titles are.
                out.append({title: [THEMES_INDEX] + [{str(escape(t.title)): f"themes/{t.id}.md"}
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
        return {**{f"studies/{s.id}.md": s.source for s in self.map.studies},
                **{f"themes/{t.id}.md": t.source for t in self.map.themes}}

    def fill_placeholders(self, markdown: str, url: str, src_uri: str) -> str:
        def fill(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in self.renderer.FRAGMENTS:
                raise SiteError(f"docs/{src_uri}: unknown placeholder '{match.group(0)}' "
                                f"(hint: use one of: {', '.join(self.renderer.FRAGMENTS)})")
            return self.renderer.fragment(name, url)

        return PLACEHOLDER.sub(fill, markdown)



def history_of(root: Path, content: Path, emap: EvidenceMap) -> History:
    """Each study's and theme's dates from git (empty without a full history), and their paths in the repository."""
    try:
        rel = content.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return History({}, {}, {})
    dates = file_dates(root, content)
    paths = {**{("study", s.id): f"{rel}/studies/{s.id}.yml" for s in emap.studies},
             **{("theme", t.id): f"{rel}/themes/{t.id}.md" for t in emap.themes}}
    return History({s.id: dates.get(paths[("study", s.id)]) for s in emap.studies},
                   {t.id: dates.get(paths[("theme", t.id)]) for t in emap.themes}, paths, rel)
