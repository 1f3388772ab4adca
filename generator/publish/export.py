"""Export: the site's whole source in one folder, for any MkDocs-compatible builder, with no hook or plugin of ours.

`python -m generator export DIR` writes DIR/mkdocs.yml and DIR/docs/ (the hand-written pages with their placeholders
filled, every generated page and download, the assets), and DIR/overrides/ (the theme overrides). Plain
`mkdocs build` and `zensical build` read it as it is (docs/publishing.md). What the plugin does while MkDocs runs is
done here once, in files:

- generated pages are Markdown files whose body is their HTML (Python-Markdown passes block-level HTML through),
  but for their section headings, written as Markdown headings so that the toc extension gives the page the table
  of contents the plugin reads from the HTML;
- the Themes entry of the nav is expanded, and the pages outside the nav are listed in `not_in_nav`;
- the site's name and description come from review.yml; the assets are listed in extra_css / extra_javascript;
- "edit this page" of a generated page points at its content file: an `edit_url` in its front matter, which the
  exported theme override `partials/actions.html` prefers to the builder's own;
- the project's search override (Material's search form) is kept for MkDocs; Zensical gets its own search.

Search needs nothing here: generated pages carry what search indexes and skips (a study's hidden search text,
data-search-exclude marks). Only the code blocks of hand-written pages, which the plugin marks, are indexed.

The export is deterministic (same sources, same bytes) and writes nothing outside DIR, which must be new or empty.
"""

from __future__ import annotations

import html
import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import yaml

from ..outputs.base import Links
from ..outputs.paths import page_url
from .site import Site, SiteError, unsafe_paths

DOCS = "docs"
OVERRIDES = "overrides"
CONFIG = "mkdocs.yml"
OUR_PLUGIN = "evidence-map"
# Settings that point into the project or run our code; the export has neither.
_DROPPED = ("hooks", "watch", "site_dir", "INHERIT")

# Material's partials/actions.html (mkdocs-material 9.8.1, MIT licence), with one change: a page's own `edit_url`
# (front matter) wins over the one the builder derives from its path. A generated page's source is a content file,
# not docs/<path>; an empty edit_url means no edit link (index pages made from many files).
ACTIONS_TEMPLATE = """\
{#- Written by `python -m generator export`. Material's partials/actions.html (mkdocs-material 9.8.1, MIT
    licence), with one change: a page's own edit_url (front matter) wins over the builder's. -#}
{% if page.meta and page.meta.edit_url is defined %}
  {% set edit_url = page.meta.edit_url %}
{% else %}
  {% set edit_url = page.edit_url %}
{% endif %}
{% if edit_url %}
  {% if "content.action.edit" in features %}
    <a href="{{ edit_url }}" title="{{ lang.t('action.edit') }}" class="md-content__button md-icon" rel="edit">
      {% set icon = config.theme.icon.edit or "material/file-edit-outline" %}
      {% include ".icons/" ~ icon ~ ".svg" %}
    </a>
  {% endif %}
  {% if "content.action.view" in features %}
    {% if "/blob/" in edit_url %}
      {% set part = "blob" %}
    {% else %}
      {% set part = "edit" %}
    {% endif %}
    <a href="{{ edit_url | replace(part, 'raw') }}" title="{{ lang.t('action.view') }}"
       class="md-content__button md-icon">
      {% set icon = config.theme.icon.view or "material/file-eye-outline" %}
      {% include ".icons/" ~ icon ~ ".svg" %}
    </a>
  {% endif %}
{% endif %}
"""
ACTIONS_PATH = "partials/actions.html"

# The project's partials/search.html is Material's search form (generator/publish/theme/). Zensical's theme neither
# styles nor drives that form (its header shows the form's icons and "Initializing search" stacked): it has a
# search of its own, a button that opens its dialog. The exported override keeps the project's for MkDocs, which
# defines `mkdocs_version` (a documented global of its templates; Zensical 0.0.73 does not), and gives Zensical
# its own partial: Zensical 0.0.73's partials/search.html (MIT licence).
SEARCH_PATH = "partials/search.html"
SEARCH_TEMPLATE = """\
{{#- Written by `python -m generator export`: under MkDocs, the project's override of partials/search.html; under
    Zensical, which does not define mkdocs_version, Zensical 0.0.73's own partials/search.html (MIT licence). -#}}
{{% if mkdocs_version is defined %}}
{material}{{% else %}}
<div class="md-search" data-md-component="search" role="dialog" aria-label="{{{{ lang.t('search') }}}}">
  <button type="button" class="md-search__button">
    {{{{ lang.t('search') }}}}
  </button>
</div>
{{% endif %}}
"""


def read_config(path: Path) -> dict[str, Any]:
    """The project's mkdocs.yml as MkDocs reads it (!ENV values resolved)."""
    from mkdocs.utils.yaml import yaml_load

    try:
        with path.open(encoding="utf-8") as file:
            config = yaml_load(file)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise SiteError(f"cannot read {path}: {exc}") from None
    if not isinstance(config, dict):
        raise SiteError(f"{path}: expected a mapping of settings, got {type(config).__name__}")
    return config


def links(config: dict[str, Any]) -> Links:
    """Where the site is published and its source lives, as the plugin reads them from MkDocs' config."""
    site_url = config.get("site_url") or None
    if site_url and not site_url.endswith("/"):  # as MkDocs normalises it
        site_url += "/"
    edit_uri = config.get("edit_uri") or ""
    branch = edit_uri.split("/")[1] if edit_uri.startswith("edit/") and edit_uri.count("/") >= 2 else "main"
    return Links(site_url, config.get("repo_url") or None, branch,
                 directory_urls=bool(config.get("use_directory_urls", True)) and not _enabled(config, "offline"))


def _enabled(config: dict[str, Any], plugin: str) -> bool:
    """Whether mkdocs.yml lists `plugin` and does not turn it off."""
    return any(_name(item) == plugin and not _turned_off(item) for item in config.get("plugins") or [])


def _name(item: Any) -> Any:
    """A `plugins:` entry's plugin name ('search', or {'offline': {...}})."""
    return next(iter(item), None) if isinstance(item, dict) else item


def _turned_off(item: Any) -> bool:
    """Whether a `plugins:` entry has `enabled: false`."""
    options = item.get(_name(item)) if isinstance(item, dict) else None
    return isinstance(options, dict) and options.get("enabled") is False


def export_files(site: Site, config: dict[str, Any], root: Path) -> dict[str, bytes]:
    """Every file of the export, keyed by its path in DIR, in a fixed order."""
    docs_dir = root / config.get("docs_dir", "docs")
    files: dict[str, bytes] = {}
    for path in _tree(docs_dir, root):
        src_uri = path.relative_to(docs_dir).as_posix()
        data = path.read_bytes()
        if src_uri.endswith(".md"):
            text = data.decode("utf-8")
            data = site.fill_placeholders(text, page_url(src_uri), src_uri).encode("utf-8")
        files[f"{DOCS}/{src_uri}"] = data
    headings = markdown_headings(config)
    for src_uri, text in sorted(site.pages.items()):
        if f"{DOCS}/{src_uri}" in files:
            raise SiteError(f"docs/{src_uri} is hand-written, but the generator makes a page with that path; "
                            "rename or remove the file in docs/")
        if src_uri.endswith(".md"):
            text = page_markdown(text, _edit_url(site, src_uri, config, docs_dir), headings=headings)
        files[f"{DOCS}/{src_uri}"] = text.encode("utf-8")
    for src_uri, path in site.assets.items():
        files[f"{DOCS}/{src_uri}"] = path.read_bytes()
    theme = config.get("theme") if isinstance(config.get("theme"), dict) else {}
    if theme.get("custom_dir"):
        custom = root / theme["custom_dir"]
        for path in _tree(custom, root):
            files[f"{OVERRIDES}/{path.relative_to(custom).as_posix()}"] = path.read_bytes()
    if f"{OVERRIDES}/{ACTIONS_PATH}" in files:
        raise SiteError(f"{theme['custom_dir']}/{ACTIONS_PATH}: the export writes its own (edit links of generated "
                        "pages); merge yours into generator/publish/export.py's ACTIONS_TEMPLATE")
    files[f"{OVERRIDES}/{ACTIONS_PATH}"] = ACTIONS_TEMPLATE.encode("utf-8")
    search = files.get(f"{OVERRIDES}/{SEARCH_PATH}")
    if search is not None:
        material = search.decode("utf-8")
        files[f"{OVERRIDES}/{SEARCH_PATH}"] = SEARCH_TEMPLATE.format(
            material=material if material.endswith("\n") else material + "\n").encode("utf-8")
    files[CONFIG] = export_config(site, config).encode("utf-8")
    return files


def page_markdown(text: str, edit_url: str, *, headings: bool = True) -> str:
    """A generated page (front matter, then HTML) as Markdown: the same front matter with its edit_url, then the
    HTML as the body, which Python-Markdown passes through as raw block-level HTML (a blank line first); with
    `headings`, its section headings as Markdown headings (`section_headings`)."""
    end = text.index("\n---\n", 4) + 1
    # Python-Markdown expands tabs to spaces everywhere, raw HTML included (BibTeX in <pre> is tab-indented):
    # as a character reference a tab reaches the page as it is.
    body = text[end + 4:].replace("\t", "&#9;")
    if headings:
        body = section_headings(body)
    return f"{text[:end]}edit_url: {json.dumps(edit_url)}\n---\n\n{body}"


# A section heading as outputs/base.h2 writes it, alone on its line: the plugin builds a generated page's table of
# contents from these (mkdocs_plugin.table_of_contents), h3 inside h2. Any other heading stays HTML, as the plugin
# leaves it out of the table of contents too.
_SECTION = re.compile(r'^<h([23]) id="([^"<>&]+)"((?: data-[a-z-]+="[^"<>]*")*)>([^<]*)'
                      r'<a class="headerlink" href="#\2" title="Permanent link">&para;</a></h\1>$', re.M)
_PLAIN = re.compile(r"[A-Za-z0-9 ]|[^\x00-\x7f]")


def section_headings(body: str) -> str:
    """The body with each section heading that starts a line at the top level as a Markdown heading, `## Title
    {#id data-…="…"}`: the toc extension then lists it (a raw HTML heading it does not see) and writes the same
    heading, with its id, attributes and permanent link, as the HTML had (attributes in alphabetical order).

    The title's ASCII punctuation is written as character references, so that no Markdown extension reads it as
    syntax (emphasis, attribute lists, smart quotes); the reader sees the same characters. A heading inside
    another element stays HTML: Markdown would not read it there."""
    top = _top_level_lines(body)

    def heading(match: re.Match[str]) -> str:
        if body.count("\n", 0, match.start()) + 1 not in top:
            return match[0]
        level, anchor, attributes, title = match.groups()
        text = "".join(c if _PLAIN.fullmatch(c) else f"&#{ord(c)};" for c in html.unescape(title)).strip()
        before = "" if match.start() < 2 or body[match.start() - 2:match.start()] == "\n\n" else "\n"
        after = "" if body[match.end():match.end() + 2] == "\n\n" else "\n"  # a heading is a block of its own
        return f'{before}{"#" * int(level)} {text} {{#{anchor}{attributes}}}{after}'

    return _SECTION.sub(heading, body)


# Elements with no end tag: they open nothing (https://html.spec.whatwg.org/#void-elements).
_VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())


class _Depth(HTMLParser):
    """The lines whose first character starts a tag outside any other element, counted as Python-Markdown counts
    to find where a raw HTML block ends (an end tag closes the elements opened since its start tag)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.top: set[int] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line, column = self.getpos()
        if not self.open and column == 0:
            self.top.add(line)
        if tag not in _VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.open:
            while self.open.pop() != tag:
                pass


def _top_level_lines(body: str) -> set[int]:
    parser = _Depth()
    parser.feed(body)
    parser.close()
    return parser.top


def markdown_headings(config: dict[str, Any]) -> bool:
    """Whether the project's Markdown writes a heading as `section_headings` needs: an id and attributes from an
    attribute list (attr_list), and a permanent link as the generator writes it (toc with `permalink: true` and
    the default class and title). Without them, section headings stay HTML and the pages have no table of
    contents in the export."""
    extensions: dict[str, Any] = {}
    for item in config.get("markdown_extensions") or []:
        for name, options in (item.items() if isinstance(item, dict) else [(item, None)]):
            extensions[str(name).removeprefix("markdown.extensions.")] = options or {}
    toc = extensions.get("toc")
    return ("attr_list" in extensions and isinstance(toc, dict) and toc.get("permalink") is True
            and toc.get("permalink_class", "headerlink") == "headerlink"
            and toc.get("permalink_title", "Permanent link") == "Permanent link"
            and not toc.get("permalink_leading"))


def _edit_url(site: Site, src_uri: str, config: dict[str, Any], docs_dir: Path) -> str:
    """The page's "edit this page" link as MkDocs makes it from the plugin's File.edit_uri; '' for none."""
    edit_uri, repo_url = config.get("edit_uri"), config.get("repo_url")
    source = site.edit_uri(src_uri, str(docs_dir))
    if not edit_uri or source is None:
        return ""
    edit_uri = edit_uri if edit_uri.endswith("/") else edit_uri + "/"
    return urljoin(repo_url.rstrip("/") + "/", edit_uri + source) if repo_url else edit_uri + source


def export_config(site: Site, config: dict[str, Any]) -> str:
    """The project's mkdocs.yml for the exported folder: no hook or plugin of ours, what they set at build time
    written out."""
    out = {key: value for key, value in config.items() if key not in _DROPPED}
    out.update(site.site_settings(out))
    out["docs_dir"] = DOCS
    if "plugins" in out:
        # A plugin turned off (the offline plugin, but for the preview) does nothing: it is left out.
        out["plugins"] = [p for p in out["plugins"] or [] if _name(p) != OUR_PLUGIN and not _turned_off(p)]
    if isinstance(out.get("theme"), dict):
        out["theme"] = {**out["theme"], "custom_dir": OVERRIDES}
        if out["theme"].get("name") == "material":
            # Zensical's `classic` variant of its theme is Material's look, which the project's style sheet and
            # overrides are made for (with the default, `modern`, the footer's text is white on light grey, and the
            # current page's entry in the navigation too pale: axe-core's color-contrast). MkDocs ignores it.
            out["theme"].setdefault("variant", "classic")
    else:  # a theme given by name only
        out["theme"] = {"name": out.get("theme") or "mkdocs", "custom_dir": OVERRIDES}
    out["nav"] = site.nav(out.get("nav"))
    if out["nav"] is None:
        del out["nav"]
    out["extra_css"] = [*out.get("extra_css", []), *(a for a in site.global_assets if a.endswith(".css"))]
    out["extra_javascript"] = [*out.get("extra_javascript", []),
                               *(a for a in site.global_assets if a.endswith(".js"))]
    hidden = sorted(f"/{uri}" for uri in site.pages if uri.endswith(".md") and uri not in site.nav_pages)
    out["not_in_nav"] = "\n".join(filter(None, [out.get("not_in_nav", "").strip(), *hidden])) + "\n"
    header = ("# Written by `python -m generator export` from the project's mkdocs.yml and content/: do not edit.\n"
              "# Build with `mkdocs build --strict` or `zensical build` in this folder (docs/publishing.md).\n")
    return header + yaml.dump(out, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=120)


class _Dumper(yaml.SafeDumper):
    """Multi-line strings (not_in_nav) as literal blocks, one pattern a line, as a maintainer writes them."""


_Dumper.add_representer(str, lambda dumper, value: dumper.represent_scalar(
    "tag:yaml.org,2002:str", value, style="|" if "\n" in value else None))


def _tree(folder: Path, root: Path) -> list[Path]:
    """The files under `folder`, sorted; refused whole if it holds a link or a special file (as the plugin does)."""
    problems = unsafe_paths(folder, root)
    if problems:
        raise SiteError(f"{len(problems)} link(s) or special file(s) in {folder.name}/; nothing was exported",
                        problems)
    return sorted(Path(here, name) for here, _, names in os.walk(folder) for name in names)


def write_export(files: dict[str, bytes], out: Path) -> None:
    """Write the files into `out`, a new or empty folder whose parent exists; nothing is written outside it."""
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise SiteError(f"{out} is not an empty folder; the export writes a folder of its own (hint: choose a new "
                        "folder, or remove this one yourself)")
    out.mkdir(exist_ok=True)
    base = out.resolve()
    for name, data in files.items():
        target = (base / name).resolve()
        if not target.is_relative_to(base):  # a path made from content that leaves the folder: never written
            raise SiteError(f"{name}: the path leaves the export folder; nothing more was written")
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "xb") as file:  # never over a file already there (a link planted meanwhile included)
            file.write(data)


def export(config_path: Path, out: Path) -> tuple[Site, int]:
    """Load the site for the project of `config_path` and write its export into `out`; the site and the number
    of files written."""
    config = read_config(config_path)
    root = config_path.resolve().parent
    site = Site.load(root, links=links(config))
    files = export_files(site, config, root)
    write_export(files, out)
    return site, len(files)
