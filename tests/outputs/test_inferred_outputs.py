"""Values the map's authors inferred (a study's `inferred:`) are marked wherever a reader takes them as the study's
own: the study page, the studies index and its rows JSON, studies.csv and studies.json."""

from __future__ import annotations

import csv
import datetime as _dt
import io
import json
from html.parser import HTMLParser
from pathlib import Path

from jsonschema import Draft202012Validator

from conftest import ROOT
from generator.content import load_map
from generator.content.schema_export import schema_of
from generator.model import EvidenceMap
from generator.outputs import studies_index
from generator.outputs import study as study_page
from generator.outputs.base import Build
from generator.outputs.downloads import datapackage, studies_csv, studies_json
from generator.outputs.paths import STUDIES_ROWS

TODAY = _dt.date(2026, 11, 30)
BUNDLED = load_map(ROOT / "content")
STUDY_LABEL = "inferred by the map's authors, not stated by the source; see the notes"
INDEX_TITLE = "inferred by the map's authors, not stated by the source; the study's page says from what"


class Cells(HTMLParser):
    """Each table row's cells: [(text, [the attributes of each .em-inferred element in it])], and every id."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[tuple[str, list[dict[str, str | None]]]]] = []
        self.ids: set[str] = set()
        self._cell: list[str] | None = None
        self._marks: list[dict[str, str | None]] = []
        self._mark_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if "id" in a:
            self.ids.add(str(a["id"]))
        if tag == "tr":
            self.rows.append([])
        elif tag == "br" and self._cell is not None:
            self._cell.append("\n")
        elif tag in ("td", "th"):
            self._cell, self._marks = [], []
        elif "em-inferred" in (a.get("class") or "").split() and self._cell is not None:
            self._marks.append({"tag": tag, **a})
            self._mark_depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append(("".join(self._cell).strip(), self._marks))
            self._cell = None
        elif tag in ("a", "span") and self._mark_depth:
            self._mark_depth -= 1

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def cells(html: str) -> Cells:
    parser = Cells()
    parser.feed(html)
    return parser


def details(html: str) -> dict[str, tuple[str, list[dict[str, str | None]]]]:
    """The study page's details table: row heading -> (the cell's text, its marks)."""
    return {row[0][0]: row[1] for row in cells(html).rows if len(row) == 2}


def other_with_inferred(content: Path) -> EvidenceMap:
    """The 'other' fixture with silva-2020 filling every field that can be inferred, and marking them all."""
    path = content / "studies/silva-2020.yml"
    path.write_text(path.read_text(encoding="utf-8") + "region: Ceará\nsample: {size: 40, description: Members}\n"
                    "inferred: [countries, region, facets.intervention, facets.study-type, sample.size, "
                    "sample.description]\nnotes: Each value is inferred from the review's table of sites.\n",
                    encoding="utf-8")
    return load_map(content)


# ---------------------------------------------------------------------------------------------- study page

def test_the_study_page_labels_each_inferred_value_with_a_link_to_the_notes():
    build = Build(BUNDLED, today=TODAY)
    html = study_page.page(build, BUNDLED.study("hughes-2017"))
    rows = details(html)
    assert {label for label, (_, marks) in rows.items() if marks} == {"Countries", "Study design", "Setting"}
    assert rows["Countries"][0] == "United Kingdom inferred"
    assert rows["Study design"][0] == "Qualitative inferred"
    for label in ("Countries", "Study design", "Setting"):
        (mark,) = rows[label][1]
        # a link, whose spoken name starts with the word shown (WCAG 2.5.3), to the notes on the same page
        assert mark == {"tag": "a", "class": "em-inferred", "href": "#notes-and-corrections", "title": STUDY_LABEL,
                        "aria-label": STUDY_LABEL}
    assert "notes-and-corrections" in cells(html).ids
    assert ('<p class="em-inferred-note">A value marked <span class="em-inferred">inferred</span> is not stated by '
            "the source: the map's authors inferred it, and the <a href=\"#notes-and-corrections\">notes</a> say "
            "from what.</p>") in html


def test_a_study_with_nothing_inferred_has_no_label():
    html = study_page.page(Build(BUNDLED, today=TODAY), BUNDLED.study("davies-et-al-2014"))
    assert "em-inferred" not in html
    assert all(not marks for _, marks in details(html).values())


def test_every_field_that_can_be_inferred_is_labelled_where_the_page_shows_it(content: Path):
    emap = other_with_inferred(content)
    rows = details(study_page.page(Build(emap, today=TODAY), emap.study("silva-2020")))
    marked = {label: text for label, (text, marks) in rows.items() if marks}
    assert marked == {"Countries": "Brazil inferred", "Region": "Ceará inferred", "Intervention": "Group activity "
                      "inferred", "Study type": "Qualitative inferred", "Sample size": "40 inferred",
                      "Sample": "Members inferred"}


# ---------------------------------------------------------------------------------------------- studies index

def index_rows(emap: EvidenceMap) -> tuple[str, dict[str, list[tuple[str, list]]]]:
    html = studies_index.pages(Build(emap, today=TODAY))["studies/index.md"]
    rows = [row for row in cells(html).rows if len(row) > 3 and row[0][0] != "Study"]
    by_label = {row[0][0].split("\n")[0]: row for row in rows}
    return html, by_label


def test_the_studies_index_labels_the_inferred_country_and_characteristics():
    html, rows = index_rows(BUNDLED)
    headings = ["Study", "Year", "Countries", *(f.label for f in BUNDLED.review.facets), "Themes"]
    marked = {label: [headings[i] for i, (_, marks) in enumerate(row) if marks] for label, row in rows.items()}
    assert {label: columns for label, columns in marked.items() if columns} == {
        "Anghel & Ramon": ["Study design"], "Driessens et al.": ["Study design"],
        "Farrow": ["Countries", "Study design"], "Hughes": ["Countries", "Study design", "Setting"],
        "Rooney et al.": ["Countries", "Study design"], "Tanner et al.": ["Study design"]}
    text, (mark,) = rows["Farrow"][2]
    assert text == "United Kingdom inferred"
    assert mark == {"tag": "span", "class": "em-inferred", "title": INDEX_TITLE}
    # sorted and matched by the value alone
    assert '<td data-value="United Kingdom">United Kingdom <span class="em-inferred"' in html
    assert '<td data-value="Qualitative">Qualitative <span class="em-inferred"' in html
    assert ('<p class="em-inferred-note">A value marked <span class="em-inferred">inferred</span> is not stated by '
            "the source: the map's authors inferred it, and the study's page says from what.</p>") in html


def test_an_index_with_nothing_inferred_says_nothing_about_it():
    emap = load_map(ROOT / "tests/sites/other/content")
    html, rows = index_rows(emap)
    assert "em-inferred" not in html and "data-value=\"Brazil\"" not in html


def test_the_rows_json_of_a_big_map_lists_a_studys_inferred_fields_after_its_facets(content: Path):
    emap = other_with_inferred(content)
    data = json.loads(studies_index.rows_json(Build(emap, today=TODAY)))
    rows = {r[0]: r for r in data["rows"]}
    width = 6 + len(data["facets"])
    assert rows["silva-2020"][width:] == [["countries", "region", "facets.intervention", "facets.study-type",
                                          "sample.size", "sample.description"]]
    assert all(len(r) == width for sid, r in rows.items() if sid != "silva-2020")


def test_a_big_maps_table_names_the_label_for_its_script(content: Path, monkeypatch):
    emap = other_with_inferred(content)
    monkeypatch.setattr(studies_index, "STUDIES_PER_PAGE", 2)
    pages = studies_index.pages(Build(emap, today=TODAY))
    assert STUDIES_ROWS in pages
    assert f'data-em-inferred="{INDEX_TITLE}"'.replace("'", "&#39;") in pages["studies/index.md"]


# ---------------------------------------------------------------------------------------------- downloads

def test_studies_csv_has_an_inferred_column_last():
    rows = list(csv.DictReader(io.StringIO(studies_csv(BUNDLED))))
    assert list(rows[0])[-2:] == ["notes", "inferred"]
    by_id = {r["id"]: r["inferred"] for r in rows}
    assert by_id["farrow-2014"] == "countries; facets.design"
    assert by_id["hughes-2017"] == "countries; facets.design; facets.setting"
    assert by_id["anghel-ramon-2009"] == "facets.design"
    assert by_id["davies-et-al-2014"] == ""
    fields = json.loads(datapackage(BUNDLED))["resources"][0]["schema"]["fields"]
    assert fields[-1]["name"] == "inferred" and "inferred rather than found in the source" in fields[-1]["description"]


def test_studies_json_lists_the_inferred_fields_and_its_schema_documents_them():
    data = json.loads(studies_json(BUNDLED))
    by_id = {s["id"]: s["inferred"] for s in data["studies"]}
    assert by_id["rooney-et-al-2016"] == ["countries", "facets.design"]
    assert by_id["macsporran-2015"] == []
    schema = schema_of("studies.schema.json")
    assert list(Draft202012Validator(schema).iter_errors(data)) == []
    field = schema["$defs"]["DownloadStudy"]["properties"]["inferred"]
    assert field["description"].startswith("Fields whose values the map's authors inferred rather than found")
    broken = json.loads(studies_json(BUNDLED))
    broken["studies"][0]["inferred"] = ["facets.design", "facets.design"]
    assert len(list(Draft202012Validator(schema).iter_errors(broken))) == 1
