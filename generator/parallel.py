"""Per-study work shared between processes when a map is large.

Loading a study file and rendering its page do not depend on the other studies being done, so a big map's studies
are cut into chunks and forked worker processes take chunks from a shared counter while this process does the rest
of the build; then this process takes what is left and collects the workers' results, in order. The output is the
same as from a serial run (the tests compare them).

Forking is only done when it is safe and worth it: on Linux, with no other thread running (under
`mkdocs serve` the server's threads are running, so its rebuilds stay serial), and for at least MIN_ITEMS items.
EVIDENCE_MAP_JOBS sets the number of processes (1: never fork); the default is the number of usable CPUs.
A worker that fails for any reason costs time, not correctness: its chunks are done again here, where an error is
raised with its usual traceback.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import shutil
import sys
import tempfile
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MIN_ITEMS = 200
"""Below this many items, forking costs more than it saves (a fork and the results' trip back take ~10 ms)."""
SCRATCH_ROOM = 1 << 30
"""Free memory /dev/shm must have for the workers' results to go there (10,000 studies' pages are about 100 MB)."""
CHUNK = 50
"""Items per chunk: small enough to share the work evenly, large enough that taking a chunk costs nothing."""


def jobs() -> int:
    """How many processes may work at once: EVIDENCE_MAP_JOBS, else the CPUs this process may use."""
    value = os.environ.get("EVIDENCE_MAP_JOBS", "").strip()
    if value:
        try:
            return max(1, int(value))
        except ValueError:
            raise ValueError(f"EVIDENCE_MAP_JOBS must be a whole number, not {value!r}") from None
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    """On Linux, and with no other thread running: forking a process that runs other threads can copy a lock one of
    them holds, and hang the child (and macOS's system libraries are not safe to use in a forked child)."""
    return sys.platform.startswith("linux") and threading.active_count() == 1


def _scratch() -> str | None:
    """Where workers leave their results: memory (/dev/shm) when it has room (writing there took a third of the
    time it took on disk here), else the usual temporary folder (a container's /dev/shm is often 64 MB)."""
    try:
        stat = os.statvfs("/dev/shm")
    except OSError:
        return None
    return "/dev/shm" if stat.f_bavail * stat.f_frsize >= SCRATCH_ROOM else None


class Split(Generic[T, R]):
    """fn applied to every item, shared with forked workers. Start it, do other work, then call results().
    `fork` says whether it is worth forking (default: for MIN_ITEMS items or more).

    A worker writes each chunk's results to a file of its own in a temporary folder as soon as the chunk is done, so
    that passing them back overlaps the work (through a pipe, the results of 10,000 study pages took 0.6 s to pass
    back after the work was over); this process reads them between its own chunks and once the workers have finished.
    The folder is made for the build by tempfile.mkdtemp (only its user may read or write it) and removed after."""

    def __init__(self, fn: Callable[[Sequence[T]], list[R]], items: Sequence[T], *,
                 workers: int | None = None, chunk: int = CHUNK, fork: bool | None = None) -> None:
        self.fn, self.items, self.chunk = fn, items, chunk
        self.count = -(-len(items) // chunk)
        self.done: dict[int, list[R]] = {}
        self.workers: list[Any] = []
        self.folder: Path | None = None
        self.next: Any = None
        helpers = (jobs() if workers is None else workers) - 1
        worth = len(items) >= MIN_ITEMS if fork is None else fork
        if helpers < 1 or not worth or self.count < 2 or not can_fork():
            return
        context = multiprocessing.get_context("fork")
        self.next = context.Value("q", 0)  # the next chunk nobody has taken; shared, with a lock
        self.folder = Path(tempfile.mkdtemp(prefix="evidence-map-", dir=_scratch()))
        # Python's advice for fork without exec: freeze what exists, so that no garbage collection (here or in a
        # worker) walks the objects the two share, writing to them and so copying every page they are on.
        gc.freeze()
        try:
            for _ in range(min(helpers, self.count - 1)):
                process = context.Process(target=self._work, daemon=True)
                process.start()
                self.workers.append(process)
        except OSError:  # no fork now (memory, a process limit): the workers started, or this process alone
            pass
        if not self.workers:
            gc.unfreeze()
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = self.next = None

    def _take(self) -> int | None:
        if self.next is None:
            return None
        with self.next.get_lock():
            k = self.next.value
            if k >= self.count:
                return None
            self.next.value = k + 1
        return k

    def _run(self, k: int) -> list[R]:
        return self.fn(self.items[k * self.chunk:(k + 1) * self.chunk])

    def _file(self, k: int) -> Path:
        return (self.folder or Path()) / f"{k}.pickle"

    def _work(self) -> None:  # in a worker
        parent = os.getppid()
        try:
            while os.getppid() == parent and (k := self._take()) is not None:
                result = self._run(k)
                part = self._file(k).with_suffix(".part")
                with part.open("wb") as out:
                    pickle.dump(result, out, protocol=pickle.HIGHEST_PROTOCOL)
                part.replace(self._file(k))  # whole, or not there at all
        except BaseException:  # noqa: BLE001, S110 - the parent does this chunk again and raises there
            pass
        if os.getppid() != parent and self.folder is not None:  # the build was killed: nobody will read or remove
            shutil.rmtree(self.folder, ignore_errors=True)     # the results

    def results(self) -> list[R]:
        """Every item's result, in the items' order."""
        try:
            while (k := self._take()) is not None:
                self.done[k] = self._run(k)
                self._collect()  # between chunks, so that the workers take more of them while this reads
            for process in self.workers:
                process.join()
            self._collect()
            out: list[R] = []
            for k in range(self.count):
                out.extend(self.done[k] if k in self.done else self._result(k))
            return out
        finally:
            for process in self.workers:  # left running only if this process failed
                process.terminate()
                process.join()
            if self.workers:
                self.workers.clear()
                gc.unfreeze()
            if self.folder is not None:
                shutil.rmtree(self.folder, ignore_errors=True)

    def _collect(self) -> None:
        """Read the results that workers have finished."""
        if self.folder is None:
            return
        for entry in os.scandir(self.folder):
            if entry.name.endswith(".pickle"):
                k = int(entry.name.removesuffix(".pickle"))
                self.done[k] = self._result(k)
                os.unlink(entry.path)

    def _result(self, k: int) -> list[R]:
        """A chunk's results from the worker that took it, or done here: when none was forked, or the worker failed
        or died."""
        if self.folder is None:
            return self._run(k)
        try:
            with self._file(k).open("rb") as saved:
                return pickle.load(saved)
        except (OSError, EOFError, pickle.UnpicklingError):
            return self._run(k)
