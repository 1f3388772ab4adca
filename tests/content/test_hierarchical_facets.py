"""Facets whose codes are grouped into categories, and the appraisal of studies (issue 22): what the model gives,
and each mistake reported at its line with a hint (exact messages)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from test_load import edit

from conftest import SITES
from generator.content import check_content, load_map

EGM = SITES / "egm" / "content"
REVIEW = "review.yml"


@pytest.fixture
def egm(tmp_path: Path) -> Path:
    """A writable copy of the evidence-and-gap-map fixture."""
    shutil.copytree(EGM, tmp_path / "content")
    return tmp_path / "content"


def problems(content: Path) -> list[str]:
    emap, found = check_content(content)
    assert emap is None
    return [str(p).replace(str(content) + "/", "") for p in found if not p.warning]


def test_the_fixture_has_a_two_level_facet_of_at_least_30_codes():
    facet = load_map(EGM).review.facet("intervention")
    assert len(facet.values) == 34 and len(facet.categories) == 6
    # the flat codes stay in review order, each category's codes in turn, then the codes at the top level
    assert facet.values[:2] == (("workshops", "Workshops"), ("vocational-courses", "Vocational courses"))
    assert facet.values[-2:] == (("other-support", "Other support"), ("multi-component", "Multi-component programme"))
    assert [c.label if c else None for c, _ in facet.groups()] == [
        "Training and education", "Guidance and counselling", "Work experience", "Subsidies and incentives",
        "Enterprise support", "Services and systems", None]
    assert facet.category_of("mentoring").id == "guidance" and facet.category_of("other-support") is None
    assert facet.full_label("mentoring") == "Guidance and counselling › Mentoring"
    assert facet.codes_of("subsidies") == ("wage-subsidies", "hiring-bonuses", "conditional-cash",
                                           "training-allowances", "transport-grants")
    assert facet.codes_of("workshops") == ("workshops",)
    assert facet.description == "What the programme did for the young people taking part."
    assert facet.description_of("mentoring") == "One-to-one support from a volunteer or professional."
    assert facet.description_of("training") == "Courses, workshops and modules that build skills."
    assert facet.description_of("workshops") is None


def test_a_flat_facet_is_one_group_and_a_code_is_its_own_label():
    facet = load_map(SITES / "other" / "content").review.facet("intervention")
    assert facet.categories == () and facet.groups() == ((None, facet.values),)
    assert facet.full_label("digital") == "Digital contact" and facet.category_of("digital") is None


def test_appraisal_in_the_model():
    emap = load_map(EGM)
    assert [level.id for level in emap.review.appraisal.levels] == ["high", "medium", "low", "critically-low"]
    rated = emap.study("osei-2021").appraisal
    assert (rated.rating, rated.label, rated.tool) == ("high", "High confidence",
                                                       "Confidence in study findings (fixture tool)")
    assert emap.study("haddad-2023").appraisal is None  # appraisal: null, not appraised
    assert load_map(SITES / "other" / "content").review.appraisal is None


def test_a_study_giving_a_category_is_told_its_codes(egm: Path):
    edit(egm / "studies/osei-2021.yml", "intervention: [workshops, mentoring]", "intervention: [training, mentoring]")
    assert problems(egm) == [
        "studies/osei-2021.yml:10: facets.intervention: 'training' is a category of Intervention, not a code (hint: "
        "give the codes that apply: workshops, vocational-courses, apprenticeships, basic-skills, soft-skills, "
        "e-learning (a list, as the facet takes several))"]


def test_an_unknown_code_lists_the_codes_not_the_categories(egm: Path):
    edit(egm / "studies/haddad-2023.yml", "outcome: [wellbeing]", "outcome: [wellbeeing]")
    assert problems(egm) == [
        "studies/haddad-2023.yml:8: facets.outcome: unknown value 'wellbeeing' for Outcome (hint: did you mean "
        "'wellbeing'? allowed: employed, hours, job-quality, earnings, benefits, enrolment, qualifications, wellbeing)"]


@pytest.mark.parametrize("old, new, expected", [
    ("          mentoring: {label: Mentoring,", "          workshops: {label: Mentoring,",
     "review.yml:29: facets.intervention.values.guidance.values.workshops: id 'workshops' is used twice in "
     "Intervention (also in category 'training') (hint: ids of codes and categories are unique across a facet: "
     "rename one)"),
    ("          internships: Internships", "          other-support: Internships",
     "review.yml:38: facets.intervention.values.work-experience.values.other-support: id 'other-support' is used "
     "twice in Intervention (also at the top level) (hint: ids of codes and categories are unique across a facet: "
     "rename one)"),
    ("          earnings: Earnings", "          income: Earnings",
     "review.yml:83: facets.outcome.values.income.values.income: id 'income' is used twice in Outcome (also the "
     "category's own id) (hint: ids of codes and categories are unique across a facet: rename one)"),
    ("        values:\n          enrolment: Enrolment\n          qualifications: Qualifications\n", "        values: {}\n",
     "review.yml:87: facets.outcome.values.education.values: a category must hold at least one code (hint: add its "
     "codes under it, or write 'education' as a code: 'education: Label')"),
    ("          hours: Hours worked", "          hours: {label: Hours worked, values: {full-time: Full time}}",
     "review.yml:78: facets.outcome.values.employment.values.hours.values: 'hours' is a code in category "
     "'employment', so it cannot hold codes of its own (hint: facets have one level of grouping: move its codes "
     "into the category, or make 'hours' a category at the top level of the facet's values)"),
    ("          job-quality: Job quality", "          Job quality: Job quality",
     "review.yml:79: facets.outcome.values.employment.values.Job quality: 'Job quality' is not a valid id (hint: use "
     "lowercase letters, digits and single hyphens)"),
])
def test_review_mistakes_in_categories(egm: Path, old: str, new: str, expected: str):
    edit(egm / REVIEW, old, new)
    assert expected in problems(egm)


def test_an_unknown_rating_lists_the_ratings(egm: Path):
    edit(egm / "studies/berg-lund-2019.yml", "rating: medium", "rating: moderate")
    assert problems(egm) == [
        "studies/berg-lund-2019.yml:15: appraisal.rating: unknown rating 'moderate' for Confidence in study findings "
        "(fixture tool) (hint: ratings in review.yml: high, medium, low, critically-low)"]


def test_a_study_appraisal_needs_the_review_to_have_one(egm: Path):
    text = (egm / REVIEW).read_text(encoding="utf-8")
    (egm / REVIEW).write_text(text[:text.index("appraisal:")] + text[text.index("matrix:"):], encoding="utf-8")
    found = problems(egm)
    assert len(found) == 4  # every appraised study; haddad-2023's appraisal: null says nothing
    assert found[0] == (
        "studies/berg-lund-2019.yml:14: appraisal: this review appraises no studies: review.yml has no appraisal "
        "(hint: name the tool and its ratings in review.yml (appraisal: {tool, levels}; see docs/format.md), or "
        "remove the study's appraisal)")


def test_a_level_needs_a_description(egm: Path):
    edit(egm / REVIEW, "    high: {label: High confidence, description: \"The study's methods leave little doubt "
                       "about its findings.\"}", "    high: {label: High confidence}")
    assert problems(egm) == ["review.yml:110: appraisal.levels.high.description: required field is missing "
                             "(hint: add 'description: ...')"]
