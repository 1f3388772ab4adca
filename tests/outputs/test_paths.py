"""generator/outputs/paths.py: every generated path comes from it, and the ids it reserves are the ones taken."""

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
