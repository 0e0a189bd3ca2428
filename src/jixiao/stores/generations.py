"""An on-disk store written a generation at a time: built beside it, then switched in by one rename.

For a store folder `DIR`, every write builds the next generation in a hidden folder beside it,
`.DIR.jixiao-build-PID-N` (from a checkpoint of `DIR`: hard links to RocksDB's immutable files,
so starting costs nothing and the store in use is never touched), renames it to
`.DIR.jixiao-ready` once complete, and exchanges it with `DIR` in one atomic step
(`renameat2(RENAME_EXCHANGE)` on Linux; elsewhere two renames, with `ready` rolled forward by the
next open if a crash falls between them). Then the old generation is deleted.

Only one process writes at a time: it holds `.DIR.jixiao-lock` (flock) from open to close.
So a process killed at any moment leaves `DIR` as it was or as the write made it, plus at most a
hidden leftover folder that the next write deletes; no query ever sees a half-written store.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import fcntl
import itertools
import os
import shutil
from pathlib import Path

_counter = itertools.count()
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _sibling(store: Path, role: str) -> Path:
    return store.parent / f".{store.name}.jixiao-{role}"


def holds_store(path: Path) -> bool:
    """Whether `path` is a store already (RocksDB writes CURRENT when it creates a database)."""
    return (path / "CURRENT").is_file()


def build_directory(store: Path) -> Path:
    """A fresh folder name beside the store for the next generation (not created: the checkpoint or the new store makes it)."""
    store.parent.mkdir(parents=True, exist_ok=True)
    return _sibling(store, f"build-{os.getpid()}-{next(_counter)}")


def recover(store: Path) -> None:
    """Finish a switch a crash cut between its two renames (only where RENAME_EXCHANGE is missing)."""
    ready = _sibling(store, "ready")
    if holds_store(store) or not holds_store(ready):
        return
    with contextlib.suppress(OSError):
        if store.is_dir():
            store.rmdir()  # an empty folder the user made for the store
        os.rename(ready, store)


def remove_stale(store: Path) -> None:
    """Delete what writes killed before their switch left beside the store (called while holding the writer's lock)."""
    for leftover in store.parent.glob(f".{store.name}.jixiao-*"):
        if leftover != _sibling(store, "lock"):
            discard(leftover)


def lock(store: Path) -> int:
    """Take the store's writer lock (a file beside it, so that it also guards a store not made yet); its descriptor.

    Raises BlockingIOError when another process writes to the store. The lock goes with the
    process, so a killed writer never leaves the store locked.
    """
    store.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(_sibling(store, "lock"), os.O_CREAT | os.O_RDWR, 0o644)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BaseException:
        os.close(descriptor)
        raise
    return descriptor


def unlock(descriptor: int) -> None:
    os.close(descriptor)  # closing the last descriptor releases the flock


def discard(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)


def switch(build: Path, store: Path) -> None:
    """Make the finished generation `build` the store, atomically; delete the old generation."""
    ready = _sibling(store, "ready")
    discard(ready)
    os.rename(build, ready)
    if not store.exists():
        os.rename(ready, store)
        return
    if _exchange(ready, store):
        discard(ready)  # now the old generation
        return
    old = _sibling(store, f"old-{os.getpid()}")
    os.rename(store, old)
    os.rename(ready, store)  # a crash just before this is finished by recover()
    discard(old)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one atomic step (Linux renameat2); False where the system cannot."""
    libc_name = ctypes.util.find_library("c")
    if libc_name is None:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False  # this file system (or kernel) cannot exchange: two renames instead
    raise OSError(code, f"cannot switch {first} in as {second}: {os.strerror(code)}")
