"""The PRISMA flow diagram and counts as files, and the Downloads page that lists every data file."""

from __future__ import annotations

from .base import Build, front_matter
from .paths import DOWNLOADS_PAGE, HOME_URL, PRISMA_CSV, PRISMA_SVG, page_url
from .prisma_csv import export_csv
from .prisma_svg import render_svg


def prisma_files(build: Build) -> dict[str, str]:
    prisma = build.map.review.prisma
    if prisma is None:
        return {}
    return {PRISMA_SVG: render_svg(prisma, lambda to: build.link(HOME_URL, to), standalone=True),
            PRISMA_CSV: export_csv(prisma)}


def pages(build: Build, files: dict[str, str]) -> dict[str, str]:
    """The Downloads page, with the size of each of `files` (the data files, by name)."""
    here = page_url(DOWNLOADS_PAGE)
    sizes = {name: len(text.encode("utf-8")) for name, text in files.items()}
    body = build.render("downloads.html.j2", here, sizes=sizes, n_studies=len(build.map.studies),
                        prisma=build.map.review.prisma is not None)
    return {DOWNLOADS_PAGE: front_matter("Downloads", "The studies of this evidence map as CSV, JSON, BibTeX and "
                                         "RIS, with the PRISMA counts and a Frictionless data package.") + body}
