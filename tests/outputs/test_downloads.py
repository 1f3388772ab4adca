"""Downloads, read back with the tools readers use, and compared with the content."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import subprocess
import sys
from pathlib import Path

import bibtexparser
import pytest
import rispy
import yaml
from bibtexparser.middlewares import LatexDecodingMiddleware, SeparateCoAuthors, SplitNameParts
from bibtexparser.middlewares.names import NameParts
from jsonschema import Draft202012Validator

from conftest import ROOT
from generator.content import load_map
from generator.content.schema_export import schema_of
from generator.outputs.downloads import bibtex, join_bibtex, ris, studies_csv, studies_json
from htmlcheck import page_text

BUNDLED = load_map(ROOT / "content")


def read(build, name: str) -> str:
    return (build.site / name).read_text(encoding="utf-8")


def test_studies_csv_has_a_row_per_study_and_a_column_per_field(bundled_build):
    rows = list(csv.DictReader(io.StringIO(read(bundled_build, "studies.csv"))))
    assert len(rows) == 11
    assert list(rows[0])[:5] == ["id", "title", "authors", "year", "journal"]
    assert {f.id for f in BUNDLED.review.facets} <= set(rows[0])
    by_id = {r["id"]: r for r in rows}
    for study in BUNDLED.studies:
        row = by_id[study.id]
        assert row["title"] == study.title and row["doi"] == (study.doi or "") and row["year"] == str(study.year)
        assert row["authors"] == "; ".join(study.authors)
    driessens = by_id["driessens-et-al-2016"]
    assert driessens["countries"] == "BE; NL" and driessens["country_names"] == "Belgium; Netherlands"


def test_the_other_reviews_names_survive_every_format(other_build):
    text = read(other_build, "studies.csv") + read(other_build, "references.bib") + read(other_build,
                                                                                         "references.ris")
    assert text.count("Ó Súilleabháin") >= 3 and text.count("Østergaard") >= 3


def test_a_cell_that_would_be_a_formula_starts_with_an_apostrophe(content: Path):
    study = content / "studies/silva-2020.yml"
    study.write_text(study.read_text(encoding="utf-8").replace(
        "title: Who comes to the day centre?", 'title: "=HYPERLINK(\\"http://x\\",\\"y\\")"'), encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(studies_csv(load_map(content)))))
    assert next(r for r in rows if r["id"] == "silva-2020")["title"] == "'=HYPERLINK(\"http://x\",\"y\")"


def test_studies_json_follows_its_schema_and_holds_everything(bundled_build):
    data = json.loads(read(bundled_build, "studies.json"))
    schema = json.loads(read(bundled_build, "schema/studies.schema.json"))
    assert list(Draft202012Validator(schema).iter_errors(data)) == []
    assert [s["id"] for s in data["studies"]] == [s.id for s in BUNDLED.studies]
    assert [t["id"] for t in data["themes"]] == [t.id for t in BUNDLED.themes]
    farrow = next(s for s in data["studies"] if s["id"] == "farrow-2014")
    source = yaml.safe_load((ROOT / "content/studies/farrow-2014.yml").read_text(encoding="utf-8"))
    assert farrow["themes"] == source["themes"] and farrow["facets"]["design"] == ["qualitative"]


def test_bibtex_reads_back_with_bibtexparser(bundled_build):
    library = bibtexparser.parse_string(read(bundled_build, "references.bib"))
    assert library.failed_blocks == []
    assert [e.key for e in library.entries] == [s.id for s in BUNDLED.studies]
    entry = library.entries_dict["macsporran-2015"]
    study = BUNDLED.study("macsporran-2015")
    assert entry["doi"] == study.doi and entry["year"] == str(study.year)
    assert entry["title"] == "{" + study.title + "}"


def test_references_bib_is_its_entries_joined_as_the_library_joins_them(bundled_build):
    """Each study page writes its own entry (its Cite box shows it); references.bib joins them."""
    whole = bibtex(BUNDLED.studies)
    assert join_bibtex([bibtex([s]) for s in BUNDLED.studies]) == whole == read(bundled_build, "references.bib")
    assert whole.count("@article{") == len(BUNDLED.studies)


def test_bibtex_keeps_a_title_with_braces_in_one_piece():
    study = BUNDLED.studies[0]
    odd = dataclasses.replace(study, title="A } broken {title\\ here }, year = {1066")
    library = bibtexparser.parse_string(bibtex([odd]))
    assert library.failed_blocks == [] and library.entries[0]["year"] == str(study.year)
    assert library.entries[0]["title"] == ("{A \\textbraceright{} broken \\textbraceleft{}title\\textbackslash{} here "
                                           "\\textbraceright{}, year = \\textbraceleft{}1066}")


def _balanced(text: str) -> bool:
    """BibTeX's rule: every brace counts, escaped or not, and a field ends where its braces balance."""
    depth = 0
    for c in text:
        depth += {"{": 1, "}": -1}.get(c, 0)
        if depth < 0:
            return False
    return depth == 0


def test_latex_specials_are_escaped_and_read_back_as_written():
    study = BUNDLED.study("unwin-et-al-2017")
    title = "50% & more: $5 #1 a_b {x} ~y^z \\ \\} line\nbreak @article{evil,"
    entry = bibtex([dataclasses.replace(study, title=title, url="https://x.org/a_b}%7D{\\")])
    assert "journal = {Disability \\& Society}" in entry
    fields = bibtexparser.parse_string(entry).entries[0]
    assert fields["title"] == ("{50\\% \\& more: \\$5 \\#1 a\\_b \\textbraceleft{}x\\textbraceright{} "
                               "\\textasciitilde{}y\\textasciicircum{}z \\textbackslash{} \\textbackslash{}"
                               "\\textbraceright{} line break @article\\textbraceleft{}evil,}")
    assert fields["url"] == "https://x.org/a_b%7D%7D%7B%5C"
    assert all(_balanced(f.value) for f in bibtexparser.parse_string(entry).entries[0].fields)
    decoded = bibtexparser.parse_string(entry, append_middleware=[LatexDecodingMiddleware()]).entries[0]
    assert decoded["journal"] == "Disability & Society"
    # (pylatexenc, bibtexparser's decoder, knows \\& and the others, not \\textbraceleft or \\textasciicircum.)
    assert decoded["title"].startswith("50% & more: $5 #1 a_b ") and " ~y" in decoded["title"]


# ------------------------------------------------------------------------------------------------ names in parts

NAMES = '["van Doorn, F.", "King, M. L., Jr.", "{World Health Organization}", "Ó Súilleabháin,"]'


def _with_names(content: Path):
    """The fixture review with a study by a person with a particle, one with a suffix, an organisation, and a
    family name of two words with no initials."""
    study = content / "studies/silva-2020.yml"
    study.write_text(study.read_text(encoding="utf-8").replace('["Silva, A."]', NAMES), encoding="utf-8")
    emap = load_map(content)
    return emap, emap.study("silva-2020")


def test_bibtex_gives_each_name_its_parts(content: Path):
    emap, _ = _with_names(content)
    library = bibtexparser.parse_string(bibtex(emap.studies),
                                        append_middleware=[SeparateCoAuthors(), SplitNameParts()])
    assert library.failed_blocks == []
    assert library.entries_dict["silva-2020"]["author"] == [
        NameParts(first=["F."], von=["van"], last=["Doorn"]),
        NameParts(first=["M.", "L."], last=["King"], jr=["Jr."]),
        NameParts(last=["{World Health Organization}"]),  # braced: one name, not a first and a last
        NameParts(last=["{Ó Súilleabháin}"])]
    assert library.entries_dict["osterg-2019"]["author"] == [NameParts(first=["K."], last=["Østergaard"]),
                                                             NameParts(first=["L."], last=["Berg"])]


def test_ris_csv_and_labels_give_family_name_first(content: Path):
    emap, study = _with_names(content)
    record = next(r for r in rispy.loads(ris(emap.studies)) if r["id"] == "silva-2020")
    assert record["authors"] == ["van Doorn, F.", "King, M. L., Jr.", "World Health Organization", "Ó Súilleabháin"]
    assert record["notes"] == ["Evidence map: van Doorn et al., 2020"]
    row = next(r for r in csv.DictReader(io.StringIO(studies_csv(emap))) if r["id"] == "silva-2020")
    assert row["authors"] == "van Doorn, F.; King, M. L., Jr.; World Health Organization; Ó Súilleabháin"
    assert [s.id for s in emap.studies].index("silva-2020") == len(emap.studies) - 1  # sorted under V, by "van"


def test_studies_json_gives_each_author_in_csl_parts(content: Path):
    emap, _ = _with_names(content)
    data = json.loads(studies_json(emap))
    assert list(Draft202012Validator(schema_of("studies.schema.json")).iter_errors(data)) == []
    silva = next(s for s in data["studies"] if s["id"] == "silva-2020")
    assert silva["authors"] == ["van Doorn, F.", "King, M. L., Jr.", "World Health Organization", "Ó Súilleabháin"]
    assert silva["authors_csl"] == [{"family": "Doorn", "given": "F.", "non-dropping-particle": "van"},
                                    {"family": "King", "given": "M. L.", "suffix": "Jr."},
                                    {"literal": "World Health Organization"}, {"family": "Ó Súilleabháin"}]


def test_ris_reads_back_with_rispy(bundled_build):
    records = rispy.loads(read(bundled_build, "references.ris"))
    assert len(records) == 11
    assert [r["id"] for r in records] == [s.id for s in BUNDLED.studies]
    assert {r["id"]: r.get("doi") for r in records} == {s.id: s.doi for s in BUNDLED.studies}
    assert all(r["type_of_reference"] == "JOUR" and r["authors"] for r in records)


def test_the_data_package_is_valid_frictionless(bundled_build):
    result = subprocess.run([sys.executable, "-m", "frictionless", "validate", "--json", "datapackage.json"],
                            cwd=bundled_build.site, capture_output=True, text=True, timeout=120)
    report = json.loads(result.stdout)
    assert report["valid"], json.dumps(report, indent=1)[:3000]
    assert [t["name"] for t in report["tasks"]] == ["studies", "prisma"]
    assert report["tasks"][0]["stats"]["rows"] == 11


def test_the_downloads_page_lists_every_file(bundled_build):
    text = page_text(bundled_build.site / "downloads/index.html")
    for name in ("studies.csv", "studies.json", "references.bib", "references.ris", "prisma.csv",
                 "datapackage.json"):
        assert name in text and (bundled_build.site / name).is_file()


def test_a_study_page_has_a_cite_box_with_its_bibtex(bundled_build):
    html = read(bundled_build, "studies/farrow-2014/index.html")
    assert 'data-em-copy="em-cite-text"' in html
    assert "@article{farrow-2014," in html
    assert "Farrow, K. (2014). Involving service users" in page_text(bundled_build.site / "studies/farrow-2014/index.html")


def test_the_map_can_be_cited(bundled_build):
    text = page_text(bundled_build.site / "index.html")
    assert "Contributors to this evidence map" in text and f"{BUNDLED.review.title} [Living evidence map]" in text
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["title"] == BUNDLED.review.title
    result = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema",
                             "vendor.citation-file-format", str(ROOT / "CITATION.cff")], capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


# ------------------------------------------------------------------------------------------------ in a browser

@pytest.fixture()
def page(server, browser):
    context = browser.new_context(accept_downloads=True)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.rstrip("/"))
    page = context.new_page()
    yield page
    context.close()


def test_the_matrix_downloads_the_studies_it_lists(page, server, tmp_path):
    from generator.outputs.matrix import count

    page.goto(server + "matrix/?f-design=mixed-methods")
    page.locator("[data-em-matrix-table]").wait_for()
    with page.expect_download() as info:
        page.locator("[data-em-selection] [data-em-download=csv]").click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert [r["id"] for r in rows] == list(count(BUNDLED, "design", {"design": ["mixed-methods"]}).total)
    assert info.value.suggested_filename == "studies-filtered.csv"

    page.locator("[data-em-matrix-table] td button[data-row='outcomes'][data-col='mixed-methods']").click()
    with page.expect_download() as info:
        page.locator("[data-em-selection] [data-em-download=ris]").click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    records = rispy.loads(path.read_text(encoding="utf-8"))
    expected = count(BUNDLED, "design", {"design": ["mixed-methods"]}).cells[("outcomes", "mixed-methods")]
    assert [r["id"] for r in records] == list(expected)
    assert info.value.suggested_filename == "studies-outcomes-mixed-methods.ris"


def test_copying_a_reference_takes_one_click(page, server):
    page.goto(server + "studies/farrow-2014/")
    page.get_by_role("button", name="Copy the reference").click()
    page.get_by_role("button", name="Copied").wait_for()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("Farrow, K. (2014). Involving service users in social work management education")
