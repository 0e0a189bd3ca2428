"""A generation of an on-disk store, once switched in, is never written again.

The writing process opens the store's current generation read-only, as a reader does (held by a
shared flock), and takes the next write's checkpoint from it; the only RocksDB it opens read-write
is the build folder of the next generation. Before, it opened the current generation read-write
(to take the checkpoint, and again after each switch), and RocksDB then wrote a new manifest,
write-ahead log and options file into it and could compact it in place, deleting table files a
reader of that generation opens only when a query first needs them.

A checkpoint (`Store.backup`) of a read-only store holds only what RocksDB's table files hold, not
what only its write-ahead log holds (measured: a store killed with 500 quads written since its last
flush reads 1,501 quads read-only, its checkpoint 1,000), so a write copies the generation's logs
into the checkpoint and RocksDB replays them there; the test with such a store is below.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from jixiao.cli.drop import drop
from jixiao.cli.ingest import ingest
from jixiao.cli.reason import reason
from jixiao.stores import generations
from jixiao.stores.oxigraph import OxigraphBackend

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="generations are held through Linux's /proc/self/fd")

TRIPLES = 2000
EVERY_QUAD = "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"


def rdf_file(folder: Path, name: str, version: int) -> Path:
    path = folder / f"{name}-v{version}.nt"
    path.write_text("".join(f'<urn:test:{name}-{n}> <urn:test:p{n % 5}> "v{version} {n}" .\n' for n in range(TRIPLES)), encoding="utf-8")
    return path


FileIdentity = dict[str, tuple[int, int]]  # file name -> (inode, size)


def files_of(folder: str) -> FileIdentity:
    return {entry.name: (entry.inode(), entry.stat().st_size) for entry in os.scandir(folder)}


class Generations:
    """Every generation of a store switched in during a test, held as a reader holds one, with its files as first seen."""

    def __init__(self, store: Path) -> None:
        self.store = store
        self.held: list[tuple[int, FileIdentity]] = []

    def hold_current(self) -> None:
        """Hold the generation just switched in; it comes with empty write-ahead logs (all it holds is in its table files)."""
        descriptor = generations.hold_generation(self.store)
        files = files_of(generations.generation_path(descriptor))
        assert {name: size for name, (_, size) in files.items() if name.endswith(".log") and size} == {}
        self.held.append((descriptor, files))

    def assert_unchanged(self, step: str) -> None:
        for number, (descriptor, files) in enumerate(self.held, start=1):
            now = files_of(generations.generation_path(descriptor))
            changed = sorted(name for name in files.keys() | now.keys() if files.get(name) != now.get(name))
            assert not changed, f"after {step}: generation {number} of {len(self.held)} changed its files {changed}"

    def release(self) -> None:
        for descriptor, _ in self.held:
            generations.release_generation(self.store, descriptor)
        self.held = []


def leftovers(store: Path) -> list[str]:
    return sorted(path.name for path in store.parent.glob(f".{store.name}.jixiao-*") if not path.name.endswith("-lock"))


def test_no_step_of_a_writer_changes_a_switched_in_generation(tmp_path: Path, seed_path: Path) -> None:
    store = tmp_path / "store"
    seen = Generations(store)
    try:
        assert CliRunner().invoke(ingest, [str(seed_path), "--store", str(store), "--quiet"]).exit_code == 0
        seen.hold_current()
        with OxigraphBackend(store) as backend:
            seen.assert_unchanged("a writer's open")
            for version in (1, 2):  # the second write replaces the first's graph, and starts from the generation the first switched in
                backend.replace_graph("urn:test:rdf", rdf_file(tmp_path, "rdf", version))
                seen.assert_unchanged(f"write {version}")
                seen.hold_current()
        seen.assert_unchanged("the writer's close")
        with OxigraphBackend(store):
            pass
        seen.assert_unchanged("an open and close with nothing written")
        run = CliRunner().invoke(reason, ["--store", str(store)])
        assert run.exit_code == 0, run.output
        seen.assert_unchanged("reason --store")
        seen.hold_current()
        run = CliRunner().invoke(drop, [str(seed_path), "--store", str(store)])
        assert run.exit_code == 0, run.output
        seen.assert_unchanged("drop")
        assert len(leftovers(store)) == len(seen.held), "every generation but the current one is retired while held"
    finally:
        seen.release()
    assert leftovers(store) == [], "the last reader's release deletes the retired generations"
    with OxigraphBackend(store, read_only=True) as reader:
        assert int(str(next(reader.select(EVERY_QUAD, {}).rows)["n"])) > 0


# A store last written in place and never flushed: by an older jixiao, or a process killed after a
# write into the store itself. Its newest quads are in RocksDB's write-ahead log only.
UNFLUSHED_WRITE = textwrap.dedent("""
    import os, sys
    import pyoxigraph as ox
    store = ox.Store(sys.argv[1])
    store.extend(ox.Quad(ox.NamedNode(f"urn:test:late-{n}"), ox.NamedNode("urn:test:p"), ox.Literal(str(n)), ox.NamedNode("urn:test:late"))
                 for n in range(int(sys.argv[2])))
    store.extend(ox.Quad(ox.NamedNode(f"urn:test:late-{n}"), ox.NamedNode("urn:test:p"), ox.Literal(str(n)), ox.DefaultGraph())
                 for n in range(int(sys.argv[2])))
    os._exit(0)  # killed: no flush, no close
""")
LATE = 300


def test_a_write_keeps_what_only_the_write_ahead_log_of_the_store_held(tmp_path: Path) -> None:
    store = tmp_path / "store"
    with OxigraphBackend(store) as backend:
        backend.replace_graph("urn:test:rdf", rdf_file(tmp_path, "rdf", 1))
    subprocess.run([sys.executable, "-c", UNFLUSHED_WRITE, str(store), str(LATE)], check=True)
    assert any(path.stat().st_size > 0 for path in store.glob("*.log")), "the late quads are in the write-ahead log"
    with OxigraphBackend(store, read_only=True) as reader:
        assert reader.count("urn:test:late") == LATE  # a reader replays the log
    with OxigraphBackend(store) as backend:
        backend.replace_graph("urn:test:other", rdf_file(tmp_path, "other", 1))
    with OxigraphBackend(store, read_only=True) as reader:
        assert reader.count("urn:test:late") == LATE, "the next generation lost what only the log held"
        assert reader.count(None) >= LATE + 2 * TRIPLES
        assert reader.count("urn:test:rdf") == TRIPLES
        assert reader.count("urn:test:other") == TRIPLES
        assert "urn:test:late" in reader.graph_names()
