"""Hostile input to the build itself: links and special files in docs/, a site folder that would replace the
sources, interrupted and concurrent builds, and crashes, which must be messages rather than silence or
tracebacks."""

from __future__ import annotations

import fcntl
import logging
import os
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from mkdocs.exceptions import Abort

import generator.publish.site
from conftest import SITES, make_project
from generator import cli


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path, SITES / "other" / "content")


def run(project: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    """`python -m generator …` in the project, with the project's copy of the generator (as a maintainer runs it)."""
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=project, capture_output=True, text=True,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, timeout=timeout)


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every path under folder with its content (None for a folder): to show that nothing was touched."""
    return {p.relative_to(folder).as_posix(): None if p.is_dir() else p.read_bytes()
            for p in sorted(folder.rglob("*"))}


# ------------------------------------------------------------------------------------------------ docs/

def test_links_and_special_files_in_docs_stop_the_build_before_anything_is_read(project: Path, tmp_path: Path):
    secret = tmp_path / "outside"
    secret.mkdir()
    (secret / "secret.md").write_text("SECRET-TOKEN", encoding="utf-8")
    docs = project / "docs"
    (docs / "env.md").symlink_to("/proc/self/environ")
    (docs / "data").symlink_to(secret, target_is_directory=True)
    (docs / "gone.md").symlink_to(tmp_path / "nowhere.md")
    (docs / "sub").mkdir()
    (docs / "sub/.hidden.css").symlink_to(secret / "secret.md")
    os.mkfifo(docs / "pipe.md")  # reading it would wait forever
    result = run(project, "build")
    assert result.returncode == 1
    errors = [line.split("-  ", 1)[1] for line in result.stderr.splitlines() if line.startswith("ERROR")]
    hint = "the site would publish what it points to (hint: commit the file itself)"
    assert errors == [
        "docs/data is a symbolic link; the site would publish what it points to (hint: commit the folder itself)",
        f"docs/env.md is a symbolic link; {hint}",
        f"docs/gone.md is a symbolic link; {hint}",
        "docs/pipe.md is a named pipe, not a file (hint: remove it: docs/ holds files and folders only)",
        f"docs/sub/.hidden.css is a symbolic link; {hint}",
    ]
    assert "Build failed: site/ is unchanged" in result.stderr
    assert not (project / "site").exists()
    assert "SECRET-TOKEN" not in result.stderr + result.stdout


def test_a_docs_folder_that_is_a_link_is_refused(project: Path, tmp_path: Path):
    (project / "docs").rename(tmp_path / "elsewhere")
    (project / "docs").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    result = run(project, "build")
    assert result.returncode == 1
    assert [line.split("-  ", 1)[1] for line in result.stderr.splitlines() if line.startswith("ERROR")] == [
        "docs is a symbolic link; the site would publish what it points to (hint: commit the folder itself)"]


# ------------------------------------------------------------------------------------------------ crashes

def test_a_crash_while_loading_is_an_error_naming_the_file_not_a_silent_death(project: Path, monkeypatch, caplog):
    from generator.content import load
    from generator.publish.mkdocs_plugin import EvidenceMapPlugin

    def check_study(study, loaded, path, *_):
        if path.name == "silva-2020.yml":
            return {"yes": path}["maybe"]  # a bug, met while checking this study
        return None

    monkeypatch.setattr(load, "check_study", check_study)
    monkeypatch.chdir(project)
    config = SimpleNamespace(edit_uri="edit/main/docs/", config_file_path=str(project / "mkdocs.yml"),
                             site_url="https://example.org/", repo_url="https://github.com/o/r", plugins={},
                             use_directory_urls=True, extra={})
    with caplog.at_level(logging.ERROR), pytest.raises(Abort) as caught:
        plugin = EvidenceMapPlugin()
        plugin.load_config({})
        plugin.on_config(config)
    assert str(caught.value) == "the generator failed (a bug): KeyError: 'maybe'"
    where = f"{__file__}:{check_study.__code__.co_firstlineno + 2}"
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == [
        f"content/studies/silva-2020.yml: the generator failed: KeyError: 'maybe' (at {where}; this is a bug in "
        "the generator, not a mistake in the content: please report it with the output of `mkdocs build -v`)"]


def test_an_unexpected_exception_says_what_it_was_and_that_it_is_a_bug(project: Path, monkeypatch, capsys):
    def broken(self, src_uri, docs_dir):
        raise KeyError("maybe")

    monkeypatch.setattr(generator.publish.site.Site, "edit_uri", broken)  # called by the plugin after loading
    monkeypatch.chdir(project)
    assert cli.main(["build"]) == 1
    err = capsys.readouterr().err
    assert 'raise KeyError("maybe")' in err  # the traceback, for the report
    assert err.splitlines()[-2:] == [
        "Unexpected error: KeyError: 'maybe' (a bug in the generator, not a mistake in the content: please report "
        "it with the output above)",
        "Build failed: site/ is unchanged"]
    assert not (project / "site").exists()


# ------------------------------------------------------------------------------------------------ the site folder

@pytest.mark.parametrize(("site_dir", "why"), [
    ("docs", "docs is the docs folder"),
    ("docs/new", "docs/new is inside the docs folder"),
    ("content", "content is the content folder"),
    ("content/studies", "content/studies is inside the content folder"),
    ("generator", "generator is the generator's code"),
    (".git", ".git is the git repository"),
    (".", ". is the project folder"),
    ("..", ".. holds the project folder"),
])
def test_the_build_refuses_a_site_folder_among_the_sources(project: Path, site_dir: str, why: str):
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    before = snapshot(project.parent)
    result = run(project, "build", "--site-dir", site_dir)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"Build refused: {why}; the build replaces its site folder whole (hint: choose a folder of its own "
        "outside the sources, e.g. --site-dir site)"]
    assert snapshot(project.parent) == before


def test_the_build_refuses_to_replace_a_folder_or_file_that_is_not_a_site(project: Path):
    (project / "notes").mkdir()
    (project / "notes/todo.txt").write_text("mine", encoding="utf-8")
    (project / "README.txt").write_text("mine", encoding="utf-8")
    before = snapshot(project)
    result = run(project, "build", "--site-dir", "notes")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "Build refused: notes is a folder that does not look like a built site (no index.html); the build "
        "replaces its site folder whole (hint: choose another folder, or remove this one yourself)"]
    result = run(project, "build", "--site-dir", "README.txt")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "Build refused: README.txt is a file, not a folder (hint: choose another --site-dir)"]
    result = run(project, "build", "--site-dir", "README.txt/site")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"Cannot make the folder for README.txt/site: File exists: '{project / 'README.txt'}' "
        "(hint: check the --site-dir path and the permissions of its folders)",
        "Build failed: README.txt/site/ is unchanged"]
    assert snapshot(project) == before


def test_the_site_gets_the_usual_permissions(project: Path):
    old = os.umask(0o027)
    try:
        result = run(project, "build")
    finally:
        os.umask(old)
    assert result.returncode == 0, result.stderr
    assert (project / "site").stat().st_mode & 0o777 == 0o750
    assert (project / "site/index.html").stat().st_mode & 0o777 == 0o640


def test_folders_left_by_a_killed_build_are_removed_by_the_next(project: Path):
    for name in (".site-building-4194305", ".site-old-4194306", ".site-building-x1y2z3"):  # dead pid, old name
        (project / name / "assets").mkdir(parents=True)
    (project / ".other-building-1").mkdir()  # another site's: not ours to remove
    result = run(project, "build")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".")) == [".other-building-1", ".site.lock"]


def test_a_build_killed_while_swapping_the_site_gets_the_old_site_back(project: Path):
    assert run(project, "build").returncode == 0
    (project / "site").rename(project / ".site-old-4194306")  # killed between its two renames
    before = snapshot(project / ".site-old-4194306")
    (project / "content/review.yml").write_text("title: [", encoding="utf-8")
    result = run(project, "build")
    assert result.returncode == 1
    assert "Build failed: site/ is unchanged" in result.stderr
    assert snapshot(project / "site") == before
    assert not (project / ".site-old-4194306").exists()


def test_builds_into_one_site_wait_for_each_other(project: Path):
    with open(project / ".site.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        waiting = subprocess.Popen([sys.executable, "-m", "generator", "build"], cwd=project, text=True,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        time.sleep(4)  # a build takes about two seconds
        assert waiting.poll() is None and not (project / "site").exists()
    _, err = waiting.communicate(timeout=60)
    assert waiting.returncode == 0, err
    assert err.startswith("Waiting for another build into site/ to finish...\n")
    both = [subprocess.Popen([sys.executable, "-m", "generator", "build"], cwd=project, text=True,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    for proc in both:
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".")) == [".site.lock"]


def test_a_site_that_cannot_be_moved_is_a_message_and_stays_as_it_was(project: Path, monkeypatch, capsys):
    monkeypatch.chdir(project)
    assert cli.main(["build"]) == 0
    before = snapshot(project / "site")
    real_rename = Path.rename

    def rename(self: Path, target):
        if self.name == "site":
            raise PermissionError(13, "Permission denied", str(self))
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", rename)
    capsys.readouterr()
    assert cli.main(["build"]) == 1
    assert capsys.readouterr().err.splitlines()[-2:] == [
        f"Cannot move the previous site aside: Permission denied: '{project / 'site'}' "
        "(hint: check the permissions of site/ and of the folder it is in)",
        "Build failed: site/ is unchanged"]
    assert snapshot(project / "site") == before
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".")) == [".site.lock"]


def test_an_old_site_that_cannot_be_removed_is_a_warning(project: Path, monkeypatch, capsys):
    monkeypatch.chdir(project)
    assert cli.main(["build"]) == 0

    def rmtree(path, onerror=None, **_):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr("shutil.rmtree", rmtree)
    capsys.readouterr()
    assert cli.main(["build"]) == 0
    err = capsys.readouterr().err.splitlines()
    old = f".site-old-{os.getpid()}"
    assert err[-2:] == [
        f"Warning: the previous site is left in {old}: Permission denied: '{project / old}' (hint: remove it "
        "yourself; the next build tries again)",
        "The site is in site/"]
    assert (project / "site/index.html").is_file()
