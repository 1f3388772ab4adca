"""When each content file entered the map and when it changed, and which version the map is, from git.

One `git log` over content/ gives every file's first and last commit. Dates come from commits, so two builds of the
same commit are identical. Without a full history — a downloaded archive, a shallow clone, no git at all — every
date is unknown (None), and pages say so; nothing fails.

Commit dates are whatever the committer's clock (or a contributor) said. A date before EARLIEST or more than a day
after the build is ignored, with a warning naming the commit and its files: the file's other commits give its dates.
The build's date is SOURCE_DATE_EPOCH when set (so that a later build of the same commit ignores the same dates),
but never later than the clock: SOURCE_DATE_EPOCH is itself taken from a commit.

The map's version is the newest tag `v*` the commit built descends from (`git describe`), with the number of commits
since it; without a tag (or history) it is unknown here, and review.yml's `release.version` is used instead.
"""

from __future__ import annotations

import datetime as _dt
import os
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..outputs.currency import Version

EARLIEST = _dt.datetime(2000, 1, 1, tzinfo=_dt.UTC)
"""No evidence map's history starts before this (git itself is from 2005; other version control systems' history
imported into git keeps its dates)."""
LEEWAY = 24 * 3600
"""Seconds a commit may be dated after the build: committers' clocks are not exact."""


@dataclass(frozen=True)
class Dates:
    added: _dt.datetime
    changed: _dt.datetime
    commits: tuple[_dt.datetime, ...] = field(default=(), compare=False)
    """Every commit that changed the file, newest first (`changed` first, `added` last): a theme's feed lists each
    revision of its synthesis."""


def _git(root: Path, *args: str) -> str | None:
    try:
        proc = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return proc.stdout if proc.returncode == 0 else None


def build_time() -> float:
    """Now, for the build: SOURCE_DATE_EPOCH when it is set and not in the future."""
    now = time.time()
    try:
        return min(now, int(os.environ["SOURCE_DATE_EPOCH"]))
    except (KeyError, ValueError):
        return now


def file_dates(root: Path, folder: Path, now: float | None = None) -> tuple[dict[str, Dates], list[str]]:
    """{path relative to root (posix): Dates} for every file under `folder` that git has history for, and a warning
    for each commit whose date was ignored (see the module's docstring)."""
    inside = _git(root, "rev-parse", "--is-inside-work-tree", "--is-shallow-repository")
    if inside is None or inside.split() != ["true", "false"]:
        return {}, []
    top = _git(root, "rev-parse", "--show-toplevel")
    if top is None:
        return {}, []
    try:
        prefix = Path(root).resolve().relative_to(Path(top.strip()).resolve()).as_posix()
    except ValueError:
        return {}, []
    log = _git(root, "log", "--format=%x00%H %ct", "--name-only", "--no-renames", "--", str(folder))
    if log is None:
        return {}, []
    latest = int(build_time() if now is None else now) + LEEWAY
    seen: dict[str, list[_dt.datetime]] = {}
    warnings: list[str] = []
    for chunk in log.split("\x00")[1:]:
        lines = [line for line in chunk.splitlines() if line.strip()]
        if not lines:
            continue
        commit, _, stamp = lines[0].partition(" ")
        paths = [name[len(prefix) + 1:] if prefix not in ("", ".") and name.startswith(prefix + "/") else name
                 for name in lines[1:]]
        try:
            seconds = int(stamp)
        except ValueError:
            continue
        if not EARLIEST.timestamp() <= seconds <= latest:
            if paths:
                warnings.append(_ignored(commit, seconds, paths, latest))
            continue
        when = _dt.datetime.fromtimestamp(seconds, _dt.UTC)
        for path in paths:
            seen.setdefault(path, []).append(when)  # newest first
    return {path: Dates(added=times[-1], changed=times[0], commits=tuple(times)) for path, times in seen.items()}, \
        warnings


TAG_PATTERN = "v[0-9]*"
"""The tags that name a version of the map (v1, v1.2, v2024.03): the release workflow runs on these."""


def git_version(root: Path, now: float | None = None) -> Version | None:
    """The version the commit at `root` is: the newest tag matching TAG_PATTERN it descends from, the commits made
    since that tag, and the commit's date (None if git's date is out of range, as for file dates). None without git,
    without a full history (a shallow clone may lack the tag's commit), or without such a tag."""
    inside = _git(root, "rev-parse", "--is-inside-work-tree", "--is-shallow-repository")
    if inside is None or inside.split() != ["true", "false"]:
        return None
    described = _git(root, "describe", "--tags", "--long", "--match", TAG_PATTERN, "HEAD")
    stamp = _git(root, "log", "-1", "--format=%ct", "HEAD")
    if not described:
        return None
    tag, later, _ = described.strip().rsplit("-", 2)  # v1.2-3-gabc1234: the tag may hold hyphens itself
    latest = int(build_time() if now is None else now) + LEEWAY
    try:
        seconds = int((stamp or "").strip())
    except ValueError:
        seconds = -1
    date = _dt.datetime.fromtimestamp(seconds, _dt.UTC).date() if EARLIEST.timestamp() <= seconds <= latest else None
    return Version(label=tag[1:], tag=tag, later=int(later), date=date, source="git")


def _ignored(commit: str, seconds: int, paths: list[str], latest: int) -> str:
    try:
        dated = f"dated {_dt.datetime.fromtimestamp(seconds, _dt.UTC):%Y-%m-%d}"
    except (ValueError, OverflowError, OSError):  # beyond the year 9999
        dated = f"dated in the year {1970 + seconds // 31_556_952}"
    if seconds < EARLIEST.timestamp():
        why = f"before {EARLIEST:%Y-%m-%d}"
    else:
        why = f"after the build ({_dt.datetime.fromtimestamp(latest - LEEWAY, _dt.UTC):%Y-%m-%d})"
    files = ", ".join(paths[:3]) + (f" and {len(paths) - 3} more" if len(paths) > 3 else "")
    return (f"{files}: warning: commit {commit[:12]} is {dated}, {why}: its date is ignored (hint: the committer's "
            "clock was wrong; the files' other commits give their dates)")
