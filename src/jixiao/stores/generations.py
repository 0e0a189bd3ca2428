"""An on-disk store written a generation at a time: built beside it, then switched in by one rename.

For a store folder `DIR`, every write builds the next generation in a hidden folder beside it,
`.DIR.jixiao-build-PID-N` (from a checkpoint of `DIR`: hard links to RocksDB's immutable files,
so starting costs nothing and the store in use is never touched), renames it to
`.DIR.jixiao-ready` once complete, and exchanges it with `DIR` in one atomic step
(`renameat2(RENAME_EXCHANGE)` on Linux; elsewhere two renames, with `ready` rolled forward by the
next open if a crash falls between them). Then the old generation is deleted, unless a reader
still has it open (see "Readers" below).

Only one process writes at a time: it holds `.DIR.jixiao-lock` (flock) from open to close. It
opens the current generation read-only and holds it as a reader does (below), takes the next
write's checkpoint from it, and opens RocksDB read-write only in its build folder: a generation
once switched in is never written again (RocksDB opened read-write writes a new manifest and log
into its folder and may compact it, deleting table files its readers have yet to open).
So a process killed at any moment leaves `DIR` as it was or as the write made it, plus at most a
hidden leftover folder that the next write deletes; no query ever sees a half-written store.

Readers (`hold_generation`): RocksDB opens a store's files by path, some only when a query first
needs them, so a reader must neither follow `DIR` to the next generation nor see its own deleted.
A reader opens the generation's folder, takes a shared flock on it, checks that `DIR` still is
that folder, and opens RocksDB through `/proc/self/fd/N` (the folder itself, wherever it is
renamed to). A write deletes an old generation only when it can take that flock exclusively;
otherwise it renames it `.DIR.jixiao-retired-PID-N`, and the next write, or the last reader of it
when it closes, deletes it. A flock goes with its process, so a crash on either side leaves at
most a retired folder that the next write or read deletes.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import fcntl
import itertools
import os
import re
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


_WRITE_AHEAD_LOG = re.compile(r"[0-9]+\.log")  # RocksDB's write-ahead log files (its info log is LOG)


def copy_write_ahead_logs(generation: str, checkpoint: Path) -> None:
    """Put a copy of the generation's write-ahead logs into a checkpoint taken of it read-only.

    A checkpoint (`Store.backup`) of a store opened read-only holds only what RocksDB's table files
    hold: a read-only store replays its logs into memory and cannot flush them (measured: a store
    killed with 500 quads written since its last flush read 1,501 quads, its checkpoint 1,000).
    jixiao flushes every generation before it is switched in, but a store last written in place
    (by an older jixiao, or killed after such a write) may hold quads in its logs only. RocksDB
    replays, when the checkpoint is opened read-write, what a log holds beyond the table files and
    skips logs already flushed, as after a crash. Copied, not linked: recovery may rewrite a log,
    and the generation's files must never change.
    """
    for entry in os.scandir(generation):
        if _WRITE_AHEAD_LOG.fullmatch(entry.name) and entry.is_file():
            shutil.copyfile(entry.path, checkpoint / entry.name)


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
            discard_unless_read(leftover)  # an old generation may still be read


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
    retire(store, ready)  # an old generation a crash left here may still be read
    os.rename(build, ready)
    if not store.exists():
        os.rename(ready, store)
        return
    if _exchange(ready, store):
        retire(store, ready)  # now the old generation
        return
    old = _sibling(store, f"old-{os.getpid()}")
    os.rename(store, old)
    os.rename(ready, store)  # a crash just before this is finished by recover()
    retire(store, old)


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


# ---- readers: a generation is deleted only when nobody reads it ------------------------------

_READ_HOLD_ATTEMPTS = 100  # each failed attempt means a write switched between two system calls


def _lock_folder(folder: Path, operation: int) -> int | None:
    """A descriptor of `folder` holding an flock (`operation`, never waiting); None when the folder is gone or the lock taken."""
    try:
        descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return None
    try:
        fcntl.flock(descriptor, operation | fcntl.LOCK_NB)
    except OSError:
        os.close(descriptor)
        return None
    return descriptor


def _same_folder(descriptor: int, path: Path) -> bool:
    try:
        named = os.stat(path)
    except OSError:
        return False
    held = os.fstat(descriptor)
    return (named.st_dev, named.st_ino) == (held.st_dev, held.st_ino)


def hold_generation(store: Path) -> int:
    """The store's current generation held for reading: a descriptor of its folder with a shared flock.

    Open RocksDB through `generation_path(descriptor)`, and release with `release_generation`
    after the store is closed. The exclusive flock is only ever taken on a generation that is no
    longer `store` (a write deleting it), so failing to get the shared one, or finding `store`
    renamed between the open and the lock, means a switch got in between: try again, it is over.
    """
    for _ in range(_READ_HOLD_ATTEMPTS):
        descriptor = _lock_folder(store, fcntl.LOCK_SH)
        if descriptor is not None and _same_folder(descriptor, store):
            return descriptor
        if descriptor is not None:
            os.close(descriptor)
        elif not store.is_dir():
            raise FileNotFoundError(errno.ENOENT, "no store", str(store))
    raise OSError(errno.EAGAIN, f"the store {store} kept changing while being opened")


def generation_path(descriptor: int) -> str:
    """A path that names the held folder itself, wherever a write renames it (Linux's /proc)."""
    return f"/proc/self/fd/{descriptor}"


def release_generation(store: Path, descriptor: int) -> None:
    """Let go of a held generation (after its RocksDB is closed), and delete old generations nobody reads any more."""
    os.close(descriptor)
    for retired in store.parent.glob(f".{store.name}.jixiao-retired-*"):
        discard_unless_read(retired)


def discard_unless_read(folder: Path) -> bool:
    """Delete `folder` unless a reader holds it (its shared flock); whether it was deleted."""
    if not folder.is_dir():
        discard(folder)
        return True
    descriptor = _lock_folder(folder, fcntl.LOCK_EX)
    if descriptor is None:
        return not folder.exists()
    try:
        discard(folder)  # under the lock: a reader that opened it just before sees it gone from `store` and tries again
    finally:
        os.close(descriptor)
    return True


def retire(store: Path, old: Path) -> None:
    """Delete an old generation, or, while a reader still reads it, set it aside for a later write or reader to delete."""
    if not os.path.lexists(old) or discard_unless_read(old):
        return
    with contextlib.suppress(OSError):  # gone meanwhile: its last reader deleted it
        os.rename(old, _sibling(store, f"retired-{os.getpid()}-{next(_counter)}"))
