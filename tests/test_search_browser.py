"""Finding the evidence in a real browser: Material's own search (its worker, lunr and ranking) over the built
index, and the studies index's filter with country names. Debian's Chromium, the site served on 127.0.0.1."""

from __future__ import annotations

import re

import pytest


def search(server, browser, query: str) -> list[str]:
    """The pages Material's search lists for `query`, best first, as the reader types it into the search box."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(server + "about/")
    page.keyboard.press("/")  # Material's shortcut to the search box
    meta = page.locator(".md-search-result__meta")
    meta.filter(has_text="Type to start searching").wait_for(timeout=20000)  # the index is loaded
    page.locator("input.md-search__input").press_sequentially(query)  # Material searches on each key
    # Results show as each key is typed: wait for those of the whole query (each link names the words it matched).
    page.wait_for_function("""query => [...document.querySelectorAll('.md-search-result__link')]
        .some(a => new URL(a.href).searchParams.get('h') === query)""", arg=query.lower(), timeout=20000)
    hrefs = page.locator(".md-search-result__item > a:first-child").evaluate_all(
        "links => links.map(a => new URL(a.href).pathname)")
    page.close()
    return hrefs


@pytest.mark.parametrize(("query", "study"), [("tokenistic", "farrow-2014"), ("payment", "macsporran-2015")])
def test_search_puts_first_the_study_whose_finding_has_the_word(server, browser, query, study):
    """Words only a finding has (and a theme's synthesis): the study comes first, the synthesis after it."""
    found = search(server, browser, query)
    assert found[0] == f"/studies/{study}/"
    assert "/themes/meaningful-involvement/" in found[1:]


def test_search_ranks_studies_above_the_hand_written_pages(server, browser):
    """"focus groups" is a study characteristic and words of the content format page: the studies come first."""
    found = search(server, browser, "focus groups")
    studies = [i for i, href in enumerate(found) if href.startswith("/studies/")]
    assert len(studies) >= 3 and studies == list(range(len(studies)))
    assert "/format/" in found[len(studies):]


def test_search_finds_studies_by_region(server, browser):
    found = search(server, browser, "England")
    assert found[0].startswith("/studies/") and "/studies/anghel-ramon-2009/" in found


@pytest.mark.parametrize(("typed", "shown"), [("UK", 9), ("england", 9), ("Great Britain", 9), ("wales", 9),
                                              ("Holland", 1), ("US", 0), ("usa", 0)])
def test_studies_filter_takes_a_country_s_everyday_names(server, browser, typed, shown):
    """9 of the 11 studies are from the United Kingdom, one from Belgium and the Netherlands, none from the
    United States ("US" no longer matches every row with "users" in it)."""
    page = browser.new_page()
    page.goto(server + "studies/")
    page.get_by_label("Filter").fill(typed)
    count = page.locator("[data-em-count]")
    count.filter(has_text=re.compile(f"^{shown} of 11 studies$")).wait_for(timeout=10000)
    # (an inferred country is followed by its "inferred" label: tests/test_inferred_browser.py)
    countries = [c.removesuffix(" inferred") for c in page.locator("#em-studies tbody tr td:nth-child(3)").all_inner_texts()]
    assert len(countries) == shown
    assert all(c == "United Kingdom" for c in countries) if shown == 9 else countries in ([], ["Belgium, Netherlands"])
    page.close()
