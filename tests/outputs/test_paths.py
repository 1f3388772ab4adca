"""generator/outputs/paths.py: every generated path comes from it, and the ids it reserves are the ones taken."""

import pytest

from generator.content.schema import RESERVED_IDS
from generator.outputs import paths


def test_page_paths_and_their_urls():
    assert paths.study_page("x") == "studies/x.md" and paths.page_url(paths.study_page("x")) == paths.study_url("x")
    assert paths.theme_page("t") == "themes/t.md" and paths.page_url(paths.theme_page("t")) == paths.theme_url("t")
    assert paths.theme_page("t", 2) == "themes/t/page/2.md"
    assert paths.studies_page(1) == paths.STUDIES_PAGE and paths.studies_page(3) == "studies/page/3.md"
    for page, url in ((paths.STUDIES_PAGE, paths.STUDIES_URL), (paths.THEMES_PAGE, paths.THEMES_URL),
                      (paths.MATRIX_PAGE, paths.MATRIX_URL), (paths.GLANCE_PAGE, paths.GLANCE_URL),
                      (paths.DOWNLOADS_PAGE, paths.DOWNLOADS_URL), (paths.WHATS_NEW_PAGE, paths.WHATS_NEW_URL)):
        assert paths.page_url(page) == url


def test_the_loader_reserves_the_ids_the_site_pages_take():
    """A study or theme id that is the first name under studies/ or themes/ of a page of the site's own is refused."""
    assert RESERVED_IDS is paths.RESERVED_IDS
    taken = {"study": set(), "theme": set()}
    for page in (paths.STUDIES_PAGE, paths.studies_page(2), paths.STUDIES_ROWS, paths.THEMES_PAGE):
        folder, name = page.split("/")[:2]
        taken["study" if folder == "studies" else "theme"].add(name.split(".")[0])
    assert {kind: set(ids) for kind, ids in RESERVED_IDS.items()} == taken


# ------------------------------------------------------------------ URL styles (MkDocs' use_directory_urls)

def _mkdocs_url(src_uri: str, directory: bool) -> str:
    from mkdocs.structure.files import File

    url = File(src_uri, "docs", "site", use_directory_urls=directory).url
    return "" if url == "./" else url  # the home page's, as a page's `url` has it


def test_every_page_address_is_written_as_mkdocs_publishes_the_page():
    """Each page the generator writes for the bundled map, and each hand-written page it links to, gets from Urls
    the URL MkDocs gives it in both styles, whether asked by its source path or by its address."""
    import datetime as _dt

    from conftest import ROOT
    from generator.content import load_map
    from generator.outputs.compose import SiteOutputs

    emap = load_map(ROOT / "content", _dt.date(2025, 11, 30))
    sources = [p for p in SiteOutputs(emap, today=_dt.date(2025, 11, 30)).pages() if p.endswith(".md")]
    sources += ["index.md", "methods.md", "format.md", "studies/page/2.md", paths.theme_page("t", 3)]
    for directory in (True, False):
        urls = paths.Urls(directory)
        for src in sources:
            assert urls.page(src) == _mkdocs_url(src, directory), src
            if src != "index.md":  # the home page's address, '', is the site's folder, which files are linked from
                assert urls.url(paths.page_url(src)) == _mkdocs_url(src, directory), src


@pytest.mark.parametrize("here, to, directory, file", [
    (paths.study_url("a"), paths.theme_url("b"), "../../themes/b/", "../themes/b.html"),
    (paths.STUDIES_URL, paths.study_url("a"), "a/", "a.html"),
    (paths.study_url("a"), paths.STUDIES_URL, "../", "index.html"),
    (paths.study_url("a"), paths.HOME_URL, "../../", "../"),
    (paths.study_url("a"), "studies.json", "../../studies.json", "../studies.json"),
    (paths.GLANCE_URL, paths.MATRIX_URL + "?from=2010&to=2010", "../matrix/?from=2010&to=2010",
     "../matrix/index.html?from=2010&to=2010"),
    (paths.HOME_URL, paths.METHODS_URL + "#exclusion-reasons", "methods/#exclusion-reasons",
     "methods.html#exclusion-reasons"),
    ("methods.html", paths.STUDIES_URL, "studies/", "studies/index.html"),  # `here` as MkDocs gives a page's URL
    (paths.page_url(paths.theme_page("t", 2)), paths.theme_url("t"), "../../", "../../t.html"),
])
def test_links_follow_the_url_style(here, to, directory, file):
    if here != "methods.html":
        assert paths.Urls(True).link(here, to) == directory
    assert paths.Urls(False).link(here, to) == file


def test_links_around_an_id():
    assert paths.Urls(True).around(paths.STUDIES_URL, paths.study_url) == ("", "/")
    assert paths.Urls(False).around(paths.STUDIES_URL, paths.study_url) == ("", ".html")
    assert paths.Urls(False).around(paths.theme_url("t"), paths.study_url) == ("../studies/", ".html")
