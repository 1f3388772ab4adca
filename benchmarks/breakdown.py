"""Where the generator's time goes, per study, in one process: loading (YAML, then checks), each study's page and
what goes into it, and each list or file that covers every study. Prints a table; the fastest of --repeat runs.

    .venv/bin/python benchmarks/breakdown.py                 # a synthetic map of 1,000 studies
    .venv/bin/python benchmarks/breakdown.py --studies 10000
    .venv/bin/python benchmarks/breakdown.py --content content
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from synth import write_review  # noqa: E402

from generator import markup  # noqa: E402
from generator.content import load_map  # noqa: E402
from generator.content.files import read_text  # noqa: E402
from generator.content.yamlsource import load_yaml  # noqa: E402
from generator.outputs import changes, downloads, overview, studies_index, study, themes  # noqa: E402
from generator.outputs.base import Build  # noqa: E402


def measure(content: Path, repeat: int) -> dict[str, float]:
    best: dict[str, float] = {}

    def timed(name: str, fn):
        start = time.perf_counter()
        result = fn()
        best[name] = min(best.get(name, float("inf")), time.perf_counter() - start)
        return result

    files = sorted((content / "studies").glob("*.yml"))
    for _ in range(repeat):
        once(content, files, timed)
    return {name: seconds * 1000 / len(files) for name, seconds in best.items()}


def once(content: Path, files: list[Path], timed) -> None:
    markup.markdown_html.cache_clear()
    texts = [read_text(f.read_bytes(), str(f))[0] for f in files]
    timed("load: YAML", lambda: [load_yaml(t, "study.yml") for t in texts])
    emap = timed("load: everything", lambda: load_map(content))
    studies = emap.studies
    b = Build(emap, today=date.today())
    d = b.derived
    timed("shared set-up", lambda: (d.by_time, d.themes_by_id, d.members, d.changes))
    timed("page: Markdown fields", lambda: [markup.markdown_html(x) for s in studies for x in (
        s.summary, s.notes, *(f.markdown for f in s.findings))])
    timed("page: BibTeX entry", lambda: [downloads.bibtex([s]) for s in studies])
    timed("page: related studies", lambda: [d.related(s) for s in studies])
    markup.markdown_html.cache_clear()
    timed("page: everything", lambda: [study.page(b, s) for s in studies])
    timed("studies index", lambda: studies_index.pages(b))
    timed("data files", lambda: downloads.files(emap, bibtex_text=""))
    timed("theme pages", lambda: [themes.pages(b, t) for t in emap.themes])
    timed("other pages", lambda: (themes.index(b), overview.matrix_pages(b), overview.glance_pages(b),
                                  changes.pages(b)))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--studies", type=int, default=1000)
    parser.add_argument("--content", type=Path, help="an existing content folder instead of a synthetic map")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        content = args.content
        if content is None:
            content = Path(tmp) / "content"
            write_review(content, args.studies)
        numbers = measure(content, args.repeat)
    print("| part | ms per study |\n|---|---:|")
    for name, ms in numbers.items():
        print(f"| {name} | {ms:.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
