"""The studies.json reader: the map's own download reads back, every field of every study, and its facets and
themes; a file that is not one is refused with the line to blame."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from sites.egm.synthetic import copy_with_studies

from generator.cli import main
from generator.content import load_map
from generator.content.load import check_content
from generator.importers.mapping import MappingError, read_mapping
from generator.importers.records import AppraisalSpec, Category, Code, FacetSpec, ThemeSpec
from generator.importers.studies_json import StudiesJsonError, read_studies_json, sniff
from generator.outputs.downloads import studies_json

ROOT = Path(__file__).resolve().parents[2]
MAPS = {"bundled": ROOT / "content", "other": ROOT / "tests/sites/other/content",
        "egm": ROOT / "tests/sites/egm/content"}
FIELDS = ("title", "authors", "year", "journal", "volume", "issue", "pages", "doi", "url", "countries", "region",
          "summary", "notes", "sample_size", "sample_description", "inferred")


def write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "studies.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


@pytest.mark.parametrize("name", sorted(MAPS))
def test_a_maps_download_reads_back_every_field_of_every_study(tmp_path, name):
    emap = load_map(MAPS[name])
    result = read_studies_json(write(tmp_path, studies_json(emap)), None)
    assert (result.format, result.skipped, result.notices) == ("studies-json", [], [])
    assert len(result.records) == len(emap.studies)
    for study, record in zip(emap.studies, result.records, strict=True):
        assert {f: getattr(record, f) for f in FIELDS} == {f: getattr(study, f) for f in FIELDS}
        assert dict(record.facets) == {k: v for k, v in study.facets.items() if v is not None}
        assert dict(record.themes) == {f.theme_id: f.markdown for f in study.findings}
        given = study.appraisal
        assert (record.appraisal_rating, record.appraisal_rationale) == (
            (given.rating, given.rationale) if given else (None, None))
    tool = emap.review.appraisal
    assert result.appraisal == (tool and AppraisalSpec(tool.tool, tuple(
        Code(level.id, level.label, level.description) for level in tool.levels), tool.url))
    assert (result.appraisal is None) == (name != "egm")
    def codes(spec: FacetSpec) -> list[tuple[str, str]]:  # a category's codes in its place, as the model lists them
        return [(c.id, c.label) for v in spec.values for c in (v.codes if isinstance(v, Category) else (v,))]

    assert [(f.id, f.label, f.multiple, codes(f)) for f in result.facets] == [
        (f.id, f.label, f.multiple, list(f.values)) for f in emap.review.facets]
    assert result.themes == tuple(ThemeSpec(t.id, t.title, t.summary) for t in emap.themes)


def test_an_organisation_stays_one_name_and_a_particle_stays_with_the_family_name(tmp_path):
    study = {"title": "A study", "year": 2020, "authors": ["World Health Organization", "van Doorn, F."],
             "authors_csl": [{"literal": "World Health Organization"},
                             {"family": "Doorn", "given": "F.", "non-dropping-particle": "van"}]}
    record = read_studies_json(write(tmp_path, {"facets": {}, "studies": [study]}), None).records[0]
    assert record.authors == ("{World Health Organization}", "van Doorn, F.")
    del study["authors_csl"]  # a file from before the parts were written: the names as shown
    record = read_studies_json(write(tmp_path, {"facets": {}, "studies": [study]}), None).records[0]
    assert record.authors == ("World Health Organization", "van Doorn, F.")


def test_facets_are_read_flat_or_with_categories_and_descriptions(tmp_path):
    facets = {
        "design": {"label": "Study design", "multiple": False, "values": {"rct": "Randomised trial"}},
        "intervention": {"label": "Intervention", "description": "What the programme did.", "multiple": True,
                         "values": {
                             "training": {"label": "Training and education", "description": "Courses.",
                                          "values": {"workshops": "Workshops",
                                                     "mentoring": {"label": "Mentoring",
                                                                   "description": "One-to-one support."}}},
                             "other-support": "Other support",
                             "grants": {"label": "Grants", "description": "Money."}}}}
    result = read_studies_json(write(tmp_path, {"facets": facets, "themes": [], "studies": []}), None)
    assert result.facets == (
        FacetSpec("design", "Study design", False, (Code("rct", "Randomised trial"),)),
        FacetSpec("intervention", "Intervention", True, (
            Category("training", "Training and education", (
                Code("workshops", "Workshops"), Code("mentoring", "Mentoring", "One-to-one support.")), "Courses."),
            Code("other-support", "Other support"), Code("grants", "Grants", "Money.")), "What the programme did."))


def test_studies_without_title_or_year_are_skipped_and_bad_countries_left_out(tmp_path):
    studies = [{"id": "a-2020", "title": "", "year": 2020}, {"id": "b", "title": "B", "year": None},
               "not a study", {"title": "C", "year": 2021, "countries": ["GB", "UK", "Narnia"], "facets": {"x": None},
                               "appraisal": {"rating": "high", "rationale": None}}]
    result = read_studies_json(write(tmp_path, {"facets": {}, "studies": studies}), None)
    assert [str(s) for s in result.skipped] == [
        "record 1: no title (a-2020)", "record 2: no year (b)",
        "record 3: not a study (a JSON object with title, year, authors...)"]
    (record,) = result.records
    assert (record.number, record.countries, dict(record.facets)) == (4, ("GB",), {})
    assert (record.appraisal_rating, record.appraisal_rationale) == ("high", None)
    assert result.notices == ["country 'UK' is not an ISO 3166-1 code: left out of record(s) 4",
                              "country 'Narnia' is not an ISO 3166-1 code: left out of record(s) 4"]


@pytest.mark.parametrize(("text", "message", "line"), [
    ('{"facets": {},\n "studies": [\n', "not valid JSON: Expecting value (line 3, column 1)", 3),
    ("[1, 2]", "not a map's studies.json: no `studies` list", 1),
    ('{"facets": [], "studies": []}', "`facets` is not a mapping of facet ids to facets", None),
    ('{"facets": {"x": {"label": "X"}}, "studies": []}', "facets.x is not a facet (label, multiple, values)", None),
    ('{"facets": {"x": {"values": {"a": 1}}}, "studies": []}',
     "facets.x: value 'a' is neither a label nor {label, description}", None),
    ('{"facets": {}, "appraisal": {"tool": "T"}, "studies": []}',
     "`appraisal` is not an appraisal tool (tool, url, levels)", None),
])
def test_what_is_not_a_studies_json_is_refused(tmp_path, text, message, line):
    with pytest.raises(StudiesJsonError) as caught:
        read_studies_json(write(tmp_path, text), None)
    assert (caught.value.message, caught.value.line) == (message, line)


def test_a_mapping_is_refused(tmp_path):
    mapping = tmp_path / "map.yml"
    mapping.write_text("code_sets:\n  Design: drop\n", encoding="utf-8")
    with pytest.raises(MappingError) as caught:
        read_studies_json(write(tmp_path, {"facets": {}, "studies": []}), read_mapping(mapping))
    assert (caught.value.message, caught.value.line) == ("a studies.json import takes no mapping", 1)


def test_sniff_tells_our_download_from_an_eppi_export(tmp_path):
    ours = write(tmp_path, studies_json(load_map(MAPS["other"])))
    assert sniff(ours) == "studies-json"
    eppi = ROOT / "tests/importers/fixtures/eppi/export.json"
    assert sniff(eppi) is None and sniff(tmp_path) is None


# ---------------------------------------------------------------------------------------------- round trip

ROUND_TRIP_FIELDS = FIELDS + ("findings", "appraisal")


def _synthetic(target: Path, n: int) -> Path:
    """The egm fixture with n synthetic studies, rated or not. Each is listed under a theme: a study with none is
    written with new-study's TODO for its themes, which validate refuses."""
    copy_with_studies(target, n)
    for path in (target / "studies").glob("synthetic-*.yml"):
        path.write_text(path.read_text(encoding="utf-8") + "themes:\n  access: null\n", encoding="utf-8")
    return target


@pytest.mark.parametrize("name", ["bundled", "other", "egm", "egm-synthetic"])
def test_a_map_rebuilt_from_its_studies_json_loads_back_equal(tmp_path, name, capsys):
    """The download imported into a copy of the map's content without its study files gives back every study,
    with its id, field for field (its appraisal rating and rationale too); theme pages, which cite studies by id,
    still find them."""
    source = MAPS.get(name) or _synthetic(tmp_path / "synthetic", 80)
    emap = load_map(source)
    if name == "egm-synthetic":  # rated and not: both come back
        assert {s.appraisal is None for s in emap.studies} == {True, False}
    content = tmp_path / "content"
    shutil.copytree(source, content)
    for study in (content / "studies").glob("*.yml"):
        study.unlink()
    export = write(tmp_path, studies_json(emap))
    assert main(["import", str(export), "--content", str(content)]) == 0
    assert capsys.readouterr().out.startswith(f"added {len(emap.studies)}, updated 0, unchanged 0, conflicts 0, "
                                              "skipped 0")
    again, problems = check_content(content)
    # The same as the source's: none, but the synthetic theme page's warning that it cites none of its studies.
    assert [str(p).replace(str(content), "") for p in problems] == [
        str(p).replace(str(source), "") for p in check_content(source)[1]]
    assert all(p.warning for p in problems) and (name == "egm-synthetic" or not problems)
    before, after = ({s.id: s for s in m.studies} for m in (emap, again))
    assert sorted(after) == sorted(before)
    for sid, study in before.items():
        assert {f: getattr(after[sid], f) for f in ROUND_TRIP_FIELDS} == {
            f: getattr(study, f) for f in ROUND_TRIP_FIELDS}, sid
        # The writer lists a study's codes in the review's order, which a hand-written file need not follow.
        assert {f: sorted(v or ()) for f, v in after[sid].facets.items()} == {
            f: sorted(v or ()) for f, v in study.facets.items()}, sid
    assert main(["import", str(export), "--content", str(content)]) == 0  # and again: nothing to do
    assert capsys.readouterr().out.startswith(f"added 0, updated 0, unchanged {len(emap.studies)}, conflicts 0")
