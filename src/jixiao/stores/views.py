"""Views kept by the embedded store's writer: a named query's answer for every parameter selection, stored in
jixiao's own graphs and brought up to date by each write (docs/stores.md, "Views kept by the writer").

What a view holds is SPARQL in `queries/views/NAME.rq` (its header says the rest, below); this module
knows no query's logic, only the header's conventions:

    # view of: NAME            the named query it answers (read through queries/views/NAME.read.rq)
    # partition: VAR           the column whose value splits the view into parts recomputed alone (the agency)
    # members: SELECT ?m ...   given `VALUES ?partition {...}`, the resources whose solutions make those parts:
    #                          the view's SELECT is run with `VALUES ?m {...}` to recompute them (?m: a variable
    #                          of the view's SELECT, bound in all its solutions)
    # partitions: SELECT ?partition ?members   every partition value with the number of its members: a view made
    #                          whole is made as all its parts, in chunks of values whose members total a bounded number
    # dependents: SELECT ?partition ...   given `VALUES ?subject {...}` (the subjects a write took statements
    #                          about out of the union or put into it), the parts whose rows may depend on them;
    #                          an unbound ?partition, or too many subjects, recomputes the whole view
    # inputs: SELECT ...       what every part depends on (the vocabulary): when its answer changes, the whole view
    #                          is recomputed
    # unassigned: SELECT ?m ...   the members whose solutions leave the partition unbound (no agency): their rows
    #                          are recomputed by every write, since which members they are can change with any
    #                          statement (a unit's first label, a project's first declaring unit, a dropped unit)
    # whole: one evaluation   (optional) a write makes this view whole by one evaluation of its SELECT, not as all its
    #                          parts: for a view whose evaluation holds little beside its few groups, where the parts'
    #                          per-chunk cost is most of the build (the view's comments say what was measured)

In the view's SELECT, a line `#+ TEXT` is a comment, so not part of the query that makes the view whole, but is `TEXT`
in the query that recomputes parts, where `{{members}}` in it stands for the members' `VALUES ?m {...}` (written also at
the start of the outermost group). It restricts a sub-SELECT to what the members reach: Oxigraph evaluates a sub-SELECT
whole before joining it, so without it one part cost a tenth of the whole view at 10,000 projects.

The view's rows are stored as resources of its graph `urn:jixiao:view:NAME`, one predicate a bound column
(`urn:jixiao:view#COLUMN`; a row with no partition value also marked `urn:jixiao:view#unassigned`, so that
its part is found without reading every row), with the digest of the view's file and of its inputs' answer: a view whose file
changed (another jixiao) is not current, and is made again whole by the next write.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import NamedTuple

import pyoxigraph as ox

from jixiao.resources import resource_dir
from jixiao.stores.base import insert_block

VIEW_GRAPH_PREFIX = "urn:jixiao:view:"
VIEW_COLUMN = "urn:jixiao:view#"
DEFINITION = VIEW_COLUMN + "definition"  # the sha256 of the view's file: a view made by another definition is not current
INPUTS = VIEW_COLUMN + "inputs"  # the sha256 of its inputs' answer when the view was last made or brought up to date
# Marks a row whose partition column is unbound (no column name: a hyphen is not in a SPARQL variable's name).
UNASSIGNED = VIEW_COLUMN + "no-partition"
# A write whose subjects exceed this many recomputes the views whole (all their parts, in chunks),
# rather than asking for the dependents of every table it rewrote.
SUBJECTS_LIMIT = 20_000
# A view made whole is made as its parts, a chunk of partition values at a time whose members total at most this many
# (unless one value alone has more): Oxigraph's evaluation of the whole SELECT at once grew faster than the data
# (over 926 CPU-s, unfinished, at 100,000 projects), a part's reads only what its members reach.
WHOLE_CHUNK_MEMBERS = 1_000
# The header's `whole:` values: how a write makes the view whole.
WHOLE_BY_PARTS, WHOLE_AT_ONCE = "by parts", "one evaluation"

_HEADER = re.compile(r"^#\s*([\w ]+?):\s?(.*)$")
_CONTINUED = re.compile(r"^#\s{2,}(.*)$")
_PREFIX_LINE = re.compile(r"^\s*PREFIX\s.*$", re.M | re.I)
_PART_LINE = re.compile(r"^(\s*)#\+ ?(.*)$", re.M)  # a line of the query only where parts are recomputed
MEMBERS_PLACE = "{{members}}"  # in such a line: the members' VALUES block


@dataclass(frozen=True)
class View:
    """One view: its SELECT, the header's queries (each with the file's PREFIX lines) and the digest of its file."""

    name: str
    select: str
    partition: str
    members: str
    partitions: str
    dependents: str
    inputs: str
    unassigned: str
    definition: str
    whole_at_once: bool = False  # the header's `whole: one evaluation`

    @property
    def graph(self) -> str:
        return VIEW_GRAPH_PREFIX + self.name


def read_view(path: Path) -> View:
    """A view definition from its file (the header's lines, continued on lines indented by two spaces)."""
    text = path.read_text(encoding="utf-8")
    header: dict[str, str] = {}
    key = ""
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        continued = _CONTINUED.match(line)
        if continued and key:
            header[key] += " " + continued.group(1).strip()
            continue
        match = _HEADER.match(line)
        if match:
            key = match.group(1).strip()
            header[key] = match.group(2).strip()
    prefixes = "\n".join(_PREFIX_LINE.findall(text))
    missing = [k for k in ("view of", "partition", "members", "partitions", "dependents", "inputs", "unassigned") if not header.get(k)]
    if missing:
        raise ValueError(f"{path}: the view's header lacks {', '.join(missing)}")
    whole = header.get("whole", WHOLE_BY_PARTS)
    if whole not in (WHOLE_BY_PARTS, WHOLE_AT_ONCE):
        raise ValueError(f"{path}: the view's header says `whole: {whole}`, where `{WHOLE_BY_PARTS}` or `{WHOLE_AT_ONCE}` was expected")
    return View(name=header["view of"], select=text, partition=header["partition"], members=f"{prefixes}\n{header['members']}",
                partitions=f"{prefixes}\n{header['partitions']}",
                dependents=f"{prefixes}\n{header['dependents']}", inputs=f"{prefixes}\n{header['inputs']}",
                unassigned=f"{prefixes}\n{header['unassigned']}",
                definition=hashlib.sha256(text.encode("utf-8")).hexdigest(), whole_at_once=whole == WHOLE_AT_ONCE)


@cache
def view_definitions() -> tuple[View, ...]:
    """Every view shipped in queries/views/ (NAME.rq; NAME.read.rq is the named query's form that reads it)."""
    folder = resource_dir("queries") / "views"
    if not folder.is_dir():
        return ()
    return tuple(read_view(path) for path in sorted(folder.glob("*.rq")) if not path.name.endswith(".read.rq"))


def current_views(store: ox.Store) -> set[str]:
    """The names of the views the store holds as their definitions say today."""
    current = set()
    for view in view_definitions():
        stamp = ox.Quad(ox.NamedNode(view.graph), ox.NamedNode(DEFINITION), ox.Literal(view.definition), ox.NamedNode(view.graph))
        if stamp in store:
            current.add(view.name)
    return current


def _values(variable: str, terms: Iterable[ox.Term]) -> str:
    return f"VALUES ?{variable} {{ {' '.join(str(term) for term in terms)} }}"


def _inputs_digest(store: ox.Store, view: View) -> str:
    """A digest of the inputs' answer, whatever the order of its solutions."""
    rows = sorted("\t".join("" if term is None else str(term) for term in solution) for solution in store.query(view.inputs))
    return hashlib.sha256("\n".join(rows).encode("utf-8")).hexdigest()


def _stamp(store: ox.Store, view: View, predicate: str) -> str | None:
    for quad in store.quads_for_pattern(ox.NamedNode(view.graph), ox.NamedNode(predicate), None, ox.NamedNode(view.graph)):
        return quad.object.value
    return None


@dataclass
class Changes:
    """The parts of each view a write may have changed, gathered while it writes: partition values (None the part of no
    value), or None for the whole view."""

    parts: dict[str, set[ox.Term | None] | None] = field(default_factory=dict)
    subjects: int = 0


class ViewKeeper:
    """Keeps the views of one store across one write. Told the subjects whose statements a write takes out of the union
    (before it does) and, at commit, those it put in; asks each view which parts depend on them; recomputes those parts,
    and always the part of no partition value (its members are not found from the subjects a write touched)."""

    def __init__(self, store: ox.Store, keep: bool = True) -> None:
        # keep=False: a store whose views nobody reads (serve/publish of DATA); a write then drops any view graph.
        self.views = view_definitions() if keep else ()
        current = current_views(store) if self.views else set()
        self.changes = Changes({view.name: (set() if view.name in current else None) for view in self.views})
        # N-Quads text of the view rows this write bulk-loaded (views made whole): the writer's compaction counts it.
        self.bulk_loaded_chars = 0

    @property
    def tracking(self) -> bool:
        """Whether some view may still be kept in parts (otherwise nothing needs to be gathered)."""
        return any(parts is not None for parts in self.changes.parts.values())

    def note(self, store: ox.Store, subjects: set[ox.Term]) -> None:
        """Subjects whose statements in the union this write changes, in the store's state at that moment."""
        if not subjects or not self.tracking:
            return
        self.changes.subjects += len(subjects)
        if self.changes.subjects > SUBJECTS_LIMIT or not all(_writable(s) for s in subjects):
            self.changes.parts = dict.fromkeys(self.changes.parts)
            return
        for view in self.views:
            parts = self.changes.parts[view.name]
            if parts is None:
                continue
            parts.update(solution["partition"] for solution in store.query(insert_block(view.dependents, _values("subject", subjects))))

    def commit(self, store: ox.Store) -> dict[str, int]:
        """Bring every view up to date in the store as the write leaves it (subjects put noted already); rows written by view.
        A view graph this jixiao does not keep is dropped: kept by nobody, it would be read as current by a jixiao that
        has its definition again."""
        written = {}
        answers = Answers()
        for view in self.views:
            inputs = _inputs_digest(store, view)
            parts = self.changes.parts[view.name]
            if parts is None or _stamp(store, view, INPUTS) != inputs:
                made = _make_whole(store, view, inputs, _whole_chunk(view), answers)
            else:
                made = _make_parts(store, view, parts | {None}, inputs, answers)
            written[view.name] = made.rows
            self.bulk_loaded_chars += made.bulk_loaded_chars
        kept = {view.graph for view in self.views}
        for graph in _view_graphs(store):
            if graph.value not in kept:
                store.remove_graph(graph)
        return written


def _view_graphs(store: ox.Store) -> set[ox.NamedNode]:
    """The store's view graphs. Every one holds its definition's stamp: found by that predicate, not by listing every
    graph of the store."""
    stamped = {quad.graph_name for quad in store.quads_for_pattern(None, ox.NamedNode(DEFINITION), None, None)}
    return {graph for graph in stamped if isinstance(graph, ox.NamedNode) and graph.value.startswith(VIEW_GRAPH_PREFIX)}


def forget_views(store: ox.Store) -> None:
    """Remove every view graph, stamp and rows: no view is current, reads answer from the union and the next write makes
    the views whole. For a write changed in place that did not finish (an in-memory store's aborted write): its views
    may hold rows of before it, or parts it had recomputed, while the union holds what it applied."""
    for graph in _view_graphs(store):
        store.remove_graph(graph)


class Answers:
    """The answers of the header's queries (partitions, members, unassigned) within one commit, by query text: the
    five views ask the same ones of the same data (a view's own graph is not what they read), so each is asked once.
    Made whole by parts at 100,000 projects, each view asked `partitions` (4.5 CPU-s) and every chunk's members again."""

    def __init__(self) -> None:
        self._answers: dict[str, tuple[list[str], list[tuple[ox.Term | None, ...]]]] = {}

    def __call__(self, store: ox.Store, query: str) -> tuple[list[str], list[tuple[ox.Term | None, ...]]]:
        """The variables and solutions of `query` (asked of the store the first time)."""
        if query not in self._answers:
            result = store.query(query)
            self._answers[query] = ([variable.value for variable in result.variables], [tuple(solution) for solution in result])
        return self._answers[query]


def _literal_value(term: ox.Term | None) -> str:
    if not isinstance(term, ox.Literal):
        raise ValueError(f"a view's partitions query gave {term} where a number of members was expected")
    return term.value


def _writable(term: ox.Term | None) -> bool:
    """Whether a term can be written in VALUES (a blank node cannot, nor a triple term)."""
    return isinstance(term, (ox.NamedNode, ox.Literal))


def _rows(store: ox.Store, query: str, view: View) -> Iterator[list[ox.Quad]]:
    """The view's solutions as the quads of one row resource each (a bound column a quad), without their graph yet.

    A row is named by a digest of its terms (and its rank among equal rows), not a blank node: the same data make the
    same view quad for quad, whatever writes made it (a store ingested in one pass or in two is the same store)."""
    result = store.query(query)
    columns = [ox.NamedNode(VIEW_COLUMN + variable.value) for variable in result.variables]
    partition = columns.index(ox.NamedNode(VIEW_COLUMN + view.partition))
    seen: dict[str, int] = {}
    for solution in result:
        digest = hashlib.sha256("\t".join("" if term is None else str(term) for term in solution).encode("utf-8")).hexdigest()[:32]
        rank = seen[digest] = seen.get(digest, 0) + 1
        row = ox.NamedNode(f"{view.graph}#row-{digest}-{rank}")
        quads = [ox.Quad(row, column, term) for column, term in zip(columns, solution, strict=True) if term is not None]
        if solution[partition] is None:
            quads.append(ox.Quad(row, ox.NamedNode(UNASSIGNED), ox.Literal("true", datatype=ox.NamedNode(_XSD_BOOLEAN))))
        yield quads


_XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"


def _in_graph(rows: Iterable[list[ox.Quad]], graph: ox.NamedNode) -> Iterator[ox.Quad]:
    for row in rows:
        for quad in row:
            yield ox.Quad(quad.subject, quad.predicate, quad.object, graph)


class Made(NamedTuple):
    """What making (part of) a view wrote: its rows, and the N-Quads text of those it bulk-loaded (0 when it added them
    in a transaction, as parts are)."""

    rows: int
    bulk_loaded_chars: int = 0


def _whole_chunk(view: View) -> int | None:
    """How a write makes the view whole: chunks of parts of this many members, or None for one evaluation (its header)."""
    return None if view.whole_at_once else WHOLE_CHUNK_MEMBERS


def _make_whole(store: ox.Store, view: View, inputs: str, chunk_members: int | None,
                answers: Answers | None = None) -> Made:
    """Make the view again whole: as all its parts, chunk by chunk (an interrupt is taken between chunks), or by one
    evaluation of its SELECT where one chunk holds every partition value, where some value or member cannot be written
    in VALUES, or where `chunk_members` is None (a write: where the view's header says `whole: one evaluation`, see
    `_whole_chunk`; the benchmark and the tests, to compare)."""
    graph = ox.NamedNode(view.graph)
    store.remove_graph(graph)
    rows = None if chunk_members is None else _whole_by_parts(store, view, chunk_members, answers or Answers())
    if rows is None:
        rows = list(_rows(store, view.select, view))
    loaded = _Measured(_in_graph(rows, graph))
    store.bulk_extend(loaded)  # the bulk loader: the writer's generation is private until commit
    store.extend([ox.Quad(graph, ox.NamedNode(DEFINITION), ox.Literal(view.definition), graph),
                  ox.Quad(graph, ox.NamedNode(INPUTS), ox.Literal(inputs), graph)])
    return Made(len(rows), loaded.chars)


class _Measured:
    """Quads passed on as they are read, counting their N-Quads text (about 0.5 µs a quad: 0.7 CPU-s for the 1.4 million
    view quads of 100,000 projects)."""

    def __init__(self, quads: Iterable[ox.Quad]) -> None:
        self.quads, self.chars = quads, 0

    def __iter__(self) -> Iterator[ox.Quad]:
        for quad in self.quads:
            self.chars += len(str(quad)) + 3  # " .\n", as the tables' text is counted
            yield quad


def _whole_by_parts(store: ox.Store, view: View, chunk_members: int, answers: Answers) -> list[list[ox.Quad]] | None:
    """The rows of every part (each chunk of partition values, then the part of no value), each chunk made as a write's
    parts are; None if some part cannot be made so, or if one chunk holds every value. Every row is in one part, and a
    part's rows are the whole view's rows of that value, so these are the whole view's rows."""
    chunks = _chunks(store, view, chunk_members, answers)
    if chunks is None or len(chunks) < 2:
        # One chunk holds every value: restricted to every member, the part form restricts nothing, and its lookups cost
        # more than the whole form's scans (the five views at 1,000 projects: 2.9 CPU-s against 1.4).
        return None
    rows: list[list[ox.Quad]] = []
    for parts in [*chunks, {None}]:
        part_rows = _part_rows(store, view, parts, answers)
        if part_rows is None:
            return None
        rows.extend(part_rows)
    return rows


def _chunks(store: ox.Store, view: View, chunk_members: int, answers: Answers) -> list[set[ox.Term | None]] | None:
    """Every partition value, in chunks whose members total at most `chunk_members` (a value with more is a chunk
    alone); None if some value cannot be written in VALUES."""
    variables, solutions = answers(store, view.partitions)
    value_at, members_at = variables.index("partition"), variables.index("members")
    sizes = [(solution[value_at], int(_literal_value(solution[members_at]))) for solution in solutions]
    if not all(_writable(value) for value, _ in sizes):
        return None
    chunks: list[set[ox.Term | None]] = []
    chunk: set[ox.Term | None] = set()
    total = 0
    for value, members in sizes:
        if chunk and total + members > chunk_members:
            chunks.append(chunk)
            chunk, total = set(), 0
        chunk.add(value)
        total += members
    if chunk:
        chunks.append(chunk)
    return chunks


def _members(store: ox.Store, view: View, parts: set[ox.Term | None], answers: Answers) -> tuple[str, list[ox.Term]] | None:
    """The member variable and the members of the given parts (None: the part of no value); None if some partition
    value or member cannot be written in VALUES (a blank node), and the view must be made whole."""
    values = sorted((part for part in parts if part is not None), key=str)  # one text for one set: asked once a commit
    if not all(_writable(value) for value in values):
        return None
    results = [answers(store, view.unassigned)] if None in parts else []
    if values:
        results.append(answers(store, insert_block(view.members, _values("partition", values))))
    members: set[ox.Term | None] = set()
    variable = results[0][0][0]
    for _variables, solutions in results:
        members.update(solution[0] for solution in solutions)
    if not all(_writable(member) for member in members):
        return None
    return variable, sorted(members, key=str)


def _make_parts(store: ox.Store, view: View, parts: set[ox.Term | None], inputs: str, answers: Answers | None = None) -> Made:
    """Replace the rows of the given partition values (None: the part of no value) by their rows recomputed."""
    answers = answers or Answers()
    rows = _part_rows(store, view, parts, answers)
    if rows is None:
        return _make_whole(store, view, inputs, _whole_chunk(view), answers)
    graph, column = ox.NamedNode(view.graph), ox.NamedNode(VIEW_COLUMN + view.partition)
    old = {quad.subject for quad in store.quads_for_pattern(None, column, None, graph) if quad.object in parts}
    if None in parts:
        old.update(quad.subject for quad in store.quads_for_pattern(None, ox.NamedNode(UNASSIGNED), None, graph))
    for subject in old:
        for quad in list(store.quads_for_pattern(subject, None, None, graph)):
            store.remove(quad)
    store.extend(_in_graph(rows, graph))
    return Made(len(rows))


def _part_rows(store: ox.Store, view: View, parts: set[ox.Term | None], answers: Answers) -> list[list[ox.Quad]] | None:
    """The rows of the given partition values: the view's SELECT over their members only, keeping the rows of those
    values (a member of one part may also be a member of another, whose rows it alone does not make); None if some
    value or member cannot be written in VALUES."""
    found = _members(store, view, parts, answers)
    if found is None:
        return None
    member_variable, members = found
    if not members:
        return []
    column = ox.NamedNode(VIEW_COLUMN + view.partition)
    select = part_form(view.select, _values(member_variable, members))
    return [row for row in _rows(store, select, view) if _partition_of(row, column) in parts]


def part_form(select: str, members: str) -> str:
    """The view's SELECT as it recomputes parts: its `#+` lines made lines of the query, `{{members}}` in them the
    members' VALUES block, which also starts the outermost group."""
    text = _PART_LINE.sub(lambda line: line.group(1) + line.group(2).replace(MEMBERS_PLACE, members), select)
    return insert_block(text, members)


def _partition_of(row: list[ox.Quad], column: ox.NamedNode) -> ox.Term | None:
    return next((quad.object for quad in row if quad.predicate == column), None)
