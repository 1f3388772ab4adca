"""Markdown fields to safe HTML: rendered as GitHub renders Markdown (GitHub Flavored Markdown, with cmark-gfm,
GitHub's own C library, so what a contributor sees in a pull request's preview is what readers get), then cleaned
by an allow-list sanitiser (nh3, the Ammonia bindings), so a contributor's text can format but never script a
reader's browser.

The sanitiser's HTML parser takes time that grows with the square of how deeply elements nest, so a text nested
past MAX_NESTING levels (a hundred thousand '>' make as many block quotes) is shown as plain text instead, and
markdown_problem lets validation refuse it first.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

import cmarkgfm
import nh3
from cmarkgfm.cmark import Options
from markupsafe import Markup, escape

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

MAX_NESTING = 100
"""Deepest nesting of elements a Markdown field may render to (block quotes, lists, HTML elements inside one
another). Real texts stay within a dozen levels."""


_SURROGATE = re.compile("[\ud800-\udfff]")


def _render(text: str) -> str:
    try:
        return cmarkgfm.github_flavored_markdown_to_html(text, options=_OPTIONS)
    except UnicodeEncodeError:  # a lone surrogate (YAML's "\ud800"), which UTF-8 cannot hold
        return cmarkgfm.github_flavored_markdown_to_html(_SURROGATE.sub("\ufffd", text), options=_OPTIONS)


@cache
def markdown_html(text: str | None) -> Markup:
    """Render contributor Markdown and sanitise the result. Headings are shifted down one level
    (a contributor's '#' must not compete with the page title). A text nested too deeply to sanitise in
    reasonable time is shown as written, as plain text. Cached: a finding appears on its study's page
    and on its theme's page."""
    return markdown_html_then(text, None)


def markdown_html_then(text: str | None, then: Callable[[str], str] | None) -> Markup:
    """markdown_html, with `then` applied to cmark-gfm's HTML before it is sanitised (e.g. to link citations in
    the text but not in code, which the HTML tells apart)."""
    if not text:
        return Markup("")
    html = _render(text)
    if _source_bound(text) > MAX_NESTING and nesting_depth(html, MAX_NESTING) > MAX_NESTING:
        return Markup("<p>") + escape(text) + Markup("</p>")
    if then is not None:
        html = then(html)
    if "<h" in html:
        html = _HEADING.sub(lambda m: f"<{m.group(1)}h{int(m.group(2)) + 1}", html)
    return Markup(_clean(html))


def markdown_problem(text: str | None) -> str | None:
    """Why a Markdown field cannot be shown as formatted text, or None. Cheap for ordinary text: a count of the
    characters that can open a level decides, and only a text with many of them is rendered and measured."""
    if not text or _source_bound(text) <= MAX_NESTING:
        return None
    if nesting_depth(_render(text), MAX_NESTING) <= MAX_NESTING:
        return None
    return f"nests block quotes, lists or HTML elements more than {MAX_NESTING} levels deep"


NESTING_HINT = "a line starting with many '>' or list markers, or HTML tags left open, nest one level each"


# Each level of cmark-gfm's output is opened by a character of the source: '>' a block quote; a list marker
# ('-', '+', '*', or a number and '.' or ')') a list and its item; '*', '_', '~' emphasis or deletion; '[' a link;
# '<' an HTML element (with up to two more, tbody and tr, that the parser implies). A table, a code block, a
# paragraph or a bare link adds a few levels at most, and only at the bottom.
_WEIGHTS = (("-+*.)", 2), (">_~`", 1), ("[", 4), ("<", 3))
_LEAF_LEVELS = 8


def _source_bound(text: str) -> int:
    """An upper bound, from the source alone, on how deeply the rendered HTML can nest."""
    return _LEAF_LEVELS + sum(weight * text.count(c) for chars, weight in _WEIGHTS for c in chars)


# What an HTML parser (html5ever, inside nh3) sees in cmark-gfm's output. A tag written in CommonMark's strict
# form is read the same way by both; anything else may be read differently, so from there on every start tag
# counts as a level and no end tag closes one (never under-counting is what matters).
_CLEAN_TAG = re.compile(r"""<(/?)([A-Za-z][A-Za-z0-9-]*+)((?:\s++[A-Za-z_:][A-Za-z0-9_.:-]*+"""
                        r"""(?:\s*+=\s*+(?:"[^"]*+"|'[^']*+'|[^\s>"'][^\s>]*+))?+)*+)\s*+(/?)>""")
_START = re.compile(r"<[A-Za-z]")
_COMMENT_END = re.compile(r"--!?>")
_VOID = frozenset("area base basefont bgsound br col embed frame hr image img input keygen link meta param source "
                  "track wbr".split())
_TEXT_ONLY = frozenset("iframe noembed noframes style textarea title xmp".split())  # text up to their end tag
_UNCLEAR = frozenset("math noscript plaintext script svg template".split())  # read by rules of their own
_IMPLIED = {"table": 3, "tbody": 2, "tfoot": 2, "thead": 2}  # with the tbody and tr the parser adds


def nesting_depth(html: str, limit: int) -> int:
    """How deeply the elements of `html` nest, as an HTML parser builds them, or more (never less); the count
    stops once past `limit`. One pass over the text."""
    stack: list[tuple[str, int]] = []
    depth = deepest = 0
    i = html.find("<")
    while i != -1 and depth <= limit:
        tag = _CLEAN_TAG.match(html, i)
        if tag and not (tag.group(1) and (tag.group(3) or tag.group(4))):
            name = tag.group(2).lower()
            end = tag.end()
            if tag.group(1):
                if stack and stack[-1][0] == name:
                    depth -= stack.pop()[1]
            elif name in _UNCLEAR:
                break
            elif name in _TEXT_ONLY:
                close = re.compile(f"</{name}[\\s/>]", re.IGNORECASE).search(html, end)
                if close is None:
                    return deepest
                end = close.start()
            elif name not in _VOID:
                weight = _IMPLIED.get(name, 1)
                stack.append((name, weight))
                depth += weight
                deepest = max(deepest, depth)
        elif html.startswith("<!--", i):
            if html.startswith(("<!-->", "<!--->"), i):
                end = html.index(">", i) + 1
            elif found := _COMMENT_END.search(html, i + 4):
                end = found.end()
            else:
                return deepest  # the rest is a comment
        else:
            break
        i = html.find("<", end)
    else:
        return deepest
    return max(deepest, depth + len(_START.findall(html, i)))


# Characters XML 1.0 does not allow (controls other than tab and line ends, lone surrogates, U+FFFE and U+FFFF),
# with those it discourages (DEL and the C1 controls but NEL, the other noncharacters), which YAML refuses.
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufdd0-\ufdef"
                       + "".join(f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}" for plane in range(17))
                       + "]")


def xml_text(text: str) -> str:
    """Text with every character that would make XML (the feed, the SVG) or YAML (front matter) unreadable
    taken out. None of them is anything a reader would see."""
    return _NOT_TEXT.sub("", text)
