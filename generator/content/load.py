"""Load a review's content folder: read every file, validate it, check it against the others, and
return the typed EvidenceMap — or raise ContentError listing every problem at once."""

from __future__ import annotations

import datetime as _dt
import re
from pathlib import Path

from ..citations import family, sort_key
from ..markup import NESTING_HINT, markdown_problem
from ..model import (
    BUILTIN_DIMENSIONS,
    Appraisal,
    AppraisalLevel,
    Category,
    EvidenceMap,
    Facet,
    MatrixStatus,
    Review,
    Study,
    Theme,
)
from . import schema
from .authors import author_problems
from .checks import check_citations, check_review, check_study, duplicate_dois
from .files import read_file
from .layout import Layout, content_files, study_paths
from .placeholders import is_placeholder, placeholder_problems, review_placeholders
from .problems import ContentError, Problem, display_path, reading, sort_problems
from .synthesis_check import synthesis_problems
from .validate import validate_model
from .yamlsource import Loaded, load_yaml, text_problems

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)^---[ \t]*$\n?", re.DOTALL | re.MULTILINE)


def load_map(content_dir: Path, today: _dt.date | None = None) -> EvidenceMap:
    """The whole pipeline up to the model. Raises ContentError when any file has an error."""
    emap, problems = check_content(content_dir, today)
    if emap is None:
        raise ContentError(problems)
    return emap


def load_outline(content_dir: Path) -> tuple[Review | None, list[Theme], list[Problem]]:
    """review.yml and the themes alone, without the studies: enough to write a new study file, even while
    another study still has problems."""
    problems: list[Problem] = []
    layout = Layout(content_dir, problems)
    review = None
    if layout.review:
        _, review_file = _load(layout.review, schema.ReviewFile, problems)
        review = _review(review_file) if review_file else None
    themes, _ = _load_themes(layout.themes, problems)
    return review, sorted(themes, key=lambda t: (t.order, t.id)), problems


def check_content(content_dir: Path, today: _dt.date | None = None) -> tuple[EvidenceMap | None, list[Problem]]:
    """The map, or None when a file has an error; and every problem found. `today`, the caller's date (content/
    never reads the clock), bounds a study's year at next year; without it, that check is left out."""
    problems: list[Problem] = []
    layout = Layout(content_dir, problems)
    review_src = display_path(content_dir / "review.yml")
    review_file: schema.ReviewFile | None = None
    review_loaded: Loaded | None = None
    if layout.review:
        review_loaded, review_file = _load(layout.review, schema.ReviewFile, problems)
    elif not layout.review_refused:
        problems.append(Problem(review_src, None, "", "the review file is missing",
                                "every content folder needs review.yml; see docs/format.md"))

    themes, theme_files = _load_themes(layout.themes, problems)
    themes.sort(key=lambda t: (t.order, t.id))
    review = _review(review_file) if review_file is not None and review_loaded is not None else None
    theme_ids = [t.id for t in themes] + sorted(set(theme_files) - {t.id for t in themes})
    paths = study_paths(layout.studies, problems)
    titles = {t.id: t.title for t in themes}
    latest_year = today.year + 1 if today else None
    studies = [_study(path, review, theme_ids, titles, latest_year, problems) for path in paths]

    if review_file is None or review_loaded is None or review is None:
        return None, sort_problems(problems)
    loaded = [s for s in studies if s]
    check_review(review_file, review_loaded, review_src, len(paths), problems, [(s.id, s.year) for s in loaded])
    problems.extend(review_placeholders(review_loaded.data, review_loaded, review_src))
    check_citations(themes, {path.stem for path in paths}, problems)
    problems.extend(duplicate_dois(loaded))
    if len(loaded) == len(studies):  # counts from a partly read map would mislead
        problems.extend(synthesis_problems(themes, loaded))
    problems = sort_problems(problems)
    if any(not p.warning for p in problems) or any(s is None for s in studies):
        return None, problems
    ordered = sorted((s for s in studies if s), key=lambda s: (sort_key(family(s.authors[0])), s.year, s.id))
    return EvidenceMap(review, tuple(ordered), tuple(themes), tuple(problems)), problems


def _load(path: Path, model: type, problems: list[Problem], text: str | None = None, first_line: int = 1,
          source: str | None = None):
    source = source or display_path(path)
    with reading(source):
        return _load_source(path, model, problems, text, first_line, source)


def _load_source(path: Path, model: type, problems: list[Problem], text: str | None, first_line: int, source: str):
    if text is None:
        text, read_problems = read_file(path, source)
        problems.extend(read_problems)
        if text is None:
            return None, None
    loaded = load_yaml(text, source, first_line)
    problems.extend(loaded.problems)
    if loaded.problems and loaded.data is None:
        return loaded, None
    obj, schema_problems = validate_model(model, loaded, source)
    # A value the loader refused is None in the data: the schema's complaint about that None would only repeat it.
    refused = {p.field for p in loaded.problems}
    problems.extend(p for p in schema_problems if p.field not in refused)
    problems.extend(author_problems(loaded, source))  # names split in two, joined, given name first
    return loaded, (obj if not loaded.problems else None)


def _study(path: Path, review: Review | None, theme_ids: list[str], titles: dict[str, str], latest_year: int | None,
           problems: list[Problem]) -> Study | None:
    """One study file read, validated and (once the review is known) checked against the review and themes, and
    for placeholders left in."""
    source = display_path(path)
    loaded, study = _load(path, schema.StudyFile, problems, source=source)
    if review is None:
        return None
    with reading(source):
        record = check_study(study, loaded, path, source, review, theme_ids, problems, latest_year)
        if record is not None and loaded is not None:
            problems.extend(placeholder_problems(record, loaded, review, titles))
        return record


def _load_themes(folder: Path | None, problems: list[Problem]) -> tuple[list[Theme], list[str]]:
    """The themes that load, and the ids of every theme file (a study may name a theme whose file has problems)."""
    themes = []
    paths = content_files(folder, "theme", problems)
    for path in paths:
        source = display_path(path)
        with reading(source):
            theme = _theme(path, source, problems)
        if theme is not None:
            themes.append(theme)
    return themes, [p.stem for p in paths]


def _theme(path: Path, source: str, problems: list[Problem]) -> Theme | None:
    text, read_problems = read_file(path, source)
    problems.extend(read_problems)
    if text is None:
        return None
    match = _FRONT_MATTER.match(text)
    if not match:
        problems.append(Problem(source, 1, "", "front matter is missing",
                                "start the file with '---', then title: and summary:, then '---'"))
        return None
    body_line = text.count("\n", 0, match.end()) + 1
    body = text[match.end():]
    body_problems = text_problems(body, source, body_line)
    if not body_problems and (nesting := markdown_problem(body)):
        body_problems.append(Problem(source, body_line, "", f"the synthesis {nesting}", NESTING_HINT))
    problems.extend(body_problems)
    _, front = _load(path, schema.ThemeFront, problems, text=match.group(1), first_line=2)
    if front is None or body_problems:
        return None
    if is_placeholder(body.lstrip()):  # a theme an import added (its body starts TODO), not yet written
        problems.append(Problem(source, body_line + body[:len(body) - len(body.lstrip())].count("\n"), "",
                                "the synthesis is still the import's placeholder",
                                "write what the studies found about this theme, citing each as [@study-id]",
                                warning=True, placeholder=True))
    return Theme(path.stem, front.title, front.order, front.summary, body, body_line, source)


def _facet(facet_id: str, d: schema.FacetDef) -> Facet:
    """The facet with its codes flat, in review order (what every renderer lists), and its categories beside them."""
    codes: list[tuple[str, str]] = []
    descriptions: list[tuple[str, str]] = []
    categories: list[Category] = []

    def code(code_id: str, value: str | schema.FacetCode) -> None:
        if isinstance(value, schema.FacetCode):
            codes.append((code_id, value.label))
            if value.description:
                descriptions.append((code_id, value.description))
        else:
            codes.append((code_id, value))

    for value_id, value in d.values.items():
        if isinstance(value, schema.FacetCategory):
            categories.append(Category(value_id, value.label, tuple(value.values), value.description))
            for code_id, inner in value.values.items():
                code(code_id, inner)
        else:
            code(value_id, value)
    return Facet(facet_id, d.label, d.multiple, tuple(codes), d.description, tuple(categories), tuple(descriptions),
                 tuple(d.values) if categories else ())


def _appraisal(a: schema.Appraisal | None) -> Appraisal | None:
    if a is None:
        return None
    return Appraisal(a.tool, tuple(AppraisalLevel(k, v.label, v.description) for k, v in a.levels.items()), a.url)


def _review(f: schema.ReviewFile) -> Review:
    facets = tuple(_facet(fid, d) for fid, d in f.facets.items())
    columns = tuple(f.matrix.columns) if f.matrix and f.matrix.columns else \
        tuple(x.id for x in facets) + BUILTIN_DIMENSIONS
    pub = f.published
    return Review(f.title, f.question, tuple(f.authors), tuple(f.search.databases), f.search.last_search,
                  f.search.notes, facets, columns, pub.citation if pub else None, pub.doi if pub else None,
                  pub.url if pub else None, f.prisma, appraisal=_appraisal(f.appraisal),
                  last_search_by_database=tuple((name, when) for name in f.search.databases
                                                if (when := f.search.last_search_by_database.get(name))),
                  next_update=f.search.next_update, version=f.release.version if f.release else None,
                  map_doi=f.release.doi if f.release else None, **_matrix(f.matrix))


def _matrix(m: schema.Matrix | None) -> dict:
    """The matrix's rows, segments and status facet (its columns are matrix_columns, above); defaults when left out."""
    if m is None:
        return {}
    status = MatrixStatus(m.status.facet, tuple(m.status.ongoing)) if m.status else None
    return {"matrix_rows": tuple(m.rows), "matrix_segments": tuple(m.segments), "matrix_status": status}
