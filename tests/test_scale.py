"""Structure that keeps big maps fast (the numbers are in benchmarks/run.py and docs/performance.md): a study page
does not carry the other studies, so its size does not grow with the map."""

from __future__ import annotations

import re
import statistics
import sys
from pathlib import Path

import pytest

from conftest import ROOT, build

sys.path.insert(0, str(ROOT / "benchmarks"))
from synth import write_review  # noqa: E402


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> dict[int, Path]:
    import shutil

    out = {}
    for n in (20, 100):
        project = tmp_path_factory.mktemp(f"scale{n}")
        for name in ("mkdocs.yml", "docs", "generator"):
            src = ROOT / name
            shutil.copytree(src, project / name) if src.is_dir() else shutil.copy(src, project / name)
        write_review(project / "content", n)
        result = build(project)
        assert result.returncode == 0, result.output
        out[n] = result.site
    return out


def study_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.glob("studies/*/index.html"))


def test_study_pages_do_not_list_the_other_studies_in_their_navigation(sites):
    site = sites[100]
    pages = study_pages(site)
    assert len(pages) == 100
    html = pages[50].read_text(encoding="utf-8")
    nav = re.search(r'<nav class="md-nav md-nav--primary".*?</nav>\s*</div>\s*</div>\s*</div>', html, re.S).group(0)
    assert re.findall(r'href="[^"]*studies/study-\d+', nav) == []
    assert "Studies" in nav  # the index is there; the studies are reached through it


def test_a_study_page_is_the_same_size_in_a_map_five_times_bigger(sites):
    small = statistics.median(p.stat().st_size for p in study_pages(sites[20]))
    big = statistics.median(p.stat().st_size for p in study_pages(sites[100]))
    assert abs(big - small) / small < 0.10, (small, big)
    assert big < 60 * 1024
