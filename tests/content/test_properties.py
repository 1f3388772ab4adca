"""Property-based tests (hypothesis): whatever a contributor writes, loading and validating it ends in a model or
a list of problems — never an unhandled exception, never a hang."""

from __future__ import annotations

import datetime
import os
import shutil
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SITES
from generator.content import check_content
from generator.content.files import read_text
from generator.content.problems import Problem, display_path
from generator.content.schema import ReviewFile, StudyFile
from generator.content.validate import validate_model
from generator.content.yamlsource import MAX_NESTING, load_yaml

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


# ---------------------------------------------------------------------------------------------- hostile shapes

NESTED = f"nested more than {MAX_NESTING} levels deep"


def flow(opens: list[str]) -> str:
    """title: [{a: [ … x … ]}] — lists and mappings in brackets, as deep as `opens`."""
    return "title: " + "".join(opens) + "x" + "".join("]" if o == "[" else "}" for o in reversed(opens)) + "\n"


def block(kinds: list[str]) -> str:
    """The same nesting by indentation: '-' starts a list, 'a:' a mapping, each level two spaces deeper."""
    lines = [" " * (2 * depth) + ("-" if kind == "seq" else "a:") for depth, kind in enumerate(kinds)]
    return "\n".join(lines + [" " * (2 * len(kinds)) + "x"]) + "\n"


@SETTINGS
@given(st.lists(st.sampled_from(["[", "{a: "]), max_size=3 * MAX_NESTING), st.booleans())
def test_any_flow_nesting_is_read_or_refused_at_the_limit(opens, as_study):
    text = flow(opens)
    outcome(text, StudyFile)
    too_deep = 1 + len(opens) > MAX_NESTING  # the top-level mapping is a level
    assert any(NESTED in p.message for p in load_yaml(text, "f.yml").problems) == too_deep


@SETTINGS
@given(st.lists(st.sampled_from(["seq", "map"]), min_size=1, max_size=3 * MAX_NESTING))
def test_any_block_nesting_is_read_or_refused_at_the_limit(kinds):
    text = block(kinds)
    outcome(text, StudyFile)
    problems = load_yaml(text, "f.yml").problems
    assert any(NESTED in p.message for p in problems) == (len(kinds) > MAX_NESTING)
    if len(kinds) > MAX_NESTING:
        assert [p.line for p in problems] == [MAX_NESTING + 1]  # the line where the limit is passed


FORBIDDEN = ["\x00", "\x08", "\x0b", "\x1b", "\x7f", "\x80", "\x85", "\x9f", "\u2028", "\u2029", "\u202a", "\u202e",
             "\u2066", "\u2069", "\ufdd0", "\ufdef", "\ufffe", "\uffff", "\U0001fffe", "\U0010ffff"]


def forbidden(c: str) -> bool:
    """The character rule of docs/format.md, stated on its own."""
    o = ord(c)
    return (o < 0x20 and c not in "\t\n\r") or 0x7F <= o <= 0x9F or 0x2028 <= o <= 0x202E or 0x2066 <= o <= 0x2069 \
        or 0xD800 <= o <= 0xDFFF or 0xFDD0 <= o <= 0xFDEF or o & 0xFFFE == 0xFFFE


texts_with_controls = st.text(alphabet=st.one_of(st.characters(codec="utf-8"), st.sampled_from(FORBIDDEN)), max_size=30)


@SETTINGS
@given(st.dictionaries(st.sampled_from(STUDY_KEYS), st.one_of(texts_with_controls, st.lists(texts_with_controls,
                                                                                           max_size=3)), max_size=6))
def test_forbidden_characters_in_values_are_always_refused(data):
    """As PyYAML writes them: escaped in double quotes, or typed as they are."""
    text = yaml.safe_dump(data, allow_unicode=True)
    outcome(text, StudyFile)
    held = any(forbidden(c) for value in data.values() for item in (value if isinstance(value, list) else [value])
               for c in item)
    problems = load_yaml(text, "f.yml").problems
    assert any(p.message.startswith("contains the ") for p in problems) == held
    assert not any(forbidden(c) for p in problems for c in str(p))  # never shown as they are


@SETTINGS
@given(st.integers(min_value=0), st.sampled_from(FORBIDDEN))
def test_a_forbidden_character_anywhere_in_a_file_is_refused_at_its_line(where, char):
    text = (SITES / "other/content/studies/osterg-2019.yml").read_text(encoding="utf-8")
    pos = where % (len(text) + 1)
    text = text[:pos] + char + text[pos:]
    problems = load_yaml(text, "f.yml").problems
    found = [p for p in problems if p.message.startswith("contains the ")]
    assert len(found) == 1 and found[0].line == text.count("\n", 0, pos) + 1, problems


def content_entries(content: Path) -> list[Path]:
    return sorted(p for p in content.rglob("*"))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), st.sampled_from(["copy", "dangling", "/dev/zero", "/proc/self/mem", "folder", "content"]))
def test_a_symbolic_link_anywhere_in_content_is_refused(data, target):
    """Any file or folder of content/ (or content/ itself) replaced by a link to its own copy outside, to nothing,
    to a device, or to a folder: never read, never an exception, always named."""
    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp) / "content"
        shutil.copytree(SITES / "other/content", content)
        victim = content if target == "content" else data.draw(st.sampled_from(content_entries(content)))
        outside = Path(tmp) / "outside"
        shutil.move(victim, outside)
        point_to = {"copy": outside, "content": outside, "dangling": Path(tmp) / "nothing", "folder": Path(tmp)}
        os.symlink(point_to.get(target, target), victim)
        emap, problems = check_content(content)
        assert emap is None
        assert all(isinstance(p, Problem) for p in problems)
        assert any(p.path == display_path(victim) and p.message.startswith("is a symbolic link") for p in problems)
