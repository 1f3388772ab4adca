"""How current the map is: the sentences on the home and methods pages, with and without review.yml's optional
fields and git's dates, the map's version (git tag or review.yml) in "Cite this map", and review.yml's new fields."""

from __future__ import annotations

import dataclasses
import datetime as _dt
import re

from conftest import ROOT
from generator.content import load_map
from generator.content.problems import ContentError
from generator.outputs import currency, fragments
from generator.outputs.base import Build, History, Links
from generator.outputs.currency import Version
from generator.publish.history import Dates
from htmlcheck import PageParser

BUNDLED = load_map(ROOT / "content")  # last search 19 January 2018, three databases, no other-methods arm
TODAY = _dt.date(2024, 6, 1)
IMPORTED = _dt.datetime(2023, 5, 2, 10, tzinfo=_dt.UTC)  # the day the map's files were first committed


def text(html: str) -> str:
    parser = PageParser()
    parser.feed(html)
    return " ".join("".join(parser.text).replace("¶", " ").split())


def sentences(build: Build, page: str = "home") -> dict[str, str]:
    """The currency list as a reader reads it: label -> sentence, from the rendered fragment."""
    html = fragments.fragment(build, page, "" if page == "home" else "methods/")
    box = html[html.index('<dl class="em-currency">'):html.index("</dl>")]
    return {text(dt): text(dd) for dt, dd in re.findall(r"<dt>(.*?)</dt> <dd>(.*?)</dd>", box)}


def bare(**review: object) -> Build:
    return Build(dataclasses.replace(BUNDLED, review=dataclasses.replace(BUNDLED.review, **review)), today=TODAY)


def test_without_the_optional_fields_or_git_each_fact_is_a_plain_sentence():
    build = bare()
    assert sentences(build) == {
        "Last search": "19 January 2018 (all 3 databases)",
        "Version": "Not numbered; date of the last update unknown",
        "Next update": "No date set",
        "Added since the last search": "When studies were added is unknown: this copy was built without its git "
                                       "history",
    }
    assert sentences(build, "methods") == sentences(build)
    for page in ("home", "methods"):
        assert "None" not in text(fragments.fragment(build, page, ""))


def test_with_every_optional_field_and_git_dates():
    prisma = BUNDLED.review.prisma
    other = {"sources": {"Citation searching": 2}, "sought": 2, "not_retrieved": 0, "assessed": 2,
             "excluded": {"total": 0}}
    prisma = prisma.model_validate({**prisma.model_dump(), "other_methods": other,
                                    "included_studies": 13, "included_reports": 13})
    build = bare(last_search=None, prisma=prisma, next_update=_dt.date(2024, 9, 30), version="v2.1",
                 last_search_by_database=(("PsycINFO", _dt.date(2023, 11, 2)),
                                          ("Social Care Online", _dt.date(2023, 10, 28))))
    def on(day: _dt.date) -> Dates:
        when = _dt.datetime(day.year, day.month, day.day, 9, tzinfo=_dt.UTC)
        return Dates(when, when)

    studies = {s.id: Dates(IMPORTED, IMPORTED) for s in BUNDLED.studies}
    studies["farrow-2014"] = on(_dt.date(2024, 2, 3))
    studies["tanner-et-al-2017"] = on(_dt.date(2023, 11, 20))
    studies["anghel-ramon-2009"] = on(_dt.date(2023, 10, 30))  # after the import, before PsycINFO's search
    build = Build(build.map, History(studies, {}, {}), today=TODAY)
    assert sentences(build) == {
        # no search.last_search: the latest database's date; a database without its own date says so
        "Last search": "2 November 2023 (PsycINFO: 2 November 2023; Social Care Online: 28 October 2023; "
                       "Social Services Abstracts: date not reported)",
        "Version": "2.1; last updated on 3 February 2024",
        "Next update": "Planned for 30 September 2024",
        "Added since the last search": "2 studies found by other methods (the flow diagram's other-methods arm); "
                                       "2 studies added to the map since 2 November 2023, the latest on "
                                       "3 February 2024",
    }
    html = fragments.fragment(build, "home", "")
    assert '<time datetime="2024-09-30">30 September 2024</time>' in html  # dates as the site writes them


def test_a_git_tag_wins_and_a_passed_update_says_so():
    tagged = Version(label="3.0", tag="v3.0", later=2, date=_dt.date(2024, 5, 20), source="git")
    build = Build(dataclasses.replace(BUNDLED, review=dataclasses.replace(
        BUNDLED.review, version="2.1", next_update=_dt.date(2024, 1, 31))),
        History({s.id: Dates(IMPORTED, IMPORTED) for s in BUNDLED.studies}, {}, {}, version=tagged), today=TODAY)
    facts = sentences(build, "methods")
    assert facts["Version"] == "3.0 with 2 later commits, of 20 May 2024"
    assert facts["Next update"] == "Was planned for 31 January 2024, which has passed"
    # the map was imported long after its search: the studies it started with were found by that search
    assert facts["Added since the last search"] == "None added to the map since 19 January 2018"
    assert currency.footer_text(build) == "Version 3.0 with 2 later commits · 20 May 2024"


def test_cite_this_map_gives_the_version_and_once_known_the_doi():
    plain = bare()
    home = text(fragments.fragment(plain, "home", ""))
    assert "This map has no numbered version yet: cite it with the date you read it." in home
    assert "doi.org" not in home
    numbered = Build(bare(version="1.2", map_doi="10.5281/zenodo.1234567").map,
                     History({s.id: Dates(IMPORTED, IMPORTED) for s in BUNDLED.studies}, {}, {}),
                     Links(site_url="https://example.org/map/"), today=TODAY)
    home = text(fragments.fragment(numbered, "home", ""))
    assert fragments.map_citation(numbered) == (
        f"Contributors to this evidence map (2023). {BUNDLED.review.title} (Version 1.2) [Living evidence map]. "
        "https://doi.org/10.5281/zenodo.1234567")
    assert ("This is version 1.2. DOI: https://doi.org/10.5281/zenodo.1234567 (for every version; it leads to the "
            "latest).") in home
    assert currency.footer_text(numbered) == "Version 1.2 · 2 May 2023"


def test_review_yml_takes_the_new_fields_and_names_an_unknown_database(tmp_path):
    import shutil

    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    review = content / "review.yml"
    review.write_text(review.read_text(encoding="utf-8").replace(
        "  last_search: 2018-01-19\n",
        "  last_search: 2018-01-19\n  last_search_by_database: {PsycINFO: 2018-01-19, Medline: 2018-01-02}\n"
        "  next_update: 2026-01-31\n", 1) + "release:\n  version: '1.0'\n  doi: 10.5281/zenodo.99\n",
        encoding="utf-8")
    try:
        load_map(content)
    except ContentError as exc:
        messages = [str(p) for p in exc.problems]
    else:
        raise AssertionError("an unknown database name must be refused")
    line = review.read_text(encoding="utf-8").splitlines().index(
        "  last_search_by_database: {PsycINFO: 2018-01-19, Medline: 2018-01-02}") + 1
    assert messages == [f"{review}:{line}: search.last_search_by_database: 'Medline' is not among "
                        "search.databases (hint: name it as in search.databases: PsycINFO, Social Care Online, "
                        "Social Services Abstracts)"]
    review.write_text(review.read_text(encoding="utf-8").replace(", Medline: 2018-01-02", ""), encoding="utf-8")
    loaded = load_map(content).review
    assert loaded.last_search_by_database == (("PsycINFO", _dt.date(2018, 1, 19)),)
    assert (loaded.next_update, loaded.version, loaded.map_doi) == (_dt.date(2026, 1, 31), "1.0", "10.5281/zenodo.99")
