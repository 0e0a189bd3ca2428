"""The parallel producer (jixiao.graph.build.produce_documents) and the streamed outputs.

- `ingest -o x.nt` and `-o x.ttl` print the same triple count, and it is the number of triples
  an RDF parser finds in either file (the document's provenance, repeated in each of its tables'
  chunks, is written once; shared units once);
- worker processes give the very same file as one process;
- a table declared again in another file is written once, with a finding naming the file kept;
- writing Turtle streams: the peak memory of 600 projects stays near that of 60.
- a chunk made with entailments is the mapper's triples plus what the ontology entails, and
  `-o` writes from it exactly what it writes from a plain chunk;
- `ingest -o OUT --store DIR` (one pass over the tables) writes the file `-o` alone writes and the
  store `--store` alone writes; with an unreadable file, the file still and the store not.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from rdflib import Graph

from jixiao.graph.build import expand, produce_chunks
from jixiao.graph.mapping import document_chunks
from jixiao.graph.reason import with_entailments
from jixiao.reading import normalize, read_file
from jixiao.synthetic import write_corpus

TRIPLES = re.compile(r"\((\d+) triples, (\w+)\)")


def ingest(*args: str | Path) -> tuple[subprocess.CompletedProcess[str], int]:
    """Run `jixiao ingest` in a child; the completed process and its own peak resident memory in kB (os.wait4)."""
    argv = [sys.executable, "-m", "jixiao", "ingest", *map(str, args)]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        child = subprocess.Popen(argv, stdout=out, stderr=err)
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    return subprocess.CompletedProcess(argv, child.returncode, stdout, stderr), usage.ru_maxrss


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    write_corpus(folder, 60, seed=3, per_file=12, n_agencies=4, years=(2023, 2024), damage=0.05, defects=0.2)
    return folder


def printed_count(stderr: str, fmt: str) -> int:
    match = TRIPLES.search(stderr)
    assert match is not None and match.group(2) == fmt, stderr
    return int(match.group(1))


def test_nt_and_ttl_counts_agree_with_the_files(tmp_path: Path, corpus: Path, seed_path: Path) -> None:
    graphs = {}
    for fmt in ("nt", "ttl"):
        done, _ = ingest(corpus, seed_path, "-o", tmp_path / f"out.{fmt}", "--quiet")
        assert done.returncode == 0, done.stderr
        graphs[fmt] = Graph().parse(tmp_path / f"out.{fmt}")
        assert printed_count(done.stderr, fmt) == len(graphs[fmt])
    assert set(graphs["nt"]) == set(graphs["ttl"])
    # Everything the mapper produced is there: the union of all chunks' triples.
    expected = {t for path in expand([corpus, seed_path]) for chunk in document_chunks(normalize(read_file(path))) for t in chunk.triples}
    assert set(graphs["nt"]) == expected


def test_workers_write_the_same_file_as_one_process(tmp_path: Path, corpus: Path) -> None:
    for jobs in ("1", "2"):
        done, _ = ingest(corpus, "-o", tmp_path / f"jobs{jobs}.ttl", "--quiet", "--jobs", jobs)
        assert done.returncode == 0, done.stderr
    assert (tmp_path / "jobs1.ttl").read_bytes() == (tmp_path / "jobs2.ttl").read_bytes()


def test_chunks_come_in_file_order_with_their_keys(corpus: Path) -> None:
    files = expand([corpus])
    serial = [(c.key, c.source) for c in produce_chunks(files, jobs=1)]
    parallel = [(c.key, c.source) for c in produce_chunks(files, jobs=2)]
    assert serial == parallel
    assert [s.split("!")[0] for _, s in serial] == sorted(s.split("!")[0] for _, s in serial)


def test_a_table_declared_again_elsewhere_is_written_once(tmp_path: Path, corpus: Path) -> None:
    folder = tmp_path / "in"
    shutil.copytree(corpus, folder)
    first = sorted(folder.glob("*"))[0]
    shutil.copy(first, folder / "zz-copy.md")
    done, _ = ingest(folder, "-o", tmp_path / "out.nt", "--quiet")
    once, _ = ingest(corpus, "-o", tmp_path / "once.nt", "--quiet")
    assert printed_count(done.stderr, "nt") == printed_count(once.stderr, "nt")
    assert f"{folder / 'zz-copy.md'}: duplicate declaration" in done.stderr
    assert f"already read from {first}, which is kept" in done.stderr


def test_turtle_is_streamed_in_bounded_memory(tmp_path: Path) -> None:
    peaks = {}
    for projects in (60, 600):
        folder = tmp_path / f"c{projects}"
        write_corpus(folder, projects, seed=1, per_file=20, n_agencies=6, years=(2023, 2024))
        done, peaks[projects] = ingest(folder, "-o", tmp_path / f"c{projects}.ttl", "--quiet", "--jobs", "1")
        assert done.returncode == 0, done.stderr
    # 10× the projects: building the graph in memory cost about 10× (1.76 GB for 4,000 projects);
    # streamed, the peak grows by a few MB (measured: 67 → 87 MB from 100 to 1,000 projects).
    assert peaks[600] < peaks[60] + 40 * 1024, peaks


def store_quads(store: Path) -> set[str]:
    """Every quad of a store (tables, union, registry) as text."""
    import pyoxigraph as ox

    return {str(quad) for quad in ox.Store.read_only(str(store))}


def test_entailed_chunks_are_the_mapper_s_triples_and_what_the_ontology_entails(corpus: Path, seed_path: Path) -> None:
    files = expand([corpus, seed_path])
    mapped = [chunk for path in files for chunk in document_chunks(normalize(read_file(path)))]
    entailed = list(produce_chunks(files, jobs=1, entail=True))
    plain = list(produce_chunks(files, jobs=1))
    assert [c.key for c in entailed] == [c.key for c in mapped] == [c.key for c in plain]
    for chunk, with_more, without in zip(mapped, entailed, plain, strict=True):
        expected = {tuple(term.n3() for term in triple) for triple in with_entailments(chunk.triples)}
        assert set(with_more.statements) == expected
        # What `-o` writes from an entailed chunk is exactly the plain chunk, in the same order with the same scopes.
        assert with_more.as_asserted() == without
    assert any(c.asserted is not None and c.asserted < len(c.statements) for c in entailed)


def test_output_and_store_in_one_pass_give_what_each_gives_alone(tmp_path: Path, corpus: Path, seed_path: Path) -> None:
    both, _ = ingest(corpus, seed_path, "-o", tmp_path / "both.nt", "--store", tmp_path / "both", "--quiet")
    alone, _ = ingest(corpus, seed_path, "-o", tmp_path / "alone.nt", "--quiet")
    stored, _ = ingest(corpus, seed_path, "--store", tmp_path / "stored", "--quiet")
    assert both.returncode == alone.returncode == stored.returncode == 0, both.stderr
    assert (tmp_path / "both.nt").read_bytes() == (tmp_path / "alone.nt").read_bytes()
    assert printed_count(both.stderr, "nt") == printed_count(alone.stderr, "nt")
    assert store_quads(tmp_path / "both") == store_quads(tmp_path / "stored")
    assert both.stderr.count("total:") == 1


def test_output_and_store_with_an_unreadable_file_write_the_file_and_leave_the_store(tmp_path: Path, corpus: Path, seed_path: Path) -> None:
    folder = tmp_path / "in"
    shutil.copytree(corpus, folder)
    (folder / "broken.md").write_text("no table here\n", encoding="utf-8")
    store = tmp_path / "store"
    first, _ = ingest(seed_path, "--store", store, "--quiet")
    assert first.returncode == 0, first.stderr
    before = store_quads(store)
    both, _ = ingest(folder, "-o", tmp_path / "both.ttl", "--store", store, "--quiet")
    alone, _ = ingest(folder, "-o", tmp_path / "alone.ttl", "--quiet")
    assert both.returncode == alone.returncode == 2
    assert (tmp_path / "both.ttl").read_bytes() == (tmp_path / "alone.ttl").read_bytes()
    assert "broken.md" in both.stderr and "nothing was stored" in both.stderr
    assert store_quads(store) == before
