"""Appraisal through the import: ratings matched to review.yml's levels by id, else by label; a rating the review's
tool lacks reported and not written; an existing rating never replaced (a different one is a conflict); the
export's tool added to a review.yml that has none, every line already there kept; a mapped CSV sheet's ratings."""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from generator.content.load import check_content, load_outline
from generator.importers.apply import plan_import, write_plan
from generator.importers.csv_table import read_csv_export
from generator.importers.mapping import read_mapping
from generator.importers.records import AppraisalSpec, Code, FacetSpec, ReadResult, Record

EGM = ROOT / "tests/sites/egm/content"
# An export's own tool: one level matches egm's by label, one by id, one matches none of egm's.
SPEC = AppraisalSpec("Confidence (export)", (Code("high-confidence", "high CONFIDENCE"), Code("low", "Poor"),
                                             Code("very-low", "Very low confidence", "Do not rely on it.")))


@pytest.fixture
def egm(tmp_path: Path) -> Path:
    target = tmp_path / "egm"
    shutil.copytree(EGM, target)
    return target


def rated(number: int, title: str, rating: str | None, rationale: str | None = None, year: int = 2020,
          reference: bool = True) -> Record:
    """A record with a rating; `reference`: with authors, a journal and a country (else what a file has already)."""
    given = {"journal": "Journal of Tests", "countries": ("GH",)} if reference else {}
    return Record(number, title, ("Mensah, K.",) if reference else (), year, appraisal_rating=rating,
                  appraisal_rationale=rationale, **given)


def plan(content: Path, records: list[Record], spec: AppraisalSpec | None = SPEC, **given):
    return plan_import(ReadResult("studies-json", records, appraisal=spec, **given), content)


def ratings(content: Path) -> dict[str, tuple[str, str | None] | None]:
    """Each study file's rating and rationale, as YAML reads them."""
    found = {}
    for path in sorted((content / "studies").glob("*.yml")):
        given = yaml.safe_load(path.read_text(encoding="utf-8")).get("appraisal")
        found[path.stem] = given and (given["rating"], given["rationale"])
    return found


def appraisal_problems(content: Path) -> list[str]:
    """What validate says of appraisal (the new studies lack what the records do not give: findings...), but for
    the placeholders the import writes where the export does not name a tool or describe a level."""
    return [str(p) for p in check_content(content)[1] if "appraisal" in f"{p.field} {p.message}" and
            not p.placeholder]


def test_ratings_are_matched_to_the_review_s_levels_by_id_or_label_and_an_unknown_one_is_reported(egm: Path):
    records = [rated(1, "Wage subsidies in Ghana", "high-confidence", "Randomised;\n\n**low** attrition."),
               rated(2, "Mentoring in Kenya", "low"), rated(3, "Grants in Uganda", "very-low", "Flawed."),
               rated(4, "Coaching in Nigeria", "very-low"), rated(5, "Not yet appraised", None)]
    result = plan(egm, records)
    assert (result.review, result.review_changes, result.conflicts) == (None, [], [])  # egm's tool gains nothing
    assert result.notices == [
        "appraisal rating 'Very low confidence' (very-low) of record(s) 3, 4 is not a level of review.yml's "
        "appraisal (high (High confidence), medium (Medium confidence), low (Low confidence), critically-low "
        "(Critically low confidence)): not written (hint: a tool's levels are fixed: rate the study by hand with one "
        "of them, or map the export's rating to one)"]
    write_plan(result, egm)
    got = ratings(egm)
    titles = {yaml.safe_load(text)["title"]: sid for sid, text in result.added.items()}
    assert {title: got[sid] for title, sid in titles.items()} == {
        "Wage subsidies in Ghana": ("high", "Randomised;\n\n**low** attrition."),  # by label, case ignored
        "Mentoring in Kenya": ("low", None),  # by id
        "Grants in Uganda": None, "Coaching in Nigeria": None, "Not yet appraised": None}
    hint = ("appraisal: null  # Confidence in study findings (fixture tool): one of high, medium, low, "
            "critically-low; null = not appraised\n")
    unrated = [sid for sid, text in result.added.items() if text.endswith(hint)]
    assert len(unrated) == 3  # the unknown ratings and the study not appraised: new-study's hint, no rating
    assert appraisal_problems(egm) == []
    again = plan(egm, records)
    assert (again.added, again.updated, again.conflicts) == ({}, {}, [])


def test_an_existing_rating_is_never_replaced_and_an_absent_or_null_one_is_filled(egm: Path):
    novak = egm / "studies/novak-2020.yml"  # a study whose file has no appraisal at all
    novak.write_text(novak.read_text(encoding="utf-8").split("appraisal:")[0], encoding="utf-8")
    berg = (egm / "studies/berg-lund-2019.yml").read_text(encoding="utf-8")
    records = [rated(1, "Internships in the public sector", "low", "Weak.", 2019, False),  # berg-lund: medium
               rated(2, "Peer support groups for young jobseekers", "high-confidence", "Strong.\n\nTwo.", 2023,
                     False),  # haddad-2023: null
               rated(3, "One-stop shops for school leavers", "low", None, 2020, False),  # novak-2020: absent
               rated(4, "Workshops & mentors: a <randomised> trial of job-readiness support", "high", None, 2021,
                     False)]
    result = plan(egm, records)
    assert [str(c) for c in result.conflicts] == [
        'berg-lund-2019: appraisal.rating is "medium" in the file, "low" in record 1: left as is']
    # osei-2021 is rated high already: the same rating, so nothing to do (its rationale stays its own)
    assert (sorted(result.updated), sorted(result.unchanged), result.notices) == (
        ["haddad-2023", "novak-2020"], ["berg-lund-2019", "osei-2021"], [])
    write_plan(result, egm)
    got = ratings(egm)
    assert (got["haddad-2023"], got["novak-2020"], got["osei-2021"][0]) == (
        ("high", "Strong.\n\nTwo."), ("low", None), "high")
    assert (egm / "studies/berg-lund-2019.yml").read_text(encoding="utf-8") == berg
    assert [str(p) for p in check_content(egm)[1]] == []
    again = plan(egm, records)
    assert (again.updated, len(again.conflicts)) == ({}, 1)


def test_a_review_without_appraisal_gains_the_export_s_tool_and_keeps_every_line(content: Path):
    review = content / "review.yml"
    before = review.read_text(encoding="utf-8")
    records = [rated(1, "Befriending by telephone", "high-confidence", "Clear."), rated(2, "Men's sheds", "low")]
    result = plan(content, records)
    assert result.review_changes == ['appraisal ("Confidence (export)", 3 levels: high-confidence, low, very-low)']
    assert result.notices == ["review.yml's new `appraisal:` says TODO where the export does not say what 'high "
                              "CONFIDENCE' means; what 'Poor' means: write them in review.yml before publishing"]
    diff = list(difflib.ndiff(before.splitlines(keepends=True), result.review.splitlines(keepends=True)))
    assert [d for d in diff if d.startswith("- ")] == []  # every line kept, in its place
    assert "".join(d[2:] for d in diff if d.startswith("+ ")) == (
        'appraisal:\n'
        '  tool: "Confidence (export)"\n'
        '  levels:\n'
        '    high-confidence:\n'
        '      label: "high CONFIDENCE"\n'
        '      description: "TODO: what this rating means"\n'
        '    low:\n'
        '      label: "Poor"\n'
        '      description: "TODO: what this rating means"\n'
        '    very-low:\n'
        '      label: "Very low confidence"\n'
        '      description: "Do not rely on it."\n')
    assert result.review.index("appraisal:") > result.review.index("facets:")  # after the facets, as format.md
    assert result.review.index("appraisal:") < result.review.index("matrix:")
    write_plan(result, content)
    assert sorted(v for v in ratings(content).values() if v) == [("high-confidence", "Clear."), ("low", None)]
    assert appraisal_problems(content) == []
    again = plan(content, records)
    assert (again.review, again.added, again.updated, again.conflicts) == (None, {}, {}, [])


def test_the_tool_follows_new_facets_and_a_review_yml_written_from_scratch_is_valid(tmp_path: Path):
    facet = FacetSpec("design", "Design", False, (Code("rct", "Randomised trial"),))
    result = plan(tmp_path / "content", [rated(1, "A trial", "low")], facets=(facet,))
    text = result.review
    assert text.index("search:") < text.index("facets:") < text.index("  design:") < text.index("appraisal:")
    assert yaml.safe_load(text)["appraisal"]["levels"]["low"] == {"label": "Poor",
                                                                  "description": "TODO: what this rating means"}
    write_plan(result, tmp_path / "content")
    assert ratings(tmp_path / "content") == {"mensah-2020": ("low", None)}


def test_ratings_without_levels_in_a_review_without_appraisal_are_reported(content: Path):
    result = plan(content, [rated(1, "Befriending by telephone", "high"), rated(2, "Men's sheds", "high")],
                  spec=None)
    assert (result.review, result.notices) == (None, [
        "appraisal rating 'high' of record(s) 1, 2: review.yml has no `appraisal:` and the export defines no "
        "levels: not written (hint: describe the tool and its levels in review.yml, then import again)"])
    assert all("appraisal" not in text for text in result.added.values())  # no hint either: no tool


# ---------------------------------------------------------------------------------------------- a mapped sheet

SHEET = """Title,Authors,Year,Journal,Country,Quality,Why
Wage subsidies in Ghana,"Mensah, K.",2020,Journal of Tests,GH,Good,"Randomised; low attrition."
Mentoring in Kenya,"Otieno, P.",2021,Journal of Tests,KE,critically low,
Grants in Uganda,"Ssali, J.",2022,Journal of Tests,UG,Not appraised,Ignored without a rating.
Coaching in Nigeria,"Okafor, C.",2019,Journal of Tests,NG,Dreadful,
"""
MAPPING = """columns:
  Title: title
  Authors: authors
  Year: year
  Journal: journal
  Country: countries
  Quality: {field: appraisal, tool: Team checklist, values: {Good: high, "Not appraised": null}}
  Why: appraisal_rationale
"""


def read_sheet(tmp_path: Path) -> ReadResult:
    (tmp_path / "sheet.csv").write_text(SHEET, encoding="utf-8")
    (tmp_path / "map.yml").write_text(MAPPING, encoding="utf-8")
    return read_csv_export(tmp_path / "sheet.csv", read_mapping(tmp_path / "map.yml"))


def test_a_sheet_s_ratings_go_through_the_mapping_s_values_or_become_levels_of_their_own(tmp_path: Path):
    result = read_sheet(tmp_path)
    assert [(r.appraisal_rating, r.appraisal_rationale) for r in result.records] == [
        ("high", "Randomised; low attrition."), ("critically-low", None), (None, None), ("dreadful", None)]
    assert result.appraisal == AppraisalSpec("Team checklist", (
        Code("high", "Good"), Code("critically-low", "critically low"), Code("dreadful", "Dreadful")))


def test_a_sheet_s_ratings_imported_into_a_review_with_a_tool(tmp_path: Path, egm: Path):
    result = plan_import(read_sheet(tmp_path), egm)
    assert result.review is None
    assert [n for n in result.notices if "appraisal" in n] == [
        "appraisal rating 'Dreadful' (dreadful) of record(s) 4 is not a level of review.yml's appraisal (high (High "
        "confidence), medium (Medium confidence), low (Low confidence), critically-low (Critically low confidence)): "
        "not written (hint: a tool's levels are fixed: rate the study by hand with one of them, or map the export's "
        "rating to one)"]
    write_plan(result, egm)
    got = ratings(egm)
    assert (got["mensah-2020"], got["otieno-2021"], got["ssali-2022"], got["okafor-2019"]) == (
        ("high", "Randomised; low attrition."), ("critically-low", None), None, None)


def test_a_sheet_s_ratings_imported_into_a_review_without_one_bring_the_tool_named_by_the_mapping(
        tmp_path: Path, content: Path):
    result = plan_import(read_sheet(tmp_path), content)
    assert result.review_changes == ['appraisal ("Team checklist", 3 levels: high, critically-low, dreadful)']
    write_plan(result, content)
    tool = load_outline(content)[0].appraisal
    assert (tool.tool, [(level.id, level.label) for level in tool.levels]) == (
        "Team checklist", [("high", "Good"), ("critically-low", "critically low"), ("dreadful", "Dreadful")])
    assert ratings(content)["okafor-2019"] == ("dreadful", None)
