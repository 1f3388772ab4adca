"""How heavy and how fast the evidence and gap map is, in Chromium, for big maps:

    .venv/bin/python benchmarks/matrix_speed.py [1000 10000 ...]

For each size, the evidence-and-gap-map fixture (tests/sites/egm: a grouped facet of 34 codes, appraisal, a status
facet) gets that many synthetic studies and a matrix with rows, columns and segments; the matrix page (its HTML,
the site's style sheet and matrix.js, without the rest of the site) is opened in Debian's chromium, and the script
times what a reader does: select a cell, switch the rows' or the columns' dimension, open a category, change the
view. Each time is from the click until the next frame is drawn (median and worst of 7). It also prints the page
data's weight per study, there and for the bundled-style synthetic map of benchmarks/synth.py (longer titles).
"""

from __future__ import annotations

import datetime
import functools
import json
import shutil
import statistics
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from generator.content import load_map  # noqa: E402
from generator.outputs.base import Build  # noqa: E402
from generator.outputs.matrix import script_json  # noqa: E402
from generator.outputs.matrix_data import page_data  # noqa: E402
from generator.outputs.overview import matrix_pages  # noqa: E402
from generator.outputs.paths import MATRIX_PAGE  # noqa: E402

MATRIX = ("matrix:\n  rows: [intervention, themes, outcome]\n  columns: [outcome, design, country, year, appraisal]\n"
          "  segments: [design, appraisal]\n  status: {facet: status, ongoing: [ongoing]}\n")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]

# Runs an action, then resolves at the next frame after it: the time a reader waits to see the result.
TIME = """async (action) => {
  const t0 = performance.now();
  const act = {
    cell: () => { const bs = document.querySelectorAll('[data-em-matrix-table] td button.em-cell');
                  bs[Math.floor(bs.length / 2) + (window.__n = (window.__n || 0) + 1) % 7].click(); },
    rows: () => { const s = document.querySelector('[data-em-pick=rows]');
                  s.value = s.value === 'intervention' ? 'outcome' : 'intervention';
                  s.dispatchEvent(new Event('change')); },
    cols: () => { const s = document.querySelector('[data-em-pick=cols]');
                  s.value = s.value === 'outcome' ? 'country' : 'outcome'; s.dispatchEvent(new Event('change')); },
    open: () => { document.querySelector('[data-em-matrix-table] tbody button.em-toggle').click(); },
    view: () => { const b = document.querySelector('[data-em-view=heat][aria-pressed=false]') ||
                            document.querySelector('[data-em-view=bubble]'); b.click(); },
  }[action];
  act();
  const sync = performance.now() - t0;
  await new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
  return [sync, performance.now() - t0];
}"""


def egm_content(tmp: Path, n: int) -> Path:
    from sites.egm.synthetic import copy_with_studies

    content = copy_with_studies(tmp / "content", n)
    review = content / "review.yml"
    text = review.read_text("utf-8")
    review.write_text(text[:text.index("\nmatrix:\n") + 1] + MATRIX, "utf-8")
    return content


def matrix_page(content: Path, out: Path) -> tuple[Path, int]:
    """The matrix page alone, with its style sheet and script; returns its folder and the page data's bytes."""
    emap = load_map(content)
    build = Build(emap, today=datetime.date.today())
    body = matrix_pages(build)[MATRIX_PAGE].split("\n---\n", 1)[1]
    data = len(script_json(page_data(emap, "../", None)).encode("utf-8"))
    shutil.copytree(ROOT / "generator" / "assets", out / "assets" / "evidence-map")
    (out / "matrix").mkdir(parents=True)
    (out / "matrix" / "index.html").write_text(
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Matrix</title>"
        "<link rel='stylesheet' href='../assets/evidence-map/evidence-map.css'></head>"
        f"<body><article class='md-typeset'>{body}</article></body></html>", "utf-8")
    return out, data


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def timings(folder: Path, browser) -> dict[str, list[float]]:
    handler = functools.partial(_Quiet, directory=str(folder))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    out: dict[str, list[float]] = {}
    try:
        start = page.evaluate("() => performance.now()")
        page.goto(f"http://127.0.0.1:{httpd.server_address[1]}/matrix/")
        page.locator("[data-em-matrix-table]").wait_for()
        out["first draw"] = [page.evaluate("() => performance.now()") - start]
        for action in ("cell", "rows", "cols", "open", "view"):
            out[action] = [page.evaluate(TIME, action)[1] for _ in range(7)]
    finally:
        page.close()
        httpd.shutdown()
    return out


def main(argv: list[str]) -> int:
    from playwright.sync_api import sync_playwright
    from synth import write_review

    sizes = [int(a) for a in argv] or [1000, 10000]
    names = {"first draw": "open the page", "cell": "select a cell", "rows": "switch rows", "cols": "switch columns",
             "open": "open a category", "view": "change the view"}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        for n in sizes:
            with tempfile.TemporaryDirectory() as tmp:
                folder, data = matrix_page(egm_content(Path(tmp), n), Path(tmp) / "site")
                plain = Path(tmp) / "plain"
                write_review(plain, n)
                plain_data = len(script_json(page_data(load_map(plain), "../", None)).encode("utf-8"))
                print(f"\n{n} studies: page data {data / 1024:.0f} KB, {data / n:.0f} bytes a study "
                      f"(bundled-style synthetic map: {plain_data / n:.0f} bytes a study)")
                for action, times in timings(folder, browser).items():
                    med, worst = statistics.median(times), max(times)
                    print(f"  {names[action]:<18} median {med:7.1f} ms   worst {worst:7.1f} ms")
        browser.close()
    print(json.dumps({"note": "times from the action to the next frame, Chromium headless"}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
