"""Tables prepared for the store's writer in the worker processes (`stores.loading.prepare_chunk`).

`ingest --store` has its workers make each chunk's lines, their digest and their grouping by the
subjects the embedded store's writer may own (`tables.PreparedTable`, `SubjectGroups`: positions,
not lines), so the writer's process does only what needs the store. What must hold:

- the digest made in the worker is `lines_digest` of the lines the writer is given (and of the
  chunk's own lines): the registry's digest is what a later ingest compares, so an unchanged table
  is still skipped, also in a store written before the digest moved;
- the grouping is a reordering of the chunk's lines and scopes that says truly which lines are
  about which subject, and the writer given it makes the store it makes working it out itself;
- every writer takes the prepared lines (the memory store too), and a second `ingest --store` of
  the same tables writes nothing.
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest

from jixiao.graph.build import EncodedChunk, produce_chunks, produce_documents
from jixiao.stores import MemoryBackend, store_chunks
from jixiao.stores.loading import chunk_table, prepare_chunk
from jixiao.stores.oxigraph import LOADED_SINCE_COMPACTION, SIZE_AT_COMPACTION, OxigraphBackend, OxigraphWriter
from jixiao.stores.tables import (
    MAY_OWN_SCOPE,
    PreparedTable,
    TableLines,
    TableRecord,
    group_by_subject,
    in_order,
    lines_digest,
    prepare_table,
    subject_text,
)
from jixiao.synthetic import write_corpus

EX = "http://example.org/prepared/"
_COMPACTION_FACTS = {LOADED_SINCE_COMPACTION, SIZE_AT_COMPACTION}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("prepared")
    write_corpus(folder, 40, seed=11, per_file=10, n_agencies=3, years=(2023, 2024), damage=0.05, defects=0.2)
    return folder


def _files(corpus: Path) -> list[Path]:
    return sorted(corpus.glob("*.md"))


def _prepared_by_workers(corpus: Path) -> list[EncodedChunk]:
    return [chunk for result in produce_documents(_files(corpus), jobs=2, entail=True, prepare=prepare_chunk) for chunk in result.chunks]


def _quads(store: ox.Store) -> list[str]:
    """Every quad, sorted as N-Quads, without the registry's compaction facts (bytes on disk, not data)."""
    return sorted(f"{quad}\n" for quad in store if quad.predicate.value not in _COMPACTION_FACTS)


def test_the_digest_made_in_the_worker_is_that_of_the_lines_the_writer_stores(corpus: Path) -> None:
    plain = list(produce_chunks(_files(corpus), jobs=1, entail=True))
    prepared = _prepared_by_workers(corpus)
    assert [chunk.graph for chunk in prepared] == [chunk.graph for chunk in plain]
    for made_here, made_there in zip(plain, prepared, strict=True):
        assert isinstance(made_there.prepared, PreparedTable) and sorted(made_there.statements) == sorted(made_here.statements)
        table = chunk_table(made_there)
        assert table.digest == made_there.prepared.digest == lines_digest(table.lines) == lines_digest(made_here.lines)
        assert Counter(zip(table.lines, table.scopes or b"", strict=True)) == Counter(zip(made_here.lines, made_here.scopes, strict=True))


def test_the_groups_say_which_lines_are_about_which_subject(corpus: Path) -> None:
    for chunk in produce_chunks(_files(corpus)[:1], jobs=1, entail=True):
        order, groups = group_by_subject(chunk.lines, chunk.scopes)
        assert sorted(order) == list(range(len(chunk.lines))) and groups.fits(len(order)) and groups.runs
        lines, scopes = in_order(chunk.lines, chunk.scopes, order)
        shared = list(zip(lines[:groups.shared], scopes[:groups.shared], strict=True))
        assert all(scope > MAY_OWN_SCOPE or subject_text(line) is None for line, scope in shared)
        assert sorted(map(str, (subject_text(lines[p]) for p in groups.spoken))) == sorted(map(str, {subject_text(line) for line, _ in shared}))
        start, subjects = groups.shared, []
        for end in groups.runs:
            assert start < end
            subjects.append(subject_text(lines[start]))
            assert all(subject_text(line) == subjects[-1] and scope <= MAY_OWN_SCOPE for line, scope in zip(lines[start:end], scopes[start:end], strict=True))
            start = end
        assert len(set(subjects)) == len(subjects) and None not in subjects  # each IRI subject's lines in one run
        for subject in subjects:  # a run: the subject's lines of scope 0 or 1, in the chunk's order
            run = [line for line in lines[groups.shared:] if subject_text(line) == subject]
            assert run == [line for line, scope in zip(chunk.lines, chunk.scopes, strict=True) if subject_text(line) == subject and scope <= MAY_OWN_SCOPE]


def test_lines_without_scopes_are_not_grouped() -> None:
    lines = [f"<{EX}a> <{EX}p> <{EX}o{n}> .\n" for n in range(3)]
    prepared = prepare_table(lines, None)
    assert (prepared.digest, prepared.order, prepared.groups) == (lines_digest(lines), None, None)
    assert prepared.table(lines, None) == TableLines(lines, None, lines_digest(lines), None)
    assert prepare_table(lines, bytes(2)).groups is None  # scopes that do not fit: RDF as it is


def test_a_preparation_that_does_not_fit_the_lines_is_not_used() -> None:
    lines = [f"<{EX}a/x> <{EX}p> <{EX}o1> .\n", f"<{EX}a/y> <{EX}p> <{EX}o2> .\n", f"<{EX}b> <{EX}p> <{EX}o3> .\n"]
    prepared = prepare_table(lines[:2], bytes(2))
    assert prepared.table(lines, bytes(3)) is None and prepared.table(lines[:2], None) is None
    assert prepare_table(lines, None).table(lines, bytes(3)) is None


def test_a_store_written_from_prepared_chunks_is_the_store_written_from_plain_ones(tmp_path: Path, corpus: Path) -> None:
    plain, prepared = OxigraphBackend(tmp_path / "plain"), OxigraphBackend(tmp_path / "prepared")
    store_chunks(plain, produce_chunks(_files(corpus), jobs=1, entail=True))
    store_chunks(prepared, _prepared_by_workers(corpus))
    assert _quads(prepared.store) == _quads(plain.store)
    assert any("urn:jixiao:ownedBy" in quad for quad in _quads(prepared.store))  # the groups were used to own subjects
    plain.close()
    prepared.close()


def test_groups_that_do_not_fit_the_lines_are_worked_out_again() -> None:
    lines = [f"<{EX}a/x> <{EX}p> <{EX}o1> .\n", f"<{EX}a/y> <{EX}p> <{EX}o2> .\n", f"<{EX}b> <{EX}p> <{EX}o3> .\n"]
    scopes = bytes([0, 0, 2])
    _, wrong = group_by_subject(lines[:2], scopes[:2])

    def written(groups: object) -> list[str]:
        backend = OxigraphBackend(None)
        writer = backend.writer()
        table = prepare_table(lines, scopes)
        writer.put(f"{EX}graph/t", lines, TableRecord(f"{EX}graph/t", ("graph", "", "", ""), "t", "", table.digest), scopes, groups)  # type: ignore[arg-type]
        writer.commit()
        return _quads(backend.store)

    assert written(wrong) == written(None)


def test_the_memory_store_takes_prepared_chunks(corpus: Path) -> None:
    plain, prepared = MemoryBackend(), MemoryBackend()
    store_chunks(plain, produce_chunks(_files(corpus)[:2], jobs=1, entail=True))
    store_chunks(prepared, [chunk for result in produce_documents(_files(corpus)[:2], jobs=2, entail=True, prepare=prepare_chunk)
                            for chunk in result.chunks])
    assert set(prepared.graph) == set(plain.graph) and len(prepared.graph) > 0
    assert prepared.tables() == plain.tables()


class _Watched(OxigraphBackend):
    """An embedded store that keeps its last writer, to see what a write rewrote and loaded."""

    last: OxigraphWriter | None = None

    def writer(self) -> OxigraphWriter:
        self.last = super().writer()
        return self.last


def test_unchanged_tables_are_skipped_whichever_side_made_their_digest(tmp_path: Path, corpus: Path) -> None:
    """A store written from plain chunks (the digest made in the writer's process, as before), then the same tables
    prepared by the workers, then plain again: the second and third writes rewrite and load nothing."""
    backend = _Watched(tmp_path / "store")
    store_chunks(backend, produce_chunks(_files(corpus), jobs=1, entail=True))
    first = _quads(backend.store)
    for chunks in (_prepared_by_workers(corpus), list(produce_chunks(_files(corpus), jobs=1, entail=True))):
        store_chunks(backend, chunks)
        assert backend.last is not None
        assert backend.last.rewritten == set() and backend.last.loaded_chars == 0
        assert _quads(backend.store) == first
    backend.close()


def _loaded_since_compaction(store: Path) -> str:
    backend = OxigraphBackend(store, read_only=True)
    facts = [q.object.value for q in backend.store.quads_for_pattern(None, ox.NamedNode(LOADED_SINCE_COMPACTION), None, None)]
    backend.close()
    return facts[0]


def test_a_second_ingest_of_the_same_tables_writes_nothing(tmp_path: Path, corpus: Path) -> None:
    """Through the command, with its worker processes preparing the tables: the bytes loaded since the last compaction
    (the registry's count, which every bulk load adds to) do not grow on the second run."""
    store = tmp_path / "store"
    argv = [sys.executable, "-m", "jixiao", "ingest", str(corpus), "--store", str(store), "--jobs", "2", "--quiet"]
    subprocess.run(argv, check=True, capture_output=True)
    loaded = _loaded_since_compaction(store)
    assert int(loaded) > 0  # the first run's load, not compacted yet (a small corpus)
    subprocess.run(argv, check=True, capture_output=True)
    assert _loaded_since_compaction(store) == loaded
