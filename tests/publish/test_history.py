"""A living map: dates from git on study and theme pages, the What's new page and the Atom feed."""

from __future__ import annotations

import os
import re
import subprocess
import time
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path

import pytest

from conftest import SITES, build, make_project
from generator.publish.history import Dates
from htmlcheck import page_text

ATOM = "{http://www.w3.org/2005/Atom}"


def git(project: Path, *args: str, when: str | None = None) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "t@example.org"}
    if when:
        env.update(GIT_AUTHOR_DATE=when, GIT_COMMITTER_DATE=when)
    subprocess.run(["git", *args], cwd=project, env=env, check=True, capture_output=True)


@pytest.fixture(scope="module")
def history_build(tmp_path_factory):
    """The 'other' review committed over four dates: two studies first... a third, fourth and fifth later."""
    project = make_project(tmp_path_factory.mktemp("history"), SITES / "other" / "content")
    later = {"content/studies/osullivan-2021.yml", "content/studies/tanaka-et-al-2018.yml",
             "content/studies/silva-2020.yml"}
    hidden = {p: (project / p).read_text(encoding="utf-8") for p in later}
    for p in later:
        (project / p).unlink()
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "first studies", when="2024-01-10T10:00:00Z")
    nguyen = project / "content/studies/nguyen-smith-2022.yml"
    nguyen.write_text(nguyen.read_text(encoding="utf-8") + "notes: Corrected the sample.\n", encoding="utf-8")
    git(project, "commit", "-q", "-am", "correct a study", when="2024-02-01T09:00:00Z")
    for p in ("content/studies/osullivan-2021.yml", "content/studies/tanaka-et-al-2018.yml"):
        (project / p).write_text(hidden[p], encoding="utf-8")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "two more", when="2024-03-05T12:00:00Z")
    (project / "content/studies/silva-2020.yml").write_text(hidden["content/studies/silva-2020.yml"],
                                                            encoding="utf-8")
    theme = project / "content/themes/participation.md"
    theme.write_text(theme.read_text(encoding="utf-8") + "\nA new paragraph.\n", encoding="utf-8")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "one more and a synthesis", when="2024-04-20T08:30:00Z")
    result = build(project)
    assert result.returncode == 0, result.output
    return result


def test_study_pages_say_when_they_were_added_and_changed(history_build):
    site = history_build.site
    assert "Added to the map on 10 January 2024 · history of this entry" in page_text(
        site / "studies/osterg-2019/index.html")
    assert "Added to the map on 10 January 2024 · entry last changed on 1 February 2024" in page_text(
        site / "studies/nguyen-smith-2022/index.html")
    assert "Added to the map on 20 April 2024" in page_text(site / "studies/silva-2020/index.html")
    html = (site / "studies/silva-2020/index.html").read_text(encoding="utf-8")
    assert 'href="https://github.com/evidence-map/evidence-map/commits/main/content/studies/silva-2020.yml"' in html


def test_theme_pages_say_when_their_synthesis_changed(history_build):
    assert "Synthesis last changed: 20 April 2024" in page_text(
        history_build.site / "themes/participation/index.html")
    assert "Synthesis last changed: 10 January 2024" in page_text(history_build.site / "themes/costs/index.html")


def test_whats_new_lists_changes_newest_first(history_build):
    html = (history_build.site / "whats-new/index.html").read_text(encoding="utf-8")
    days = re.findall(r'<h2 id="d([\d-]+)"', html)
    assert days == ["2024-04-20", "2024-03-05", "2024-02-01", "2024-01-10"]
    text = page_text(history_build.site / "whats-new/index.html")
    assert "20 April 2024 Added Silva, 2020 — Who comes to the day centre? Synthesis updated Taking part" in text
    assert "5 March 2024 Added Ó Súilleabháin, 2021 — Befriending by telephone Added Tanaka et al., 2018" in text
    assert "1 February 2024 Changed Nguyen & Smith, 2022" in text


def test_home_says_when_the_map_was_last_updated(history_build):
    assert "Last updated on 20 April 2024: 1 study added" in page_text(history_build.site / "index.html")


def test_the_feed_is_atom_with_an_entry_per_added_study(history_build):
    root = ET.parse(history_build.site / "feed.xml").getroot()
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated", "author"):  # RFC 4287, section 4.1.1
        assert root.find(f"{ATOM}{required}") is not None, required
    assert root.find(f"{ATOM}updated").text == "2024-04-20T08:30:00Z"
    entries = root.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}id").text.rsplit("/", 2)[-2] for e in entries] == [
        "silva-2020", "tanaka-et-al-2018", "osullivan-2021", "osterg-2019", "nguyen-smith-2022"]
    first = entries[0]
    for required in ("id", "title", "updated", "link", "summary"):
        assert first.find(f"{ATOM}{required}") is not None, required
    assert first.find(f"{ATOM}title").text == "Silva, 2020: Who comes to the day centre?"
    assert first.find(f"{ATOM}link").get("href") == "https://evidence-map.github.io/evidence-map/studies/silva-2020/"
    names = [a.find(f"{ATOM}name").text for e in entries for a in e.findall(f"{ATOM}author")]
    assert "Østergaard, K." in names and "Ó Súilleabháin, P." in names


def test_every_page_links_the_feed(history_build):
    html = (history_build.site / "studies/silva-2020/index.html").read_text(encoding="utf-8")
    assert re.search(r'<link rel="alternate" type="application/atom\+xml" title="[^"]+" href="../../feed.xml">', html)


def test_without_git_history_dates_are_unknown(bundled_build, tmp_path):
    site = bundled_build.site  # built from a copy without .git
    assert "Added to the map: date unknown" in page_text(site / "studies/farrow-2014/index.html")
    assert "Dates unknown" in page_text(site / "whats-new/index.html")
    assert "Last updated: date unknown" in page_text(site / "index.html")
    assert ET.parse(site / "feed.xml").getroot().findall(f"{ATOM}entry") == []


def test_a_shallow_clone_says_date_unknown_rather_than_a_wrong_date(history_build, tmp_path):
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{history_build.project}", str(clone)],
                   check=True, capture_output=True)
    result = build(clone)
    assert result.returncode == 0, result.output
    assert "Added to the map: date unknown" in page_text(result.site / "studies/osterg-2019/index.html")


def test_a_browser_finds_the_feed_from_any_page(server, browser):
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(server + "studies/farrow-2014/")
    href = page.locator('head link[rel="alternate"][type="application/atom+xml"]').evaluate("l => l.href")
    assert href == server + "feed.xml"
    feed = page.evaluate("url => fetch(url).then(r => r.status + ' ' + r.headers.get('content-type'))", href)
    assert feed.startswith("200 ") and "xml" in feed
    page.goto(server + "whats-new/")
    assert page.locator("h1").inner_text() == "What's new"
    assert errors == []
    page.close()


# ------------------------------------------------------------------------------------------------ dates from a liar

def commit_file(project: Path, path: str, text: str, when: str) -> str:
    (project / path).parent.mkdir(parents=True, exist_ok=True)
    (project / path).write_text(text, encoding="utf-8")
    git(project, "add", path)
    git(project, "commit", "-q", "-m", f"change {path}", when=when)
    return subprocess.run(["git", "rev-parse", "HEAD"], cwd=project, capture_output=True, text=True,
                          check=True).stdout.strip()


def test_dates_out_of_range_are_ignored_with_a_warning_naming_the_commit_and_files(tmp_path: Path):
    from generator.publish.history import file_dates

    git(tmp_path, "init", "-q", "-b", "main")
    commit_file(tmp_path, "content/a.yml", "1", "2024-01-10T10:00:00Z")
    far = commit_file(tmp_path, "content/a.yml", "2", "@1000000000000 +0000")  # the year 33658
    soon = commit_file(tmp_path, "content/b.yml", "1", "2099-12-31T12:00:00Z")
    early = commit_file(tmp_path, "content/c.yml", "1", "1980-01-01T00:00:00Z")
    commit_file(tmp_path, "content/c.yml", "2", "2024-06-02T10:00:00Z")  # within a day of the build: kept
    now = datetime(2024, 6, 1, 12, tzinfo=UTC).timestamp()
    dates, warnings = file_dates(tmp_path, tmp_path / "content", now=now)
    assert dates == {"content/a.yml": Dates(datetime(2024, 1, 10, 10, tzinfo=UTC), datetime(2024, 1, 10, 10, tzinfo=UTC)),
                     "content/c.yml": Dates(datetime(2024, 6, 2, 10, tzinfo=UTC), datetime(2024, 6, 2, 10, tzinfo=UTC))}
    hint = "(hint: the committer's clock was wrong; the files' other commits give their dates)"
    assert warnings == [
        f"content/c.yml: warning: commit {early[:12]} is dated 1980-01-01, before 2000-01-01: its date is ignored {hint}",
        f"content/b.yml: warning: commit {soon[:12]} is dated 2099-12-31, after the build (2024-06-01): its date is "
        f"ignored {hint}",
        f"content/a.yml: warning: commit {far[:12]} is dated in the year 33658, after the build (2024-06-01): its date "
        f"is ignored {hint}",
    ]


def test_the_build_date_is_source_date_epoch_but_never_later_than_the_clock(monkeypatch):
    from generator.publish.history import build_time

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1717243200")
    assert build_time() == 1717243200
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "4102401600")  # 2099, from a commit dated so
    assert build_time() <= time.time()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "soon")
    assert abs(build_time() - time.time()) < 60


def test_a_commit_from_the_future_neither_breaks_the_build_nor_dates_the_map(tmp_path: Path):
    project = make_project(tmp_path, SITES / "other" / "content")
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "the map", when="2024-01-10T10:00:00Z")
    silva = "content/studies/silva-2020.yml"
    far = commit_file(project, silva, (project / silva).read_text(encoding="utf-8") + "notes: x\n",
                      "@1000000000000 +0000")
    soon = commit_file(project, "content/themes/costs.md",
                       (project / "content/themes/costs.md").read_text(encoding="utf-8") + "\nMore.\n",
                       "2099-12-31T12:00:00Z")
    result = build(project, SOURCE_DATE_EPOCH="1717243200")  # 1 June 2024
    assert result.returncode == 0, result.output
    assert f"content/themes/costs.md: warning: commit {soon[:12]} is dated 2099-12-31" in result.output
    assert f"{silva}: warning: commit {far[:12]} is dated in the year 33658" in result.output
    assert "Last updated on 10 January 2024" in page_text(result.site / "index.html")
    assert "Added to the map on 10 January 2024 · history of this entry" in page_text(
        result.site / "studies/silva-2020/index.html")


# ------------------------------------------------------------------------------------------------ theme feeds

def test_a_theme_page_links_its_feed_in_its_head_and_its_text(history_build):
    html = (history_build.site / "themes/participation/index.html").read_text(encoding="utf-8")
    assert re.search(r'<link rel="alternate" type="application/atom\+xml" title="[^"]+: Taking part" '
                     r'href="../../feed-participation.xml">', html)
    assert '<a href="../../feed-participation.xml" type="application/atom+xml">Follow this theme</a>' in html
    root = ET.parse(history_build.site / "feed-participation.xml").getroot()
    titles = [e.find(f"{ATOM}title").text for e in root.findall(f"{ATOM}entry")]
    # the synthesis was revised in the last commit, which also added silva-2020 (in this theme)
    assert titles[:2] == ["Taking part: synthesis revised", "Silva, 2020: Who comes to the day centre?"]
    assert titles.count("Taking part: synthesis written") == 1 and len(set(titles)) == len(titles)
    assert root.find(f"{ATOM}updated").text == "2024-04-20T08:30:00Z"
    assert (history_build.site / "feed.xml").is_file()  # the site-wide feed stays
    other = (history_build.site / "studies/silva-2020/index.html").read_text(encoding="utf-8")
    assert "feed-participation.xml" not in other  # a theme's feed is named on its own page only


# ------------------------------------------------------------------------------------------------ versions

def test_the_version_is_the_newest_v_tag_with_the_commits_since(tmp_path: Path):
    from generator.publish.history import git_version

    git(tmp_path, "init", "-q", "-b", "main")
    commit_file(tmp_path, "content/a.yml", "1", "2024-01-10T10:00:00Z")
    now = datetime(2024, 6, 1, tzinfo=UTC).timestamp()
    assert git_version(tmp_path, now=now) is None  # no tag yet
    git(tmp_path, "tag", "release-candidate")  # not a version tag
    assert git_version(tmp_path, now=now) is None
    git(tmp_path, "tag", "v1.2")
    version = git_version(tmp_path, now=now)
    assert (version.label, version.tag, version.later, version.date, version.text) == (
        "1.2", "v1.2", 0, datetime(2024, 1, 10).date(), "1.2")
    commit_file(tmp_path, "content/a.yml", "2", "2024-02-01T10:00:00Z")
    version = git_version(tmp_path, now=now)
    assert (version.text, version.date) == ("1.2 with 1 later commit", datetime(2024, 2, 1).date())
    git(tmp_path, "tag", "-a", "v1.3-beta", "-m", "an annotated tag, with a hyphen")
    assert git_version(tmp_path, now=now).text == "1.3-beta"
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{tmp_path}", str(shallow)], check=True,
                   capture_output=True)
    assert git_version(shallow, now=now) is None


def test_a_tagged_build_shows_its_version_in_every_footer_and_wins_over_review_yml(tmp_path: Path):
    project = make_project(tmp_path, SITES / "other" / "content")
    review = project / "content/review.yml"
    review.write_text(review.read_text(encoding="utf-8") + "release:\n  version: '0.9'\n", encoding="utf-8")
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "the map", when="2024-01-10T10:00:00Z")
    git(project, "tag", "v2.0")
    result = build(project)
    assert result.returncode == 0, result.output
    pages = ["index.html", "methods/index.html", "themes/participation/index.html", "studies/silva-2020/index.html",
             "whats-new/index.html", "format/index.html"]
    for name in pages:
        html = (result.site / name).read_text(encoding="utf-8")
        footer = html[html.index('<div class="md-copyright">'):]
        assert re.search(r'em-version">\s*Version 2.0 · 10 January 2024\s*</div>', footer), name
    home = page_text(result.site / "index.html")
    assert "This is version 2.0 of 10 January 2024." in home and "(Version 2.0) [Living evidence map]" in home
    assert "Version 2.0, of 10 January 2024" in page_text(result.site / "methods/index.html")
    assert "0.9" not in home
