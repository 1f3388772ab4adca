"""Property-based tests (hypothesis): whatever a contributor writes, loading and validating it ends in a model or
a list of problems — never an unhandled exception, never a hang."""

from __future__ import annotations

import datetime
import shutil
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SITES
from generator.content import check_content
from generator.problems import Problem
from generator.schema import ReviewFile, StudyFile
from generator.validate import validate_model
from generator.yamlsource import load_yaml, read_text

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=40),
                    st.dates(min_value=datetime.date(1, 1, 1)))
yaml_data = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=5), st.dictionaries(st.text(max_size=12), inner, max_size=6)), max_leaves=30)
STUDY_KEYS = list(StudyFile.model_fields)
study_like = st.dictionaries(st.sampled_from(STUDY_KEYS), yaml_data, max_size=len(STUDY_KEYS))


def outcome(text: str, model) -> None:
    loaded = load_yaml(text, "f.yml")
    assert all(isinstance(p, Problem) and p.path == "f.yml" for p in loaded.problems)
    if loaded.problems:
        return
    obj, problems = validate_model(model, loaded, "f.yml")
    assert (obj is None) == bool(problems)
    for p in problems:
        assert isinstance(p, Problem) and str(p).startswith("f.yml")


@SETTINGS
@given(st.text(max_size=3000))
def test_any_text_is_a_study_or_a_list_of_problems(text):
    outcome(text, StudyFile)


@SETTINGS
@given(st.binary(max_size=3000))
def test_any_bytes_are_read_or_refused(raw):
    text, problems = read_text(raw, "f.yml")
    assert (text is None) == bool(problems)
    if text is not None:
        outcome(text, StudyFile)


@SETTINGS
@given(yaml_data)
def test_any_yaml_shaped_data_is_a_review_or_a_list_of_problems(data):
    outcome(yaml.safe_dump(data, allow_unicode=True), ReviewFile)


@SETTINGS
@given(study_like)
def test_study_fields_with_any_values(data):
    outcome(yaml.safe_dump(data, allow_unicode=True), StudyFile)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(study_like)
def test_the_whole_check_survives_any_study_file(data):
    """Through cross-checks too (facet values, themes, countries, citations, PRISMA): problems, not exceptions."""
    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp) / "content"
        shutil.copytree(SITES / "other/content", content)
        (content / "studies/silva-2020.yml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        emap, problems = check_content(content)
        assert emap is not None or any(not p.warning for p in problems)
        assert all(isinstance(p, Problem) for p in problems)
