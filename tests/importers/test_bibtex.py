"""BibTeX exports as Zotero writes them (braces, LaTeX accents, biblatex dates), read into records."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.importers.bibtex import BibtexError, parse_bibtex, read_bibtex_file

FIXTURES = Path(__file__).parent / "fixtures"


def read(name: str):
    return parse_bibtex(read_bibtex_file(FIXTURES / name))


def test_a_zotero_export_gives_every_field_in_the_study_files_form():
    records, skipped = read("zotero.bib")
    assert skipped == []
    first, report, spanish = records
    assert first.title == ("Service users and carers' involvement in social work education: lessons from an "
                           "English case study")
    assert first.authors == ("Anghel, R.", "Ramon, S.")
    assert (first.year, first.journal, first.volume, first.issue, first.pages, first.doi) == (
        2009, "European Journal of Social Work", "12", "2", "185-199", "10.1080/13691450802567416")
    assert report.authors == ("{World Health Organization}",)
    assert spanish.title == "Ética y participación: el caso de Dal-Ré"  # LaTeX accents decoded, braces gone
    assert spanish.authors == ("Dal-Ré, R.", "van Doorn, F.", "King, M. L., Jr.")
    assert spanish.year == 2019  # from biblatex's date


def test_a_broken_file_skips_each_bad_entry_with_its_number_and_line():
    records, skipped = read("broken.bib")
    assert [r.title for r in records] == ["A good study"]
    assert [(s.number, s.line) for s in skipped] == [(1, 1), (2, 6), (4, 17)]
    assert "no title" in skipped[0].reason and "no year" in skipped[1].reason
    assert skipped[2].reason.startswith("unreadable")


def test_a_file_with_no_entry_is_refused_with_a_hint():
    with pytest.raises(BibtexError) as caught:
        parse_bibtex("TY  - JOUR\nER  - \n")
    assert "export the references as BibTeX" in caught.value.hint
