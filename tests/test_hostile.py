"""Hostile and broken input: nothing unsafe reaches a reader, every mistake is refused clearly and quickly, and a
failed build loses nothing."""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, SITES, build, make_project, serve
from generator.content import check_content

# Each payload sets window.__pwned (or opens a dialog) if it ever runs.
PAYLOADS = [
    "<script>window.__pwned='script';alert(1)</script>",
    '<img src=x onerror="window.__pwned=\'img\'">',
    "<svg onload=\"window.__pwned='svg'\"><circle r=1></circle></svg>",
    '" onmouseover="window.__pwned=\'attr\'" data-x="',
    "'><script>window.__pwned='quote'</script>",
    "</script><script>window.__pwned='json'</script><!--",
    "<iframe src=\"javascript:window.__pwned='iframe'\"></iframe><object data=x></object>",
    "<form action=\"javascript:window.__pwned='form'\"><button>go</button></form><style>body{display:none}</style>",
    "{{ 7*7 }} {% raw %}jinja{% endraw %}",
]
MARKDOWN = ("[click me](javascript:window.__pwned='mdlink') ![img](data:text/html;base64,PHNjcmlwdD4=) "
            "<a href=\"javascript:window.__pwned='a'\" onclick=\"window.__pwned='click'\">x</a> **bold**")
# What must never appear in a built file, whatever the escaping around it.
# (A payload's words may remain as harmless text, e.g. once a sanitiser has removed the tags around them.)
RAW = re.compile(r"<script>window\.__pwned|<svg onload|<(?:iframe|object|embed)\b|<form action|<style>body|"
                 r"<[a-z][^<>]*\son[a-z]+\s*=\s*[\"']?window\.__pwned|"
                 r"<[a-z][^<>]*\s(?:href|src|action|data)\s*=\s*[\"']?javascript:", re.I)


def text(i: int) -> str:
    return f"T{i} " + " ".join(PAYLOADS)


def hostile_content(target: Path) -> Path:
    """The 'other' fixture review with a payload in every text field."""
    shutil.copytree(SITES / "other" / "content", target)
    review = yaml.safe_load((target / "review.yml").read_text(encoding="utf-8"))
    review["title"], review["question"] = text(1), text(2)
    review["authors"] = [text(3)]
    review["published"]["citation"] = text(4)
    review["search"]["notes"] = MARKDOWN + " " + text(5)
    db = "MED<script>window.__pwned='db'</script>LINE"
    review["search"]["databases"] = [db, "CINAHL"]
    review["prisma"]["databases"] = {db: 120, "CINAHL": 80}
    review["prisma"]["excluded"]["reasons"] = {text(6): 8, "=HYPERLINK(\"http://x\")": 5}
    for fid, facet in review["facets"].items():
        facet["label"] = f"{fid} {PAYLOADS[1]}"
        facet["values"] = {v: f"{label} {PAYLOADS[0]}" for v, label in facet["values"].items()}
    (target / "review.yml").write_text(yaml.safe_dump(review, allow_unicode=True, sort_keys=False), encoding="utf-8")
    for path in sorted((target / "studies").glob("*.yml")):
        study = yaml.safe_load(path.read_text(encoding="utf-8"))
        study.update(title=text(10), journal=text(11), region=text(12), summary=MARKDOWN, notes=MARKDOWN,
                     authors=[f"{PAYLOADS[0]}, A.", "Smith, J."], pages=PAYLOADS[3], volume=PAYLOADS[4])
        study["sample"] = {"size": 3, "description": text(13)}
        study["themes"] = {t: MARKDOWN + " " + text(14) for t in study["themes"]}
        path.write_text(yaml.safe_dump(study, allow_unicode=True, sort_keys=False), encoding="utf-8")
    for path in sorted((target / "themes").glob("*.md")):
        body = path.read_text(encoding="utf-8").split("---\n", 2)[2]
        front = {"title": text(20), "summary": " ".join(PAYLOADS[:4]), "order": 1}
        path.write_text("---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n" + body + "\n" + MARKDOWN
                        + "\n\n" + "\n\n".join(PAYLOADS) + "\n", encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    content = hostile_content(tmp / "content")
    emap, problems = check_content(content)
    assert emap is not None, problems  # markup in text is valid content: shown as text, not refused
    result = build(make_project(tmp / "b", content))
    assert result.returncode == 0, result.output
    return result


def built_files(site: Path) -> list[Path]:
    # The downloads (studies.json, datapackage.json, the CSV files) are data, served as JSON or CSV, never as a page:
    # they hold the text as written (checked below). Everything a browser renders must hold it escaped, including
    # the search index, whose text Material shows as HTML.
    data = {"studies.json", "datapackage.json"}
    return [p for p in sorted(site.rglob("*")) if p.suffix in (".html", ".svg", ".json", ".xml")
            and p.relative_to(site).as_posix() not in data]


def test_downloads_hold_the_text_exactly_as_written(hostile_build):
    import json

    data = json.loads((hostile_build.site / "studies.json").read_text(encoding="utf-8"))
    assert data["title"] == text(1)
    assert {s["title"] for s in data["studies"]} == {text(10)}


def test_no_payload_reaches_a_built_file_unescaped(hostile_build):
    found = {str(p.relative_to(hostile_build.site)): RAW.findall(p.read_text(encoding="utf-8"))
             for p in built_files(hostile_build.site)}
    assert {k: v for k, v in found.items() if v} == {}
    study = (hostile_build.site / "studies/silva-2020/index.html").read_text(encoding="utf-8")
    assert "T10 &lt;script&gt;window.__pwned=&#39;script&#39;" in study  # shown as text, not removed
    assert "{{ 7*7 }}" in study and "49" not in study.split("T10", 1)[1][:400]  # no template evaluation


def test_chart_data_cannot_end_its_script_block(hostile_build):
    page = (hostile_build.site / "matrix/index.html").read_text(encoding="utf-8")
    data = re.search(r'<script type="application/json" id="em-matrix-data">(.*?)</script>', page, re.S).group(1)
    assert "<" not in data and "\\u003c/script\\u003e" in data


def test_csv_download_cannot_start_a_spreadsheet_formula(hostile_build):
    counts = (hostile_build.site / "prisma.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in counts and ", =HYPERLINK" not in counts and '"=HYPERLINK' not in counts


def test_no_payload_runs_in_a_browser(hostile_build, browser):
    url, httpd = serve(hostile_build.site)
    try:
        context = browser.new_context()
        page = context.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        pages = sorted(p.relative_to(hostile_build.site).as_posix() for p in hostile_build.site.rglob("*.html"))
        assert len(pages) > 15
        for path in pages:
            page.goto(url + path)
            page.mouse.move(200, 300)
            page.mouse.move(600, 500)
            state = page.evaluate("""() => ({
              pwned: window.__pwned || null,
              handlers: [...document.querySelectorAll('.md-content *')].flatMap(e =>
                [...e.attributes].filter(a => a.name.startsWith('on')).map(a => e.tagName + ' ' + a.name)),
              js_links: [...document.querySelectorAll('a[href^="javascript:" i], [src^="javascript:" i]')].length,
              embeds: document.querySelectorAll('.md-content iframe, .md-content object, .md-content embed, '
                                                + '.md-content form, .md-content style:not(svg.em-prisma style)').length,
              scripts: [...document.querySelectorAll('.md-content script')].filter(s =>
                s.type !== 'application/json' && !(s.src && s.src.startsWith(location.origin))).length,
            })""")
            assert state == {"pwned": None, "handlers": [], "js_links": 0, "embeds": 0, "scripts": 0}, path
        # the script-built parts: a matrix selection listing hostile titles, and search results
        page.goto(url + "matrix/?by=country&row=participation&col=BR")
        assert page.locator("[data-em-selection] .em-study-list li").count() >= 1
        assert "T10 <script>" in page.locator("[data-em-selection]").inner_text()  # shown as text
        page.goto(url)
        page.keyboard.press("/")
        page.keyboard.type("T10")
        page.locator(".md-search-result__link").first.wait_for()
        page.wait_for_timeout(300)
        assert page.evaluate("window.__pwned || null") is None
        assert dialogs == []
        context.close()
    finally:
        httpd.shutdown()


# ------------------------------------------------------------------------------------------------ refusals

def write(content: Path, name: str, data: bytes | str) -> None:
    path = content / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))


BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(8))


@pytest.mark.parametrize("name, data, expected", [
    ("studies/silva-2020.yml", "title: [unclosed\nyear: 2020\n",
     "content/studies/silva-2020.yml:2: invalid YAML: did not find expected ',' or ']' (line 2, column 5) "
     "(hint: check indentation, and quote text containing ': ' or '#')"),
    ("studies/silva-2020.yml", b"title: caf\xe9\n",
     "content/studies/silva-2020.yml:1: not valid UTF-8 (byte 0xe9) (hint: save the file with UTF-8 encoding)"),
    ("studies/silva-2020.yml", "notes: " + "x" * 300_000 + "\n",
     "content/studies/silva-2020.yml: file is 300,008 bytes, over the limit of 262,144 "
     "(hint: a study file is a few kilobytes; move long text elsewhere)"),
    ("studies/silva-2020.yml", BOMB,
     "content/studies/silva-2020.yml:2: b[0]: YAML aliases (*name) are not allowed "
     "(hint: write the value out in full)"),
    ("studies/silva-2020.yml", "title: !!python/object/apply:os.system [echo hi]\n",
     "content/studies/silva-2020.yml:1: title: YAML tag !!python/object/apply:os.system is not allowed "
     "(hint: remove the tag)"),
    ("studies/silva-2020.yml", "title: A\nyear: 2020\ntitle: B\n",
     "content/studies/silva-2020.yml:3: title: duplicate key 'title' (first at line 1) "
     "(hint: a key may appear once; merge the two entries)"),
    ("studies/silva-2020.yml", "",
     "content/studies/silva-2020.yml: the file is empty (hint: see the template in docs/format)"),
    ("studies/silva-2020.yml", "just a sentence\n",
     "content/studies/silva-2020.yml:1: the top level must be a mapping of fields, got text "
     "(hint: start each line with a field name, e.g. 'title: ...')"),
    ("studies/Silva.2020.yml", "title: A\n",
     "content/studies/Silva.2020.yml: bad file name: 'Silva.2020' is not a valid study id "
     "(lowercase letters, digits, hyphens) (hint: rename it to silva-2020.yml)"),
    ("studies/silva 2020.yml", "title: A\n",
     "content/studies/silva 2020.yml: bad file name: 'silva 2020' is not a valid study id "
     "(lowercase letters, digits, hyphens) (hint: rename it to silva-2020.yml)"),
    ("studies/Silva-2020.yml", "title: A\n",
     "content/studies/Silva-2020.yml: bad file name: 'Silva-2020' is not a valid study id "
     "(lowercase letters, digits, hyphens) (hint: rename it to silva-2020.yml)"),
    ("studies/osullivan-2021.yml", None,  # a second study with the DOI of another (any case): a warning
     "content/studies/osullivan-2021.yml: warning: doi: same DOI as osterg-2019 "
     "(hint: is this the same study twice?)"),
    ("themes/costs.md", "---\ntitle: Costs\norder: [3\nsummary: Money.\n---\nBody.\n",
     "content/themes/costs.md:4: invalid YAML: did not find expected ',' or ']' (line 4, column 8) "
     "(hint: check indentation, and quote text containing ': ' or '#')"),
    ("studies/silva-2020.yml", "url: javascript:alert(1)\n",
     "content/studies/silva-2020.yml:1: url: 'javascript:alert(1)' is not a web address "
     "(hint: only http:// and https:// addresses are accepted)"),
    ("studies/silva-2020.yml", "doi: https://doi.org/10.1/x\n",
     "content/studies/silva-2020.yml:1: doi: 'https://doi.org/10.1/x' is not a DOI "
     "(hint: write the DOI alone, e.g. 10.1080/13691450802567416 (no https://doi.org/))"),
], ids=["malformed", "non-utf8", "too-big", "alias-bomb", "python-tag", "duplicate-key", "empty", "not-a-mapping",
        "id-dots", "id-space", "id-capital", "duplicate-doi", "theme-front-matter", "url-scheme", "doi-pattern"])
def test_each_mistake_is_refused_clearly_and_quickly(content: Path, monkeypatch, name: str, data, expected: str):
    monkeypatch.chdir(content.parent)  # messages name files as a contributor sees them: content/...
    if data is None:
        study = content / "studies/osullivan-2021.yml"
        study.write_text(study.read_text(encoding="utf-8").replace("journal:", "doi: 10.5555/OSTERG.2019\njournal:"),
                         encoding="utf-8")
    else:
        if name != "studies/silva-2020.yml" and name.startswith("studies/"):
            (content / "studies/silva-2020.yml").unlink()
        write(content, name, data)
    start = time.perf_counter()
    _, problems = check_content(Path("content"))
    elapsed = time.perf_counter() - start
    assert expected in [str(p) for p in problems]
    assert elapsed < 1.0, f"took {elapsed:.2f} s"


# ------------------------------------------------------------------------------------------------ nothing lost

def test_a_failed_build_leaves_the_previous_site_as_it_was(tmp_path: Path):
    import subprocess
    import sys

    project = make_project(tmp_path, SITES / "other" / "content")
    docs_before = {p: p.read_bytes() for p in sorted((project / "docs").rglob("*")) if p.is_file()}

    def generator_build():
        return subprocess.run([sys.executable, "-m", "generator", "build"], cwd=project, capture_output=True,
                              text=True, timeout=300, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin",
                                                           "NO_MKDOCS_2_WARNING": "1"})

    assert generator_build().returncode == 0
    site = project / "site"
    before = {p: p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}
    study = project / "content/studies/silva-2020.yml"
    study.write_text(study.read_text(encoding="utf-8").replace("year: 2020", "year: soon"), encoding="utf-8")
    failed = generator_build()
    assert failed.returncode == 1
    assert "content/studies/silva-2020.yml:3: year: expected a whole number, got 'soon'" in failed.stderr
    assert "Build failed: site/ is unchanged" in failed.stderr
    assert {p: p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()} == before
    assert [p.name for p in project.iterdir() if p.name.startswith(".site-")] == []  # no staging folder left
    assert (project / ".site.lock").is_file()  # the lock builds wait on stays: removing it would race
    # plain `mkdocs build` stops before touching site/ as well: content is checked before MkDocs cleans it
    assert build(project).returncode == 1
    assert {p: p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()} == before
    assert {p: p.read_bytes() for p in sorted((project / "docs").rglob("*")) if p.is_file()} == docs_before


def test_two_builds_are_byte_identical(tmp_path: Path):
    project = make_project(tmp_path, SITES / "other" / "content")
    first = build(project, "one", SOURCE_DATE_EPOCH="1700000000")
    second = build(project, "two", SOURCE_DATE_EPOCH="1700000000")
    assert first.returncode == second.returncode == 0

    def files(site: Path) -> dict[str, bytes]:
        return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}

    one, two = files(first.site), files(second.site)
    assert one.keys() == two.keys()
    assert [name for name in one if one[name] != two[name]] == []
    assert b"<lastmod>2023-11-14</lastmod>" in one["sitemap.xml"]  # MkDocs' one date comes from SOURCE_DATE_EPOCH


def test_hostile_text_cannot_break_the_reference_files(hostile_build):
    import bibtexparser
    import rispy

    library = bibtexparser.parse_string((hostile_build.site / "references.bib").read_text(encoding="utf-8"))
    assert library.failed_blocks == [] and len(library.entries) == 5
    assert all(e["year"].isdigit() for e in library.entries)  # nothing after the title was swallowed
    assert len(rispy.loads((hostile_build.site / "references.ris").read_text(encoding="utf-8"))) == 5
