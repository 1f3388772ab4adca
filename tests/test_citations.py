import dataclasses

from conftest import ROOT
from generator.citations import author_label, author_year, find_citations, reference, replace_citations, sort_key
from generator.content import load_map
from generator.names import parse_authors

BUNDLED = load_map(ROOT / "content")


def test_author_labels():
    assert author_label(("Hughes, M.",)) == "Hughes"
    assert author_label(("Anghel, R.", "Ramon, S.")) == "Anghel & Ramon"
    assert author_label(("Davies, K.", "Gray, M.", "Webb, S. A.")) == "Davies et al."
    assert author_label(("Driessens, K.", "van Doorn, L.")) == "Driessens & van Doorn"
    assert author_label(("World Health Organization",)) == "World Health Organization"


def test_a_label_shows_the_family_name_with_its_particle_and_an_organisation_whole():
    assert author_label(("van Doorn, F.", "King, M. L., Jr.")) == "van Doorn & King"
    assert author_label(("King, Jr., M. L.",)) == "King"  # BibTeX's order reads the same
    assert author_label(("{World Health Organization}", "Carter, R.")) == "World Health Organization & Carter"
    # braces make an organisation one name, commas and all
    assert author_label(("{Department of Health, Social Services and Public Safety}",)) == (
        "Department of Health, Social Services and Public Safety")
    # parsed names (what the loader gives) and text in the file's form label alike
    assert author_label(parse_authors(["van Doorn, F.", "{WHO}"])) == "van Doorn & WHO"


def test_a_reference_lists_each_name_in_the_documented_form():
    study = dataclasses.replace(BUNDLED.study("farrow-2014"), authors=(
        "King, Jr., M. L.", "van  Doorn,F.", "{World Health Organization}"))
    assert author_year(study) == "King et al., 2014"
    assert reference(study).startswith(
        "King, M. L., Jr., van Doorn, F. & World Health Organization (2014). Involving service users")


def test_citations_are_found_with_their_lines():
    text = "One [@a-2009].\nTwo [@b-2010; @c-2011] and an email a@b.org and a [link](@x).\n"
    assert [(c.key, c.line) for c in find_citations(text)] == [("a-2009", 1), ("b-2010", 2), ("c-2011", 2)]


def test_citation_groups_become_parenthesised_links():
    out = replace_citations("See [@a; @b] and [@c].", lambda key: f"<{key}>")
    assert out == "See (<a>; <b>) and (<c>)."


def test_a_citation_in_code_or_in_a_tag_is_left_as_written():
    html = ('<p>See [@a], <code>[@b]</code>, <a title="[@c]" href="x">[@d]</a></p>\n'
            '<pre lang="md"><code>[@e]\n</code></pre>\n<p>[@f]</p>')
    assert replace_citations(html, lambda key: f"<{key}>") == (
        '<p>See (<a>), <code>[@b]</code>, <a title="[@c]" href="x">(<d>)</a></p>\n'
        '<pre lang="md"><code>[@e]\n</code></pre>\n<p>(<f>)</p>')


def test_sort_key_folds_accents_and_case():
    names = ["Østergaard", "Zhang", "Ó Súilleabháin", "anghel", "Ozturk"]
    assert sorted(names, key=sort_key) == ["anghel", "Ó Súilleabháin", "Østergaard", "Ozturk", "Zhang"]
