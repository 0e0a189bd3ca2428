"""A bounded load test of `jixiao serve` on 127.0.0.1: requests per second, latency percentiles,
errors and the server's memory over time, for a project page and for a named query.

    python benchmarks/load_serve.py --store STORE [--clients 20] [--seconds 60] [--workers 2]
    python benchmarks/load_serve.py --url http://127.0.0.1:8000   # a server already running

With --store the script starts `jixiao serve --store STORE` itself on a free port of 127.0.0.1
and stops it at the end; memory is the resident size (VmRSS) of the server and its query
workers together, sampled every few seconds. A store of 10,000 projects:

    python benchmarks/generate_corpus.py /tmp/corpus --projects 10000 --agencies 40 --years 2023 2024
    jixiao ingest /tmp/corpus --store /tmp/store
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from jixiao.queries import library

MEMORY_SAMPLE_SECONDS = 5.0
PROJECTS_SAMPLED = 500
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


@dataclass
class Scenario:
    name: str
    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def report(self) -> dict[str, object]:
        ordered = sorted(self.latencies)

        def percentile(share: float) -> float:
            return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000, 1) if ordered else 0.0

        return {"scenario": self.name, "requests": len(ordered), "errors": self.errors, "requests_per_second": round(len(ordered) / self.seconds, 1),
                "p50_ms": percentile(0.50), "p95_ms": percentile(0.95), "p99_ms": percentile(0.99), "max_ms": percentile(1.0)}


def process_tree_rss(pid: int) -> int:
    """Resident memory in KiB of a process and all its descendants (from /proc)."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            with open(f"/proc/{current}/status", encoding="ascii") as status:
                total += next((int(line.split()[1]) for line in status if line.startswith("VmRSS:")), 0)
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children", encoding="ascii") as children:
                    pending.extend(int(child) for child in children.read().split())
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


async def client_loop(client: httpx.AsyncClient, scenario: Scenario, make_request: object, deadline: float) -> None:
    while time.monotonic() < deadline:
        started = time.monotonic()
        try:
            response = await make_request(client)  # type: ignore[operator]
            key = None if response.status_code == 200 else str(response.status_code)
        except httpx.HTTPError as error:
            key = type(error).__name__
        if key is None:
            scenario.latencies.append(time.monotonic() - started)
        else:
            scenario.errors[key] = scenario.errors.get(key, 0) + 1


async def run(url: str, clients: int, seconds: float, server_pid: int | None, with_parameter: bool = False) -> dict[str, object]:
    memory: list[tuple[float, int]] = []
    start = time.monotonic()
    async with httpx.AsyncClient(base_url=url, timeout=120, limits=httpx.Limits(max_connections=clients)) as client:
        prefix = "PREFIX jx: <https://w3id.org/jixiao/ontology#> "
        accept = {"Accept": "application/sparql-results+json"}
        # The project page with the indicator table: one declared table, a project in one year.
        query = prefix + f"SELECT ?p WHERE {{ ?p a jx:ProjectYear }} LIMIT {PROJECTS_SAMPLED}"
        answer = await client.get("/sparql", params={"query": query}, headers=accept)
        answer.raise_for_status()
        projects = [row["p"]["value"] for row in answer.json()["results"]["bindings"]]
        base = projects[0][: projects[0].index("/project/") + 1]
        pages = [f"/page/{iri[len(base):]}.html" for iri in projects]
        count = await client.get("/sparql", params={"query": prefix + "SELECT (COUNT(*) AS ?n) WHERE { ?p a jx:Project }"}, headers=accept)
        total_projects = int(count.json()["results"]["bindings"][0]["n"]["value"])
        named = library()["budget-by-unit"].text
        names_query = prefix + f"SELECT DISTINCT ?name WHERE {{ ?p a jx:Project ; <{RDFS_LABEL}> ?name }} LIMIT {PROJECTS_SAMPLED}"
        names = [row["name"]["value"] for row in (await client.get("/sparql", params={"query": names_query}, headers=accept)).json()["results"]["bindings"]]

        async def project_page(http: httpx.AsyncClient) -> httpx.Response:
            return await http.get(random.choice(pages))

        async def named_query(http: httpx.AsyncClient) -> httpx.Response:
            return await http.post("/sparql", data={"query": named}, headers={"Accept": "application/sparql-results+json"})

        async def named_query_with_parameter(http: httpx.AsyncClient) -> httpx.Response:
            return await http.get("/queries/indicators", params={"project": random.choice(names), "format": "json"})

        async def sample_memory(until: float) -> None:
            while time.monotonic() < until and server_pid is not None:
                memory.append((round(time.monotonic() - start, 1), process_tree_rss(server_pid)))
                await asyncio.sleep(MEMORY_SAMPLE_SECONDS)

        results = []
        scenarios = [("project(-year) page", project_page), ("named query budget-by-unit over the whole store (/sparql)", named_query)]
        if with_parameter:
            # indicators.rq filters on its parameters after joining every indicator: about 40 s on
            # 10,000 projects, so at 20 clients it only measures the time limit.
            scenarios.append(("named query indicators of one project (/queries/indicators?project=…)", named_query_with_parameter))
        for name, make_request in scenarios:
            scenario = Scenario(name)
            began = time.monotonic()
            deadline = began + seconds
            await asyncio.gather(sample_memory(deadline), *(client_loop(client, scenario, make_request, deadline) for _ in range(clients)))
            scenario.seconds = time.monotonic() - began
            results.append(scenario.report())
    return {"url": url, "projects": total_projects, "clients": clients, "seconds_per_scenario": seconds, "scenarios": results,
            "rss_kib_over_time": memory}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(store: Path, workers: int, cache_seconds: float) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "jixiao", "serve", "--store", str(store), "--port", str(port), "--workers", str(workers),
                                "--cache-seconds", str(cache_seconds)],
                               start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    for _ in range(240):
        try:
            if httpx.get(url + "/sparql", params={"query": "ASK {}"}, timeout=5).status_code == 200:
                return process, url
        except httpx.TransportError:
            pass
        if process.poll() is not None:
            raise SystemExit(f"jixiao serve ended with exit code {process.returncode}")
        time.sleep(0.5)
    os.killpg(process.pid, signal.SIGTERM)
    raise SystemExit("jixiao serve did not answer within 120 s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--store", type=Path, help="start `jixiao serve --store STORE` for the test")
    where.add_argument("--url", help="test a server already running (no memory figures)")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0, help="per scenario")
    parser.add_argument("--workers", type=int, default=2, help="query workers of the server started with --store")
    parser.add_argument("--cache-seconds", type=float, default=300.0, help="page cache of the server started with --store (0: off)")
    parser.add_argument("--with-parameter", action="store_true", help="also a named query with a parameter (indicators of one project)")
    args = parser.parse_args()
    process = None
    url = args.url
    if args.store is not None:
        process, url = start_server(args.store, args.workers, args.cache_seconds)
    try:
        report = asyncio.run(run(url.rstrip("/"), args.clients, args.seconds, process.pid if process else None, args.with_parameter))
    finally:
        if process is not None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(30)
    print(json.dumps({**report, "cache_seconds": args.cache_seconds if args.store else None}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
