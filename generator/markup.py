"""Markdown fields to safe HTML: rendered with Python-Markdown, then cleaned by an allow-list sanitiser
(nh3, the Ammonia bindings), so a contributor's text can format but never script a reader's browser."""

from __future__ import annotations

import re
from functools import cache

import markdown
import nh3
from markupsafe import Markup

_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em", "h2", "h3", "h4", "h5", "h6",
    "hr", "i", "li", "ol", "p", "pre", "s", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr",
    "ul",
}
_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "ol": {"start"}, "td": {"align"}, "th": {"align"}}
_URL_SCHEMES = {"http", "https", "mailto"}

_md = markdown.Markdown(extensions=["extra", "sane_lists"], output_format="html")


@cache
def markdown_html(text: str | None) -> Markup:
    """Render contributor Markdown and sanitise the result. Headings are shifted down one level
    (a contributor's '#' must not compete with the page title). Cached: a finding appears on its study's page
    and on its theme's page."""
    if not text:
        return Markup("")
    html = _md.reset().convert(text)
    html = re.sub(r"<(/?)h([1-5])\b", lambda m: f"<{m.group(1)}h{int(m.group(2)) + 1}", html)
    return Markup(nh3.clean(html, tags=_TAGS, attributes=_ATTRIBUTES, url_schemes=_URL_SCHEMES,
                            link_rel="noopener noreferrer nofollow", strip_comments=True))


_MD_SPECIAL = str.maketrans({c: f"&#{ord(c)};" for c in "\\`*_{}[]()#+-.!|~<>&\"'"})


def inline_text(text: str) -> str:
    """Plain text made safe to place inside Markdown source: HTML-escaped, and every character that
    Markdown would act on written as a numeric entity."""
    return text.translate(_MD_SPECIAL)

