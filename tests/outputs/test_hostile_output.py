"""Hostile strings reaching the outputs: each format stays what it claims to be, whatever the loader lets through
(the loader refuses much of this too; every output is safe on its own)."""

from __future__ import annotations

import dataclasses
import datetime as _dt
import re
import xml.etree.ElementTree as ET

import pytest
import rispy
import yaml
from markupsafe import escape

from conftest import ROOT
from generator.content import load_map
from generator.markup import MAX_NESTING, markdown_html, markdown_problem, nesting_depth
from generator.outputs import changes, study, themes
from generator.outputs.base import Build, History
from generator.outputs.compose import DuplicateOutput, SiteOutputs
from generator.outputs.downloads import ris
from generator.outputs.prisma_svg import render_svg
from generator.publish.history import Dates

BUNDLED = load_map(ROOT / "content")
TODAY = _dt.date(2024, 6, 1)

# ------------------------------------------------------------------------------------------ deep nesting

TOO_DEEP = {
    "block quotes": ">" * 100_000 + "a",
    "HTML elements": "<div>" * 50_000 + "a",
    "lists by indentation": "".join("  " * i + "- x\n" for i in range(300)),
    "lists by markers": "- " * 50_000 + "a",
    "ordered lists": "1. " * 50_000 + "a",
    "elements an end tag cannot close": ("<em>" + "<div>" * 50 + "</em>") * 2_000,
    "end tags hidden in attributes": "<div>\n" + '<div><x title="></div></div>">' * 20_000,
}
TOO_DEEP_MESSAGE = f"nests block quotes, lists or HTML elements more than {MAX_NESTING} levels deep"


@pytest.mark.parametrize("text", TOO_DEEP.values(), ids=TOO_DEEP.keys())
def test_markdown_nested_too_deeply_is_shown_as_written_and_refused_by_validation(text):
    assert str(markdown_html(text)) == f"<p>{escape(text)}</p>"
    assert markdown_problem(text) == TOO_DEEP_MESSAGE


def test_markdown_nested_within_the_limit_is_formatted():
    quotes = ">" * (MAX_NESTING - 10) + " deep"
    assert str(markdown_html(quotes)).count("<blockquote>") == MAX_NESTING - 10
    assert markdown_problem(quotes) is None
    long_text = "\n\n".join("H<sub>2</sub>O and CO<sub>2</sub>, **both** [linked](https://example.org)." * 5
                            for _ in range(300))  # many tags, none deep
    assert str(markdown_html(long_text)).count("<sub>2</sub>") == 3000 and markdown_problem(long_text) is None


@pytest.mark.parametrize("html, depth", [
    ("<p>x</p><p><em>y</em></p>", 2),
    ("<div><div></div></div>", 2),
    ('<div><span title="</div>"></div><div>', 3),  # an end tag that does not close the innermost is not counted
    ("<table><td>x</td></table>", 4),  # the parser adds tbody and tr
    ("<!-- <div><div> --><p>x</p>", 1),
    ("<!-- </div> --!><div><div>", 2),
    ("<br><hr><img src=x><p>x", 1),
    ("<div a\"b></div><div></div>", 2),  # not read as CommonMark reads a tag: from there on, nothing closes
])
def test_nesting_depth_counts_what_an_html_parser_builds_or_more(html, depth):
    assert nesting_depth(html, MAX_NESTING) == depth


# ------------------------------------------------------------------------------------------ RIS

INJECTED_TITLE = ("Real title\r\nER  - \n\nTY  - JOUR\nTI  - Fake reference\u2028UR  - https://attacker.example/\v"
                  "\fER  - \x85TY  - JOUR\x1cID  - fake\u2029end")
ONE_LINE_TITLE = ("Real title ER  -  TY  - JOUR TI  - Fake reference UR  - https://attacker.example/ ER  -  TY  - "
                  "JOUR ID  - fake end")


def test_a_title_with_line_breaks_stays_in_its_own_ris_record():
    first = dataclasses.replace(BUNDLED.studies[0], title=INJECTED_TITLE, authors=("Evil,\nER  - ", "B, C."))
    records = rispy.loads(ris((first, *BUNDLED.studies[1:])))
    assert [r["id"] for r in records] == [s.id for s in BUNDLED.studies]
    assert records[0]["title"] == ONE_LINE_TITLE and records[0]["authors"] == ["Evil, ER  -", "B, C."]
    assert not any("attacker" in url for r in records for url in r.get("urls", []))


def _matrix_js_function(name: str) -> str:
    source = (ROOT / "generator/assets/pages/matrix-lists.js").read_text(encoding="utf-8")
    return re.search(rf"^  function {name}\(.*?^  }}$", source, re.MULTILINE | re.DOTALL).group()


def test_the_matrix_pages_ris_download_keeps_each_record_in_one_piece(browser):
    """asRis and oneLine, taken from the matrix page's script, run in Chromium."""
    rows = [{"id": s.id, "title": s.title, "authors": list(s.authors), "journal": s.journal, "year": s.year,
             "volume": s.volume, "issue": s.issue, "pages": s.pages, "doi": s.doi, "url": s.url}
            for s in BUNDLED.studies]
    rows[0] = {**rows[0], "title": INJECTED_TITLE, "journal": "J\nUR  - https://attacker.example/"}
    page = browser.new_page()
    try:
        text = page.evaluate("(rows) => {" + _matrix_js_function("oneLine") + _matrix_js_function("asRis")
                             + "return asRis(rows); }", rows)
    finally:
        page.close()
    records = rispy.loads(text)
    assert [r["id"] for r in records] == [s.id for s in BUNDLED.studies]
    assert records[0]["title"] == ONE_LINE_TITLE
    assert records[0]["journal_name"] == "J UR  - https://attacker.example/" and "urls" not in records[0]


# ------------------------------------------------------------------------------------------ XML and front matter

NOT_XML = "\v\x1b\x00\x80\x9f\x7f\ufffe\uffff\ud800\ufdd0\U0001fffe\U0010ffff"


def _with_unreadable_characters():
    review = BUNDLED.review
    prisma = review.prisma.model_copy(update={
        "databases": {f"Med{NOT_XML}line": 5, **review.prisma.databases},
        "excluded": review.prisma.excluded.model_copy(update={"reasons": {f"Wrong{NOT_XML} design": 3}})})
    review = dataclasses.replace(review, title=f"Map{NOT_XML} title", question=f"Why{NOT_XML}?",
                                 authors=(f"Author{NOT_XML}, A.",), prisma=prisma)
    studies = tuple(dataclasses.replace(s, title=f"{s.title}{NOT_XML}", authors=(f"Name{NOT_XML}, A.",),
                                        summary=f"Summary{NOT_XML} text") for s in BUNDLED.studies)
    return dataclasses.replace(BUNDLED, review=review, studies=studies)


def test_the_feed_is_well_formed_xml_whatever_the_strings_hold():
    emap = _with_unreadable_characters()
    when = _dt.datetime(2024, 3, 1, tzinfo=_dt.UTC)
    history = History({s.id: Dates(when, when) for s in emap.studies}, {}, {})
    feed = ET.fromstring(changes.feed(Build(emap, history, today=TODAY)).encode("utf-8"))
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert feed.find("a:title", ns).text == "Map title: new studies"
    assert feed.find("a:subtitle", ns).text == "Why?"
    entries = feed.findall("a:entry", ns)
    assert len(entries) == len(emap.studies)
    assert {e.find("a:summary", ns).text for e in entries} == {"Summary text"}
    assert {e.find("a:author/a:name", ns).text for e in entries} == {"Name, A."}


def test_the_prisma_diagram_is_well_formed_xml_whatever_the_names_hold():
    svg = render_svg(_with_unreadable_characters().review.prisma, lambda to: to, standalone=True)
    text = " ".join(t for t in ET.fromstring(svg.encode("utf-8")).itertext())
    assert "Medline" in text and "Wrong design" in text


def test_a_study_page_keeps_its_title_whatever_the_title_holds():
    emap = _with_unreadable_characters()
    one = emap.studies[0]
    page = study.page(Build(emap, today=TODAY), one)
    meta = yaml.safe_load(page.split("---\n")[1])
    assert meta["title"] == str(escape(BUNDLED.studies[0].title))
    assert meta["search"] == {"boost": 2} and meta["description"].endswith(str(escape(BUNDLED.studies[0].title)))


# ------------------------------------------------------------------------------------------ citations in code

def test_a_citation_in_code_stays_code():
    study = BUNDLED.studies[0]
    theme = dataclasses.replace(BUNDLED.themes[0], body=f"Cited [@{study.id}].\n\nWritten `[@{study.id}]` in code."
                                                        f"\n\n```\n[@{study.id}]\n```\n")
    html = str(themes.synthesis_html(Build(BUNDLED, today=TODAY), theme, "themes/x/"))
    assert html.count("<a href=") == 1
    assert f"<code>[@{study.id}]</code>" in html and f"<pre><code>[@{study.id}]\n</code></pre>" in html


# ------------------------------------------------------------------------------------------ paths

def test_a_study_whose_page_has_the_studies_index_path_is_an_error():
    study = dataclasses.replace(BUNDLED.studies[0], id="index")
    emap = dataclasses.replace(BUNDLED, studies=(study, *BUNDLED.studies[1:]))
    with pytest.raises(DuplicateOutput) as error:
        SiteOutputs(emap, today=TODAY).pages()
    assert str(error.value) == (f"studies/index.md: made by study 'index' ({study.source}) and by the studies "
                                "index; each page and file needs a path of its own")


def test_a_theme_whose_page_has_the_themes_index_path_is_an_error():
    theme = dataclasses.replace(BUNDLED.themes[0], id="index")
    studies = tuple(dataclasses.replace(s, findings=tuple(
        dataclasses.replace(f, theme_id="index") if f.theme_id == BUNDLED.themes[0].id else f for f in s.findings))
        for s in BUNDLED.studies)
    emap = dataclasses.replace(BUNDLED, themes=(theme, *BUNDLED.themes[1:]), studies=studies)
    with pytest.raises(DuplicateOutput) as error:
        SiteOutputs(emap, today=TODAY).pages()
    assert str(error.value) == (f"themes/index.md: made by theme 'index' ({theme.source}) and by the site's own "
                                "pages; each page and file needs a path of its own")
