from generator.citations import author_label, find_citations, replace_citations, sort_key


def test_author_labels():
    assert author_label(("Hughes, M.",)) == "Hughes"
    assert author_label(("Anghel, R.", "Ramon, S.")) == "Anghel & Ramon"
    assert author_label(("Davies, K.", "Gray, M.", "Webb, S. A.")) == "Davies et al."
    assert author_label(("Driessens, K.", "van Doorn, L.")) == "Driessens & van Doorn"
    assert author_label(("World Health Organization",)) == "World Health Organization"


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
