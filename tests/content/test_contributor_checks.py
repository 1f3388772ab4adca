"""What a contributor adding a study meets: placeholders, PRISMA counts, syntheses that fall behind, YAML mistakes,
impossible years and DOIs. Each message is checked word for word, as the contributor reads it."""

import datetime as _dt
import re
import shutil
from pathlib import Path

import pytest
from test_load import edit

from conftest import ROOT
from generator.content import check_content
from generator.content.problems import strict
from generator.content.yamlsource import load_yaml

TODAY = _dt.date(2026, 11, 30)
NEW = "content/studies/berg-2025.yml"
REVIEW = "content/review.yml"
GUIDE = "see 'Update the PRISMA counts' in docs/contributing.md"
STUDY = """title: Singing together
authors: ["Berg, L."]
year: 2025
journal: Community Arts Review
countries: [SE]
facets:
  intervention: [group]
  study-type: qualitative
summary: A choir for people living alone.
themes:
  wellbeing: Members felt less lonely after a season.
"""


@pytest.fixture(autouse=True)
def _in_tmp(content: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(content.parent)  # paths in messages are shown relative to the working folder


def messages(content: Path, today: _dt.date | None = TODAY) -> list[str]:
    return [str(p) for p in check_content(content, today)[1]]


def add_study(content: Path, text: str = STUDY, name: str = "berg-2025") -> Path:
    path = content / f"studies/{name}.yml"
    path.write_text(text, encoding="utf-8")
    # counted in the review's own search, and cited, so that only what a test changes is reported
    edit(content / "review.yml", "excluded: {total: 13, reasons: {Wrong population: 8,",
         "excluded: {total: 12, reasons: {Wrong population: 7,")
    edit(content / "review.yml", "included_studies: 5", "included_studies: 6")
    edit(content / "review.yml", "included_reports: 6", "included_reports: 7")
    edit(content / "themes/wellbeing.md", "[@tanaka-et-al-2018]", f"[@tanaka-et-al-2018; @{name}]")
    return path


def test_the_fixture_gives_no_message():
    assert messages(Path("content")) == []


# ---------------------------------------------------------------------------------------------- placeholders

@pytest.mark.parametrize("old, new, expected", [
    ("wellbeing: Members felt less lonely after a season.", "wellbeing: Wellbeing outcomes",
     f"{NEW}:11: warning: themes.wellbeing: the finding only repeats the theme's title (hint: write what this study "
     "found about Wellbeing outcomes, in your own words, or remove the line)"),
    ("wellbeing: Members felt less lonely after a season.", 'wellbeing: "TODO: what this study found about Wellbeing '
     'outcomes"',
     f"{NEW}:11: warning: themes.wellbeing: the finding is still the template's placeholder (hint: write what this "
     "study found about Wellbeing outcomes, in your own words, or remove the line)"),
    ("journal: Community Arts Review", "journal: TODO",
     f"{NEW}:4: warning: journal: is still the template's placeholder (hint: write the journal, or the publisher or "
     "source of a report)"),
    ("summary: A choir for people living alone.", "summary: TODO what the study did",
     f"{NEW}:9: warning: summary: is still the template's placeholder (hint: write what the paper reports, or null "
     "if it does not report it)"),
    ("  intervention: [group]\n  study-type: qualitative\nsummary: A choir for people living alone.",
     "  intervention: null\n  study-type: null\nsummary: null",
     f"{NEW}:6: warning: facets: every facet is null and there is no summary: the study's page would say nothing "
     "about it (hint: fill in the facets the paper reports and a summary of what the study did; null is for what it "
     "does not report)"),
])
def test_a_placeholder_is_a_warning_while_writing_and_an_error_in_the_pull_request_check(content, old, new, expected):
    edit(add_study(content), old, new)
    emap, found = check_content(content, TODAY)
    assert [str(p) for p in found] == [expected]
    assert emap is not None  # the preview still builds
    assert [str(p) for p in strict(found)] == [expected.replace(": warning: ", ": ")]
    assert not strict(found)[0].warning


@pytest.mark.parametrize("old, new", [
    ("wellbeing: Members felt less lonely after a season.", "wellbeing: Wellbeing improved for most members."),
    ("summary: A choir for people living alone.", "summary: null"),  # the facets still say something
    ("  intervention: [group]\n  study-type: qualitative", "  intervention: null\n  study-type: null"),  # a summary
    ("summary: A choir for people living alone.", "summary: A choir; the TODO list of its members was long."),
])
def test_written_text_is_not_taken_for_a_placeholder(content, old, new):
    edit(add_study(content), old, new)
    assert messages(content) == []


def test_the_template_placeholder_uncommented_is_caught(content):
    """The new-study template lists each theme as a comment; uncommented as it is, the line is caught."""
    from generator.content.load import load_outline
    from generator.content.scaffold import render

    review, themes, _ = load_outline(content)
    text = render(review, themes, ["Berg, L."], 2025, "Singing together")
    line = next(line for line in text.splitlines() if line.startswith("  # wellbeing: "))
    written = STUDY.replace("  wellbeing: Members felt less lonely after a season.", line.replace("# ", "", 1))
    add_study(content, written)
    assert messages(content) == [
        f"{NEW}:11: warning: themes.wellbeing: the finding is still the template's placeholder (hint: write what "
        "this study found about Wellbeing outcomes, in your own words, or remove the line)"]


# ---------------------------------------------------------------------------------------------- PRISMA

def test_a_placeholder_in_review_yml_is_named_where_it_is_and_refused_by_the_pull_request_check(content):
    """What `import` writes for a review it starts (title, question, databases) or for an appraisal tool an export
    does not name starts TODO: it must never reach readers."""
    edit(content / "review.yml", 'title: "Community interventions', 'title: "TODO: Community interventions')
    edit(content / "review.yml", 'citation: "', 'citation: "TODO: ')
    hint = "(hint: write the review's own text here; docs/format.md describes each field)"
    expected = [f"{REVIEW}:2: warning: title: is still a placeholder {hint}",
                f"{REVIEW}:6: warning: published.citation: is still a placeholder {hint}"]
    emap, found = check_content(content, TODAY)
    assert [str(p) for p in found] == expected and emap is not None  # the preview still builds
    assert [str(p) for p in strict(found)] == [e.replace(": warning: ", ": ") for e in expected]


def test_review_text_that_mentions_todo_is_not_a_placeholder(content):
    edit(content / "review.yml", "Which community interventions", "TODOs aside, which community interventions")
    assert messages(content) == []


def test_a_study_published_after_the_last_search_is_named_with_the_yaml_that_counts_it(content):
    (content / "studies/berg-2025.yml").write_text(STUDY, encoding="utf-8")  # the review searched until 2024-03-01
    edit(content / "themes/wellbeing.md", "[@tanaka-et-al-2018]", "[@tanaka-et-al-2018; @berg-2025]")
    assert messages(content) == [
        f"{REVIEW}:38: prisma.included_studies: is 5, but there are 6 study files (hint: berg-2025 (2025) was "
        "published after the last search (2024-03-01), so the review's search cannot have found it: count it in the "
        "other-methods arm: prisma.other_methods: {sources: {Citation searching: 1}, sought: 1, not_retrieved: 0, "
        "assessed: 1, excluded: {total: 0}} (name the source), and 1 more included_studies and included_reports; "
        f"{GUIDE})"]

    # raising included_studies alone: the boxes above it do not add up, and the hint says the same
    edit(content / "review.yml", "included_studies: 5", "included_studies: 6")
    edit(content / "review.yml", "included_reports: 6", "included_reports: 7")
    assert messages(content) == [
        f"{REVIEW}:38: prisma: assessed (18) − excluded (13) = 5, but included_studies is 6 (hint: berg-2025 (2025) "
        "was published after the last search (2024-03-01), so the review's search cannot have found it: count it in "
        "the other-methods arm: prisma.other_methods: {sources: {Citation searching: 1}, sought: 1, not_retrieved: 0, "
        f"assessed: 1, excluded: {{total: 0}}}} (name the source); {GUIDE})"]

    # the YAML shown, pasted under prisma:, is all that is left to do
    edit(content / "review.yml", "  included_studies: 6", "  other_methods: {sources: {Citation searching: 1}, "
         "sought: 1, not_retrieved: 0, assessed: 1, excluded: {total: 0}}\n  included_studies: 6")
    assert messages(content) == []


def test_without_a_late_study_both_cases_are_explained(content):
    (content / "studies/berg-2023.yml").write_text(STUDY.replace("year: 2025", "year: 2023"), encoding="utf-8")
    edit(content / "themes/wellbeing.md", "[@tanaka-et-al-2018]", "[@tanaka-et-al-2018; @berg-2023]")
    assert messages(content) == [
        f"{REVIEW}:38: prisma.included_studies: is 5, but there are 6 study files (hint: a study that the review's "
        "own search found belongs in the database arm (as a rule, one report fewer in prisma.excluded and one more "
        "included_studies); one found later or elsewhere, e.g. published after the last search (2024-03-01), under "
        f"prisma.other_methods; {GUIDE})"]
    edit(content / "review.yml", "included_studies: 5", "included_studies: 6")
    assert messages(content)[0] == (
        f"{REVIEW}:38: prisma: assessed (18) − excluded (13) = 5, but included_studies is 6 (hint: a study that the "
        "review's own search found belongs in the database arm (as a rule, one report fewer in prisma.excluded); one "
        "found later or elsewhere, e.g. published after the last search (2024-03-01), under prisma.other_methods; "
        f"{GUIDE})")


def test_a_late_study_the_other_methods_arm_already_counts_is_not_named_again(content):
    add_study(content)  # berg-2025, counted in the database arm by the helper: move it to other methods
    edit(content / "review.yml", "excluded: {total: 12, reasons: {Wrong population: 7,",
         "excluded: {total: 13, reasons: {Wrong population: 8,")
    edit(content / "review.yml", "  included_studies: 6", "  other_methods: {sources: {Websites: 1}, sought: 1, "
         "not_retrieved: 0, assessed: 1}\n  included_studies: 6")
    assert messages(content) == []
    (content / "studies/lund-2026.yml").write_text(STUDY.replace("Berg", "Lund").replace("2025", "2026"),
                                                   encoding="utf-8")
    edit(content / "themes/wellbeing.md", "@berg-2025]", "@berg-2025; @lund-2026]")
    assert messages(content) == [
        f"{REVIEW}:39: prisma.included_studies: is 6, but there are 7 study files (hint: berg-2025 (2025) and "
        "lund-2026 (2026) were published after the last search (2024-03-01), so the review's search cannot have "
        "found them: count them in prisma.other_methods, which includes 1 so far: 1 more in a source, in sought and "
        f"in assessed, and 1 more included_studies and included_reports; {GUIDE})"]


def test_fewer_study_files_than_included_studies_keeps_its_hint(content):
    (content / "studies/silva-2020.yml").unlink()
    edit(content / "themes/participation.md", "[@silva-2020]", "")
    assert messages(content)[-1] == (f"{REVIEW}:38: prisma.included_studies: is 5, but there are 4 study files "
                                     "(hint: update the PRISMA counts when you add or remove a study)")


# ---------------------------------------------------------------------------------------------- syntheses

@pytest.mark.parametrize("opening, said", [
    ("Three studies report on who takes part.", "Three studies"),
    ("In total, 3 included studies report on who takes part.", "In total, 3 included studies"),
    ("Who takes part is the question here. Three of the studies answer it.", "Three of the studies"),
])
def test_a_synthesis_that_states_a_count_is_told_when_the_map_has_more(content, opening, said):
    edit(content / "themes/participation.md", "Programmes reached", f"{opening} Programmes reached")
    assert messages(content) == []  # three studies contribute: the number is right
    add_study(content, STUDY.replace("  wellbeing:", "  participation:"))
    edit(content / "themes/participation.md", "[@silva-2020]", "[@silva-2020; @berg-2025]")
    assert messages(content) == [
        f"content/themes/participation.md:6: warning: synthesis: says '{said}', but 4 studies have findings on this "
        "theme (hint: revise the synthesis to cover the studies added since it was written (the theme page lists "
        "them), and update the number)"]


def test_a_contributing_study_the_synthesis_does_not_cite_is_named(content):
    add_study(content)
    edit(content / "themes/wellbeing.md", "; @berg-2025]", "]")
    assert messages(content) == [
        "content/themes/wellbeing.md:6: warning: synthesis: does not cite berg-2025, which has a finding on this "
        "theme (hint: cite it where the synthesis covers its finding, as [@berg-2025])"]
    edit(content / "themes/wellbeing.md", "[@osterg-2019; @osullivan-2021]", "[@osterg-2019]")
    assert messages(content) == [
        "content/themes/wellbeing.md:6: warning: synthesis: does not cite 2 studies that have findings on this theme: "
        "berg-2025 and osullivan-2021 (hint: cite each where the synthesis covers its finding, e.g. [@berg-2025])"]


@pytest.mark.parametrize("text", [
    "Programmes reached people.\n\n## Who was missed\n\nTwo studies looked at who was missed.",  # not the opening
    "One of the studies reached people already active.",  # one of them, not their number
    "Programmes reached people, and two studies found the same.",  # not where a sentence starts
    "Three qualitative studies reached people already active.",  # some of them
    "No included study reports costs.",
])
def test_numbers_that_are_not_the_themes_count_are_left_alone(content, text):
    theme = content / "themes/participation.md"
    front = theme.read_text(encoding="utf-8").split("---\n")[1]
    theme.write_text(f"---\n{front}---\n{text} [@silva-2020; @osterg-2019; @nguyen-smith-2022]\n", encoding="utf-8")
    assert messages(content) == []


def test_the_bundled_syntheses_give_no_warning():
    assert [str(p) for p in check_content(ROOT / "content", TODAY)[1]] == []


# ---------------------------------------------------------------------------------------------- YAML

@pytest.mark.parametrize("text, expected", [
    ("title: x\nfacets:\n\tdesign: qualitative\n",
     "x.yml:3: invalid YAML: a tab at line 3, column 1: YAML indents with spaces (hint: replace the tab with spaces)"),
    ("title: x\nfacets:\n  design: qualitative\n  \tsetting: practice\n",
     "x.yml:4: invalid YAML: a tab at line 4, column 3: YAML indents with spaces (hint: replace the tab with spaces)"),
    ('title: "Video calls\nauthors: [a]\nyear: 2019\n',
     'x.yml:1: invalid YAML: the text quoted at line 1, column 8 is never closed (hint: end it with a closing " on '
     'line 1; write \\" for a quote mark inside it)'),
    ('title: "Video calls\nauthors: [a]\nyear: 2019\njournal: J\nsummary: "A pilot"\n',
     'x.yml:1: invalid YAML: the text quoted at line 1, column 8 is not closed on that line: it runs on to line 5 '
     '(hint: end it with a closing " on line 1; write \\" for a quote mark inside it)'),
    ("title: 'Carers' views\nyear: 2019\n",  # closed early, by an apostrophe
     "x.yml:1: invalid YAML: the text quoted at line 1, column 8 ends at column 15, before the rest of the line "
     "(hint: write '' for an apostrophe inside it)"),
    ("authors: [a, b\nyear: 2019\n",  # other mistakes keep the parser's words
     "x.yml:2: invalid YAML: did not find expected ',' or ']' (line 2, column 5) (hint: check indentation, and quote "
     "text containing ': ' or '#')"),
])
def test_yaml_mistakes_are_named_where_they_are(text, expected):
    assert [str(p) for p in load_yaml(text, "x.yml").problems] == [expected]


def test_a_quoted_title_over_two_lines_is_not_taken_for_an_open_quote():
    assert load_yaml('title: "Video calls\n  and loneliness"\nyear: 2019\n', "x.yml").problems == []


@pytest.mark.parametrize("written", ["themes: [wellbeing]", "themes:\n  - wellbeing"])
def test_a_list_where_a_mapping_is_expected_shows_the_right_shape(content, written):
    path = add_study(content)
    edit(path, "themes:\n  wellbeing: Members felt less lonely after a season.", written)
    assert messages(content) == [
        f"{NEW}:10: themes: expected a mapping of fields, got a list (hint: write one entry a line, indented under it, "
        "as shown below)\n"
        "    themes:\n"
        "      wellbeing: What this study found on this theme, in your own words."]


@pytest.mark.parametrize("old, new, expected", [
    ("themes:\n  wellbeing: Members felt less lonely after a season.", "themes: [Wellbeing outcomes]",
     f"{NEW}:10: themes: expected a mapping of fields, got a list (hint: write one entry a line, indented under it, "
     "as shown below)\n    themes:\n      theme-id: What this study found on this theme, in your own words."),
    ("facets:\n  intervention: [group]\n  study-type: qualitative", "facets: [group, qualitative]",
     f"{NEW}:6: facets: expected a mapping of fields, got a list (hint: write one entry a line, indented under it, "
     "as shown below)\n    facets:\n      facet-id: value-id"),
    ("summary:", "sample: 120\nsummary:",
     f"{NEW}:9: sample: expected a mapping of fields, got a number (hint: write one entry a line, indented under it, "
     "as shown below)\n    sample:\n      size: ..."),
])
def test_the_example_names_an_entry_only_by_an_id_the_file_gives(content, old, new, expected):
    edit(add_study(content), old, new)
    assert messages(content) == [expected]


# ---------------------------------------------------------------------------------------------- years and DOIs

def test_a_year_after_next_year_is_an_error(content):
    path = add_study(content)
    edit(path, "year: 2025", "year: 2028")
    assert messages(content) == [
        f"{NEW}:3: year: 2028 is after next year (2027) (hint: write the year the study was published (for one in "
        "press, the year it is due))"]
    edit(path, "year: 2028", "year: 2027")  # in press
    edit(content / "review.yml", "last_search: 2024-03-01", "last_search: 2026-11-01")
    assert messages(content) == []


def test_next_year_follows_the_date_the_caller_gives(content):
    edit(add_study(content), "year: 2025", "year: 2091")
    assert messages(content, _dt.date(2090, 1, 1)) == []
    assert messages(content, None) == []  # no date given: no such check
    assert messages(content, _dt.date(2089, 12, 31)) == [
        f"{NEW}:3: year: 2091 is after next year (2090) (hint: write the year the study was published (for one in "
        "press, the year it is due))"]


@pytest.mark.parametrize("doi, expected", [
    ("10.5555/osterg.2019.", "'10.5555/osterg.2019.' ends in '.', which is not part of the DOI (hint: remove it, "
                             "leaving 10.5555/osterg.2019)"),
    ("'10.5555/osterg.2019;'", "'10.5555/osterg.2019;' ends in ';', which is not part of the DOI (hint: remove it, "
                               "leaving 10.5555/osterg.2019)"),
    ("10.5555/osterg.2019.,", "'10.5555/osterg.2019.,' ends in '.,', which is not part of the DOI (hint: remove it, "
                              "leaving 10.5555/osterg.2019)"),
])
def test_a_doi_with_trailing_punctuation_is_an_error_with_the_fix(content, doi, expected):
    edit(content / "studies/osterg-2019.yml", "doi: 10.5555/osterg.2019", f"doi: {doi}")
    assert messages(content) == [f"content/studies/osterg-2019.yml:8: doi: {expected}"]


def test_the_reviews_doi_is_held_to_the_same_rule(content):
    edit(content / "review.yml", "doi: 10.5555/fixture.2024.1", "doi: 10.5555/fixture.2024.1.")
    assert messages(content) == [
        f"{REVIEW}:7: published.doi: '10.5555/fixture.2024.1.' ends in '.', which is not part of the DOI (hint: "
        "remove it, leaving 10.5555/fixture.2024.1)"]


# ---------------------------------------------------------------------------------------------- the guide

def test_the_guides_worked_example_is_what_validate_says_and_its_yaml_is_all_that_is_needed(tmp_path, monkeypatch):
    guide = (ROOT / "docs/contributing.md").read_text(encoding="utf-8")
    section = guide[guide.index("## 3. Update the PRISMA counts"):guide.index("## 4.")]
    blocks = section.split("```")[1::2]  # the code blocks, each starting with its language
    text_at = next(i for i, b in enumerate(blocks) if b.startswith("text\n"))
    shown = " ".join(blocks[text_at].removeprefix("text\n").split())
    yaml_block = blocks[text_at + 1].removeprefix("yaml\n")
    content = tmp_path / "bundled" / "content"  # tmp_path/content is the other fixture review
    shutil.copytree(ROOT / "content", content)
    monkeypatch.chdir(content.parent)
    (content / "studies/smith-2019.yml").write_text(STUDY.replace("Berg, L.", "Smith, J.").replace(
        "year: 2025", "year: 2019").replace("[SE]", "[GB]").replace(
        "  intervention: [group]\n  study-type: qualitative", "  design: qualitative\n  setting: [practice]\n"
        "  participants: [students]\n  methods: [interviews]").replace("wellbeing:", "outcomes:"), encoding="utf-8")
    errors = [str(p) for p in check_content(content, TODAY)[1] if not p.warning]
    line = re.search(r"^content/review.yml:(\d+):", errors[0]).group(1)
    assert errors == [shown.replace("content/review.yml:90:", f"content/review.yml:{line}:")]

    review = content / "review.yml"
    text = review.read_text(encoding="utf-8")
    for count in ("included_studies", "included_reports"):
        text = text.replace(f"  {count}: 11\n", f"  {count}: 12\n")
    review.write_text(text + yaml_block[yaml_block.index("  other_methods:"):], encoding="utf-8")
    assert [str(p) for p in check_content(content, TODAY)[1] if not p.warning] == []
