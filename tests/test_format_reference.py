"""The format reference in docs/ documents every field the schema accepts."""

import re

from pydantic import BaseModel

from conftest import ROOT
from generator.content import schema
from generator.content.validate import _model_in

REFERENCE = (ROOT / "docs/format.md").read_text(encoding="utf-8")
DOCUMENTED = set(re.findall(r"^\| `([a-z_.<>]+)` \|", REFERENCE, re.MULTILINE))

# Keys whose children are free-form (a facet id, a theme id) are documented with a placeholder.
FREE_FORM = {"facets": "facets.<id>"}


def fields(model: type[BaseModel], prefix: str = "") -> list[str]:
    found = []
    for name, info in model.model_fields.items():
        path = prefix + name
        found.append(path)
        child = _model_in(info.annotation)
        if child is not None:
            nested = path + "." if getattr(info.annotation, "__origin__", None) is not dict else (
                FREE_FORM.get(path, path + ".<id>") + ".")
            found += fields(child, nested)
    return found


def test_every_study_field_is_documented():
    missing = [f for f in fields(schema.StudyFile) if f not in DOCUMENTED]
    assert missing == []


def test_every_review_field_is_documented():
    missing = [f for f in fields(schema.ReviewFile) if f not in DOCUMENTED]
    assert missing == []


def test_every_theme_field_is_documented():
    missing = [f for f in fields(schema.ThemeFront) if f not in DOCUMENTED]
    assert missing == []


def test_the_check_can_fail():
    # The walk finds nested fields, so a field added to the schema without docs would be caught.
    assert "prisma.other_methods.excluded" in fields(schema.ReviewFile)
    assert "facets.<id>.values" in fields(schema.ReviewFile)
    assert "sample.size" in fields(schema.StudyFile)


def test_every_test_the_security_page_names_exists():
    """The security page says which test holds each attack: a renamed or deleted test must not leave it wrong."""
    page = (ROOT / "docs/security.md").read_text(encoding="utf-8")
    named = set(re.findall(r"\b(test_[a-z0-9_]+)\b", page))
    defined = {name for path in (ROOT / "tests").rglob("test_*.py")
               for name in re.findall(r"^def (test_[a-z0-9_]+)", path.read_text(encoding="utf-8"), re.MULTILINE)}
    modules = {path.stem for path in (ROOT / "tests").rglob("test_*.py")}
    assert len(named) > 40
    assert sorted(named - defined - modules) == []
