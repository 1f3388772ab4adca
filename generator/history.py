"""When each content file entered the map and when it last changed, from git.

One `git log` over content/ gives every file's first and last commit. Dates come from commits, so two builds of the
same commit are identical. Without a full history — a downloaded archive, a shallow clone, no git at all — every
date is unknown (None), and pages say so; nothing fails.
"""

from __future__ import annotations

import datetime as _dt
import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Dates:
    added: _dt.datetime
    changed: _dt.datetime


def _git(root: Path, *args: str) -> str | None:
    try:
        proc = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return proc.stdout if proc.returncode == 0 else None


def file_dates(root: Path, folder: Path) -> dict[str, Dates]:
    """{path relative to root (posix): Dates} for every file under `folder` that git has history for."""
    inside = _git(root, "rev-parse", "--is-inside-work-tree", "--is-shallow-repository")
    if inside is None or inside.split() != ["true", "false"]:
        return {}
    top = _git(root, "rev-parse", "--show-toplevel")
    if top is None:
        return {}
    try:
        prefix = Path(root).resolve().relative_to(Path(top.strip()).resolve()).as_posix()
    except ValueError:
        return {}
    log = _git(root, "log", "--format=%x00%ct", "--name-only", "--no-renames", "--", str(folder))
    if log is None:
        return {}
    seen: dict[str, list[_dt.datetime]] = {}
    for chunk in log.split("\x00")[1:]:
        lines = [line for line in chunk.splitlines() if line.strip()]
        if not lines:
            continue
        when = _dt.datetime.fromtimestamp(int(lines[0]), _dt.UTC)
        for name in lines[1:]:
            path = name[len(prefix) + 1:] if prefix not in ("", ".") and name.startswith(prefix + "/") else name
            seen.setdefault(path, []).append(when)  # newest first
    return {path: Dates(added=times[-1], changed=times[0]) for path, times in seen.items()}
