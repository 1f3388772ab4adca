"""Evidence-map website generator: content/ (YAML and Markdown) in, a static site out.

Pipeline: files + yamlsource (read, load) -> validate/content (check) -> model (typed records) -> render (pages)
-> site, then the publishers: mkdocs_plugin (the `evidence-map` MkDocs plugin), export (a site source for any
MkDocs-compatible builder) and cli (the only parts that touch the disk or the publisher).
"""

__version__ = "0.1.0"
