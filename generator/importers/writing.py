"""Write an import's plan into content/: study files, theme files and review.yml together, or none of them."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from ..content.files import read_file

if TYPE_CHECKING:
    from .apply import Plan


def changes(plan: Plan) -> dict[str, str]:
    """Path inside content/ -> the text to write there."""
    out = {f"studies/{sid}.yml": text for sid, text in {**plan.added, **plan.updated, **plan.completed}.items()}
    out.update({f"themes/{tid}.md": text for tid, text in plan.themes.items()})
    if plan.review is not None:
        out["review.yml"] = plan.review
    return out


def write_plan(plan: Plan, content: Path) -> list[Path]:
    """Write every file of the plan, or none: each is written to a folder inside content/ first, then moved into
    place; if a move fails, or a file changed since the plan was made, the files already moved are put back as
    they were (and the new ones removed)."""
    todo = changes(plan)
    if not todo:
        return []
    content.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".import-", dir=content))
    done: list[tuple[Path, Path | None]] = []  # (target, its old text's copy or None when it is new)
    try:
        for n, text in enumerate(todo.values()):
            (staging / f"{n}.new").write_text(text, encoding="utf-8")
        for n, name in enumerate(todo):
            target = content / name
            target.parent.mkdir(parents=True, exist_ok=True)
            before = plan.originals.get(name)
            backup = None
            if before is None:
                if target.exists() or target.is_symlink():
                    raise FileExistsError(f"{target} appeared while importing: not overwritten")
            else:
                if read_file(target, str(target))[0] != before:  # read as planned: no link followed
                    raise FileExistsError(f"{target} changed while importing: not overwritten")
                backup = staging / f"{n}.old"
                shutil.copy2(target, backup)
            os.replace(staging / f"{n}.new", target)
            done.append((target, backup))
    except BaseException:
        for target, backup in reversed(done):
            if backup is None:
                target.unlink(missing_ok=True)
            else:
                os.replace(backup, target)
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [target for target, _ in done]
