"""The embedded store's writer alone: where `ingest --store`'s CPU goes once the tables are mapped.

    python benchmarks/bench_writer.py map CORPUS CHUNKS [--jobs 2]   # map once (with entailments, as ingest --store), pickled
    python benchmarks/bench_writer.py write CHUNKS STORE              # store_chunks into a new store, in this process
    python benchmarks/bench_writer.py floor NQUADS STORE              # a bare bulk_load of an N-Quads file, then optimize()

`write` runs the loader and writer exactly as `jixiao ingest --store` does, on chunks mapped
beforehand (so the workers are out of it), and prints a JSON line: the process's CPU (user+sys,
every thread: jixiao's, Oxigraph's loader and RocksDB's), the main thread's CPU (jixiao's Python,
plus whatever Oxigraph does in that thread: the SPARQL updates, `optimize()`), the CPU of the
threads that parse each batch (`_BackgroundLoad`), the CPU of RocksDB's background threads still
alive at the end (its compaction and flush threads), the CPU spent in each commit phase
(candidates' DELETE, views, compaction), the bytes written to disk (/proc/self/io) and the peak
resident memory. `floor` is what Oxigraph alone costs for the same data.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import resource
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from jixiao.graph import expand
from jixiao.graph.build import RDF_FORMATS, EncodedChunk, produce_chunks
from jixiao.stores import oxigraph as oxigraph_store
from jixiao.stores.loading import store_chunks


def map_corpus(corpus: Path, target: Path, jobs: int) -> None:
    """Map every table of the corpus with its entailments and pickle the chunks one by one (bounded memory)."""
    count = 0
    with target.open("wb") as handle:
        for chunk in produce_chunks([f for f in expand([corpus]) if f.suffix.lower() not in RDF_FORMATS], jobs=jobs, entail=True):
            pickle.dump(chunk, handle, protocol=pickle.HIGHEST_PROTOCOL)
            count += 1
    print(json.dumps({"chunks": count, "bytes": target.stat().st_size}))


def read_chunks(source: Path) -> Iterator[EncodedChunk]:
    with source.open("rb") as handle:
        while True:
            try:
                yield pickle.load(handle)
            except EOFError:
                return


def _written_bytes() -> int:
    for line in Path("/proc/self/io").read_text().splitlines():
        if line.startswith("write_bytes:"):
            return int(line.split()[1])
    return 0


def _thread_cpu() -> dict[str, float]:
    """CPU seconds of each live thread of this process, summed by name (RocksDB names its threads `rocksdb:…`)."""
    ticks = os.sysconf("SC_CLK_TCK")
    by_name: dict[str, float] = {}
    for task in Path("/proc/self/task").iterdir():
        try:
            name = (task / "comm").read_text().strip()
            fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        by_name[name] = by_name.get(name, 0.0) + (int(fields[11]) + int(fields[12])) / ticks
    return by_name


class _Timers:
    """CPU seconds (process_time: every thread) spent inside wrapped methods."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def wrap(self, owner: Any, name: str, clock: Callable[[], float] = time.process_time) -> None:
        original = getattr(owner, name)

        def timed(*args: Any, **kwargs: Any) -> Any:
            start = clock()
            try:
                return original(*args, **kwargs)
            finally:
                self.seconds[name] = self.seconds.get(name, 0.0) + clock() - start

        setattr(owner, name, timed)


def write_store(source: Path, store_path: Path) -> None:
    timers = _Timers()
    writer_class = oxigraph_store.OxigraphWriter
    for name in ("_compact_if_due", "_keep_views", "commit"):
        timers.wrap(writer_class, name)
    # The main thread's own CPU in put (jixiao's Python per table), and the parsing threads' CPU.
    timers.wrap(writer_class, "put", time.thread_time)
    timers.wrap(oxigraph_store._BackgroundLoad, "_load", time.thread_time)
    for name in ("_own", "_leave_to_ontology", "_clear", "record", "_flush"):
        timers.wrap(writer_class, name, time.thread_time)
    written_before = _written_bytes()
    wall = time.perf_counter()
    backend = oxigraph_store.OxigraphBackend(store_path)
    chunks = read_chunks(source)
    report = store_chunks(backend, chunks)
    threads = _thread_cpu()
    process = time.process_time()
    main = time.thread_time()
    backend.close()
    result = {
        "tables": report.tables,
        "wall_s": round(time.perf_counter() - wall, 1),
        "process_cpu_s": round(process, 2),
        "main_thread_cpu_s": round(main, 2),
        "rocksdb_threads_cpu_s": round(sum(v for k, v in threads.items() if k.startswith("rocksdb")), 2),
        "phases_cpu_s": {k: round(v, 2) for k, v in sorted(timers.seconds.items())},
        "written_mb": round((_written_bytes() - written_before) / 1e6),
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "store_mb": round(sum(p.stat().st_size for p in store_path.iterdir()) / 1e6),
    }
    print(json.dumps(result))


def floor(nquads: Path, store_path: Path) -> None:
    """Oxigraph alone: one bulk_load of the file into a new store, then optimize()."""
    written_before = _written_bytes()
    start = time.process_time()
    store = ox.Store(str(store_path))
    store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    loaded = time.process_time()
    written_loaded = _written_bytes()
    store.flush()
    store.optimize()
    done = time.process_time()
    print(json.dumps({"load_cpu_s": round(loaded - start, 2), "optimize_cpu_s": round(done - loaded, 2),
                      "written_load_mb": round((written_loaded - written_before) / 1e6),
                      "written_mb": round((_written_bytes() - written_before) / 1e6),
                      "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    mapping = commands.add_parser("map")
    mapping.add_argument("corpus", type=Path)
    mapping.add_argument("chunks", type=Path)
    mapping.add_argument("--jobs", type=int, default=2)
    writing = commands.add_parser("write")
    writing.add_argument("chunks", type=Path)
    writing.add_argument("store", type=Path)
    bare = commands.add_parser("floor")
    bare.add_argument("nquads", type=Path)
    bare.add_argument("store", type=Path)
    arguments = parser.parse_args()
    if arguments.command == "map":
        map_corpus(arguments.corpus, arguments.chunks, arguments.jobs)
    elif arguments.command == "write":
        if arguments.store.exists():
            sys.exit(f"{arguments.store} exists: give a new folder")
        write_store(arguments.chunks, arguments.store)
    else:
        floor(arguments.nquads, arguments.store)


if __name__ == "__main__":
    main()
