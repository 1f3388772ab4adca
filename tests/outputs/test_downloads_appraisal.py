"""Downloads of a map with grouped facets and appraisal (tests/sites/egm): studies.json writes each facet as review.yml
does, and every file carries the ratings; a map without appraisal says nothing of it."""

from __future__ import annotations

import csv
import io
import json

import bibtexparser
import rispy
import yaml
from jsonschema import Draft202012Validator

from conftest import ROOT, SITES
from generator.content import load_map
from generator.content.schema_export import schema_of
from generator.outputs.downloads import bibtex, datapackage, ris, studies_csv, studies_json

EGM_DIR = SITES / "egm" / "content"
EGM = load_map(EGM_DIR)
BUNDLED = load_map(ROOT / "content")


def test_studies_json_writes_each_facet_as_review_yml_does():
    data = json.loads(studies_json(EGM))
    review = yaml.safe_load((EGM_DIR / "review.yml").read_text(encoding="utf-8"))
    assert data["facets"] == review["facets"]  # categories, descriptions and the short form, in the same order
    assert list(data["facets"]["intervention"]["values"])[:2] == ["training", "guidance"]
    assert data["appraisal"] == review["appraisal"]
    assert not list(Draft202012Validator(schema_of("studies.schema.json")).iter_errors(data))


def test_studies_json_gives_each_study_its_appraisal_or_null():
    studies = {s["id"]: s for s in json.loads(studies_json(EGM))["studies"]}
    assert studies["osei-2021"]["appraisal"] == {
        "rating": "high",
        "rationale": "Randomised with **low attrition** (6%); outcomes from <records>, not self-report."}
    assert studies["haddad-2023"]["appraisal"] is None


def test_a_map_without_appraisal_writes_nothing_of_it():
    data = json.loads(studies_json(BUNDLED))
    assert "appraisal" not in data and not any("appraisal" in s for s in data["studies"])
    assert "appraisal" not in studies_csv(BUNDLED).splitlines()[0]
    assert "Appraisal" not in ris(BUNDLED.studies) and "annote" not in bibtex(BUNDLED.studies)


def test_studies_csv_keeps_code_labels_and_puts_the_appraisal_last():
    rows = list(csv.reader(io.StringIO(studies_csv(EGM))))
    header = rows[0]
    bundled_header = next(csv.reader(io.StringIO(studies_csv(BUNDLED))))
    # the columns every map has keep their places; the appraisal's two come after them
    assert header[-3:] == ["inferred", "appraisal", "appraisal_rationale"]
    assert header[:13] == bundled_header[:13] and bundled_header[-1] == "inferred"
    by_id = {r[0]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    assert by_id["osei-2021"]["intervention"] == "Workshops; Mentoring"
    assert by_id["osei-2021"]["appraisal"] == "High confidence"
    assert by_id["osei-2021"]["appraisal_rationale"].startswith("Randomised with **low attrition**")
    assert by_id["haddad-2023"]["appraisal"] == "" and by_id["haddad-2023"]["appraisal_rationale"] == ""


def test_the_data_package_describes_the_appraisal_columns():
    fields = json.loads(datapackage(EGM))["resources"][0]["schema"]["fields"]
    assert [f["name"] for f in fields][-2:] == ["appraisal", "appraisal_rationale"]
    assert "Confidence in study findings (fixture tool)" in fields[-2]["description"]


def test_references_carry_the_rating_in_a_note():
    records = {r["id"]: r for r in rispy.loads(ris(EGM.studies))}
    tool = "Confidence in study findings (fixture tool)"
    assert records["osei-2021"]["notes"] == ["Evidence map: Osei & Mensah, 2021", f"Appraisal ({tool}): High confidence"]
    assert records["haddad-2023"]["notes"] == ["Evidence map: Haddad, 2023"]
    entries = {e.key: e for e in bibtexparser.parse_string(bibtex(EGM.studies)).entries}
    assert entries["osei-2021"]["annote"] == f"Appraisal ({tool}): High confidence"
    assert "annote" not in entries["haddad-2023"].fields_dict
