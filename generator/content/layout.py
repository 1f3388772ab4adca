"""What content/ holds: review.yml, studies/ and themes/, and nothing else read. Nothing in it is skipped without a
message, and nothing is followed out of it: a symbolic link is refused wherever it is (a pull request could point one
at any file on the machine that builds it), and so is anything that is not a plain file or one of the expected
folders. File names are ids: a bad or reserved one is a problem, and the file is not read."""

from __future__ import annotations

import os
import re
from pathlib import Path

from . import schema
from .files import SYMLINK_MESSAGE, kind_problem
from .problems import Problem, display_path

SLUG = re.compile(schema.SLUG_PATTERN)


_SUFFIX = {"study": ".yml", "theme": ".md"}
_ALSO = {"study": {".yaml", ".yml"}, "theme": {".md", ".markdown"}}  # meant to be one: renamed, the file is read
_EXAMPLE = {"study": "name a study after its first author and year, e.g. smith-2021.yml",
            "theme": "name a theme with a word or two, e.g. costs.md"}
_NOT_READ = "not read: content/ holds review.yml, studies/ and themes/"


class Layout:
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


def content_files(folder: Path | None, kind: str, problems: list[Problem]) -> list[Path]:
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


def study_paths(folder: Path | None, problems: list[Problem]) -> list[Path]:
    """The study files whose names are valid ids (a bad name is a problem, and the file is not read)."""
    return content_files(folder, "study", problems)
