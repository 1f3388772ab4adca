"""CSV exports read into records: Zotero's, Rayyan's and Covidence's without a mapping, the site's own studies.csv
back into its studies, any other sheet through a mapping file; broken sheets and mappings named by their line."""

from __future__ import annotations

import csv
import io
import shutil
import tracemalloc
from pathlib import Path

import pytest
from sites.egm.synthetic import copy_with_studies

from conftest import ROOT
from generator.content import load_map
from generator.importers import csv_table
from generator.importers.apply import plan_import
from generator.importers.csv_table import read_csv_export
from generator.importers.mapping import MappingError, read_mapping
from generator.importers.mappings import BUILT_IN, built_in, column_rules
from generator.importers.textfile import TextFileError
from generator.importers.writing import write_plan
from generator.names import as_name
from generator.outputs.downloads import studies_csv

FIXTURES = Path(__file__).parent / "fixtures" / "csv"
EGM = ROOT / "tests/sites/egm/content"


def read(name: str, mapping: str | None = None):
    return read_csv_export(FIXTURES / name, read_mapping(FIXTURES / mapping) if mapping else None)


def refused(name: str, mapping: str | None = None) -> TextFileError:
    with pytest.raises(TextFileError) as caught:
        read(name, mapping)
    return caught.value


def header_of(name: str) -> list[str]:
    with open(FIXTURES / name, encoding="utf-8-sig", newline="") as file:
        return next(csv.reader(file))


@pytest.mark.parametrize(("name", "fixture"), [("zotero", "zotero.csv"), ("rayyan", "rayyan.csv"),
                                               ("covidence", "covidence.csv")])
def test_each_built_in_mapping_names_only_columns_its_tool_writes(name: str, fixture: str):
    # The fixtures' headers are the tools' own (Zotero's CSV translator, and Rayyan's and Covidence's exports).
    mapping = built_in(name)
    header = header_of(fixture)
    assert set(mapping.data["recognise"]) <= set(header)
    assert set(mapping.data["columns"]) <= set(header)
    assert name in BUILT_IN


def test_a_zotero_export_with_a_bom_and_crlf_is_read_without_a_mapping():
    assert (FIXTURES / "zotero.csv").read_bytes().startswith(b"\xef\xbb\xbf\"Key\"")
    result = read("zotero.csv")
    assert result.format == "csv"
    article, report, spanish = result.records
    assert article.title.startswith("Service users and carers' involvement")
    assert article.authors == ("Anghel, R.", "Ramon, S.")
    assert (article.year, article.journal, article.volume, article.issue, article.pages, article.doi) == (
        2009, "European Journal of Social Work", "12", "2", "185-199", "10.1080/13691450802567416")
    assert report.authors == ("{World Health Organization}",)  # Zotero writes an organisation without a comma
    assert spanish.authors == ("Dal-Ré, R.", "van Doorn, F.", "King, M. L., Jr.")
    assert (spanish.doi, spanish.pages, spanish.year) == ("10.1016/j.medcli.2018.11.011", "401-405", 2019)
    # The abstract, notes and tags are the library's, not the site's.
    assert all(r.summary is None and r.notes is None and not r.facets for r in result.records)
    assert [str(s) for s in result.skipped] == ["record 4 (line 5): no year (column `Publication Year` is empty)"]
    assert result.notices == ["read as a Zotero CSV export (built-in mapping importers/mappings/zotero.yml)"]


def test_zotero_with_plain_line_ends_and_no_bom_reads_the_same(tmp_path: Path):
    plain = tmp_path / "zotero.csv"
    plain.write_text((FIXTURES / "zotero.csv").read_text(encoding="utf-8-sig").replace("\r\n", "\n"),
                     encoding="utf-8")
    assert read_csv_export(plain, None).records == read("zotero.csv").records


def test_a_rayyan_export_keeps_the_reviewers_decisions_out():
    result = read("rayyan.csv")
    levy, hughes = result.records
    assert levy.authors == ("Levy, S.", "Aiton, R.", "Doig, J.")  # Rayyan joins them with " and "
    assert levy.doi == "10.1080/02615479.2016.1246523"  # the database's "LK  - ..." after it is not the DOI
    assert levy.url == "https://www.embase.com/search/results?subaction=viewrecord&id=L2029880245&from=export"
    assert (hughes.title, hughes.journal, hughes.pages) == (
        "What difference does it make? Café conversations", "Br J Soc Work", "656")
    assert "RAYYAN" not in repr(result) and "Emily" not in repr(result)


def test_a_covidence_reference_export_is_read_without_a_mapping_and_its_notes_and_tags_are_not():
    result = read("covidence.csv")
    anghel, eberth = result.records
    assert (anghel.authors, anghel.year, anghel.doi) == (("Anghel, R.", "Ramon, S."), 2009,
                                                         "10.1080/13691450802567416")
    assert eberth.authors == ("Eberth, D. A.",)
    assert "borderline" not in repr(result) and "priority" not in repr(result) and "stays out" not in repr(result)


def test_a_covidence_extraction_export_gives_facets_countries_findings_and_summaries_through_a_mapping():
    result = read("covidence-extraction.csv", "covidence-extraction.yml")
    levy, hughes = result.records
    assert levy.countries == ("GB",) and hughes.countries == ("AU", "NZ")
    assert levy.facets == {"design": ("mixed-methods",), "setting": ("qualifying-education", "practice")}
    assert hughes.facets == {"design": ("qualitative",), "setting": ("qualifying-education",)}
    assert levy.themes == {"challenges": "Time for preparation; **funding** of carers' travel."}
    assert (levy.summary, levy.sample_size, hughes.sample_size) == ("To evaluate an outcomes-focused approach.", 45,
                                                                    None)
    assert [str(s) for s in result.skipped] == ["record 3 (line 4): no title (column `Title` is empty)"]
    design, setting = result.facets
    assert (design.id, design.label, design.multiple) == ("design", "Study design", False)
    # The values the mapping lists, in its order (an unused one too), then the others as they come.
    assert [(c.id, c.label) for c in design.values] == [
        ("qualitative", "Qualitative study"), ("mixed-methods", "Mixed methods"),
        ("rct", "Randomised controlled trial")]
    assert (setting.multiple, [(c.id, c.label) for c in setting.values]) == (
        True, [("qualifying-education", "Qualifying education"), ("practice", "Practice")])
    assert [(t.id, t.title) for t in result.themes] == [("challenges", "Challenges and barriers")]
    assert "Consensus" not in repr(result) and "RV:" not in repr(result)  # reviewer columns, ignored


def test_a_team_sheet_with_several_values_per_cell_and_a_column_per_value():
    result = read("team-sheet.csv", "team-sheet.yml")
    driessens, farrow = result.records
    assert driessens.countries == ("BE", "FI", "IT")  # country names, by ISO 3166
    assert farrow.countries == ("GB",)  # 'UK' through the mapping's values; 'Narnia' left out, not guessed
    assert driessens.facets == {"design": ("qualitative",), "setting": ("practice", "higher-education", "community")}
    assert farrow.facets == {"design": ("mixed-methods",), "setting": ("practice", "school")}  # "Not reported": null
    assert driessens.summary == "A study in three countries.\n\nSecond paragraph of the abstract."
    assert driessens.themes == {"challenges": "Participants named *time* as the main barrier."}
    assert driessens.sample_size == 1200 and farrow.sample_size is None
    assert farrow.authors == ("Farrow, K.", "{Shaping Our Lives}")
    assert farrow.line == 5  # after the three lines of the first row's abstract
    assert [str(s) for s in result.skipped] == [
        "record 3 (line 6): no title (column `Title` is empty)",
        "record 4 (line 7): no year (column `Year`: 'n.d.' has no four-digit year)"]
    assert result.notices == [
        "columns not read (the mapping does not name them): Coder",
        "record 2 (line 5): sample size 'about 40' in column `N` is not a whole number: left out",
        "country 'Narnia' (record 2) is not an ISO 3166-1 code or a country name: left out (use two-letter ISO "
        "3166-1 codes, e.g. GB, AU, NL; or map the name to its code under the column's `values:`)"]
    _, setting = result.facets
    assert [(c.id, c.label) for c in setting.values] == [
        ("practice", "Practice"), ("higher-education", "Higher education"), ("community", "Community"),
        ("school", "School")]


def test_a_country_name_that_is_close_gets_a_hint_and_is_still_left_out(tmp_path: Path):
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("Title,Year,Country\nA study,2020,Russia; gb\n", encoding="utf-8")
    mapping = tmp_path / "map.yml"
    mapping.write_text("columns:\n  Title: title\n  Year: year\n  Country: countries\n", encoding="utf-8")
    result = read_csv_export(sheet, read_mapping(mapping))
    assert result.records[0].countries == ("GB",)
    assert "country 'Russia' (record 1)" in result.notices[0] and "is it 'RU'" in result.notices[0]


def test_a_mapping_adds_to_a_known_exports_built_in_mapping(tmp_path: Path):
    mapping = tmp_path / "zotero-plus.yml"
    mapping.write_text('columns:\n  Abstract Note: summary\n  Manual Tags: {facet: topic, label: Topic}\n',
                       encoding="utf-8")
    article = read_csv_export(FIXTURES / "zotero.csv", read_mapping(mapping)).records[0]
    assert article.summary.startswith("The paper reports on an action research project")
    assert article.facets == {"topic": ("coproduction", "education")}
    assert article.authors == ("Anghel, R.", "Ramon, S.")  # the built-in columns still read


def test_a_mapped_column_missing_from_the_sheet_names_the_mapping_line_and_the_sheets_columns():
    error = refused("covidence-extraction.csv", "unknown-column.yml")
    assert isinstance(error, MappingError)
    assert (error.source, error.line) == (str(FIXTURES / "unknown-column.yml"), 5)
    assert error.message == "column `Study desgin` is not in the sheet"
    assert error.hint.startswith("did you mean `Study design`? the sheet's columns are: Covidence #, Study ID, Title")


def test_a_target_that_is_not_a_field_facet_theme_or_ignore_gets_the_allowed_ones_in_its_hint(tmp_path: Path):
    error = refused("covidence-extraction.csv", "bad-target.yml")
    assert isinstance(error, MappingError) and error.line == 5
    assert error.message == "column `Design`: `facett` is not `field:`, `facet:` or `theme:`"
    assert error.hint.startswith("write one of title, authors, year, journal,") and "ignore" in error.hint
    mapping = tmp_path / "map.yml"
    mapping.write_text("columns:\n  Title: titel\n", encoding="utf-8")
    with pytest.raises(MappingError) as caught:
        read_csv_export(FIXTURES / "excel-cp1252.csv", read_mapping(mapping))
    assert (caught.value.line, caught.value.message) == (2, "column `Title`: `titel` is not a field, a facet, a "
                                                         "theme or `ignore`")
    assert "sample_size" in caught.value.hint and "{facet: <id>" in caught.value.hint


@pytest.mark.parametrize(("text", "line", "message", "hint"), [
    ("columns:\n  Design: {facet: Study Design}\n", 2, "`Study Design` is not an id", "write `study-design`"),
    ("columns:\n  Design: {facet: design, colour: red}\n", 2, "`colour` is not an option of a facet column",
     "a facet column takes facet, label"),
    ("columns:\n  Country: {field: countries, values: {UK: Britain}}\n", 2,
     "`Britain` is not an ISO 3166-1 country code", "ISO 3166-1"),
    ('columns:\n  Design:\n    facet: design\n    values: {Yes: rct}\n', 4, "`true` here is YAML's true or false, not "
     "the text of the sheet", 'put the text in quotes'),
    ("code_sets:\n  Design: drop\n", 1, "`code_sets` is not a section of a CSV mapping", "EPPI-Reviewer"),
    ("columns:\n  Title: title\n  Authors: authors\n", 1, "no column feeds `year`", "Title, Authors, Year"),
])
def test_a_mapping_that_cannot_be_used_names_its_line(tmp_path: Path, text: str, line: int, message: str,
                                                       hint: str):
    mapping = tmp_path / "map.yml"
    mapping.write_text(text, encoding="utf-8")
    with pytest.raises(MappingError) as caught:
        read_csv_export(FIXTURES / "excel-cp1252.csv", read_mapping(mapping))
    assert (caught.value.line, caught.value.message) == (line, message)
    assert hint in caught.value.hint


def test_a_sheet_that_is_no_known_export_asks_for_a_mapping_and_lists_its_columns():
    error = refused("covidence-extraction.csv")
    assert error.line == 1 and "not those of a Zotero, Rayyan or Covidence CSV export" in error.message
    assert "give --mapping MAP.yml" in error.hint and "Reviewer Name, Authors" in error.hint


@pytest.mark.parametrize(("name", "line", "message"), [
    ("bad-quoting.csv", 3, "a quoted cell starting on line 3 is not closed"),
    ("stray-quote.csv", 4, "a quote in the middle of a cell in the row starting on line 4"),
    ("wrong-columns.csv", 3, "4 cells where the header has 3"),
])
def test_a_malformed_sheet_names_the_line(name: str, line: int, message: str):
    error = refused(name, "simple.yml")
    assert (error.line, error.message) == (line, message)


def test_windows_1252_with_semicolons_as_excel_saves_it_is_read():
    assert b"Caf\xe9" in (FIXTURES / "excel-cp1252.csv").read_bytes()
    first, second = read("excel-cp1252.csv", "simple.yml").records
    assert (first.title, first.authors, first.year) == ("Café conversations in Zürich", ("Dal-Ré, R.",), 2017)
    assert second.title == "A second study – with a dash"


def test_utf16_tab_separated_as_excels_unicode_text_is_read(tmp_path: Path):
    sheet = tmp_path / "sheet.txt"
    sheet.write_text("Title\tAuthors\tYear\r\nCafé, conversations\tDal-Ré, R.\t2017\r\n", encoding="utf-16")
    record, = read_csv_export(sheet, read_mapping(FIXTURES / "simple.yml")).records
    assert (record.title, record.authors) == ("Café, conversations", ("Dal-Ré, R.",))


@pytest.mark.parametrize(("content", "message"), [(b"", "the file is empty"),
                                                  (b"PK\x03\x04\x14\x00\x00\x00", "not a text file")])
def test_an_empty_or_binary_file_is_refused(tmp_path: Path, content: bytes, message: str):
    sheet = tmp_path / "sheet.csv"
    sheet.write_bytes(content)
    with pytest.raises(TextFileError) as caught:
        read_csv_export(sheet, None)
    assert caught.value.message.startswith(message)


@pytest.mark.parametrize("review", ["bundled", "other", "egm"])
def test_the_sites_studies_csv_reads_back_every_field_of_every_study(review: str, content: Path, tmp_path: Path):
    folder = {"bundled": ROOT / "content", "egm": EGM}.get(review, content)
    emap = load_map(folder)
    sheet = tmp_path / "studies.csv"
    sheet.write_text(studies_csv(emap), encoding="utf-8")
    result = read_csv_export(sheet, None)
    assert result.skipped == [] and result.notices == ["read as the site's studies.csv"]
    labels = {f.id: {c.id: c.label for c in f.values} for f in result.facets}
    assert len(result.records) == len(emap.studies)
    for study, record in zip(emap.studies, result.records, strict=True):
        assert (record.title, record.year, record.journal, record.volume, record.issue, record.pages, record.doi,
                record.url) == (study.title, study.year, study.journal, study.volume, study.issue, study.pages,
                                study.doi, study.url)
        assert [as_name(a) for a in record.authors] == [as_name(a) for a in study.authors]  # as the site shows
        assert record.study_id == study.id
        assert (record.countries, record.region, record.summary, record.notes, record.inferred) == (
            study.countries, study.region, study.summary, study.notes, study.inferred)
        assert (record.sample_size, record.sample_description) == (study.sample_size, study.sample_description)
        assert list(record.themes) == list(study.theme_ids) and not any(record.themes.values())
        for facet in emap.review.facets:  # labels come back, and name the review's values
            given = study.facets.get(facet.id) or ()
            assert [labels[facet.id][v] for v in record.facets.get(facet.id, ())] == [facet.label_of(v)
                                                                                     for v in given]
        rated = study.appraisal  # an appraised map's rating comes back as its level's label, with its rationale
        levels = {c.id: c.label for c in result.appraisal.levels} if result.appraisal else {}
        assert (levels.get(record.appraisal_rating), record.appraisal_rationale) == (
            (rated.label, rated.rationale) if rated else (None, None))
    assert (result.appraisal is not None) == (emap.review.appraisal is not None)


def test_studies_csv_text_that_a_spreadsheet_would_run_comes_back_without_its_apostrophe(tmp_path: Path):
    emap = load_map(ROOT / "content")
    header = studies_csv(emap).splitlines()[0]
    columns = header.split(",")
    row = dict.fromkeys(columns, "")
    row.update({"title": "'=SUM(A1) and other formulas", "year": "2020", "authors": "'-Smith, J.",
                "summary": "'+3 points on the scale", "notes": "'Quoted' on purpose"})
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([columns, [row[c] for c in columns]])
    sheet = tmp_path / "studies.csv"
    sheet.write_text(out.getvalue(), encoding="utf-8")
    record, = read_csv_export(sheet, None).records
    assert (record.title, record.summary, record.notes) == ("=SUM(A1) and other formulas", "+3 points on the scale",
                                                            "'Quoted' on purpose")


def test_a_big_sheet_is_read_a_row_at_a_time(tmp_path: Path):
    sheet = tmp_path / "big.csv"
    abstract = "word " * 1000  # 5 KB a row, none of it kept
    with open(sheet, "w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["Title", "Authors", "Year", "Abstract"])
        writer.writerows([f"Study {i}", "Smith, J.", "2020", abstract] for i in range(2000))
    size = sheet.stat().st_size
    tracemalloc.start()
    try:
        result = read_csv_export(sheet, read_mapping(FIXTURES / "simple.yml"))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(result.records) == 2000
    assert peak < size / 3, (peak, size)  # reading the whole text at once would hold all of it, and more



@pytest.mark.parametrize("review", ["bundled", "other", "egm", "egm-synthetic"])
def test_a_maps_studies_csv_imports_back_into_the_same_studies(review: str, content: Path, tmp_path: Path):
    """Issue 21 point 7: the download, imported into the review with its study files removed, gives every study
    back, field by field, under its own id (the 'other' map's ids are not new-study's), an appraised map's ratings
    and rationales too. studies.csv holds theme ids, not findings, so the findings come back empty."""
    source = {"bundled": ROOT / "content", "egm": EGM}.get(review, content)
    content = tmp_path / "copy" / "content"
    if review == "egm-synthetic":
        copy_with_studies(content, 80)
        # Each listed under a theme: a study under none is written with new-study's TODO for its themes.
        for path in (content / "studies").glob("synthetic-*.yml"):
            path.write_text(path.read_text(encoding="utf-8") + "themes:\n  access: null\n", encoding="utf-8")
    else:
        shutil.copytree(source, content)
    before = load_map(content)
    if review.startswith("egm"):  # rated and not: both come back
        assert {s.appraisal is None for s in before.studies} == {True, False}
    sheet = tmp_path / "studies.csv"
    sheet.write_text(studies_csv(before), encoding="utf-8")
    for path in (content / "studies").glob("*.yml"):
        path.unlink()
    plan = plan_import(read_csv_export(sheet, None), content)
    assert (len(plan.added), plan.conflicts, plan.skipped, plan.review_changes, plan.themes) == (
        len(before.studies), [], [], [], {})
    write_plan(plan, content)
    after = {study.id: study for study in load_map(content).studies}
    assert sorted(after) == sorted(s.id for s in before.studies)
    for study in before.studies:
        back = after[study.id]
        for name in ("title", "year", "journal", "volume", "issue", "pages", "doi", "url", "countries", "region",
                     "sample_size", "sample_description", "summary", "notes", "inferred", "theme_ids", "appraisal"):
            assert getattr(back, name) == getattr(study, name), (study.id, name)
        assert [as_name(a) for a in back.authors] == [as_name(a) for a in study.authors], study.id
        # The import writes a facet's values in the review's order, whatever order the file had them in.
        assert {f: set(v) if v else v for f, v in back.facets.items()} == {
            f: set(v) if v else v for f, v in study.facets.items()}, study.id
        assert all(f.markdown is None for f in back.findings)


def test_the_example_mapping_in_the_format_reference_is_a_valid_mapping(tmp_path: Path):
    """csv_table's docstring is the reference the docs are made from: its example must read."""
    doc = csv_table.__doc__ or ""
    example = doc[doc.index("    separator:"):doc.index("\n\n", doc.index("    separator:"))]
    mapping = tmp_path / "example.yml"
    mapping.write_text("\n".join(line[4:] for line in example.splitlines()) + "\n", encoding="utf-8")
    rules, delimiter = column_rules(read_mapping(mapping))
    assert delimiter == ";"
    assert {name: (rule.kind, rule.target) for name, rule in rules.items()} == {
        "Title": ("field", "title"), "Authors": ("field", "authors"), "Year": ("field", "year"),
        "Country": ("field", "countries"), "Countries (free text)": ("field", "countries"),
        "Abstract": ("field", "summary"), "Study design": ("facet", "design"), "Setting(s)": ("facet", "setting"),
        "School-based": ("facet", "setting"), "Challenges finding": ("theme", "challenges"),
        "Quality": ("field", "appraisal"), "Quality notes": ("field", "appraisal_rationale"),
        "Reviewer 1": ("ignore", "")}
    assert (rules["Quality"].label, dict(rules["Quality"].values)) == (
        "CASP qualitative checklist", {"no concerns": "high", "minor": "medium"})
