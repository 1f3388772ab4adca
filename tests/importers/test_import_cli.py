"""`python -m generator import FILE`: what it prints, --dry-run, the format guessed, and what to do next."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

FIXTURES = Path(__file__).parent / "fixtures"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)


def test_a_dry_run_says_what_it_would_do_and_writes_nothing(content: Path):
    before = sorted(p.name for p in (content / "studies").iterdir())
    result = run("import", str(FIXTURES / "broken.ris"), "--content", str(content), "--dry-run")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("dry run, nothing written: added 1, updated 0, unchanged 0, conflicts 0, "
                                    "skipped 3 (4 RIS records in ")
    assert f"{FIXTURES / 'broken.ris'}: skipped record 2 (line 6): no year" in result.stderr
    assert "would add" in result.stderr and "good-2018.yml" in result.stderr
    assert sorted(p.name for p in (content / "studies").iterdir()) == before


def test_an_import_adds_studies_tells_what_to_fill_in_and_validate_names_it(content: Path):
    result = run("import", str(FIXTURES / "zotero.bib"), "--content", str(content))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("added 3, updated 0, unchanged 0, conflicts 0, skipped 0 (3 BibTeX records")
    assert "fill in each new study's countries, facets and themes" in result.stderr
    assert {"anghel-ramon-2009.yml", "dal-re-et-al-2019.yml", "world-health-organization-2021.yml"} <= {
        p.name for p in (content / "studies").iterdir()}
    checked = run("validate", "--content", str(content))
    assert checked.returncode == 1
    assert "dal-re-et-al-2019.yml:14: countries: must not be empty" in checked.stderr
    again = run("import", str(FIXTURES / "zotero.bib"), "--content", str(content))
    assert again.stdout.startswith("added 0, updated 0, unchanged 3, conflicts 0, skipped 0")
    # The same studies as RIS: the report's web address fills its empty url; the RIS lists two of the three
    # authors of Dal-Ré et al., a conflict shown with both values and left as the file has it.
    ris = run("import", str(FIXTURES / "zotero.ris"), "--content", str(content))
    assert ris.stdout.startswith("added 0, updated 1, unchanged 2, conflicts 1, skipped 0 (3 RIS records")
    assert ('conflict: dal-re-et-al-2019: authors is ["Dal-Ré, R.", "van Doorn, F.", "King, M. L., Jr."] in the '
            'file, ["Dal-Ré, R.", "van Doorn, F."] in record 3: left as is') in ris.stderr
    assert "King, M. L., Jr." in (content / "studies" / "dal-re-et-al-2019.yml").read_text(encoding="utf-8")


def test_the_format_is_guessed_from_the_first_line_when_the_name_does_not_say(content: Path, tmp_path: Path):
    export = tmp_path / "export.txt"
    shutil.copy(FIXTURES / "endnote.ris", export)
    result = run("import", str(export), "--content", str(content), "--dry-run")
    assert "(2 RIS records in" in result.stdout, result.stderr


def test_an_unreadable_file_is_a_message_and_nothing_is_imported(content: Path, tmp_path: Path):
    notes = tmp_path / "notes.txt"
    notes.write_text("just some notes\n", encoding="utf-8")
    result = run("import", str(notes), "--content", str(content))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "cannot tell the file's format" in result.stderr and "give --format eppi-json, ris, bibtex, csv" in result.stderr
    assert "nothing imported" in result.stderr


def test_an_empty_export_is_refused_in_the_words_of_its_format(content: Path, tmp_path: Path):
    for name, words in (("library.bib", "export the references again as BibTeX"),
                        ("library.ris", "export the references again as RIS")):
        (tmp_path / name).write_text("\n", encoding="utf-8")
        result = run("import", str(tmp_path / name), "--content", str(content))
        assert result.returncode == 1
        assert f"{tmp_path / name}: the file is empty (hint: {words})" in result.stderr
