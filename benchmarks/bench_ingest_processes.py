"""`jixiao ingest CORPUS --store STORE` as a child, with the CPU of its main process and of its workers apart.

    python benchmarks/bench_ingest_processes.py CORPUS STORE [--jobs 2] [--source SRC]

Prints a JSON line: wall seconds; the main process's CPU (user+sys, every thread: the writer, the
bulk loader's and RocksDB's threads) and peak resident memory, from wait4; the CPU of the other
processes of the run (the fork server and the worker processes that read and map the tables: they
are the fork server's children, which the main process never waits for, so wait4 leaves them out),
each read from /proc every POLL seconds until it ends (a worker's last fraction of a poll is lost:
they sit idle at the end); their sum, and the highest resident memory any worker was seen at. The
main process's CPU is also split by thread, read the same way: its main thread (jixiao's writer,
and what Oxigraph does when called from it: updates, views, `optimize`), RocksDB's background
threads (named `rocksdb:…`), and the rest by difference (the threads that unpickle the workers'
results, parse and bulk-load each batch).
`--source SRC` runs the `jixiao` package found in SRC (e.g. an older commit's `src`, unpacked with
`git archive COMMIT src ontology queries shapes`) instead of the installed one: old and new code on
the same corpus in the same minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

POLL = 0.2
_TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> tuple[int, float] | None:
    """(parent pid, own CPU seconds) of a live process, or None once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / _TICKS


def _peak_mb(pid: int) -> float:
    """A process's peak resident memory so far (VmHWM), 0 once it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _thread_cpu(pid: int) -> dict[int, tuple[str, float]]:
    """Each live thread of a process: its name and its CPU seconds so far."""
    threads: dict[int, tuple[str, float]] = {}
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except OSError:
        return threads
    for task in tasks:
        try:
            name = (task / "comm").read_text().strip()
            fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        threads[int(task.name)] = (name, (int(fields[11]) + int(fields[12])) / _TICKS)
    return threads


def _descendants(root: int) -> list[int]:
    """The live processes below `root` (children, grandchildren, ...)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            found = _stat(int(entry.name))
            if found is not None:
                parents[int(entry.name)] = found[0]
    below, frontier = [], [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, its_parent in parents.items() if its_parent == parent]
        below += children
        frontier += children
    return below


def run(corpus: Path, store: Path, jobs: int, source: Path | None) -> dict[str, float]:
    environment = dict(os.environ)
    if source is not None:
        environment["PYTHONPATH"] = str(source)
    argv = [sys.executable, "-m", "jixiao", "ingest", str(corpus), "--store", str(store), "--jobs", str(jobs), "--quiet"]
    start = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=environment)
    seen_cpu: dict[int, float] = {}
    seen_threads: dict[int, tuple[str, float]] = {}
    worker_peak = 0.0
    while True:
        finished, status, usage = os.wait4(child.pid, os.WNOHANG)
        if finished:
            break
        seen_threads.update(_thread_cpu(child.pid))
        for pid in _descendants(child.pid):
            found = _stat(pid)
            if found is not None:
                seen_cpu[pid] = found[1]
                worker_peak = max(worker_peak, _peak_mb(pid))
        time.sleep(POLL)
    wall = time.perf_counter() - start
    assert child.stderr is not None
    stderr = child.stderr.read().decode()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"ingest failed: {stderr}")
    main_cpu = usage.ru_utime + usage.ru_stime
    others = sum(seen_cpu.values())
    main_thread = seen_threads.get(child.pid, ("", 0.0))[1]
    rocksdb = sum(cpu for name, cpu in seen_threads.values() if name.startswith("rocksdb"))
    return {"wall_s": round(wall, 1), "main_cpu_s": round(main_cpu, 1), "main_thread_cpu_s": round(main_thread, 1), "rocksdb_threads_cpu_s": round(rocksdb, 1),
            "other_threads_cpu_s": round(main_cpu - main_thread - rocksdb, 1), "workers_cpu_s": round(others, 1), "total_cpu_s": round(main_cpu + others, 1),
            "main_peak_mb": round(usage.ru_maxrss / 1024), "worker_peak_mb": round(worker_peak), "processes": len(seen_cpu)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("store", type=Path)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--source", type=Path, default=None)
    arguments = parser.parse_args()
    print(json.dumps({"source": str(arguments.source or "installed"), **run(arguments.corpus, arguments.store, arguments.jobs, arguments.source)}))


if __name__ == "__main__":
    main()
