"""The command line, run as a contributor runs it."""

import subprocess
import sys
from pathlib import Path

from conftest import ROOT


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}, timeout=60)


def test_validate_bundled_content():
    result = run("validate")
    assert result.returncode == 0
    assert "content/ is valid: 11 studies, 3 themes" in result.stderr


def test_validate_reports_problems_and_fails(content: Path):
    study = content / "studies/silva-2020.yml"
    study.write_text(study.read_text(encoding="utf-8").replace("study-type: qualitative", "study-type: qual"))
    result = run("validate", cwd=content.parent)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "content/studies/silva-2020.yml:8: facets.study-type: unknown value 'qual' for Study type "
        "(hint: did you mean 'qualitative'? allowed: trial, cohort, qualitative)",
        "1 problem(s) found in content/",
    ]


def test_github_annotations(content: Path):
    study = content / "studies/silva-2020.yml"
    study.write_text(study.read_text(encoding="utf-8").replace("year: 2020", "year: 20x0"))
    result = run("validate", "--github", cwd=content.parent)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "::error file=content/studies/silva-2020.yml,line=3::content/studies/silva-2020.yml:3: year: "
        "expected a whole number, got '20x0'"
    ]


def test_pages_writes_the_generated_markdown(tmp_path: Path):
    result = run("pages", "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out/studies/anghel-ramon-2009.md").is_file()
    assert len(list((tmp_path / "out/studies").glob("*.md"))) == 12  # 11 studies and the index
