"""Counting the evidence matrix: the reference rules the page's script is held to in the browser tests."""

import datetime
import json
import re
from urllib.parse import urljoin

import pytest

from conftest import ROOT
from generator.content import load_map
from generator.model import EvidenceMap, Facet, Finding, Review, Study, Theme
from generator.outputs import downloads, paths
from generator.outputs.matrix import NOT_REPORTED, SEGMENT_COLOURS, count, dimensions, script_json, year_groups
from generator.outputs.matrix_data import PARAMS, page_data, view_url

DESIGN = Facet("design", "Design", False, (("trial", "Trial"), ("qual", "Qualitative")))
PEOPLE = Facet("people", "Participants", True, (("users", "Service users"), ("carers", "Carers")))


def study(sid: str, year: int, themes: tuple[str, ...], design: str | None, people: tuple[str, ...] | None,
          countries: tuple[str, ...] = ("GB",)) -> Study:
    return Study(sid, f"Title of {sid}", (f"{sid.title()}, A.",), year, "J", countries,
                 {"design": (design,) if design else None, "people": people},
                 tuple(Finding(t, None) for t in themes), f"content/studies/{sid}.yml")


def small_map() -> EvidenceMap:
    review = Review("R", "Q?", (), ("DB",), None, None, (DESIGN, PEOPLE), ("design", "people", "country", "year"))
    themes = (Theme("a", "Theme A", 1, None, "", 1, "a.md"), Theme("b", "Theme B", 2, None, "", 1, "b.md"))
    studies = (
        study("one", 2010, ("a",), "trial", ("users", "carers"), ("GB", "IE")),
        study("two", 2012, ("a", "b"), "qual", ("users",)),
        study("three", 2015, ("b",), "qual", None, ("IE",)),
        study("four", 2015, ("a",), None, ("carers",)),
    )
    return EvidenceMap(review, studies, themes)


def test_a_study_with_several_values_counts_once_under_each_and_once_in_the_totals():
    c = count(small_map(), "people")
    assert c.cells[("a", "users")] == ("one", "two") and c.cells[("a", "carers")] == ("one", "four")
    assert c.rows["a"] == ("one", "two", "four")  # distinct studies: 3, though the cells add up to 4
    assert c.cols["carers"] == ("one", "four")
    assert len(c.total) == 4


def test_a_study_in_two_themes_counts_in_both_rows_but_once_in_its_column():
    c = count(small_map(), "design")
    assert c.n("a", "qual") == 1 and c.n("b", "qual") == 2
    assert c.cols["qual"] == ("two", "three")


def test_not_reported_is_a_column_only_when_some_study_is_there():
    assert count(small_map(), "people").columns[-1] == (NOT_REPORTED, "Not reported")
    assert count(small_map(), "people").cells[("b", NOT_REPORTED)] == ("three",)
    assert NOT_REPORTED not in dict(count(small_map(), "country").columns)


def test_gaps_are_columns_with_no_studies():
    c = count(small_map(), "design")
    assert [v for v, _ in c.columns] == ["trial", "qual", NOT_REPORTED]
    assert c.n("b", "trial") == 0


def test_filters_are_or_within_a_dimension_and_and_across_dimensions():
    emap = small_map()
    assert count(emap, "design", {"people": ["users"]}).total == ("one", "two")
    assert count(emap, "design", {"people": ["users", "carers"]}).total == ("one", "two", "four")
    assert count(emap, "design", {"people": ["users", "carers"], "country": ["IE"]}).total == ("one",)
    assert count(emap, "design", {"people": [NOT_REPORTED]}).total == ("three",)
    assert count(emap, "design", {}, years=(2012, 2015)).total == ("two", "three", "four")
    assert count(emap, "design", {"country": ["GB"]}, years=(2011, None)).total == ("two", "four")


def test_filtered_counts_keep_every_column_so_gaps_stay_visible():
    c = count(small_map(), "design", {"design": ["trial"]})
    assert [v for v, _ in c.columns] == ["trial", "qual", NOT_REPORTED]
    assert c.n("a", "qual") == 0 and c.n("a", "trial") == 1


@pytest.mark.parametrize("years, expected", [
    ([2009, 2017], [str(y) for y in range(2009, 2018)]),  # a short span: every year, empty ones too
    ([2003, 2004, 2021], ["2000-2004", "2005-2009", "2010-2014", "2015-2019", "2020-2024"]),
    ([], []),
])
def test_year_columns_group_into_periods_when_the_span_is_long(years, expected):
    assert [g[0] for g in year_groups(years)] == expected


def test_the_year_dimension_uses_those_groups():
    dims = dimensions(small_map())
    assert [v for v, _ in dims["year"].values] == [str(y) for y in range(2010, 2016)]
    assert dims["year"].of(small_map().studies[0]) == ("2010",)
    assert [label for _, label in dims["country"].values] == ["Ireland", "United Kingdom"]  # by name


def test_bundled_map_counts_a_two_country_study_in_each_country():
    c = count(load_map(ROOT / "content"), "country")
    assert dict(c.columns) == {"AU": "Australia", "BE": "Belgium", "NL": "Netherlands", "GB": "United Kingdom"}
    assert len(c.cols["BE"]) == len(c.cols["NL"]) == 1 and len(c.cols["GB"]) == 9
    assert len(c.total) == 11


def test_page_data_is_compact_and_complete():
    emap = load_map(ROOT / "content")
    data = page_data(emap, paths.relative(paths.MATRIX_URL, paths.HOME_URL), "design")
    text = script_json(data)
    assert len(data["studies"]) == 11
    assert len(text.encode("utf-8")) / 11 < 500  # themes and facet labels included once; see the benchmark
    per_study = [len(json.dumps(s, ensure_ascii=False, separators=(",", ":")).encode()) for s in data["studies"]]
    assert max(per_study) < 300  # the weight at 1,000 and 10,000 studies: benchmarks/matrix_speed.py
    assert data["columns"] == ["design", "setting", "participants", "methods", "country", "year"]
    summaries = [s.summary for s in emap.studies if s.summary]
    assert summaries and not any(summary[:40] in text for summary in summaries)  # no abstracts in the data


def test_script_json_cannot_end_its_script_element():
    text = script_json({"title": "</script><script>alert(1)</script> & <!--"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"title": "</script><script>alert(1)</script> & <!--"}
    assert not re.search(r"</script", text, re.I)


@pytest.mark.parametrize("here", [paths.MATRIX_URL, paths.HOME_URL, "a/b/"])
def test_the_links_in_page_data_reach_the_pages_paths_spells(here):
    """The script joins urls.study (or .theme) around an id; from any page, that is the page paths.py names."""
    emap = small_map()
    urls = page_data(emap, paths.relative(here, paths.HOME_URL), None)["urls"]
    site, page = "https://example.org/map/", "https://example.org/map/" + here
    for s in emap.studies:
        assert urljoin(page, urls["study"][0] + s.id + urls["study"][1]) == site + paths.study_url(s.id)
    for t in emap.themes:
        assert urljoin(page, urls["theme"][0] + t.id + urls["theme"][1]) == site + paths.theme_url(t.id)
    assert urljoin(page, urls["studies_json"]) == site + downloads.STUDIES_JSON
    assert downloads.STUDIES_JSON in downloads.files(emap)


def test_the_page_scripts_spell_no_path_of_the_site():
    """Paths live in paths.py (issue 18); a script that spelled one would break when they change."""
    names = [v for k, v in vars(paths).items() if k.isupper() and isinstance(v, str) and v] + [
        downloads.STUDIES_CSV, downloads.STUDIES_JSON, downloads.BIBTEX, downloads.RIS, downloads.DATAPACKAGE]
    names += [f"?{v}" for v in PARAMS.values()] + [f"&{v}" for v in PARAMS.values()]  # and query parameters
    scripts = sorted((ROOT / "generator" / "assets" / "pages").glob("*.js"))
    assert {s.name for s in scripts} >= {"charts.js"} | {p.rsplit("/", 1)[1] for p in paths.MATRIX_SCRIPTS}
    for script in scripts:
        text = script.read_text("utf-8")
        literals = re.findall(r'"((?:[^"\\\n]|\\.)*)"|\'((?:[^\'\\\n]|\\.)*)\'', text)
        spelled = [a or b for a, b in literals if any(name in (a or b) for name in names)]
        assert spelled == [], script


# ---------------------------------------------------------------- review.yml's matrix: rows, segments, status

EGM = ROOT / "tests" / "sites" / "egm" / "content"
EGM_MATRIX = "matrix:\n  columns: [outcome, design, status, country, year]\n"


def egm_with(tmp_path, matrix: str):
    import shutil

    content = tmp_path / "content"
    shutil.copytree(EGM, content)
    review = content / "review.yml"
    text = review.read_text("utf-8")
    assert EGM_MATRIX in text
    review.write_text(text.replace(EGM_MATRIX, matrix), "utf-8")
    return content


def matrix_problems(content) -> list[str]:
    from generator.content import check_content

    emap, found = check_content(content)
    assert emap is None
    return [str(p).replace(str(content) + "/", "") for p in found if not p.warning]


def test_without_rows_or_segments_a_review_keeps_todays_matrix():
    review = load_map(ROOT / "content").review
    assert review.matrix_rows == ("themes",) and review.matrix_segments == () and review.matrix_status is None


def test_rows_columns_segments_and_status_are_read(tmp_path):
    content = egm_with(tmp_path, "matrix:\n  rows: [intervention, themes]\n  columns: [outcome, appraisal]\n"
                                 "  segments: [design, appraisal]\n  status: {facet: status, ongoing: [ongoing]}\n")
    review = load_map(content).review
    assert review.matrix_rows == ("intervention", "themes") and review.matrix_columns == ("outcome", "appraisal")
    assert review.matrix_segments == ("design", "appraisal")
    assert (review.matrix_status.facet, review.matrix_status.ongoing) == ("status", ("ongoing",))


def test_each_mistake_in_matrix_is_named_at_its_line_with_a_hint(tmp_path):
    content = egm_with(tmp_path, "matrix:\n  rows: [themes, outcomes]\n  columns: [design]\n"
                                 "  segments: [country, intervention]\n  status: {facet: status, ongoing: [pending]}\n")
    assert matrix_problems(content) == [
        "review.yml:115: matrix.rows[1]: unknown dimension 'outcomes' (hint: choose from: intervention, outcome, "
        "design, status, themes, country, year, appraisal)",
        "review.yml:117: matrix.segments[0]: 'country' cannot split a cell: only a facet or appraisal can (hint: "
        "choose from: intervention, outcome, design, status, appraisal)",
        "review.yml:118: matrix.status.ongoing[0]: 'pending' is not a code of Status (hint: choose from: completed, "
        "ongoing)"]


def test_a_split_needs_few_enough_values_for_a_colour_each_and_appraisal_needs_a_tool(tmp_path):
    content = egm_with(tmp_path, "matrix:\n  segments: [design]\n  status: {facet: stage, ongoing: [ongoing]}\n")
    review = content / "review.yml"
    more = "".join(f"      d{i}: Design {i}\n" for i in range(6))
    review.write_text(review.read_text("utf-8").replace("      review: Systematic review\n",
                                                        "      review: Systematic review\n" + more), "utf-8")
    assert matrix_problems(content) == [
        "review.yml:121: matrix.segments[0]: 'design' has 10 values at the top level; a cell is split into at most 9 "
        "(a colour each) (hint: choose from: intervention, outcome, status, appraisal)",
        "review.yml:122: matrix.status.facet: unknown facet 'stage' (hint: facets of this review: intervention, "
        "outcome, design, status)"]


def test_appraisal_is_a_dimension_only_of_a_map_that_appraised_its_studies(tmp_path):
    import shutil

    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    review = content / "review.yml"
    text = review.read_text("utf-8")
    assert "\nappraisal:" not in text and "\nmatrix:\n  columns:" in text
    review.write_text(text.replace("\nmatrix:\n", "\nmatrix:\n  rows: [themes, appraisal]\n"), "utf-8")
    line = text[:text.index("\nmatrix:\n")].count("\n") + 3
    assert matrix_problems(content) == [
        f"review.yml:{line}: matrix.rows[1]: 'appraisal' is a dimension only when review.yml has appraisal: (the "
        "tool and its levels) (hint: choose from: design, setting, participants, methods, themes, country, year)"]


# ---------------------------------------------------------------- any two dimensions, categories, segments, status


def egm_map(tmp_path, n: int = 0, matrix: str | None = None):
    content = egm_with(tmp_path, matrix or EGM_MATRIX)
    if n:
        import sys

        sys.path.insert(0, str(ROOT / "tests"))
        from sites.egm.synthetic import write_studies

        write_studies(content, n)
    return load_map(content)


SPLIT = ("matrix:\n  rows: [intervention, themes]\n  columns: [outcome, design, appraisal]\n"
         "  segments: [design, appraisal]\n  status: {facet: status, ongoing: [ongoing]}\n")


def test_a_category_counts_distinct_studies_with_any_of_its_codes(tmp_path):
    emap = egm_map(tmp_path, 200, SPLIT)
    c = count(emap, "outcome", rows="intervention")
    facet = emap.review.facet("intervention")
    for category in facet.categories:
        for col, _ in c.columns:
            with_any = {s.id for s in emap.studies if set(s.facets["intervention"] or ()) & set(category.codes)
                        and set(dimensions(emap)["outcome"].keys(s)) & {col}}
            assert set(c.cells.get((category.id, col), ())) == with_any
            assert len(c.cells.get((category.id, col), ())) == len(with_any)  # each study once
    # a study with two codes of one category is one study of that category, not two
    two = next(s for s in emap.studies if len(set(s.facets["intervention"] or ()) & set(facet.codes_of("training"))) > 1)
    assert c.rows["training"].count(two.id) == 1


def test_rows_and_columns_list_categories_with_their_codes_under_them(tmp_path):
    c = count(egm_map(tmp_path, 20, SPLIT), "outcome", rows="intervention")
    assert c.row_lines[:3] == (("training", "Training and education", 0), ("workshops", "Workshops", 1),
                               ("vocational-courses", "Vocational courses", 1))
    assert [v for v, _, d in c.row_lines if d == 0] == ["training", "guidance", "work-experience", "subsidies",
                                                         "enterprise", "systems", "other-support", "multi-component",
                                                         NOT_REPORTED]
    assert [v for v, _ in c.columns] == ["employment", "employed", "hours", "job-quality", "income", "earnings",
                                         "benefits", "education", "enrolment", "qualifications", "wellbeing",
                                         NOT_REPORTED]


def test_segments_split_completed_studies_by_top_level_value_and_ongoing_ones_stand_apart(tmp_path):
    emap = egm_map(tmp_path, 300, SPLIT)
    c = count(emap, "design", rows="intervention", split="appraisal")
    ongoing = {s.id for s in emap.studies if s.facets.get("status") == ("ongoing",)}
    assert c.ongoing == ongoing and ongoing
    for (row, col), ids in c.cells.items():
        done = [i for i in ids if i not in ongoing]
        assert c.n(row, col) == len(done) and c.n_ongoing(row, col) == len(ids) - len(done)
        by_rating: dict[str, list[str]] = {}
        for i in done:
            study = emap.study(i)
            by_rating.setdefault(study.appraisal.rating if study.appraisal else NOT_REPORTED, []).append(i)
        assert {k: list(v) for k, v in c.segments.get((row, col), {}).items()} == by_rating
    # split by a grouped facet: a segment per category, a study in each category it has a code of
    c = count(emap, "design", rows="themes", split="intervention")
    assert set(k for seg in c.segments.values() for k in seg) <= {*emap.review.facet("intervention").order, NOT_REPORTED}


def test_filtering_by_a_category_keeps_studies_with_any_of_its_codes(tmp_path):
    emap = egm_map(tmp_path, 100, SPLIT)
    codes = set(emap.review.facet("intervention").codes_of("enterprise"))
    want = tuple(s.id for s in emap.studies if set(s.facets["intervention"] or ()) & codes)
    assert count(emap, "design", {"intervention": ["enterprise"]}).total == want and want


def test_segment_colours_follow_the_values_place_in_review_yml_not_what_is_drawn(tmp_path):
    emap = egm_map(tmp_path, 0, SPLIT)
    data = page_data(emap, "../", None)
    design = next(d for d in data["dims"] if d["id"] == "design")
    assert design["colours"] == [*SEGMENT_COLOURS[:4], "#BBBBBB"]
    intervention = next(d for d in data["dims"] if d["id"] == "intervention")
    assert "colours" not in intervention  # not offered as a split here
    assert data["rows"] == ["intervention", "themes"] and data["segments"] == ["design", "appraisal"]
    assert data["status"] == {"dim": "status", "ongoing": [1]}


def test_the_script_reads_each_studys_values_compactly(tmp_path):
    emap = egm_map(tmp_path, 50, SPLIT)
    data = page_data(emap, "../", None)
    order = [d["id"] for d in data["dims"]]
    assert order == ["intervention", "outcome", "design", "status", "country", "year", "themes", "appraisal"]
    dims = dimensions(emap)
    for s, row in zip(emap.studies, data["studies"], strict=True):
        for d, value in zip(data["dims"], row[4], strict=True):
            got = [value] if isinstance(value, int) else value
            assert [d["values"][i][0] for i in got] == list(dims[d["id"]].of(s))


def test_links_to_a_view_of_the_matrix_spell_its_parameters_in_one_place():
    assert view_url({"country": "GB"}) == "matrix/?f-country=GB"
    assert view_url({"design": None}) == "matrix/?f-design=-"
    assert view_url(years=(2010, 2010)) == "matrix/?from=2010&to=2010"


# ---------------------------------------------------------------- appraisal: ranked levels, a sequential scale

def _luminance(hex_colour: str) -> float:
    """WCAG relative luminance: what a reader with any colour-vision deficiency still tells apart."""
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def test_appraisal_levels_take_a_sequential_scale_from_the_first_level_darkest_and_grey_when_not_appraised(tmp_path):
    emap = egm_map(tmp_path, 0, SPLIT)
    data = page_data(emap, "../", None)
    appraisal = next(d for d in data["dims"] if d["id"] == "appraisal")
    levels, grey = appraisal["colours"][:-1], appraisal["colours"][-1]
    assert [v[0] for v in appraisal["values"]] == [level.id for level in emap.review.appraisal.levels]
    assert grey == "#BBBBBB"  # "not appraised", as "not reported" is everywhere
    assert not set(levels) & set(SEGMENT_COLOURS)  # not the categorical palette
    light = [_luminance(c) for c in levels]
    assert light == sorted(light) and len(set(levels)) == len(levels)  # darkest first, each lighter than the last
    # neighbours far enough apart in lightness alone to tell apart without hue (contrast ratio of at least 1.5)
    assert all((b + 0.05) / (a + 0.05) >= 1.5 for a, b in zip(light, light[1:], strict=False))
    # the same scale wherever a cell may be split by appraisal: the design split keeps its categorical colours
    design = next(d for d in data["dims"] if d["id"] == "design")
    assert design["colours"][:4] == list(SEGMENT_COLOURS[:4])


@pytest.mark.parametrize("n", [2, 3, 5, 7, 9])
def test_any_number_of_levels_gets_distinct_ordered_steps(n):
    from generator.outputs.matrix import sequential_colours

    colours = list(sequential_colours([f"l{i}" for i in range(n)]).values())
    light = [_luminance(c) for c in colours]
    assert light == sorted(light) and len(set(colours)) == n


def test_the_glance_pages_appraisal_chart_colours_each_rating_as_the_matrix_does(tmp_path):
    from generator.outputs.base import Build
    from generator.outputs.overview import appraisal_chart

    emap = egm_map(tmp_path, 60, SPLIT)
    chart = appraisal_chart(Build(emap, today=datetime.date(2025, 1, 1)))
    spec = json.loads(chart.json)
    appraisal = next(d for d in page_data(emap, "../", None)["dims"] if d["id"] == "appraisal")
    colour_of = dict(zip([v[1] for v in appraisal["values"]] + ["Not appraised"], appraisal["colours"], strict=True))
    assert spec["labels"] == [level.label for level in emap.review.appraisal.levels] + ["Not appraised"]
    assert spec["colours"] == [colour_of[label] for label in spec["labels"]]
    rated = [s.appraisal.rating if s.appraisal else "-" for s in emap.studies]
    assert spec["counts"] == [rated.count(level.id) for level in emap.review.appraisal.levels] + [rated.count("-")]


def test_the_page_data_says_what_dimensions_and_values_mean_once_each(tmp_path):
    emap = egm_map(tmp_path, 40, SPLIT)
    dims = {d["id"]: d for d in page_data(emap, "../", None)["dims"]}
    facet = emap.review.facet("intervention")
    assert dims["intervention"]["about"] == facet.description
    assert dims["intervention"]["desc"] == {v: facet.description_of(v) for v in
                                            ["training", "subsidies", "basic-skills", "mentoring",
                                             "supported-employment", "multi-component"]}
    assert dims["appraisal"]["desc"] == {level.id: level.description for level in emap.review.appraisal.levels}
    assert dims["themes"]["desc"] == {t.id: t.summary for t in emap.themes if t.summary} != {}
    assert "about" not in dims["outcome"] and "desc" not in dims["outcome"]  # none in review.yml: none made up


def test_the_key_is_told_which_splits_give_a_study_one_value_only(tmp_path):
    """The bubble view's note says a study with two values is in both segments; for a split where a study has one
    value at most (a facet with multiple: false, appraisal) that would be wrong, so the data says so."""
    emap = egm_map(tmp_path, 20, SPLIT.replace("segments: [design, appraisal]", "segments: [design, appraisal, outcome]"))
    dims = {d["id"]: d for d in page_data(emap, "../", None)["dims"]}
    assert not emap.review.facet("design").multiple and emap.review.facet("outcome").multiple
    assert (dims["design"].get("one"), dims["appraisal"].get("one"), dims["outcome"].get("one")) == (1, 1, None)
