"""`python -m generator import FILE`: what it prints, --dry-run, the format guessed, and what to do next."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT
from generator.cli import main
from generator.importers import run as run_module
from generator.importers.records import Code, FacetSpec, ReadResult, Record, Skipped, ThemeSpec

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


def test_a_mapping_file_for_a_ris_export_is_refused_with_a_hint(content: Path, tmp_path: Path):
    (tmp_path / "map.yml").write_text("columns: {}\n", encoding="utf-8")
    result = run("import", str(FIXTURES / "zotero.ris"), "--mapping", str(tmp_path / "map.yml"), "--content",
                 str(content))
    assert result.returncode == 1
    assert result.stderr == (f"{tmp_path / 'map.yml'}: a mapping file is for CSV and EPPI-Reviewer exports; RIS has "
                             "fixed fields (hint: leave out --mapping for a RIS or BibTeX file)\nnothing imported\n")


def test_into_a_folder_without_review_yml_the_import_writes_one_to_fill_in(tmp_path: Path):
    folder = tmp_path / "new-map"
    result = run("import", str(FIXTURES / "zotero.bib"), "--content", str(folder))
    assert result.returncode == 0, result.stderr
    assert f"wrote {folder}/review.yml (its title, question and databases are TODO: fill them in)" in result.stderr
    assert result.stdout.startswith("added 3, updated 0, unchanged 0, conflicts 0, skipped 0 (3 BibTeX records")
    assert '"TODO: the review\'s title"' in (folder / "review.yml").read_text(encoding="utf-8")
    checked = run("validate", "--content", str(folder))
    # review.yml is valid; what is left in it to write is named as a placeholder, field by field
    assert [line.split(": ")[1:3] for line in checked.stderr.splitlines() if "review.yml" in line] == [
        ["warning", "title"], ["warning", "question"], ["warning", "search.databases[0]"]]
    # A review with no themes: a new study's themes are {} (valid), so what is left is what the export did not say
    assert {line.split(": ")[1] for line in checked.stderr.splitlines() if "/studies/" in line} == {"countries",
                                                                                                     "journal"}


CODED = ReadResult("eppi-json", [
    Record(1, "Singing together", ("Berg, L.",), 2023, countries=("IE",), facets={"type": ("rct", "survey")},
           themes={"access": "Hard to reach."}),
    Record(2, "Who comes to the day centre?", ("Silva, A.",), 2020, facets={"funding": ("public",)}, region="Lisbon")],
    [Skipped(3, "no title", 40)],
    facets=(FacetSpec("type", "Study type", False, (Code("rct", "Randomised trial"), Code("survey", "Survey"))),
            FacetSpec("funding", "Funding", False, (Code("public", "Public"),))),
    themes=(ThemeSpec("access", "Access"),), notices=["record 4: 'Atlantis' is not a country: left out"])


def test_a_coded_import_lists_what_review_yml_gains_the_notices_and_the_counts(content: Path, tmp_path: Path,
                                                                               monkeypatch, capsys):
    given = []
    monkeypatch.setattr(run_module, "_reader", lambda fmt: lambda path, mapping: given.append(mapping) or CODED)
    export, mapping = tmp_path / "export.json", tmp_path / "map.yml"
    export.write_text('{"CodeSets": [], "References": []}', encoding="utf-8")
    mapping.write_text('code_sets:\n  "Study design": {facet: type}\n', encoding="utf-8")
    review = (content / "review.yml").read_text(encoding="utf-8")

    assert main(["import", str(export), "--mapping", str(mapping), "--content", str(content), "--dry-run"]) == 0
    out, err = capsys.readouterr()
    assert given[0].data == {"code_sets": {"Study design": {"facet": "type"}}}  # the mapping, read, to the reader
    assert out == (f"dry run, nothing written: added 1, updated 1, unchanged 0, conflicts 0, skipped 1 (3 "
                   f"EPPI-Reviewer JSON records in {export})\n")
    assert err.splitlines() == [
        f"{export}: skipped record 3 (line 40): no title",
        f"{export}: record 4: 'Atlantis' is not a country: left out",
        f"{export}: record 1: facet 'study-type' takes one value in review.yml, the record gives 2 (trial, survey): "
        "not written (hint: choose one by hand, or set `multiple: true` for study-type in review.yml)",
        f'{content}/review.yml would gain code survey ("Survey") in facet study-type',
        f'{content}/review.yml would gain facet funding ("Funding", 1 code)',
        f"{content}/review.yml would gain funding at the end of matrix.columns",
        f"would add {content}/studies/berg-2023.yml",
        f"would fill empty fields of {content}/studies/silva-2020.yml",
        f"would add {content}/themes/access.md",
        f"would add funding: null to 4 other study file(s) in {content}/studies/ (not reported: fill in where a "
        "study reports it)"]
    assert (content / "review.yml").read_text(encoding="utf-8") == review and not (content / "themes/access.md").exists()

    assert main(["import", str(export), "--content", str(content)]) == 0
    out, _ = capsys.readouterr()
    assert out.startswith("added 1, updated 1, unchanged 0, conflicts 0, skipped 1")
    assert (content / "themes/access.md").exists() and "survey" in (content / "review.yml").read_text(encoding="utf-8")
    assert main(["import", str(export), "--content", str(content)]) == 0
    assert capsys.readouterr().out.startswith("added 0, updated 0, unchanged 2, conflicts 0, skipped 1")


def test_a_json_export_s_kind_is_told_by_its_first_keys(tmp_path: Path):
    from generator.importers.run import guess_format

    (tmp_path / "a.json").write_text('{"CodeSets": [{"SetName": "x"}], "References": []}', encoding="utf-8")
    (tmp_path / "b.json").write_text('{"review": {}, "facets": {}, "themes": [], "studies": []}', encoding="utf-8")
    (tmp_path / "c.json").write_text('{"hello": 1}', encoding="utf-8")
    assert (guess_format(tmp_path / "a.json"), guess_format(tmp_path / "b.json")) == ("eppi-json", "studies-json")
    result = run("import", str(tmp_path / "c.json"), "--content", str(tmp_path))
    assert "cannot tell which JSON export this is" in result.stderr and "--format eppi-json" in result.stderr


def test_a_review_yml_with_problems_is_named_and_nothing_is_imported(content: Path):
    review = content / "review.yml"
    review.write_text(review.read_text(encoding="utf-8").replace("multiple: true", "multiple: maybe", 1),
                      encoding="utf-8")
    before = sorted(p.name for p in (content / "studies").iterdir())
    result = run("import", str(FIXTURES / "zotero.ris"), "--content", str(content))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.splitlines()[0].startswith(f"{review}:14: facets.intervention.multiple:")
    assert result.stderr.endswith(f"{review}: review.yml has problems: the import needs its facets (hint: fix "
                                  "review.yml first (the problems are listed above), then import again)\n"
                                  "nothing imported\n")
    assert sorted(p.name for p in (content / "studies").iterdir()) == before
