"""The JSON Schemas editors use: generated from the validator's model, and agreeing with it."""

import datetime
import json
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator

from conftest import ROOT, SITES
from generator.content.schema import ReviewFile, StudyFile
from generator.content.schema_export import SCHEMA_DIR, SCHEMAS, schema_text
from generator.content.validate import validate_model
from generator.content.yamlsource import load_yaml


def as_json(data):
    """What an editor sees: YAML dates are strings to a JSON Schema."""
    if isinstance(data, dict):
        return {k: as_json(v) for k, v in data.items()}
    if isinstance(data, list):
        return [as_json(v) for v in data]
    if isinstance(data, datetime.date):
        return data.isoformat()
    return data


def validator(name: str) -> Draft202012Validator:
    schema = json.loads((ROOT / SCHEMA_DIR / name).read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_committed_schemas_are_the_models(name):
    committed = (ROOT / SCHEMA_DIR / name).read_text(encoding="utf-8")
    assert committed == schema_text(name), "run: .venv/bin/python -m generator schema"


@pytest.mark.parametrize("path", sorted((ROOT / "content/studies").glob("*.yml")), ids=lambda p: p.name)
def test_every_bundled_study_names_the_schema_on_its_first_line(path: Path):
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=")
    assert (path.parent / first.split("$schema=", 1)[1]).resolve() == (ROOT / SCHEMA_DIR / "study.schema.json")


@pytest.mark.parametrize("path", sorted((ROOT / "content/studies").glob("*.yml")) + sorted(
    (SITES / "other/content/studies").glob("*.yml")), ids=lambda p: p.name)
def test_every_study_file_meets_the_study_schema(path: Path):
    data = as_json(yaml.safe_load(path.read_text(encoding="utf-8")))
    assert list(validator("study.schema.json").iter_errors(data)) == []


@pytest.mark.parametrize("path", [ROOT / "content/review.yml", SITES / "other/content/review.yml",
                                  SITES / "full/review.yml"], ids=lambda p: str(p.relative_to(ROOT)))
def test_every_review_file_meets_the_review_schema(path: Path):
    data = as_json(yaml.safe_load(path.read_text(encoding="utf-8")))
    assert list(validator("review.schema.json").iter_errors(data)) == []


STUDY = """title: A study
authors: ["Smith, J."]
year: 2020
journal: J
countries: [GB]
facets: {design: qualitative}
themes: {outcomes: null}
"""


@pytest.mark.parametrize("change, valid", [
    ({}, True),
    ({"doi": "10.1080/123", "url": "https://example.org/a", "volume": 12, "pages": "1-9"}, True),
    ({"sample": {"size": None, "description": "Students"}}, True),
    ({"facets": {"design": ["a", "b"], "setting": None}}, True),
    ({"colour": "blue"}, False),  # unknown field
    ({"title": None}, False),
    ({"title": "   "}, False),  # blank once stripped
    ({"authors": []}, False),
    ({"year": "20x0"}, False),
    ({"year": 1700}, False),
    ({"doi": "https://doi.org/10.1080/123"}, False),
    ({"url": "javascript:alert(1)"}, False),
    ({"countries": "GB"}, False),
    ({"sample": {"size": -1}}, False),
    ({"sample": {"n": 3}}, False),
    ({"facets": {"design": 3}}, False),
])
def test_study_schema_and_validator_agree(change, valid):
    data = {**yaml.safe_load(STUDY), **change}
    model, problems = validate_model(StudyFile, load_yaml(yaml.safe_dump(data), "s.yml"), "s.yml")
    schema_ok = validator("study.schema.json").is_valid(data)
    assert (model is not None, schema_ok) == (valid, valid), problems


REVIEW = (ROOT / "content/review.yml").read_text(encoding="utf-8")


@pytest.mark.parametrize("path, value, valid", [
    ((), None, True),
    (("prisma", "duplicates"), 3, True),
    (("prisma", "identified"), -1, False),
    (("prisma", "screened"), "many", False),
    (("prisma", "extra_box"), 1, False),
    (("facets", "Bad Id"), {"label": "x", "values": {"a": "A"}}, False),
    (("facets", "design", "values"), {}, False),
    (("matrix", "columns"), [], False),
    (("search", "databases"), [], False),
    (("search", "last_search"), "last spring", False),
    (("published", "doi"), "doi:10.1/x", False),
])
def test_review_schema_and_validator_agree(path, value, valid):
    data = yaml.safe_load(REVIEW)
    if path:
        node = data
        for key in path[:-1]:
            node = node.setdefault(key, {})
        node[path[-1]] = value
    model, problems = validate_model(ReviewFile, load_yaml(yaml.safe_dump(data), "r.yml"), "r.yml")
    schema_ok = validator("review.schema.json").is_valid(as_json(data))
    assert (model is not None, schema_ok) == (valid, valid), problems


def test_the_site_publishes_the_schemas(bundled_build):
    for name in SCHEMAS:
        assert json.loads((bundled_build.site / "schema" / name).read_text(encoding="utf-8"))["$schema"]
