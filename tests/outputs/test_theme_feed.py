"""A theme's Atom feed: studies added to it and revisions of its synthesis, valid Atom whatever the strings hold."""

from __future__ import annotations

import dataclasses
import datetime as _dt
import xml.etree.ElementTree as ET

from conftest import SITES
from generator.content import load_map
from generator.outputs import changes, themes
from generator.outputs.base import Build, History, Links
from generator.publish.history import Dates

A = "{http://www.w3.org/2005/Atom}"
EMAP = load_map(SITES / "other" / "content")
TODAY = _dt.date(2024, 6, 1)
HOSTILE = 'Loneliness & <script>alert("x")</script> ]]> \x0b\ud800 "quoted"'


def at(day: int, month: int) -> _dt.datetime:
    return _dt.datetime(2024, month, day, 9, tzinfo=_dt.UTC)


def history() -> History:
    """wellbeing's studies (osterg-2019, osullivan-2021, tanaka-et-al-2018) added on three days; its synthesis written
    on 1 March and revised on 10 April."""
    studies = {"osterg-2019": Dates(at(1, 3), at(1, 3)), "osullivan-2021": Dates(at(5, 4), at(5, 4)),
               "tanaka-et-al-2018": Dates(at(20, 5), at(21, 5)), "silva-2020": Dates(at(1, 3), at(1, 3))}
    return History(studies, {"wellbeing": Dates(at(1, 3), at(10, 4), commits=(at(10, 4), at(1, 3)))}, {})


def parse(text: str) -> ET.Element:
    assert text.startswith('<?xml version="1.0" encoding="utf-8"?>\n')
    return ET.fromstring(text.encode("utf-8"))


def test_a_theme_feed_lists_its_studies_and_each_revision_of_its_synthesis_newest_first():
    build = Build(EMAP, history(), Links(site_url="https://example.org/map/"), today=TODAY)
    theme = next(t for t in EMAP.themes if t.id == "wellbeing")
    root = parse(changes.theme_feed(build, theme))
    assert root.tag == f"{A}feed"
    for required in ("id", "title", "updated", "author"):  # RFC 4287, 4.1.1
        assert root.find(f"{A}{required}") is not None, required
    assert root.find(f"{A}id").text == "https://example.org/map/feed-wellbeing.xml"
    assert root.find(f"{A}updated").text == "2024-05-20T09:00:00Z"
    links = {link.get("rel"): link.get("href") for link in root.findall(f"{A}link")}
    assert links == {"self": "https://example.org/map/feed-wellbeing.xml",
                     "alternate": "https://example.org/map/themes/wellbeing/"}
    entries = [(e.find(f"{A}title").text, e.find(f"{A}updated").text) for e in root.findall(f"{A}entry")]
    assert [title.split(":")[0] for title, _ in entries] == [
        "Tanaka et al., 2018", "Wellbeing outcomes", "Ó Súilleabháin, 2021", "Wellbeing outcomes",
        "Østergaard & Berg, 2019"]  # the synthesis was written in the commit that added Østergaard & Berg
    assert entries[1] == ("Wellbeing outcomes: synthesis revised", "2024-04-10T09:00:00Z")
    assert entries[3] == ("Wellbeing outcomes: synthesis written", "2024-03-01T09:00:00Z")
    ids = [e.find(f"{A}id").text for e in root.findall(f"{A}entry")]
    assert len(set(ids)) == len(ids) and all(i.startswith("https://example.org/map/") for i in ids)
    assert "silva-2020" not in " ".join(ids)  # not in this theme


def test_the_theme_page_links_its_feed_and_the_feed_is_written_beside_it():
    pages = themes.pages(Build(EMAP, history(), today=TODAY), next(t for t in EMAP.themes if t.id == "wellbeing"))
    assert "feed-wellbeing.xml" in pages
    page = pages["themes/wellbeing.md"]
    assert 'em_feed: "feed-wellbeing.xml"' in page.split("---\n")[1]  # the <head> link (theme/main.html)
    assert '<a href="../../feed-wellbeing.xml" type="application/atom+xml">Follow this theme</a>' in page


def test_a_hostile_title_and_summary_leave_the_feed_valid_and_escaped():
    theme = dataclasses.replace(next(t for t in EMAP.themes if t.id == "wellbeing"), title=HOSTILE, summary=HOSTILE)
    studies = tuple(dataclasses.replace(s, title=HOSTILE, authors=(HOSTILE,), summary=HOSTILE) for s in EMAP.studies)
    emap = dataclasses.replace(EMAP, studies=studies, themes=tuple(theme if t.id == "wellbeing" else t
                                                                   for t in EMAP.themes),
                               review=dataclasses.replace(EMAP.review, title=HOSTILE))
    text = changes.theme_feed(Build(emap, history(), today=TODAY), theme)
    root = parse(text)  # well-formed
    readable = 'Loneliness & <script>alert("x")</script> ]]>  "quoted"'
    assert root.find(f"{A}subtitle").text == " ".join(readable.split())
    assert {e.find(f"{A}title").text.partition(": ")[2] for e in root.findall(f"{A}entry")} >= {readable}
    assert "<script>" not in text and "&lt;script&gt;" in text
    # no site address (the preview): ids are still absolute IRIs, links relative to the feed
    assert root.find(f"{A}id").text.startswith("urn:uuid:")
    assert all(e.find(f"{A}id").text.startswith("urn:uuid:") for e in root.findall(f"{A}entry"))
    hrefs = [e.find(f"{A}link").get("href") for e in root.findall(f"{A}entry")]
    assert "studies/osterg-2019/" in hrefs and "themes/wellbeing/" in hrefs  # the feed is at the site's top


def test_without_git_history_a_theme_feed_is_valid_and_empty():
    root = parse(changes.theme_feed(Build(EMAP, today=TODAY), EMAP.themes[0]))
    assert root.findall(f"{A}entry") == [] and root.find(f"{A}updated").text == "1970-01-01T00:00:00Z"
