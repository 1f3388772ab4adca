"""Load a review's content folder: read every file, validate it, check it against the others, and
return the typed EvidenceMap — or raise ContentError listing every problem at once."""

from __future__ import annotations

import difflib
import os
import re
from collections import defaultdict
from pathlib import Path

from . import schema
from .citations import family, find_citations, sort_key
from .countries import is_country, suggest
from .files import SYMLINK_MESSAGE, kind_problem, read_file
from .markup import NESTING_HINT, markdown_problem
from .model import BUILTIN_DIMENSIONS, EvidenceMap, Facet, Finding, Review, Study, Theme
from .prisma_check import check_prisma
from .problems import ContentError, Problem, display_path, reading, sort_problems
from .validate import validate_model
from .yamlsource import Loaded, load_yaml, text_problems

SLUG = re.compile(schema.SLUG_PATTERN)
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)^---[ \t]*$\n?", re.DOTALL | re.MULTILINE)


def load_map(content_dir: Path) -> EvidenceMap:
    """The whole pipeline up to the model. Raises ContentError when any file has an error."""
    emap, problems = check_content(content_dir)
    if emap is None:
        raise ContentError(problems)
    return emap


def load_outline(content_dir: Path) -> tuple[Review | None, list[Theme], list[Problem]]:
    """review.yml and the themes alone, without the studies: enough to write a new study file, even while
    another study still has problems."""
    problems: list[Problem] = []
    layout = _Layout(content_dir, problems)
    review = None
    if layout.review:
        _, review_file = _load(layout.review, schema.ReviewFile, problems)
        review = _review(review_file) if review_file else None
    themes, _ = _load_themes(layout.themes, problems)
    return review, sorted(themes, key=lambda t: (t.order, t.id)), problems


def check_content(content_dir: Path) -> tuple[EvidenceMap | None, list[Problem]]:
    problems: list[Problem] = []
    layout = _Layout(content_dir, problems)
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
    paths = _study_paths(layout.studies, problems)
    studies = [_study(path, review, theme_ids, problems) for path in paths]

    if review_file is None or review_loaded is None or review is None:
        return None, sort_problems(problems)
    _check_review(review_file, review_loaded, review_src, len(paths), problems)
    _check_citations(themes, {path.stem for path in paths}, problems)
    problems.extend(_duplicate_dois([s for s in studies if s]))
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
    return loaded, (obj if not loaded.problems else None)


# How content/ is laid out. Nothing in it is skipped without a message, and nothing is followed out of it: a symbolic
# link is refused wherever it is (a pull request could point one at any file on the machine that builds it), and so
# is anything that is not a plain file or one of the expected folders.

_SUFFIX = {"study": ".yml", "theme": ".md"}
_ALSO = {"study": {".yaml", ".yml"}, "theme": {".md", ".markdown"}}  # meant to be one: renamed, the file is read
_EXAMPLE = {"study": "name a study after its first author and year, e.g. smith-2021.yml",
            "theme": "name a theme with a word or two, e.g. costs.md"}
_NOT_READ = "not read: content/ holds review.yml, studies/ and themes/"


class _Layout:
    """content/'s review file and its two folders, each None when missing or refused (with a problem)."""

    def __init__(self, content_dir: Path, problems: list[Problem]) -> None:
        self.review: Path | None = None
        self.review_refused = False
        self.studies: Path | None = None
        self.themes: Path | None = None
        try:
            if os.path.islink(content_dir):
                problems.append(Problem(display_path(content_dir), None, "", *SYMLINK_MESSAGE))
                self.review_refused = True
                return
            with os.scandir(content_dir) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except (FileNotFoundError, NotADirectoryError):
            return
        except OSError as exc:
            problems.append(_unlisted(content_dir, exc))
            self.review_refused = True
            return
        for entry in entries:
            path = content_dir / entry.name
            wrong = _entry_problem(entry, path)
            if entry.name == "review.yml":
                self.review_refused = wrong is not None
                self.review = None if wrong else path
            elif entry.name in ("studies", "themes") and not entry.is_symlink():
                if entry.is_dir(follow_symlinks=False):
                    setattr(self, entry.name, path)
                    continue
                kind = "study" if entry.name == "studies" else "theme"
                wrong = Problem(display_path(path), None, "", f"should be the folder of {kind} files", "remove it")
            elif not entry.is_symlink():
                wrong = _hidden(entry, path, None) or Problem(display_path(path), None, "", _NOT_READ,
                                                               "keep other files outside content/", warning=True)
            if wrong:
                problems.append(wrong)


def _entry_problem(entry: os.DirEntry, path: Path) -> Problem | None:
    """A symbolic link, a folder, a pipe, a socket or a device is refused (a pipe would make a read wait forever).
    The listing says which, without asking the system again for each of 10,000 studies."""
    if entry.is_symlink():
        return Problem(display_path(path), None, "", *SYMLINK_MESSAGE)
    if entry.is_file(follow_symlinks=False):
        return None
    return kind_problem(display_path(path), entry.stat(follow_symlinks=False).st_mode)


def _unlisted(folder: Path, exc: OSError) -> Problem:
    return Problem(display_path(folder), None, "", f"cannot be read: {exc.strerror or exc}",
                   "check the folder's permissions")


def _hidden(entry: os.DirEntry, path: Path, kind: str | None) -> Problem | None:
    """A hidden file (.gitkeep, .DS_Store, an editor's swap file) is not content: a warning names it, so that
    nothing is skipped unseen, without failing the build for what tools leave behind. One named like a study or
    theme is an error: that is content that would be lost."""
    if not entry.name.startswith(".") or entry.is_symlink():
        return None
    real = entry.name.lstrip(".")
    if kind and Path(real).suffix == _SUFFIX[kind] and SLUG.match(Path(real).stem):
        return Problem(display_path(path), None, "", f"hidden file, not read, though named like a {kind}",
                       f"rename it to {real}, or remove it")
    what = "folder" if entry.is_dir(follow_symlinks=False) else "file"
    return Problem(display_path(path), None, "", f"hidden {what}, not read", "remove it unless your tools need it",
                   warning=True)


def _content_files(folder: Path | None, kind: str, problems: list[Problem]) -> list[Path]:
    """The files of a study or theme folder whose names are valid ids; everything else in it is a problem."""
    if folder is None:
        return []
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda e: e.name)
    except OSError as exc:
        problems.append(_unlisted(folder, exc))
        return []
    names = {e.name for e in entries}
    found = []
    for entry in entries:
        path = folder / entry.name
        wrong = _hidden(entry, path, kind) or _entry_problem(entry, path)
        if wrong is not None and entry.is_dir(follow_symlinks=False) and not entry.name.startswith("."):
            plural = "studies" if kind == "study" else "themes"
            wrong = Problem(display_path(path), None, "", f"is a folder; {kind} files go directly in content/{plural}/",
                            f"move the files in it up into content/{plural}/, or remove it")
        wrong = wrong or _id_problem(path, kind, names)
        if wrong:
            problems.append(wrong)
        else:
            found.append(path)
    return found


def _id_problem(path: Path, kind: str, names: set[str]) -> Problem | None:
    want = _SUFFIX[kind]
    if path.suffix != want:
        if path.suffix.lower() in _ALSO[kind]:
            return Problem(display_path(path), None, "", f"bad file name: a {kind} file must end in {want}",
                           f"rename it to {path.stem}{want}")
        # A backup (smith-2021.yml.bak), notes, a file of another kind: its id would be the name's first part.
        name = _slug(path.name.split(".")[0]) + want
        return Problem(display_path(path), None, "", f"not a {kind} file: {kind} files are named <{kind}-id>{want}",
                       f"remove it; {name} is already there" if name in names else
                       f"remove it, or if it is a {kind}, name it {name}")
    if not SLUG.match(path.stem):
        return Problem(display_path(path), None, "",
                       f"bad file name: '{path.stem}' is not a valid {kind} id (lowercase letters, digits, hyphens)",
                       f"rename it to {_slug(path.stem)}{path.suffix}")
    reserved = schema.RESERVED_IDS[kind].get(path.stem)
    if reserved:
        return Problem(display_path(path), None, "", f"bad file name: '{path.stem}' is reserved for {reserved}",
                       _EXAMPLE[kind])
    return None


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "my-id"


def _study_paths(folder: Path | None, problems: list[Problem]) -> list[Path]:
    """The study files whose names are valid ids (a bad name is a problem, and the file is not read)."""
    return _content_files(folder, "study", problems)


def _study(path: Path, review: Review | None, theme_ids: list[str], problems: list[Problem]) -> Study | None:
    """One study file read, validated and (once the review is known) checked against the review and themes."""
    source = display_path(path)
    loaded, study = _load(path, schema.StudyFile, problems, source=source)
    if review is None:
        return None
    with reading(source):
        return _check_study(study, loaded, path, source, review, theme_ids, problems)


def _load_themes(folder: Path | None, problems: list[Problem]) -> tuple[list[Theme], list[str]]:
    """The themes that load, and the ids of every theme file (a study may name a theme whose file has problems)."""
    themes = []
    paths = _content_files(folder, "theme", problems)
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
    return Theme(path.stem, front.title, front.order, front.summary, body, body_line, source)


def _review(f: schema.ReviewFile) -> Review:
    facets = tuple(Facet(fid, d.label, d.multiple, tuple(d.values.items())) for fid, d in f.facets.items())
    columns = tuple(f.matrix.columns) if f.matrix else tuple(x.id for x in facets) + BUILTIN_DIMENSIONS
    pub = f.published
    return Review(f.title, f.question, tuple(f.authors), tuple(f.search.databases), f.search.last_search,
                  f.search.notes, facets, columns, pub.citation if pub else None, pub.doi if pub else None,
                  pub.url if pub else None, f.prisma)


def _check_review(f: schema.ReviewFile, loaded: Loaded, source: str, n_studies: int,
                  problems: list[Problem]) -> None:
    known = list(f.facets) + list(BUILTIN_DIMENSIONS)
    for i, column in enumerate(f.matrix.columns if f.matrix else []):
        if column not in known:
            problems.append(Problem(source, loaded.line(("matrix", "columns", i)), f"matrix.columns[{i}]",
                                    f"unknown dimension '{column}'", "choose from: " + ", ".join(known)))
    if f.prisma is None:
        return
    for name in f.prisma.databases:
        if name not in f.search.databases:
            problems.append(Problem(source, loaded.line(("prisma", "databases", name)), "prisma.databases",
                                    f"'{name}' is not among search.databases",
                                    "name it as in search.databases: " + ", ".join(f.search.databases)))
    problems.extend(check_prisma(f.prisma, n_studies, source, loaded.line))
    if f.prisma.included_studies is not None and f.prisma.included_studies != n_studies:
        problems.append(Problem(source, loaded.line(("prisma", "included_studies")), "prisma.included_studies",
                                f"is {f.prisma.included_studies}, but there are {n_studies} study files",
                                "update the PRISMA counts when you add or remove a study"))


def _check_study(study: schema.StudyFile | None, loaded: Loaded | None, path: Path, source: str, review: Review,
                 theme_ids: list[str], problems: list[Problem]) -> Study | None:
    if study is None or loaded is None:
        return None
    before = len(problems)

    def problem(keys: tuple[str | int, ...], field: str, message: str, hint: str | None = None) -> None:
        problems.append(Problem(source, loaded.line(keys), field, message, hint))

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
                 summary=study.summary, notes=study.notes)


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
        if value not in allowed:
            keys = ("facets", facet.id, i) if isinstance(raw, list) else ("facets", facet.id)
            close = difflib.get_close_matches(str(value), allowed, n=1) or [
                a for a in allowed if a.startswith(str(value))][:1]
            problem(keys, f"facets.{facet.id}", f"unknown value '{value}' for {facet.label}",
                    (f"did you mean '{close[0]}'? " if close else "") + "allowed: " + ", ".join(allowed))
    return tuple(dict.fromkeys(values))


def _check_citations(themes: list[Theme], study_ids: set[str], problems: list[Problem]) -> None:
    for theme in themes:
        for cite in find_citations(theme.body):
            if cite.key not in study_ids:
                close = difflib.get_close_matches(cite.key, sorted(study_ids), n=1, cutoff=0.8)
                problems.append(Problem(theme.source, theme.body_line + cite.line - 1, "citation",
                                        f"no study with id '{cite.key}'",
                                        f"did you mean '@{close[0]}'?" if close else
                                        "cite a file name from content/studies/ without .yml"))


def _duplicate_dois(studies: list[Study]) -> list[Problem]:
    by_doi: dict[str, list[Study]] = defaultdict(list)
    for s in studies:
        if s.doi:
            by_doi[s.doi.lower()].append(s)
    return [Problem(s.source, None, "doi", f"same DOI as {', '.join(o.id for o in group if o is not s)}",
                    "is this the same study twice?", warning=True)
            for group in by_doi.values() if len(group) > 1 for s in group]
