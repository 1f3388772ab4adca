"""The hostile corpus: each attack on the content that an untrusted pull request could make (issue 17's list, and
more found by attacking it again), built the way the site is built (`python -m generator build`, in a copy of the
project with a site already built). Whatever the input, a build ends within 10 s, with either a site or a message
naming the file (never a traceback), reads nothing from outside the repository, and when it fails leaves the previous
site as it was and no staging folder behind. What each case must show the reader or contributor is asserted too."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import rispy

from conftest import SITES, make_project

SECRET = "SECRET-FROM-OUTSIDE-THE-REPOSITORY"
TIME_LIMIT = 10  # seconds for one whole build, whatever the input (issue 17)
STUDY = "studies/silva-2020.yml"
THEME = "themes/costs.md"


@dataclass(frozen=True)
class Refused:
    """The build stops, and its output holds each of these texts."""

    says: tuple[str, ...]


@dataclass(frozen=True)
class Built:
    """The build succeeds, and check(site) holds."""

    check: Callable[[Path], None] | None = None


@dataclass(frozen=True)
class Case:
    name: str
    attack: Callable[[Path, Path], None]  # (project, a folder outside it holding secrets)
    expect: Refused | Built


def refused(*says: str) -> Refused:
    return Refused(says)


# ------------------------------------------------------------------------------------------------ attacks

def edit(name: str, change: Callable[[str], str]) -> Callable[[Path, Path], None]:
    def attack(project: Path, _outside: Path) -> None:
        path = project / "content" / name
        path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
    return attack


def write(name: str, data: str | bytes) -> Callable[[Path, Path], None]:
    def attack(project: Path, _outside: Path) -> None:
        path = project / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return attack


def field(name: str, yaml_value: str) -> Callable[[Path, Path], None]:
    """Set one top-level field of the study file to a YAML value written as is."""
    return edit(STUDY, lambda text: re.sub(rf"(?m)^{name}:.*\n", "", text) + f"{name}: {yaml_value}\n")


def symlink(name: str, target: str | Callable[[Path], Path]) -> Callable[[Path, Path], None]:
    def attack(project: Path, outside: Path) -> None:
        path = project / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists() or path.is_symlink():
            path.unlink()
        path.symlink_to(target(outside) if callable(target) else target)
    return attack


def fifo(name: str) -> Callable[[Path, Path], None]:
    def attack(project: Path, _outside: Path) -> None:
        os.mkfifo(project / name)
    return attack


def sparse(name: str, size: int) -> Callable[[Path, Path], None]:
    def attack(project: Path, _outside: Path) -> None:
        with open(project / name, "wb") as f:
            f.truncate(size)
    return attack


def nested_list(depth: int) -> str:
    return "[" * depth + "]" * depth


def nested_map(depth: int) -> str:
    return "{a: " * depth + "b" + "}" * depth


def ris_records(site: Path) -> list[dict]:
    return rispy.loads((site / "references.ris").read_text(encoding="utf-8"))


def check_ris_injection(site: Path) -> None:
    records = ris_records(site)
    assert len(records) == 5  # one per study: the title's lines stay inside its record
    assert not any("evil.example" in str(r.get("urls", "")) for r in records)


def check_code_citation(site: Path) -> None:
    page = (site / "themes/costs/index.html").read_text(encoding="utf-8")
    assert "<code>[@silva-2020]</code>" in page  # shown as written, not a link and not escaped markup


def check_bibtex(site: Path) -> None:
    import bibtexparser

    library = bibtexparser.parse_string((site / "references.bib").read_text(encoding="utf-8"))
    assert not library.failed_blocks
    assert len(library.entries) == 5


CONTROL = {"vertical tab": r"\v", "escape": r"\e", "null": r"\0", "C1 control": r"\x80", "noncharacter": r"\uFFFE",
           "right-to-left override": r"\u202E", "line separator": r"\u2028"}

CASES = [
    # 1. symbolic links and files that are not what they seem
    Case("theme-symlinked-outside", symlink("content/themes/leak.md", lambda o: o / "leak.md"),
         refused("content/themes/leak.md", "symbolic link")),
    Case("study-symlinked-outside", symlink("content/studies/leak-2020.yml", lambda o: o / "hosts.yml"),
         refused("content/studies/leak-2020.yml", "symbolic link")),
    Case("study-symlinked-to-process-memory", symlink("content/studies/mem-2020.yml", "/proc/self/mem"),
         refused("content/studies/mem-2020.yml", "symbolic link")),
    Case("study-symlinked-to-root-only-file", symlink("content/studies/shadow-2020.yml", "/etc/shadow"),
         refused("content/studies/shadow-2020.yml", "symbolic link")),
    Case("dangling-symlink", symlink("content/studies/gone-2020.yml", "/nonexistent/gone.yml"),
         refused("content/studies/gone-2020.yml", "symbolic link")),
    Case("themes-folder-symlinked", lambda p, o: (shutil.rmtree(p / "content/themes"),
                                                  shutil.copytree(SITES / "other/content/themes", o / "themes"),
                                                  (p / "content/themes").symlink_to(o / "themes")),
         refused("content/themes", "symbolic link")),
    Case("review-symlinked", lambda p, o: (shutil.copy(p / "content/review.yml", o / "review.yml"),
                                           (p / "content/review.yml").unlink(),
                                           (p / "content/review.yml").symlink_to(o / "review.yml")),
         refused("content/review.yml", "symbolic link")),
    Case("docs-page-symlinked-to-environment", symlink("docs/env.md", "/proc/self/environ"),
         refused("docs/env.md", "symbolic link")),
    Case("docs-folder-symlinked-outside", symlink("docs/more", lambda o: o),
         refused("docs/more", "symbolic link")),
    Case("study-is-a-named-pipe", fifo("content/studies/pipe-2020.yml"), refused("content/studies/pipe-2020.yml")),
    Case("docs-page-is-a-named-pipe", fifo("docs/pipe.md"), refused("docs/pipe.md")),
    Case("study-of-one-gigabyte", sparse("content/studies/huge-2020.yml", 1 << 30),
         refused("content/studies/huge-2020.yml", "over the limit")),
    # 2. nesting that costs time
    Case("markdown-quote-nesting", field("summary", '"' + ">" * 100_000 + 'a"'), refused(STUDY, "summary")),
    Case("markdown-div-nesting", field("summary", "'" + "<div>" * 40_000 + "a'"), refused(STUDY, "summary")),
    Case("markdown-list-nesting", field("summary", '"' + "".join("  " * i + "- a\\n" for i in range(300)) + '"'),
         refused(STUDY, "summary")),
    Case("theme-quote-nesting", edit(THEME, lambda t: t + "\n" + ">" * 100_000 + " deep\n"), refused(THEME)),
    # 3. nesting that crashes the YAML parser
    Case("yaml-list-depth-1000", field("title", nested_list(1000)), refused(STUDY, "nested")),
    Case("yaml-list-depth-30000", field("title", nested_list(30_000)), refused(STUDY, "nested")),
    Case("yaml-map-depth-30000", field("title", nested_map(30_000)), refused(STUDY, "nested")),
    Case("yaml-block-depth-5000", field("title", "\n  " + "- " * 5000 + "a"), refused(STUDY, "nested")),
    Case("front-matter-depth-30000", edit(THEME, lambda t: t.replace("order: 3", "order: " + nested_list(30_000))),
         refused(THEME, "nested")),
    # 4. reserved names
    Case("study-named-index", lambda p, o: shutil.copy(p / "content" / STUDY, p / "content/studies/index.yml"),
         refused("content/studies/index.yml", "reserved")),
    Case("theme-named-index", lambda p, o: shutil.copy(p / "content" / THEME, p / "content/themes/index.md"),
         refused("content/themes/index.md", "reserved")),
    # 5. records injected into downloads
    Case("ris-record-injection", field("title", '"A title\\nER  - \\n\\nTY  - JOUR\\nTI  - Fake\\n'
                                                'UR  - https://evil.example/\\nER  - \\n"'),
         Built(check_ris_injection)),
    Case("bibtex-brace-break-out", field("journal", '"Disability & Society}, note = {injected"'), Built(check_bibtex)),
    # 6. control and direction characters
    *(Case(f"control-{name.replace(' ', '-')}", field("title", f'"A {escape} title"'), refused(STUDY, "title"))
      for name, escape in CONTROL.items()),
    Case("control-in-theme-body", edit(THEME, lambda t: t + "\nText with a \x1b[31m colour code.\n"), refused(THEME)),
    # 7. explicit tags with bad values
    Case("tag-bool-maybe", field("year", "!!bool maybe"), refused(STUDY, "year")),
    Case("tag-timestamp-soon", field("year", "!!timestamp soon"), refused(STUDY, "year")),
    Case("tag-int-empty", field("year", '!!int ""'), refused(STUDY, "year")),
    Case("tag-int-dash", field("year", '!!int "-"'), refused(STUDY, "year")),
    Case("tag-in-front-matter", edit(THEME, lambda t: t.replace("order: 3", 'order: !!int ""')), refused(THEME, "order")),
    # 11. YAML 1.1 numbers and empty names
    Case("author-without-family-name", field("authors", '[", K."]'), refused(STUDY, "authors")),
    # 12. nothing skipped without a word
    Case("folder-named-like-a-study", lambda p, o: (p / "content/studies/folder-2020.yml").mkdir(),
         refused("content/studies/folder-2020.yml")),
    Case("study-in-a-nested-folder", lambda p, o: ((p / "content/studies/2021").mkdir(),
                                                   shutil.copy(p / "content" / STUDY,
                                                               p / "content/studies/2021/smith-2021.yml")),
         refused("content/studies/2021")),
    Case("backup-file", lambda p, o: shutil.copy(p / "content" / STUDY, p / "content/studies/silva-2020.yml.bak"),
         refused("content/studies/silva-2020.yml.bak")),
    Case("anchor-without-alias", field("journal", "&a Some Journal"), refused(STUDY, "anchor")),
    Case("theme-with-crlf-line-endings", edit(THEME, lambda t: t.replace("\n", "\r\n")), Built()),
    Case("citation-inside-code", edit(THEME, lambda t: t + "\nWrite `[@silva-2020]` to cite.\n"),
         Built(check_code_citation)),
    # more, found by attacking again
    Case("file-name-not-utf8", write("content/studies/caf\udce9-2020.yml", "title: A\n"),
         refused("content/studies/caf")),
    Case("file-name-with-newline", write("content/studies/a\n::error::spoof.yml", "title: A\n"),
         refused("content/studies/a")),
    Case("table-with-many-columns", field("summary", '"' + "|a" * 20_000 + '|\\n' + "|-" * 20_000 + '|\\n"'),
         Built()),
    Case("emphasis-pathological", field("summary", '"' + "*a **a " * 20_000 + '"'), Built()),
    Case("brackets-pathological", field("summary", '"' + "[" * 100_000 + '"'), Built()),
    Case("many-citations-in-a-theme", edit(THEME, lambda t: t + "\n" + "[@silva-2020] " * 10_000 + "\n"), Built()),
]


# ------------------------------------------------------------------------------------------------- the run

@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site built once from the 'other' fixture review: each case starts with it in place, as a previous build."""
    project = make_project(tmp_path_factory.mktemp("previous"), SITES / "other" / "content")
    result = generate(project)
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site"


def generate(project: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(project)}
    return subprocess.run([sys.executable, "-m", "generator", "build"], cwd=project, env=env, capture_output=True,
                          text=True, errors="replace", timeout=TIME_LIMIT, stdin=subprocess.DEVNULL)


def digest(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        h.update(path.relative_to(folder).as_posix().encode())
        if path.is_file():
            h.update(path.read_bytes())
    return h.hexdigest()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_a_hostile_input_is_built_or_refused_quickly_and_safely(case: Case, built_site: Path, tmp_path: Path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "leak.md").write_text(f"---\ntitle: {SECRET}\nsummary: {SECRET}\n---\n{SECRET}\n", encoding="utf-8")
    (outside / "hosts.yml").write_text(f"github.com:\n  oauth_token: {SECRET}\n  user: {SECRET}\n", encoding="utf-8")
    project = make_project(tmp_path, SITES / "other" / "content")
    shutil.copytree(built_site, project / "site")
    before = digest(project / "site")
    case.attack(project, outside)
    try:
        result = generate(project)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{case.name}: the build took over {TIME_LIMIT} s")
    output = result.stdout + result.stderr
    assert "Traceback" not in output and "Build failed: '" not in output, output[-3000:]
    assert SECRET not in output
    assert not [p.name for p in project.iterdir() if p.name.startswith(".site-")], "a staging folder was left"
    if isinstance(case.expect, Refused):
        assert result.returncode != 0, f"{case.name} was built:\n{output[-2000:]}"
        for text in case.expect.says:
            assert text in output, f"{case.name}: {text!r} not in:\n{output[-3000:]}"
        assert digest(project / "site") == before, "a failed build changed the previous site"
    else:
        assert result.returncode == 0, output[-3000:]
        site = project / "site"
        assert not any(SECRET in p.read_text(encoding="utf-8", errors="replace")
                       for p in site.rglob("*") if p.is_file() and p.suffix in (".html", ".json", ".xml"))
        if case.expect.check:
            case.expect.check(site)

