"""Load and check: content/ (review.yml, studies/, themes/) read safely, parsed, validated against the schema and
against each other, into the typed EvidenceMap of generator/model.py — or every problem at once, each naming its file,
line and a fix.

files (safe reading) -> yamlsource (YAML with each value's line) -> schema + validate (one file's shape) ->
layout (what content/ holds) -> checks (one file against the others) -> load (the whole folder, the entry point).
"""

from .load import check_content, load_map, load_outline

__all__ = ["check_content", "load_map", "load_outline"]
