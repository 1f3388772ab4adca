"""The `build` command's site folder: MkDocs builds into a fresh folder beside it, which replaces it only when the
build succeeds. Builds into one folder wait for each other; what a killed build left is cleaned up; a folder that is
(or holds, or is inside) the sources is refused, since the build replaces its folder whole. And the `serve` command:
MkDocs' server, on an address checked first."""

from __future__ import annotations

import errno
import glob
import ipaddress
import os
import shutil
import socket
import stat
import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO


def run_mkdocs(argv: list[str], failed: str = "Build failed",
               cannot: Callable[[OSError], str] = lambda exc: f"Cannot build: {reason(exc)}") -> int:
    import click
    from mkdocs.__main__ import cli  # imported here: `validate` works without the publisher

    try:
        cli.main(args=argv, prog_name="mkdocs", standalone_mode=False)
    except SystemExit as exc:  # mkdocs' Abort too: its messages are already printed
        return exc.code if isinstance(exc.code, int) else int(exc.code is not None)
    except click.ClickException as exc:
        print(f"{failed}: {exc.format_message()}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(cannot(exc), file=sys.stderr)
        return 1
    except Exception as exc:
        traceback.print_exc()
        print(f"Unexpected error: {type(exc).__name__}: {exc} (a bug in the generator, not a mistake in the content: "
              "please report it with the output above)", file=sys.stderr)
        return 1
    return 0


def serve(config: str, dev_addr: str) -> int:
    """`mkdocs serve`, once the address is known to be free (MkDocs takes it only after the first build, which can
    take minutes, and then says only 'Address already in use'). Not strict, whatever mkdocs.yml says: a warning is
    printed, not a reason to stop the preview (the strict `build` and the pull-request check still refuse it); and
    content problems are shown in the browser (see mkdocs_plugin.py)."""
    refused = address_refusal(dev_addr)
    if refused:
        print(f"Cannot serve: {refused}", file=sys.stderr)
        return 1
    return run_mkdocs(["serve", "--no-strict", "--config-file", config, "--dev-addr", dev_addr],
                      failed="Cannot serve", cannot=lambda exc: f"Cannot serve: {_bind_problem(exc, dev_addr)}")


def address_refusal(dev_addr: str) -> str | None:
    """Why `serve` cannot listen on dev_addr (IP:PORT, or localhost:PORT, as MkDocs takes it), if it cannot: bound
    here as MkDocs' server binds it (the address family of the IP, SO_REUSEADDR), then let go."""
    host, _, port = dev_addr.rpartition(":")
    bare = host.removeprefix("[").removesuffix("]")
    try:
        if not port.isdigit() or int(port) > 65535:
            raise ValueError
        family = socket.AF_INET if bare == "localhost" else {4: socket.AF_INET, 6: socket.AF_INET6}[
            ipaddress.ip_address(bare).version]
    except ValueError:
        return (f"'{dev_addr}' is not an IP address and a port (hint: --dev-addr 127.0.0.1:8000, or another port "
                "after the colon)")
    try:
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((bare, int(port)))
    except OSError as exc:
        return _bind_problem(exc, dev_addr)
    return None


def _bind_problem(exc: OSError, dev_addr: str) -> str:
    host, _, port = dev_addr.rpartition(":")
    other = f"{host}:{int(port) + 1 if port.isdigit() and int(port) < 65535 else 8000}"
    if exc.errno == errno.EADDRINUSE:
        return (f"{dev_addr} is in use (hint: stop the other preview, or choose another address: "
                f"--dev-addr {other})")
    if exc.errno == errno.EADDRNOTAVAIL:
        return f"{host} is not an address of this computer (hint: --dev-addr 127.0.0.1:{port})"
    if exc.errno == errno.EACCES:
        return (f"{dev_addr} needs administrator rights, as every port below 1024 does (hint: choose another "
                f"address: --dev-addr {host}:8000)")
    return f"{dev_addr}: {exc.strerror or exc} (hint: choose another address: --dev-addr 127.0.0.1:8000)"


class Refused(Exception):
    """A build step that cannot be done: the message says what and why."""


def reason(exc: OSError) -> str:
    return f"{exc.strerror}: '{exc.filename}'" if exc.filename else (exc.strerror or str(exc))


@contextmanager
def _step(what: str, hint: str) -> Iterator[None]:
    try:
        yield
    except OSError as exc:
        raise Refused(f"Cannot {what}: {reason(exc)} (hint: {hint})") from None


def build(config: str, site_dir: str) -> int:
    """`mkdocs build --strict` into a fresh folder beside the site, swapped in only when the build succeeds:
    a failed build leaves the previous site exactly as it was. Builds into one site wait for each other (a lock
    beside it), and the next build removes what a killed one left."""
    shown = site_dir.rstrip("/") or "/"
    site = Path(site_dir).resolve()
    refused = refusal(site, shown, Path(config))
    if refused:
        print(f"Build refused: {refused}", file=sys.stderr)
        return 1
    code = 1
    try:
        with _step(f"make the folder for {shown}", "check the --site-dir path and the permissions of its folders"):
            site.parent.mkdir(parents=True, exist_ok=True)
            lock = open(site.parent / f".{site.name}.lock", "a")  # held for the whole build
        with lock:
            _wait_for(lock, shown)
            _clean_after_killed_builds(site)
            staging = site.with_name(f".{site.name}-building-{os.getpid()}")
            with _step(f"make the build folder beside {shown}", "check the permissions of the folder it is in"):
                staging.mkdir()  # with the umask's permissions, as MkDocs makes a site folder
            try:
                code = run_mkdocs(["build", "--strict", "--config-file", config, "--site-dir", str(staging)])
                if code != 0:
                    raise Refused()
                _swap(staging, site, shown)
            finally:
                if staging.exists():
                    shutil.rmtree(staging, ignore_errors=True)
    except Refused as exc:
        if exc.args:
            print(exc.args[0], file=sys.stderr)
        print(f"Build failed: {shown}/ is unchanged", file=sys.stderr)
        return code or 1
    print(f"The site is in {shown}/", file=sys.stderr)
    return 0


def refusal(site: Path, shown: str, config: Path) -> str | None:
    """Why `site` cannot be a site folder, which the build replaces whole: it is, holds or is inside the sources, or
    it exists and is not a site built before. (MkDocs' own check sees only the build's fresh folder.)"""
    found = in_sources(site, shown, config, "the build replaces its site folder whole (hint: choose a folder of its "
                       "own outside the sources, e.g. --site-dir site)")
    if found:
        return found
    try:
        if site.exists() and not site.is_dir():
            return f"{shown} is a file, not a folder (hint: choose another --site-dir)"
        if site.is_dir() and any(site.iterdir()) and not (site / "index.html").is_file():
            return (f"{shown} is a folder that does not look like a built site (no index.html); the build replaces "
                    "its site folder whole (hint: choose another folder, or remove this one yourself)")
    except OSError as exc:
        return f"cannot look into {shown}: {reason(exc)} (hint: check its permissions)"
    return None


def in_sources(target: Path, shown: str, config: Path, why: str) -> str | None:
    """Whether `target` (resolved) is, holds or is inside the project's sources, and if so which, and `why` not."""
    root = config.resolve().parent
    sources = [("the project folder", root), ("the docs folder", (root / _docs_dir(config)).resolve()),
               ("the content folder", (root / "content").resolve()),
               ("the generator's code", (root / "generator").resolve()),
               ("the generator's code", Path(__file__).resolve().parent.parent), ("the git repository", root / ".git")]
    for what, source in sources:
        if target == source:
            how = "is"
        elif source.is_relative_to(target):
            how = "holds"
        elif source != root and target.is_relative_to(source):
            how = "is inside"
        else:
            continue
        return f"{shown} {how} {what}; {why}"
    return None


def _docs_dir(config: Path) -> str:
    """docs_dir from mkdocs.yml (MkDocs reports a config it cannot read; the default stands in until then)."""
    from mkdocs.exceptions import ConfigurationError
    from mkdocs.utils.yaml import yaml_load
    from yaml import YAMLError

    try:
        with config.open(encoding="utf-8") as file:
            settings = yaml_load(file)
    except (OSError, UnicodeDecodeError, YAMLError, ConfigurationError):
        return "docs"
    value = settings.get("docs_dir", "docs") if isinstance(settings, dict) else "docs"
    return value if isinstance(value, str) else "docs"


def _wait_for(lock: IO[str], shown: str) -> None:
    try:
        import fcntl  # not on Windows, where builds are not serialised (validate and the rest still work)
    except ImportError:  # pragma: no cover - Windows
        return
    with _step(f"lock {lock.name}", "is the folder on a file system without locks? build elsewhere"):
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"Waiting for another build into {shown}/ to finish...", file=sys.stderr)
            fcntl.flock(lock, fcntl.LOCK_EX)


def _clean_after_killed_builds(site: Path) -> None:
    """Folders a killed build left beside the site. With the lock held no build is using them; a previous site
    that a build killed while swapping had moved aside is put back."""
    name = glob.escape(site.name)
    building = sorted(site.parent.glob(f".{name}-building-*"))
    old = sorted(site.parent.glob(f".{name}-old-*"), key=lambda p: p.stat().st_mtime)
    if old and not site.exists():
        with _step(f"put back the previous site from {old[-1].name}", "move it back to its place yourself"):
            old.pop().rename(site)
    for path in building + old:
        try:
            _remove_tree(path)
        except OSError as exc:
            print(f"Warning: cannot remove {path.name}, left by an interrupted build: {reason(exc)}",
                  file=sys.stderr)


def _swap(staging: Path, site: Path, shown: str) -> None:
    old = site.with_name(f".{site.name}-old-{os.getpid()}")
    moved = site.exists()
    if moved:
        with _step("move the previous site aside", f"check the permissions of {shown}/ and of the folder it is in"):
            site.rename(old)
    try:
        staging.rename(site)
    except OSError as exc:
        if moved:
            old.rename(site)
        raise Refused(f"Cannot put the new site in place: {reason(exc)} (hint: check the permissions of the "
                       f"folder {shown}/ is in)") from None
    if moved:
        try:
            _remove_tree(old)
        except OSError as exc:
            print(f"Warning: the previous site is left in {old.name}: {reason(exc)} (hint: remove it yourself; "
                  "the next build tries again)", file=sys.stderr)


def _remove_tree(path: Path) -> None:
    try:
        shutil.rmtree(path)
    except PermissionError:  # a read-only folder in it: its owner may open it up, then remove it
        _open_up(path)
        shutil.rmtree(path)


def _open_up(folder: Path) -> None:
    os.chmod(folder, stat.S_IRWXU)
    for entry in os.scandir(folder):
        if entry.is_dir(follow_symlinks=False):
            _open_up(Path(entry.path))
