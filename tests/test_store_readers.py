"""A write deletes an old generation of an on-disk store only when no reader holds it; the last reader's close deletes it.

RocksDB opens a store's table files by path, some only when a query first needs them (always so
when there are more files than its table cache holds: the reader here runs in a process allowed
few files). Before readers held their generation, a switch deleted it under them at once.

The writing process opens the current generation read-only too, so nothing compacts a generation
under its readers: a reader opened after six small writes reads its whole generation after two more
(before, it met "No such file" every time: the writer had opened that generation read-write).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from jixiao.stores.oxigraph import OxigraphBackend

TABLES = 6  # each write adds a sorted file per index: more files than the reader's table cache holds
TRIPLES_PER_TABLE = 3000

READER = textwrap.dedent("""
    import resource, sys
    resource.setrlimit(resource.RLIMIT_NOFILE, (100, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))
    from jixiao.stores.oxigraph import OxigraphBackend
    from test_store_readers import answer
    backend = OxigraphBackend(sys.argv[1], read_only=True)
    print("open", flush=True)
    sys.stdin.readline()  # the write switches in the next generation here
    print(*answer(backend), flush=True)  # reads every file of the generation it opened
    backend.close()
""")


def table_file(folder: Path, index: int, version: int) -> Path:
    path = folder / f"table-{index}-v{version}.nt"
    path.write_text("".join(f'<urn:test:s{index}-{n}> <urn:test:p{n % 7}> "v{version} {n}" .\n' for n in range(TRIPLES_PER_TABLE)), encoding="utf-8")
    return path


def write_tables(store: Path, folder: Path, version: int, tables: range) -> None:
    with OxigraphBackend(store) as backend:
        for index in tables:
            backend.replace_graph(f"urn:test:table-{index}", table_file(folder, index, version))


FIRST_VERSION = 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER(STRSTARTS(STR(?o), "v1 ")) }'


def answer(backend: OxigraphBackend) -> tuple[int, int]:
    """What the reader reads: the whole union, and how many of its triples the first version of the tables wrote."""
    first = int(str(next(backend.select(FIRST_VERSION, {}).rows)["n"]))
    return sum(1 for _ in backend.store.quads_for_pattern(None, None, None, None)), first


def read(store: Path) -> tuple[int, int]:
    with OxigraphBackend(store, read_only=True) as backend:
        return answer(backend)


def leftovers(store: Path) -> list[str]:
    return sorted(path.name for path in store.parent.glob(f".{store.name}.jixiao-*") if not path.name.endswith("-lock"))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="readers hold their generation through Linux's /proc/self/fd")
def test_a_write_keeps_the_generation_a_reader_holds_until_it_closes(tmp_path: Path) -> None:
    store = tmp_path / "store"
    write_tables(store, tmp_path, 1, range(TABLES))
    reader = subprocess.Popen([sys.executable, "-c", READER, str(store)], cwd=Path(__file__).parent,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert reader.stdout is not None and reader.stdin is not None
        assert reader.stdout.readline().strip() == "open", reader.stderr.read() if reader.stderr else ""
        write_tables(store, tmp_path, 2, range(TABLES // 2))
        held = leftovers(store)
        assert len(held) == 1 and "-retired-" in held[0], "the old generation, still read, was deleted"
        reader.communicate("go\n", timeout=300)
    finally:
        if reader.poll() is None:
            reader.kill()
    assert read(store)[1] == (TABLES - TABLES // 2) * TRIPLES_PER_TABLE  # the write did change the store
    assert leftovers(store) == []  # the reader's close deleted the generation it held


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="readers hold their generation through Linux's /proc/self/fd")
def test_a_reader_reads_its_whole_generation_after_two_later_writes(tmp_path: Path) -> None:
    store = tmp_path / "store"
    write_tables(store, tmp_path, 1, range(TABLES))
    expected = read(store)
    reader = subprocess.Popen([sys.executable, "-c", READER, str(store)], cwd=Path(__file__).parent,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert reader.stdout is not None and reader.stdin is not None
        assert reader.stdout.readline().strip() == "open", reader.stderr.read() if reader.stderr else ""
        write_tables(store, tmp_path, 2, range(TABLES // 2))  # each write opens the store, writes the next generation, closes
        write_tables(store, tmp_path, 3, range(TABLES // 2, TABLES))
        out, err = reader.communicate("go\n", timeout=300)
    finally:
        if reader.poll() is None:
            reader.kill()
    assert reader.returncode == 0, err
    assert tuple(int(number) for number in out.split()) == expected
    assert read(store)[1] == 0  # both writes replaced the first version
    assert leftovers(store) == []


def test_an_old_generation_nobody_reads_is_deleted_by_the_write(tmp_path: Path) -> None:
    store = tmp_path / "store"
    write_tables(store, tmp_path, 1, range(2))
    read(store)  # a reader that has closed holds nothing
    write_tables(store, tmp_path, 2, range(1))
    assert leftovers(store) == []
    assert read(store)[1] == TRIPLES_PER_TABLE


def test_a_retired_generation_left_by_a_crash_is_deleted_by_the_next_write(tmp_path: Path) -> None:
    store = tmp_path / "store"
    write_tables(store, tmp_path, 1, range(1))
    retired = tmp_path / ".store.jixiao-retired-999999-0"  # what a killed reader's generation leaves, its flock gone with the process
    retired.mkdir()
    (retired / "000001.sst").write_bytes(b"old")
    write_tables(store, tmp_path, 2, range(1))
    assert leftovers(store) == []
