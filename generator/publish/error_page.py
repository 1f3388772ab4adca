"""What `serve` shows in the browser while the site cannot be built: a page listing every problem, as `validate` and
the terminal print them, in place of every page of the site.

MkDocs' development server holds every request while its last rebuild has failed (it waits for a build that
succeeds), so under `serve` the plugin lets a failed build finish with these pages instead of stopping it; the server
then reloads open pages onto them, and back onto the site after the next good save (docs/upstream.md)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined, Template


@dataclass(frozen=True)
class Failure:
    """Why a build stopped: one sentence, and every problem as the terminal shows it (file:line: field: message
    (hint: …)), each possibly several lines (a problem's YAML example follows it, indented)."""

    summary: str
    lines: tuple[str, ...]


@cache
def _template() -> Template:
    # Its own environment: the page is shown when the site's pages could not be made, and must not depend on them.
    env = Environment(loader=PackageLoader("generator", "templates"), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    return env.get_template("error_page.html.j2")


def error_page(failures: Sequence[Failure], *, reloads: bool) -> str:
    """A whole HTML page, on its own (inline style, no script, nothing fetched), every message escaped. `reloads`:
    whether the server adds its reload script to it (pages it serves; not its 404 page)."""
    summaries = list(dict.fromkeys(f.summary[:1].upper() + f.summary[1:] for f in failures))
    lines = [line for f in failures for line in f.lines]
    return _template().render(summaries=summaries, lines=lines, reloads=reloads)
