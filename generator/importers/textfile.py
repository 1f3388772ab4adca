"""Read a file that a spreadsheet or reference manager saved: UTF-8 (with or without a byte order mark), UTF-16
with its mark, or Windows-1252 (what Excel and older EndNote versions write on Windows). Shared by every importer
so that each refuses a folder, a pipe, an empty or binary file, and a file over its size limit the same way."""

from __future__ import annotations

import codecs
import os
import stat
from pathlib import Path

_SPECIAL = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket"))


class TextFileError(Exception):
    """Why a file could not be read as text, with a hint, and the line when one is to blame."""

    def __init__(self, message: str, hint: str, line: int | None = None):
        super().__init__(message)
        self.message, self.hint, self.line = message, hint, line


def read_text_file(path: Path, max_bytes: int, *, what: str, save_as: str, too_big: str, empty: str,
                   binary: str) -> str:
    """The text of `path`. The hints say, in the words of the format expected: `what` file to give, how to
    `save_as` UTF-8, and what to do when the file is over `max_bytes`, `empty`, or `binary`."""
    try:
        mode, size = (info := os.stat(path)).st_mode, info.st_size
        if not stat.S_ISREG(mode):  # checked before opening: opening a named pipe waits for a writer
            kind = next((name for test, name in _SPECIAL if test(mode)), "a device")
            raise TextFileError(f"{kind}, not a file", f"give the path of {what}")
        if size > max_bytes:
            raise TextFileError(f"file is {size:,} bytes, over the limit of {max_bytes:,}", too_big)
        with open(path, "rb") as file:
            raw = file.read(max_bytes + 1)
    except OSError as exc:
        raise TextFileError(f"cannot read: {exc.strerror}", "check the path" if isinstance(exc, FileNotFoundError)
                            else "check the file's permissions") from None
    if len(raw) > max_bytes:  # it grew since
        raise TextFileError(f"file is over the limit of {max_bytes:,} bytes", too_big)
    if not raw.strip():
        raise TextFileError("the file is empty", empty)
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Excel's "Unicode text", some EndNote exports
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise TextFileError("not valid UTF-16 text", save_as) from None
    if b"\x00" in raw:
        raise TextFileError("not a text file (it holds NUL bytes)", binary)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as not_utf8:
        try:
            return raw.decode("cp1252")
        except UnicodeDecodeError:
            line = raw.count(b"\n", 0, not_utf8.start) + 1
            raise TextFileError(f"not UTF-8 text (byte 0x{raw[not_utf8.start]:02x})", save_as, line) from None
