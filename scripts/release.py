#!/usr/bin/env python3
"""The files of a release, for .github/workflows/release.yml: `python3 scripts/release.py TAG DATE SITE OUT`.

- OUT/CITATION.cff: the repository's, with `version` (the tag without its "v") and `date-released` (DATE, the tagged
  commit's day) written in; the repository's own file is left as it is.
- OUT/<name>-site-<TAG>.zip: the built site in SITE (the build that opens from disk), under a folder of the same name.
- OUT/<name>-data-<TAG>.zip: the data package (datapackage.json and the files it describes) with the other downloads,
  and the CITATION.cff above.

Zip entries are sorted and dated DATE, so the same commit gives the same bytes. Standard library only.
"""

from __future__ import annotations

import datetime as _dt
import re
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAME = "evidence-map"
DATA = ("datapackage.json", "studies.csv", "prisma.csv", "studies.json", "references.bib", "references.ris",
        "prisma-flow-diagram.svg")
"""The downloads (generator/outputs/downloads.py, downloads_page.py) that go in the data zip, those present."""
TAG = re.compile(r"^v(\d[0-9A-Za-z.+-]*)$")


def version_of(tag: str) -> str:
    """'v1.2' -> '1.2'; the workflow runs on tags v* only, and a version starts with a digit."""
    match = TAG.match(tag)
    if match is None:
        raise SystemExit(f"release.py: {tag!r} is not a version tag (hint: tag the release v1, v1.2 or v2024.03)")
    return match.group(1)


def citation(text: str, version: str, date: _dt.date) -> str:
    """CITATION.cff's text with its `version` and `date-released` replaced (or added at the end), comments kept."""
    kept = [line for line in text.splitlines() if not re.match(r"^(version|date-released)\s*:", line)]
    return "\n".join(kept).rstrip("\n") + f'\nversion: "{version}"\ndate-released: "{date.isoformat()}"\n'


def write_zip(target: Path, files: list[tuple[str, Path]], date: _dt.date) -> None:
    stamp = (max(date.year, 1980), date.month, date.day, 0, 0, 0)  # zip dates start in 1980
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, path in sorted(files):
            info = zipfile.ZipInfo(name, stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, path.read_bytes())


def release(tag: str, date: _dt.date, site: Path, out: Path, root: Path = ROOT) -> list[Path]:
    """Write the release's files into `out` (made if missing); returns them."""
    version = version_of(tag)
    if not (site / "index.html").is_file():
        raise SystemExit(f"release.py: {site}/index.html is missing (hint: build the site into {site} first)")
    out.mkdir(parents=True, exist_ok=True)
    cff = out / "CITATION.cff"
    cff.write_text(citation((root / "CITATION.cff").read_text(encoding="utf-8"), version, date), encoding="utf-8")
    folder = f"{NAME}-site-{tag}"
    pages = [(f"{folder}/{p.relative_to(site).as_posix()}", p) for p in site.rglob("*") if p.is_file()]
    site_zip = out / f"{folder}.zip"
    write_zip(site_zip, pages, date)
    data = [(name, site / name) for name in DATA if (site / name).is_file()] + [("CITATION.cff", cff)]
    if not any(name == "datapackage.json" for name, _ in data):
        raise SystemExit(f"release.py: {site}/datapackage.json is missing (hint: is {site} a built site?)")
    data_zip = out / f"{NAME}-data-{tag}.zip"
    write_zip(data_zip, data, date)
    return [cff, site_zip, data_zip]


def main(argv: list[str]) -> int:
    if len(argv) != 4:
        print("usage: scripts/release.py TAG YYYY-MM-DD SITE_DIR OUT_DIR", file=sys.stderr)
        return 2
    tag, day, site, out = argv
    try:
        date = _dt.date.fromisoformat(day)
    except ValueError:
        print(f"release.py: {day!r} is not a date (hint: YYYY-MM-DD, e.g. git log -1 --format=%cs)", file=sys.stderr)
        return 2
    for path in release(tag, date, Path(site), Path(out)):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
