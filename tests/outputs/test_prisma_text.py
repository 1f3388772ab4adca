"""The sentences made from the PRISMA counts, as a reader sees them on the home and methods pages: their numbers
add up with every combination of optional arms (previous review, other methods), and read well when a count is
not reported or is 1."""

from __future__ import annotations

import datetime as _dt
import html
import re
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, SITES
from generator.content import load_map
from generator.content.schema import Prisma
from generator.outputs.compose import SiteOutputs
from generator.outputs.prisma_text import home_summary, join_and, methods_account

TODAY = _dt.date(2024, 6, 1)


def paragraph(page: str, css_class: str) -> str:
    """The text of the page's <p class=css_class>, as a browser shows it (tags gone, spaces folded)."""
    found = re.search(rf'<p class="{css_class}">(.*?)</p>', page, re.S)
    assert found, css_class
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", found.group(1))).split())


def pages(content: Path) -> tuple[str, str]:
    """The home and methods fragments of the map in `content`, as the hand-written pages show them."""
    outputs = SiteOutputs(load_map(content), today=TODAY)
    return outputs.fragment("home", ""), outputs.fragment("methods", "methods/")


@pytest.fixture
def full_content(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(SITES / "other/content", content)
    shutil.copy(SITES / "full/review.yml", content / "review.yml")
    return content


def test_every_optional_arm(full_content: Path):
    home, methods = pages(full_content)
    assert paragraph(home, "em-prisma-summary") == (
        "Found by searching MEDLINE, CINAHL and ClinicalTrials.gov (210 records) and by other methods (23 records): "
        "23 full texts assessed and 5 studies included — 2 from the previous version of the review, 2 from "
        "databases and registers and 1 from other methods (methods and flow diagram).")
    assert paragraph(methods, "em-prisma-account") == (
        "Of 210 records identified in databases and registers, 50 were removed before screening (40 duplicates, "
        "5 marked as ineligible by automation tools and 5 removed for other reasons), 160 were screened and 140 "
        "excluded; 20 full-text reports were sought, 2 not retrieved, 18 assessed for eligibility and 16 excluded. "
        "Other methods found 23 records (9 from Websites and 14 from Citation searching); 6 reports were sought, "
        "1 not retrieved, 5 assessed for eligibility and 4 excluded. The previous version of the review included "
        "2 studies (3 reports). In all, 5 studies (6 reports) are included: 2 from the previous version of the "
        "review, 2 from databases and registers and 1 from other methods.")
    text = " ".join(re.sub(r"<[^>]+>", " ", methods[methods.index("exclusion-reasons"):]).split())
    assert "Full-text reports from databases and registers excluded, by reason" in text
    assert "Reports found by other methods, excluded by reason Reason Reports Wrong setting 4 Total 4" in text


def test_the_bundled_review():
    home, methods = pages(ROOT / "content")
    assert paragraph(home, "em-prisma-summary") == (
        "Found by searching PsycINFO, Social Care Online and Social Services Abstracts: 581 records, screened "
        "down to 67 full texts assessed and 11 studies included (methods and flow diagram).")
    assert paragraph(methods, "em-prisma-account") == (
        "Of 581 records identified in databases and registers, 581 were screened and 514 excluded; 67 full-text "
        "reports were sought, 67 assessed for eligibility and 56 excluded, leaving 11 included studies "
        "(11 reports).")
    assert "<p>56 full-text reports were excluded; the review does not report the reasons.</p>" in methods


def test_a_review_with_no_optional_arm(content: Path):
    """The 'other' fixture: databases only, duplicates removed, reasons given."""
    home, methods = pages(content)
    assert paragraph(home, "em-prisma-summary") == (
        "Found by searching MEDLINE and CINAHL: 200 records, screened down to 18 full texts assessed and "
        "5 studies included (methods and flow diagram).")
    assert paragraph(methods, "em-prisma-account") == (
        "Of 200 records identified in databases and registers, 40 were removed before screening (40 duplicates), "
        "160 were screened and 140 excluded; 20 full-text reports were sought, 2 not retrieved, 18 assessed for "
        "eligibility and 13 excluded, leaving 5 included studies (6 reports).")
    assert "Full-text reports excluded, by reason</caption>" in methods


def fixture_prisma(**changes: object) -> Prisma:
    data = yaml.safe_load((SITES / "full/review.yml").read_text(encoding="utf-8"))["prisma"]
    data.update(changes)
    return Prisma.model_validate({k: v for k, v in data.items() if v is not ...})


def words(parts: list[tuple[str, bool]]) -> str:
    return "".join(text for text, _ in parts)


def test_only_the_previous_review():
    p = fixture_prisma(other_methods=..., included_studies=4, included_reports=5)
    assert words(home_summary(p, ["MEDLINE", "CINAHL"])) == (
        "Found by searching MEDLINE, CINAHL and ClinicalTrials.gov: 210 records, screened down to 18 full texts "
        "assessed and 4 studies included — 2 from the previous version of the review and 2 from databases and "
        "registers")
    assert methods_account(p)[1:] == [
        "The previous version of the review included 2 studies (3 reports).",
        "In all, 4 studies (5 reports) are included: 2 from the previous version of the review and 2 from "
        "databases and registers."]


def test_only_other_methods():
    p = fixture_prisma(previous=..., included_studies=3, included_reports=3)
    assert words(home_summary(p, ["MEDLINE", "CINAHL"])) == (
        "Found by searching MEDLINE, CINAHL and ClinicalTrials.gov (210 records) and by other methods (23 records): "
        "23 full texts assessed and 3 studies included — 2 from databases and registers and 1 from other methods")
    account = methods_account(p)
    assert account[0].endswith(", 18 assessed for eligibility and 16 excluded.")  # no "leaving 3": 2 came from here
    assert account[1:] == [
        "Other methods found 23 records (9 from Websites and 14 from Citation searching); 6 reports were sought, "
        "1 not retrieved, 5 assessed for eligibility and 4 excluded.",
        "In all, 3 studies (3 reports) are included: 2 from databases and registers and 1 from other methods."]


def test_counts_not_reported_and_counts_of_one():
    p = fixture_prisma(previous=..., identified=None, databases={"MEDLINE": None}, registers={},
                       duplicates=None, automation_excluded=..., other_removed=..., assessed=None,
                       excluded={"total": None}, included_studies=1, included_reports=1,
                       other_methods={"sources": {"Websites": None}, "sought": 1, "not_retrieved": 0,
                                      "assessed": 1})
    assert words(home_summary(p, ["MEDLINE"])) == (
        "Found by searching MEDLINE (an unreported number of records) and by other methods (an unreported number "
        "of records): an unreported number of full texts assessed and 1 study included")
    assert methods_account(p) == [
        "Of an unreported number of records identified in databases and registers, 160 were screened and 140 "
        "excluded; 20 full-text reports were sought, 2 not retrieved, an unreported number assessed for "
        "eligibility and an unreported number excluded.",
        "Other methods found an unreported number of records (an unreported number from Websites); 1 report was "
        "sought, 1 assessed for eligibility and 0 excluded.",
        "In all, 1 study (1 report) is included."]  # where it came from needs the counts not reported


def test_the_numbers_are_bold_on_the_home_page(full_content: Path):
    home, _ = pages(full_content)
    summary = re.search(r'<p class="em-prisma-summary">(.*?)</p>', home, re.S).group(1)
    assert re.findall(r"<strong>(.*?)</strong>", summary) == ["210", "23", "23", "5", "2", "2", "1"]


def test_names_in_the_sentences_are_escaped(full_content: Path):
    review = full_content / "review.yml"
    review.write_text(review.read_text(encoding="utf-8").replace(
        "Websites: 9", '"<b>Web</b> & co": 9'), encoding="utf-8")
    _, methods = pages(full_content)
    assert "9 from &lt;b&gt;Web&lt;/b&gt; &amp; co and 14 from Citation searching" in methods


@pytest.mark.parametrize(("items", "joined"), [([], ""), (["A"], "A"), (["A", "B"], "A and B"),
                                                (["A", "B", "C"], "A, B and C")])
def test_join_and(items: list[str], joined: str):
    assert join_and(items) == joined
