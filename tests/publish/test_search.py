"""Site search finds the evidence: a study page by the words of its summary, findings, characteristics, countries
and region (plain words, in a small entry), no page by the words of a code block, and no page by numbers run into
words; the studies filter's country names. (In a browser, Material's own search: test_search_browser.py.)"""

from __future__ import annotations

import datetime as _dt
import json
import re
import sys
from pathlib import Path

import pycountry
import pytest

from conftest import ROOT, Build
from generator.content.load import load_map
from generator.markup import markdown_html
from generator.outputs import search
from generator.outputs.base import SEARCH_END
from generator.outputs.compose import SiteOutputs
from generator.outputs.paths import COUNTRY_NAMES

TODAY = _dt.date(2025, 1, 1)


def index_of(site: Path) -> list[dict]:
    return json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))["docs"]


def entries(site: Path, page: str) -> list[dict]:
    return [d for d in index_of(site) if d["location"].partition("#")[0] == page]


def words(html: str) -> set[str]:
    """The words of an index entry's text as Material's search splits them (white space and hyphens)."""
    return {w.strip(".,;:()'\"").lower() for w in re.split(r"[\s\-]+", re.sub(r"<[^>]+>", " ", html)) if w}


# ---------------------------------------------------------------------------------------------- study pages

def test_a_study_is_found_by_the_words_of_its_summary_findings_and_characteristics(bundled_build: Build):
    """Every word of each study's summary and findings is in its page's one search entry, with its country and
    region; words only a finding has ("tokenistic" in Farrow's, "payment" in MacSporran's) find the study."""
    emap = load_map(bundled_build.project / "content", TODAY)
    for study in emap.studies:
        [entry] = entries(bundled_build.site, f"studies/{study.id}/")
        indexed = words(entry["text"])
        prose = " ".join(search.plain_paragraphs(markdown_html(study.summary)) +
                         [p for f in study.findings for p in search.plain_paragraphs(markdown_html(f.markdown))])
        assert words(prose) <= indexed, study.id
        assert {"united", "kingdom"} <= indexed or study.countries != ("GB",), study.id
        assert study.region is None or words(study.region) <= indexed, study.id
        assert entry["boost"] == 2  # ranked above the hand-written pages that use the same words
    found = {word: [d["location"] for d in index_of(bundled_build.site) if word in words(d["text"])
                    and d["location"].startswith("studies/")] for word in ("tokenistic", "payment", "england")}
    assert found["tokenistic"] == ["studies/farrow-2014/"]
    assert found["payment"] == ["studies/macsporran-2015/"]
    assert "studies/anghel-ramon-2009/" in found["england"]  # its region
    [anghel] = entries(bundled_build.site, "studies/anghel-ramon-2009/")
    assert {"mixed", "methods", "focus", "groups", "interviews", "carers"} <= words(anghel["text"])  # facets


def test_a_study_entry_is_its_reference_and_the_evidence_only(bundled_build: Build):
    """No notes, related studies, BibTeX, buttons or headings: the entry stays small in a map of thousands."""
    anghel = load_map(bundled_build.project / "content", TODAY).study("anghel-ramon-2009")
    [entry] = entries(bundled_build.site, "studies/anghel-ramon-2009/")
    text = entry["text"]
    assert text.startswith("<p>Anghel, R. &amp; Ramon, S. (2009). European Journal of Social Work.</p>")
    assert re.fullmatch(r"(<p>[^<>]+</p>)+", text), "plain words, a paragraph each"
    notes = search.plain_paragraphs(markdown_html(anghel.notes))[0]
    for absent in ("@article", "Copy the reference", "Related studies", "Study details", "Findings by theme",
                   "not reported", "https://doi.org", anghel.title[:30], notes[:30]):
        assert absent not in text, absent


def test_a_study_page_carries_its_search_text_hidden(bundled_build: Build):
    """The page itself holds what search indexes, so every builder indexes the same: the search text in a hidden
    element (not shown, not read aloud) before the search end, and the reference, which it repeats, marked out of
    search. The reader gets the whole page, with one heading, and none of the marks."""
    emap = load_map(bundled_build.project / "content", TODAY)
    study = emap.study("anghel-ramon-2009")
    page = SiteOutputs(emap, today=TODAY).pages()["studies/anghel-ramon-2009.md"]
    searched, _, rest = page.partition(SEARCH_END)
    hidden = re.findall(r'<div class="em-search-text" hidden>(.*?)</div>', searched)
    assert hidden == [search.study_text(SiteOutputs(emap, today=TODAY).build, study)]
    assert '<div class="em-reference admonition quote" data-search-exclude="1">' in rest
    html = (bundled_build.site / "studies/anghel-ramon-2009/index.html").read_text(encoding="utf-8")
    article = html[html.index("<article"):html.index("</article>")]
    assert article.count("<h1") == 1 and "em-rest-of-page" not in html and "data-search-" not in html
    assert "Findings by theme" in article and "Related studies" in article and "@article{" in article
    assert f'<div class="em-search-text" hidden>{hidden[0]}</div>' in article


def test_the_search_text_is_plain_escaped_words(content: Path):
    """Markdown formatting and links become their words; HTML in a field is text, never markup."""
    study = content / "studies/nguyen-smith-2022.yml"
    study.write_text(study.read_text(encoding="utf-8").replace(
        "participation: People with hearing loss were rarely included.",
        "participation: |-\n    People with **hearing loss** were [rarely](https://example.org) included.\n\n"
        "    - a <script>alert(1)</script> list & more"), encoding="utf-8")
    emap = load_map(content, TODAY)
    build = SiteOutputs(emap, today=TODAY).build
    text = search.study_text(build, emap.study("nguyen-smith-2022"))
    assert "<p>People with hearing loss were rarely included.</p>" in text
    assert "<p>a &lt;script&gt;alert(1)&lt;/script&gt; list &amp; more</p>" in text
    assert "<script" not in text and "**" not in text and "](" not in text
    assert text.endswith("<p>Qualitative. United States.</p>")


def test_index_size_per_study_is_reported_by_the_benchmark(bundled_build: Build):
    """benchmarks/run.py reports the study pages' share of the search index, per study (docs/performance.md)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import run

    numbers = run.site_numbers(bundled_build.site)
    studies = [d for d in index_of(bundled_build.site) if re.fullmatch(r"studies/[a-z0-9-]+/", d["location"])]
    assert len(studies) == 11
    size = sum(len(json.dumps(d, separators=(",", ":"))) + 1 for d in studies)
    assert numbers["search_study_kb"] == pytest.approx(size / 1024 / 11)
    header, _, row = run.table([{"studies": 11, **numbers}]).splitlines()[:3]
    cells = dict(zip(header.strip("| ").split(" | "), row.strip("| ").split(" | "), strict=True))
    assert cells["search index KB a study"] == f"{size / 1024 / 11:.2f}"


# ---------------------------------------------------------------------------------------------- other pages

def test_code_blocks_are_not_indexed(bundled_build: Build):
    """The content format page's YAML examples are there to copy, not to find: none of their lines is in the index,
    while the page's prose still is."""
    html = (bundled_build.site / "format/index.html").read_text(encoding="utf-8")
    blocks = re.findall(r"<pre[^>]*>(.*?)</pre>", html, re.S)
    lines = {line.strip() for block in blocks for line in re.sub(r"<[^>]+>", "", block).splitlines()}
    lines = {line for line in lines if len(line) > 25 and "`" not in line}  # not quoted in the prose
    assert len(lines) > 20
    indexed = " ".join(d["text"] for d in entries(bundled_build.site, "format/"))
    assert [line for line in lines if line.replace("&", "&amp;") in indexed] == []
    assert "<pre>" not in indexed and "A review's content lives in three places" in indexed


def test_the_matrix_and_figures_are_indexed_without_their_numbers(bundled_build: Build):
    """The matrix's counts stay out of its entry; its theme names stay in, as separate words ("Meaningful
    involvement7310" was the entry before). No page's entry runs a number into a word."""
    [matrix] = entries(bundled_build.site, "matrix/")
    assert not re.search(r"\d", matrix["text"])
    assert "Meaningful involvement Challenges and barriers Outcomes All themes" in matrix["text"]
    glued = [(d["location"], m) for d in index_of(bundled_build.site)
             for m in re.findall(r"\b[A-Za-z]{3,}\d+\b", re.sub(r"<[^>]+>", " ", d["text"]))
             if not re.fullmatch(r"PRISMA2020|nh3|Jinja2|FDD0|xe9|python3", m)]
    assert glued == []


def test_generated_pages_are_indexed_without_their_counts_or_figures(bundled_build: Build):
    """The generated tables' counts, the downloads' sizes and the PRISMA diagram are marked out of search where
    they are written (templates), so a build without our plugin leaves them out too (test_export.py)."""
    text = {d["location"]: re.sub(r"<[^>]+>", " ", d["text"]) for d in index_of(bundled_build.site)}
    assert "United Kingdom" in text["glance/#by-country"] and not re.search(r"\d", text["glance/#by-country"])
    home = text[""].partition("Studies by country")[2].partition("Last updated")[0]  # the home page's two tables
    assert "United Kingdom" in home and "Qualitative" in home and not re.search(r"\d", home)
    assert "Zotero" in text["downloads/"] and "KB" not in text["downloads/"]
    assert "Databases searched" in text["methods/#review-question"]
    assert not re.search(r"Studies included \d", text["methods/#review-question"])
    assert "Identification of studies via databases" not in " ".join(text.values())  # the diagram's own text


def test_index_view_marks_code_blocks_only():
    """What the plugin still adds for Material's search, on hand-written pages only: their code blocks."""
    page = '<p>Counts</p><pre><code>a: 1</code></pre><table><tr><td>7</td></tr></table><svg></svg>'
    view = search.index_view(page)
    assert view == page.replace("<pre>", '<pre data-search-exclude="1">')


# ---------------------------------------------------------------------------------------------- country names

def test_countries_go_by_their_everyday_names():
    assert {"uk", "gb", "gbr", "britain", "great britain", "england", "scotland", "wales",
            "northern ireland", "united kingdom"} <= search.aliases("GB")
    assert {"us", "usa", "america", "united states", "united states of america"} <= search.aliases("US")
    assert {"netherlands", "holland", "nl"} <= search.aliases("NL")
    assert {"turkey", "turkiye"} <= search.aliases("TR")  # accents folded, as the filter folds what is typed


def test_no_country_name_stands_for_another_country():
    """"China" is not Taiwan, "Congo" not the Democratic Republic of the Congo, "Ireland" not the UK."""
    names = {search.fold(c.name): c.alpha_2 for c in pycountry.countries}
    for country in pycountry.countries:
        for alias in search.aliases(country.alpha_2):
            assert names.get(alias, country.alpha_2) == country.alpha_2, (country.alpha_2, alias)
    assert "ireland" not in search.aliases("GB") and "china" not in search.aliases("TW")


def test_the_filter_gets_every_country_s_names_with_the_site(bundled_build: Build):
    """As the studies index shows each country; every country, so "US" in a map with no US study finds none."""
    table = json.loads((bundled_build.site / COUNTRY_NAMES).read_text(encoding="utf-8"))
    assert table["uk"] == table["england"] == ["United Kingdom"]
    assert table["usa"] == table["america"] == ["United States"]
    assert all(key == search.fold(key) for key in table)
