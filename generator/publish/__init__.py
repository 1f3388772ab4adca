"""Publish: the generated pages handed to a static-site builder. site (the pages and assets for one build, in
memory), mkdocs_plugin (the `evidence-map` MkDocs plugin), error_page (what `serve` shows while content has
problems), preview (the build that opens from disk), export (a site source that plain MkDocs or Zensical builds),
build (the `build` and `serve` commands' folder and address checks) and history (dates from git). The only package
that knows a publisher, and with cli the only one that touches the disk beyond content/ and the clock.
"""
