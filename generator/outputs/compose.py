"""The composer: every output of the site, each made once, in a fixed order, by the module that owns its kind."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping

from ..model import EvidenceMap
from . import changes, downloads, downloads_page, fragments, overview, search, studies_index, study, themes
from .base import Build, History, Links
from .paths import page_url


class SiteOutputs:
    """The map's pages and files ({path in the docs tree: text}), and the fragments for hand-written pages."""

    FRAGMENTS = fragments.NAMES

    def __init__(self, emap: EvidenceMap, history: History | None = None, links: Links | None = None, *,
                 today: _dt.date) -> None:
        """`today`: the build's date (the map's citation gives its year when git has no history)."""
        self.build = Build(emap, history, links, today=today)
        self.map = emap

    def pages(self) -> dict[str, str]:
        """Every generated page and file, keyed by its path in the site's docs tree."""
        build, out = self.build, _Outputs()
        out.add(studies_index.pages(build), "the studies index")
        out.add({**themes.index(build), **overview.matrix_pages(build), **overview.glance_pages(build)},
                "the site's own pages")
        entries = []
        for s in self.map.studies:
            entry = downloads.bibtex([s])  # written once: on the study's page and in references.bib
            out.add(study.pages(build, s, entry), f"study '{s.id}' ({s.source})")
            entries.append(entry)
        for theme in self.map.themes:
            out.add(themes.pages(build, theme), f"theme '{theme.id}' ({theme.source})")
        prisma = downloads_page.prisma_files(build)
        out.add({**prisma, **changes.pages(build)}, "the site's own pages")
        data = downloads.files(self.map, bibtex_text=downloads.join_bibtex(entries))
        out.add(data, "the downloads")
        out.add(downloads_page.pages(build, {**data, **prisma}), "the downloads page")
        out.add(search.files(build), "the studies filter's country names")
        return dict(out)

    def fragment(self, name: str, here: str) -> str:
        """HTML for a placeholder in a docs/ page (one of FRAGMENTS), linked relative to that page's URL."""
        return fragments.fragment(self.build, name, here)


class DuplicateOutput(ValueError):
    """Two generated outputs have the same path (or the same address): one would silently replace the other."""


class _Outputs(dict[str, str]):
    """Generated outputs by path, each added once: a second output at a path, or at an address a page already
    has, is an error naming both. `producer` names what made the outputs."""

    def __init__(self) -> None:
        super().__init__()
        self.made_by: dict[str, tuple[str, str]] = {}  # address -> (path, producer)

    def add(self, outputs: Mapping[str, str], producer: str) -> None:
        for path, text in outputs.items():
            address = page_url(path) if path.endswith(".md") else path
            if address in self.made_by:
                first_path, first = self.made_by[address]
                raise DuplicateOutput(
                    f"{path}: made by {producer} and by {first}"
                    + (f" (at {first_path}, the same address)" if first_path != path else "")
                    + "; each page and file needs a path of its own")
            self.made_by[address] = (path, producer)
            self[path] = text
