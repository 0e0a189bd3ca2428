"""Virtuoso's bulk loader (`ld_dir` + `rdf_loader_run()`) for the staging graphs of a write.

The HTTP path uploads each table into its staging graph with INSERT DATA batches or a Graph Store
PUT, a request or more per table. With a directory the server reads (its `DirsAllowed`) and its
SQL port, a write can instead append every table's triples, as N-Quads naming its staging graph,
to a few files there, and have the server load them all at once with its bulk loader. Only the
staging differs: the loaded graphs are counted like uploaded ones, and the same one SPARQL
Update (writer.py) switches them in, so the tables, the registry and the union graph are what the
HTTP path makes, and a load that fails or is interrupted changes nothing the queries read (the
staging graphs it leaves are dropped by the next write, its files and load-list entries now).

Blank nodes would be merged across the tables of one file, so a table that has them goes the
HTTP way (jixiao's own tables have none).
"""

from __future__ import annotations

import os
import re
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

from jixiao.stores.remote.dialects import EndpointError
from jixiao.stores.remote.virtuoso_sql import VirtuosoSql
from jixiao.stores.tables import TEMP_GRAPH_PREFIX

if TYPE_CHECKING:
    from jixiao.stores.remote.endpoint import RemoteEndpoint

PASSWORD_ENV = "JIXIAO_SQL_PASSWORD"  # the SQL account's password: from the environment, never an argument anyone can see in `ps`
DEFAULT_SQL_PORT = 1111
LINES_PER_FILE = 400_000  # the loader takes a file per thread: several files, and no one file of gigabytes
_BLANK_NODE = re.compile(r"(?:^|\s)_:")


@dataclass(frozen=True)
class BulkLoad:
    """How to reach Virtuoso's bulk loader: a folder both sides see, and the SQL port (isql's) with an account allowed to run it."""

    directory: Path  # where this client writes the files
    sql: str  # host:port of the SQL port
    user: str = "dba"
    password: str = ""
    server_directory: str | None = None  # the folder as the server names it, when mounted elsewhere there

    @property
    def server_path(self) -> str:
        return self.server_directory or str(self.directory.resolve())


def has_blank_nodes(lines: list[str]) -> bool:
    return any("_:" in line and _BLANK_NODE.search(line) for line in lines)


class BulkStaging:
    """The staging graphs of one write, as N-Quads files for the bulk loader (see the module's documentation)."""

    def __init__(self, settings: BulkLoad, run: str) -> None:
        self.settings = settings
        self.prefix = f"jixiao-{run}-"
        self.graph_prefix = f"{TEMP_GRAPH_PREFIX}{run}:"
        self.expected: dict[str, int] = {}  # staging graph -> distinct triples written for it
        self.files: list[Path] = []
        self.handle: IO[str] | None = None
        self.lines_in_file = 0
        self.sql = VirtuosoSql(settings.sql, settings.user, settings.password)
        try:
            self._check_directory()
        except BaseException:
            self.sql.close()
            raise

    def _check_directory(self) -> None:
        """The server may read the folder (DirsAllowed) and sees what this client writes there: else an error naming the fix."""
        folder, seen_as = self.settings.directory, self.settings.server_path
        if not folder.is_dir():
            raise EndpointError(f"--bulk-dir {folder}: no such directory (create it, in a place the Virtuoso server reads)")
        probe = folder / f"{self.prefix}probe.txt"
        try:
            probe.write_text("jixiao\n", encoding="utf-8")
        except OSError as error:
            raise EndpointError(f"--bulk-dir {folder}: cannot write there: {error.strerror}") from error
        try:
            self.sql.execute("SELECT sys_dirlist(?, 1)", [seen_as])
            seen = self.sql.execute("SELECT file_stat(?)", [f"{seen_as.rstrip('/')}/{probe.name}"])
        except EndpointError as error:
            if "FA003" in str(error):
                raise EndpointError(f"Virtuoso may not read {seen_as}: add it to DirsAllowed in the [Parameters] section of the server's "
                                    "virtuoso.ini and restart the server (scripts/virtuoso-start.sh: VIRT_LOAD_DIRS)") from error
            raise EndpointError(f"Virtuoso cannot list {seen_as} ({error}): give the folder as the server names it (--bulk-server-dir)") from error
        finally:
            probe.unlink(missing_ok=True)
        if not seen or seen[0][0] in (None, "0"):
            raise EndpointError(f"Virtuoso does not see the files written to {folder} in {seen_as}: the server runs elsewhere; give a folder both "
                                "see, and --bulk-server-dir with its path on the server")

    def stage(self, lines: list[str]) -> str:
        """Append a table's N-Triples lines as N-Quads of a fresh staging graph; that graph's IRI."""
        graph = f"{self.graph_prefix}{uuid.uuid4().hex}"
        if self.handle is None or self.lines_in_file >= LINES_PER_FILE:
            self._next_file()
        assert self.handle is not None
        suffix = f" <{graph}> .\n"
        distinct = dict.fromkeys(line.rstrip().removesuffix(".").rstrip() for line in lines if line.strip())
        self.handle.write("".join(triple + suffix for triple in distinct))
        self.lines_in_file += len(distinct)
        self.expected[graph] = len(distinct)
        return graph

    def _next_file(self) -> None:
        if self.handle is not None:
            self.handle.close()
        self.files.append(self.settings.directory / f"{self.prefix}{len(self.files):05d}.nq")
        self.handle = self.files[-1].open("w", encoding="utf-8")
        self.lines_in_file = 0

    def load(self, endpoint: RemoteEndpoint) -> None:
        """Load every file with ld_dir + rdf_loader_run(), then check each staging graph's triple count."""
        if self.handle is not None:
            self.handle.close()
            self.handle = None
            for path in self.files:
                os.chmod(path, 0o644)  # the server may run as another user
        if not self.expected:
            return
        where = self.settings.server_path
        try:
            self.sql.execute("ld_dir(?, ?, ?)", [where, f"{self.prefix}%.nq", f"{self.graph_prefix}unused"])
            self.sql.execute("rdf_loader_run()")
            failed = self.sql.execute("SELECT ll_file, ll_error FROM DB.DBA.LOAD_LIST WHERE ll_file LIKE ? AND ll_error IS NOT NULL",
                                      [f"%{self.prefix}%"])
        finally:
            self._forget()
        if failed:
            raise EndpointError(f"Virtuoso's bulk loader failed on {failed[0][0]}: {failed[0][1]}")
        self._check_counts(endpoint)

    def _check_counts(self, endpoint: RemoteEndpoint) -> None:
        query = (f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), \"{self.graph_prefix}\")) }} GROUP BY ?g")
        loaded = {str(row["g"]): int(str(row["n"])) for row in endpoint._select(query, {}).rows if row.get("g") is not None}
        for graph, expected in self.expected.items():
            if loaded.get(graph, 0) != expected:
                raise EndpointError(f"{endpoint.urls.query}: {expected} triples were written for the bulk loader into <{graph}> but the server "
                                    f"stored {loaded.get(graph, 0)}")

    def _forget(self) -> None:
        """The files and the loader's entries for them: gone, whether the load worked or not."""
        for path in self.files:
            path.unlink(missing_ok=True)
        self.sql.execute("DELETE FROM DB.DBA.LOAD_LIST WHERE ll_file LIKE ?", [f"%{self.prefix}%"])

    def close(self) -> None:
        """Give up: the files are deleted (graphs already loaded are the writer's to drop)."""
        if self.handle is not None:
            self.handle.close()
            self.handle = None
        try:
            self._forget()
        except EndpointError:
            pass  # the error that stopped the write is the one to report
        finally:
            self.sql.close()
