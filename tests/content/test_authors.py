"""Author names: each way a name goes astray gives the exact message a contributor sees, at the item's file and line,
with the YAML to write; names in the documented form load into their parts."""

from __future__ import annotations

import datetime as _dt
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from generator.content import check_content, load_map
from generator.content.authors import check_authors
from generator.outputs import changes
from generator.outputs.base import Build, History
from generator.outputs.fragments import fragment, map_citation
from generator.publish.history import Dates

SILVA = "content/studies/silva-2020.yml"
REVIEW = "content/review.yml"


@pytest.fixture(autouse=True)
def _in_tmp(content: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(content.parent)  # paths in messages are shown relative to the working folder


def found(content: Path, authors: str) -> list[str]:
    """The problems with silva-2020.yml's `authors: ["Silva, A."]` (line 2) replaced by `authors`."""
    study = content / "studies/silva-2020.yml"
    text = study.read_text(encoding="utf-8")
    study.write_text(text.replace('authors: ["Silva, A."]\n', authors + "\n"), encoding="utf-8")
    return [str(p) for p in check_content(content)[1]]


SPLIT_HINT = '(hint: one name a list item, each in quotes: authors: ["Carter, R.", "Okafor, A."])'


@pytest.mark.parametrize("authors, expected", [
    # the contributor's case: the hint that used to be given, followed, is YAML for two authors
    ("authors: [Carter, R.]",
     [f"{SILVA}:2: authors[1]: 'R.' looks like the rest of the name 'Carter', split from it at the comma "
      '(hint: one name a list item, each in quotes: authors: ["Carter, R."])']),
    ("authors: [Carter, R., Okafor, A.]",
     [f"{SILVA}:2: authors[1]: 'R.' looks like the rest of the name 'Carter', split from it at the comma {SPLIT_HINT}",
      f"{SILVA}:2: authors[3]: 'A.' looks like the rest of the name 'Okafor', split from it at the comma "
      f"{SPLIT_HINT}"]),
    ("authors: [Carter, R. and Okafor, A.]",
     [f"{SILVA}:2: authors[1]: 'R. and Okafor' joins two names with 'and' {SPLIT_HINT}",
      f"{SILVA}:2: authors[2]: 'A.' looks like the rest of the name 'Okafor', split from it at the comma "
      f"{SPLIT_HINT}"]),
    ('authors: ["Carter, R. and Okafor, A."]',
     [f"{SILVA}:2: authors[0]: 'Carter, R. and Okafor, A.' joins two names with 'and' {SPLIT_HINT}"]),
    ("authors:\n  - Carter, R. & Okafor, A.",
     [f"{SILVA}:3: authors[0]: 'Carter, R. & Okafor, A.' joins two names with '&' {SPLIT_HINT}"]),
    ('authors: ["Carter, R., Okafor, A."]',
     [f"{SILVA}:2: authors[0]: 'Carter, R., Okafor, A.' is two names in one item {SPLIT_HINT}"]),
    # a block list names each item's own line; a suffix split off is caught too
    ('authors:\n  - "King"\n  - "M. L."\n  - "Jr."\n  - "Carter, R."',
     [f"{SILVA}:4: authors[1]: 'M. L.' looks like the rest of the name 'King', split from it at the comma "
      '(hint: one name a list item, each in quotes: authors: ["King, M. L., Jr.", "Carter, R."])',
      f"{SILVA}:5: authors[2]: 'Jr.' looks like the rest of the name 'King, M. L.', split from it at the comma "
      '(hint: one name a list item, each in quotes: authors: ["King, M. L., Jr.", "Carter, R."])']),
    # text where a list is expected: the hint is a list that says the same
    ('authors: "Carter, R."',
     [f'{SILVA}:2: authors: expected a list, got text (hint: write a list, each name in quotes: '
      'authors: ["Carter, R."])']),
    ("authors: Carter, R. and Okafor, A.",
     [f"{SILVA}:2: authors: expected a list, got text (hint: write a list, each name in quotes: "
      'authors: ["Carter, R.", "Okafor, A."])']),
])
def test_names_split_or_joined_are_errors_with_the_yaml_to_write(content: Path, authors: str, expected: list[str]):
    assert found(content, authors) == expected


@pytest.mark.parametrize("author, expected", [
    ("R. Carter", "authors[0]: 'R. Carter' has the initials first (hint: write the family name first, \"Carter, R.\")"),
    ("Rachel Carter", "authors[0]: 'Rachel Carter' looks like given name first (hint: write a person family name "
                      'first, "Carter, R."; an organisation in braces, "{Rachel Carter}")'),
    ("Ludwig van Beethoven", "authors[0]: 'Ludwig van Beethoven' looks like given name first (hint: write a person "
                             'family name first, "van Beethoven, L."; an organisation in braces, '
                             '"{Ludwig van Beethoven}")'),
    ("Carter R", "authors[0]: 'Carter R' has no comma after the family name (hint: write \"Carter, R.\")"),
    ("Carter RJ", "authors[0]: 'Carter RJ' has no comma after the family name (hint: write \"Carter, R. J.\")"),
    ("King, Jr., M. L.", "authors[0]: 'King, Jr., M. L.' has the suffix before the initials "
                         '(hint: write "King, M. L., Jr.")'),
    ("Martin Luther King, Jr.", "authors[0]: 'Martin Luther King, Jr.' looks like given name first "
                                '(hint: write the family name first, "King, M. L., Jr.")'),
])
def test_a_name_in_another_order_is_a_warning_with_the_form_to_write(content: Path, author: str, expected: str):
    assert found(content, f'authors: ["{author}"]') == [f"{SILVA}:2: warning: {expected}"]
    # shown as written, not guessed at; only BibTeX's order, which says which part is which, is read as meant
    shown = "King, M. L., Jr." if author == "King, Jr., M. L." else author
    assert load_map(content).study("silva-2020").authors == (shown,)


@pytest.mark.parametrize("authors", [
    '["Carter, R.", "van Doorn, F.", "King, M. L., Jr.", "{World Health Organization}"]',
    '["Levy, S.", "Hunter", "McNeil", "Ó Súilleabháin,", "Carter, Rachel", "de la Cruz, M."]',
    '["{Department of Health, Social Services and Public Safety}", "{Johnson & Johnson}"]',
    "\n  - Carter, R.\n  - van Doorn, F.",  # a block list needs no quotes
])
def test_the_documented_forms_pass_without_a_word(content: Path, authors: str):
    assert found(content, f"authors: {authors}") == []


def test_a_review_author_is_checked_as_a_study_author_is(content: Path):
    review = content / "review.yml"
    review.write_text(review.read_text(encoding="utf-8").replace(
        'authors: ["Østergaard, K.", "Ó Súilleabháin, P."]', 'authors: ["Kirsten Østergaard", Ó Súilleabháin, P.]'),
        encoding="utf-8")
    assert [str(p) for p in check_content(content)[1]] == [
        f"{REVIEW}:4: warning: authors[0]: 'Kirsten Østergaard' looks like given name first (hint: write a person "
        'family name first, "Østergaard, K."; an organisation in braces, "{Kirsten Østergaard}")',
        f"{REVIEW}:4: authors[2]: 'P.' looks like the rest of the name 'Ó Súilleabháin', split from it at the comma "
        '(hint: one name a list item, each in quotes: authors: ["Kirsten Østergaard", "Ó Súilleabháin, P."])']


def test_names_load_into_their_parts(content: Path):
    found(content, 'authors: ["van  Doorn,F.", "King, M. L., Jr.", "{World Health Organization}", "Hunter"]')
    authors = load_map(content).study("silva-2020").authors
    assert authors == ("van Doorn, F.", "King, M. L., Jr.", "World Health Organization", "Hunter")
    assert [(a.particle, a.family, a.given, a.suffix, a.organisation) for a in authors] == [
        ("van", "Doorn", "F.", "", False), ("", "King", "M. L.", "Jr.", False),
        ("", "World Health Organization", "", "", True), ("", "Hunter", "", "", False)]


def test_the_reviews_own_authors_are_shown_without_the_braces(content: Path):
    review = content / "review.yml"
    review.write_text(review.read_text(encoding="utf-8").replace(
        'authors: ["Østergaard, K.", "Ó Súilleabháin, P."]', 'authors: ["{Loneliness Research Network}", '
        '"van Doorn, F."]'), encoding="utf-8")
    emap = load_map(content)
    when = _dt.datetime(2024, 3, 1, tzinfo=_dt.UTC)
    build = Build(emap, History({s.id: Dates(when, when) for s in emap.studies}, {}, {}),
                  today=_dt.date(2024, 6, 1))
    assert map_citation(build).startswith("Loneliness Research Network; van Doorn, F. (2024). Community")
    assert '<th scope="row">Authors</th> <td>Loneliness Research Network; van Doorn, F.</td>' in fragment(
        build, "methods", "methods/")
    feed = ET.fromstring(changes.feed(build).encode("utf-8"))
    assert feed.find("{http://www.w3.org/2005/Atom}author/{http://www.w3.org/2005/Atom}name").text == (
        "Loneliness Research Network; van Doorn, F.")


def test_the_check_takes_any_list_a_yaml_file_can_hold():
    """Items the schema refuses (numbers, mappings, null) are left to it; the check neither crashes nor repeats."""
    items = yaml.safe_load("[Carter, R., 3, {a: b}, null, Okafor, A.]")
    assert [(i.index, i.kind) for i in check_authors(items)] == [(1, "split"), (6, "split")]
