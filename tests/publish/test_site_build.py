"""Build the bundled review and a different fixture review exactly as a user does, and read the result."""

import json
import re
from pathlib import Path

import pytest

from conftest import ROOT, SITES, build, make_project
from generator.content import load_map
from htmlcheck import broken_links, external_links, page_text, pages, parse


def test_bundled_site_has_every_page(bundled_build):
    site = bundled_build.site
    studies = sorted(p.name for p in (site / "studies").iterdir() if p.is_dir())
    assert studies == sorted(p.stem for p in (ROOT / "content/studies").glob("*.yml"))
    assert len(studies) == 11
    themes = sorted(p.name for p in (site / "themes").iterdir() if p.is_dir())
    assert themes == ["challenges", "meaningful-involvement", "outcomes"]
    for page in ("index.html", "studies/index.html", "themes/index.html", "methods/index.html",
                 "contributing/index.html", "format/index.html", "about/index.html"):
        assert (site / page).is_file(), page


def test_build_is_strict_and_quiet(bundled_build):
    assert "WARNING" not in bundled_build.output
    assert "ERROR" not in bundled_build.output


def test_home_figures_match_the_review(bundled_build):
    text = page_text(bundled_build.site / "index.html")
    assert "11 studies" in text and "3 themes" in text and "4 countries" in text and "2009–2017" in text
    assert "United Kingdom 9" in text
    assert "Australia 1" in text
    assert "Belgium + Netherlands 1" in text
    assert "Qualitative 8" in text and "Mixed methods 3" in text
    assert "581 records, screened down to 67 full texts assessed and 11 studies included" in text


def test_site_name_and_description_come_from_the_review(bundled_build):
    html = (bundled_build.site / "index.html").read_text(encoding="utf-8")
    title = html[html.index("<title>"):html.index("</title>")]
    assert "Service user involvement and coproduction in social work education" in title
    assert '<meta name="description" content="To examine empirical research studies relating to the involvement' in html


def test_study_page(bundled_build):
    text = page_text(bundled_build.site / "studies/anghel-ramon-2009/index.html")
    assert "Service users and carers' involvement in social work education" in text
    assert "Anghel, R. & Ramon, S. (2009)" in text
    assert "European Journal of Social Work, 12(2), 185-199." in text
    assert "https://doi.org/10.1080/13691450802567416" in text
    assert "Countries United Kingdom Region England Study design Mixed methods" in text
    assert "Sample size not reported" in text
    # findings in theme order, each linking to its theme
    findings = text[text.index("Findings by theme"):]
    assert findings.index("Meaningful involvement") < findings.index("Challenges and barriers") < findings.index(
        "Outcomes")
    links = parse(bundled_build.site / "studies/anghel-ramon-2009/index.html").links
    assert "../../themes/outcomes/" in links
    assert "https://github.com/evidence-map/evidence-map/edit/main/content/studies/anghel-ramon-2009.yml" in links
    assert "Related studies" in text


def test_theme_page(bundled_build):
    page = bundled_build.site / "themes/challenges/index.html"
    text = page_text(page)
    assert "Contributing studies 7 studies" in text
    assert "(Rooney et al., 2016)" in text  # a pandoc citation, rendered and linked
    assert "../../studies/rooney-et-al-2016/" in parse(page).links
    assert "Contributing studies by country Country Studies United Kingdom 6 Australia 1" in text
    assert "https://github.com/evidence-map/evidence-map/edit/main/content/themes/challenges.md" in parse(page).links


def test_studies_index_lists_every_study_with_its_characteristics(bundled_build):
    page = bundled_build.site / "studies/index.html"
    html = page.read_text(encoding="utf-8")
    assert len(re.findall(r'<a href="\.\./studies/[a-z0-9-]+/"|<a href="[a-z0-9-]+/">', html)) == 11
    text = page_text(page)
    assert "Driessens et al. The meaningful involvement of service users in social work education" in text
    assert "Belgium, Netherlands" in text
    assert "assets/evidence-map/studies-table.js" in html


def test_study_pages_are_not_in_the_navigation(bundled_build):
    html = (bundled_build.site / "studies/hughes-2017/index.html").read_text(encoding="utf-8")
    nav = html[html.index('<nav class="md-nav md-nav--primary"'):html.index("</nav>", html.index('md-nav--primary'))]
    assert "anghel-ramon-2009" not in nav
    assert "Meaningful involvement" in nav  # the theme section is generated from content/themes


def test_every_internal_link_resolves(bundled_build):
    assert broken_links(bundled_build.site) == []


def test_no_third_party_scripts_or_styles(bundled_build):
    assert external_links(bundled_build.site) == set()
    for page in pages(bundled_build.site):
        html = page.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html


def test_nothing_is_written_into_docs(bundled_build):
    docs = sorted(p.relative_to(bundled_build.project / "docs") for p in (bundled_build.project / "docs").rglob("*"))
    assert docs == sorted(p.relative_to(ROOT / "docs") for p in (ROOT / "docs").rglob("*"))


def test_another_review_builds_its_own_site(other_build):
    site = other_build.site
    assert broken_links(site) == []
    home = page_text(site / "index.html")
    assert "Community interventions against loneliness in later life" in home
    assert "5 studies" in home and "3 themes" in home and "6 countries" in home
    assert "Studies by intervention Intervention Studies Befriending 1 Digital contact 2" in home  # first facet
    nav = (site / "index.html").read_text(encoding="utf-8")
    assert "Taking part" in nav and "Meaningful involvement" not in nav
    costs = page_text(site / "themes/costs/index.html")
    assert "No study in this map contributes to this theme yet" in costs
    study = page_text(site / "studies/osterg-2019/index.html")
    assert "Video calls & loneliness: a <pilot> trial" in study  # markup in a title is shown as text
    assert "Denmark, Sweden" in study
    assert "Intervention Digital contact" in study
    assert "Østergaard, K. & Berg, L. (2019)" in study
    # its own matrix: its themes as rows, its first matrix column (intervention) by default, its dimensions
    matrix_html = (site / "matrix/index.html").read_text(encoding="utf-8")
    table = page_text(site / "matrix/index.html")
    assert "Studies by theme and intervention" in table
    assert "Costs" in table and "Befriending" in table
    data = json.loads(re.search(r'<script type="application/json" id="em-matrix-data">(.*?)</script>',
                                matrix_html).group(1))
    assert data["columns"] == ["intervention", "study-type", "country", "year"]
    themes = next(d for d in data["dims"] if d["id"] == "themes")  # the rows: a dimension like any other
    assert [t[0] for t in themes["values"]] == [t.id for t in load_map(SITES / "other/content").themes]
    assert len(data["studies"]) == 5
    assert "<pilot>" not in matrix_html and "\\u003cpilot\\u003e" in matrix_html  # escaped inside the data
    glance = page_text(site / "glance/index.html")
    assert "Studies by intervention" in glance and "Studies by study type" in glance


def test_invalid_content_stops_the_build_with_every_problem(tmp_path: Path):
    project = make_project(tmp_path, SITES / "other" / "content")
    study = project / "content/studies/silva-2020.yml"
    study.write_text(study.read_text(encoding="utf-8").replace("countries: [BR]", "countries: [Brazil]"))
    theme = project / "content/themes/costs.md"
    theme.write_text(theme.read_text(encoding="utf-8") + "\nSee [@nobody-2000].\n")
    result = build(project)
    assert result.returncode == 1
    assert ("content/studies/silva-2020.yml:5: countries[0]: 'Brazil' is not an ISO 3166-1 country code "
            "(hint: 'Brazil' is written 'BR')") in result.output
    assert "content/themes/costs.md:8: citation: no study with id 'nobody-2000'" in result.output
    assert "the content has 2 problem(s)" in result.output
    assert "Traceback" not in result.output
    assert not (project / "site").exists()


def test_a_fork_publishes_under_its_own_addresses(tmp_path: Path):
    """The publish workflow passes the repository's own addresses; nothing in mkdocs.yml needs editing."""
    result = build(make_project(tmp_path, SITES / "other" / "content"), SITE_URL="https://fork.github.io/map/",
                   REPO_URL="https://github.com/fork/map", EDIT_URI="edit/trunk/docs/")
    assert result.returncode == 0, result.output
    page = (result.site / "studies/silva-2020/index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://fork.github.io/map/studies/silva-2020/">' in page
    assert 'href="https://github.com/fork/map/edit/trunk/content/studies/silva-2020.yml"' in page
    assert "github.com/evidence-map" not in page and "evidence-map.github.io" not in page


def test_a_placeholder_quoted_in_a_sentence_is_left_as_written(bundled_build):
    """docs/format.md names the placeholders in a table: only one on a line of its own is filled in."""
    page = (bundled_build.site / "format/index.html").read_text(encoding="utf-8")
    assert "&lt;!-- evidence-map:home --&gt;" in page
    assert "em-counts" not in page and "em-prisma" not in page


def test_generated_pages_have_a_table_of_contents(bundled_build):
    """Generated pages skip Markdown; their headings still make the table of contents, search-excluded or not."""
    def toc(page: str) -> list[str]:
        html = (bundled_build.site / page).read_text(encoding="utf-8")
        nav = re.search(r'<nav class="md-nav md-nav--secondary".*?</nav>', html, re.S).group(0)
        return re.findall(r'href="#([a-z-]+)" class="md-nav__link"', nav)

    assert toc("studies/farrow-2014/index.html") == ["study-details", "summary", "findings-by-theme",
                                                     "notes-and-corrections", "related-studies"]
    assert toc("themes/outcomes/index.html") == ["synthesis", "contributing-studies", "studies-by-country"]


def test_search_indexes_what_readers_search_by_and_pages_keep_all_of_their_content(bundled_build):
    """Search gets only the searched part of a generated page (a study's search text, a theme's synthesis); the page
    itself is whole, without the markers and search attributes used on the way (what a study's search text holds:
    test_search.py)."""
    index = json.loads((bundled_build.site / "search/search_index.json").read_text(encoding="utf-8"))
    study = [d for d in index["docs"] if d["location"].startswith("studies/farrow-2014/")]
    assert len(study) == 1 and study[0]["text"].startswith("<p>Farrow, K. (2014).")
    theme = {d["location"] for d in index["docs"] if d["location"].startswith("themes/outcomes/")}
    assert theme == {"themes/outcomes/", "themes/outcomes/#synthesis"}
    for page in ("studies/farrow-2014/index.html", "themes/outcomes/index.html"):
        html = (bundled_build.site / page).read_text(encoding="utf-8")
        assert "em-rest-of-page" not in html and "em-search-end" not in html and "data-search-" not in html
        assert html.count('class="md-content"') == 1
    text = page_text(bundled_build.site / "studies/farrow-2014/index.html")
    assert text.index("Cite this study") < text.index("Findings by theme") < text.index("Related studies")


def test_a_theme_override_that_drops_page_content_stops_the_build(tmp_path: Path):
    project = make_project(tmp_path, ROOT / "content")
    (project / "generator/publish/theme/main.html").write_text(
        '{% extends "base.html" %}\n{% block content %}<p>no content</p>{% endblock %}\n', encoding="utf-8")
    result = build(project)
    assert result.returncode != 0
    assert "the theme's template did not print all of studies/" in result.output
    assert "a theme override must print page.content" in result.output


def test_hand_written_pages_can_link_to_sections_of_generated_pages(tmp_path: Path):
    """MkDocs checks anchors (strictly): a docs page may link to a section of a study page, and a wrong anchor
    stops the build."""
    project = make_project(tmp_path, ROOT / "content")
    about = project / "docs/about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\n[A summary](studies/farrow-2014.md#summary)\n",
                     encoding="utf-8")
    assert build(project).returncode == 0
    about.write_text(about.read_text(encoding="utf-8").replace("#summary", "#no-such-section"), encoding="utf-8")
    result = build(project)
    assert result.returncode != 0 and "no-such-section" in result.output


def test_the_navigation_marks_the_current_page_and_no_study(bundled_build):
    """Pages in the navigation mark themselves, study pages do not, and its links work from every page
    (test_every_internal_link_resolves). That drawing it once per folder changes nothing is the next test's."""
    def nav(page: str) -> str:
        html = (bundled_build.site / page).read_text(encoding="utf-8")
        return re.search(r'<nav class="md-nav md-nav--primary".*?</nav>\s*</div>\s*</div>\s*</div>', html,
                         re.S).group(0)

    assert re.search(r'<a href="\./" class="md-nav__link md-nav__link--active">\s*<span[^>]*>\s*Outcomes',
                     nav("themes/outcomes/index.html"))
    assert "md-nav__link--active" in nav("studies/index.html")
    farrow, hughes = nav("studies/farrow-2014/index.html"), nav("studies/hughes-2017/index.html")
    assert "md-nav__link--active" not in farrow and farrow == hughes
    assert 'href="../../themes/outcomes/"' in farrow


def site_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("setting", ["nav_per_folder", "search_cut"])
def test_a_speed_setting_changes_no_byte_of_the_site(tmp_path: Path, setting: str):
    """The plugin's two shortcuts (the navigation drawn once per folder; Material's search given only the searched
    part of a generated page) are settings, on by default: the site is the same, byte for byte, with each off."""
    project = make_project(tmp_path, ROOT / "content")
    on = build(project, "site-on", SOURCE_DATE_EPOCH="1700000000")
    assert on.returncode == 0, on.output
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert text.count("\n  - evidence-map ") == 1
    config.write_text(text.replace("\n  - evidence-map ", f"\n  - evidence-map: {{{setting}: false}} ") , encoding="utf-8")
    off = build(project, "site-off", SOURCE_DATE_EPOCH="1700000000")
    assert off.returncode == 0, off.output
    with_it, without = site_files(on.site), site_files(off.site)
    assert sorted(with_it) == sorted(without)
    assert [name for name in with_it if with_it[name] != without[name]] == []
