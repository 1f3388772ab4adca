"""Outputs (generator/outputs/): paths, links, escaping and sanitising, checked on the generated Markdown."""

import datetime as _dt
from pathlib import Path

import pytest

from conftest import ROOT
from generator.content import load_map
from generator.markup import markdown_html
from generator.outputs.base import Build
from generator.outputs.compose import SiteOutputs
from generator.outputs.derived import RELATED_LIMIT
from generator.outputs.paths import page_url, relative

TODAY = _dt.date(2024, 6, 1)


@pytest.mark.parametrize("src, url", [("studies/x.md", "studies/x/"), ("studies/index.md", "studies/"),
                                      ("index.md", ""), ("methods.md", "methods/")])
def test_page_urls(src, url):
    assert page_url(src) == url


@pytest.mark.parametrize("here, to, expected", [
    ("studies/a/", "themes/b/", "../../themes/b/"), ("", "studies/", "studies/"), ("studies/a/", "", "../../"),
    ("studies/", "studies/a/", "a/"), ("methods/", "methods/", "./")])
def test_relative_links(here, to, expected):
    assert relative(here, to) == expected


def test_markdown_fields_are_sanitised():
    html = str(markdown_html('**ok** <script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>'
                             '\n\n# Heading'))
    assert "<strong>ok</strong>" in html
    assert "<script" not in html and "javascript:" not in html and "onerror" not in html and "<img" not in html
    assert "<h2>Heading</h2>" in html  # contributor headings sit below the page title


def test_markdown_fields_render_as_github_shows_them():
    """Contributors preview their Markdown on GitHub: tables, strikethrough, bare links and lists nested by two
    spaces come out the same on the site."""
    html = str(markdown_html("| Group | n |\n|---|--:|\n| Carers | 12 |\n\n~~draft~~ see https://example.org\n\n"
                             "- one\n  - nested\n\nH<sub>2</sub>O"))
    assert '<th>Group</th>' in html and '<td align="right">12</td>' in html
    assert "<del>draft</del>" in html
    assert '<a href="https://example.org" rel="noopener noreferrer nofollow">https://example.org</a>' in html
    assert "<li>one\n<ul>\n<li>nested</li>" in html
    assert "H<sub>2</sub>O" in html


def test_plain_text_is_escaped_and_markdown_inert(content: Path):
    study = content / "studies/silva-2020.yml"
    study.write_text(study.read_text(encoding="utf-8").replace(
        "title: Who comes to the day centre?", 'title: "*Not* <b>bold</b> & [a](javascript:x)"'), encoding="utf-8")
    page = SiteOutputs(load_map(content), today=TODAY).pages()["studies/silva-2020.md"]
    assert "<h1>*Not* &lt;b&gt;bold&lt;/b&gt; &amp; [a](javascript:x)</h1>" in page
    assert 'title: "*Not* &lt;b&gt;bold&lt;/b&gt; &amp; [a](javascript:x)"' in page  # front matter escaped too


def test_rendering_is_deterministic(content: Path):
    assert SiteOutputs(load_map(content), today=TODAY).pages() == SiteOutputs(load_map(content), today=TODAY).pages()


def test_related_studies_most_shared_then_nearest_in_time(content: Path):
    emap = load_map(content)
    related = Build(emap, today=TODAY).derived.related(emap.study("osterg-2019"))
    assert [(s.id, n) for s, n in related] == [("silva-2020", 1), ("tanaka-et-al-2018", 1),
                                               ("osullivan-2021", 1), ("nguyen-smith-2022", 1)]


def test_related_studies_are_capped_so_pages_do_not_grow_with_the_map():
    emap = load_map(ROOT / "content")
    related = Build(emap, today=TODAY).derived.related(emap.study("anghel-ramon-2009"))
    assert len(related) == RELATED_LIMIT == 8  # it shares a theme with all 10 others
    assert [n for _, n in related][:3] == [3, 3, 3]


def test_two_maps_in_one_process_each_render_their_own_review(content: Path):
    """The templates are compiled once per process (generator.outputs.base.templates) and shared: the review comes with
    each render, so one map's title never shows on another's pages (as when `mkdocs serve` rebuilds an edited map)."""
    bundled = SiteOutputs(load_map(ROOT / "content"), today=TODAY)
    other = SiteOutputs(load_map(content), today=TODAY)
    assert bundled.build.env is other.build.env
    assert bundled.map.review.title != other.map.review.title
    for renderer, stranger in ((bundled, other), (other, bundled)):
        for name in ("home", "methods"):
            html = renderer.fragment(name, "")
            assert renderer.map.review.title in html or renderer.map.review.question in html
            assert stranger.map.review.title not in html and stranger.map.review.question not in html


def test_the_build_date_is_given_not_read(content: Path, monkeypatch: pytest.MonkeyPatch):
    """Without history, the map's citation takes its year from the build date the composer is given: outputs read
    neither the clock nor SOURCE_DATE_EPOCH (site.Site.load asks history.build_time() once)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    html = SiteOutputs(load_map(content), today=_dt.date(2031, 1, 2)).fragment("home", "")
    assert "(2031)." in html and "(1970)." not in html
