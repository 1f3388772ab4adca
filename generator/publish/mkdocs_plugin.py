"""MkDocs adapter: the `evidence-map` plugin, which runs the generator inside `mkdocs build` and `mkdocs serve`.

Listed in mkdocs.yml under `plugins:` (registered by pyproject.toml; scripts/setup.sh installs the project into
.venv). It loads content/, stops the build with every problem if any (and with a clear error if the generator
itself fails), refuses links and special files in docs/ before MkDocs reads it, adds the generated pages to MkDocs'
file list in memory (nothing is written into docs/), fills the placeholders of hand-written pages, and points
"edit this page" at the source file. What it relies on beyond MkDocs' documented API is in docs/upstream.md.
Under `mkdocs serve` a build it would stop ends instead with a page listing the problems in place of every page
(error_page.py). Note: `mkdocs serve` does not reload this module; restart it after changing generator code.
"""

from __future__ import annotations

import logging
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

from jinja2 import Environment
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents

from ..outputs.base import SEARCH_END, Links
from ..outputs.search import index_view
from . import preview
from .error_page import Failure, error_page
from .site import PLACEHOLDER, Site, SiteError, crash_report, unsafe_paths

log = logging.getLogger("mkdocs.plugins.evidence_map")

# Said once per `build` or `serve`, in place of Material's own banner (see docs/upstream.md).
END_OF_LIFE = ("Material for MkDocs, the theme this site is built with, reaches end of life on 5 May 2027 (security "
               "fixes until then). `python -m generator export DIR` writes this site as a project for Zensical, its "
               "successor: see docs/publishing.md")


class EvidenceMapConfig(Config):
    content = c.Type(str, default="content")
    """The content folder (review.yml, studies/, themes/), relative to mkdocs.yml."""
    nav_per_folder = c.Type(bool, default=True)
    """Draw the primary navigation once per folder for pages outside it (see `on_env`)."""
    search_cut = c.Type(bool, default=True)
    """Give Material's search plugin a generated page only up to where its searched part ends (see
    `on_page_content`)."""


class GeneratedPage(Page):
    """A page the generator wrote as HTML. MkDocs reads its front matter (title, description, search settings) from
    the file, which holds only that; render() takes the HTML as it is. Parsing large HTML blocks as Markdown was half
    the build time, and even an empty page costs a new Markdown converter."""

    def __init__(self, title: str | None, file: File, config: MkDocsConfig, body: str) -> None:
        super().__init__(title, file, config)
        self.body = body

    def render(self, config: MkDocsConfig, files: Files) -> None:
        """What Page.render sets: content, toc and the anchors other pages may link to (links in generated pages
        are checked by the tests, not by MkDocs, which never sees them as Markdown)."""
        self.content = self.body
        self.toc = table_of_contents(self.body)
        self.present_anchor_ids = set(_ID.findall(self.body))


_HEADING = re.compile(r'<h([23]) id="([^"]+)"[^>]*>(.*?)<a class="headerlink"')  # other attributes may follow
_ID = re.compile(r'\sid="([^"]+)"')
_SEARCH_ATTRIBUTES = re.compile(r'\s?data-search-\w+="[^"]+"')  # as Material's search plugin removes them


def table_of_contents(body: str) -> TableOfContents:
    """The table of contents of a generated page: its h2 headings, with their h3 headings inside."""
    items: list[AnchorLink] = []
    for level, anchor, title in _HEADING.findall(body):
        if level == "2":
            items.append(AnchorLink(title, anchor, 2))
        elif items:
            items[-1].children.append(AnchorLink(title, anchor, 3))
    return TableOfContents(items)


class EvidenceMapPlugin(BasePlugin[EvidenceMapConfig]):
    def __init__(self) -> None:
        self.shim = False
        """Whether the site gets preview.SHIM (the preview build)."""
        self.site: Site | None = None
        self.rest_of_page: dict[str, str] = {}
        """What follows SEARCH_END on each generated page, between on_page_content and on_post_page."""
        # MkDocs keeps this instance from build to build under `serve` (it has on_startup), so these last.
        self.serving = False
        self.failures: list[Failure] = []
        """Why this build would have stopped (under `serve` only: elsewhere it stops)."""
        self.built: set[str] = set()
        """The pages this build wrote, by path in the site folder."""
        self.shown: set[str] = set()
        """The pages of the last build that succeeded: a browser may be showing any of them."""
        self._docs_dir: str | None = None
        self._empty_dir: str | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"
        log.info(END_OF_LIFE)

    def on_shutdown(self) -> None:
        if self._empty_dir:
            shutil.rmtree(self._empty_dir, ignore_errors=True)

    def _stop(self, summary: str, lines: list[str] | None = None) -> None:
        """Stop the build with every problem in the terminal. Under `serve`, the build goes on instead and ends with
        a page showing them (on_post_build): MkDocs' server holds every request after a failed rebuild until one
        succeeds, so the browser would wait, showing nothing."""
        for line in lines or []:
            log.error(line)
        if not self.serving:
            raise Abort(summary) from None
        if not lines:
            log.error(summary)
        self.failures.append(Failure(summary, tuple(lines or [summary])))

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.failures, self.built, self.site = [], set(), None
        try:  # the preview (Material's offline plugin on): its iframe-worker shim from the site itself
            self.shim = preview.local_shim(config)
        except ValueError as exc:
            self._stop(str(exc))
        root = Path(config.config_file_path).parent
        try:
            branch = re.match(r"edit/([^/]+)/", config.edit_uri or "")
            self.site = site = Site.load(root, root / self.config.content, links=Links(
                config.site_url, config.repo_url, branch.group(1) if branch else "main",
                directory_urls=config.use_directory_urls))
        except SiteError as exc:
            self._stop(exc.summary, exc.lines)
        except Exception as exc:  # a bug: say so and where, rather than a traceback (or nothing, under `mkdocs serve`)
            log.debug("the traceback of the failure below", exc_info=True)
            self._stop(f"the generator failed (a bug): {type(exc).__name__}: {exc}", [crash_report(exc)])
        if self.failures:
            config["nav"] = None  # the error pages will be the only pages: no entry of the nav to look for
            return config
        for problem in site.map.warnings:
            log.info(str(problem))
        for warning in site.warnings:  # not log.warning: a strict build would stop, and these are only dates
            log.info(warning)
        for key, value in site.site_settings(config).items():
            config[key] = value
        config["nav"] = site.nav(config["nav"])
        config["extra_css"] = [*config["extra_css"], *(a for a in site.global_assets if a.endswith(".css"))]
        config["extra_javascript"] = [*config["extra_javascript"],
                                      *(a for a in site.global_assets if a.endswith(".js"))]
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        """Before MkDocs walks docs/ (following links) and reads or copies anything from it: no links, no special
        files."""
        problems = unsafe_paths(Path(config.docs_dir), Path(config.config_file_path).parent)
        if problems:
            self._stop(f"{len(problems)} link(s) or special file(s) in the docs folder; nothing was built", problems)
        if self.failures:
            # MkDocs walks docs/ next, following links (a link to / would take it through the whole disk); the
            # error pages need nothing from it. on_files puts the folder back (`serve` watches it after a build).
            self._docs_dir = config.docs_dir
            self._empty_dir = self._empty_dir or tempfile.mkdtemp(prefix="evidence-map-preview-")
            config["docs_dir"] = self._empty_dir

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        if self._docs_dir is not None:
            config["docs_dir"], self._docs_dir = self._docs_dir, None
        if self.failures:
            return Files([])  # nothing to build but the error pages (on_post_build)
        site = self.site
        assert site is not None
        self.rest_of_page.clear()  # left over if the last build under `mkdocs serve` stopped half-way
        taken = [uri for uri in site.pages if files.get_file_from_path(uri) is not None]
        if taken:
            self._stop(f"docs/{taken[0]} is hand-written, but the generator makes a page with that path; "
                       "rename or remove the file in docs/")
            return Files([])
        titles = nav_titles(config.nav)
        for src_uri, content in site.pages.items():
            body = None
            if src_uri.endswith(".md"):
                content, body = split_front_matter(content)
            file = File.generated(config, src_uri, content=content, inclusion=InclusionLevel.NOT_IN_NAV
                                  if src_uri not in site.nav_pages else InclusionLevel.UNDEFINED)
            file.edit_uri = site.edit_uri(src_uri, config.docs_dir)
            files.append(file)
            if body is not None:  # MkDocs keeps a page set on file.page (and so takes no title from the nav)
                GeneratedPage(titles.get(src_uri), file, config, body)
        for src_uri, path in site.assets.items():
            files.append(File.generated(config, src_uri, abs_src_path=str(path)))
        if self.shim:
            files.append(File.generated(config, preview.SHIM_URI, abs_src_path=str(preview.SHIM)))
        return files

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        """The primary navigation is the same on every page outside it (study pages, later pages of long lists) in
        one folder, so it is rendered once per folder. Pages in the navigation, whose own entry is highlighted, are
        rendered as usual. This replaces the compiled template's render function, which Jinja does not document:
        see docs/upstream.md."""
        if not self.config.nav_per_folder:
            return env
        template = env.get_template("partials/nav.html")
        render = template.root_render_func
        cache: dict[str, str] = {}

        def nav(context):
            page = context.get("page")
            if page is None or page.file.inclusion is not InclusionLevel.NOT_IN_NAV:
                yield from render(context)
                return
            folder = page.url.rstrip("/").rpartition("/")[0]  # its links are relative to the page's folder
            if folder not in cache:
                cache[folder] = "".join(render(context))
            yield cache[folder]

        template.root_render_func = nav
        return env

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        assert self.site is not None
        if PLACEHOLDER.search(markdown) is None:
            return markdown
        try:
            return self.site.fill_placeholders(markdown, page.url, page.file.src_uri)
        except SiteError as exc:
            self._stop(exc.summary)
        except Exception as exc:
            if not self.serving:
                raise  # run_mkdocs prints the traceback, for the report
            log.debug("the traceback of the failure below", exc_info=True)
            self._stop(f"the generator failed (a bug): {type(exc).__name__}: {exc}", [crash_report(exc)])
        return markdown

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """What Material's search plugin indexes (it reads page.content next, in on_page_context): a hand-written
        page as search.index_view marks it (no code blocks); a generated page as it is, as it carries its own marks
        (data-search-exclude, a study's search text), and with `search_cut` only up to SEARCH_END (what follows is
        excluded from search anyway), the rest replacing a placeholder in the finished HTML (on_post_page)."""
        if not isinstance(page, GeneratedPage):
            return index_view(html)
        searched, found, rest = html.partition(SEARCH_END)
        if not found or not self.config.search_cut:
            return searched + rest
        self.rest_of_page[page.file.src_uri] = rest
        return searched + _rest_marker(page)

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        """The rest of the page, without the data-search-* attributes, as the search plugin strips them from what it
        sees (see docs/upstream.md)."""
        self.built.add(page.file.dest_uri)
        rest = self.rest_of_page.pop(page.file.src_uri, None)
        if rest is None:
            return output
        marker = _rest_marker(page)
        where = output.find(marker)
        if where < 0:
            self._stop(f"the theme's template did not print all of {page.file.src_uri} "
                       "(hint: a theme override must print page.content)")
            return output
        return output[:where] + _SEARCH_ATTRIBUTES.sub("", rest) + output[where + len(marker):]

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Under `serve`, after a build that would have stopped: the page listing the problems in place of every
        page a browser may be showing (the server adds its reload script to each, so it reloads onto the site after
        the next good build), and as the 404 page, which the server sends for any other address."""
        if not self.serving:
            return
        if not self.failures:
            self.shown = self.built
            return
        site_dir = Path(config.site_dir)
        page = error_page(self.failures, reloads=True)
        for dest in sorted(self.shown | self.built | {"index.html"}):
            target = site_dir / dest
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(page, encoding="utf-8")
        (site_dir / "404.html").write_text(error_page(self.failures, reloads=False), encoding="utf-8")
        log.error("The preview shows these problems in place of every page; it shows the site again once they are "
                  "fixed")


def _rest_marker(page: Page) -> str:
    return f"<!-- em-rest-of-page {page.file.src_uri} -->"


def split_front_matter(text: str) -> tuple[str, str]:
    """'---\\n…\\n---\\n' and the rest: the renderer writes every generated page that way."""
    end = text.index("\n---\n", 4) + 5
    return text[:end], text[end:]


def nav_titles(nav: Any) -> dict[str, str]:
    """The titles mkdocs.yml's `nav` gives pages (`- Title: path`), by path."""
    titles: dict[str, str] = {}
    items = nav if isinstance(nav, list) else []
    for item in items:
        if isinstance(item, dict):
            for title, value in item.items():
                if isinstance(value, str):
                    titles[value] = title
                else:
                    titles.update(nav_titles(value))
    return titles
