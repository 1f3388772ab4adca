"""`python -m generator import FILE`: read a RIS or BibTeX export, plan what it changes in content/studies/, and
write it (or, with --dry-run, only say it)."""

from __future__ import annotations

from pathlib import Path

from .bibtex import parse_bibtex, read_bibtex_file
from .records import Record, Skipped
from .ris import parse_ris, read_ris_file
from .textfile import TextFileError

FORMATS = ("ris", "bibtex")


class ImportFileError(Exception):
    def __init__(self, message: str, hint: str, line: int | None = None):
        super().__init__(message)
        self.message, self.hint, self.line = message, hint, line


def guess_format(path: Path, text: str) -> str:
    """'ris' or 'bibtex', from the file's extension, else from its first line that is not blank."""
    suffix = path.suffix.lower()
    if suffix in (".ris", ".txt") and "TY  -" in text[:10000]:
        return "ris"
    if suffix in (".bib", ".bibtex"):
        return "bibtex"
    if suffix == ".ris":
        return "ris"
    first = next((line.strip() for line in text.lstrip("\ufeff").splitlines() if line.strip()), "")
    if first.startswith("TY  -") or (first[:1].isdigit() and "TY  -" in text[:1000]):
        return "ris"
    if first.startswith(("@", "%")):
        return "bibtex"
    raise ImportFileError("cannot tell the file's format from its name or first line",
                       "give --format ris or --format bibtex")


def read_records(path: Path, fmt: str | None) -> tuple[str, list[Record], list[Skipped]]:
    """The format read, the records and the skipped ones. Raises ImportFileError naming what is wrong."""
    try:
        # The reader's hints name the format expected: the one given, else the one the file name says.
        named = fmt or ("bibtex" if path.suffix.lower() in (".bib", ".bibtex") else "ris")
        text = (read_bibtex_file if named == "bibtex" else read_ris_file)(path)
        fmt = fmt or guess_format(path, text)
        records, skipped = (parse_ris if fmt == "ris" else parse_bibtex)(text)
    except TextFileError as exc:  # RisError and BibtexError too
        raise ImportFileError(exc.message, exc.hint, exc.line) from None
    return fmt, records, skipped
