"""Benchmark: synthetic reviews of 100, 1,000 and 10,000 studies, built as a maintainer builds them, against two
floors. Prints a table (Markdown) of times, memory and sizes. Not a test: it measures, it does not assert.

    .venv/bin/python benchmarks/run.py                      # 100, 1,000 and 10,000 studies (about 20 minutes)
    .venv/bin/python benchmarks/run.py --sizes 100,1000     # quicker
    .venv/bin/python benchmarks/run.py --sizes 1000 --serve # also the `mkdocs serve` rebuild after one edit

Floors, built with the same MkDocs and Material:
  (1) the very Markdown pages the generator produced, written out as plain files and built without our hook: the
      ratio to it is the cost of the generator and the hook;
  (2) plain Material with the same number of ~300-word pages that the navigation does not list.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from page_weight import weight  # noqa: E402
from synth import paragraph, write_review  # noqa: E402

PY = sys.executable
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT)}


def project(folder: Path, n: int) -> Path:
    folder.mkdir(parents=True)
    for name in ("mkdocs.yml", "docs", "generator"):
        src = ROOT / name
        (shutil.copytree(src, folder / name, ignore=shutil.ignore_patterns("__pycache__")) if src.is_dir()
         else shutil.copy(src, folder / name))
    write_review(folder / "content", n)
    return folder


# Runs a command and reports its peak memory, in KB: the largest peak of the processes it ran (Linux's ru_maxrss;
# the build is one process, with git's short-lived ones beside it).
PEAK = """
import resource, subprocess, sys
code = subprocess.run(sys.argv[1:]).returncode
print(f"PEAK_KB={resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}", file=sys.stderr)
sys.exit(code)
"""


def timed(cmd: list[str], cwd: Path) -> tuple[float, int, str]:
    """Wall seconds, peak memory (KB) and output of a command."""
    start = time.perf_counter()
    proc = subprocess.run([PY, "-c", PEAK, *cmd], cwd=cwd, env=ENV, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}")
    peak = int(re.search(r"PEAK_KB=(\d+)", proc.stderr).group(1))
    return elapsed, peak, proc.stderr


GENERATOR_ONLY = """
import time, sys
from datetime import date
from pathlib import Path
start = time.perf_counter()
from generator.content import load_map
from generator.outputs.compose import SiteOutputs
imported = time.perf_counter()
emap = load_map(Path("content"))
loaded = time.perf_counter()
pages = SiteOutputs(emap, today=date.today()).pages()
done = time.perf_counter()
print(f"{imported - start:.3f} {loaded - imported:.3f} {done - loaded:.3f} {len(pages)}")
"""


def generator_time(folder: Path, repeat: int = 3) -> tuple[float, float, float]:
    """Seconds to import the generator (once per build, whatever the map's size), to load and check the content,
    and to render every page: the fastest of `repeat` runs (this machine's times vary by a fifth from run to run)."""
    runs = []
    for _ in range(repeat):
        out = subprocess.run([PY, "-c", GENERATOR_ONLY], cwd=folder, env=ENV, capture_output=True, text=True,
                             check=True).stdout.split()
        runs.append((float(out[0]), float(out[1]), float(out[2])))
    return min(runs, key=lambda r: r[1] + r[2])


def site_numbers(site: Path) -> dict:
    html = [p for p in site.rglob("*.html")]
    sizes = sorted(p.stat().st_size for p in html)
    studies = sorted(p.stat().st_size for p in site.glob("studies/*/index.html"))
    largest = max(html, key=lambda p: p.stat().st_size)
    matrix = weight(site, "matrix/")
    data = re.search(r'id="em-matrix-data">(.*?)</script>', (site / "matrix/index.html").read_text("utf-8"), re.S)
    return {
        "site_mb": sum(p.stat().st_size for p in site.rglob("*") if p.is_file()) / 1e6,
        "pages": len(html),
        "median_kb": statistics.median(sizes) / 1024,
        "study_median_kb": statistics.median(studies) / 1024 if studies else 0,
        "largest_kb": largest.stat().st_size / 1024,
        "largest": largest.relative_to(site).as_posix(),
        "matrix_kb": (matrix["html"] + matrix["js"]) / 1024,
        "matrix_data_kb": len(data.group(1).encode()) / 1024,
        "search_kb": (site / "search/search_index.json").stat().st_size / 1024,
        "search_study_kb": search_kb_per_study(site),
        # a map on one index page has no rows file: its column stays empty
        **({"rows_kb": (site / "studies/index.json").stat().st_size / 1024}
           if (site / "studies/index.json").exists() else {}),
    }


def search_kb_per_study(site: Path) -> float:
    """KB of the search index that the study pages' entries take, per study page (as Material writes it: compact
    JSON, a comma between entries)."""
    pages = {p.parent.relative_to(site).as_posix() + "/" for p in site.glob("studies/*/index.html")}
    index = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))
    size = sum(len(json.dumps(d, separators=(",", ":"))) + 1 for d in index["docs"]
               if d["location"].partition("#")[0] in pages)
    return size / 1024 / max(1, len(pages))


def floor_generated(folder: Path, work: Path) -> float:
    """Floor 1: the generated Markdown pages as plain files, built with no hook."""
    code = """
import re, sys, shutil, yaml
from pathlib import Path
from generator.publish.site import Site, PLACEHOLDER
site = Site.load(Path("."))
out = Path(sys.argv[1])
shutil.copytree("docs", out / "docs")
for uri, text in site.pages.items():
    (out / "docs" / uri).parent.mkdir(parents=True, exist_ok=True)
    (out / "docs" / uri).write_text(text, encoding="utf-8")
for path in (out / "docs").rglob("*.md"):
    text = path.read_text(encoding="utf-8")
    if PLACEHOLDER.search(text):
        uri = path.relative_to(out / "docs").as_posix()
        path.write_text(site.fill_placeholders(text, uri.removesuffix(".md") + "/", uri), encoding="utf-8")
for uri, src in site.assets.items():
    (out / "docs" / uri).parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(src, out / "docs" / uri)
config = (Path("mkdocs.yml").read_text(encoding="utf-8").replace("hooks:\\n  - generator/mkdocs_hook.py", "")
          .replace("watch:\\n  - content", ""))
config = re.sub(r"^  - evidence-map\\b.*\\n", "", config, flags=re.M)  # the plugin, where it replaces the hook
config = config.replace("custom_dir: generator/publish/theme", "custom_dir: " + str(Path("generator/publish/theme").resolve()))
nav = yaml.safe_dump({"nav": site.nav([{"Home": "index.md"}, {"Themes": "themes/index.md"},
                                        {"Studies": "studies/index.md"}])}, allow_unicode=True)
config = config[:config.index("nav:")] + nav
config += "not_in_nav: |\\n  /studies/*/\\n  /studies/*.md\\n"
config += "extra_css: [" + ", ".join(u for u in site.global_assets if u.endswith(".css")) + "]\\n"
config += "extra_javascript: [" + ", ".join(u for u in site.global_assets if u.endswith(".js")) + "]\\n"
(out / "mkdocs.yml").write_text(config, encoding="utf-8")
"""
    out = work / "floor1"
    out.mkdir()
    subprocess.run([PY, "-c", code, str(out)], cwd=folder, env=ENV, check=True)
    elapsed, _, _ = timed([PY, "-m", "mkdocs", "build", "-q", "-d", "site"], out)
    return elapsed


def floor_plain(n: int, work: Path) -> float:
    """Floor 2: plain Material, n pages of ~300 words that the navigation does not list."""
    import random

    out = work / "floor2"
    (out / "docs/p").mkdir(parents=True)
    (out / "docs/index.md").write_text("# Home\n\nA plain site.\n", encoding="utf-8")
    rng = random.Random(2)
    for i in range(n):
        (out / f"docs/p/{i:05d}.md").write_text(f"# Page {i}\n\n" + "\n\n".join(paragraph(rng, 75) for _ in range(4)),
                                                encoding="utf-8")
    (out / "mkdocs.yml").write_text("site_name: Floor\ntheme:\n  name: material\n  font: false\nplugins:\n  - search\n"
                                    "nav:\n  - Home: index.md\nnot_in_nav: |\n  /p/*.md\n", encoding="utf-8")
    elapsed, _, _ = timed([PY, "-m", "mkdocs", "build", "-q", "-d", "site"], out)
    return elapsed


def serve_rebuild(folder: Path) -> float:
    """Seconds `mkdocs serve` takes to rebuild after one study file is saved."""
    proc = subprocess.Popen([PY, "-m", "mkdocs", "serve", "--dev-addr", "127.0.0.1:0"],
                            cwd=folder, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        edited = False
        for line in proc.stdout:  # type: ignore[union-attr]
            if "Serving on" in line and not edited:
                time.sleep(1)
                study = sorted((folder / "content/studies").glob("*.yml"))[0]
                with study.open("a", encoding="utf-8") as out:
                    out.write(f"# edited at {time.time()}\n")
                edited = True
            elif edited and "Documentation built in" in line:
                return float(re.search(r"built in ([\d.]+) seconds", line).group(1))
    finally:
        proc.terminate()
        proc.wait()
    raise RuntimeError("mkdocs serve stopped before rebuilding")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--no-floors", action="store_true")
    parser.add_argument("--serve", action="store_true", help="measure the serve rebuild (bundled map and 1,000)")
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args(argv)
    rows = []
    for n in (int(x) for x in args.sizes.split(",")):
        with tempfile.TemporaryDirectory(prefix=f"bench-{n}-") as tmp:
            work = Path(tmp)
            folder = project(work / "project", n)
            import_s, load_s, render_s = generator_time(folder)
            build_s, peak_kb, _ = timed([PY, "-m", "mkdocs", "build", "--strict", "-q", "-d", "site"], folder)
            row = {"studies": n, "import_s": import_s, "load_s": load_s, "render_s": render_s,
                   "generator_ms_per_study": 1000 * (load_s + render_s) / n, "build_s": build_s,
                   "peak_mb": peak_kb / 1024, **site_numbers(folder / "site")}
            if not args.no_floors:
                row["floor1_s"] = floor_generated(folder, work)
                row["floor2_s"] = floor_plain(n, work)
            if args.serve and n == 1000:
                row["serve_rebuild_s"] = serve_rebuild(folder)
            rows.append(row)
            print(json.dumps(row), file=sys.stderr, flush=True)
    if args.serve:
        with tempfile.TemporaryDirectory(prefix="bench-bundled-") as tmp:
            folder = Path(tmp)
            for name in ("mkdocs.yml", "docs", "generator", "content"):
                shutil.copytree(ROOT / name, folder / name) if (ROOT / name).is_dir() else shutil.copy(
                    ROOT / name, folder / name)
            print(f"serve rebuild, bundled map (11 studies): {serve_rebuild(folder):.2f} s")
    print(table(rows))
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1), encoding="utf-8")
    return 0


def table(rows: list[dict]) -> str:
    cols = [("studies", "studies", "{:,}"), ("import_s", "generator start-up s", "{:.2f}"),
            ("generator_ms_per_study", "generator ms/study", "{:.2f}"),
            ("build_s", "build s", "{:.1f}"), ("floor1_s", "floor 1 s", "{:.1f}"), ("floor2_s", "floor 2 s", "{:.1f}"),
            ("ratio1", "÷ floor 1", "{:.2f}"), ("ratio2", "÷ floor 2", "{:.2f}"), ("peak_mb", "peak MB", "{:.0f}"),
            ("site_mb", "site MB", "{:.1f}"), ("study_median_kb", "study page KB", "{:.1f}"),
            ("median_kb", "median page KB", "{:.1f}"), ("largest_kb", "largest page KB", "{:.0f}"),
            ("matrix_kb", "matrix HTML+JS KB", "{:.0f}"), ("matrix_data_kb", "matrix data KB", "{:.0f}"),
            ("search_kb", "search index KB", "{:.0f}"), ("search_study_kb", "search index KB a study", "{:.2f}"),
            ("rows_kb", "studies rows KB", "{:.0f}"),
            ("serve_rebuild_s", "serve rebuild s", "{:.1f}")]
    for r in rows:
        if "floor1_s" in r:
            r["ratio1"], r["ratio2"] = r["build_s"] / r["floor1_s"], r["build_s"] / r["floor2_s"]
    cols = [c for c in cols if any(c[0] in r for r in rows)]
    lines = ["| " + " | ".join(c[1] for c in cols) + " |", "|" + "---:|" * len(cols)]
    for r in rows:
        lines.append("| " + " | ".join(c[2].format(r[c[0]]) if c[0] in r else "" for c in cols) + " |")
    largest = {r["studies"]: r["largest"] for r in rows}
    return "\n".join(lines) + f"\n\nlargest page: {largest}"


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
