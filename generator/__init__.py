"""Evidence-map website generator: content/ (YAML and Markdown) in, a static site out.

Pipeline: yamlsource (load) -> validate/content (check) -> model (typed records) -> render (pages)
-> site + mkdocs_hook / cli (the only parts that touch the disk or the publisher).
"""

__version__ = "0.1.0"
