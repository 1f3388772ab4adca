"""The PRISMA flow diagram: drawn from review.yml, every optional part when present, linked and escaped; every
line inside its box, no wrapped line starting with a space, and every arm within the page's content column."""

import re
import shutil
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, SITES, build, make_project
from generator.content import load_map
from generator.content.schema import Prisma
from generator.outputs.prisma_svg import FONT, PAD, render_svg, text_width
from htmlcheck import broken_links

SVG = "{http://www.w3.org/2000/svg}"
CONTENT_COLUMN = 688  # px: Material's content column in a 1280 px window (tests/test_prisma_browser.py measures it)


@dataclass
class Drawn:
    x: float
    y: float
    w: float
    h: float
    lines: list[tuple[float, float, str]]  # x, baseline, text
    text: str  # as read aloud or copied: the lines with the spaces between them (no-break spaces as spaces)
    bold: bool = False


def drawn(svg: str, kind: str) -> list[Drawn]:
    """Each box ('em-prisma-box') or heading ('em-prisma-head'): its rectangle and its lines, in document order."""
    root = ET.fromstring(svg.split("?>", 1)[-1])
    found = []
    for g in root.iter(SVG + "g"):
        if g.get("class") != kind:
            continue
        rect, text = g.find(SVG + "rect"), g.find(SVG + "text")
        lines = [(float(t.get("x")), float(t.get("y")), t.text or "") for t in text.findall(SVG + "tspan")]
        found.append(Drawn(*(float(rect.get(k)) for k in ("x", "y", "width", "height")), lines,
                           "".join(text.itertext()).replace("\u00a0", " "), bold=kind == "em-prisma-head"))
    return found


def boxes(svg: str) -> list[str]:
    return [b.text for b in drawn(svg, "em-prisma-box")]


def full_prisma(*drop: str) -> Prisma:
    """The fixture review with every optional arm, less the arms named."""
    data = yaml.safe_load((SITES / "full/review.yml").read_text(encoding="utf-8"))["prisma"]
    return Prisma.model_validate({k: v for k, v in data.items() if k not in drop})


@pytest.fixture
def full_content(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(SITES / "other/content", content)
    shutil.copy(SITES / "full/review.yml", content / "review.yml")
    return content


def test_bundled_review_numbers_come_from_the_yaml():
    svg = render_svg(load_map(ROOT / "content").review.prisma, lambda to: "../" + to)
    assert boxes(svg) == [
        "Records identified from databases and registers (n = 581): PsycINFO (n = not reported) "
        "Social Care Online (n = not reported) Social Services Abstracts (n = not reported)",
        "Records removed before screening: Duplicate records removed (n = not reported)",
        "Records screened (n = 581)", "Records excluded (n = 514)",
        "Reports sought for retrieval (n = 67)", "Reports not retrieved (n = 0)",
        "Reports assessed for eligibility (n = 67)", "Reports excluded (n = 56) Reasons not reported",
        "Studies included in review (n = 11) Reports of included studies (n = 11)"]
    assert '<a href="../studies/">' in svg  # the included box leads to the studies index
    assert '<a href="../methods/#exclusion-reasons">' in svg


def test_every_optional_arm_is_drawn(full_content: Path):
    svg = render_svg(load_map(full_content).review.prisma, lambda to: to)
    assert boxes(svg) == [
        # identification, left to right: previous studies, databases and registers, other methods
        "Studies included in previous version of review (n = 2) "
        "Reports of studies included in previous version of review (n = 3)",
        "Records identified from databases and registers (n = 210): MEDLINE (n = 120) CINAHL (n = 80) "
        "ClinicalTrials.gov (n = 10)",  # drawn cut after the '.': the column is too narrow for the name
        "Records removed before screening: Duplicate records removed (n = 40) Records marked as ineligible by "
        "automation tools (n = 5) Records removed for other reasons (n = 5)",
        "Records identified from: Websites (n = 9) Citation searching (n = 14)",
        "Records screened (n = 160)", "Records excluded (n = 140)",
        "Reports sought for retrieval (n = 20)", "Reports not retrieved (n = 2)",
        "Reports sought for retrieval (n = 6)", "Reports not retrieved (n = 1)",
        "Reports assessed for eligibility (n = 18)",
        "Reports excluded (n = 16): Wrong population (n = 10) Not an intervention (n = 6)",
        "Reports assessed for eligibility (n = 5)", "Reports excluded (n = 4): Wrong setting (n = 4)",
        "Total studies included in review (n = 5) Reports of total included studies (n = 6)"]
    assert [t for _, _, t in drawn(svg, "em-prisma-box")[1].lines][-2:] == ["ClinicalTrials.", "gov (n\u00a0=\u00a010)"]
    assert [h.text for h in drawn(svg, "em-prisma-head")] == [
        "Previous studies", "Identification of new studies via databases and registers",
        "Identification of new studies via other methods"]


@pytest.mark.parametrize("drop", [(), ("previous",), ("other_methods",), ("previous", "other_methods")])
def test_the_diagram_fits_the_content_column_with_any_arms(drop: tuple[str, ...]):
    svg = render_svg(full_prisma(*drop), lambda to: to)
    width = int(re.search(r'<svg [^>]*width="(\d+)"', svg).group(1))
    assert width <= CONTENT_COLUMN
    assert f'viewBox="0 0 {width} ' in svg  # drawn at its natural size: text stays at FONT px
    heads = [h.text for h in drawn(svg, "em-prisma-head")]
    assert ("Previous studies" in heads) == ("previous" not in drop)
    assert any("other methods" in h for h in heads) == ("other_methods" not in drop)


def long_names() -> Prisma:
    """Names longer than a narrow column, with no space to break at, and big numbers."""
    data = yaml.safe_load((SITES / "full/review.yml").read_text(encoding="utf-8"))["prisma"]
    data["databases"] = {"Cochrane Central Register of Controlled Trials": 123456, "MEDLINE": None,
                         "W" * 40: 7}
    data["excluded"]["reasons"] = {"Wrong population (adults under 65 years old, in residential care)": 10,
                                   "Not an intervention": 1_000_000}
    return Prisma.model_validate(data)


DIAGRAMS = {"bundled": lambda: load_map(ROOT / "content").review.prisma, "all arms": full_prisma,
            "no optional arm": lambda: full_prisma("previous", "other_methods"), "long names": long_names}


@pytest.mark.parametrize("name", DIAGRAMS)
def test_every_line_fits_inside_its_box(name: str):
    """Each line's width, estimated from the widest common system font (DejaVu Sans), fits between its box's
    padding; each line sits between the box's top and bottom. tests/test_prisma_browser.py measures it too."""
    svg = render_svg(DIAGRAMS[name](), lambda to: to)
    shapes = drawn(svg, "em-prisma-box") + drawn(svg, "em-prisma-head")
    assert len(shapes) >= 10
    for shape in shapes:
        for x, baseline, text in shape.lines:
            width = text_width(text, shape.bold)
            left = x - width / 2 if shape.bold else x  # headings are centred
            assert left >= shape.x + PAD - 0.5 and left + width <= shape.x + shape.w - PAD + 0.5, (name, text)
            assert baseline - FONT >= shape.y and baseline + FONT * 0.3 <= shape.y + shape.h, (name, text)


@pytest.mark.parametrize("name", DIAGRAMS)
def test_wrapped_lines_and_counts_read_cleanly(name: str):
    svg = render_svg(DIAGRAMS[name](), lambda to: to)
    lines = [t for b in drawn(svg, "em-prisma-box") + drawn(svg, "em-prisma-head") for _, _, t in b.lines]
    assert not [t for t in lines if t != t.lstrip()]  # no line starts with a space (the indent is an x offset)
    assert not [t for t in lines if re.search(r":\s*\(n\s", t)]  # no "Reports excluded: (n = 56)"
    # a count is never cut inside "(n =" nor inside its number: one too wide goes to the next line whole
    assert not re.search(r"\(n\n|\d\n[\d,]|\d,\n", "\n".join(lines))
    assert not re.search(r"\w: \(n", " ".join(lines))


def test_each_phase_label_fits_its_bar():
    """'Included' once lost its first letter: the bar was shorter than the word."""
    for name, prisma in DIAGRAMS.items():
        root = ET.fromstring(render_svg(prisma(), lambda to: to))
        phases = [g for g in root.iter(SVG + "g") if g.get("class") == "em-prisma-phase"]
        assert [g.find(SVG + "text").text for g in phases] == ["Identification", "Screening", "Included"]
        for g in phases:
            label, bar = g.find(SVG + "text").text, g.find(SVG + "rect")
            assert text_width(label, bold=True) + 2 * PAD <= float(bar.get("height")), (name, label)
            assert float(bar.get("y")) + float(bar.get("height")) <= float(root.get("height"))


def test_the_diagram_is_a_named_graphic_with_its_text_and_links_readable():
    """No role: an <svg> is a graphics document named by its <title>, whose text and links stay readable by a
    screen reader (role="img" would hide them); the Nu HTML Checker refused role="group" on it."""
    svg = render_svg(full_prisma(), lambda to: to)
    start = svg[:svg.index(">") + 1]
    assert "role=" not in start and "aria-" not in start
    assert re.search(r">\s*<title>PRISMA 2020 flow diagram: how studies were identified, screened and included"
                     r"</title>", svg)


def test_names_in_the_diagram_are_escaped(full_content: Path):
    review = full_content / "review.yml"
    review.write_text(review.read_text(encoding="utf-8").replace(
        "Wrong setting: 4", '"<script>alert(1)</script> & more": 4'), encoding="utf-8")
    svg = render_svg(load_map(full_content).review.prisma, lambda to: to)
    assert "<script>" not in svg
    assert "&lt;script&gt;alert(" in svg and "&lt;/script&gt; &amp;" in svg
    assert boxes(svg)[13].startswith("Reports excluded (n = 4): <script>alert(")  # read back as the text it is


def test_methods_page_and_download(full_content: Path, tmp_path: Path):
    result = build(make_project(tmp_path / "b", full_content))
    assert result.returncode == 0, result.output
    methods = (result.site / "methods/index.html").read_text(encoding="utf-8")
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="em-prisma"' in methods
    assert 'href="../prisma-flow-diagram.svg" download' in methods
    assert re.search(r"Not an intervention</td>\s*<td>6</td>", methods)
    standalone = (result.site / "prisma-flow-diagram.svg").read_text(encoding="utf-8")
    assert standalone.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    ET.fromstring(standalone.split("?>", 1)[1])  # well-formed XML, as an image viewer needs
    assert '<a href="studies/">' in standalone  # links relative to where the file is served
    assert 'href="../prisma.csv" download' in methods
    counts = (result.site / "prisma.csv").read_text(encoding="utf-8")
    assert counts.startswith("data,node,box,description,boxtext,tooltips,url,n\n")
    assert "\ntotal_studies,node22,box16," in counts and counts.count("\n") > 30
    assert broken_links(result.site) == []
