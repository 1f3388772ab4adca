"""The built site's HTML, by the Nu HTML Checker (vnu.jar, pinned in package.json, run with Java): no error beyond those
that plain Material for MkDocs makes with the same theme settings.

Material's own markup has three errors the checker reports on every site it builds (an autocomplete attribute on its
checkbox toggles, an empty tabindex on navigation section labels, and a label pointing at the table-of-contents
toggle on a page outside the navigation); they are ours only if plain Material does not make them too, which the
test finds out by building a small plain Material site with this project's theme settings and checking both."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml

from conftest import MKDOCS, ROOT

VNU = ROOT / "node_modules/vnu-jar/build/dist/vnu.jar"


class _Loader(yaml.SafeLoader):
    """mkdocs.yml as MkDocs reads it, with each !ENV [NAME, default] taken as its default."""


_Loader.add_constructor("!ENV", lambda loader, node: loader.construct_sequence(node)[-1])


@pytest.fixture(scope="module")
def java_vnu() -> list[str]:
    java = shutil.which("java")
    if not java or not VNU.is_file():
        if os.environ.get("CI"):
            raise RuntimeError("CI needs Java and vnu.jar: scripts/setup.sh installs them")
        pytest.skip("Java or vnu.jar is missing (scripts/test.sh installs them)")
    return [java, "-jar", str(VNU)]


@pytest.fixture(scope="module")
def plain_material(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A plain Material site with our theme features, palette and Markdown extensions (not our overrides, plugin or
    assets): a home page without navigation, a section, a page outside the navigation, a table and code."""
    ours = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)
    theme = {k: v for k, v in ours["theme"].items() if k != "custom_dir"}
    project = tmp_path_factory.mktemp("plain-material")
    config = {"site_name": "Plain", "site_url": ours["site_url"], "theme": theme, "plugins": ["search"],
              "markdown_extensions": ours["markdown_extensions"],
              "nav": [{"Home": "index.md"}, {"Section": ["part/a.md", "part/b.md"]}]}
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    pages = {"index.md": "---\nhide:\n  - navigation\n---\n# Home\n\n## Part\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
             "part/a.md": "# A\n\n## One\n\nText.\n\n## Two\n\n```bash\necho hello\n```\n",
             "part/b.md": "# B\n\n## One\n\nText.\n",
             "outside.md": "# Outside the navigation\n\n## One\n\nText.\n\n## Two\n\nText.\n"}
    for name, text in pages.items():
        (project / "docs" / name).parent.mkdir(parents=True, exist_ok=True)
        (project / "docs" / name).write_text(text, encoding="utf-8")
    proc = subprocess.run([*MKDOCS, "build", "--site-dir", "site"], cwd=project, capture_output=True, text=True,
                          timeout=120, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return project / "site"


def errors(vnu: list[str], files: list[Path]) -> list[tuple[Path, int, str]]:
    """(file, line, message) for each error the checker finds in `files`."""
    proc = subprocess.run([*vnu, "--errors-only", "--exit-zero-always", "--format", "json", *map(str, files)],
                          capture_output=True, text=True, timeout=300)
    return [(Path(unquote(urlsplit(m["url"]).path)), m.get("lastLine", 0), m["message"])
            for m in json.loads(proc.stderr)["messages"] if m["type"] == "error"]


def test_no_html_error_beyond_plain_materials(bundled_build, plain_material, java_vnu):
    ours = sorted(bundled_build.site.rglob("*.html"))
    theirs = sorted(plain_material.rglob("*.html"))
    assert len(ours) >= 30 and len(theirs) == 5
    found = errors(java_vnu, ours + theirs)
    assert {file for file, _, _ in found} <= set(ours + theirs)  # each error is placed in a file it was given
    plain = {message for file, _, message in found if file in theirs}
    extra = [f"{file.relative_to(bundled_build.site)}:{line}: {message}" for file, line, message in found
             if file in ours and message not in plain]
    assert extra == []
