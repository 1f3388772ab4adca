"""Command line: `python -m generator validate|build|serve|pages|export|new-study|import|schema|prisma-export|
prisma-import` (`python -m generator COMMAND --help` lists the options of each)."""

from __future__ import annotations

import argparse
import datetime as _dt
import sys
from pathlib import Path

from .content.load import check_content
from .content.problems import sort_problems, strict
from .publish.build import build, serve
from .publish.history import build_time


def _validate(args: argparse.Namespace) -> int:
    # The date the build would take (SOURCE_DATE_EPOCH, or now): a study's year may be next year at the latest.
    today = _dt.datetime.fromtimestamp(build_time(), _dt.UTC).date()
    emap, problems = check_content(Path(args.content), today)
    if args.strict:
        problems = strict(problems)
    for problem in sort_problems(problems):
        if args.github:
            kind = "warning" if problem.warning else "error"
            line = f",line={problem.line}" if problem.line else ""
            print(f"::{kind} file={_gh_property(problem.path)}{line}::{_gh_escape(str(problem))}")
        else:
            print(problem, file=sys.stderr)
    errors = [p for p in problems if not p.warning]
    if emap is None or errors:
        print(f"{len(errors)} problem(s) found in {args.content}/", file=sys.stderr)
        return 1
    print(f"{args.content}/ is valid: {len(emap.studies)} studies, {len(emap.themes)} themes", file=sys.stderr)
    return 0


def _gh_escape(text: str) -> str:
    # GitHub workflow commands: %, CR and LF must be escaped in the message (as GitHub's toolkit does).
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(text: str) -> str:
    # ...and ':' and ',' too in a property: a file name could otherwise end the command and start another.
    return _gh_escape(text).replace(":", "%3A").replace(",", "%2C")


def _pages(args: argparse.Namespace) -> int:
    """Write the generated Markdown pages to a folder (to inspect them; `export` writes a whole site source)."""
    from .publish.site import Site, SiteError

    try:
        site = Site.load(Path.cwd(), Path(args.content))
    except SiteError as exc:
        print("\n".join(exc.lines), file=sys.stderr)
        return 1
    for warning in site.warnings:
        print(warning, file=sys.stderr)
    out = Path(args.out)
    for src_uri, text in site.pages.items():
        target = out / src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    print(f"wrote {len(site.pages)} pages to {out}/", file=sys.stderr)
    return 0


def _export(args: argparse.Namespace) -> int:
    """Write the site's source, with no hook or plugin of ours, for plain `mkdocs build` or Zensical."""
    from .publish.build import in_sources, reason
    from .publish.export import export
    from .publish.site import SiteError, crash_report

    shown = args.out.rstrip("/") or "/"
    out = Path(args.out)
    refused = in_sources(out.resolve(), shown, Path(args.config), "the export writes a folder of its own (hint: "
                         "choose a new folder outside the sources, e.g. ../site-source)")
    if refused:
        print(f"Export refused: {refused}", file=sys.stderr)
        return 1
    try:
        site, count = export(Path(args.config), out)
    except SiteError as exc:
        if exc.lines != [exc.summary]:
            print("\n".join(exc.lines), file=sys.stderr)
        print(f"Export failed: {exc.summary}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"Cannot export: {reason(exc)}", file=sys.stderr)
        return 1
    except Exception as exc:
        print(crash_report(exc), file=sys.stderr)
        return 1
    for warning in site.warnings:
        print(warning, file=sys.stderr)
    print(f"wrote {count} files to {shown}/: build with `mkdocs build --strict` or `zensical build` there",
          file=sys.stderr)
    return 0


def _prisma_export(args: argparse.Namespace) -> int:
    """Write review.yml's prisma: counts as a PRISMA2020 R package CSV."""
    from .content.load import check_content
    from .outputs.prisma_csv import export_csv

    emap, problems = check_content(Path(args.content))
    if emap is None:
        for problem in sort_problems(problems):
            print(problem, file=sys.stderr)
        print("fix content/ first: only checked counts are exported", file=sys.stderr)
        return 1
    if emap.review.prisma is None:
        print(f"{args.content}/review.yml has no prisma: counts to export", file=sys.stderr)
        return 1
    text = export_csv(emap.review.prisma)
    if args.out == "-":
        sys.stdout.write(text)
    else:
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"wrote {args.out}", file=sys.stderr)
    return 0


def _prisma_import(args: argparse.Namespace) -> int:
    """Read a PRISMA2020 R package CSV and print the prisma: YAML to paste into review.yml."""
    from .importers.prisma_csv import PrismaCsvError, import_csv, prisma_yaml, read_csv_file

    path = Path(args.csv)
    try:
        prisma, _ = import_csv(read_csv_file(path), str(path))
    except PrismaCsvError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"{len(exc.problems)} problem(s) in {path}: nothing imported", file=sys.stderr)
        return 1
    sys.stdout.write(prisma_yaml(prisma))
    print(f"read {path}: replace the prisma: section of review.yml with the lines above", file=sys.stderr)
    return 0


def _schema(args: argparse.Namespace) -> int:
    """Write the JSON Schemas editors use (docs/schema/) from the model."""
    from .content.schema_export import write_schemas

    for path in write_schemas(Path(args.root)):
        print(f"wrote {path}", file=sys.stderr)
    return 0


def _new_study(args: argparse.Namespace) -> int:
    """Write content/studies/<id>.yml to fill in."""
    from .content.load import load_outline
    from .content.scaffold import ScaffoldError, new_study

    content = Path(args.content)
    review, themes, problems = load_outline(content)
    if review is None:
        for problem in sort_problems(problems):
            print(problem, file=sys.stderr)
        print(f"fix {content}/review.yml first: the new study lists the review's facets", file=sys.stderr)
        return 1
    try:
        path = new_study(content, review, themes, args.author, args.year, args.title, args.id)
    except ScaffoldError as exc:
        print(f"new-study: {exc.message}" + (f" (hint: {exc.hint})" if exc.hint else ""), file=sys.stderr)
        return 1
    print(f"wrote {path}: fill in the fields marked TODO, then preview with ./scripts/build.sh serve",
          file=sys.stderr)
    return 0


def _import(args: argparse.Namespace) -> int:
    """Bring the studies of an export into content/: new ones added, empty fields filled, differences reported as
    conflicts and left as they are; the export's new facets, codes and themes added to review.yml and themes/."""
    from .importers.apply import PlanError, plan_import, write_plan
    from .importers.run import NAMES, ImportFileError, read_export

    content, path = Path(args.content), Path(args.file)
    try:
        result = read_export(path, args.format, Path(args.mapping) if args.mapping else None)
        plan = plan_import(result, content)
    except ImportFileError as exc:
        source = exc.source or str(path)
        print(f"{source}:{exc.line}" if exc.line else source, f"{exc.message} (hint: {exc.hint})", sep=": ",
              file=sys.stderr)
        print("nothing imported", file=sys.stderr)
        return 1
    except PlanError as exc:
        for problem in sort_problems(exc.problems):
            print(problem, file=sys.stderr)
        print(exc, file=sys.stderr)
        print("nothing imported", file=sys.stderr)
        return 1
    for record in sorted(plan.skipped, key=lambda s: s.number):
        print(f"{path}: skipped {record}", file=sys.stderr)
    for notice in plan.notices:
        print(f"{path}: {notice}", file=sys.stderr)
    for conflict in plan.conflicts:
        print(f"conflict: {conflict}", file=sys.stderr)
    review = f"{content}/review.yml"
    if plan.review is not None:
        gains = "would gain" if args.dry_run else "gains"
        if plan.originals.get("review.yml") is None:
            print(f"{'would write' if args.dry_run else 'wrote'} {review} (its title, question and databases are "
                  "TODO: fill them in)", file=sys.stderr)
        for change in plan.review_changes:
            print(f"{review} {gains} {change}", file=sys.stderr)
    shown = 20  # a whole review's files would bury the counts and conflicts: the first few, then how many more
    filled = "would fill empty fields of" if args.dry_run else "filled empty fields of"
    added = "would add" if args.dry_run else "added"
    for verb, files in ((added, [f"studies/{sid}.yml" for sid in plan.added]),
                        (filled, [f"studies/{sid}.yml" for sid in plan.updated]),
                        (added, [f"themes/{tid}.md" for tid in plan.themes])):
        for name in files[:shown]:
            print(f"{verb} {content}/{name}", file=sys.stderr)
        if len(files) > shown:
            print(f"{verb} {len(files) - shown} more", file=sys.stderr)
    if plan.completed:
        new_facets = ", ".join(f"{f}: null" for f in plan.new_facets)
        print(f"{'would add' if args.dry_run else 'added'} {new_facets} to {len(plan.completed)} other study "
              f"file(s) in {content}/studies/ (not reported: fill in where a study reports it)", file=sys.stderr)
    if not args.dry_run:
        try:
            write_plan(plan, content)
        except OSError as exc:
            print(f"cannot write {content}/: {exc} (hint: check the folder's permissions and space, and that nobody "
                  "edits it during the import); nothing imported", file=sys.stderr)
            return 1
    counts = (f"added {len(plan.added)}, updated {len(plan.updated)}, unchanged {len(plan.unchanged)}, "
              f"conflicts {len(plan.conflicts)}, skipped {len(plan.skipped)}")
    read = f"{len(result.records) + len(result.skipped)} {NAMES[result.format]} records in {path}"
    print(f"dry run, nothing written: {counts} ({read})" if args.dry_run else f"{counts} ({read})")
    if (plan.added or plan.themes) and not args.dry_run:
        todo = "countries, facets and themes" if result.format in ("ris", "bibtex") else "fields"
        print(f"next: fill in each new study's {todo} marked TODO" + (" and each new theme's synthesis"
              if plan.themes else "") + f", then run `python -m generator validate --content {content}`: it names "
              "every field still missing", file=sys.stderr)
    return 0


def make_parser() -> argparse.ArgumentParser:
    """Every command and option, each with its help (`python -m generator COMMAND --help`; a test checks)."""
    parser = argparse.ArgumentParser(prog="python -m generator", description="Evidence-map site generator.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("validate", help="check content/ and print every problem")
    p.add_argument("--content", default="content", help="content folder (default: content)")
    p.add_argument("--github", action="store_true", help="print problems as GitHub annotations")
    p.add_argument("--strict", action="store_true",
                   help="fail on placeholders left in a study (the pull-request check), not only warn")
    p.set_defaults(func=_validate)
    p = sub.add_parser("build", help="build the site (mkdocs build --strict)")
    p.add_argument("--config", default="mkdocs.yml", help="the MkDocs settings file (default: mkdocs.yml)")
    p.add_argument("--site-dir", default="site",
                   help="folder to build the site into; replaced only when the build succeeds (default: site)")
    p.set_defaults(func=lambda a: build(a.config, a.site_dir))
    p = sub.add_parser("serve", help="preview the site, rebuilding when content/ changes; problems show in the "
                                     "browser")
    p.add_argument("--config", default="mkdocs.yml", help="the MkDocs settings file (default: mkdocs.yml)")
    p.add_argument("--dev-addr", default="127.0.0.1:8000", metavar="IP:PORT",
                   help="address and port to serve on (default: 127.0.0.1:8000; another port if that one is in use, "
                        "e.g. 127.0.0.1:8001)")
    p.set_defaults(func=lambda a: serve(a.config, a.dev_addr))
    p = sub.add_parser("pages", help="write the generated Markdown pages to a folder")
    p.add_argument("--content", default="content", help="content folder (default: content)")
    p.add_argument("--out", required=True, help="folder to write the pages into")
    p.set_defaults(func=_pages)
    p = sub.add_parser("export", help="write the site's source (docs/, mkdocs.yml) for plain MkDocs or Zensical")
    p.add_argument("out", metavar="DIR", help="a new or empty folder outside the sources")
    p.add_argument("--config", default="mkdocs.yml", help="the MkDocs settings file to export (default: mkdocs.yml)")
    p.set_defaults(func=_export)
    p = sub.add_parser("prisma-export", help="write the PRISMA counts as a CSV for the PRISMA2020 R package")
    p.add_argument("--content", default="content", help="content folder (default: content)")
    p.add_argument("--out", default="-", help="file to write (default: standard output)")
    p.set_defaults(func=_prisma_export)
    p = sub.add_parser("prisma-import", help="print prisma: YAML from a PRISMA2020 R package CSV")
    p.add_argument("csv", help="the CSV file (the package's PRISMA.csv template, filled in)")
    p.set_defaults(func=_prisma_import)
    p = sub.add_parser("new-study", help="write a study file to fill in: content/studies/<id>.yml")
    p.add_argument("--author", action="append", required=True, help='an author, "Family, I." (repeat, in order)')
    p.add_argument("--year", type=int, required=True, help="year of publication")
    p.add_argument("--title", help="title of the publication")
    p.add_argument("--id", help="the study id (default: from the authors and year, e.g. smith-et-al-2020)")
    p.add_argument("--content", default="content", help="content folder (default: content)")
    p.set_defaults(func=_new_study)
    p = sub.add_parser("import", help="bring the studies of an export (EPPI-Reviewer JSON, RIS, BibTeX, CSV, "
                                      "studies.json) into content/ (safe to run again)")
    p.add_argument("file", metavar="FILE", help="the export: EPPI-Reviewer's JSON, a .ris or .bib file from EndNote, "
                                               "Zotero, JabRef..., a CSV sheet, or a map's studies.json")
    p.add_argument("--format", choices=("eppi-json", "ris", "bibtex", "csv", "studies-json"),
                   help="the file's format (default: guessed from its extension, else its start)")
    p.add_argument("--mapping", metavar="MAP.yml",
                   help="which column or code set feeds which field, facet or theme (CSV and EPPI-Reviewer JSON; "
                        "see docs/import.md)")
    p.add_argument("--content", default="content", help="content folder (default: content)")
    p.add_argument("--dry-run", action="store_true", help="say what would change, and write nothing")
    p.set_defaults(func=_import)
    p = sub.add_parser("schema", help="write the JSON Schemas for editors into docs/schema/")
    p.add_argument("--root", default=".", help="project folder (default: the current one)")
    p.set_defaults(func=_schema)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    return args.func(args)
