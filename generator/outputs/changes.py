"""What changed in the map: the What's new page and the Atom feed of studies added."""

from __future__ import annotations

import datetime as _dt
import xml.etree.ElementTree as ET

from ..citations import author_year, reference
from ..markup import xml_text
from .base import Build, front_matter
from .paths import FEED, WHATS_NEW_PAGE, page_url, study_url

WHATS_NEW_LIMIT = 100
"""Changes listed on What's new, newest first (a first import alone can add thousands of studies on one day)."""
FEED_LIMIT = 50
"""Entries in the feed: the latest additions (feed readers keep what they have already seen)."""


def pages(build: Build) -> dict[str, str]:
    return {WHATS_NEW_PAGE: whats_new_page(build), FEED: feed(build)}


def whats_new_page(build: Build) -> str:
    here = page_url(WHATS_NEW_PAGE)
    changes = build.derived.changes
    shown, left = [], WHATS_NEW_LIMIT
    for day, items in changes:
        if left <= 0:
            break
        shown.append((day, items[:left], len(items[left:])))
        left -= len(items)
    older = left < 0 or len(shown) < len(changes)
    body = build.render("whats_new.html.j2", here, changes=shown, known=build.history.known, feed=FEED,
                        older=older, limit=WHATS_NEW_LIMIT,
                        history_url=build.links.history(build.history.folder) if older else None)
    return front_matter("What's new", "Studies added to this evidence map and entries changed, newest "
                        "first.") + body


def feed(build: Build) -> str:
    """An Atom feed with an entry per study added, newest first (written with ElementTree: escaped)."""
    emap, history = build.map, build.history
    ns = "http://www.w3.org/2005/Atom"
    base = (build.links.site_url or "").rstrip("/") + "/"
    added = sorted(((d.added, s) for s in emap.studies if (d := history.studies.get(s.id))),
                   key=lambda item: (item[0], item[1].id), reverse=True)
    ET.register_namespace("", ns)
    root = ET.Element(f"{{{ns}}}feed")
    ET.SubElement(root, f"{{{ns}}}title").text = f"{emap.review.title}: new studies"
    ET.SubElement(root, f"{{{ns}}}subtitle").text = " ".join(xml_text(emap.review.question).split())
    ET.SubElement(root, f"{{{ns}}}id").text = base
    ET.SubElement(root, f"{{{ns}}}link", rel="self", href=base + FEED)
    ET.SubElement(root, f"{{{ns}}}link", rel="alternate", href=base + build.urls.page(WHATS_NEW_PAGE))
    newest = added[0][0] if added else _dt.datetime(1970, 1, 1, tzinfo=_dt.UTC)
    ET.SubElement(root, f"{{{ns}}}updated").text = newest.strftime("%Y-%m-%dT%H:%M:%SZ")
    author = ET.SubElement(root, f"{{{ns}}}author")
    ET.SubElement(author, f"{{{ns}}}name").text = "; ".join(emap.review.authors) or "Evidence map contributors"
    for when, study in added[:FEED_LIMIT]:
        entry = ET.SubElement(root, f"{{{ns}}}entry")
        ET.SubElement(entry, f"{{{ns}}}title").text = f"{author_year(study)}: {study.title}"
        ET.SubElement(entry, f"{{{ns}}}id").text = base + study_url(study.id)
        ET.SubElement(entry, f"{{{ns}}}link", rel="alternate", href=base + build.urls.url(study_url(study.id)))
        ET.SubElement(entry, f"{{{ns}}}updated").text = when.strftime("%Y-%m-%dT%H:%M:%SZ")
        ET.SubElement(entry, f"{{{ns}}}published").text = when.strftime("%Y-%m-%dT%H:%M:%SZ")
        for name in study.authors:
            ET.SubElement(ET.SubElement(entry, f"{{{ns}}}author"), f"{{{ns}}}name").text = name
        summary = study.summary or reference(study)
        ET.SubElement(entry, f"{{{ns}}}summary").text = " ".join(xml_text(summary).split())
    for element in root.iter():  # ElementTree escapes markup but writes any character it is given
        element.text = element.text and xml_text(element.text)
        element.attrib.update((k, xml_text(v)) for k, v in element.attrib.items())
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
