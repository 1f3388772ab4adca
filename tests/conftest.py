"""Shared fixtures: the project root, fixture content folders, and sites built the way a user builds them."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SITES = Path(__file__).resolve().parent / "sites"
MKDOCS = [sys.executable, "-m", "mkdocs"]


@dataclass
class Build:
    project: Path
    site: Path
    returncode: int
    output: str


def make_project(tmp: Path, content: Path) -> Path:
    """A copy of the project with another content/ folder — what a maintainer reusing the generator has."""
    project = tmp / "project"
    project.mkdir(parents=True)
    for name in ("mkdocs.yml", "docs", "generator"):
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, project / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(src, project / name)
    shutil.copytree(content, project / "content")
    return project


def build(project: Path, site_dir: str = "site", **env_vars: str) -> Build:
    # Material's end-of-life banner is left out of what the tests read; the plugin says it in our words instead
    # (docs/upstream.md), and that line is in the output.
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **env_vars}
    proc = subprocess.run([*MKDOCS, "build", "--strict", "--site-dir", site_dir], cwd=project, env=env,
                          capture_output=True, text=True, timeout=300)
    return Build(project, project / site_dir, proc.returncode, proc.stdout + proc.stderr)


@pytest.fixture(scope="session")
def bundled_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    result = build(make_project(tmp_path_factory.mktemp("bundled"), ROOT / "content"))
    assert result.returncode == 0, result.output
    return result


@pytest.fixture(scope="session")
def other_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    result = build(make_project(tmp_path_factory.mktemp("other"), SITES / "other" / "content"))
    assert result.returncode == 0, result.output
    return result


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A writable copy of the small 'other' fixture review, for breaking on purpose."""
    target = tmp_path / "content"
    shutil.copytree(SITES / "other" / "content", target)
    return target


# ---------------------------------------------------------------------------------------------- browser tests

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def studies_index_site(emap, site: Path) -> Path:
    """The studies index of `emap` alone, as a built site holds it (its page, the rows the script fetches for a big
    map, the script and the country names), written into `site`: for browser tests of the index without a build."""
    import datetime as _dt

    from generator.outputs import search, studies_index
    from generator.outputs.base import Build
    from generator.outputs.paths import ASSET_PREFIX, COUNTRY_NAMES, STUDIES_ROWS

    pages = studies_index.pages(Build(emap, today=_dt.date(2026, 11, 30)))
    (site / "studies").mkdir(parents=True)
    body = pages["studies/index.md"].split("---\n", 2)[2]
    script = "../" + ASSET_PREFIX + "studies-table.js"
    (site / "studies/index.html").write_text(
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Studies</title></head><body>'
        f'<article class="md-typeset">{body}</article><script src="{script}"></script></body></html>',
        encoding="utf-8")
    (site / STUDIES_ROWS).write_text(pages[STUDIES_ROWS], encoding="utf-8")
    (site / ASSET_PREFIX).mkdir(parents=True)
    (site / ASSET_PREFIX / "studies-table.js").write_bytes((ROOT / "generator/assets/studies-table.js").read_bytes())
    (site / COUNTRY_NAMES).write_text(search.country_names(), encoding="utf-8")
    return site


def serve(folder: Path):
    """Serve a built site on 127.0.0.1 (a free port) in a thread; returns (base URL, server)."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{httpd.server_address[1]}/", httpd


@pytest.fixture(scope="session")
def server(bundled_build):
    url, httpd = serve(bundled_build.site)
    yield url
    httpd.shutdown()


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium driven by Playwright (never a downloaded browser)."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            raise RuntimeError("CI needs Debian's chromium: scripts/setup.sh installs it")
        pytest.skip("Debian's chromium is not installed (scripts/test.sh installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()
