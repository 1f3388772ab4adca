"""Evidence-map website generator: content/ (YAML and Markdown) in, a static site out.

Pipeline: files + yamlsource (read, load) -> validate/content (check) -> model (typed records) -> outputs/ (pages
and files, one module per kind; outputs/paths.py says where each goes) -> site, then the publishers: mkdocs_plugin
(the `evidence-map` MkDocs plugin), export (a site source for any MkDocs-compatible builder) and cli (the only
parts that touch the disk, the clock or the publisher).
"""

__version__ = "0.1.0"
