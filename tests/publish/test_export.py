"""The export (`python -m generator export DIR`): the bundled map built the main way (MkDocs with our hook), and
from the export with plain `mkdocs build` and with Zensical, makes the same pages at the same URLs with the same
downloads. This is CI's check that the site does not depend on our plugin (docs/publishing.md)."""

from __future__ import annotations

import datetime as _dt
import functools
import html
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import markdown
import pytest
import yaml

from conftest import MKDOCS, ROOT, Build, make_project
from generator.content.load import load_map
from generator.outputs.base import h2
from generator.outputs.paths import page_url
from generator.publish.export import markdown_headings, page_markdown, read_config
from htmlcheck import PageParser, broken_links, external_links, page_text

ZENSICAL = Path(sys.executable).with_name("zensical")
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def export(project: Path, out: Path | str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", "export", str(out)], cwd=project, env=ENV,
                          capture_output=True, text=True, timeout=120)


# The three builds of the bundled map's export, each made once per test session (the browser checks of the export,
# test_export_browser.py, take them from here), in the folder of the session's main build.


@functools.cache
def export_of(project: Path) -> Path:
    """The export of `project` (same docs/, content/, mkdocs.yml as the main build made from it)."""
    out = project.parent / "export"
    result = export(project, out)
    assert result.returncode == 0, result.stderr
    return out


@functools.cache
def mkdocs_site_of(project: Path) -> Path:
    exported = export_of(project)
    result = subprocess.run([*MKDOCS, "build", "--strict", "--site-dir", "site-mkdocs"], cwd=exported, env=ENV,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return exported / "site-mkdocs"


@functools.cache
def zensical_site_of(project: Path) -> Path:
    if not ZENSICAL.exists():
        pytest.fail("Zensical is not installed: pip install -r requirements-dev.txt -c constraints.txt")
    folder = project.parent / "zensical" / "export"
    shutil.copytree(export_of(project), folder, ignore=shutil.ignore_patterns("site-mkdocs"))
    result = zensical_build(folder)  # the theme overrides as they are: templates Zensical's MiniJinja can read too
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No issues found" in result.stdout + result.stderr, result.stdout + result.stderr
    return folder / "site"


@pytest.fixture(scope="module")
def exported(bundled_build: Build) -> Path:
    return export_of(bundled_build.project)


@pytest.fixture(scope="module")
def mkdocs_site(bundled_build: Build) -> Path:
    return mkdocs_site_of(bundled_build.project)


@pytest.fixture(scope="module")
def zensical_site(bundled_build: Build) -> Path:
    return zensical_site_of(bundled_build.project)


def zensical_build(folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(ZENSICAL), "build", "--strict", "-f", "mkdocs.yml"], cwd=folder,
                          env={**ENV, "NO_COLOR": "1"}, capture_output=True, text=True, timeout=300)


# Files a publisher writes for itself, not pages or downloads of the map: its search index, MkDocs' compressed
# sitemap, its own theme's scripts, styles, fonts and icons.
_OWN = re.compile(r"^(search/|search\.json$|sitemap\.xml\.gz$|assets/(?!evidence-map/))")


def urls(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file() and not _OWN.match(
        p.relative_to(site).as_posix())}


def downloads(site: Path) -> dict[str, bytes]:
    return {url: (site / url).read_bytes() for url in urls(site)
            if not url.endswith((".html", "sitemap.xml")) and not url.startswith("assets/")}


def html_pages(site: Path) -> list[str]:
    return sorted(url for url in urls(site) if url.endswith(".html"))


# ---------------------------------------------------------------------------------------------- the command


def test_export_is_a_folder_of_sources_without_our_hook(exported: Path):
    config = yaml.safe_load((exported / "mkdocs.yml").read_text(encoding="utf-8"))
    assert "hooks" not in config and config["plugins"] == ["search"]
    assert config["theme"]["custom_dir"] == "overrides" and config["docs_dir"] == "docs"
    assert config["theme"]["variant"] == "classic"  # Zensical's look of Material, which our styles are made for
    assert {p.name for p in exported.iterdir()} - {"site-mkdocs"} == {"docs", "mkdocs.yml", "overrides"}
    page = (exported / "docs/studies/farrow-2014.md").read_text(encoding="utf-8")
    assert page.startswith("---\n") and "\n---\n\n<header" in page
    assert "<!-- evidence-map:" not in (exported / "docs/index.md").read_text(encoding="utf-8")


def test_export_is_deterministic(exported: Path, bundled_build: Build, tmp_path: Path):
    again = export(bundled_build.project, tmp_path / "again")
    assert again.returncode == 0, again.stderr
    first = {p.relative_to(exported).as_posix(): p.read_bytes() for p in exported.rglob("*")
             if p.is_file() and "site-mkdocs" not in p.parts}
    second = {p.relative_to(tmp_path / "again").as_posix(): p.read_bytes() for p in (tmp_path / "again").rglob("*")
              if p.is_file()}
    assert first == second


@pytest.mark.parametrize("where, how", [
    (".", "is the project folder"),
    ("docs", "is the docs folder"),
    ("docs/export", "is inside the docs folder"),
    ("content/export", "is inside the content folder"),
    ("generator/export", "is inside the generator's code"),
    ("..", "holds the project folder"),
])
def test_export_refuses_a_folder_in_the_sources(where: str, how: str, tmp_path: Path):
    project = make_project(tmp_path, ROOT / "content")
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    result = export(project, where)
    assert result.returncode == 1
    assert result.stderr.startswith(f"Export refused: {where} {how}; the export writes a folder of its own (hint: "
                                    "choose a new folder outside the sources"), result.stderr
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before


def test_export_refuses_a_folder_that_is_not_empty(tmp_path: Path):
    project = make_project(tmp_path, ROOT / "content")
    (tmp_path / "out").mkdir()
    (tmp_path / "out/index.html").write_text("a site built before", encoding="utf-8")
    result = export(project, tmp_path / "out")
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == (
        f"Export failed: {tmp_path / 'out'} is not an empty folder; the export writes a folder of its own "
        "(hint: choose a new folder, or remove this one yourself)")
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["index.html"]


def test_section_headings_are_written_as_markdown_headings_with_the_same_html():
    """A generated page's section headings reach the toc extension as Markdown headings, which Python-Markdown
    writes as the generator did (a heading inside another element stays HTML: Markdown would not read it)."""
    heading = h2("Studies by *country* & {design}: 'x' #", "by-country", search=False)
    nested = h2("Inside a section", "inside")
    page = f"---\ntitle: T\n---\n<h1>T</h1>\n\n{heading}\n\n<section>\n{nested}\n</section>\n"
    text = page_markdown(page, "")
    assert "\n## Studies by " in text and f"\n{nested}\n" in text
    config = read_config(ROOT / "mkdocs.yml")
    md = _markdown(config)
    out = md.convert(text.partition("\n---\n\n")[2])
    assert [(t["level"], t["id"], html.unescape(t["name"])) for t in md.toc_tokens] == [
        (2, "by-country", "Studies by *country* & {design}: 'x' #")]
    assert _same_html(re.search(r"<h2[^>]*>.*?</h2>", out)[0]) == _same_html(str(heading))
    assert f"\n{nested}\n" in out


def test_section_headings_stay_html_where_markdown_would_not_write_them_the_same():
    config = read_config(ROOT / "mkdocs.yml")
    assert markdown_headings(config)
    without = {**config, "markdown_extensions": ["attr_list", "toc"]}  # no permanent links
    assert not markdown_headings(without)
    assert not markdown_headings({**config, "markdown_extensions": [{"toc": {"permalink": True}}]})
    heading = str(h2("Summary", "summary"))
    assert f"\n{heading}\n" in page_markdown(f"---\ntitle: T\n---\n{heading}\n", "", headings=False)


# ---------------------------------------------------------------------------------------------- plain MkDocs


def test_mkdocs_from_the_export_makes_the_same_urls_and_downloads(bundled_build: Build, mkdocs_site: Path):
    assert urls(mkdocs_site) == urls(bundled_build.site)
    assert downloads(mkdocs_site) == downloads(bundled_build.site)
    for url in urls(bundled_build.site):
        if url.startswith("assets/evidence-map/"):
            assert (mkdocs_site / url).read_bytes() == (bundled_build.site / url).read_bytes(), url


def test_mkdocs_from_the_export_makes_the_same_main_content(bundled_build: Build, mkdocs_site: Path):
    different = [url for url in html_pages(bundled_build.site)
                 if page_text(mkdocs_site / url) != page_text(bundled_build.site / url)]
    assert different == []


def test_mkdocs_from_the_export_makes_the_same_article_html(bundled_build: Build, mkdocs_site: Path):
    """Closer than the text: the article's HTML, less what a reader cannot see (comments, white space between
    tags, character references). Both searches strip the data-search-* attributes."""
    for url in html_pages(bundled_build.site):
        assert _article_html(mkdocs_site / url) == _article_html(bundled_build.site / url), url


def test_mkdocs_from_the_export_makes_the_same_head_and_edit_links(bundled_build: Build, mkdocs_site: Path):
    for url in html_pages(bundled_build.site):
        main, plain = _parse(bundled_build.site / url), _parse(mkdocs_site / url)
        assert plain.meta == main.meta, url
        assert _edit_links(plain) == _edit_links(main), url
        assert sorted(plain.scripts) == sorted(main.scripts), url


def test_mkdocs_from_the_export_has_no_broken_or_outside_links(mkdocs_site: Path):
    assert broken_links(mkdocs_site) == []
    assert external_links(mkdocs_site) == set()


def test_mkdocs_from_the_export_gives_every_page_the_same_table_of_contents(bundled_build: Build,
                                                                            mkdocs_site: Path):
    """Titles, anchors and levels of "Table of contents" in the right-hand sidebar, generated pages included."""
    assert _toc(bundled_build.site / "studies/farrow-2014/index.html")[:2] == [
        (2, "#study-details", "Study details"), (2, "#summary", "Summary")]
    assert _toc(bundled_build.site / "themes/outcomes/index.html")[0] == (2, "#synthesis", "Synthesis")
    for url in html_pages(bundled_build.site):
        assert _toc(mkdocs_site / url) == _toc(bundled_build.site / url), url


def test_mkdocs_from_the_export_indexes_the_same_search_entries(bundled_build: Build, mkdocs_site: Path):
    """The same entries, titles, texts and boosts: a study by its reference, summary, findings and characteristics
    (the search text the page carries), no counts or figures. The one difference: the code blocks of hand-written
    pages, which only the plugin can mark (docs/publishing.md)."""
    main, plain = _search_entries(bundled_build.site), _search_entries(mkdocs_site)
    assert [_without_code_blocks(entry) for entry in plain] == main
    assert _with_code_blocks(plain, main) == _with_code_blocks(plain) != set()
    assert {location.partition("#")[0] for location in _with_code_blocks(plain)} <= _hand_written_pages()
    assert "format/#study-files" in _with_code_blocks(plain)
    assert _boosts(mkdocs_site) == _boosts(bundled_build.site)
    assert _boosts(mkdocs_site)["studies/farrow-2014/"] == 2
    [farrow] = [text for location, _, text in plain if location == "studies/farrow-2014/"]
    assert "tokenistic" in farrow  # a word of its finding


# ---------------------------------------------------------------------------------------------- Zensical


def test_zensical_from_the_export_makes_the_same_urls_and_downloads(bundled_build: Build, zensical_site: Path):
    assert urls(zensical_site) - {"sitemap.xml"} == urls(bundled_build.site) - {"sitemap.xml"}
    assert downloads(zensical_site) == downloads(bundled_build.site)


def test_zensical_from_the_export_makes_the_same_headings_and_text(bundled_build: Build, zensical_site: Path):
    """Zensical's theme differs from Material's: the same headings, and the same words in the article."""
    for url in html_pages(bundled_build.site):
        if url == "404.html":
            continue
        main, zensical = (bundled_build.site / url).read_text("utf-8"), (zensical_site / url).read_text("utf-8")
        assert _headings(zensical) == _headings(main) != [], url
        assert _words(page_text(zensical_site / url)) == _words(page_text(bundled_build.site / url)), url


def test_zensical_from_the_export_keeps_edit_links_and_makes_no_outside_request(bundled_build: Build,
                                                                               zensical_site: Path):
    for url in html_pages(bundled_build.site):
        if url != "404.html":
            assert _edit_links(_parse(zensical_site / url)) == _edit_links(_parse(bundled_build.site / url)), url
    assert external_links(zensical_site) == set()


def test_zensical_from_the_export_gives_every_page_the_same_table_of_contents(bundled_build: Build,
                                                                              zensical_site: Path):
    """Zensical's "On this page" lists what Material's "Table of contents" lists on the main path."""
    for url in html_pages(bundled_build.site):
        if url != "404.html":
            assert _toc(zensical_site / url) == _toc(bundled_build.site / url), url


def test_zensical_from_the_export_shows_its_own_search_and_mkdocs_the_projects(bundled_build: Build,
                                                                               mkdocs_site: Path, zensical_site: Path):
    """The project's search override is Material's search form, which Zensical's theme neither styles nor drives:
    a Zensical build gets Zensical's search button, a MkDocs build the project's form."""
    def search(site: Path) -> str:
        page = (site / "index.html").read_text(encoding="utf-8")
        return re.search(r'<div class="md-search" .*?</div>\s*</div>\s*</div>', page, re.S)[0]

    assert '<button type="button" class="md-search__button">' in search(zensical_site)
    assert "md-search__input" not in search(zensical_site)
    assert search(mkdocs_site).split() == search(bundled_build.site).split()
    assert 'role="dialog" aria-label="Search"' in search(mkdocs_site)


def test_zensical_from_the_export_indexes_the_same_pages_and_sections(bundled_build: Build, zensical_site: Path):
    """Zensical's own index (search.json): an entry for each page and section of the main path's, with its title."""
    assert [e[:2] for e in _search_entries(zensical_site)] == [e[:2] for e in _search_entries(bundled_build.site)]


def test_zensical_from_the_export_indexes_the_same_texts(bundled_build: Build, zensical_site: Path):
    """Zensical reads the page's hidden search text and skips what is marked data-search-exclude, as Material's
    search does: the texts are the main path's, but for the hand-written pages' code blocks (as plain MkDocs) and
    the matrix's <noscript> note, whose tags Zensical indexes as text (docs/publishing.md)."""
    main, zensical = _search_entries(bundled_build.site), _search_entries(zensical_site)
    def noscript_read_as_html(entry: tuple[str, str, str]) -> tuple[str, str, str]:
        location, title, text = entry
        if location == "matrix/":
            text = text.replace('&lt;p class="em-muted"&gt;', "<p>").replace("&lt;/p&gt;", "</p>")
        return location, title, text

    assert [_without_code_blocks(noscript_read_as_html(entry)) for entry in zensical] == main
    assert _with_code_blocks(zensical, main) == _with_code_blocks(zensical) | {"matrix/"}


def test_zensical_from_the_export_finds_a_study_by_a_word_of_its_finding(bundled_build: Build,
                                                                         zensical_site: Path):
    """"tokenistic" is in Farrow's finding only (not in its title, reference or summary): Zensical's index has it in
    that study's entry, and in no other study's."""
    farrow = load_map(bundled_build.project / "content", _dt.date(2025, 1, 1)).study("farrow-2014")
    assert "tokenistic" in " ".join(f.markdown for f in farrow.findings)
    assert "tokenistic" not in f"{farrow.title} {farrow.journal} {farrow.summary}".lower()
    found = [location for location, _, text in _search_entries(zensical_site)
             if location.startswith("studies/") and re.search(r"\btokenistic\b", text)]
    assert found == ["studies/farrow-2014/"]


# ---------------------------------------------------------------------------------------------- helpers


def _search_entries(site: Path) -> list[tuple[str, str, str]]:
    """The search index's entries (location, title, text), sorted: the index lists them in the builder's order of
    files, which search does not rank by. Material's search/search_index.json or Zensical's search.json."""
    path = site / "search/search_index.json"
    index = json.loads((path if path.exists() else site / "search.json").read_text(encoding="utf-8"))
    return sorted((d["location"], html.unescape(d["title"]), d["text"]) for d in index.get("docs", index.get("items")))


# Hand-written pages' code blocks as Material's search (and Zensical) index them: the main path leaves them out.
_CODE_BLOCK = re.compile(r"<pre><code>.*?</code></pre>\s?", re.S)


def _without_code_blocks(entry: tuple[str, str, str]) -> tuple[str, str, str]:
    location, title, text = entry
    return location, title, _CODE_BLOCK.sub("", text).strip()


def _with_code_blocks(entries: list[tuple[str, str, str]], main: list | None = None) -> set[str]:
    """The locations of the entries that hold a code block or, given the main path's entries, that differ."""
    if main is not None:
        return {a[0] for a, b in zip(entries, main, strict=True) if a != b}
    return {location for location, _, text in entries if "<pre><code>" in text}


def _hand_written_pages() -> set[str]:
    """The URLs of the pages written by hand in docs/."""
    return {page_url(p.relative_to(ROOT / "docs").as_posix()) for p in (ROOT / "docs").rglob("*.md")}


def _boosts(site: Path) -> dict[str, float]:
    index = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))
    return {d["location"]: d["boost"] for d in index["docs"] if "boost" in d}


def _parse(path: Path) -> PageParser:
    parser = _EditLinks()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


class _EditLinks(PageParser):
    def __init__(self) -> None:
        super().__init__()
        self.edit: list[str] = []

    def handle_starttag(self, tag, attrs):
        super().handle_starttag(tag, attrs)
        a = dict(attrs)
        if tag == "a" and a.get("rel") == "edit":
            self.edit.append(a.get("href", ""))


def _edit_links(parser: PageParser) -> list[str]:
    return parser.edit  # type: ignore[attr-defined]


_HEADING = re.compile(r"<h([1-6])[^>]*>(.*?)</h\1>", re.S)
_TAG = re.compile(r"<[^>]+>")


def _headings(page: str) -> list[str]:
    start = page.find("<article")
    article = page[start:page.index("</article>", start)]
    return [" ".join(html.unescape(_TAG.sub(" ", text)).replace("¶", " ").split())
            for _, text in _HEADING.findall(article)]


_COMMENT = re.compile(r"<!--.*?-->", re.S)
_BETWEEN_TAGS = re.compile(r">\s+<")


def _article_html(path: Path) -> str:
    page = path.read_text(encoding="utf-8")
    start = page.find("<article")
    article = _COMMENT.sub("", page[start:page.index("</article>", start)])
    return html.unescape(_BETWEEN_TAGS.sub("><", article)).strip()


def _words(text: str) -> list[str]:
    return text.split()


_TOC = re.compile(r'<(/?)ul\b|<a href="(#[^"]*)" class="md-nav__link">(.*?)</a>', re.S)


def _toc(path: Path) -> list[tuple[int, str, str]]:
    """The page's table of contents (Material's and Zensical's nav.md-nav--secondary): level, link, title."""
    page = path.read_text(encoding="utf-8")
    start = page.find('class="md-nav md-nav--secondary"')
    if start < 0:
        return []
    entries: list[tuple[int, str, str]] = []
    depth = 0
    for match in _TOC.finditer(page, start):
        if match[2] is not None:  # a link; its list's depth 1 is the page's h2
            entries.append((depth + 1, match[2], " ".join(html.unescape(_TAG.sub(" ", match[3])).split())))
        elif not match[1]:
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                break
    return entries


def _markdown(config: dict) -> markdown.Markdown:
    """Python-Markdown with the project's extensions, as MkDocs and Zensical set it up."""
    names, options = [], {}
    for item in config["markdown_extensions"]:
        name, settings = next(iter(item.items())) if isinstance(item, dict) else (item, None)
        names.append(name)
        if settings:
            options[name] = settings
    return markdown.Markdown(extensions=names, extension_configs=options)


_ATTRIBUTES = re.compile(r'<(\w+)((?:\s+[\w-]+="[^"]*")+)>')
_ATTRIBUTE = re.compile(r'[\w-]+="[^"]*"')


def _same_html(text: str) -> str:
    """HTML as a reader gets it: attributes in any order, characters written as references or not."""
    return html.unescape(_ATTRIBUTES.sub(lambda m: " ".join([f"<{m[1]}", *sorted(_ATTRIBUTE.findall(m[2]))]) + ">",
                                         text))
