"""RIS exports as EndNote and Zotero write them, read into records; broken ones give their record numbers."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.importers.ris import RisError, parse_ris, read_ris_file

FIXTURES = Path(__file__).parent / "fixtures"


def read(name: str):
    return parse_ris(read_ris_file(FIXTURES / name))


def test_a_zotero_export_gives_every_field_in_the_study_files_form():
    records, skipped = read("zotero.ris")
    assert skipped == []
    first, report, spanish = records
    assert first.title.startswith("Service users and carers' involvement")
    assert first.authors == ("Anghel, R.", "Ramon, S.")
    assert (first.year, first.journal, first.volume, first.issue, first.pages) == (
        2009, "European Journal of Social Work", "12", "2", "185-199")
    assert first.doi == "10.1080/13691450802567416" and first.url == "https://doi.org/10.1080/13691450802567416"
    assert report.authors == ("{World Health Organization}",)  # an organisation, kept whole
    assert spanish.authors == ("Dal-Ré, R.", "van Doorn, F.")


@pytest.mark.parametrize("name", ["endnote.ris", "endnote-bom.ris"])
def test_an_endnote_export_with_a1_t1_jf_y1_windows_1252_and_crlf_is_read(name: str):
    records, skipped = read(name)
    assert skipped == []
    levy, hughes = records
    assert levy.authors == ("Levy, S.", "Aiton, R.", "Doig, J.")
    assert (levy.title, levy.journal, levy.year, levy.pages) == (
        "Outcomes focused user involvement in social work education", "Social Work Education", 2016, "865-877")
    assert hughes.title == "What difference does it make? Café conversations"
    assert (hughes.journal, hughes.year) == ("Br J Soc Work", 2017)


def test_a_broken_file_skips_each_bad_record_with_its_number_and_why():
    records, skipped = read("broken.ris")
    assert [r.title for r in records] == ["A good study"]
    assert [str(s) for s in skipped] == [
        "record 1 (line 1): no title (TI or T1 line)",
        "record 2 (line 6): no year (PY, Y1 or DA line with a four-digit year)",
        "record 3 (line 11): no ER line before the next record starts on line 14"]


def test_a_file_that_is_not_ris_is_refused_with_a_hint(tmp_path: Path):
    with pytest.raises(RisError) as caught:
        parse_ris("@article{x, title={y}}\n")
    assert "no RIS record" in caught.value.message and "export the references as RIS" in caught.value.hint
