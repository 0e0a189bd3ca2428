"""`jixiao reason DATA ... -o OUT`: the graph with its OWL RL entailments, written atomically;
`jixiao reason --store DIR` (or `--endpoint URL`): the entailments the store's data still lack,
found by SPARQL rules run inside the store and kept in a graph of their own.

Tables ingested into a store already carry their entailments (each table is reasoned over where
it is mapped, jixiao.graph.build.produce_file), and their registry entries say under which schema
(TableRecord.closed_under, the digest jixiao.graph.reason.schema_digest). Every rule takes one
triple to its consequences, so a graph closed under the current schema adds nothing, and the
union of such graphs is closed: the rules read only the other graphs (graphs_to_reason) — the
ontology's own, RDF and tables loaded without entailments, tables mapped under another ontology —
while a candidate still counts as held when any data graph holds it. On a store of ingested
tables that is the ontology graph alone, whatever the number of tables. By design, a triple
written into a closed table graph by other means than ingest is not reasoned over.

The rules are compiled from the ontology's axioms (jixiao.graph.reason.entailment_rules); their
results replace the graph <BASE/graph/inferred> whole, and that graph is never read by the rules
nor counts as holding a triple, so running it twice gives the same store and after a graph is
dropped nothing inferred from it remains. Reasoning only adds: what a table mapped under an older
ontology holds that the current one no longer entails stays until the table is ingested again.

The default engine is the fast route compiled from the ontology's axioms (jixiao.graph.reason);
`--engine owlrl` runs the owlrl reference closure, which infers the same triples for these axioms
plus OWL RL's tautologies (owl:Thing typing, owl:sameAs reflexivity ...) and takes some 40× longer.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import click
from rdflib import Literal, URIRef

from jixiao.cli.backends import open_endpoint, open_store
from jixiao.cli.shared import Command, allow_basic_option, base_option, data_files, format_option, stderr_warn, year_option
from jixiao.errors import UsageError
from jixiao.graph import (
    ENGINES,
    OUTPUT_FORMATS,
    disjointness_violations,
    graph_of,
    inferred,
    load_graph,
    materialise,
    output_format_for,
    write_graph,
)
from jixiao.graph.reason import entailment_rules, schema_digest
from jixiao.stores import QueryBackend
from jixiao.stores.tables import CLOSED_UNDER, INTERNAL_PREFIX, OWNED_BY, OWNED_GRAPH, REGISTRY_GRAPH


def inferred_graph_iri(base: str) -> str:
    """The named graph that holds what the rules inferred in a store."""
    return f"{base if base.endswith(('/', '#')) else base + '/'}graph/inferred"


# Above this share of unclosed graphs, one query per rule over every graph beats one per graph:
# on 1,000 generated projects a table graph costs about 50 ms read alone, about 22 ms within all.
_READ_ONE_BY_ONE_UP_TO = 0.25


def graphs_to_reason(backend: QueryBackend, base: str, schema: str | None = None) -> tuple[list[str], int]:
    """The data graphs the rules must read: those whose record does not say they are closed under `schema`
    (the current ontology's `schema_digest`); and how many data graphs there are in all.

    A table ingested with its entailments records the digest of the schema it was closed under
    (TableRecord.closed_under); its triples' consequences are all in it, so reading it again
    finds nothing. What remains are the ontology's graph, RDF loaded as it is (`jixiao load`,
    `load --graph`, `replace_graph`), tables loaded without entailments and tables closed under
    another (older) ontology. The inferred graph itself is never read: its triples' consequences
    are those of the triples they came from, and reading it would keep what a dropped graph entailed.
    """
    closed = {str(row["graph"]) for row in backend.select(_CLOSED_GRAPHS, {"schema": Literal(schema or schema_digest())}).rows}
    target = inferred_graph_iri(base)
    data = [graph for graph in backend.graph_names() if graph != target]
    return [graph for graph in data if graph not in closed], len(data)


_CLOSED_GRAPHS = f"SELECT ?graph WHERE {{ GRAPH <{REGISTRY_GRAPH}> {{ ?graph <{CLOSED_UNDER}> ?schema }} }}"


def store_rules(backend: QueryBackend, base: str) -> tuple[list[str], int]:
    """The rules to run in the store (see graphs_to_reason) and how many graphs they read.

    The graphs not known to be closed are read one by one (cost: their size); when they are most
    of the store (a store loaded without entailments, or ingested under another ontology), every
    graph is read by one query per rule instead.
    """
    target = inferred_graph_iri(base)
    unclosed, data = graphs_to_reason(backend, base)
    # A table graph is read with the statements of its own subjects (the embedded store keeps them in the union
    # alone); where nothing is owned, the rules read graphs alone, which is much faster (see entailment_rules).
    owned = (OWNED_GRAPH, OWNED_BY) if _owns(backend, "?graph") else None
    if len(unclosed) > _READ_ONE_BY_ONE_UP_TO * data:
        return entailment_rules(exclude_graph=target, exclude_prefix=INTERNAL_PREFIX, owned=owned), data
    return [rule for graph in unclosed
            for rule in entailment_rules(exclude_graph=target, exclude_prefix=INTERNAL_PREFIX, body_graph=graph, owned=owned,
                                         body_owns=owned is not None and _owns(backend, URIRef(graph).n3()))], len(unclosed)


def _owns(backend: QueryBackend, graph: str) -> bool:
    """Whether a graph (an N-Triples IRI, or a variable for any graph) owns a subject in the store."""
    return backend.ask(f"ASK {{ GRAPH <{OWNED_GRAPH}> {{ ?subject <{OWNED_BY}> {graph} }} }}", {})


def reason_in_store(backend: QueryBackend, base: str) -> tuple[int, int]:
    """Run the entailment rules inside the store over the graphs not known to be closed; keep their
    results in the inferred graph, replaced whole; return how many triples were inferred and how
    many graphs the rules read."""
    target = inferred_graph_iri(base)
    rules, read = store_rules(backend, base)
    with tempfile.TemporaryDirectory(prefix="jixiao-reason-") as folder:
        path = Path(folder) / "inferred.nt"
        with path.open("w", encoding="utf-8") as out:
            lines = dict.fromkeys(f"{s.n3()} {p.n3()} {o.n3()} .\n" for rule in rules for s, p, o in backend.construct(rule, {}))
            out.writelines(lines)
        backend.replace_graph(target, path)
    return len(lines), read


@click.command(cls=Command)
@click.argument("inputs", nargs=-1)
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False, path_type=Path), help="Output RDF file (with DATA).")
@format_option(OUTPUT_FORMATS, None, "Output syntax (default: from the output's suffix, else ttl).")
@click.option("--engine", type=click.Choice(ENGINES), default="fast", show_default=True,
              help="fast: compiled from the ontology's axioms; owlrl: the owlrl OWL RL closure (reference, slow).")
@click.option("--inferred-only", is_flag=True, help="Write only the inferred triples, not the data and ontology.")
@click.option("--store", "store_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Reason inside this embedded Oxigraph store instead of over DATA.")
@click.option("--endpoint", default=None, help="Reason inside this SPARQL 1.1 store (query URL; update and Graph Store URLs derived).")
@click.option("--user", default=None, help="User for the endpoint's update/Graph Store access.")
@click.option("--password", default=None, envvar="JIXIAO_PASSWORD", help="Password (or env JIXIAO_PASSWORD).")
@allow_basic_option
@base_option
@year_option
def reason(inputs: tuple[str, ...], output: Path | None, output_format: str | None, engine: str, inferred_only: bool,
           store_dir: Path | None, endpoint: str | None, user: str | None, password: str | None, allow_basic_over_http: bool,
           base: str, year: int | None) -> None:
    """Add the OWL RL entailments of DATA + ontology (category hierarchy, inverse and sub-properties)
    to -o OUT, or those a store's data lack to the store (--store DIR or --endpoint URL)."""
    if sum(bool(x) for x in (inputs, store_dir, endpoint)) != 1:
        raise UsageError("give exactly one of: DATA files (with -o OUT), --store DIR, --endpoint URL")
    if not inputs:
        if output is not None or engine != "fast" or inferred_only:
            raise UsageError("-o, --engine and --inferred-only apply to DATA files, not to a store")
        if store_dir is not None and not store_dir.is_dir():
            raise UsageError(f"no store at {store_dir} (create it with: jixiao ingest FILES --store {store_dir})")
        backend = open_store(store_dir) if store_dir is not None else \
            open_endpoint(endpoint or "", user, password, allow_basic_over_http=allow_basic_over_http)
        start = time.perf_counter()
        try:
            if not backend.graph_names():
                # A folder that holds no store yet, or a server with nothing loaded: a write would make a store of
                # an empty inferred graph and report success, as if there were data that entails nothing.
                raise UsageError(f"{store_dir or endpoint} holds no data to reason over (put tables in first: "
                                 f"jixiao ingest FILES --store DIR, or jixiao load FILES --endpoint URL)")
            added, read = reason_in_store(backend, base)
        finally:
            backend.close()
        where = store_dir or endpoint
        click.echo(f"{added} triples inferred in {where} by rules run in the store reading {read} of its graphs "
                   f"in {time.perf_counter() - start:.2f} s → <{inferred_graph_iri(base)}>", err=True)
        return
    if output is None:
        raise UsageError("give -o OUT for the reasoned graph of DATA")
    fmt = output_format_for(output, output_format)
    if any(Path(i).resolve() == output.resolve() for i in inputs):
        raise UsageError(f"the output {output} is also an input; write the reasoned graph elsewhere")
    data_files(inputs)  # refused before anything is read or written
    graph = load_graph(inputs, base, year, warn=stderr_warn)
    asserted = graph_of(graph) if inferred_only else None
    size = len(graph)
    start = time.perf_counter()
    added = materialise(graph, engine)
    seconds = time.perf_counter() - start
    for message in disjointness_violations(graph):
        stderr_warn(f"inconsistent: {message}")
    if asserted is not None:
        graph = graph_of(inferred(asserted, graph, drop_tautologies=False))
    write_graph(graph, output, fmt)
    click.echo(f"{size} triples (data + ontology) + {added} inferred by {engine} in {seconds:.2f} s → {output} ({fmt})", err=True)

