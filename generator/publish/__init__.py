"""Publish: the generated pages handed to a static-site builder. site (the pages and assets for one build, in
memory), mkdocs_plugin (the `evidence-map` MkDocs plugin), export (a site source that plain MkDocs or Zensical
builds), build (the `build` command's site folder, replaced only by a build that succeeds) and history (dates from
git). The only package that knows a publisher, and with cli the only one that touches the disk and the clock.
"""
