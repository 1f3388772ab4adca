"""The EPPI-Reviewer JSON reader, on an export laid out as EPPI-Reviewer writes one (fixtures/eppi/export.json:
UTF-8 with a byte order mark, six code sets, HTML in text, a reference without a year, one without a title, a
duplicate, codes of a code set that is not exported, an excluded reference)."""

from __future__ import annotations

import codecs
import json
import tracemalloc
from pathlib import Path

import pytest
import yaml

from generator.cli import main
from generator.content.load import check_content
from generator.importers.eppi import EppiError, eppi_authors, read_eppi, sniff
from generator.importers.mapping import MappingError, read_mapping
from generator.importers.records import AppraisalSpec, Category, Code

FIXTURES = Path(__file__).parent / "fixtures" / "eppi"
EXPORT = FIXTURES / "export.json"


@pytest.fixture(scope="module")
def plain():
    return read_eppi(EXPORT, None)


@pytest.fixture(scope="module")
def mapped():
    return read_eppi(EXPORT, read_mapping(FIXTURES / "mapping.yml"))


def record(result, number):
    return next(r for r in result.records if r.number == number)


def facet(result, facet_id):
    return next(f for f in result.facets if f.id == facet_id)


def test_a_reference_gives_its_bibliographic_fields(plain):
    first = record(plain, 1)
    assert first.values() == {
        "title": "Service users and carers' involvement in social work education: lessons from an English case study",
        "authors": ("Anghel, R.", "Ramon, S."), "year": 2009, "journal": "European Journal of Social Work",
        "volume": "12", "issue": "2", "pages": "185-199", "doi": "10.1080/13691450802567465",
        "url": "https://doi.org/10.1080/13691450802567465"}
    second = record(plain, 2)
    assert second.title == "Parents & carers as co-educators: a mixed\u2011methods evaluation"  # HTML made plain
    assert second.doi == "10.1080/02615479.2014.919999"
    assert second.issue is None and second.pages == "1020"  # EPPI's "" is unknown, not a value
    assert record(plain, 5).authors == () and record(plain, 5).journal is None


@pytest.mark.parametrize(("authors", "expected"), [
    ("Anghel R ; Ramon S ; ", ("Anghel, R.", "Ramon, S.")),  # EPPI's trailing " ; "
    ("Al-Hidabi M D.A; Teh P L; ", ("Al-Hidabi, M. D. A.", "Teh, P. L.")),
    ("Smith JA ; ", ("Smith, J. A.",)),  # initials with no dots, as EPPI keeps PubMed's
    ("Chen Chaomei ; Hu Zhigang ; ", ("Chen, C.", "Hu, Z.")),
    ("van der Berg JA ; van Doorn Frank ; de la Cruz Maria ; ", ("van der Berg, J. A.", "van Doorn, F.",
                                                                   "de la Cruz, M.")),
    ("Ó Súilleabháin Niamh ; ", ("Ó Súilleabháin, N.",)),
    ("World Health Organization  ; Hunter  ; ", ("{World Health Organization}", "Hunter")),
    ("", ()),
])
def test_authors_in_eppi_form_are_written_family_first_with_initials(authors, expected):
    assert eppi_authors(authors) == expected


def test_references_without_title_or_year_are_skipped_with_their_number_and_item_id(plain):
    assert [(s.number, s.reason) for s in plain.skipped] == [
        (3, 'no year in Year ("") (EPPI ItemId 46660999)'), (7, "no Title (EPPI ItemId 46661003)")]
    assert [r.number for r in plain.records] == [1, 2, 4, 5, 6, 8]  # the duplicate (4) is the writer's to report


def test_internal_reviewer_fields_never_reach_a_record(plain, mapped):
    text = json.loads(EXPORT.read_text(encoding="utf-8-sig"))
    assert "INTERNAL-COMMENT" in text["References"][0]["Comments"]  # the fixture has them, so this can fail
    for result in (plain, mapped):
        seen = repr((result.records, result.facets, result.themes, result.notices))
        for secret in ("INTERNAL-COMMENT", "Secretname", "Hiddenname", "KEYWORD-NOT-IMPORTED", "Included in review",
                       "[¬s]", "ShortTitle", "Anghel (2009)"):
            assert secret not in seen


def test_the_abstract_is_imported_only_when_the_mapping_sends_it_to_the_summary(plain, mapped):
    assert all(r.summary is None for r in plain.records)
    assert record(mapped, 1).summary == "This paper reports on a case study.\n\nStudents & service users took part."


def test_a_two_level_code_set_is_a_facet_with_categories_and_descriptions(plain):
    intervention = facet(plain, "intervention")
    assert intervention.label == "Intervention" and intervention.multiple
    assert intervention.description == "What the programme did. Tick every code that applies."
    categories = [v for v in intervention.values if isinstance(v, Category)]
    assert [c.label for c in categories] == ["Training and education", "Financial support",
                                             "Peer & mentoring support", "Digital tools", "Policy change"]
    assert categories[0].description == "Courses, workshops and modules."
    training = {c.id: c for c in categories[0].codes}
    assert training["workshops"] == Code("workshops", "Workshops", "Face-to-face sessions of a day or less.")
    assert training["mentoring"].description == "One-to-one support."  # AttributeDescription when no set one
    codes = [c for v in intervention.values for c in (v.codes if isinstance(v, Category) else (v,))]
    assert len(codes) == 32 and len({c.id for c in codes}) == 32  # 31 codes and one general code, ids unique
    assert intervention.values[-1] == Code("other-intervention", "Other intervention")
    # The heading whose codes cannot be ticked is left out, and said so.
    assert "Other (headings only)" not in repr(intervention)
    assert "'Intervention' > 'Other (headings only)': no code under it can be selected; left out" in plain.notices


def test_a_code_with_codes_under_it_coded_directly_gets_a_general_code(plain):
    training = facet(plain, "intervention").values[0]
    assert training.codes[0] == Code("training-and-education-general", "Training and education (general)")
    assert record(plain, 2).facets["intervention"] == ("training-and-education-general", "online-modules",
                                                       "payment-for-involvement")
    assert any("'Training and education' itself" in n and "'training-and-education-general'" in n
               for n in plain.notices)
    # Adults is coded directly too; Population's other category would not get one unless it were.
    assert [c.id for c in facet(plain, "population").values[0].codes] == ["adults-general", "older-adults",
                                                                          "working-age-adults"]


def test_a_three_level_code_set_is_split_into_a_facet_per_question_and_deeper_codes_are_folded(plain):
    assert [f.id for f in plain.facets] == ["study-design", "intervention", "country", "findings", "population",
                                            "outcomes", "data-extraction", "screening"]
    outcomes = facet(plain, "outcomes")
    assert outcomes.values == (Code("knowledge", "Knowledge"), Category("attitudes", "Attitudes", (
        Code("towards-service-users", "Towards service users"), Code("towards-carers", "Towards carers"))))
    assert facet(plain, "data-extraction").values == (
        Code("revisit", "Revisit", "Temporary: bring to the team's attention."),)


def test_folded_codes_carry_their_parents_label(tmp_path):
    data = json.loads(EXPORT.read_text(encoding="utf-8-sig"))
    adults = data["CodeSets"][4]["Attributes"]["AttributesList"][0]["Attributes"]["AttributesList"][0]
    older = adults["Attributes"]["AttributesList"][0]
    older["Attributes"] = {"AttributesList": [{**older, "AttributeId": 1, "AttributeName": "Over 80"}]}
    path = tmp_path / "deep.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    adults_category = facet(read_eppi(path, None), "population").values[0]
    assert Code("older-adults-over-80", "Older adults: Over 80") in adults_category.codes
    assert any("1 code(s) three or more levels below" in n for n in read_eppi(path, None).notices)


def test_a_facet_is_multiple_only_when_a_reference_has_two_of_its_codes(plain):
    assert not facet(plain, "study-design").multiple and facet(plain, "country").multiple
    assert record(plain, 6).facets["study-design"] == ("survey",)  # 'Outcome' codes can be ticked too


def test_the_mapping_renames_drops_and_sends_code_sets_to_themes_and_countries(mapped):
    design = facet(mapped, "design")
    assert (design.label, design.description) == ("Design of the study", "What kind of study it is.")
    assert [f.id for f in mapped.facets] == ["design", "intervention", "population", "outcomes", "data-extraction"]
    assert [(t.id, t.title, t.summary) for t in mapped.themes] == [
        ("meaningful-involvement", "Meaningful involvement", "What made involvement more than a token."),
        ("challenges-and-barriers", "Challenges and barriers", None), ("outcomes-for-students", "Outcomes for students",
                                                                       None)]
    assert record(mapped, 1).themes == {
        "meaningful-involvement": "Students valued the service users' stories.\n\nThey changed how students saw "
                                  "practice."}
    assert record(mapped, 2).themes == {  # a code given for two arms: both texts, each with its arm
        "challenges-and-barriers": "Carers' group: Payment was late.\n\nStudents' group: Staff time was short."}
    assert record(mapped, 8).themes == {"meaningful-involvement": None}  # coded, with no text
    assert [record(mapped, n).countries for n in (1, 2, 6)] == [("GB",), ("IE", "NL"), ("KE", "VN")]
    assert any(n.startswith("country code 'Zanzibar' is not a country's name") and "record(s) 6 " in n
               for n in mapped.notices)
    assert "screening" not in repr(mapped.facets) and not any("6214518" in n for n in mapped.notices)


def test_codes_of_a_code_set_not_in_the_export_are_left_out_and_listed(plain):
    assert ("1 code(s) on references belong to no code set in the export (AttributeId 999999): left out; export "
            "the coding tools with the references to import them") in plain.notices


def test_references_not_included_in_the_review_are_said(plain):
    assert ("1 reference(s) are not included in the review in EPPI-Reviewer ('Excluded from review'): imported "
            "all the same; export only the included ones to leave them out") in plain.notices


@pytest.mark.parametrize(("text", "message", "line"), [
    ('code_sets:\n  "Study desing": drop\n', "no code set named 'Study desing' in the export", 2),
    ("code_sets:\n  Country: country\n", "code set 'Country': expected one of: facet, split, drop, themes, "
                                        "countries, appraisal or {facet: <id>}, but received: 'country'", 2),
    ("code_sets:\n  Country: appraisal\n  Findings: appraisal\n",
     "code set 'Findings': a second code set sent to appraisal", 3),
    ("code_sets:\n  Country: {facet: Country}\n", "code set 'Country': expected {facet: <id>, label: <label>}", 2),
    ("code_sets:\n  Country: {facet: place}\n  Findings: {facet: place}\n",
     "facet id 'place' is given to two code sets", 3),
    ("fields:\n  Title: summary\n", "fields: expected `Abstract: summary`, but received: `Title: summary`", 2),
    ("columns:\n  Title: title\n", "`columns` is not a section of an EPPI-Reviewer mapping", 1),
])
def test_a_wrong_mapping_is_refused_with_its_line(tmp_path, text, message, line):
    path = tmp_path / "map.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(MappingError) as caught:
        read_eppi(EXPORT, read_mapping(path))
    assert (caught.value.message, caught.value.line, caught.value.source) == (message, line, str(path))


def test_a_file_cut_short_is_refused_with_its_line():
    with pytest.raises(EppiError) as caught:
        read_eppi(FIXTURES / "broken.json", None)
    assert caught.value.message.startswith("not valid JSON: ")
    assert caught.value.message.endswith("; 2 reference(s) were read before it")
    assert caught.value.line == len((FIXTURES / "broken.json").read_text(encoding="utf-8").splitlines())
    assert "export the references again from EPPI-Reviewer" in caught.value.hint


@pytest.mark.parametrize(("content", "message"), [
    (b"", "the file is empty"),
    (b"TY  - JOUR\nER  - \n", "not valid JSON: Expecting value (line 1, column 1)"),
    (b'[{"Title": "x"}]', "not an EPPI-Reviewer export: the file is not a JSON object ({...})"),
    (b'{"CodeSets": [], "References": []}', "no references in the file (no References list, or an empty one)"),
    (b'{"CodeSets": {}, "References": []}', "CodeSets is not a list"),
])
def test_what_is_not_an_export_is_refused(tmp_path, content, message):
    path = tmp_path / "export.json"
    path.write_bytes(content)
    with pytest.raises(EppiError) as caught:
        read_eppi(path, None)
    assert caught.value.message == message


def test_utf16_and_text_that_is_not_utf8_are_read(tmp_path, plain):
    text = EXPORT.read_text(encoding="utf-8-sig")
    utf16 = tmp_path / "utf16.json"
    utf16.write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    assert read_eppi(utf16, None).records == plain.records
    latin = tmp_path / "latin.json"  # a title re-saved in Windows-1252 inside an otherwise UTF-8 file
    latin.write_bytes(text.encode("utf-8").replace(b"lessons from", "lessons fr\xf6m".encode("cp1252")))
    result = read_eppi(latin, None)
    assert record(result, 1).title.endswith("lessons fr\ufffdm an English case study")
    # Two: the title, and EPPI's QuickCitation that repeats it.
    assert result.notices[0].startswith("2 character(s) that are not UTF-8 were replaced with '\ufffd'")


def test_code_sets_after_the_references_are_read_too(tmp_path, plain):
    data = json.loads(EXPORT.read_text(encoding="utf-8-sig"))
    path = tmp_path / "reordered.json"
    path.write_text(json.dumps({"References": data["References"], "CodeSets": data["CodeSets"]}), encoding="utf-8")
    assert read_eppi(path, None).records == plain.records


def test_a_large_export_is_read_as_a_stream(tmp_path):
    """Memory stays far below the file's size: a whole-file parser would hold several times the file."""
    data = json.loads(EXPORT.read_text(encoding="utf-8-sig"))
    reference = {**data["References"][0], "Abstract": "word " * 8000}
    path = tmp_path / "large.json"
    with path.open("w", encoding="utf-8") as out:
        out.write('{"CodeSets": ' + json.dumps(data["CodeSets"]) + ', "References": [')
        out.write(",".join(json.dumps({**reference, "ItemId": n, "DOI": f"10.1/{n}"}) for n in range(500)))
        out.write("]}")
    tracemalloc.start()
    result = read_eppi(path, None)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert len(result.records) == 500
    assert peak < path.stat().st_size / 8, (peak, path.stat().st_size)  # json.load: over twice the size


def test_sniff_tells_an_eppi_export(tmp_path):
    assert sniff(EXPORT) == "eppi-json"
    other = tmp_path / "other.json"
    other.write_text('{"title": "A map", "studies": []}', encoding="utf-8")
    assert sniff(other) is None and sniff(FIXTURES / "mapping.yml") is None and sniff(tmp_path) is None


def test_an_import_writes_the_coded_studies_and_the_facets_and_running_it_again_changes_nothing(content, capsys):
    """Through the command, into a copy of the 'other' fixture map: facets with categories in review.yml, studies
    with their codes, countries and findings, the duplicate and the incomplete references reported."""
    args = ["import", str(EXPORT), "--mapping", str(FIXTURES / "mapping.yml"), "--content", str(content)]
    assert main(args) == 0
    out, err = capsys.readouterr()
    assert out.startswith("added 5, updated 0, unchanged 0, conflicts 0, skipped 3 (8 EPPI-Reviewer JSON records")
    assert f"{EXPORT}: skipped record 4: the same study as record 1" in err
    review = yaml.safe_load((content / "review.yml").read_text(encoding="utf-8"))
    assert review["facets"]["intervention"]["values"]["financial-support"]["values"]["expenses"] == "Expenses"
    assert review["facets"]["design"]["label"] == "Design of the study"
    study = yaml.safe_load((content / "studies/o-suilleabhain-et-al-2014.yml").read_text(encoding="utf-8"))
    assert (study["authors"], study["countries"], study["facets"]["outcomes"], study["themes"]) == (
        ["Ó Súilleabháin, N.", "van Doorn, F.", "{World Health Organization}"], ["IE", "NL"],
        "towards-service-users",
        {"challenges-and-barriers": "Carers' group: Payment was late.\n\nStudents' group: Staff time was short."})
    _, problems = check_content(content)
    # What is left to do is what the export does not say: the reference with no authors, journal or codes, and
    # the syntheses of the themes the export brought (placeholders, which `validate --strict` refuses).
    assert {p.path.rsplit("/", 1)[-1] for p in problems if p.field != "prisma.included_studies"
            and not p.placeholder} == {"coproduction-2016.yml"}
    assert {p.path.rsplit("/", 1)[-1] for p in problems if p.placeholder} >= {
        "challenges-and-barriers.md", "meaningful-involvement.md", "outcomes-for-students.md"}
    assert main(args) == 0
    assert capsys.readouterr().out.startswith("added 0, updated 0, unchanged 5, conflicts 0, skipped 3")


# ---------------------------------------------------------------------------------------------- appraisal

def _level(attribute: int, name: str, description: str = "") -> dict:
    return {"AttributeId": attribute, "AttributeName": name, "AttributeSetDescription": description,
            "AttributeType": "Selectable (show checkbox)", "AttributeDescription": ""}


def appraised_export(tmp_path: Path) -> tuple[Path, Path]:
    """The fixture export with a 'Quality' code set (three ratings under a heading) coded on four references, and
    a mapping sending it to appraisal, Country to countries (so that the studies are valid) and dropping the
    rest."""
    data = json.loads(EXPORT.read_text(encoding="utf-8-sig"))
    data["CodeSets"].append({"SetName": "Quality", "SetDescription": "Our checklist.", "Attributes": {
        "AttributesList": [{**_level(9000, "Rating"), "AttributeType": "Not selectable (no checkbox)",
                            "Attributes": {"AttributesList": [
                                _level(9001, "High confidence", "<p>Few concerns.</p>"),
                                _level(9002, "Low confidence", "Serious concerns."), _level(9003, "Unclear")]}}]}})
    given = {1: [(9001, "Randomised &amp; blinded.<br>Low attrition.")], 2: [(9001, ""), (9002, "")],
             5: [(9003, "")], 6: [(9002, "Small sample.")]}
    for number, codes in given.items():
        data["References"][number - 1].setdefault("Codes", []).extend(
            {"AttributeId": a, "AdditionalText": t, "ArmId": 0, "ArmTitle": ""} for a, t in codes)
    export, mapping = tmp_path / "appraised.json", tmp_path / "map.yml"
    export.write_text(json.dumps(data), encoding="utf-8")
    mapping.write_text('code_sets:\n  Quality: appraisal\n  "Study design": drop\n  Intervention: drop\n'
                       '  Country: countries\n  Findings: drop\n  "Data extraction": drop\n  Screening: drop\n',
                       encoding="utf-8")
    return export, mapping


def test_a_code_set_sent_to_appraisal_gives_the_tool_its_levels_and_each_reference_s_rating(tmp_path):
    export, mapping = appraised_export(tmp_path)
    result = read_eppi(export, read_mapping(mapping))
    assert result.appraisal == AppraisalSpec("Quality", (
        Code("high-confidence", "High confidence", "Few concerns."),
        Code("low-confidence", "Low confidence", "Serious concerns."), Code("unclear", "Unclear")))
    assert result.facets == ()  # the code set is the tool, not a facet
    assert [(r.number, r.appraisal_rating, r.appraisal_rationale) for r in result.records] == [
        (1, "high-confidence", "Randomised & blinded.\nLow attrition."), (2, None, None), (4, None, None),
        (5, "unclear", None), (6, "low-confidence", "Small sample."), (8, None, None)]
    assert ("record 2 (EPPI ItemId 46660998): 2 codes of the appraisal code set 'Quality' (High confidence, "
            "Low confidence): no rating written (hint: keep one code per reference in EPPI-Reviewer, or rate the "
            "study by hand)") in result.notices


def test_an_eppi_appraisal_imported_into_a_review_without_one_adds_the_tool_and_a_second_run_changes_nothing(
        tmp_path, content, capsys):
    export, mapping = appraised_export(tmp_path)
    before = (content / "review.yml").read_text(encoding="utf-8")
    args = ["import", str(export), "--mapping", str(mapping), "--content", str(content)]
    assert main(args) == 0
    out, err = capsys.readouterr()
    assert "2 codes of the appraisal code set 'Quality'" in err
    after = (content / "review.yml").read_text(encoding="utf-8")
    assert after.startswith(before.split("matrix:")[0]) and after.endswith("matrix:" + before.split("matrix:")[1])
    review = yaml.safe_load(after)
    assert review["appraisal"] == {"tool": "Quality", "levels": {
        "high-confidence": {"label": "High confidence", "description": "Few concerns."},
        "low-confidence": {"label": "Low confidence", "description": "Serious concerns."},
        "unclear": {"label": "Unclear", "description": "TODO: what this rating means"}}}
    study = yaml.safe_load((content / "studies/anghel-ramon-2009.yml").read_text(encoding="utf-8"))
    assert study["appraisal"] == {"rating": "high-confidence", "rationale": "Randomised & blinded.\nLow attrition."}
    _, problems = check_content(content)
    assert [str(p) for p in problems if "appraisal" in f"{p.field} {p.message}" and not p.placeholder] == []
    # The levels' descriptions the export does not give are TODO: validate names them until they are written.
    assert {p.field for p in problems if p.placeholder and p.path.endswith("review.yml")} >= {
        "appraisal.levels.unclear.description"}
    assert main(args) == 0
    assert capsys.readouterr().out.startswith("added 0, updated 0, unchanged 5, conflicts 0")
