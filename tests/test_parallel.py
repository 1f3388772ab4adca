"""Work shared between processes (generator/parallel.py): a large map is loaded and rendered by forked workers and
this process together, with the same result as one process; a worker that fails costs time, not output; and no
process is forked while another thread runs (as under `mkdocs serve`, or in this test session once a server
thread has started: so the tests that fork run in a fresh process of their own)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from conftest import ROOT
from generator import parallel
from generator.parallel import Split

sys.path.insert(0, str(ROOT / "benchmarks"))
from synth import write_review  # noqa: E402

HELPERS = """
import json, os, sys, time
from generator.parallel import Split

def tagged(items):
    # each item with the process that did it (a chunk takes a while, as rendering fifty pages does)
    time.sleep(0.005)
    return [(item, os.getpid()) for item in items]
"""


def in_fresh_process(code: str, **env: str) -> object:
    """Run `code` (after HELPERS) in a new single-threaded Python process; returns what it prints as JSON."""
    result = subprocess.run([sys.executable, "-c", HELPERS + textwrap.dedent(code)], cwd=ROOT, text=True,
                            capture_output=True, env={**os.environ, "PYTHONPATH": str(ROOT), **env}, timeout=300)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def tagged(items):
    return [(item, os.getpid()) for item in items]


def test_forked_workers_share_the_work_and_results_keep_their_order():
    out = in_fresh_process("""
        results = Split(tagged, list(range(1000)), workers=2, chunk=10, fork=True).results()
        print(json.dumps({"items": [i for i, _ in results], "pids": sorted({p for _, p in results}), "me": os.getpid()}))
    """)
    assert out["items"] == list(range(1000))
    assert len(out["pids"]) == 2 and out["me"] in out["pids"], "a worker and this process both took chunks"


def test_a_worker_that_fails_or_dies_costs_time_not_results():
    out = in_fresh_process("""
        me = os.getpid()

        def fails(items):
            if os.getpid() != me:
                raise RuntimeError("a worker fails")
            return tagged(items)

        def dies(items):
            if os.getpid() != me:
                os._exit(3)
            return tagged(items)

        print(json.dumps([[i for i, p in Split(fn, list(range(500)), workers=2, chunk=10, fork=True).results()
                           if p == me] for fn in (fails, dies)]))
    """)
    assert out == [list(range(500)), list(range(500))]


def test_an_error_is_raised_here_with_its_own_type():
    out = in_fresh_process("""
        def broken(items):
            raise KeyError("missing")

        try:
            Split(broken, list(range(500)), workers=2, chunk=10, fork=True).results()
        except KeyError as exc:
            print(json.dumps(str(exc)))
    """)
    assert out == "'missing'"


def test_no_fork_while_another_thread_runs():
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not parallel.can_fork()
        results = Split(tagged, list(range(1000)), workers=2, chunk=10, fork=True).results()
    finally:
        stop.set()
        thread.join()
    assert [i for i, _ in results] == list(range(1000))
    assert {pid for _, pid in results} == {os.getpid()}


def test_small_inputs_and_one_job_stay_in_this_process(monkeypatch):
    out = in_fresh_process("""
        small = Split(tagged, list(range(199)), workers=2).results()
        one = Split(tagged, list(range(1000)), chunk=10, fork=True).results()
        print(json.dumps([sorted({p for _, p in r}) == [os.getpid()] for r in (small, one)]))
    """, EVIDENCE_MAP_JOBS="1")
    assert parallel.MIN_ITEMS == 200 and out == [True, True]
    monkeypatch.setenv("EVIDENCE_MAP_JOBS", "1")
    assert parallel.jobs() == 1
    monkeypatch.setenv("EVIDENCE_MAP_JOBS", "two")
    with pytest.raises(ValueError, match="EVIDENCE_MAP_JOBS must be a whole number, not 'two'"):
        parallel.jobs()


@pytest.fixture(scope="module")
def big_content(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("parallel") / "content"
    write_review(folder, parallel.MIN_ITEMS + 50)
    return folder


GENERATE = """
import hashlib
from pathlib import Path
from generator import parallel
from generator.content import load_map
from generator.problems import ContentError
from generator.render import SiteRenderer

forked = []
start = parallel.Split.__init__
def counting(self, *args, **kwargs):
    start(self, *args, **kwargs)
    forked.append(len(self.workers))
parallel.Split.__init__ = counting

try:
    emap = load_map(Path(sys.argv[1]))
except ContentError as exc:
    print(json.dumps({"problems": [str(p) for p in exc.problems], "workers": forked}))
    sys.exit(0)
pages = SiteRenderer(emap).pages()
print(json.dumps({"map": hashlib.sha256(repr(emap).encode()).hexdigest(), "order": list(pages),
                  "pages": {k: hashlib.sha256(v.encode()).hexdigest() for k, v in pages.items()}, "workers": forked}))
"""


def generate(content: Path, jobs: int) -> dict:
    result = subprocess.run([sys.executable, "-c", "import json, sys\n" + GENERATE, str(content)], cwd=ROOT,
                            text=True, capture_output=True, timeout=300,
                            env={**os.environ, "PYTHONPATH": str(ROOT), "EVIDENCE_MAP_JOBS": str(jobs)})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_a_large_map_is_the_same_from_two_processes_as_from_one(big_content):
    one, two = generate(big_content, 1), generate(big_content, 2)
    assert one["workers"] == [0, 0, 0] and two["workers"] == [1, 1, 1], "loading, rendering, themes: one worker each"
    assert two["map"] == one["map"]
    assert two["order"] == one["order"], "the pages come in the same order"
    assert two["pages"] == one["pages"]


def test_problems_found_by_workers_are_all_reported(big_content, tmp_path):
    import shutil

    content = tmp_path / "content"
    shutil.copytree(big_content, content)
    studies = sorted((content / "studies").glob("*.yml"))
    for path in (studies[3], studies[-3]):  # an early file and a late one, in different chunks
        path.write_text(path.read_text(encoding="utf-8").replace("\nyear: ", "\nyear: about ", 1), encoding="utf-8")
    out = generate(content, 2)
    assert out["workers"] == [1]
    assert len(out["problems"]) == 2, out["problems"]
    for path, message in zip((studies[3], studies[-3]), out["problems"], strict=True):
        assert path.name in message and ": year:" in message


def test_when_no_worker_can_be_forked_this_process_does_it_all():
    out = in_fresh_process("""
        import multiprocessing.process

        def refuse(self):
            raise OSError(11, "Resource temporarily unavailable")

        import tempfile

        def scratch():
            return {os.path.join(d, n) for d in ("/dev/shm", tempfile.gettempdir()) if os.path.isdir(d)
                    for n in os.listdir(d) if n.startswith("evidence-map-")}

        multiprocessing.process.BaseProcess.start = refuse
        before = scratch()
        results = Split(tagged, list(range(500)), workers=2, chunk=10, fork=True).results()
        print(json.dumps([[i for i, _ in results] == list(range(500)), sorted({p for _, p in results}) == [os.getpid()],
                          sorted(scratch() - before)]))
    """)
    assert out == [True, True, []], "all done here, and no temporary folder left behind"


def test_workers_of_a_killed_build_stop_and_remove_their_results():
    code = HELPERS + textwrap.dedent("""
        import time
        from generator import parallel

        def slow(items):
            time.sleep(0.05)
            return items

        split = Split(slow, list(range(2000)), workers=2, chunk=10, fork=True)
        print(split.folder, flush=True)
        split.results()
    """)
    build = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, text=True, stdout=subprocess.PIPE,
                             env={**os.environ, "PYTHONPATH": str(ROOT)})
    folder = Path(build.stdout.readline().strip())
    assert folder.is_dir()
    time.sleep(0.5)
    build.kill()  # as the kernel's out-of-memory killer or a CI timeout would
    build.wait()
    for _ in range(50):
        if not folder.exists():
            break
        time.sleep(0.1)
    assert not folder.exists(), "the worker noticed and removed the results nobody would read"
