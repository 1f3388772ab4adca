"""Evidence-map website generator: content/ (YAML and Markdown) in, a static site out.

The pipeline, one package per stage:

- `content/`: load and check. content/ read safely (files), parsed with each value's line (yamlsource), validated
  (schema, validate), checked as a folder (layout) and across files (checks, authors): an EvidenceMap, or every
  problem.
- `model.py`: the typed records every later stage reads (with `citations`, `countries`, `names` and `markup`, the
  helpers the loader and the outputs share).
- `outputs/`: the pages and files, one module per kind; `outputs/paths.py` says where each goes, `compose.py`
  makes them all.
- `publish/`: the outputs handed to a builder: the `evidence-map` MkDocs plugin (with the error page `serve` shows
  and the preview that opens from disk), the export that plain MkDocs and Zensical build, and the `build` command's
  site folder. The only stage that knows a publisher.
- `importers/`: other tools' files read into content (the PRISMA2020 CSV).
- `cli.py`: the commands. Only cli and publish touch the disk beyond content/, the clock or the environment.
"""

__version__ = "0.1.0"
