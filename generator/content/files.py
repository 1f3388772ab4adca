"""Reading content files safely.

Content files come from pull requests, so every one is treated as hostile. A file is opened without following a
symbolic link, refused unless it is a plain file, and size-checked before it is read (never more than MAX_FILE_BYTES
+ 1 bytes), so nothing outside the repository is ever read and no file can make a build wait or run out of memory.
"""

from __future__ import annotations

import errno
import os
import stat

from .problems import Problem

MAX_FILE_BYTES = 256 * 1024
"""A study or theme file larger than this is refused: real ones are a few kilobytes."""

SYMLINK_MESSAGE = ("is a symbolic link; symbolic links are not followed", "commit the file itself, not a link to it")
_KINDS = {stat.S_IFIFO: "a named pipe", stat.S_IFSOCK: "a socket", stat.S_IFCHR: "a device", stat.S_IFBLK: "a device",
          stat.S_IFDIR: "a folder"}


def kind_problem(source: str, mode: int) -> Problem | None:
    """A problem when `mode` (from lstat, or a listing) is not a plain file's."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISLNK(mode):
        return Problem(source, None, "", *SYMLINK_MESSAGE)
    return Problem(source, None, "", f"is {kind_of(mode)}, not a file; only plain files are read", "remove it")


def kind_of(mode: int) -> str:
    """What a file that is not a plain file or a link is, for a message: 'a named pipe', 'a device', …"""
    return _KINDS.get(stat.S_IFMT(mode), "not a plain file")


def _over_limit(source: str, size: int | None) -> Problem:
    said = f"file is {size:,} bytes, over the limit of {MAX_FILE_BYTES:,}" if size is not None else \
        f"file is over the limit of {MAX_FILE_BYTES:,} bytes"
    return Problem(source, None, "", said, "a study file is a few kilobytes; move long text elsewhere")


# (Windows has none of these flags; there the folder listing, which refuses links and pipes, is the guard.)
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


def read_file(path: os.PathLike | str, source: str) -> tuple[str | None, list[Problem]]:
    """A content file's text, or the problems that kept it from being read. The file is opened without following
    a symbolic link (and without waiting, should it be a pipe), refused unless it is a plain file or when its size
    is over the limit, and never more than MAX_FILE_BYTES + 1 bytes are read, even from a file that grows."""
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.EMLINK):  # Linux and macOS say ELOOP, FreeBSD EMLINK
            return None, [Problem(source, None, "", *SYMLINK_MESSAGE)]
        return None, [Problem(source, None, "", f"cannot be read: {exc.strerror or exc}",
                              "check the file's permissions")]
    try:
        info = os.fstat(fd)
        wrong = kind_problem(source, info.st_mode)
        if wrong:
            return None, [wrong]
        if info.st_size > MAX_FILE_BYTES:
            return None, [_over_limit(source, info.st_size)]
        raw = _read_at_most(fd, max(info.st_size + 1, 4096))
    except OSError as exc:
        return None, [Problem(source, None, "", f"cannot be read: {exc.strerror or exc}")]
    finally:
        os.close(fd)
    if raw is None:
        return None, [_over_limit(source, None)]
    return read_text(raw, source)


def _read_at_most(fd: int, chunk: int) -> bytes | None:
    """The file's bytes, or None past MAX_FILE_BYTES (reading MAX_FILE_BYTES + 1 at most)."""
    limit = MAX_FILE_BYTES + 1
    parts, total = [], 0
    while total < limit:
        part = os.read(fd, min(chunk, limit - total))
        if not part:
            break
        parts.append(part)
        total += len(part)
    return None if total > MAX_FILE_BYTES else b"".join(parts)


def read_text(raw: bytes, source: str) -> tuple[str | None, list[Problem]]:
    """Decode a content file's bytes, refusing oversized files and bytes that are not UTF-8. Line endings become
    plain line feeds (CRLF, as Windows editors save, counts as one line, as YAML counts it)."""
    if len(raw) > MAX_FILE_BYTES:
        return None, [_over_limit(source, len(raw))]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [Problem(source, line, "", f"not valid UTF-8 (byte 0x{raw[exc.start]:02x})",
                              "save the file with UTF-8 encoding")]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.removeprefix("\ufeff"), []
