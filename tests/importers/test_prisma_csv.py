"""Moving PRISMA counts between review.yml and the PRISMA2020 R package's CSV template."""

import csv
import io
import os
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from generator.content.schema import Prisma
from generator.importers.prisma_csv import PrismaCsvError, import_csv, prisma_yaml, read_csv_file
from generator.outputs.prisma_csv import export_csv

FIXTURES = ROOT / "tests/sites/prisma2020"


def prisma_of(path: Path) -> Prisma:
    return Prisma.model_validate(yaml.safe_load(path.read_text(encoding="utf-8"))["prisma"])


def n_by_row(text: str) -> dict[str, str]:
    return {row["data"]: row["n"] for row in csv.DictReader(io.StringIO(text)) if row["data"] != "NA"}


def test_export_has_the_templates_columns_and_every_row_in_its_order():
    exported = export_csv(prisma_of(ROOT / "content/review.yml"))
    template = list(csv.reader((FIXTURES / "PRISMA.csv").open(encoding="utf-8")))
    ours = list(csv.reader(io.StringIO(exported)))
    assert ours[0] == template[0] == ["data", "node", "box", "description", "boxtext", "tooltips", "url", "n"]
    template_rows = [row[0] for row in template[1:] if row[0] != "NA"]
    our_rows = [row[0] for row in ours[1:] if row[0] in template_rows]
    assert our_rows == template_rows


def test_export_of_the_bundled_review_carries_its_counts():
    n = n_by_row(export_csv(prisma_of(ROOT / "content/review.yml")))
    assert (n["database_results"], n["records_screened"], n["records_excluded"]) == ("581", "581", "514")
    assert (n["dbr_sought_reports"], n["dbr_assessed"], n["dbr_excluded"]) == ("67", "67", "56")
    assert (n["new_studies"], n["total_studies"]) == ("11", "11")
    assert n["duplicates"] == ""  # not reported stays empty, never a guessed 0
    # database names survive; their counts were not reported
    assert n["database_specific_results"] == "PsycINFO, ; Social Care Online, ; Social Services Abstracts, "


def test_export_splits_identified_and_included_the_template_way():
    n = n_by_row(export_csv(prisma_of(ROOT / "tests/sites/full/review.yml")))
    assert (n["database_results"], n["register_results"]) == ("200", "10")
    assert n["database_specific_results"] == "MEDLINE, 120; CINAHL, 80"
    assert n["dbr_excluded"] == "Wrong population, 10; Not an intervention, 6"
    assert (n["previous_studies"], n["new_studies"], n["total_studies"]) == ("2", "3", "5")
    assert (n["website_results"], n["organisation_results"], n["citations_results"]) == ("9", "0", "14")


@pytest.mark.parametrize("review", ["content/review.yml", "tests/sites/full/review.yml"])
def test_export_then_import_gives_the_same_counts(review: str):
    prisma = prisma_of(ROOT / review)
    imported, _ = import_csv(export_csv(prisma), "prisma.csv")
    assert Prisma.model_validate(imported).model_dump() == prisma.model_dump()


def test_import_a_template_filled_in_by_a_review_team():
    imported, _ = import_csv(read_csv_file(FIXTURES / "filled.csv"), "filled.csv")
    assert imported == {
        "databases": {"Scopus": 704, "Web of Science": 500},
        "identified": 1204, "duplicates": 204, "screened": 1000, "screened_excluded": 900, "sought": 100,
        "not_retrieved": 10, "assessed": 90,
        "excluded": {"total": 60, "reasons": {"Wrong population": 40, "Not empirical, e.g. opinion": 20}},
        "included_studies": 40, "included_reports": 45,
        "other_methods": {"sources": {"Websites": 30, "Citation chasing": 12}, "sought": 20, "not_retrieved": 2,
                          "assessed": 18, "excluded": {"total": 8, "reasons": {"Wrong setting": 8}}},
    }


def test_the_untouched_template_imports_as_zeros_without_its_placeholder_reasons():
    imported, _ = import_csv(read_csv_file(FIXTURES / "PRISMA.csv"), "PRISMA.csv")
    assert imported["excluded"] == {"total": None}
    assert "other_methods" not in imported and "previous" not in imported
    assert imported["identified"] == 0


def test_imported_yaml_reads_back_as_the_same_counts():
    imported, _ = import_csv(read_csv_file(FIXTURES / "filled.csv"), "filled.csv")
    assert yaml.safe_load(prisma_yaml(imported)) == {"prisma": imported}


def problems(text: str) -> list[str]:
    with pytest.raises(PrismaCsvError) as caught:
        import_csv(text, "team.csv")
    return [str(p) for p in caught.value.problems]


def filled_with(**changes: str) -> str:
    rows = list(csv.reader(io.StringIO(read_csv_file(FIXTURES / "filled.csv"))))
    for row in rows:
        if row[0] in changes:
            row[7] = changes[row[0]]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def test_import_refuses_counts_that_do_not_add_up_and_names_the_csv_line():
    assert problems(filled_with(dbr_sought_reports="101", dbr_notretrieved_reports="11")) == [
        "team.csv:18: dbr_sought_reports: screened (1000) − screened_excluded (900) = 100, but sought is 101 "
        "(hint: check the counts against the review's flow diagram)",
    ]
    assert problems(filled_with(total_studies="41")) == [
        "team.csv:28: total_studies: assessed (90) − excluded (60) + other assessed (18) − other excluded (8) "
        "= 40, but included_studies is 41 (hint: check the counts against the review's flow diagram)",
    ]


def test_import_refuses_what_is_not_a_count():
    assert problems(filled_with(records_excluded="about 900", dbr_excluded="Wrong population; 60")) == [
        "team.csv:17: records_excluded: 'about 900' is not a count "
        "(hint: write a whole number, or leave the cell empty when it was not reported)",
        "team.csv:23: dbr_excluded: 'Wrong population' is not 'name, number' "
        "(hint: separate items with ';' and give each as 'Name, 20')",
        "team.csv:23: dbr_excluded: '60' is not 'name, number' "
        "(hint: separate items with ';' and give each as 'Name, 20')",
    ]
    assert problems("name,count\nx,1\n") == [
        "team.csv:1: no data or n column (hint: the first line must be the template's: "
        "data,node,box,description,boxtext,tooltips,url,n)"]


def test_names_with_the_templates_separators_are_written_readably():
    prisma = prisma_of(ROOT / "tests/sites/full/review.yml").model_copy(update={
        "databases": {"ERIC; via EBSCO": 120, "CINAHL, Plus": 80}})
    assert n_by_row(export_csv(prisma))["database_specific_results"] == "ERIC / via EBSCO, 120; CINAHL / Plus, 80"


# ---------------------------------------------------------------------------------------------- unreadable files

def read_problems(path: Path) -> list[str]:
    with pytest.raises(PrismaCsvError) as caught:
        read_csv_file(path)
    return [str(p) for p in caught.value.problems]


def test_a_utf16_file_with_its_mark_is_read(tmp_path: Path):
    csv_file = tmp_path / "team.csv"
    csv_file.write_bytes(read_csv_file(FIXTURES / "filled.csv").encode("utf-16"))
    assert import_csv(read_csv_file(csv_file), "team.csv")[0]["identified"] == 1204


def test_a_windows_1252_file_is_read(tmp_path: Path):
    csv_file = tmp_path / "team.csv"
    csv_file.write_bytes(read_csv_file(FIXTURES / "filled.csv").replace("Scopus", "Scopus é").encode("cp1252"))
    assert "Scopus é" in import_csv(read_csv_file(csv_file), "team.csv")[0]["databases"]


def test_every_unreadable_file_is_a_message_naming_it(tmp_path: Path):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"data,node,box,description,boxtext,tooltips,url,n\nx,\x81\n")  # neither UTF-8 nor Windows-1252
    assert read_problems(bad) == [
        f"{bad}:2: not UTF-8 text (byte 0x81) (hint: save the file from your spreadsheet as 'CSV UTF-8')"]
    bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert read_problems(bad) == [
        f"{bad}: not a text file (it holds NUL bytes) (hint: is this the CSV? save the PRISMA2020 template from "
        "your spreadsheet as 'CSV UTF-8')"]
    bad.write_bytes(b"")
    assert read_problems(bad) == [f"{bad}: the file is empty (hint: fill in the PRISMA2020 template and save it as CSV)"]
    bad.write_bytes(b"a," * 600_000)
    assert read_problems(bad) == [
        f"{bad}: file is 1,200,000 bytes, over the limit of 1,048,576 (hint: the PRISMA2020 template is a few KB: "
        "is this the right file?)"]
    assert read_problems(tmp_path) == [f"{tmp_path}: a folder, not a file (hint: give the path of the CSV file)"]
    assert read_problems(tmp_path / "none.csv") == [
        f"{tmp_path / 'none.csv'}: cannot read: No such file or directory (hint: check the path)"]
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "link.csv").symlink_to(tmp_path / "pipe")  # reading it would wait forever
    assert read_problems(tmp_path / "link.csv") == [
        f"{tmp_path / 'link.csv'}: a named pipe, not a file (hint: give the path of the CSV file)"]
    (tmp_path / "good.csv").symlink_to(FIXTURES / "filled.csv")  # a link to a file is read: the user chose it
    assert read_csv_file(tmp_path / "good.csv") == read_csv_file(FIXTURES / "filled.csv")


def test_a_cell_too_long_for_the_csv_reader_is_a_problem():
    assert problems("data,n\nduplicates," + "1" * 200_000 + "\n") == [
        "team.csv:2: not readable as CSV: field larger than field limit (131072) "
        "(hint: save the PRISMA2020 template from your spreadsheet as CSV)"]
