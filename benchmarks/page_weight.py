"""Print what a reader downloads for each page of a built site: its HTML, its scripts, its style sheets.

    .venv/bin/python benchmarks/page_weight.py site [matrix/ glance/ ...]

Sizes are uncompressed bytes of the files on disk, each counted once per page (the browser caches them across
pages, so this is the cost of a first visit to that page).
"""

from __future__ import annotations

import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlparse


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[str] = []
        self.styles: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script" and a.get("src"):
            self.scripts.append(a["src"])
        elif tag == "link" and a.get("rel") == "stylesheet" and a.get("href"):
            self.styles.append(a["href"])


def weight(site: Path, page: str) -> dict[str, int]:
    html_file = site / page / "index.html" if not page.endswith(".html") else site / page
    refs = _Refs()
    html = html_file.read_text(encoding="utf-8")
    refs.feed(html)
    base = "/" + str(html_file.relative_to(site).parent).strip(".") + "/"

    def size(ref: str) -> int:
        path = urlparse(urljoin(base.replace("//", "/"), ref)).path.lstrip("/")
        target = site / path
        return target.stat().st_size if target.is_file() else 0

    return {"html": len(html.encode("utf-8")), "js": sum(size(s) for s in refs.scripts),
            "css": sum(size(s) for s in refs.styles)}


def main(argv: list[str]) -> int:
    site = Path(argv[0] if argv else "site")
    pages = argv[1:] or ["", "matrix/", "glance/", "studies/", "methods/"]
    print(f"{'page':<28}{'HTML KB':>10}{'JS KB':>10}{'CSS KB':>10}{'HTML+JS KB':>12}")
    for page in pages:
        w = weight(site, page)
        print(f"{page or '(home)':<28}{w['html'] / 1024:>10.1f}{w['js'] / 1024:>10.1f}{w['css'] / 1024:>10.1f}"
              f"{(w['html'] + w['js']) / 1024:>12.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
