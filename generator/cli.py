"""Command line: `python -m generator validate|build|serve|pages|prisma-export|prisma-import`."""

from __future__ import annotations

import argparse
import glob
import os
import shutil
import stat
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from .content import check_content
from .problems import sort_problems


def _validate(args: argparse.Namespace) -> int:
    emap, problems = check_content(Path(args.content))
    for problem in sort_problems(problems):
        if args.github:
            kind = "warning" if problem.warning else "error"
            line = f",line={problem.line}" if problem.line else ""
            print(f"::{kind} file={_gh_property(problem.path)}{line}::{_gh_escape(str(problem))}")
        else:
            print(problem, file=sys.stderr)
    errors = [p for p in problems if not p.warning]
    if emap is None:
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


def _mkdocs(argv: list[str]) -> int:
    import click
    from mkdocs.__main__ import cli  # imported here: `validate` works without the publisher

    try:
        cli.main(args=argv, prog_name="mkdocs", standalone_mode=False)
    except SystemExit as exc:  # mkdocs' Abort too: its messages are already printed
        return exc.code if isinstance(exc.code, int) else int(exc.code is not None)
    except click.ClickException as exc:
        print(f"Build failed: {exc.format_message()}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"Cannot build: {_reason(exc)}", file=sys.stderr)
        return 1
    except Exception as exc:
        traceback.print_exc()
        print(f"Unexpected error: {type(exc).__name__}: {exc} (a bug in the generator, not a mistake in the content: "
              "please report it with the output above)", file=sys.stderr)
        return 1
    return 0


class _Refused(Exception):
    """A build step that cannot be done: the message says what and why."""


def _reason(exc: OSError) -> str:
    return f"{exc.strerror}: '{exc.filename}'" if exc.filename else (exc.strerror or str(exc))


@contextmanager
def _step(what: str, hint: str) -> Iterator[None]:
    try:
        yield
    except OSError as exc:
        raise _Refused(f"Cannot {what}: {_reason(exc)} (hint: {hint})") from None


def _build(args: argparse.Namespace) -> int:
    """`mkdocs build --strict` into a fresh folder beside the site, swapped in only when the build succeeds:
    a failed build leaves the previous site exactly as it was. Builds into one site wait for each other (a lock
    beside it), and the next build removes what a killed one left."""
    shown = args.site_dir.rstrip("/") or "/"
    site = Path(args.site_dir).resolve()
    refusal = _refusal(site, shown, Path(args.config))
    if refusal:
        print(f"Build refused: {refusal}", file=sys.stderr)
        return 1
    code = 1
    try:
        with _step(f"make the folder for {shown}", "check the --site-dir path and the permissions of its folders"):
            site.parent.mkdir(parents=True, exist_ok=True)
            lock = open(site.parent / f".{site.name}.lock", "a")  # held for the whole build
        with lock:
            _wait_for(lock, shown)
            _clean_after_killed_builds(site)
            staging = site.with_name(f".{site.name}-building-{os.getpid()}")
            with _step(f"make the build folder beside {shown}", "check the permissions of the folder it is in"):
                staging.mkdir()  # with the umask's permissions, as MkDocs makes a site folder
            try:
                code = _mkdocs(["build", "--strict", "--config-file", args.config, "--site-dir", str(staging)])
                if code != 0:
                    raise _Refused()
                _swap(staging, site, shown)
            finally:
                if staging.exists():
                    shutil.rmtree(staging, ignore_errors=True)
    except _Refused as exc:
        if exc.args:
            print(exc.args[0], file=sys.stderr)
        print(f"Build failed: {shown}/ is unchanged", file=sys.stderr)
        return code or 1
    print(f"The site is in {shown}/", file=sys.stderr)
    return 0


def _refusal(site: Path, shown: str, config: Path) -> str | None:
    """Why `site` cannot be a site folder, which the build replaces whole: it is, holds or is inside the sources, or
    it exists and is not a site built before. (MkDocs' own check sees only the build's fresh folder.)"""
    root = config.resolve().parent
    sources = [("the project folder", root), ("the docs folder", (root / _docs_dir(config)).resolve()),
               ("the content folder", (root / "content").resolve()),
               ("the generator's code", (root / "generator").resolve()),
               ("the generator's code", Path(__file__).resolve().parent), ("the git repository", root / ".git")]
    for what, source in sources:
        if site == source:
            how = "is"
        elif source.is_relative_to(site):
            how = "holds"
        elif source != root and site.is_relative_to(source):
            how = "is inside"
        else:
            continue
        return (f"{shown} {how} {what}; the build replaces its site folder whole (hint: choose a folder of its own "
                "outside the sources, e.g. --site-dir site)")
    try:
        if site.exists() and not site.is_dir():
            return f"{shown} is a file, not a folder (hint: choose another --site-dir)"
        if site.is_dir() and any(site.iterdir()) and not (site / "index.html").is_file():
            return (f"{shown} is a folder that does not look like a built site (no index.html); the build replaces "
                    "its site folder whole (hint: choose another folder, or remove this one yourself)")
    except OSError as exc:
        return f"cannot look into {shown}: {_reason(exc)} (hint: check its permissions)"
    return None


def _docs_dir(config: Path) -> str:
    """docs_dir from mkdocs.yml (MkDocs reports a config it cannot read; the default stands in until then)."""
    from mkdocs.exceptions import ConfigurationError
    from mkdocs.utils.yaml import yaml_load
    from yaml import YAMLError

    try:
        with config.open(encoding="utf-8") as file:
            settings = yaml_load(file)
    except (OSError, UnicodeDecodeError, YAMLError, ConfigurationError):
        return "docs"
    value = settings.get("docs_dir", "docs") if isinstance(settings, dict) else "docs"
    return value if isinstance(value, str) else "docs"


def _wait_for(lock: IO[str], shown: str) -> None:
    try:
        import fcntl  # not on Windows, where builds are not serialised (validate and the rest still work)
    except ImportError:  # pragma: no cover - Windows
        return
    with _step(f"lock {lock.name}", "is the folder on a file system without locks? build elsewhere"):
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"Waiting for another build into {shown}/ to finish...", file=sys.stderr)
            fcntl.flock(lock, fcntl.LOCK_EX)


def _clean_after_killed_builds(site: Path) -> None:
    """Folders a killed build left beside the site. With the lock held no build is using them; a previous site
    that a build killed while swapping had moved aside is put back."""
    name = glob.escape(site.name)
    building = sorted(site.parent.glob(f".{name}-building-*"))
    old = sorted(site.parent.glob(f".{name}-old-*"), key=lambda p: p.stat().st_mtime)
    if old and not site.exists():
        with _step(f"put back the previous site from {old[-1].name}", "move it back to its place yourself"):
            old.pop().rename(site)
    for path in building + old:
        try:
            _remove_tree(path)
        except OSError as exc:
            print(f"Warning: cannot remove {path.name}, left by an interrupted build: {_reason(exc)}",
                  file=sys.stderr)


def _swap(staging: Path, site: Path, shown: str) -> None:
    old = site.with_name(f".{site.name}-old-{os.getpid()}")
    moved = site.exists()
    if moved:
        with _step("move the previous site aside", f"check the permissions of {shown}/ and of the folder it is in"):
            site.rename(old)
    try:
        staging.rename(site)
    except OSError as exc:
        if moved:
            old.rename(site)
        raise _Refused(f"Cannot put the new site in place: {_reason(exc)} (hint: check the permissions of the "
                       f"folder {shown}/ is in)") from None
    if moved:
        try:
            _remove_tree(old)
        except OSError as exc:
            print(f"Warning: the previous site is left in {old.name}: {_reason(exc)} (hint: remove it yourself; "
                  "the next build tries again)", file=sys.stderr)


def _remove_tree(path: Path) -> None:
    try:
        shutil.rmtree(path)
    except PermissionError:  # a read-only folder in it: its owner may open it up, then remove it
        _open_up(path)
        shutil.rmtree(path)


def _open_up(folder: Path) -> None:
    os.chmod(folder, stat.S_IRWXU)
    for entry in os.scandir(folder):
        if entry.is_dir(follow_symlinks=False):
            _open_up(Path(entry.path))


def _pages(args: argparse.Namespace) -> int:
    """Write the generated Markdown pages to a folder (to inspect them; `export` writes a whole site source)."""
    from .site import Site, SiteError

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
    from .export import export
    from .site import SiteError, crash_report

    shown = args.out.rstrip("/") or "/"
    out = Path(args.out)
    refusal = _refusal(out.resolve(), shown, Path(args.config))  # the same sources are off limits
    if refusal:
        print(f"Export refused: {refusal}", file=sys.stderr)
        return 1
    try:
        site, count = export(Path(args.config), out)
    except SiteError as exc:
        if exc.lines != [exc.summary]:
            print("\n".join(exc.lines), file=sys.stderr)
        print(f"Export failed: {exc.summary}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"Cannot export: {_reason(exc)}", file=sys.stderr)
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
    from .content import check_content
    from .prisma_csv import export_csv

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
    from .prisma_csv import PrismaCsvError, import_csv, prisma_yaml, read_csv_file

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
    from .schema_export import write_schemas

    for path in write_schemas(Path(args.root)):
        print(f"wrote {path}", file=sys.stderr)
    return 0


def _new_study(args: argparse.Namespace) -> int:
    """Write content/studies/<id>.yml to fill in."""
    from .content import load_outline
    from .scaffold import ScaffoldError, new_study

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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator", description="Evidence-map site generator.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("validate", help="check content/ and print every problem")
    p.add_argument("--content", default="content", help="content folder (default: content)")
    p.add_argument("--github", action="store_true", help="print problems as GitHub annotations")
    p.set_defaults(func=_validate)
    p = sub.add_parser("build", help="build the site (mkdocs build --strict)")
    p.add_argument("--config", default="mkdocs.yml")
    p.add_argument("--site-dir", default="site")
    p.set_defaults(func=_build)
    p = sub.add_parser("serve", help="preview the site, rebuilding when content/ changes")
    p.add_argument("--config", default="mkdocs.yml")
    p.add_argument("--dev-addr", default="127.0.0.1:8000")
    p.set_defaults(func=lambda a: _mkdocs(["serve", "--config-file", a.config, "--dev-addr", a.dev_addr]))
    p = sub.add_parser("pages", help="write the generated Markdown pages to a folder")
    p.add_argument("--content", default="content")
    p.add_argument("--out", required=True)
    p.set_defaults(func=_pages)
    p = sub.add_parser("export", help="write the site's source (docs/, mkdocs.yml) for plain MkDocs or Zensical")
    p.add_argument("out", metavar="DIR", help="a new or empty folder outside the sources")
    p.add_argument("--config", default="mkdocs.yml")
    p.set_defaults(func=_export)
    p = sub.add_parser("prisma-export", help="write the PRISMA counts as a CSV for the PRISMA2020 R package")
    p.add_argument("--content", default="content")
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
    p.add_argument("--content", default="content")
    p.set_defaults(func=_new_study)
    p = sub.add_parser("schema", help="write the JSON Schemas for editors into docs/schema/")
    p.add_argument("--root", default=".", help="project folder (default: the current one)")
    p.set_defaults(func=_schema)
    args = parser.parse_args(argv)
    return args.func(args)
