"""Per-study work shared between processes when a map is large.

Loading a study file and rendering its page do not depend on the other studies being done, so a big map's studies
are cut into chunks and forked worker processes take chunks from a shared counter while this process does the rest
of the build; then this process takes what is left and collects the workers' results, in order. The output is the
same as from a serial run (the tests compare them).

Forking is only done when it is safe and worth it: on a platform that forks, with no other thread running (under
`mkdocs serve` the server's threads are running, so its rebuilds stay serial), and for at least MIN_ITEMS items.
EVIDENCE_MAP_JOBS sets the number of processes (1: never fork); the default is the number of usable CPUs.
A worker that fails for any reason costs time, not correctness: its chunks are done again here, where an error is
raised with its usual traceback.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MIN_ITEMS = 200
"""Below this many items, forking costs more than it saves (a fork and the results' trip back take ~10 ms)."""
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
    """Forking a process that runs other threads can copy a lock one of them holds, and hang the child."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


class Split(Generic[T, R]):
    """fn applied to every item, shared with forked workers. Start it, do other work, then call results().
    `fork` says whether it is worth forking (default: for MIN_ITEMS items or more)."""

    def __init__(self, fn: Callable[[Sequence[T]], list[R]], items: Sequence[T], *,
                 workers: int | None = None, chunk: int = CHUNK, fork: bool | None = None) -> None:
        self.fn, self.items, self.chunk = fn, items, chunk
        self.count = -(-len(items) // chunk)
        self.done: dict[int, list[R]] = {}
        self.workers: list[tuple[Any, Any]] = []
        helpers = (jobs() if workers is None else workers) - 1
        worth = len(items) >= MIN_ITEMS if fork is None else fork
        if helpers < 1 or not worth or self.count < 2 or not can_fork():
            self.next = None
            return
        context = multiprocessing.get_context("fork")
        self.next = context.Value("q", 0)  # the next chunk nobody has taken; shared, with a lock
        for _ in range(min(helpers, self.count - 1)):
            receive, send = context.Pipe(duplex=False)
            process = context.Process(target=self._work, args=(send,), daemon=True)
            process.start()
            send.close()
            self.workers.append((process, receive))

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

    def _work(self, send: Any) -> None:  # in a worker
        done: dict[int, list[R]] = {}
        try:
            while (k := self._take()) is not None:
                done[k] = self._run(k)
        except BaseException:  # noqa: BLE001 - the parent does these chunks again and raises there
            pass
        send.send(done)
        send.close()

    def results(self) -> list[R]:
        """Every item's result, in the items' order."""
        while (k := self._take()) is not None:
            self.done[k] = self._run(k)
        for process, receive in self.workers:
            try:
                self.done.update(receive.recv())
            except (EOFError, OSError):  # the worker died: its chunks are missing and done below
                pass
            process.join()
        self.workers.clear()
        out: list[R] = []
        for k in range(self.count):
            out.extend(self.done[k] if k in self.done else self._run(k))
        return out
