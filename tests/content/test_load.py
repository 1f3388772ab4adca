"""Each kind of content mistake gives the exact message a contributor sees: file:line: field: message (hint)."""

from pathlib import Path

import pytest

from generator.content import check_content, load_map
from generator.content.problems import ContentError

OSTERG = "content/studies/osterg-2019.yml"


@pytest.fixture(autouse=True)
def _in_tmp(content: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(content.parent)  # paths in messages are shown relative to the working folder


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def problems(content: Path) -> list[str]:
    emap, found = check_content(content)
    assert emap is None
    return [str(p) for p in found]


def test_fixture_is_valid(content: Path):
    emap = load_map(content)
    assert [s.id for s in emap.studies] == ["nguyen-smith-2022", "osullivan-2021", "osterg-2019", "silva-2020",
                                            "tanaka-et-al-2018"]
    assert [t.id for t in emap.themes] == ["participation", "wellbeing", "costs"]  # by order, not file name
    assert emap.study("osterg-2019").facets == {"intervention": ("digital",), "study-type": ("trial",)}
    assert emap.study("nguyen-smith-2022").facets["intervention"] is None  # null = not reported
    assert emap.study("osterg-2019").volume == "7"  # numbers accepted where text is expected


@pytest.mark.parametrize("old, new, expected", [
    ("study-type: trial", "study-type: survey",
     f"{OSTERG}:12: facets.study-type: unknown value 'survey' for Study type "
     "(hint: allowed: trial, cohort, qualitative)"),
    ("intervention: [digital]", "intervention: [digitl]",
     f"{OSTERG}:11: facets.intervention: unknown value 'digitl' for Intervention "
     "(hint: did you mean 'digital'? allowed: befriending, digital, group)"),
    ("  wellbeing: Loneliness", "  wellbeeing: Loneliness",
     f"{OSTERG}:17: themes.wellbeeing: unknown theme 'wellbeeing' (hint: did you mean 'wellbeing'?)"),
    ("journal: Journal of Ageing Studies\n", "",
     f"{OSTERG}:1: journal: required field is missing (hint: add 'journal: ...')"),
    ("year: 2019", "year: twenty",
     f"{OSTERG}:3: year: expected a whole number, got 'twenty'"),
    ("journal:", "jornal:",
     [f"{OSTERG}:1: journal: required field is missing (hint: add 'journal: ...')",
      f"{OSTERG}:4: jornal: unknown field 'jornal' (hint: did you mean 'journal'?)"]),
    ("countries: [DK, SE]", "countries: [DK, UK]",
     f"{OSTERG}:9: countries[1]: 'UK' is not an ISO 3166-1 country code "
     "(hint: use 'GB' (United Kingdom); regions go in 'region')"),
    ("countries: [DK, SE]", "countries: [dk]",
     f"{OSTERG}:9: countries[0]: 'dk' is not an ISO 3166-1 country code (hint: write it in capitals: 'DK')"),
    ("doi: 10.5555/osterg.2019", "doi: https://doi.org/10.5555/osterg.2019",
     f"{OSTERG}:8: doi: 'https://doi.org/10.5555/osterg.2019' is not a DOI "
     "(hint: write the DOI alone, e.g. 10.1080/13691450802567416 (no https://doi.org/))"),
    ("title: \"Video", "url: javascript:alert(1)\ntitle: \"Video",
     f"{OSTERG}:1: url: 'javascript:alert(1)' is not a web address "
     "(hint: only http:// and https:// addresses are accepted)"),
    ("  study-type: trial", "  study-type: [trial, cohort]",
     f"{OSTERG}:12: facets.study-type: takes one value, got 2 (hint: 'study-type' is not a multiple facet in review.yml)"),
    ("  study-type: trial\n", "",
     f"{OSTERG}:10: facets.study-type: missing facet 'study-type' (Study type) "
     "(hint: add 'study-type: null' if the study does not report it)"),
    ("  study-type: trial", "  study-type: trial\n  colour: blue",
     f"{OSTERG}:13: facets.colour: unknown facet 'colour' (hint: facets of this review: intervention, study-type)"),
    ("authors: [\"Østergaard, K.\", \"Berg, L.\"]", "authors: Østergaard, K.",
     f"{OSTERG}:2: authors: expected a list, got text (hint: write a list, each name in quotes: "
     'authors: ["Østergaard, K."])'),
    ("sample: {size: 120,", "sample: {size: -1,",
     f"{OSTERG}:13: sample.size: -1 is out of range (at least 0)"),
])
def test_study_mistakes(content: Path, old: str, new: str, expected: str | list[str]):
    edit(content / "studies/osterg-2019.yml", old, new)
    assert problems(content) == (expected if isinstance(expected, list) else [expected])


def test_bad_file_names(content: Path):
    (content / "studies/silva-2020.yml").rename(content / "studies/Silva 2020.yml")
    (content / "studies/tanaka-et-al-2018.yml").rename(content / "studies/tanaka-et-al-2018.yaml")
    assert problems(content) == [
        "content/review.yml:38: prisma.included_studies: is 5, but there are 3 study files "
        "(hint: update the PRISMA counts when you add or remove a study)",
        "content/studies/Silva 2020.yml: bad file name: 'Silva 2020' is not a valid study id "
        "(lowercase letters, digits, hyphens) (hint: rename it to silva-2020.yml)",
        "content/studies/tanaka-et-al-2018.yaml: bad file name: a study file must end in .yml "
        "(hint: rename it to tanaka-et-al-2018.yml)",
        "content/themes/participation.md:6: citation: no study with id 'silva-2020' "
        "(hint: cite a file name from content/studies/ without .yml)",
        "content/themes/wellbeing.md:7: citation: no study with id 'tanaka-et-al-2018' "
        "(hint: cite a file name from content/studies/ without .yml)",
    ]


def test_citation_without_study_names_the_theme_line(content: Path):
    edit(content / "themes/participation.md", "[@nguyen-smith-2022]", "[@nguyen-smyth-2022; @silva-2020]")
    assert problems(content) == [
        "content/themes/participation.md:11: citation: no study with id 'nguyen-smyth-2022' "
        "(hint: did you mean '@nguyen-smith-2022'?)"
    ]


def test_theme_front_matter_mistakes(content: Path):
    edit(content / "themes/costs.md", "order: 3", "order: [3")
    edit(content / "themes/wellbeing.md", "title: Wellbeing outcomes\n", "")
    (content / "themes/gaps.md").write_text("No front matter here.\n", encoding="utf-8")
    assert problems(content) == [
        "content/themes/costs.md:4: invalid YAML: did not find expected ',' or ']' (line 4, column 8) "
        "(hint: check indentation, and quote text containing ': ' or '#')",
        "content/themes/gaps.md:1: front matter is missing "
        "(hint: start the file with '---', then title: and summary:, then '---')",
        "content/themes/wellbeing.md:2: title: required field is missing (hint: add 'title: ...')",
    ]


def test_review_mistakes(content: Path):
    edit(content / "review.yml", "included_studies: 5", "included_studies: 6")
    edit(content / "review.yml", "columns: [intervention,", "columns: [interventions,")
    edit(content / "review.yml", "{MEDLINE: 120,", "{Medline: 120,")
    assert problems(content) == [
        "content/review.yml:27: matrix.columns[0]: unknown dimension 'interventions' "
        "(hint: choose from: intervention, study-type, themes, country, year)",
        "content/review.yml:29: prisma.databases: 'Medline' is not among search.databases "
        "(hint: name it as in search.databases: MEDLINE, CINAHL)",
        "content/review.yml:38: prisma: assessed (18) − excluded (13) = 5, but included_studies is 6 "
        "(hint: check the counts against the review's flow diagram)",
        "content/review.yml:38: prisma.included_studies: is 6, but there are 5 study files "
        "(hint: update the PRISMA counts when you add or remove a study)",
    ]


@pytest.mark.parametrize("builtin", ["country", "year", "themes", "appraisal"])
def test_a_facet_named_like_a_built_in_dimension_is_refused_with_another_id_to_give(content: Path, builtin: str):
    """The matrix, the index's filters and their addresses (?f-country=FR) would take one for the other."""
    edit(content / "review.yml", "facets:\n", f"facets:\n  {builtin}:\n    label: Mine\n    values: {{a: A}}\n")
    expected = (f"content/review.yml:12: facets.{builtin}: '{builtin}' is the name of a built-in dimension (themes, "
                f"country, year, appraisal) (hint: give the facet another id, e.g. '{builtin}-coded'; its label can "
                "stay)")
    assert expected in problems(content)


def test_every_problem_is_reported_at_once(content: Path):
    edit(content / "studies/osterg-2019.yml", "year: 2019", "year: twenty")
    edit(content / "studies/silva-2020.yml", "countries: [BR]", "countries: [XX]")
    edit(content / "review.yml", "included_studies: 5", "included_studies: 4")
    found = problems(content)
    assert len(found) == 4  # the wrong count also breaks the PRISMA arithmetic
    with pytest.raises(ContentError) as info:
        load_map(content)
    assert str(info.value).startswith("4 problem(s) in content:\ncontent/review.yml:38:")


@pytest.mark.parametrize("text, expected", [
    ("", "content/studies/silva-2020.yml: the file is empty (hint: see the template in docs/format)"),
    ("- a\n- b\n", "content/studies/silva-2020.yml:1: the top level must be a mapping of fields, got a list "
                   "(hint: start each line with a field name, e.g. 'title: ...')"),
])
def test_files_that_are_not_studies(content: Path, text: str, expected: str):
    (content / "studies/silva-2020.yml").write_text(text, encoding="utf-8")
    found = problems(content)
    assert expected in found


def test_duplicate_doi_is_a_warning(content: Path):
    edit(content / "studies/osullivan-2021.yml", "journal:", "doi: 10.5555/OSTERG.2019\njournal:")
    emap, found = check_content(content)
    assert emap is not None
    assert [str(p) for p in found] == [
        "content/studies/osterg-2019.yml: warning: doi: same DOI as osullivan-2021 (hint: is this the same study twice?)",
        "content/studies/osullivan-2021.yml: warning: doi: same DOI as osterg-2019 (hint: is this the same study twice?)",
    ]
