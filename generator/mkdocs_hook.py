"""MkDocs adapter: a thin layer that runs the generator inside `mkdocs build` and `mkdocs serve`.

Listed in mkdocs.yml under `hooks:`. It loads content/, stops the build with every problem if any (and with a
clear error if the generator itself fails), refuses links and special files in docs/ before MkDocs reads it,
adds the generated pages to MkDocs' file list in memory (nothing is written into docs/), fills the
placeholders of hand-written pages, and points "edit this page" at the source file.
Note: `mkdocs serve` does not reload this module; restart it after changing generator code.
"""

from __future__ import annotations

import logging
import re
import sys
import types
from pathlib import Path

from mkdocs.exceptions import Abort
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.toc import get_toc

try:
    import generator  # noqa: F401  (installed, or run from the project folder)
except ImportError:  # MkDocs loads this file by path: make its package importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.render import SEARCH_END, Links  # noqa: E402
from generator.site import PLACEHOLDER, Site, SiteError, crash_report, unsafe_paths  # noqa: E402

log = logging.getLogger("mkdocs.plugins.evidence_map")
_site: Site | None = None


def on_config(config, **_):
    global _site
    root = Path(config.config_file_path).parent
    try:
        branch = re.match(r"edit/([^/]+)/", config.edit_uri or "")
        _site = Site.load(root, links=Links(config.site_url, config.repo_url, branch.group(1) if branch else "main"))
    except SiteError as exc:
        for line in exc.lines:
            log.error(line)
        raise Abort(exc.summary) from None
    except Exception as exc:  # a bug: say so and where, rather than a traceback (or nothing, under `mkdocs serve`)
        log.error(crash_report(exc))
        log.debug("the traceback of the failure above", exc_info=True)
        raise Abort(f"the generator failed (a bug): {type(exc).__name__}: {exc}") from None
    for problem in _site.map.warnings:
        log.info(str(problem))
    for warning in _site.warnings:  # not log.warning: a strict build would stop, and these are only dates
        log.info(warning)
    for key, value in _site.site_settings().items():
        config[key] = value
    config["nav"] = _site.nav(config["nav"])
    config["extra_css"] = [*config["extra_css"], *(a for a in _site.global_assets if a.endswith(".css"))]
    config["extra_javascript"] = [*config["extra_javascript"], *(a for a in _site.global_assets if a.endswith(".js"))]
    return config


def on_pre_build(config, **_) -> None:
    """Before MkDocs walks docs/ (following links) and reads or copies anything from it: no links, no special
    files."""
    root = Path(config.config_file_path).parent
    problems = unsafe_paths(Path(config.docs_dir), root)
    if problems:
        for line in problems:
            log.error(line)
        raise Abort(f"{len(problems)} link(s) or special file(s) in the docs folder; nothing was built")


# Generated pages are HTML already: MkDocs reads their front matter (title, description, search settings) from a
# stub, and their render step is replaced by one that takes the HTML as it is (on_pre_page). Parsing large HTML
# blocks as Markdown was half the build time, and even a stub costs a new Markdown converter per page.
BODY_MARKER = "<!-- em-generated-page-body -->"
_bodies: dict[str, str] = {}
_HEADING = re.compile(r'<h([23]) id="([^"]+)"[^>]*>(.*?)<a class="headerlink"')  # other attributes may follow
_ID = re.compile(r'\sid="([^"]+)"')


def on_files(files: Files, config, **_) -> Files:
    assert _site is not None
    _bodies.clear()
    _rest_of_page.clear()  # left over if the last build under `mkdocs serve` stopped half-way
    for src_uri, content in _site.pages.items():
        if files.get_file_from_path(src_uri) is not None:
            raise Abort(f"docs/{src_uri} is hand-written, but the generator makes a page with that path; "
                        "rename or remove the file in docs/")
        if src_uri.endswith(".md"):
            front, body = split_front_matter(content)
            _bodies[src_uri] = body
            content = f"{front}\n{BODY_MARKER}\n"
        file = File.generated(config, src_uri, content=content, inclusion=InclusionLevel.NOT_IN_NAV
                              if src_uri not in _site.nav_pages else InclusionLevel.UNDEFINED)
        file.edit_uri = _site.edit_uri(src_uri, config.docs_dir)
        files.append(file)
    for src_uri, path in _site.assets.items():
        files.append(File.generated(config, src_uri, abs_src_path=str(path)))
    return files


def on_pre_page(page, **_):
    if page.file.src_uri in _bodies:
        page.render = types.MethodType(_render_generated, page)
    return page


def _render_generated(page, config, files) -> None:
    """Page.render for a generated page: what MkDocs' render sets (mkdocs 1.6: content, toc, present_anchor_ids;
    links in generated pages are checked by the tests, not by MkDocs, which never sees them as Markdown)."""
    body = _bodies[page.file.src_uri]
    page.content = body
    page.toc = get_toc(_toc_tokens(body))
    page.present_anchor_ids = set(_ID.findall(body))


def on_env(env, **_):
    """The primary navigation is the same on every page outside it (study pages, later pages of long lists) in one
    folder, so it is rendered once per folder (drawing it for each page took a quarter of a 1,000-study build's CPU
    time). Pages in the navigation, whose own entry is highlighted, are rendered as usual."""
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


def on_page_markdown(markdown: str, page, **_) -> str:
    assert _site is not None
    if PLACEHOLDER.search(markdown) is None:
        return markdown
    try:
        return _site.fill_placeholders(markdown, page.url, page.file.src_uri)
    except SiteError as exc:
        raise Abort(exc.summary) from None


# Material's search plugin parses the whole HTML of every page to index it: a third of a big map's build. On a
# generated page, what follows SEARCH_END is left out of search anyway, so the plugin (and the theme's template) get
# the page up to there and a placeholder; the rest replaces the placeholder in the finished HTML (on_post_page),
# without the data-search-* attributes, which the plugin strips from what it sees.
_rest_of_page: dict[str, str] = {}
_SEARCH_ATTRIBUTES = re.compile(r'\s?data-search-\w+="[^"]+"')  # as the search plugin removes them


def on_page_content(html: str, page, **_) -> str:
    body = _bodies.get(page.file.src_uri)
    if body is None:
        return html
    if html is not body and BODY_MARKER in html:  # rendered as Markdown after all (another plugin's page object)
        _render_generated(page, None, None)
        html = html.replace(BODY_MARKER, body, 1)
    searched, found, rest = html.partition(SEARCH_END)
    if not found:
        return html
    _rest_of_page[page.file.src_uri] = rest
    return searched + _rest_marker(page)


def on_post_page(output: str, page, **_) -> str:
    rest = _rest_of_page.pop(page.file.src_uri, None)
    if rest is None:
        return output
    marker = _rest_marker(page)
    where = output.find(marker)
    if where < 0:
        raise Abort(f"the theme's template did not print all of {page.file.src_uri} "
                    "(hint: a theme override must print page.content)")
    return output[:where] + _SEARCH_ATTRIBUTES.sub("", rest) + output[where + len(marker):]


def _rest_marker(page) -> str:
    return f"<!-- em-rest-of-page {page.file.src_uri} -->"


def split_front_matter(text: str) -> tuple[str, str]:
    """'---\\n…\\n---\\n' and the rest: the renderer writes every generated page that way."""
    end = text.index("\n---\n", 4) + 5
    return text[:end], text[end:]


def _toc_tokens(body: str) -> list[dict]:
    """The table of contents of a generated page: its h2 headings, with their h3 headings inside."""
    tokens: list[dict] = []
    for level, anchor, name in _HEADING.findall(body):
        token = {"level": int(level), "id": anchor, "name": name, "children": []}
        if token["level"] == 3 and tokens:
            tokens[-1]["children"].append(token)
        elif token["level"] == 2:
            tokens.append(token)
    return tokens
