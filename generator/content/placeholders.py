"""Text a contributor has not written yet: the new-study template's placeholders (text starting TODO), a finding that
only repeats its theme's title, a study that says nothing of itself (every facet null and no summary).

Each is a warning while the contributor writes, so that the preview still builds, and an error in the pull-request
check (`validate --strict`, see Problem.placeholder), so that none reaches readers."""

from __future__ import annotations

import re

from ..model import Review, Study
from .problems import Problem
from .yamlsource import Loaded

MARK = "TODO"
"""How the new-study template (generator/templates/new_study.yml.j2) begins text that is still to be written."""

_SPACE = re.compile(r"\s+")
_HINTS = {("title",): "write the title as published",
          ("journal",): "write the journal, or the publisher or source of a report"}


def is_placeholder(text: str) -> bool:
    """Text starting with the word TODO (as the template writes it), not text that merely mentions it."""
    return text.startswith(MARK) and not text[len(MARK):len(MARK) + 1].isalnum()


def _same(text: str, title: str) -> bool:
    """The same words, whatever the case, spacing and final full stop."""
    def norm(s: str) -> str:
        return _SPACE.sub(" ", s).strip().rstrip(".").strip().casefold()

    return norm(text) == norm(title)


def placeholder_problems(study: Study, loaded: Loaded, review: Review, theme_titles: dict[str, str]) -> list[Problem]:
    found: list[Problem] = []

    def add(keys: tuple[str, ...], message: str, hint: str) -> None:
        found.append(Problem(study.source, loaded.line(keys), ".".join(keys), message, hint, warning=True,
                             placeholder=True))

    fields = {("title",): study.title, ("journal",): study.journal, ("region",): study.region,
              ("summary",): study.summary, ("notes",): study.notes,
              ("sample", "description"): study.sample_description,
              ("volume",): study.volume, ("issue",): study.issue, ("pages",): study.pages}
    for keys, value in fields.items():
        if value and is_placeholder(value):
            add(keys, "is still the template's placeholder", _HINTS.get(keys, "write what the paper reports, or null "
                                                                          "if it does not report it"))
    for finding in study.findings:
        title = theme_titles.get(finding.theme_id, finding.theme_id)
        text = finding.markdown
        hint = f"write what this study found about {title}, in your own words, or remove the line"
        if text and is_placeholder(text):
            add(("themes", finding.theme_id), "the finding is still the template's placeholder", hint)
        elif text and (_same(text, title) or _same(text, finding.theme_id)):
            add(("themes", finding.theme_id), "the finding only repeats the theme's title", hint)
    if review.facets and not study.summary and all(v is None for v in study.facets.values()):
        add(("facets",), "every facet is null and there is no summary: the study's page would say nothing about it",
            "fill in the facets the paper reports and a summary of what the study did; null is for what it does "
            "not report")
    return found


def review_placeholders(data: object, loaded: Loaded, source: str) -> list[Problem]:
    """Text in review.yml that still starts TODO: what `import` writes for a review it starts (title, question,
    databases) or for an appraisal tool an export does not name. Found wherever it is, with its line."""
    found: list[Problem] = []
    stack: list[tuple[tuple, object]] = [((), data)]
    while stack:  # iterative: the loader bounds the nesting, and this needs no recursion either
        keys, value = stack.pop()
        if isinstance(value, dict):
            stack.extend(((*keys, k), v) for k, v in reversed(list(value.items())))
        elif isinstance(value, list):
            stack.extend(((*keys, i), v) for i, v in reversed(list(enumerate(value))))
        elif isinstance(value, str) and is_placeholder(value.strip()):
            field = "".join(f"[{k}]" if isinstance(k, int) else f".{k}" for k in keys).lstrip(".")
            found.append(Problem(source, loaded.line(keys), field, "is still a placeholder",
                                 "write the review's own text here; docs/format.md describes each field",
                                 warning=True, placeholder=True))
    return found
