"""A write to a SPARQL server: tables staged where queries do not look, then switched in by one SPARQL Update.

Each `put` uploads a table's triples into a staging graph of its own (Graph Store PUT or INSERT
DATA batches, as `RemoteEndpoint._upload`; counted before going on); `drop` stages an empty one.
`commit` writes a control graph saying which staging graph replaces which table graph (and what
the registry should say about it), then sends ONE update request that, in the server's one
transaction: takes out of the union graph the triples of the replaced tables that no other
table still holds, empties the replaced graphs and their registry entries, copies the staged
triples into their table graphs and into the union, writes the new registry entries, and drops
the staging and control graphs. Queries read the union graph (`default-graph-uri`), so they see
the old tables or the new ones, never a mix; a client killed before the update leaves only
staging graphs, which no query reads and the next write drops.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rdflib import Literal

from jixiao.stores.base import OutcomeUnknown
from jixiao.stores.remote.bulk import BulkStaging, has_blank_nodes
from jixiao.stores.remote.client import may_still_run
from jixiao.stores.remote.dialects import EndpointError
from jixiao.stores.tables import (
    FORMAT,
    FORMAT_SUBJECT,
    INTERNAL_PREFIX,
    REGISTRY_GRAPH,
    REPLACES,
    STAGING_PREFIX,
    STORE_FORMAT,
    UNION_GRAPH,
    SubjectGroups,
    TableRecord,
    WriteSummary,
)

if TYPE_CHECKING:
    from jixiao.stores.remote.endpoint import RemoteEndpoint

# The switch's time allowance: Virtuoso copied 2,700-5,000 staged triples a second into the table graphs and
# the union on this project's 2-core machine under load (200 tables: 30-36 s; 1,000 tables: over 260 s). A
# switch cut off by the client's timeout goes on in the server, leaving the client unsure: allow plenty.
SWITCH_TRIPLES_PER_SECOND = 500


def switch_update(control: str, emptied: Sequence[str] = ()) -> str:
    """The one update that switches every staged table in (see the module's documentation); `emptied`:
    graphs to drop at the end on a server that keeps a graph listed once its triples are deleted."""
    pairs = f"GRAPH <{control}> {{ ?staged <{REPLACES}> ?table }}"
    return f"""DELETE {{ GRAPH <{UNION_GRAPH}> {{ ?s ?p ?o }} }} WHERE {{
  {pairs}
  GRAPH ?table {{ ?s ?p ?o }}
  FILTER NOT EXISTS {{
    GRAPH ?holder {{ ?s ?p ?o }}
    FILTER(!STRSTARTS(STR(?holder), "{INTERNAL_PREFIX}"))
    FILTER NOT EXISTS {{ GRAPH <{control}> {{ ?replacing <{REPLACES}> ?holder }} }}
  }}
}} ;
DELETE {{ GRAPH ?table {{ ?s ?p ?o }} }} WHERE {{ {pairs} GRAPH ?table {{ ?s ?p ?o }} }} ;
DELETE {{ GRAPH <{REGISTRY_GRAPH}> {{ ?table ?p ?o }} }} WHERE {{ {pairs} GRAPH <{REGISTRY_GRAPH}> {{ ?table ?p ?o }} }} ;
INSERT {{ GRAPH ?table {{ ?s ?p ?o }} GRAPH <{UNION_GRAPH}> {{ ?s ?p ?o }} }} WHERE {{ {pairs} GRAPH ?staged {{ ?s ?p ?o }} }} ;
INSERT {{ GRAPH <{REGISTRY_GRAPH}> {{ ?table ?p ?o }} }} WHERE {{ {pairs} GRAPH <{control}> {{ ?staged ?p ?o FILTER(?p != <{REPLACES}>) }} }} ;
INSERT DATA {{ GRAPH <{REGISTRY_GRAPH}> {{ <{FORMAT_SUBJECT}> <{FORMAT}> "{STORE_FORMAT}" }} }} ;
DELETE {{ GRAPH ?staged {{ ?s ?p ?o }} }} WHERE {{ {pairs} GRAPH ?staged {{ ?s ?p ?o }} }} ;
{"".join(f"DROP SILENT GRAPH <{graph}> ;{chr(10)}" for graph in emptied)}DROP SILENT GRAPH <{control}>"""


class RemoteWriter:
    """One write to a RemoteEndpoint (see the module's documentation)."""

    def __init__(self, endpoint: RemoteEndpoint) -> None:
        self.endpoint = endpoint
        self.run = uuid.uuid4().hex
        self.control = f"{STAGING_PREFIX}{self.run}"
        self.pairs: list[tuple[str, str, TableRecord | None]] = []  # staging graph, table graph, registry entry
        self.temporaries: list[str] = []
        self.summary = WriteSummary()
        self.triples = 0
        self.done = False
        endpoint.drop_temporary_graphs()  # what writes killed before their switch left behind
        self.held = {record.graph: record for record in endpoint.tables()}
        # With a bulk load, tables are written to files and loaded into their staging graphs at commit (bulk.py).
        self.bulk = BulkStaging(endpoint.bulk_load, self.run) if endpoint.bulk_load is not None else None

    def put(self, graph: str, lines: Sequence[str], record: TableRecord, scopes: bytes | None = None,
            groups: SubjectGroups | None = None) -> int:
        # `scopes` and `groups` ignored: a server's table graph keeps every line (the switch's one update reads the graphs whole).
        try:
            return self._put(graph, lines, record)
        except EndpointError as error:
            raise EndpointError(f"{error}; nothing was switched in: the server's data (graph <{graph}> among them) are left unchanged",
                                error.status) from error

    def _put(self, graph: str, lines: Sequence[str], record: TableRecord) -> int:
        if record.digest and self.held.get(graph) == record and not any(table == graph for _, table, _ in self.pairs):
            self.summary.replaced[graph] = len(lines)
            self.summary.records[graph] = record
            return len(lines)  # the server holds this very table already
        table = list(lines)
        if not table:
            staged = self._empty()
        elif self.bulk is not None and not has_blank_nodes(table):
            staged = self.bulk.stage(table)
        else:
            staged = self.endpoint.upload_staging(table, self.temporaries)
        self.pairs.append((staged, graph, record))
        self.summary.replaced[graph] = len(lines)
        self.summary.records[graph] = record
        self.triples += len(lines)
        return len(lines)

    def drop(self, graph: str) -> None:
        self.pairs.append((self._empty(), graph, None))
        self.summary.replaced.pop(graph, None)
        self.summary.dropped.append(graph)

    def _empty(self) -> str:
        return f"{STAGING_PREFIX}{self.run}:empty:{len(self.pairs)}"

    def commit(self) -> WriteSummary:
        if self.bulk is not None:
            # Staging graphs a failed load leaves are not dropped one by one here (a corpus stages thousands):
            # no query reads them, and the next write drops them.
            self.bulk.load(self.endpoint)
            self.bulk.close()
            self.bulk = None
        # A table put twice in one write: only its last staging graph is switched in.
        last = {graph: index for index, (_, graph, _) in enumerate(self.pairs)}
        lines = []
        switched = set()
        for index, (staged, graph, record) in enumerate(self.pairs):
            if last[graph] != index:
                continue
            switched.add(staged)
            lines.append(f"<{staged}> <{REPLACES}> <{graph}> .\n")
            for predicate, value in record.statements() if record else ():
                lines.append(f"<{staged}> <{predicate}> {Literal(value).n3()} .\n")
        for start in range(0, len(lines), self.endpoint.batch_size):
            self.endpoint.update(f"INSERT DATA {{ GRAPH <{self.control}> {{\n{''.join(lines[start:start + self.endpoint.batch_size])}}} }}", retry=True)
        # Never retried: after an error the server has done all of it or nothing (one transaction).
        emptied = [*switched, *self.summary.dropped] if self.endpoint.dialect.keeps_empty_graphs else []
        timeout = self.endpoint.timeout + self.triples / SWITCH_TRIPLES_PER_SECOND
        try:
            self.endpoint.update(switch_update(self.control, emptied), timeout=timeout)
        except EndpointError as error:
            if may_still_run(error.__cause__):
                self.done = True  # nothing to clean up: the server may be switching these very graphs in
                raise OutcomeUnknown(f"{error}; the switch was sent and may still be carried out by the server: it will hold either the "
                                     f"tables as they were or all of the new ones, never a mix; check with a query, or run the same load "
                                     f"again (unchanged tables are not rewritten) / 切换请求已发出但未获应答，服务器可能仍在执行："
                                     f"库中要么是原有各表，要么全部为新表") from error
            raise
        self.endpoint.union_exists = True
        self.done = True
        self.endpoint._drop_quietly([graph for graph in self.temporaries if graph not in switched])  # tables put twice, uploads retried
        return self.summary

    def abort(self) -> None:
        if self.done:
            return
        self.done = True
        if self.bulk is not None:
            self.bulk.close()
        # Quietly: the error that stopped the write is the one to report; what stays is dropped by the next write.
        self.endpoint._drop_quietly([*self.temporaries, self.control])
