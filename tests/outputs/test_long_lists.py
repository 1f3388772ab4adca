"""Long lists in a big map: the studies index and each theme's contributing studies are listed over pages of a
fixed size, each page reachable without scripts; the index's filter and sort work over every study (rows fetched
from studies/index.json), with the rows still built as text."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, build, serve
from generator.content import load_map
from generator.outputs.changes import WHATS_NEW_LIMIT
from generator.outputs.studies_index import STUDIES_PER_PAGE
from generator.outputs.themes import FINDINGS_PER_PAGE
from htmlcheck import broken_links, page_text

sys.path.insert(0, str(ROOT / "benchmarks"))
from synth import write_review  # noqa: E402

N = 250
HOSTILE = '<img src=x onerror="window.__pwned=1">Hostile & <b>bold</b>'


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    project = tmp_path_factory.mktemp("index250")
    for name in ("mkdocs.yml", "docs", "generator"):
        src = ROOT / name
        shutil.copytree(src, project / name) if src.is_dir() else shutil.copy(src, project / name)
    write_review(project / "content", N)
    first = sorted((project / "content/studies").glob("*.yml"))[0]
    text = first.read_text(encoding="utf-8")
    first.write_text(re.sub(r"(?m)^title: .*(\n  .*)*", "title: " + json.dumps(HOSTILE), text, count=1),
                     encoding="utf-8")
    # all of it added in one commit, as a first import is
    env = {**os.environ, "GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "T",
           "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_AUTHOR_DATE": "2025-05-01T10:00:00Z",
           "GIT_COMMITTER_DATE": "2025-05-01T10:00:00Z"}
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "import"]):
        subprocess.run(["git", *args], cwd=project, env=env, check=True, capture_output=True)
    result = build(project)
    assert result.returncode == 0, result.output
    return project, result.site


def index_pages(site: Path) -> list[Path]:
    return [site / "studies/index.html"] + [site / f"studies/page/{k}/index.html" for k in range(2, 4)]


def linked_studies(page: Path) -> list[str]:
    table = page.read_text(encoding="utf-8").split('id="em-studies"', 1)[1]
    return re.findall(r'<td data-value="[^"]*"><a href="(?:\.\./\.\./)?([a-z0-9-]+)/">', table)


def test_the_index_is_listed_over_pages_that_do_not_grow(big):
    project, site = big
    assert not (site / "studies/page/4").exists()
    listed = [linked_studies(p) for p in index_pages(site)]
    assert [len(ids) for ids in listed] == [STUDIES_PER_PAGE, STUDIES_PER_PAGE, N - 2 * STUDIES_PER_PAGE]
    in_order = [s.id for s in load_map(project / "content").studies]
    assert sum(listed, []) == in_order  # every study once, in the index's order (by first author)
    text = page_text(site / "studies/page/2/index.html")
    assert "This is page 2 of 3: studies 101 to 200" in text
    assert "Previous 1 2 3 Next" in text
    assert broken_links(site) == []
    assert max(p.stat().st_size for p in index_pages(site)) < 160 * 1024


def test_a_themes_findings_continue_over_pages(big):
    project, site = big
    emap = load_map(project / "content")
    theme = max(emap.themes, key=lambda t: sum(t.id in s.theme_ids for s in emap.studies))
    members = [s.id for s in emap.studies if theme.id in s.theme_ids]
    assert FINDINGS_PER_PAGE < len(members) <= 2 * FINDINGS_PER_PAGE
    first, second = site / f"themes/{theme.id}/index.html", site / f"themes/{theme.id}/page/2/index.html"
    assert not (site / f"themes/{theme.id}/page/3").exists()
    listed = [re.findall(r'<h3><a href="\.\./\.\./(?:\.\./\.\./)?studies/([a-z0-9-]+)/">',
                         p.read_text(encoding="utf-8")) for p in (first, second)]
    assert [len(ids) for ids in listed] == [FINDINGS_PER_PAGE, len(members) - FINDINGS_PER_PAGE]
    assert listed[0] + listed[1] == members
    text = page_text(first)
    assert f"{len(members)} studies in this map report findings on this theme; here are the first 50" in text
    assert "Synthesis" in text and "Contributing studies by country" in text
    text = page_text(second)
    assert f"Studies 51 to {len(members)} of {len(members)} that report findings on this theme" in text
    assert "Contributing studies by country" not in text  # the counts stay on the theme's page


def test_whats_new_lists_the_latest_changes_not_a_whole_first_import(big):
    _, site = big
    html = (site / "whats-new/index.html").read_text(encoding="utf-8")
    assert html.count('<li><span class="em-change') == WHATS_NEW_LIMIT
    text = page_text(site / "whats-new/index.html")
    themes = len(list((big[0] / "content/themes").glob("*.md")))
    assert f"And {N + themes - WHATS_NEW_LIMIT} more changes that day: every study is in the studies index." in text
    assert f"This page lists the latest {WHATS_NEW_LIMIT} changes. Older ones are in the history of the map's " \
           "content." in text
    assert 'href="https://github.com/evidence-map/evidence-map/commits/main/content"' in html


def test_the_rows_file_holds_every_study_for_the_filter(big):
    project, site = big
    data = json.loads((site / "studies/index.json").read_text(encoding="utf-8"))
    emap = load_map(project / "content")
    assert [r[0] for r in data["rows"]] == [s.id for s in emap.studies]
    assert data["facets"] == [f.id for f in emap.review.facets]


def test_filter_and_sort_work_over_every_study(big, browser):
    project, site = big
    emap = load_map(project / "content")
    design = emap.review.facets[0]
    value = design.values[0][0]
    expected = [s for s in emap.studies if value in (s.facets.get(design.id) or ())]
    assert STUDIES_PER_PAGE // 10 < len(expected) <= STUDIES_PER_PAGE  # all shown at once, none on "Show more"
    url, httpd = serve(site)
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(url + "studies/page/2/")
        assert page.locator("#em-studies tbody tr").count() == STUDIES_PER_PAGE
        page.get_by_label(design.label).select_option(value)
        count = page.locator("[data-em-count]")
        count.filter(has_text=f"of {N} studies").wait_for()
        assert count.inner_text() == f"{len(expected)} of {N} studies"
        assert page.locator("[data-em-pager]").first.is_hidden()  # the list is now of all studies, not a page
        shown = page.locator("#em-studies tbody tr td:first-child a")
        assert shown.count() == len(expected)
        assert page.locator(".em-more").is_hidden()
        first = shown.first
        assert first.inner_text() == next(
            r for r in json.loads((site / "studies/index.json").read_text())["rows"] if r[0] == expected[0].id)[1]
        first.click()
        page.wait_for_url(f"**/studies/{expected[0].id}/")
        page.go_back()

        page.goto(url + "studies/page/3/")
        page.get_by_role("button", name="Year").click()
        count.filter(has_text=f"of {N} studies").wait_for()
        assert count.inner_text() == f"{N} of {N} studies, showing the first {STUDIES_PER_PAGE}"
        years = [int(y) for y in page.locator("#em-studies tbody tr td:nth-child(2)").all_inner_texts()]
        assert years[0] == min(s.year for s in emap.studies) and years == sorted(years)
        page.get_by_role("button", name=f"Show {STUDIES_PER_PAGE} more").click()
        assert page.locator("#em-studies tbody tr").count() == 2 * STUDIES_PER_PAGE

        page.get_by_label("Filter").fill("hostile & <b>bold")
        count.filter(has_text=f"1 of {N} studies").wait_for(timeout=5000)  # after the country names are fetched
        assert count.inner_text() == f"1 of {N} studies"
        assert page.locator("#em-studies tbody tr .em-muted").first.inner_text() == HOSTILE
        assert page.evaluate("window.__pwned") is None and page.locator("#em-studies img, #em-studies b").count() == 0
        assert errors == []
    finally:
        page.close()
        httpd.shutdown()


def test_without_the_rows_file_the_filter_says_so_and_works_on_the_page(big, browser):
    """Opened from disk (the CI's site preview) or offline, the rows cannot be fetched: the filter says so and
    filters the page's own rows."""
    _, site = big
    url, httpd = serve(site)
    page = browser.new_page()
    page.route("**/studies/index.json", lambda route: route.abort())
    try:
        page.goto(url + "studies/page/2/")
        page.get_by_label("Filter").fill("a")
        count = page.locator("[data-em-count]")
        count.filter(has_text="this page only").wait_for()
        shown = page.locator("#em-studies tbody tr").count()
        assert count.inner_text() == f"Could not load every study; this page only: {shown} of {STUDIES_PER_PAGE} studies"
        assert 0 < shown <= STUDIES_PER_PAGE
    finally:
        page.close()
        httpd.shutdown()


def test_the_pages_work_without_scripts(big, browser):
    _, site = big
    url, httpd = serve(site)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(url + "studies/")
        page.get_by_role("link", name="Next").first.click()
        page.wait_for_url("**/studies/page/2/")
        page.get_by_role("link", name="Page 3").first.click()
        page.wait_for_url("**/studies/page/3/")
        assert page.locator("#em-studies tbody tr").count() == N - 2 * STUDIES_PER_PAGE
        assert page.locator("a[aria-current=page]").first.inner_text() == "3"
    finally:
        context.close()
        httpd.shutdown()
