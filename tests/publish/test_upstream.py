"""What the generator relies on in MkDocs, Material, Jinja and PyYAML beyond their documented API
(docs/upstream.md): each test here fails when the upstream behaviour changes under us."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import jinja2
import material
import pytest
import yaml

from conftest import ROOT
from generator.content.yamltags import EventLoader as _Loader
from generator.publish import mkdocs_plugin

THEME = ROOT / "generator/publish/theme"
MATERIAL_PARTIALS = Path(material.__file__).parent / "templates/partials"

# Our copies of Material's partials: each is Material's file with exactly these changes (old text, new text), under a
# comment of ours that says why. docs/upstream.md lists them too.
PARTIAL_CHANGES = {
    "search.html": [('<div class="md-search" data-md-component="search" role="dialog">',
                     '<div class="md-search" data-md-component="search" role="dialog" '
                     'aria-label="{{ lang.t(\'search\') }}">')],
    "source.html": [(' class="md-source" data-md-component="source">', ' class="md-source">')],
    "copyright.html": [('<div class="md-copyright">\n', '<div class="md-copyright">\n'
                        '  {% if config.extra.evidence_map and config.extra.evidence_map.version %}\n'
                        '    <div class="md-copyright__highlight em-version">\n'
                        '      {{ config.extra.evidence_map.version | e }}\n'
                        '    </div>\n'
                        '  {% endif %}\n')],
}
GENERATED_HEADER = "{#-\n  This file was automatically generated - do not edit\n-#}\n"


def test_every_copied_partial_is_listed():
    assert sorted(p.name for p in (THEME / "partials").glob("*.html")) == sorted(PARTIAL_CHANGES)


@pytest.mark.parametrize("name", sorted(PARTIAL_CHANGES))
def test_a_copied_partial_is_materials_own_with_only_our_documented_change(name: str):
    """When Material changes the partial, copy its new version and make our change again."""
    theirs = (MATERIAL_PARTIALS / name).read_text(encoding="utf-8")
    assert theirs.startswith(GENERATED_HEADER)
    expected = theirs.removeprefix(GENERATED_HEADER)
    for old, new in PARTIAL_CHANGES[name]:
        assert expected.count(old) == 1, f"Material's {name} no longer has {old!r}"
        expected = expected.replace(old, new)
    ours = (THEME / "partials" / name).read_text(encoding="utf-8")
    comment, _, body = ours.partition("-#}\n")
    assert comment.startswith("{#- Material's"), "each copy starts with a comment saying what it changes and why"
    assert body == expected


def test_material_reaches_end_of_life_on_the_date_the_plugin_says():
    """The plugin says in its own words what Material's banner says; Material's banner is hidden in the tests only,
    through its NO_MKDOCS_2_WARNING."""
    banner = Path(importlib.util.find_spec("material.templates").origin).read_text(encoding="utf-8")
    assert "end of life on May 5, 2027" in banner
    assert "5 May 2027" in mkdocs_plugin.END_OF_LIFE
    assert 'os.getenv("NO_MKDOCS_2_WARNING")' in banner


# ---------------------------------------------------------------------------------------------- Jinja

def test_jinja_includes_a_template_through_its_root_render_func(tmp_path: Path):
    """The per-folder navigation replaces partials/nav.html's root_render_func (not a documented attribute of
    jinja2.Template); an include of the template must go through it, as MkDocs' environment loads it."""
    (tmp_path / "page.html").write_text('<nav>{% include "nav.html" %}</nav>', encoding="utf-8")
    (tmp_path / "nav.html").write_text("drawn", encoding="utf-8")
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(tmp_path)), auto_reload=True)
    nav = env.get_template("nav.html")
    render = nav.root_render_func
    calls: list[str] = []

    def cached(context):
        calls.append(context.get("page"))
        yield from render(context)
        yield " (ours)"

    nav.root_render_func = cached
    page = env.get_template("page.html")
    assert page.render(page="a") == "<nav>drawn (ours)</nav>"
    assert page.render(page="b") == "<nav>drawn (ours)</nav>"
    assert calls == ["a", "b"]


# ---------------------------------------------------------------------------------------------- MkDocs

def test_mkdocs_keeps_a_page_set_on_the_file_and_calls_its_render(tmp_path: Path):
    """Generated pages are GeneratedPage objects set on file.page in on_files; MkDocs' navigation must keep them
    (Material's blog plugin relies on the same) and the build must call their render()."""
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.nav import get_navigation
    from mkdocs.structure.pages import Page

    (tmp_path / "docs").mkdir()
    config = MkDocsConfig(config_file_path=str(tmp_path / "mkdocs.yml"))
    config.load_dict({"site_name": "x", "docs_dir": str(tmp_path / "docs"), "nav": [{"Listed": "a.md"}, "b.md"]})
    assert config.validate() == ([], [])
    files = Files([])
    pages = {}
    for uri, title in (("a.md", "Listed"), ("b.md", None)):
        file = File(uri, src_dir=None, dest_dir=str(tmp_path / "site"), use_directory_urls=True)
        file.content_string = "---\ntitle: From the front matter\n---\n"  # as File.generated sets it in a build
        files.append(file)
        pages[uri] = mkdocs_plugin.GeneratedPage(title, file, config, f'<h2 id="{uri[0]}">A heading<a '
                                                                      'class="headerlink" href="#x">¶</a></h2>')
    nav = get_navigation(files, config)
    assert nav.pages == [pages["a.md"], pages["b.md"]] and nav.pages[0] is pages["a.md"]
    page = pages["b.md"]
    page.read_source(config)
    page.render(config, files)
    assert page.title == "From the front matter" and pages["a.md"].title == "Listed"
    assert [(item.title, item.url, item.level) for item in page.toc] == [("A heading", "#b", 2)]
    assert page.present_anchor_ids == {"b"}
    assert "present_anchor_ids" in vars(Page)  # the attribute MkDocs checks links to anchors against


def test_the_cli_finds_mkdocs_build_and_its_options():
    """`python -m generator build` runs MkDocs' own click command in the same process (generator/publish/build.py), and reads
    docs_dir from mkdocs.yml with MkDocs' YAML loader (for its !ENV tags)."""
    from mkdocs.__main__ import cli
    from mkdocs.utils.yaml import yaml_load

    options = {opt for param in cli.commands["build"].params for opt in param.opts}
    assert {"--strict", "--config-file", "--site-dir"} <= options
    assert {"--config-file", "--dev-addr"} <= {opt for param in cli.commands["serve"].params for opt in param.opts}
    assert yaml_load("docs_dir: here\n") == {"docs_dir": "here"}


# ---------------------------------------------------------------------------------------------- PyYAML

def test_the_loader_is_libyamls_when_pyyaml_has_it():
    """yamlsource builds on CSafeLoader (several times faster) and its class attribute yaml_implicit_resolvers, a
    table by first character (None for a catch-all); test_yamlsource holds our resolve to PyYAML's."""
    if not yaml.__with_libyaml__:
        pytest.skip("this PyYAML was built without libyaml")
    assert _Loader.__mro__[1] is yaml.CSafeLoader
    resolvers = yaml.CSafeLoader.yaml_implicit_resolvers
    assert isinstance(resolvers, dict) and all(first is None or len(first) <= 1 for first in resolvers)
    assert all(isinstance(tag, str) and isinstance(regexp, re.Pattern) for tag, regexp in resolvers["1"])
