"""The PRISMA flow diagram: drawn from review.yml, every optional part when present, linked and escaped."""

import re
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, SITES, build, make_project
from generator.content import load_map
from generator.outputs.prisma_svg import render_svg
from htmlcheck import broken_links


def boxes(svg: str) -> list[str]:
    """The text of each box, lines joined by spaces (no-break spaces shown as spaces)."""
    found = []
    for text in re.findall(r"<text x=\"\d+\" y=\"\d+\">(.*?)</text>", svg):
        joined = " ".join(re.findall(r"<tspan[^>]*>(.*?)</tspan>", text)).replace("\u00a0", " ")
        found.append(" ".join(joined.split()))
    return found


@pytest.fixture
def full_content(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(SITES / "other/content", content)
    shutil.copy(SITES / "full/review.yml", content / "review.yml")
    return content


def test_bundled_review_numbers_come_from_the_yaml():
    svg = render_svg(load_map(ROOT / "content").review.prisma, lambda to: "../" + to)
    text = boxes(svg)
    assert text[0].startswith("Records identified from: Databases and registers (n = 581) PsycINFO (n = not reported)")
    assert "Records screened (n = 581)" in text
    assert "Records excluded (n = 514)" in text
    assert "Reports sought for retrieval (n = 67)" in text
    assert "Reports assessed for eligibility (n = 67)" in text
    assert "Reports excluded: (n = 56) Reasons not reported" in text
    assert "Studies included in review (n = 11) Reports of included studies (n = 11)" in text
    assert '<a href="../studies/">' in svg  # the included box leads to the studies index
    assert '<a href="../methods/#exclusion-reasons">' in svg


def test_changed_counts_change_the_drawing(full_content: Path):
    svg = render_svg(load_map(full_content).review.prisma, lambda to: to)
    text = " | ".join(boxes(svg))
    for expected in ["ClinicalTrials.gov (n = 10)", "Duplicate records (n = 40)",
                     "Marked as ineligible by automation tools (n = 5)", "Removed for other reasons (n = 5)",
                     "Reports excluded: (n = 16) Wrong population (n = 10) Not an intervention (n = 6)",
                     "Studies included in previous version of review (n = 2)",
                     "Records identified from: Websites (n = 9) Citation searching (n = 14)",
                     "Reports sought for retrieval (n = 6)", "Reports not retrieved (n = 1)",
                     "Reports assessed for eligibility (n = 5)", "Reports excluded: (n = 4) Wrong setting (n = 4)",
                     "Total studies included in review (n = 5) Reports of total included studies (n = 6)"]:
        assert expected in text
    assert "Identification of studies via other methods" in svg and "Previous studies" in svg
    assert len(boxes(svg)) == 15  # 4 identification, 2 screening, 4 sought, 4 assessed, 1 included


def test_names_in_the_diagram_are_escaped(full_content: Path):
    review = full_content / "review.yml"
    review.write_text(review.read_text(encoding="utf-8").replace(
        "Wrong setting: 4", '"<script>alert(1)</script> & more": 4'), encoding="utf-8")
    svg = render_svg(load_map(full_content).review.prisma, lambda to: to)
    assert "<script>" not in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in svg


def test_methods_page_and_download(full_content: Path, tmp_path: Path):
    result = build(make_project(tmp_path / "b", full_content))
    assert result.returncode == 0, result.output
    methods = (result.site / "methods/index.html").read_text(encoding="utf-8")
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="em-prisma"' in methods
    assert 'href="../prisma-flow-diagram.svg" download' in methods
    assert "Not an intervention</td><td>6</td>" in methods
    standalone = (result.site / "prisma-flow-diagram.svg").read_text(encoding="utf-8")
    assert standalone.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    assert '<a href="studies/">' in standalone  # links relative to where the file is served
    assert 'href="../prisma.csv" download' in methods
    counts = (result.site / "prisma.csv").read_text(encoding="utf-8")
    assert counts.startswith("data,node,box,description,boxtext,tooltips,url,n\n")
    assert "\ntotal_studies,node22,box16," in counts and counts.count("\n") > 30
    assert broken_links(result.site) == []
