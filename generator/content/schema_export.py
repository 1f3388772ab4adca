"""JSON Schemas for study files and review.yml, produced from the pydantic model the validator uses.

Editors that speak the YAML language server (VS Code's YAML extension, and others) read the
`# yaml-language-server: $schema=…` line at the top of each file and then complete field names and flag
mistakes as you type. The schemas live in `docs/schema/`, so the site publishes them too; `python -m generator
schema` rewrites them, and a test fails when they fall behind the model.

What a schema cannot say, the build still checks: facet values and theme ids defined in review.yml, citation keys,
country codes, and the PRISMA arithmetic.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic.json_schema import GenerateJsonSchema

from .schema import Download, ReviewFile, StudyFile

SCHEMA_DIR = Path("docs/schema")
SCHEMAS = {"study.schema.json": StudyFile, "review.schema.json": ReviewFile, "studies.schema.json": Download}
SITE_NOTE = ("Generated from generator/content/schema.py by `python -m generator schema`; do not edit. "
             "The build also checks what a schema cannot: facet values, theme ids, citations, countries and "
             "the PRISMA arithmetic.")


class _Generator(GenerateJsonSchema):
    def generate(self, schema, mode="validation"):
        out = super().generate(schema, mode=mode)
        head = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$comment": SITE_NOTE}
        return _as_the_validator_checks({**head, **out})


def _as_the_validator_checks(node: Any) -> Any:
    """Say in the schema what pydantic checks but does not write into it:
    - text fields are stripped before their length is checked, so '  ' is empty;
    - a date is YYYY-MM-DD (editors do not all check `format`);
    - the keys of a mapping such as facet values must be ids, not merely may be."""
    if isinstance(node, dict):
        if node.get("type") == "string" and node.get("minLength") == 1 and "pattern" not in node:
            node["pattern"] = r"\S"
        if node.get("format") == "date":
            node["pattern"] = r"^\d{4}-\d{2}-\d{2}$"
        patterns = node.get("patternProperties")
        if patterns and len(patterns) == 1 and "additionalProperties" not in node:
            (pattern, values), = patterns.items()
            del node["patternProperties"]
            node["propertyNames"] = {"pattern": pattern}
            node["additionalProperties"] = values
        for value in node.values():
            _as_the_validator_checks(value)
    elif isinstance(node, list):
        for value in node:
            _as_the_validator_checks(value)
    return node


def schema_of(name: str) -> dict[str, Any]:
    return SCHEMAS[name].model_json_schema(schema_generator=_Generator)


def schema_text(name: str) -> str:
    return json.dumps(schema_of(name), indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def write_schemas(root: Path) -> list[Path]:
    written = []
    for name in SCHEMAS:
        path = root / SCHEMA_DIR / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(schema_text(name), encoding="utf-8")
        written.append(path)
    return written
