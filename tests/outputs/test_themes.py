"""Theme pages: what readers see of the studies a synthesis does not cover yet."""

import datetime as _dt

from conftest import SITES
from generator.content import load_map
from generator.outputs import themes
from generator.outputs.base import Build, History
from generator.publish.history import Dates
from htmlcheck import PageParser

TODAY = _dt.date(2024, 6, 1)
EMAP = load_map(SITES / "other" / "content")
WRITTEN = _dt.datetime(2024, 3, 1, 12, tzinfo=_dt.UTC)


def at(day: int, month: int = 3) -> Dates:
    when = _dt.datetime(2024, month, day, 9, tzinfo=_dt.UTC)
    return Dates(when, when)


def page(history: History, theme: str = "wellbeing") -> str:
    return themes.pages(Build(EMAP, history, today=TODAY), next(t for t in EMAP.themes if t.id == theme))[
        f"themes/{theme}.md"]


def section(text: str) -> str:
    """The 'added since' section as a reader reads it: tags removed, spaces collapsed."""
    start = text.find('<h2 id="added-since"')
    if start < 0:
        return ""
    parser = PageParser()
    parser.feed(text[start:text.index('<h2 id="contributing-studies"', start)])
    return " ".join("".join(parser.text).replace("¶", " ").split())


def test_studies_added_after_the_synthesis_was_last_revised_are_listed_newest_first():
    # wellbeing's studies: osterg-2019, osullivan-2021, tanaka-et-al-2018; its synthesis last changed on 1 March.
    history = History({"osterg-2019": at(20), "osullivan-2021": at(5, 4), "tanaka-et-al-2018": Dates(WRITTEN, WRITTEN)},
                      {"wellbeing": Dates(WRITTEN, WRITTEN)}, {})
    text = page(history)
    assert section(text) == (
        "Studies added since this synthesis was last revised The synthesis was last revised on 1 March 2024, "
        "before these 2 studies were added to this theme: it does not cover them yet. "
        "Ó Súilleabháin, 2021: Befriending by telephone (added 5 April 2024) "
        "Østergaard & Berg, 2019: Video calls & loneliness: a <pilot> trial (added 20 March 2024)")
    assert "Video calls &amp; loneliness: a &lt;pilot&gt; trial" in text  # the study file's text, escaped
    assert '<a href="../../studies/osullivan-2021/">' in text
    assert '<time datetime="2024-04-05">5 April 2024</time>' in text
    # after the part of the page that search indexes: the list is not the synthesis
    assert text.index("<!-- em-search-end -->") < text.index('id="added-since"')


def test_nothing_is_shown_when_the_synthesis_is_newer_or_the_dates_are_unknown():
    same_commit = History({s.id: Dates(WRITTEN, WRITTEN) for s in EMAP.studies}, {"wellbeing": Dates(WRITTEN, WRITTEN)},
                          {})
    assert section(page(same_commit)) == ""
    revised_later = History({"osterg-2019": at(20)}, {"wellbeing": Dates(WRITTEN, at(21).changed)}, {})
    assert section(page(revised_later)) == ""
    no_git = History({}, {}, {})
    assert section(page(no_git)) == "" and "Studies added since" not in page(no_git)


def test_a_long_list_shows_the_most_recent_and_counts_the_rest(monkeypatch):
    monkeypatch.setattr(themes, "ADDED_SHOWN", 1)
    history = History({"osterg-2019": at(20), "osullivan-2021": at(5, 4)}, {"wellbeing": Dates(WRITTEN, WRITTEN)}, {})
    assert section(page(history)) == (
        "Studies added since this synthesis was last revised The synthesis was last revised on 1 March 2024, "
        "before these 2 studies were added to this theme: it does not cover them yet. Here are the 1 added most "
        "recently. "
        "Ó Súilleabháin, 2021: Befriending by telephone (added 5 April 2024)")


def test_one_study_added_since_is_spoken_of_as_one():
    history = History({"osterg-2019": at(20)}, {"wellbeing": Dates(WRITTEN, WRITTEN)}, {})
    assert section(page(history)) == (
        "Studies added since this synthesis was last revised The synthesis was last revised on 1 March 2024, "
        "before this study was added to this theme: it does not cover it yet. "
        "Østergaard & Berg, 2019: Video calls & loneliness: a <pilot> trial (added 20 March 2024)")
