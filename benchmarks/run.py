"""The scale benchmark: generated provinces' worth of tables through the real command line, step by step.

    python benchmarks/run.py                       # 1,000 and 10,000 projects, plain route at 1,000
    python benchmarks/run.py --sizes 1000          # one size
    python benchmarks/run.py --sizes 1000 10000 100000   # or JIXIAO_BENCH_100K=1: adds 100,000 (long)
    python benchmarks/run.py --sizes 20 --plain-limit 60 --out /tmp/bench   # what the smoke test runs

For each size N a corpus is generated with jixiao.synthetic (as benchmarks/generate_corpus.py
does): N projects over `--years` and N/50 declaring units (at least 5), 50 projects a file, with
the damage the seed and the real tables show at the stated rates (`--damage`: share of rows
shifted or merged by the conversion; `--defects`: share of projects with a reviewer's finding).
Then each step runs as its own `jixiao` process, timed (wall clock) and measured from os.wait4's
rusage and its process tree read from /proc (ingest's workers included; `ProcessTree`): peak
resident memory of the process, CPU time (user + system of the whole tree; far below the wall time
times the cores used means the step waited, on the disk or on others' work), and the megabytes read
from and written to the disk (block I/O, not the page cache's hits):

- `ingest -o data.nt`: tables → N-Triples (the triples produced are read from its summary);
- `ingest --store`: tables → an embedded Oxigraph store;
- `reason`: the entailments in the store;
- `validate`: the SHACL shapes over the store;
- `query NAME` for every named query on the store (`--format csv`; rows counted).

At the sizes in `--plain-at` (1,000 by default) the plain route runs too (benchmarks/plain_route.py:
rdflib parse + owlrl + pyshacl on the whole graph + rdflib SPARQL), stopped after `--plain-limit`
seconds; what did not finish is reported as "did not finish in X s" and the ratio is then a lower bound.

The results are written to OUT/scale.json and OUT/scale.md (a Markdown table: time and memory
per step and size, the growth factor between consecutive sizes, and the plain route's ratio).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import itertools
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SIZES = (1000, 10000)
OPT_IN_SIZE = 100_000
OPT_IN_ENV = "JIXIAO_BENCH_100K"
SAMPLE_TEXT = "满意度"  # the value of a query's required text parameter (search's)


@dataclass
class Measure:
    """One step at one size: wall time, the process's peak memory, and what it produced."""

    step: str
    seconds: float | None
    peak_mb: float | None
    exit_status: int | None = 0
    produced: str = ""  # triples, rows or results, as the step reports them
    note: str = ""
    kind: str = ""  # for a query: aggregate or listing
    rows_per_second: int | None = None  # for a listing
    cpu_seconds: float | None = None  # user + system, the process and its waited-for children
    read_mb: float | None = None  # block input: what the disk gave, not the page cache
    written_mb: float | None = None  # block output


@dataclass
class SizeRun:
    projects: int
    files: int
    triples: int | None = None
    measures: list[Measure] = field(default_factory=list)
    plain: list[Measure] = field(default_factory=list)
    plain_note: str = ""


def jixiao_command(*arguments: str | Path) -> list[str]:
    return [sys.executable, "-m", "jixiao", *map(str, arguments)]


def log(measure: Measure) -> None:
    """One line on stderr as each step ends (a long run shows its progress, and what it had if stopped)."""
    print(f"  {measure.step:<40} {_seconds(measure):>10} {_memory(measure):>9} {_work(measure):>32}  {measure.produced} {measure.note}",
          file=sys.stderr, flush=True)


def measured(step: str, argv: list[str], limit: float | None = None, cwd: Path | None = None) -> tuple[Measure, str, str]:
    """Run `argv` as a child process: its Measure, stdout and stderr. Stopped after `limit` seconds."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        child = subprocess.Popen(argv, stdout=out, stderr=err, cwd=cwd)
        tree = ProcessTree(child.pid)
        status, usage, timed_out = _wait(child, limit, tree)
        seconds = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace")
    tree_cpu, tree_read, tree_written = tree.totals()
    measure = Measure(step, round(seconds, 3), round(usage.ru_maxrss / 1024, 1), status,
                      cpu_seconds=round(max(usage.ru_utime + usage.ru_stime, tree_cpu), 2),
                      read_mb=round(max(usage.ru_inblock * BLOCK, tree_read) / 2**20, 1),
                      written_mb=round(max(usage.ru_oublock * BLOCK, tree_written) / 2**20, 1))
    if timed_out:
        measure.seconds, measure.note = None, f"did not finish in {limit:.0f} s"
    return measure, stdout, stderr


BLOCK = 512  # Linux counts ru_inblock and ru_oublock in 512-byte blocks
SAMPLE_EVERY = 0.5  # seconds between two readings of the process tree


class ProcessTree:
    """The CPU time and disk I/O of every process under a child, read from /proc every
    SAMPLE_EVERY seconds. wait4's rusage counts the child and the descendants it waited for, but
    not workers started by a fork server (ingest's pool: they are the server's children, and the
    child never waits for the server), so the runner also keeps the last reading of each process
    seen under the child and takes the larger of the two sums. A process's last half second
    before it ends may be missed; a process that lives less than that may be missed whole."""

    def __init__(self, root: int) -> None:
        self.root = root
        self.last: dict[tuple[int, int], tuple[float, int, int]] = {}  # (pid, start time) → cpu s, read, written bytes
        self.ticks = os.sysconf("SC_CLK_TCK")

    def sample(self) -> None:
        parents: dict[int, int] = {}
        stats: dict[int, list[str]] = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                with contextlib.suppress(OSError, IndexError):
                    fields = (entry / "stat").read_text().rpartition(")")[2].split()  # after "pid (comm)"
                    parents[int(entry.name)], stats[int(entry.name)] = int(fields[1]), fields
        for pid in self._under(parents):
            fields = stats[pid]
            read, written = self._io(pid)
            # fields[0] is the state, so stat field n is fields[n - 3]: utime 14, stime 15, starttime 22
            self.last[(pid, int(fields[19]))] = ((int(fields[11]) + int(fields[12])) / self.ticks, read, written)

    def _under(self, parents: dict[int, int]) -> list[int]:
        found, frontier = [], [self.root] if self.root in parents else []
        while frontier:
            pid = frontier.pop()
            found.append(pid)
            frontier += [child for child, parent in parents.items() if parent == pid]
        return found

    @staticmethod
    def _io(pid: int) -> tuple[int, int]:
        counters: dict[str, int] = {}
        with contextlib.suppress(OSError, ValueError):
            for line in Path(f"/proc/{pid}/io").read_text().splitlines():
                name, _, value = line.partition(":")
                counters[name] = int(value)
        return counters.get("read_bytes", 0), counters.get("write_bytes", 0)

    def totals(self) -> tuple[float, int, int]:
        """CPU seconds, bytes read and bytes written, summed over every process seen."""
        return (sum(cpu for cpu, _, _ in self.last.values()), sum(r for _, r, _ in self.last.values()),
                sum(w for _, _, w in self.last.values()))


def _wait(child: subprocess.Popen[bytes], limit: float | None, tree: ProcessTree) -> tuple[int, resource.struct_rusage, bool]:
    """Wait for the child with os.wait4 (its rusage, not the runner's other children's), reading
    its process tree meanwhile: status, usage, timed out."""
    deadline = None if limit is None else time.monotonic() + limit
    next_sample = time.monotonic()
    while True:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid == child.pid:
            child.returncode = os.waitstatus_to_exitcode(status)
            return child.returncode, usage, False
        if deadline is not None and time.monotonic() > deadline:
            child.kill()
            _, status, usage = os.wait4(child.pid, 0)
            child.returncode = os.waitstatus_to_exitcode(status)
            return child.returncode, usage, True
        if time.monotonic() >= next_sample:
            tree.sample()
            next_sample = time.monotonic() + SAMPLE_EVERY
        time.sleep(0.05)


def generate(directory: Path, projects: int, years: list[int], damage: float, defects: float, seed: int) -> int:
    from jixiao.synthetic import write_corpus

    agencies = max(5, projects // 50)
    paths = write_corpus(directory, projects, seed=seed, per_file=50, damage=damage, n_agencies=agencies,
                         years=tuple(years), defects=defects)
    return len(paths)


def _triples_from_summary(stderr: str) -> int | None:
    match = re.search(r"\((\d+) triples, nt\)", stderr)
    return int(match.group(1)) if match else None


def _csv_rows(stdout: str) -> int:
    return max(0, sum(1 for _ in csv.reader(io.StringIO(stdout.lstrip("\ufeff")))) - 1)


def _checked(measure: Measure, stderr: str, accept: tuple[int, ...] = (0,)) -> Measure:
    if measure.exit_status not in accept and not measure.note:
        measure.note = "failed: " + (stderr.strip().splitlines() or ["(no message)"])[-1][:200]
    log(measure)
    return measure


def supports(command: str, option: str) -> bool:
    """Whether `jixiao COMMAND` has `option` (the runner measures whichever CLI is installed)."""
    usage = subprocess.run(jixiao_command(command, "--help"), capture_output=True, text=True, check=False).stdout
    return re.search(rf"(^|\s){re.escape(option)}[\s,=]", usage) is not None


def step_commands(corpus: Path, work: Path, jobs: int) -> dict[str, list[str]]:
    """The command of each step: on the store where the CLI can, else on the tables (older CLIs)."""
    store = work / "store"
    ingest_jobs = ["--jobs", str(jobs)] if supports("ingest", "--jobs") else []
    commands = {"ingest -o .nt": jixiao_command("ingest", corpus, "-o", work / "data.nt", "--quiet", *ingest_jobs),
                "ingest --store": jixiao_command("ingest", corpus, "--store", store, "--quiet", *ingest_jobs)}
    commands["reason"] = (jixiao_command("reason", "--store", store) if supports("reason", "--store")
                          else jixiao_command("reason", corpus, "-o", work / "reasoned.nt"))
    commands["validate"] = (jixiao_command("validate", "--store", store, "--format", "json") if supports("validate", "--store")
                            else jixiao_command("validate", corpus, "--jobs", str(jobs), "--format", "json"))
    return commands


def pipeline(corpus: Path, work: Path, jobs: int, queries: list[str] | None = None, as_process: bool = True) -> tuple[list[Measure], int | None]:
    """Every step of the pipeline on one corpus: the measures and the number of triples produced."""
    commands = step_commands(corpus, work, jobs)
    measures: list[Measure] = []
    measure, _, stderr = measured("ingest -o .nt", commands["ingest -o .nt"])
    triples = _triples_from_summary(stderr)
    measure.produced = f"{triples} triples" if triples is not None else ""
    measures.append(_checked(measure, stderr))
    measure, _, stderr = measured("ingest --store", commands["ingest --store"])
    measures.append(_checked(measure, stderr))
    measure, _, stderr = measured("reason", commands["reason"])
    measure.produced = stderr.strip().splitlines()[-1][:120] if stderr.strip() else ""
    measures.append(_checked(measure, stderr))
    measure, stdout, stderr = measured("validate", commands["validate"])
    with contextlib.suppress(ValueError, KeyError):
        measure.produced = f"{len(json.loads(stdout)['results'])} results"
    measures.append(_checked(measure, stderr, accept=(0, 1)))
    measures += query_measures(work / "store", queries, as_process)
    return measures, triples


def query_kind(text: str) -> str:
    """`aggregate` for a query that groups or aggregates its rows, else `listing` (the targets differ:
    an aggregate answers in under a second, a listing streams its rows). A grouped query whose rows
    has about as many rows as projects (a line per project) is a listing too: `classify` finds those."""
    from rdflib.plugins.sparql.parser import parseQuery

    from jixiao.sparql_tree import parse_nodes

    query = parseQuery(text)[1]  # the query itself: a sub-select's grouping does not make the answer a summary
    projected = {node.name for node in parse_nodes(query.get("projection"))}
    return "aggregate" if "groupby" in query or any(name.startswith("Aggregate_") for name in projected) else "listing"


def query_measures(store: Path, names: list[str] | None, as_process: bool = True) -> list[Measure]:
    """Each named query inside one process (benchmarks/time_query.py: the query and its CSV rows,
    without the command line's start-up) and, if `as_process`, as `jixiao query` too (what a user
    waits for, start-up included)."""
    from jixiao.queries import library

    measures = []
    for name, query in library().items():
        if names is not None and name not in names:
            continue
        params = [f"{p}={SAMPLE_TEXT}" for p, parameter in query.params.items() if parameter.required]
        inside, stdout, stderr = measured(f"query {name}", [sys.executable, str(ROOT / "benchmarks" / "time_query.py"), str(store), name, *params])
        timing = _json_line(stdout)
        if timing is None or inside.exit_status != 0:
            inside.note = inside.note or "failed: " + (stderr.strip().splitlines() or [""])[-1][:160]
            measures.append(_checked(inside, stderr))
            continue
        inside.seconds, inside.kind = timing["seconds"], query_kind(query.text)
        inside.produced = f"{timing['rows']} rows, first after {timing['first_row'] or 0:.2f} s"
        if timing["rows"] and timing["seconds"]:
            inside.rows_per_second = round(timing["rows"] / timing["seconds"])
            inside.produced += f", {inside.rows_per_second:,} rows/s"
        if as_process:
            process, _, cli_stderr = measured(f"query {name}", jixiao_command("query", name, "--store", store, "--format", "csv",
                                                                              *(f"--param={p}" for p in params)))
            inside.note = f"as a process {_seconds(process)}" + ("" if process.exit_status == 0 else f", exit {process.exit_status}: "
                                                                 + (cli_stderr.strip().splitlines() or [""])[-1][:160])
        measures.append(_checked(inside, stderr))
    return measures


def classify(runs: list[SizeRun]) -> None:
    """Grouped queries with more than a row for every four projects (at the largest size) are
    listings: a line per project or per indicator, even if each line counts something. A summary
    (per unit, per year, per category) has far fewer rows than there are projects."""
    if not runs:
        return
    largest = runs[-1]
    for measure in largest.measures:
        if measure.kind == "aggregate" and _rows(measure) * 4 > largest.projects:
            for run in runs:
                for same in run.measures:
                    if same.step == measure.step:
                        same.kind = "listing"


def _json_line(stdout: str) -> dict[str, Any] | None:
    with contextlib.suppress(ValueError, IndexError):
        return json.loads(stdout.strip().splitlines()[-1])
    return None


def plain_route(data: Path, limit: float) -> tuple[list[Measure], str]:
    """The plain route's phases on `data` (N-Triples), in one child stopped after `limit` seconds."""
    measure, stdout, stderr = measured("plain route", [sys.executable, str(ROOT / "benchmarks" / "plain_route.py"), str(data)], limit)
    phases = [json.loads(line) for line in stdout.splitlines() if line.startswith("{")]
    measures = [Measure(f"plain {p['phase']}", p["seconds"], None) for p in phases]
    measures.append(Measure("plain route, all", measure.seconds, measure.peak_mb, measure.exit_status, note=measure.note))
    done = {p["phase"] for p in phases}
    missing = [p for p in ("parse", "reason", "validate", "queries") if p not in done]
    note = measure.note + (f" (unfinished: {', '.join(missing)})" if missing and measure.note else "")
    if measure.exit_status not in (0, None) and not measure.note:
        note = "failed: " + (stderr.strip().splitlines() or [""])[-1][:200]
    return measures, note


def generator_digest() -> str:
    """A short digest of the corpus generator's source: a kept corpus made by another generator is not reused."""
    import hashlib

    import jixiao.synthetic

    return hashlib.sha256(Path(jixiao.synthetic.__file__).read_bytes()).hexdigest()[:8]


def corpus_for(projects: int, args: argparse.Namespace, scratch: Path) -> tuple[Path, int]:
    """The corpus of `projects` projects and its number of files: generated in the scratch folder,
    or kept in --corpora under a name that holds every setting it was made with, and reused from
    there (generating 100,000 projects takes minutes and is not a step of the pipeline)."""
    if args.corpora is None:
        corpus = scratch / f"corpus-{projects}"
        return corpus, generate(corpus, projects, args.years, args.damage, args.defects, args.seed)
    settings = f"{projects}-y{'-'.join(map(str, args.years))}-d{args.damage}-f{args.defects}-s{args.seed}-g{generator_digest()}"
    corpus = args.corpora / f"corpus-{settings}"
    if not corpus.is_dir():
        building = args.corpora / f".corpus-{settings}.part"
        shutil.rmtree(building, ignore_errors=True)
        generate(building, projects, args.years, args.damage, args.defects, args.seed)
        building.rename(corpus)  # a corpus cut short is never reused
    return corpus, sum(1 for path in corpus.rglob("*") if path.is_file())


def run_size(projects: int, args: argparse.Namespace, scratch: Path) -> SizeRun:
    work = scratch / f"work-{projects}"
    work.mkdir(parents=True)
    corpus, files = corpus_for(projects, args, scratch)
    result = SizeRun(projects, files)
    print(f"{projects} projects in {files} files", file=sys.stderr, flush=True)
    result.measures, result.triples = pipeline(corpus, work, args.jobs, args.queries, as_process=projects in args.process_at)
    if projects in args.plain_at:
        result.plain, result.plain_note = plain_route(work / "data.nt", args.plain_limit)
        for m in result.plain:
            print(f"  {m.step:<40} {_seconds(m):>10} {_memory(m):>9}  {m.note}", file=sys.stderr, flush=True)
    shutil.rmtree(work, ignore_errors=True)
    if args.corpora is None:
        shutil.rmtree(corpus, ignore_errors=True)
    return result


def _seconds(m: Measure | None) -> str:
    if m is None:
        return ""
    return m.note if m.seconds is None else f"{m.seconds:.2f} s"


def _work(m: Measure | None) -> str:
    """CPU seconds and disk megabytes read / written, as one cell."""
    if m is None or m.cpu_seconds is None:
        return ""
    return f"{m.cpu_seconds:.1f} CPU-s, {m.read_mb or 0:,.0f} / {m.written_mb or 0:,.0f} MB"


def _memory(m: Measure | None) -> str:
    return "" if m is None or m.peak_mb is None else f"{m.peak_mb:.0f} MB"


def pipeline_seconds(run: SizeRun) -> float:
    """Ingest into the store, reasoning, validation and the queries: the pipeline the plain route is compared with."""
    return sum(m.seconds or 0.0 for m in run.measures if m.step != "ingest -o .nt")


STORE_STEPS = ("ingest --store", "reason", "validate")


def ready_seconds(run: SizeRun) -> float | None:
    """From table files to a reasoned, validated, queryable store: None when a step did not finish."""
    found = [next((m for m in run.measures if m.step == step), None) for step in STORE_STEPS]
    if any(m is None or m.seconds is None or m.exit_status not in (0, 1) for m in found):
        return None
    return sum(m.seconds or 0.0 for m in found if m is not None)


def _verdict(met: bool | None) -> str:
    return "–" if met is None else ("met" if met else "**not met**")


def targets(runs: list[SizeRun]) -> list[str]:
    """The issue's targets beside what this run measured (a target for 100,000 projects is shown
    against the largest size run when 100,000 was not)."""
    largest = runs[-1]
    rows = ["| target | measured | |", "|---|---|---|"]
    ready = ready_seconds(largest)
    peak = max((m.peak_mb or 0) for m in largest.measures if m.step in STORE_STEPS) if largest.measures else 0
    at = f"at {largest.projects:,}"
    rows.append(f"| 100,000 projects to a reasoned, validated store in ≤ 15 min | {at}: "
                f"{'did not finish' if ready is None else f'{ready:.0f} s'} | "
                f"{_verdict(None if largest.projects != OPT_IN_SIZE else ready is not None and ready <= 900)} |")
    rows.append(f"| peak memory ≤ 8 GB | {at}: {peak:,.0f} MB | {_verdict(None if largest.projects != OPT_IN_SIZE else peak <= 8192)} |")
    for before, after in itertools.pairwise(runs):
        factor = after.projects / before.projects
        steep = [f"{m.step} {g:.1f}×" for m in after.measures if (g := _growth_factor(before, after, m.step)) is not None and g > 1.1 * factor]
        rows.append(f"| {factor:.0f}× the projects costs ≤ {1.1 * factor:g}× the time at each step ({before.projects:,}→{after.projects:,}) | "
                    f"{'; '.join(steep) if steep else 'every step within'} | {_verdict(not steep)} |")
    aggregates = [m for m in largest.measures if m.kind == "aggregate"]
    slow = [f"{m.step[6:]} {_seconds(m)}" for m in aggregates if m.seconds is None or m.seconds >= 1]
    rows.append(f"| every aggregate named query < 1 s on the 100,000-project store | {at}: "
                f"{len(aggregates) - len(slow)} of {len(aggregates)} under 1 s{'; ' + '; '.join(slow) if slow else ''} | "
                f"{_verdict(None if largest.projects != OPT_IN_SIZE else not slow)} |")
    listings = [m for m in largest.measures if m.kind == "listing" and m.rows_per_second is not None and _rows(m) >= 10_000]
    slowest = min(listings, key=lambda m: m.rows_per_second or 0, default=None)
    rows.append(f"| listing queries stream ≥ 100,000 rows/s | {at}: "
                + (f"slowest {slowest.step[6:]} {slowest.rows_per_second:,} rows/s ({len(listings)} listings of ≥ 10,000 rows)"
                   if slowest else "no listing of ≥ 10,000 rows")
                + f" | {_verdict(None if slowest is None else (slowest.rows_per_second or 0) >= 100_000)} |")
    for run in runs:
        if run.plain:
            rows += plain_targets(run)
    return rows


def _rows(measure: Measure) -> int:
    match = re.match(r"(\d+) rows", measure.produced)
    return int(match.group(1)) if match else 0


def _growth_factor(before: SizeRun, after: SizeRun, step: str) -> float | None:
    a = next((m for m in before.measures if m.step == step), None)
    b = next((m for m in after.measures if m.step == step), None)
    if a is None or b is None or not a.seconds or b.seconds is None:
        return None
    return b.seconds / a.seconds


def plain_targets(run: SizeRun) -> list[str]:
    """At the plain route's size: the whole pipeline ≥ 50× faster; store ingest + validation + the
    aggregate queries no slower than rdflib's parse of the same N-Triples."""
    whole = next(m for m in run.plain if m.step == "plain route, all")
    parse = next((m for m in run.plain if m.step == "plain parse"), None)
    ours = pipeline_seconds(run)
    plain = whole.seconds if whole.seconds is not None else float(whole.note.split()[-2])
    bound = "" if whole.seconds is not None else "at least "
    rows = [f"| whole pipeline ≥ 50× faster than the plain route ({run.projects:,}) | {bound}{plain / ours:.1f}× "
            f"({ours:.1f} s against {bound}{plain:.0f} s) | {_verdict(plain / ours >= 50 if whole.seconds is not None or plain / ours >= 50 else None)} |"]
    if parse is not None and parse.seconds:
        ours_core = sum(m.seconds or 0.0 for m in run.measures if m.step in ("ingest --store", "validate") or m.kind == "aggregate")
        rows.append(f"| ingest --store + validate + aggregate queries ≤ rdflib's parse ({run.projects:,}) | "
                    f"{ours_core:.1f} s against {parse.seconds:.1f} s ({ours_core / parse.seconds:.1f}×) | {_verdict(ours_core <= parse.seconds)} |")
    return rows


def growth(before: SizeRun, after: SizeRun, step: str) -> str:
    """Time ratio of a step between two sizes, next to the ratio of the sizes (linear = equal)."""
    factor = _growth_factor(before, after, step)
    return "" if factor is None else f"{factor:.1f}×"


def markdown(runs: list[SizeRun], args: argparse.Namespace) -> str:
    sizes = [r.projects for r in runs]
    header = ["step"] + [f"{n:,} projects" for n in sizes] + [f"peak memory at {n:,}" for n in sizes]
    header += [f"growth {a:,}→{b:,} ({b / a:.0f}× data)" for a, b in itertools.pairwise(sizes)]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    steps = list(dict.fromkeys(m.step for r in runs for m in r.measures))
    for step in steps:
        found = [next((m for m in r.measures if m.step == step), None) for r in runs]
        kind = next((m.kind for m in found if m is not None and m.kind), "")
        cells = [f"{step} ({kind})" if kind else step] + [_seconds(m) for m in found] + [_memory(m) for m in found]
        cells += [growth(a, b, step) for a, b in itertools.pairwise(runs)]
        lines.append("| " + " | ".join(cells) + " |")
    totals = [f"**{pipeline_seconds(r):.1f} s**" for r in runs]
    peaks = [f"{max((m.peak_mb or 0) for m in r.measures):.0f} MB" for r in runs]
    lines.append("| **pipeline (store ingest + reason + validate + queries)** | " + " | ".join(totals + peaks) + " |"
                 + " |" * (len(runs) - 1))
    out = [f"Generated on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {platform.node()} ({os.cpu_count()} cores), "
           f"Python {platform.python_version()}; corpus: years {' '.join(map(str, args.years))}, N/50 units (≥ 5), "
           f"damage {args.damage}, defects {args.defects}, seed {args.seed}; --jobs {args.jobs}; "
           f"load average at the end {' '.join(f'{x:.1f}' for x in os.getloadavg())}.", "",
           "| size | files | triples (ingest -o .nt) |", "|---|---|---|"]
    out += [f"| {r.projects:,} | {r.files} | {r.triples if r.triples is not None else '?'} |" for r in runs]
    out += ["", *lines]
    out += ["", "CPU time (user + system, with the step's worker processes) and disk I/O (MB read / written, "
            "block I/O past the page cache) of each step:", "",
            "| step | " + " | ".join(f"{n:,} projects" for n in sizes) + " |", "|" + "---|" * (len(sizes) + 1)]
    out += [f"| {step} | " + " | ".join(_work(next((m for m in r.measures if m.step == step), None)) for r in runs) + " |"
            for step in steps]
    ready = [f"{r.projects:,}: {'did not finish' if (t := ready_seconds(r)) is None else f'{t:.1f} s'}" for r in runs]
    out += ["", "From table files to a reasoned, validated store (ingest --store + reason + validate): " + "; ".join(ready) + ".",
            "Query times are measured inside one process (benchmarks/time_query.py); the note gives the time as a "
            "`jixiao query` process, start-up included.", "", "## Targets", "", *targets(runs)]
    slow = [(r.projects, m) for r in runs for m in r.measures if m.step.startswith("query ") and (m.seconds is None or m.seconds > 1)]
    if slow:
        out += ["", "Queries over 1 s: " + "; ".join(f"{m.step[6:]} at {n:,}: {_seconds(m)}" for n, m in slow) + "."]
    for r in runs:
        if r.plain:
            out += ["", f"Plain route at {r.projects:,} projects (limit {args.plain_limit:.0f} s):", "",
                    "| phase | time | peak memory |", "|---|---|---|"]
            out += [f"| {m.step} | {_seconds(m)} | {_memory(m)} |" for m in r.plain]
            out += ["", plain_ratio(r)]
    return "\n".join(out) + "\n"


def plain_ratio(run: SizeRun) -> str:
    whole = next(m for m in run.plain if m.step == "plain route, all")
    ours = pipeline_seconds(run)
    if whole.seconds is None:
        limit = float(whole.note.split()[-2])
        return f"The plain route {run.plain_note}: it takes at least {limit / ours:.1f}× as long as the pipeline ({ours:.1f} s)."
    return f"The plain route ({whole.seconds:.1f} s) takes {whole.seconds / ours:.1f}× as long as the pipeline ({ours:.1f} s)."


def parse_arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=None, help="numbers of projects (default 1000 10000)")
    parser.add_argument("--years", type=int, nargs="+", default=[2023, 2024])
    parser.add_argument("--damage", type=float, default=0.05, help="share of rows shifted or merged by the conversion")
    parser.add_argument("--defects", type=float, default=0.1, help="share of projects with a reviewer's finding")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="ingest's --jobs")
    parser.add_argument("--plain-at", type=int, nargs="*", default=[1000], help="sizes at which to run the plain route")
    parser.add_argument("--plain-limit", type=float, default=900.0, help="seconds before the plain route is stopped")
    parser.add_argument("--process-at", type=int, nargs="*", default=[1000],
                        help="sizes at which each query also runs as a `jixiao query` process (default 1000)")
    parser.add_argument("--queries", nargs="+", default=None, help="only these named queries (default: all)")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    parser.add_argument("--corpora", type=Path, default=None, help="keep the generated corpora here and reuse them in later runs")
    parser.add_argument("--scratch", type=Path, default=None, help="where corpora and stores are made (default: a temporary folder)")
    args = parser.parse_args(argv)
    if args.sizes is None:
        args.sizes = [*DEFAULT_SIZES, *([OPT_IN_SIZE] if os.environ.get(OPT_IN_ENV) == "1" else [])]
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse_arguments(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="jixiao-bench-", dir=args.scratch) as scratch:
        runs = [run_size(n, args, Path(scratch)) for n in sorted(args.sizes)]
    classify(runs)
    settings: dict[str, Any] = {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()}
    record = {"settings": settings, "machine": {"node": platform.node(), "cores": os.cpu_count(), "python": platform.python_version()},
              "runs": [asdict(r) for r in runs]}
    (args.out / "scale.json").write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    table = markdown(runs, args)
    (args.out / "scale.md").write_text(table, encoding="utf-8")
    print(table)


if __name__ == "__main__":
    main()
