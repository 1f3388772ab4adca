"""review.yml gains an import's facets, categories and codes without a line already there changing: comments, order,
quoting and blank lines are kept; what is written reads back as the format (facets-form) and validates."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from conftest import ROOT, SITES
from generator.content import schema
from generator.content.validate import validate_model
from generator.content.yamlsource import load_yaml
from generator.importers.facets_plan import Additions
from generator.importers.records import Category, Code, FacetSpec
from generator.importers.review_yml import MINIMAL, ReviewTextError, add_to_review

SETTING = FacetSpec("funding", "Funding: who paid?", True, (
    Code("public", "Public"),
    Category("private", 'Private "for-profit" & other', (Code("yes", "Yes #1"), Code("2020", "From 2020")),
             "Companies, trusts\nand charities."),
    Code("none", "None", "No funding reported.")), "Who funded the study.")


def add(text: str, additions: Additions, columns: bool = True) -> tuple[str, list[str]]:
    return add_to_review(text, load_yaml(text, "review.yml").data, additions, columns)


def only_added(old: str, new: str, flow: str | None = None) -> list[str]:
    """The lines of `new` that are not in `old`, failing if any line of `old` was changed or removed but for
    `flow`, a line holding a flow collection (added to where it is)."""
    diff = list(difflib.ndiff(old.splitlines(keepends=True), new.splitlines(keepends=True)))
    assert [line[2:] for line in diff if line.startswith("- ")] == ([flow] if flow else []), "a line changed"
    return [line[2:] for line in diff if line.startswith("+ ")]


def valid(text: str) -> dict:
    loaded = load_yaml(text, "review.yml")
    assert loaded.problems == []
    obj, problems = validate_model(schema.ReviewFile, loaded, "review.yml")
    assert problems == [] and obj is not None
    return loaded.data


def test_a_new_facet_with_categories_goes_at_the_end_of_facets_and_of_matrix_columns_and_nothing_else_moves():
    old = (ROOT / "content/review.yml").read_text(encoding="utf-8")
    new, changes = add(old, Additions(facets=[SETTING]))
    assert only_added(old, new, "  columns: [design, setting, participants, methods, country, year]\n") == [
        "  funding:\n",
        '    label: "Funding: who paid?"\n',
        '    description: "Who funded the study."\n',
        "    multiple: true\n",
        "    values:\n",
        '      public: "Public"\n',
        "      private:\n",
        '        label: "Private \\"for-profit\\" & other"\n',
        '        description: "Companies, trusts\\nand charities."\n',
        "        values:\n",
        '          "yes": "Yes #1"\n',  # a plain yes would read back as true, 2020 as a number
        '          "2020": "From 2020"\n',
        "      none:\n",
        '        label: "None"\n',
        '        description: "No funding reported."\n',
        "  columns: [design, setting, participants, methods, country, year, funding]\n"]
    data = valid(new)
    assert list(data["facets"]) == ["design", "setting", "participants", "methods", "funding"]
    assert data["facets"]["funding"]["values"]["private"]["values"] == {"yes": "Yes #1", "2020": "From 2020"}
    assert changes == ['facet funding ("Funding: who paid?", 4 codes in 1 category)',
                       "funding at the end of matrix.columns"]


def test_new_codes_and_categories_go_at_the_end_of_their_facet_or_category():
    old = (SITES / "other/content/review.yml").read_text(encoding="utf-8")
    old = old.replace("      group: Group activity\n", "      groups:\n        label: Groups\n        values:\n"
                      "          group: Group activity  # kept\n          choir: Choir\n")
    additions = Additions(values={("intervention", "groups"): [Code("walking", "Walking group")],
                                  ("intervention",): [Code("phone", "Phone calls"),
                                                      Category("arts", "Arts", (Code("painting", "Painting"),))],
                                  ("study-type",): [Code("survey", "Survey", "A questionnaire.")]})
    new, changes = add(old, additions)
    assert only_added(old, new) == ['          walking: "Walking group"\n', '      phone: "Phone calls"\n',
                                    "      arts:\n", '        label: "Arts"\n', "        values:\n",
                                    '          painting: "Painting"\n', "      survey:\n", '        label: "Survey"\n',
                                    '        description: "A questionnaire."\n']
    assert new.index("walking") < new.index("phone")  # the category's code, then the facet's next entry
    data = valid(new)
    assert list(data["facets"]["intervention"]["values"]) == ["befriending", "digital", "groups", "phone", "arts"]
    assert list(data["facets"]["intervention"]["values"]["groups"]["values"]) == ["group", "choir", "walking"]
    assert changes[:2] == ['code walking ("Walking group") in facet intervention, category groups',
                           'code phone ("Phone calls") in facet intervention']


def test_flow_values_and_a_block_list_of_columns_are_added_to_in_their_own_form():
    old = (SITES / "other/content/review.yml").read_text(encoding="utf-8").replace(
        "    values:\n      trial: Randomised trial\n      cohort: Cohort study\n      qualitative: Qualitative\n",
        "    values: {trial: Randomised trial, cohort: Cohort study}  # flow\n").replace(
        "  columns: [intervention, study-type, country, year]\n", "  columns:\n    - intervention\n    - year\n")
    new, _ = add(old, Additions(facets=[FacetSpec("x", "X", False, (Code("a", "A"),))],
                                values={("study-type",): [Code("survey", "Survey")]}))
    flow = "    values: {trial: Randomised trial, cohort: Cohort study}  # flow\n"
    assert only_added(old, new, flow)[-1] == "    - x\n"
    assert '    values: {trial: Randomised trial, cohort: Cohort study, survey: "Survey"}  # flow\n' in new
    data = valid(new)
    assert data["matrix"]["columns"] == ["intervention", "year", "x"]


def test_matrix_columns_are_left_alone_when_review_yml_has_none_or_when_asked():
    old = (SITES / "other/content/review.yml").read_text(encoding="utf-8")
    facet = FacetSpec("x", "X", False, (Code("a", "A"),))
    assert "x at the end of matrix.columns" not in add(old, Additions(facets=[facet]), columns=False)[1]
    without = old.replace("matrix:\n  columns: [intervention, study-type, country, year]\n", "")
    new, changes = add(without, Additions(facets=[facet]))
    assert "matrix" not in valid(new) and changes == ['facet x ("X", 1 code)']


@pytest.mark.parametrize("facets", ["facets: {}\n", "facets:   # none yet\n", "facets: null\n", ""])
def test_facets_made_a_block_when_empty_or_absent_in_the_format_s_place(facets: str):
    old = MINIMAL + facets + "prisma: null\n"
    new, _ = add(old, Additions(facets=[FacetSpec("design", "Design", False, (Code("rct", "RCT"),))]))
    data = valid(new)
    assert list(data) == ["title", "question", "authors", "search", "facets", "prisma"]
    assert data["facets"] == {"design": {"label": "Design", "multiple": False, "values": {"rct": "RCT"}}}
    if "#" in facets:
        assert "facets:  # none yet\n  design:\n" in new


def test_a_four_space_review_gets_four_space_facets():
    old = MINIMAL.replace("  databases", "    databases") + "facets:\n    a:\n        label: A\n        values:\n" \
        "            x: X\n"
    new, _ = add(old, Additions(facets=[FacetSpec("b", "B", False, (Code("y", "Y"),))],
                                values={("a",): [Code("z", "Z")]}))
    assert only_added(old, new) == ['            z: "Z"\n', "    b:\n", '        label: "B"\n',
                                    "        multiple: false\n", "        values:\n", '            y: "Y"\n']
    valid(new)


def test_a_review_written_in_a_form_it_cannot_add_to_is_refused_with_the_line_and_nothing_is_written():
    old = MINIMAL + "facets: {design: {label: Design, values: {a: A}}}\n"
    new, _ = add(old, Additions(values={("design",): [Code("b", "B")]}))
    assert valid(new)["facets"]["design"]["values"] == {"a": "A", "b": "B"}  # flow is added to in flow
    flow = '{title: T, question: Q, authors: [], search: {databases: [X]}, facets: null}\n'
    with pytest.raises(ReviewTextError) as refused:
        add(flow, Additions(facets=[FacetSpec("design", "Design", False, (Code("a", "A"),))]))
    assert (refused.value.message, refused.value.line) == (
        "`facets:` is written in a form the import cannot add to", 1)


def test_a_label_the_schema_refuses_is_named_before_anything_is_written():
    old = (SITES / "other/content/review.yml").read_text(encoding="utf-8")
    with pytest.raises(ReviewTextError) as refused:
        add(old, Additions(values={("intervention",): [Code("blank", "   ")]}))
    assert refused.value.message.startswith("with the import's additions, review.yml would not be valid: "
                                            "facets.intervention.values.blank")


def test_the_minimal_review_is_valid_and_says_what_to_fill_in(tmp_path: Path):
    data = valid(MINIMAL)
    assert data["title"].startswith("TODO") and data["search"]["databases"] == ["TODO: the databases searched"]
