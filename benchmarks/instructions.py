"""The generator's cost per study in CPU instructions, counted by valgrind (callgrind): unlike seconds on a shared
machine, the count is the same from run to run, so a change of a few per cent can be seen. One process.

The generator runs on synthetic maps of two sizes; the difference between them, divided by the difference in
studies, is the cost of one more study (start-up and other fixed costs cancel out). Loading and checking are
counted apart from rendering. Takes about two and a half minutes with the default sizes (valgrind runs Python
about 50 times slower).

    .venv/bin/python benchmarks/instructions.py
    .venv/bin/python benchmarks/instructions.py --sizes 300,600
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from synth import write_review  # noqa: E402

STAGE = """
import sys
from datetime import date
from pathlib import Path
from generator.content import load_map
from generator.outputs.compose import SiteOutputs
stage = sys.argv[1]
if stage != "import":
    emap = load_map(Path(sys.argv[2]))
    if stage == "render":
        SiteOutputs(emap, today=date.today()).pages()
"""


def instructions(stage: str, content: Path) -> int:
    """Instructions a fresh Python spends to import the generator, and then to load (and render) `content`."""
    env = {**os.environ, "PYTHONHASHSEED": "0", "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, "-c",
                           STAGE, stage, str(content)], env=env, cwd=ROOT, capture_output=True, text=True,
                          check=True)
    return int(re.search(r"Collected : (\d+)", proc.stderr).group(1))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="200,400", help="two map sizes, e.g. 200,400")
    args = parser.parse_args(argv)
    small, large = (int(x) for x in args.sizes.split(","))
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (Debian: apt-get install valgrind)")
    with tempfile.TemporaryDirectory() as tmp:
        folders = {n: Path(tmp) / str(n) for n in (small, large)}
        for n, folder in folders.items():
            write_review(folder, n)
        jobs = [(stage, n) for n in (small, large) for stage in ("import", "load", "render")]
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            counts = dict(zip(jobs, pool.map(lambda job: instructions(job[0], folders[job[1]]), jobs), strict=True))
    per_study = {}
    for stage, before in (("load", "import"), ("render", "load")):
        spent = {n: counts[stage, n] - counts[before, n] for n in (small, large)}
        per_study[stage] = (spent[large] - spent[small]) / (large - small)
    print("| stage | million instructions per study |\n|---|---:|")
    print(f"| loading and checking | {per_study['load'] / 1e6:.2f} |")
    print(f"| rendering | {per_study['render'] / 1e6:.2f} |")
    print(f"| generator | {(per_study['load'] + per_study['render']) / 1e6:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
