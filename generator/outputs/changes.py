"""What changed in the map: the What's new page, the Atom feed of studies added, and a feed per theme."""

from __future__ import annotations

import datetime as _dt
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from ..citations import author_year, reference
from ..markup import xml_text
from ..model import Study, Theme
from .base import Build, day, front_matter
from .paths import FEED, WHATS_NEW_PAGE, page_url, study_url, theme_feed_path, theme_page, theme_url

NS = "http://www.w3.org/2005/Atom"
STAMP = "%Y-%m-%dT%H:%M:%SZ"

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
    for when, items in changes:
        if left <= 0:
            break
        shown.append((when, items[:left], len(items[left:])))
        left -= len(items)
    older = left < 0 or len(shown) < len(changes)
    body = build.render("whats_new.html.j2", here, changes=shown, known=build.history.known, feed=FEED,
                        older=older, limit=WHATS_NEW_LIMIT,
                        history_url=build.links.history(build.history.folder) if older else None)
    return front_matter("What's new", "Studies added to this evidence map and entries changed, newest "
                        "first.") + body


@dataclass(frozen=True)
class Entry:
    """An Atom entry: `href` a link (absolute, or relative to the feed), `id` an absolute IRI."""

    title: str
    id: str
    href: str
    updated: _dt.datetime
    authors: tuple[str, ...] = ()
    summary: str | None = None


def feed(build: Build) -> str:
    """An Atom feed with an entry per study added, newest first (written with ElementTree: escaped)."""
    emap, history = build.map, build.history
    added = sorted(((d.added, s) for s in emap.studies if (d := history.studies.get(s.id))),
                   key=lambda item: (item[0], item[1].id), reverse=True)
    return atom(build, FEED, f"{emap.review.title}: new studies", emap.review.question,
                alternate=build.urls.page(WHATS_NEW_PAGE),
                entries=[_study_entry(build, FEED, s, when) for when, s in added[:FEED_LIMIT]])


def theme_feed(build: Build, theme: Theme) -> str:
    """An Atom feed for following one theme: an entry per study added to it, and one per revision of its synthesis
    (each commit that changed the theme's file), newest first. Dates from git, as the site-wide feed's: a study is
    dated by when its file entered the map, so one given this theme later keeps that first date."""
    history, here = build.history, theme_feed_path(theme.id)
    page = theme_url(theme.id)
    entries = [_study_entry(build, here, s, d.added)
               for s in build.derived.members[theme.id] if (d := history.studies.get(s.id))]
    dates = history.themes.get(theme.id)
    commits = (dates.commits or (dates.changed, dates.added)) if dates else ()
    for k, when in enumerate(sorted(set(commits))):
        stamp = when.strftime("%Y%m%dT%H%M%SZ")
        entries.append(Entry(f"{theme.title}: synthesis {'written' if k == 0 else 'revised'}",
                             _atom_id(build, f"{page}#synthesis-{stamp}"), _href(build, here, page), when,
                             summary=f"The synthesis of the theme \u201c{theme.title}\u201d was "
                                     f"{'first published' if k == 0 else 'revised'} on {day(when)}."))
    entries.sort(key=lambda e: (e.updated, e.id), reverse=True)
    return atom(build, here, f"{build.map.review.title}: {theme.title}",
                theme.summary or f"New studies and revisions of the synthesis of {theme.title}.",
                alternate=build.urls.page(theme_page(theme.id)), entries=entries[:FEED_LIMIT])


def _study_entry(build: Build, here: str, study: Study, when: _dt.datetime) -> Entry:
    return Entry(f"{author_year(study)}: {study.title}", _atom_id(build, study_url(study.id)),
                 _href(build, here, study_url(study.id)), when, study.authors, study.summary or reference(study))


def _atom_id(build: Build, address: str) -> str:
    """An entry's or feed's id, an absolute IRI (RFC 4287, 4.2.6): its address on the site; a build with no site
    address (the preview) gets a name made from the review's title and the address, the same from build to build."""
    if build.links.site_url:
        return build.links.site_url.rstrip("/") + "/" + address
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, xml_text(f"{build.map.review.title}\n{address}")))


def _href(build: Build, here: str, address: str) -> str:
    """A link in the feed at `here` to `address`: absolute on a published site; else relative to the feed, which
    Atom resolves against the feed's own address."""
    url = build.urls.url(address)
    if build.links.site_url:
        return build.links.site_url.rstrip("/") + "/" + url
    return build.urls.link(here, address)


def atom(build: Build, here: str, title: str, subtitle: str, *, alternate: str, entries: list[Entry]) -> str:
    """An Atom 1.0 feed at `here` (a path in the site), newest entry first; ElementTree escapes markup, and every
    string is cleared of characters XML cannot hold."""
    ET.register_namespace("", NS)

    def add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{NS}}}{tag}", {k: xml_text(v) for k, v in attrs.items()})
        if text is not None:
            element.text = xml_text(text)
        return element

    root = ET.Element(f"{{{NS}}}feed")
    add(root, "title", title)
    add(root, "subtitle", " ".join(xml_text(subtitle).split()))
    add(root, "id", _atom_id(build, "" if here == FEED else here))
    add(root, "link", rel="self", href=_href(build, here, here))
    add(root, "link", rel="alternate", href=_href(build, here, alternate))
    newest = max((e.updated for e in entries), default=_dt.datetime(1970, 1, 1, tzinfo=_dt.UTC))
    add(root, "updated", newest.strftime(STAMP))
    author = add(root, "author")
    add(author, "name", "; ".join(build.map.review.authors) or "Evidence map contributors")
    for e in entries:
        entry = add(root, "entry")
        add(entry, "title", e.title)
        add(entry, "id", e.id)
        add(entry, "link", rel="alternate", href=e.href)
        add(entry, "updated", e.updated.strftime(STAMP))
        add(entry, "published", e.updated.strftime(STAMP))
        for name in e.authors:
            add(add(entry, "author"), "name", name)
        if e.summary:
            add(entry, "summary", " ".join(xml_text(e.summary).split()))
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
