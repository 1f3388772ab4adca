"""The preview build, a site that opens from disk (file://): `OFFLINE=true SITE_URL= python -m generator build
--site-dir site-preview` (docs/publishing.md; the pull-request check attaches one).

A site built as usual links pages by folder ('studies/x/'), which a web server answers with the folder's index.html
but a browser opening files shows as a folder listing. OFFLINE=true turns on Material's offline plugin (mkdocs.yml:
`offline: enabled: !ENV [OFFLINE, false]`), which sets MkDocs' `use_directory_urls: false` (pages are
'studies/x.html', and the generator's own links follow: outputs/paths.Urls) and writes the search index as a script,
so that search works from disk too. The evidence-map plugin changes one thing: the offline plugin adds
iframe-worker's shim, which runs search's web worker in a frame (a browser starts no worker from a file:// page),
from unpkg.com; the preview gets the copy shipped here (vendor/, MIT licence) instead, so the site makes no request
to another host and searches offline.

SITE_URL empty leaves site_url unset: MkDocs then writes the 404 page's links from the server's root (its base is
site_url's path, '/evidence-map/' for the published site), so the page is styled when the unzipped folder is served
as it is (`python3 -m http.server` there). Canonical addresses and the map citation's address are left out of the
preview, which is not at that address.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..outputs.paths import ASSET_PREFIX

SHIM = Path(__file__).parent / "vendor" / "iframe-worker-shim.js"
SHIM_URI = ASSET_PREFIX + "vendor/iframe-worker-shim.js"
"""Where the preview serves iframe-worker's shim from (the offline plugin's only third-party request)."""
OFFLINE_PLUGIN = "material/offline"


def offline(config: Any) -> bool:
    """Whether Material's offline plugin is on in this MkDocs config (the preview build)."""
    plugin = config.plugins.get(OFFLINE_PLUGIN) or config.plugins.get("offline")
    return bool(plugin is not None and plugin.config.enabled)


def local_shim(config: Any) -> bool:
    """For the evidence-map plugin's on_config, after the offline plugin's: replace the shim it took from unpkg.com
    by the copy at SHIM_URI (True: the site needs SHIM there). The generated links follow use_directory_urls,
    which the offline plugin has turned off by now, if it is listed before ours; if not, say so rather than build a
    preview whose own links are folders."""
    if not offline(config):
        return False
    if config.use_directory_urls:
        raise ValueError("mkdocs.yml lists the offline plugin after evidence-map, which then builds before the "
                         "offline plugin has turned off use_directory_urls (hint: list `offline` before "
                         "`evidence-map` under plugins:)")
    polyfills = config.extra.get("polyfills") or []
    config.extra["polyfills"] = [SHIM_URI if "iframe-worker" in str(url) else url for url in polyfills]
    return SHIM_URI in config.extra["polyfills"]
