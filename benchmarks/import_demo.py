"""Demo and timing: a whole review brought in by each import format, then `validate` and a build.

    .venv/bin/python benchmarks/import_demo.py                # 300 studies per format
    .venv/bin/python benchmarks/import_demo.py --studies 1000

A synthetic map of N studies (benchmarks/synth.py) gives the exports a team would have: its references.ris,
references.bib, studies.csv and studies.json downloads. benchmarks/import.py writes an EPPI-Reviewer export of N
references. Each is imported into a project of its own:
- RIS, BibTeX, CSV and studies.json into the synthetic review with its study files removed (review.yml and themes
  kept, as when a team moves its map to this generator);
- EPPI-Reviewer JSON into an empty content folder (the import writes review.yml, facets and themes).
Then `python -m generator validate` and `python -m generator build` run in that project. The table gives the seconds
of each step, and what validate says is left to do (RIS and BibTeX bring references only: countries, facets and
findings are left to fill in, so validate lists them and the build refuses). It prints; it asserts nothing.
"""

from __future__ import annotations

import argparse
import importlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

from synth import write_review  # noqa: E402

from generator.content import load_map  # noqa: E402
from generator.outputs import downloads  # noqa: E402

PY = sys.executable
ENV = {**os.environ, "PYTHONPATH": str(ROOT), "SOURCE_DATE_EPOCH": "1764460800"}


def run(cmd: list[str], cwd: Path) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=ENV, capture_output=True, text=True)
    return time.perf_counter() - start, proc


def project(folder: Path, content: Path | None) -> Path:
    """A folder with the site's settings and docs, and `content` (or an empty content folder)."""
    folder.mkdir(parents=True)
    shutil.copy(ROOT / "mkdocs.yml", folder / "mkdocs.yml")
    shutil.copytree(ROOT / "docs", folder / "docs")
    (folder / "generator").symlink_to(ROOT / "generator")  # mkdocs.yml's theme overrides live there
    if content is None:
        (folder / "content").mkdir()
    else:
        shutil.copytree(content, folder / "content")
        for study in (folder / "content" / "studies").glob("*.yml"):
            study.unlink()
    return folder


def left_to_do(stderr: str) -> str:
    """validate's problems ("file:line: field: message"), counted by field: what the import left to fill in."""
    fields: dict[str, int] = {}
    for line in stderr.splitlines():
        parts = line.split(": ", 2)
        if len(parts) == 3 and not line.startswith(" ") and ":" in parts[0]:
            field = parts[1].split("[")[0].split(".")[0]
            fields[field] = fields.get(field, 0) + 1
    return ", ".join(f"{k} {v}" for k, v in sorted(fields.items(), key=lambda kv: -kv[1])[:4]) or "nothing"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--studies", type=int, default=300, help="studies in each export (default 300)")
    args = parser.parse_args()
    eppi_bench = importlib.import_module("import")  # benchmarks/import.py: its EPPI-Reviewer export writer
    with tempfile.TemporaryDirectory(prefix="import-demo-") as tmp:
        folder = Path(tmp)
        source = folder / "source" / "content"
        write_review(source, args.studies)
        files = downloads.files(load_map(source))
        exports = {"ris": folder / "references.ris", "bibtex": folder / "references.bib",
                   "csv": folder / "studies.csv", "studies-json": folder / "studies.json",
                   "eppi-json": folder / "eppi-export.json"}
        for fmt, path in exports.items():
            if fmt == "eppi-json":
                eppi_bench.write_eppi(path, args.studies)
            else:
                path.write_text(files[path.name], encoding="utf-8")
        mapping = folder / "eppi-mapping.yml"
        mapping.write_text('code_sets:\n  "Country": countries\n', encoding="utf-8")
        print(f"{args.studies:,} studies per format; seconds per step\n")
        print("| format | import | result | validate | left to fill in (problems by field) | build |\n"
              "|---|---:|---|---:|---|---:|")
        for fmt, export in exports.items():
            home = project(folder / fmt, None if fmt == "eppi-json" else source)
            cmd = [PY, "-m", "generator", "import", str(export), "--format", fmt, "--content", "content"]
            seconds, proc = run(cmd + (["--mapping", str(mapping)] if fmt == "eppi-json" else []), home)
            result = (proc.stdout.strip().splitlines() or ["?"])[-1].split(" (")[0]
            if proc.returncode:
                result = f"failed: {proc.stderr.strip().splitlines()[-1]}"
            v_seconds, checked = run([PY, "-m", "generator", "validate"], home)
            left = "nothing" if checked.returncode == 0 else left_to_do(checked.stderr)
            b_seconds, built = run([PY, "-m", "generator", "build", "--site-dir", str(folder / f"site-{fmt}")], home)
            build = f"{b_seconds:.1f}" if built.returncode == 0 else f"refused ({b_seconds:.1f})"
            print(f"| {fmt} | {seconds:.1f} | {result} | {v_seconds:.1f} | {left} | {build} |", flush=True)


if __name__ == "__main__":
    main()
