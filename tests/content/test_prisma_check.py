"""PRISMA arithmetic: broken counts give messages naming the boxes and the numbers."""

from pathlib import Path

import pytest
from test_load import edit

from generator.content import check_content

REVIEW = "content/review.yml"
HINT = " (hint: check the counts against the review's flow diagram)"


@pytest.fixture(autouse=True)
def _in_tmp(content: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(content.parent)


def problems(content: Path) -> list[str]:
    emap, found = check_content(content)
    assert emap is None
    return [str(p) for p in found]


@pytest.mark.parametrize("old, new, expected", [
    ("identified: 200", "identified: 210",
     [f"{REVIEW}:30: prisma: databases and registers add up to 200, but identified is 210{HINT}",
      f"{REVIEW}:32: prisma: identified (210) − duplicates (40) = 170, but screened is 160{HINT}"]),
    ("screened_excluded: 140", "screened_excluded: 139",
     [f"{REVIEW}:34: prisma: screened (160) − screened_excluded (139) = 21, but sought is 20{HINT}"]),
    ("not_retrieved: 2", "not_retrieved: 3",
     [f"{REVIEW}:36: prisma: sought (20) − not_retrieved (3) = 17, but assessed is 18{HINT}"]),
    ("total: 13,", "total: 12,",
     [f"{REVIEW}:37: prisma: exclusion reasons add up to 13, but excluded.total is 12{HINT}",
      f"{REVIEW}:38: prisma: assessed (18) − excluded (12) = 6, but included_studies is 5{HINT}"]),
    ("included_reports: 6", "included_reports: 4",
     [f"{REVIEW}:39: prisma: included_reports (4) is less than included_studies (5){HINT}"]),
])
def test_broken_arithmetic(content: Path, old: str, new: str, expected: list[str]):
    edit(content / "review.yml", old, new)
    assert problems(content) == expected


def test_bundled_message_form(content: Path):
    # The exact form of the example: the boxes named, with their numbers.
    edit(content / "review.yml", "total: 13, reasons: {Wrong population: 8, Not an intervention: 5}",
         "total: 12, reasons: {}")
    assert problems(content) == [
        f"{REVIEW}:38: prisma: assessed (18) − excluded (12) = 6, but included_studies is 5{HINT}"]


def test_null_counts_skip_the_checks_that_need_them(content: Path):
    edit(content / "review.yml", "duplicates: 40", "duplicates: null")
    edit(content / "review.yml", "{MEDLINE: 120, CINAHL: 80}", "{MEDLINE: null, CINAHL: 80}")
    emap, found = check_content(content)
    assert emap is not None and found == []


def test_optional_removals_left_out_count_as_zero(content: Path):
    edit(content / "review.yml", "  duplicates: 40\n", "")
    assert problems(content) == [f"{REVIEW}:31: prisma: identified (200) = 200, but screened is 160{HINT}"]


def test_other_methods_and_previous_arms(content: Path):
    edit(content / "review.yml", "  included_studies: 5", """  other_methods:
    sources: {Websites: 9, Citation searching: 14}
    sought: 23
    not_retrieved: 1
    assessed: 21
    excluded: {total: 20, reasons: {Wrong population: 19}}
  previous: {studies: 2, reports: 1}
  included_studies: 5""")
    assert problems(content) == [
        f"{REVIEW}:42: prisma.other_methods: sought (23) − not_retrieved (1) = 22, but assessed is 21{HINT}",
        f"{REVIEW}:43: prisma.other_methods: exclusion reasons add up to 19, but excluded.total is 20{HINT}",
        f"{REVIEW}:44: prisma.previous: previous reports (1) are fewer than previous studies (2){HINT}",
        f"{REVIEW}:45: prisma: assessed (18) − excluded (13) + other assessed (21) − other excluded (20) "
        f"+ previous studies (2) = 8, but included_studies is 5{HINT}",
    ]
