"""Checks of one file against the others, once each has its shape: a study's facets, themes and countries against
review.yml; the review's matrix columns and PRISMA counts against the studies; citations in the syntheses against
the study ids; DOIs across studies. Each problem names the file and line of the value, with a hint."""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from ..citations import find_citations
from ..countries import is_country, suggest
from ..model import MATRIX_BUILTINS, MAX_SEGMENT_VALUES, Facet, Finding, Review, Study, StudyAppraisal, Theme
from . import schema
from .prisma_check import added_study_hint, check_prisma
from .problems import Problem
from .yamlsource import Loaded


def check_review(f: schema.ReviewFile, loaded: Loaded, source: str, n_studies: int, problems: list[Problem],
                 years: Sequence[tuple[str, int]] = ()) -> None:
    """`years`: each study's (id, year) that loaded, to tell which cannot have come from the review's search."""
    for facet_id, facet in f.facets.items():
        _unique_ids(facet_id, facet, loaded, source, problems)
        if facet_id in MATRIX_BUILTINS:  # the matrix, filters and addresses (?f-country=) would mistake one for other
            problems.append(Problem(source, loaded.line(("facets", facet_id)), f"facets.{facet_id}",
                                    f"'{facet_id}' is the name of a built-in dimension ({', '.join(MATRIX_BUILTINS)})",
                                    f"give the facet another id, e.g. '{facet_id}-coded'; its label can stay"))
    if f.matrix:
        _check_matrix(f, f.matrix, loaded, source, problems)
    for name in f.search.last_search_by_database:
        if name not in f.search.databases:
            problems.append(Problem(source, loaded.line(("search", "last_search_by_database", name)),
                                    "search.last_search_by_database", f"'{name}' is not among search.databases",
                                    "name it as in search.databases: " + ", ".join(f.search.databases)))
    if f.prisma is None:
        return
    for name in f.prisma.databases:
        if name not in f.search.databases:
            problems.append(Problem(source, loaded.line(("prisma", "databases", name)), "prisma.databases",
                                    f"'{name}' is not among search.databases",
                                    "name it as in search.databases: " + ", ".join(f.search.databases)))
    last = f.search.last_search
    late = sorted((sid, year) for sid, year in years if last is not None and year > last.year)
    problems.extend(check_prisma(f.prisma, n_studies, source, loaded.line, last, late))
    included = f.prisma.included_studies
    if included is not None and included != n_studies:
        hint = added_study_hint(f.prisma, last, late, n_studies - included) if n_studies > included else \
            "update the PRISMA counts when you add or remove a study"
        problems.append(Problem(source, loaded.line(("prisma", "included_studies")), "prisma.included_studies",
                                f"is {included}, but there are {n_studies} study files", hint))


def _check_matrix(f: schema.ReviewFile, m: schema.Matrix, loaded: Loaded, source: str, problems: list[Problem]) -> None:
    """Each of matrix's rows, columns and segments names a dimension there is; status names a facet and its codes."""
    builtins = [d for d in MATRIX_BUILTINS if d != "appraisal" or f.appraisal]
    known = list(f.facets) + builtins
    splits = [fid for fid, facet in f.facets.items() if len(facet.values) <= MAX_SEGMENT_VALUES]
    splits += ["appraisal"] if f.appraisal else []
    for key, allowed in (("rows", known), ("columns", known), ("segments", splits)):
        for i, dim in enumerate(getattr(m, key) or []):
            if dim in allowed:
                continue
            if key == "segments" and dim in f.facets:
                message = f"'{dim}' has {len(f.facets[dim].values)} values at the top level; a cell is split into " \
                          f"at most {MAX_SEGMENT_VALUES} (a colour each)"
            elif key == "segments" and dim in known:
                message = f"'{dim}' cannot split a cell: only a facet or appraisal can"
            elif dim == "appraisal":
                message = "'appraisal' is a dimension only when review.yml has appraisal: (the tool and its levels)"
            else:
                message = f"unknown dimension '{dim}'"
            problems.append(Problem(source, loaded.line(("matrix", key, i)), f"matrix.{key}[{i}]", message,
                                    "choose from: " + ", ".join(allowed) if allowed else "no dimension can be one"))
    if m.status is None:
        return
    facet = f.facets.get(m.status.facet)
    if facet is None:
        problems.append(Problem(source, loaded.line(("matrix", "status", "facet")), "matrix.status.facet",
                                f"unknown facet '{m.status.facet}'", "facets of this review: " + ", ".join(f.facets)
                                if f.facets else "declare the status facet under facets: first"))
        return
    codes = [c for value_id, value in facet.values.items()
             for c in (value.values if isinstance(value, schema.FacetCategory) else [value_id])]
    for i, code in enumerate(m.status.ongoing):
        if code not in codes:
            problems.append(Problem(source, loaded.line(("matrix", "status", "ongoing", i)),
                                    f"matrix.status.ongoing[{i}]", f"'{code}' is not a code of {facet.label}",
                                    "choose from: " + ", ".join(codes)))


def _unique_ids(facet_id: str, facet: schema.FacetDef, loaded: Loaded, source: str, problems: list[Problem]) -> None:
    """Code and category ids are unique across the facet, not only within one mapping: a study's code must name one
    value, and the matrix one row."""
    # id -> the category it is in (None: top level); YAML itself refuses a key twice in one mapping
    seen: dict[str, str | None] = dict.fromkeys(facet.values)
    for value_id, value in facet.values.items():
        if not isinstance(value, schema.FacetCategory):
            continue
        for code_id in value.values:
            keys = ("facets", facet_id, "values", value_id, "values", code_id)
            if code_id in seen:
                where = seen[code_id]
                first = f"in category '{where}'" if where else ("the category's own id" if code_id == value_id
                                                                else "at the top level")
                problems.append(Problem(source, loaded.line(keys), ".".join(keys),
                                        f"id '{code_id}' is used twice in {facet.label} (also {first})",
                                        "ids of codes and categories are unique across a facet: rename one"))
            else:
                seen[code_id] = value_id


def check_study(study: schema.StudyFile | None, loaded: Loaded | None, path: Path, source: str, review: Review,
                theme_ids: list[str], problems: list[Problem], latest_year: int | None = None) -> Study | None:
    """The study against the review and the themes. `latest_year`: the last year a study may be published in (next
    year: a paper in press may carry it), from the build's date; None skips that check."""
    if study is None or loaded is None:
        return None
    before = len(problems)

    def problem(keys: tuple[str | int, ...], field: str, message: str, hint: str | None = None) -> None:
        problems.append(Problem(source, loaded.line(keys), field, message, hint))

    if latest_year is not None and study.year > latest_year:
        problem(("year",), "year", f"{study.year} is after next year ({latest_year})",
                "write the year the study was published (for one in press, the year it is due)")

    for i, code in enumerate(study.countries):
        if not is_country(code):
            problem(("countries", i), f"countries[{i}]", f"'{code}' is not an ISO 3166-1 country code", suggest(code))

    facets: dict[str, tuple[str, ...] | None] = {}
    declared = {f.id: f for f in review.facets}
    for key in study.facets:
        if key not in declared:
            problem(("facets", key), f"facets.{key}", f"unknown facet '{key}'",
                    "facets of this review: " + ", ".join(declared) if declared else "this review declares no facets")
    for facet in review.facets:
        if facet.id not in study.facets:
            problem(("facets",), f"facets.{facet.id}", f"missing facet '{facet.id}' ({facet.label})",
                    f"add '{facet.id}: null' if the study does not report it")
            continue
        facets[facet.id] = _facet_values(facet, study.facets[facet.id], loaded, problem)

    inferred = _inferred(study, review, problem)
    appraisal = _appraisal(study, review, problem)
    findings = []
    for theme_id, finding in study.themes.items():
        if theme_id not in theme_ids:
            close = difflib.get_close_matches(theme_id, theme_ids, n=1)
            problem(("themes", theme_id), f"themes.{theme_id}", f"unknown theme '{theme_id}'",
                    f"did you mean '{close[0]}'?" if close else "themes are: " + ", ".join(theme_ids))
        findings.append(Finding(theme_id, finding))
    if len(problems) > before:
        return None
    findings.sort(key=lambda f: theme_ids.index(f.theme_id))
    sample = study.sample
    return Study(id=path.stem, title=study.title, authors=tuple(study.authors), year=study.year,
                 journal=study.journal, countries=tuple(dict.fromkeys(study.countries)), facets=facets,
                 findings=tuple(findings), source=source, volume=study.volume, issue=study.issue, pages=study.pages,
                 doi=study.doi, url=study.url, region=study.region,
                 sample_size=sample.size if sample else None,
                 sample_description=sample.description if sample else None,
                 summary=study.summary, notes=study.notes, inferred=inferred, appraisal=appraisal)


def _appraisal(study: schema.StudyFile, review: Review, problem) -> StudyAppraisal | None:
    given = study.appraisal
    if given is None:
        return None
    tool = review.appraisal
    if tool is None:
        problem(("appraisal",), "appraisal", "this review appraises no studies: review.yml has no appraisal",
                "name the tool and its ratings in review.yml (appraisal: {tool, levels}; see docs/format.md), "
                "or remove the study's appraisal")
        return None
    ratings = [level.id for level in tool.levels]
    if given.rating not in ratings:
        close = difflib.get_close_matches(given.rating, ratings, n=1)
        problem(("appraisal", "rating"), "appraisal.rating", f"unknown rating '{given.rating}' for {tool.tool}",
                (f"did you mean '{close[0]}'? " if close else "") + "ratings in review.yml: " + ", ".join(ratings))
        return None
    return StudyAppraisal(given.rating, given.rationale, tool.level(given.rating).label, tool.tool)


def _inferred(study: schema.StudyFile, review: Review, problem) -> tuple[str, ...]:
    """The paths of `inferred:`, each a field that can be inferred, that this study fills, listed once; returned in
    the order pages show the fields."""
    allowed = ["countries", "region", *(f"facets.{f.id}" for f in review.facets), "sample.size",
               "sample.description"]
    sample = study.sample
    empty = {"region": study.region is None, "sample.size": sample is None or sample.size is None,
             "sample.description": sample is None or sample.description is None,
             # a facet the file leaves out is reported as missing already
             **{f"facets.{k}": v is None for k, v in study.facets.items()}}
    listed = "allowed: " + ", ".join(allowed)
    seen: set[str] = set()
    for i, path in enumerate(study.inferred):
        keys, field = ("inferred", i), f"inferred[{i}]"
        if path in seen:
            problem(keys, field, f"'{path}' is listed twice", "list each field once")
        elif children := [a for a in allowed if a.startswith(path + ".")]:
            problem(keys, field, f"'{path}' holds several fields: name the one whose value is inferred",
                    f"e.g. '{children[0]}'; {listed}")
        elif path in schema.StudyFile.model_fields and path not in allowed:
            problem(keys, field, f"'{path}' cannot be marked inferred: only the study's characteristics can",
                    listed)
        elif path not in allowed:
            close = difflib.get_close_matches(path, allowed, n=1)
            problem(keys, field, f"'{path}' is not a field of a study in this review",
                    (f"did you mean '{close[0]}'? " if close else "") + listed)
        elif empty.get(path):
            problem(keys, field, f"'{path}' is null (not reported) in this study: it holds no value to mark",
                    f"write the inferred value in {path}, or remove '{path}' from inferred")
        seen.add(path)
    if study.inferred and study.notes is None:
        problem(("inferred",), "inferred", "lists inferred values, but the study has no notes",
                "say in notes what each value is inferred from; the study page's 'inferred' labels link there")
    return tuple(path for path in allowed if path in seen)


def _facet_values(facet: Facet, raw: str | list[str] | None, loaded: Loaded, problem) -> tuple[str, ...] | None:
    if raw is None:
        return None
    if isinstance(raw, list) and not facet.multiple:
        if len(raw) != 1:
            problem(("facets", facet.id), f"facets.{facet.id}", f"takes one value, got {len(raw)}",
                    f"'{facet.id}' is not a multiple facet in review.yml")
            return None
        raw = raw[0]
    values = raw if isinstance(raw, list) else [raw]
    if not values:
        problem(("facets", facet.id), f"facets.{facet.id}", "must not be an empty list", "write null if not reported")
    allowed = [v for v, _ in facet.values]
    for i, value in enumerate(values):
        keys = ("facets", facet.id, i) if isinstance(raw, list) else ("facets", facet.id)
        category = facet.category(value) if isinstance(value, str) else None
        if category is not None:
            problem(keys, f"facets.{facet.id}", f"'{value}' is a category of {facet.label}, not a code",
                    "give the codes that apply: " + ", ".join(category.codes) +
                    (" (a list, as the facet takes several)" if facet.multiple else ""))
        elif value not in allowed:
            close = difflib.get_close_matches(str(value), allowed, n=1) or [
                a for a in allowed if a.startswith(str(value))][:1]
            problem(keys, f"facets.{facet.id}", f"unknown value '{value}' for {facet.label}",
                    (f"did you mean '{close[0]}'? " if close else "") + "allowed: " + ", ".join(allowed))
    return tuple(dict.fromkeys(values))


def check_citations(themes: list[Theme], study_ids: set[str], problems: list[Problem]) -> None:
    for theme in themes:
        for cite in find_citations(theme.body):
            if cite.key not in study_ids:
                close = difflib.get_close_matches(cite.key, sorted(study_ids), n=1, cutoff=0.8)
                problems.append(Problem(theme.source, theme.body_line + cite.line - 1, "citation",
                                        f"no study with id '{cite.key}'",
                                        f"did you mean '@{close[0]}'?" if close else
                                        "cite a file name from content/studies/ without .yml"))


def duplicate_dois(studies: list[Study]) -> list[Problem]:
    by_doi: dict[str, list[Study]] = defaultdict(list)
    for s in studies:
        if s.doi:
            by_doi[s.doi.lower()].append(s)
    return [Problem(s.source, None, "doi", f"same DOI as {', '.join(o.id for o in group if o is not s)}",
                    "is this the same study twice?", warning=True)
            for group in by_doi.values() if len(group) > 1 for s in group]
