"""A study's `inferred:` list: the fields whose values the map's authors inferred rather than found in the source.
Each message is checked word for word, as the contributor reads it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from conftest import ROOT
from generator.content import check_content, load_map

SILVA = "content/studies/silva-2020.yml"
ALLOWED = ("allowed: countries, region, facets.intervention, facets.study-type, sample.size, "
           "sample.description")
NOTES = "notes: The country is inferred from the review's table of sites.\n"


@pytest.fixture(autouse=True)
def _in_tmp(content: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(content.parent)  # paths in messages are shown relative to the working folder


def silva(content: Path, extra: str) -> None:
    """silva-2020.yml (10 lines: no region, no sample, no notes) with `extra` from line 11."""
    path = content / "studies/silva-2020.yml"
    path.write_text(path.read_text(encoding="utf-8") + extra, encoding="utf-8")


def messages(content: Path) -> list[str]:
    return [str(p) for p in check_content(content)[1]]


def test_inferred_fields_reach_the_model_in_the_order_pages_show_them(content: Path):
    silva(content, "inferred: [facets.study-type, countries]\n" + NOTES)
    assert messages(content) == []
    emap = load_map(content)
    assert emap.study("silva-2020").inferred == ("countries", "facets.study-type")
    assert emap.study("osullivan-2021").inferred == ()


def test_every_inferable_field_is_accepted_when_the_study_fills_it(content: Path):
    silva(content, "region: Ceará\nsample: {size: 40, description: Day-centre members}\n"
                   "inferred: [sample.description, sample.size, region, facets.intervention, countries]\n" + NOTES)
    assert messages(content) == []
    assert load_map(content).study("silva-2020").inferred == (
        "countries", "region", "facets.intervention", "sample.size", "sample.description")


@pytest.mark.parametrize("inferred, expected", [
    ("[countries, facets.study-typ]",
     f"{SILVA}:11: inferred[1]: 'facets.study-typ' is not a field of a study in this review (hint: did you mean "
     f"'facets.study-type'? {ALLOWED})"),
    ("[facets.design]",
     f"{SILVA}:11: inferred[0]: 'facets.design' is not a field of a study in this review (hint: {ALLOWED})"),
    ("[sample]",
     f"{SILVA}:11: inferred[0]: 'sample' holds several fields: name the one whose value is inferred (hint: e.g. "
     f"'sample.size'; {ALLOWED})"),
    ("[facets]",
     f"{SILVA}:11: inferred[0]: 'facets' holds several fields: name the one whose value is inferred (hint: e.g. "
     f"'facets.intervention'; {ALLOWED})"),
    ("[title]",
     f"{SILVA}:11: inferred[0]: 'title' cannot be marked inferred: only the study's characteristics can "
     f"(hint: {ALLOWED})"),
    ("[summary]",
     f"{SILVA}:11: inferred[0]: 'summary' cannot be marked inferred: only the study's characteristics can "
     f"(hint: {ALLOWED})"),
    ("[region]",
     f"{SILVA}:11: inferred[0]: 'region' is null (not reported) in this study: it holds no value to mark (hint: "
     "write the inferred value in region, or remove 'region' from inferred)"),
    ("[countries, sample.size]",
     f"{SILVA}:11: inferred[1]: 'sample.size' is null (not reported) in this study: it holds no value to mark "
     "(hint: write the inferred value in sample.size, or remove 'sample.size' from inferred)"),
    ("[countries, facets.study-type, countries]",
     f"{SILVA}:11: inferred[2]: 'countries' is listed twice (hint: list each field once)"),
    ("countries",
     f"{SILVA}:11: inferred: expected a list, got text (hint: write it as [countries])"),
])
def test_each_wrong_path_is_named_with_its_line_and_the_allowed_paths(content: Path, inferred: str, expected: str):
    silva(content, f"inferred: {inferred}\n" + NOTES)
    assert messages(content) == [expected]


def test_a_null_facet_cannot_be_marked(content: Path):
    path = content / "studies/silva-2020.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("study-type: qualitative", "study-type: null"),
                    encoding="utf-8")
    silva(content, "inferred: [facets.study-type]\n" + NOTES)
    assert messages(content) == [
        f"{SILVA}:11: inferred[0]: 'facets.study-type' is null (not reported) in this study: it holds no value to "
        "mark (hint: write the inferred value in facets.study-type, or remove 'facets.study-type' from inferred)"]


def test_each_item_of_a_block_list_is_named_at_its_own_line(content: Path):
    silva(content, "inferred:\n  - countries\n  - region\n  - countries\n" + NOTES)
    assert messages(content) == [
        f"{SILVA}:13: inferred[1]: 'region' is null (not reported) in this study: it holds no value to mark (hint: "
        "write the inferred value in region, or remove 'region' from inferred)",
        f"{SILVA}:14: inferred[2]: 'countries' is listed twice (hint: list each field once)"]


def test_inferred_values_need_notes_saying_from_what(content: Path):
    silva(content, "inferred: [countries]\n")
    assert messages(content) == [
        f"{SILVA}:11: inferred: lists inferred values, but the study has no notes (hint: say in notes what each "
        "value is inferred from; the study page's 'inferred' labels link there)"]


def test_an_empty_list_is_the_same_as_none(content: Path):
    silva(content, "inferred: []\n")
    assert messages(content) == []
    assert load_map(content).study("silva-2020").inferred == ()


def test_the_published_schema_lets_editors_flag_a_wrong_shape_or_a_repeat():
    schema = json.loads((ROOT / "docs/schema/study.schema.json").read_text(encoding="utf-8"))
    validator = Draft202012Validator(schema)
    study = {"title": "T", "authors": ["Silva, A."], "year": 2020, "journal": "J", "countries": ["BR"]}

    def errors(inferred: list[str]) -> list[str]:
        return [e.message for e in validator.iter_errors({**study, "inferred": inferred})]

    assert errors(["countries", "region", "facets.study-type", "sample.size", "sample.description"]) == []
    assert errors(["countries", "countries"]) == ["['countries', 'countries'] has non-unique elements"]
    assert len(errors(["title"])) == 1 and len(errors(["facets.Design"])) == 1 and len(errors(["sample"])) == 1


def test_the_bundled_map_marks_the_values_its_notes_say_are_inferred():
    """The review's totals settle the UK studies' country and the designs, and Hughes's setting is read from "students'
    subsequent practice after qualification": each study's notes say so, and `inferred:` marks those values."""
    studies = load_map(ROOT / "content").studies
    assert {s.id: s.inferred for s in studies if s.inferred} == {
        "anghel-ramon-2009": ("facets.design",),
        "driessens-et-al-2016": ("facets.design",),
        "farrow-2014": ("countries", "facets.design"),
        "hughes-2017": ("countries", "facets.design", "facets.setting"),
        "rooney-et-al-2016": ("countries", "facets.design"),
        "tanner-et-al-2017": ("facets.design",),
    }
    words = {"countries": "the country", "facets.design": "the design", "facets.setting": "the setting"}
    for study in studies:
        for path in study.inferred:
            assert words[path] in (study.notes or "").lower(), (study.id, path)
