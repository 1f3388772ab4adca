"""Outputs: the model turned into the site's pages and files, one module per kind of output.

- `paths`: where every generated page and file goes, and links between them (the one place that spells a path)
- `base`: what outputs share (`Build`: the map, history, links and build date; templates, front matter, paging)
- `derived`: indexes several outputs need (theme members, related studies, changes)
- `study`, `themes`, `studies_index`, `overview` (matrix, at a glance), `changes` (what's new, feed),
  `downloads_page` (the page and the PRISMA files), `fragments` (placeholders in hand-written pages)
- `downloads`, `matrix`, `figures`, `prisma_svg`, `prisma_csv`: the data files, the matrix's counts, chart
  counts, the diagram, the PRISMA2020 package's CSV
- `compose`: `SiteOutputs.pages()`, every output once, in order

A new kind of page: a module here with a function of a `Build` returning {path: text}; its paths in `paths`
(and in `paths.SITE_PAGES` if it belongs in the navigation); its template in generator/templates/, linking
through `link(paths....)`; one `out.add(...)` line in `compose.SiteOutputs.pages`; and its tests, in
tests/outputs/test_<module>.py (tests/outputs/test_compose.py checks what every page shares).

Nothing is imported here, so `generator.outputs.paths` can be read by the loader (schema) without the rest.
"""
