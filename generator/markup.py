"""Markdown fields to safe HTML: rendered as GitHub renders Markdown (GitHub Flavored Markdown, with cmark-gfm,
GitHub's own C library, so what a contributor sees in a pull request's preview is what readers get), then cleaned
by an allow-list sanitiser (nh3, the Ammonia bindings), so a contributor's text can format but never script a
reader's browser."""

from __future__ import annotations

import re
from functools import cache

import cmarkgfm
import nh3
from cmarkgfm.cmark import Options
from markupsafe import Markup

_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em", "h2", "h3", "h4", "h5", "h6",
    "hr", "i", "li", "ol", "p", "pre", "s", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr",
    "ul",
}
_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "ol": {"start"}, "td": {"align"}, "th": {"align"}}
_URL_SCHEMES = {"http", "https", "mailto"}

# Raw HTML is passed through to the sanitiser, which is the one guard (so an allowed tag such as <sub> still works).
_OPTIONS = Options.CMARK_OPT_UNSAFE | Options.CMARK_OPT_VALIDATE_UTF8
_clean = nh3.Cleaner(tags=_TAGS, attributes=_ATTRIBUTES, url_schemes=_URL_SCHEMES,
                     link_rel="noopener noreferrer nofollow", strip_comments=True).clean
_HEADING = re.compile(r"<(/?)h([1-5])\b")


@cache
def markdown_html(text: str | None) -> Markup:
    """Render contributor Markdown and sanitise the result. Headings are shifted down one level
    (a contributor's '#' must not compete with the page title). Cached: a finding appears on its study's page
    and on its theme's page."""
    if not text:
        return Markup("")
    html = cmarkgfm.github_flavored_markdown_to_html(text, options=_OPTIONS)
    if "<h" in html:
        html = _HEADING.sub(lambda m: f"<{m.group(1)}h{int(m.group(2)) + 1}", html)
    return Markup(_clean(html))


_MD_SPECIAL = str.maketrans({c: f"&#{ord(c)};" for c in "\\`*_{}[]()#+-.!|~<>&\"'"})


def inline_text(text: str) -> str:
    """Plain text made safe to place inside Markdown source: HTML-escaped, and every character that
    Markdown would act on written as a numeric entity."""
    return text.translate(_MD_SPECIAL)

