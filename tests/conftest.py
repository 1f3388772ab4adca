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
