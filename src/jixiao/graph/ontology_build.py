"""Generate the ontology's repetitive parts from tables, Brick-style.

The concept schemes (framework categories, bases, comparators, note kinds, quantity kinds, units,
the wording of published forms, number multipliers) are CSV tables under ontology/src/, one row per
concept; ontology/src/build.toml says which properties each column fills and which Turtle file each
table goes to. This module writes that
Turtle (deterministic: rows in table order, header triples sorted), the version of every ontology
file from pyproject.toml, and the closed rdflib namespaces of the ontology's own terms.

Run `scripts/build-ontology` to write the files, `scripts/build-ontology --check` to verify they
are up to date (exit 1 when not, 2 on a bad table). It imports nothing from jixiao, so it runs even
when the generated namespaces are out of date.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS
from rdflib.term import BNode, Node

CONFIG = Path("ontology/src/build.toml")
PYPROJECT = Path("pyproject.toml")
ONTOLOGY_DIR = Path("ontology")
LIST_SEPARATOR = "|"
# Predicates written first in a block, in this order; the rest follow the table's columns.
LEADING = (RDF.type,)
LOCAL_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
_VERSION_IRI = re.compile(r"(owl:versionIRI\s+<[^>]*/)([^/>]+)(>)")
_VERSION_INFO = re.compile(r'(owl:versionInfo\s+")([^"]*)(")')


class BuildError(ValueError):
    """A table or the configuration is wrong; the message names the file and line."""


@dataclass(frozen=True)
class Column:
    """What one column of a table fills: predicates, how a cell is read, in which language."""

    name: str
    predicates: tuple[URIRef, ...]
    read: str  # "text", "source", "iri" or a datatype CURIE
    is_list: bool = False
    prefix: str | None = None
    language: str | None = None


@dataclass
class Block:
    """One subject's triples, predicates in first-stated order, objects in stated order."""

    subject: URIRef
    objects: dict[URIRef, list[Node]] = field(default_factory=dict)

    def add(self, predicate: URIRef, obj: Node) -> None:
        values = self.objects.setdefault(predicate, [])
        if obj not in values:
            values.append(obj)


@dataclass
class Config:
    """ontology/src/build.toml, read."""

    root: Path
    prefixes: dict[str, str]
    sources: dict[str, str]
    columns: dict[str, dict[str, Any]]
    outputs: dict[str, dict[str, Any]]
    tables: list[dict[str, Any]]
    namespaces: dict[str, Any]
    version: str

    @property
    def src_dir(self) -> Path:
        return self.root / CONFIG.parent

    def iri(self, text: str, default_prefix: str | None, where: str) -> URIRef:
        """A local name in `default_prefix`, a prefixed name, or a full IRI."""
        if text.startswith(("http://", "https://")):
            return URIRef(text)
        prefix, colon, local = text.partition(":")
        if not colon:
            prefix, local = default_prefix or "", text
        if prefix not in self.prefixes:
            raise BuildError(f"{where}: unknown prefix {prefix!r} in {text!r} (declare it under [prefixes] in {CONFIG})")
        if not LOCAL_NAME.match(local):
            raise BuildError(f"{where}: {local!r} is not a valid local name")
        return URIRef(self.prefixes[prefix] + local)


TABLE_KEYS = ("file", "output", "prefix", "scheme")


def _require(entry: dict[str, Any], keys: Iterable[str], where: str) -> None:
    missing = [key for key in keys if key not in entry]
    if missing:
        raise BuildError(f"{where}: missing {', '.join(missing)}")


def load_config(root: Path) -> Config:
    """Read build.toml and the project's version, checking every table names an output and a scheme."""
    root = root.resolve()
    path = root / CONFIG
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
        version = tomllib.loads((root / PYPROJECT).read_text(encoding="utf-8"))["project"]["version"]
    except (OSError, tomllib.TOMLDecodeError, KeyError) as error:
        raise BuildError(f"{path}: {error}") from error
    _require(raw, ("prefixes", "columns", "outputs", "tables"), str(path))
    for name, output in raw["outputs"].items():
        _require(output, ("file", "iri"), f"{path} [outputs.{name}]")
    for number, table in enumerate(raw["tables"], start=1):
        where = f"{path} [[tables]] #{number}"
        _require(table, TABLE_KEYS, where)
        _require(table["scheme"], ("id",), f"{where} scheme")
        if table["output"] not in raw["outputs"]:
            raise BuildError(f"{where}: output {table['output']!r} is not under [outputs]")
    return Config(root, raw["prefixes"], raw.get("sources", {}), raw["columns"], raw["outputs"], raw["tables"],
                  raw.get("namespaces", {}), str(version))


# ---------------------------------------------------------------------------
# Tables -> blocks
# ---------------------------------------------------------------------------

def column_for_header(config: Config, header: str, where: str) -> Column:
    """The column a table header (`label@zh`, `baseUnit`) names, as [columns] in build.toml declares it."""
    name, at, language = header.partition("@")
    spec = config.columns.get(name)
    if spec is None:
        raise BuildError(f"{where}: unknown column {header!r} (declare {name!r} under [columns] in {CONFIG})")
    predicates = tuple(config.iri(p, None, where) for p in spec["predicates"])
    return Column(name, predicates, spec.get("read", "text"), bool(spec.get("list", False)), spec.get("prefix"), language if at else None)


def _values(column: Column, cell: str) -> list[str]:
    parts = cell.split(LIST_SEPARATOR) if column.is_list else [cell]
    return [part.strip() for part in parts if part.strip()]


def _term(config: Config, column: Column, value: str, where: str) -> Node:
    if column.read == "text":
        return Literal(value, lang=column.language)
    if column.read == "source":
        return Literal(config.sources.get(value, value), lang=column.language)
    if column.read == "iri":
        return config.iri(value, column.prefix, where)
    return Literal(value, datatype=config.iri(column.read, None, where))


def _fill(config: Config, block: Block, columns: Iterable[tuple[Column, str]], where: str) -> None:
    for column, cell in columns:
        for value in _values(column, cell):
            term = _term(config, column, value, where)
            for predicate in column.predicates:
                block.add(predicate, term)


@dataclass
class Row:
    line: int
    id: URIRef
    cells: dict[str, str]


def _read_rows(config: Config, table: dict[str, Any]) -> tuple[list[Column], list[Row], Path]:
    path = config.src_dir / table["file"]
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            records = list(csv.reader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise BuildError(f"{path}: {error}") from error
    if not records or records[0][:1] != ["id"]:
        raise BuildError(f"{path}:1: the header must start with the column id")
    header = [h.strip() for h in records[0]]
    if len(set(header)) != len(header):
        raise BuildError(f"{path}:1: a column is named twice in the header")
    special = {"id", table.get("hierarchy", {}).get("column")}
    columns = [column_for_header(config, h, f"{path}:1") for h in header if h not in special]
    rows: list[Row] = []
    seen: set[URIRef] = set()
    for line, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue
        if len(record) != len(header):
            raise BuildError(f"{path}:{line}: {len(record)} cells, the header has {len(header)}")
        cells = dict(zip(header, (cell.strip() for cell in record), strict=True))
        subject = config.iri(cells["id"], table["prefix"], f"{path}:{line}")
        if subject in seen:
            raise BuildError(f"{path}:{line}: id {cells['id']!r} appears twice")
        seen.add(subject)
        rows.append(Row(line, subject, cells))
    return columns, rows, path


def _hierarchy(config: Config, table: dict[str, Any], rows: list[Row], scheme: URIRef, path: Path) -> dict[URIRef, Block]:
    """Types by depth, broader/subClassOf from the parent column, top concepts of the scheme."""
    spec = table["hierarchy"]
    levels = [config.iri(level, None, str(CONFIG)) for level in spec.get("levels", [])]
    parents = {row.id: (config.iri(row.cells[spec["column"]], table["prefix"], f"{path}:{row.line}")
                        if row.cells[spec["column"]] else None) for row in rows}
    blocks: dict[URIRef, Block] = {}
    for row in rows:
        block = blocks[row.id] = Block(row.id)
        depth, parent, where = 0, parents[row.id], f"{path}:{row.line}"
        while parent is not None:
            if parent not in parents:
                raise BuildError(f"{where}: parent {row.cells[spec['column']]!r} is not a row of {path.name}")
            depth, parent = depth + 1, parents[parent]
            if depth > len(rows):
                raise BuildError(f"{where}: the parents of {row.cells['id']!r} form a cycle")
        if levels:
            if depth >= len(levels):
                raise BuildError(f"{where}: {row.cells['id']!r} is at depth {depth + 1}; {CONFIG} names {len(levels)} levels")
            block.add(RDF.type, levels[depth])
        parent = parents[row.id]
        if parent is None:
            block.add(SKOS.topConceptOf, scheme)
            if spec.get("classes") and spec.get("root"):
                block.add(RDFS.subClassOf, config.iri(spec["root"], None, str(CONFIG)))
        else:
            if spec.get("classes"):
                block.add(RDFS.subClassOf, parent)
            block.add(SKOS.broader, parent)
    return blocks


def _table_blocks(config: Config, table: dict[str, Any], ontology: URIRef) -> list[Block]:
    """The scheme's block, then one block per row in table order."""
    columns, rows, path = _read_rows(config, table)
    where = f"{CONFIG} (table {table['file']})"
    scheme_spec = dict(table["scheme"])
    scheme = Block(config.iri(scheme_spec.pop("id"), table["prefix"], where))
    scheme.add(RDF.type, SKOS.ConceptScheme)
    _fill(config, scheme, ((column_for_header(config, key, where), str(value)) for key, value in scheme_spec.items()), where)
    scheme.add(RDFS.isDefinedBy, ontology)
    types = [config.iri(t, None, where) for t in table.get("types", [])]
    structure = _hierarchy(config, table, rows, scheme.subject, path) if "hierarchy" in table else {}
    blocks = [scheme]
    for row in rows:
        block = Block(row.id)
        for rdf_type in types:
            block.add(RDF.type, rdf_type)
        for predicate, objects in structure.get(row.id, Block(row.id)).objects.items():
            for obj in objects:
                block.add(predicate, obj)
        _fill(config, block, ((column, row.cells[_header(column)]) for column in columns), f"{path}:{row.line}")
        block.add(SKOS.inScheme, scheme.subject)
        block.add(RDFS.isDefinedBy, ontology)
        blocks.append(block)
    return blocks


def _header(column: Column) -> str:
    return f"{column.name}@{column.language}" if column.language else column.name


# ---------------------------------------------------------------------------
# Blocks -> Turtle
# ---------------------------------------------------------------------------

def _escape(text: str) -> str:
    return (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t"))


class TurtleWriter:
    """Writes blocks as Turtle with the configured prefixes, always the same way."""

    def __init__(self, prefixes: dict[str, str]) -> None:
        # Longest namespace first, so that a term takes its most specific prefix.
        self.prefixes = sorted(prefixes.items(), key=lambda item: (-len(item[1]), item[0]))
        self.used: set[str] = set()

    def term(self, node: Node) -> str:
        if isinstance(node, Literal):
            text = f'"{_escape(str(node))}"'
            if node.language:
                return f"{text}@{node.language}"
            if node.datatype:
                return f"{text}^^{self.term(node.datatype)}"
            return text
        if isinstance(node, BNode):
            raise BuildError("blank nodes are not supported in generated Turtle")
        iri = str(node)
        if node == RDF.type:
            return "a"
        for prefix, namespace in self.prefixes:
            local = iri[len(namespace):]
            if iri.startswith(namespace) and LOCAL_NAME.match(local):
                self.used.add(prefix)
                return f"{prefix}:{local}"
        return f"<{iri}>"

    def block(self, block: Block) -> str:
        lines = []
        for predicate, objects in block.objects.items():
            lines.append(f"{self.term(predicate)} {', '.join(self.term(o) for o in objects)}")
        return f"{self.term(block.subject)} " + " ;\n    ".join(lines) + " .\n"

    def prologue(self) -> str:
        return "".join(f"@prefix {prefix}: <{namespace}> .\n" for prefix, namespace in sorted(self.prefixes) if prefix in self.used)


def _sorted_blocks(graph: Graph, first: URIRef) -> list[Block]:
    """A hand-written graph as blocks: `first` leading, then subjects sorted; rdf:type first, then sorted."""
    blocks = []
    for subject in sorted(set(graph.subjects()), key=lambda s: (s != first, str(s))):
        if not isinstance(subject, URIRef):
            raise BuildError(f"blank node subjects are not supported in the header files under {CONFIG.parent}")
        block = Block(subject)
        for predicate in sorted(set(graph.predicates(subject)), key=lambda p: (p not in LEADING, str(p))):
            for obj in sorted(graph.objects(subject, predicate), key=lambda o: (type(o).__name__, getattr(o, "language", None) or "", str(o))):
                block.add(predicate, obj)  # type: ignore[arg-type]
        blocks.append(block)
    return blocks


def _header_blocks(config: Config, spec: dict[str, Any], ontology: URIRef) -> list[Block]:
    graph = Graph()
    if spec.get("header"):
        path = config.src_dir / spec["header"]
        try:
            graph.parse(path, format="turtle")
        except Exception as error:  # rdflib raises several parser error types
            raise BuildError(f"{path}: {error}") from error
    blocks = _sorted_blocks(graph, ontology)
    if not blocks or blocks[0].subject != ontology:
        blocks.insert(0, Block(ontology, {RDF.type: [OWL.Ontology]}))
    blocks[0].objects[OWL.versionIRI] = [URIRef(f"{ontology}/{config.version}")]
    blocks[0].objects[OWL.versionInfo] = [Literal(config.version)]
    return blocks


def render_output(config: Config, name: str) -> str:
    """The Turtle text of one output: comment, prefixes, header, then every table's blocks."""
    spec = config.outputs[name]
    ontology = URIRef(spec["iri"])
    tables = [table for table in config.tables if table["output"] == name]
    blocks = _header_blocks(config, spec, ontology)
    for table in tables:
        blocks += _table_blocks(config, table, ontology)
    writer = TurtleWriter(config.prefixes)
    body = "\n".join(writer.block(block) for block in blocks)
    made_from = [str(CONFIG), *(str(CONFIG.parent / spec[key]) for key in ("header",) if spec.get(key)),
                 *(str(CONFIG.parent / table["file"]) for table in tables)]
    comment = [f"# Generated from {', '.join(made_from)}", "# by scripts/build-ontology: do not edit; edit the tables and run it again.", "#"]
    comment += [f"# {line}".rstrip() for line in spec.get("comment", "").strip().splitlines()]
    return "\n".join(comment) + "\n\n" + writer.prologue() + "\n" + body


# ---------------------------------------------------------------------------
# Versions of the hand-written files, closed namespaces
# ---------------------------------------------------------------------------

def generated_turtle(config: Config) -> dict[Path, str]:
    """Every output's Turtle; a concept defined by two tables is an error."""
    texts = {ONTOLOGY_DIR / spec["file"]: render_output(config, name) for name, spec in config.outputs.items()}
    owner: dict[URIRef, str] = {}
    for table in config.tables:
        for row in _read_rows(config, table)[1]:
            if row.id in owner:
                raise BuildError(f"{config.src_dir / table['file']}:{row.line}: {row.cells['id']!r} is also a row of {owner[row.id]}")
            owner[row.id] = table["file"]
    return texts


def versioned_hand_written(config: Config, generated: Iterable[Path]) -> dict[Path, str]:
    """Hand-written ontology files with owl:versionIRI/owl:versionInfo set to the project's version."""
    texts = {}
    skip = {config.root / path for path in generated}
    for path in sorted((config.root / ONTOLOGY_DIR).glob("*.ttl")):
        if path in skip:
            continue
        text = path.read_text(encoding="utf-8")
        versioned = _VERSION_INFO.sub(rf"\g<1>{config.version}\g<3>", _VERSION_IRI.sub(rf"\g<1>{config.version}\g<3>", text))
        texts[path.relative_to(config.root)] = versioned
    return texts


def _terms(graph: Graph, namespace: str) -> dict[str, str]:
    """Local name -> a short description (the zh and en labels), for every subject in `namespace`."""
    terms = {}
    for subject in set(graph.subjects()):
        if isinstance(subject, URIRef) and str(subject).startswith(namespace):
            labels = sorted((str(o) for o in graph.objects(subject, RDFS.label) if isinstance(o, Literal)),
                            key=lambda text: (text.isascii(), text))
            terms[str(subject)[len(namespace):]] = " / ".join(labels)
    return terms


def namespace_module(config: Config, turtle: dict[Path, str]) -> str:
    """Python source of the closed namespaces, from every ontology file."""
    graph = Graph()
    for path, text in sorted(turtle.items()):
        graph.parse(data=text, format="turtle", publicID=(config.root / path).as_uri())
    lines = ['"""The ontology\'s own terms as closed rdflib namespaces.', "",
             "Generated from ontology/*.ttl by scripts/build-ontology: do not edit. An undeclared term",
             '(JX.Undeclared, JX["Undeclared"]) raises AttributeError instead of minting an IRI the ontology does not define.',
             '"""', "", "from rdflib.namespace import DefinedNamespace, Namespace", "from rdflib.term import URIRef", ""]
    for class_name, prefix in sorted(config.namespaces.get("closed", {}).items()):
        namespace = config.prefixes[prefix]
        lines += ["", f"class {class_name}(DefinedNamespace):", f'    """{prefix}: {namespace}"""', "",
                  f'    _NS = Namespace("{namespace}")', "    _fail = True", ""]
        for local, description in sorted(_terms(graph, namespace).items()):
            if not local.isidentifier():
                raise BuildError(f"{namespace}{local}: not a Python identifier; rename the term")
            lines.append(f"    {local}: URIRef" + (f"  # {description}" if description else ""))
    return "\n".join(lines) + "\n"


def build(root: Path) -> dict[Path, str]:
    """Every generated file (path relative to `root` -> text), computed without writing anything."""
    config = load_config(root)
    generated = generated_turtle(config)
    hand_written = versioned_hand_written(config, generated)
    files = {**generated, **hand_written}
    module = config.namespaces.get("module")
    if module:
        files[Path(module)] = namespace_module(config, {**hand_written, **generated})
    return files


def _stale(root: Path, files: dict[Path, str]) -> Iterator[Path]:
    for path, text in sorted(files.items()):
        target = root / path
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            yield path


def _tabulate(root: Path, out: Path, turtle: Path) -> int:
    from jixiao.graph.ontology_tabulate import tabulate  # the inverse of the build, which it imports

    tables, left, problems = tabulate(root, turtle)
    for path, text in sorted(tables.items()):
        (out / path).parent.mkdir(parents=True, exist_ok=True)
        (out / path).write_text(text, encoding="utf-8")
        print(f"added rows or values to {path}", file=sys.stderr)
    for problem in problems:
        print(f"build-ontology: {problem}", file=sys.stderr)
    print(f"# What of {turtle} no table holds: keep it by hand.", file=sys.stderr)
    sys.stdout.write(left.serialize(format="turtle"))
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="build-ontology", description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="repository root (default: the current directory)")
    parser.add_argument("--out", type=Path, help="write into this directory instead of --root")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if a generated file is out of date")
    parser.add_argument("--tabulate", type=Path, metavar="FILE.ttl",
                        help="move the concepts of a hand-written Turtle file into the tables; print what no table holds")
    args = parser.parse_args(argv)
    out = args.out or args.root
    try:
        if args.tabulate:
            return _tabulate(args.root, out, args.tabulate)
        files = build(args.root)
    except BuildError as error:
        print(f"build-ontology: {error}", file=sys.stderr)
        return 2
    stale = list(_stale(out, files))
    if args.check:
        for path in stale:
            print(f"out of date: {path} (run scripts/build-ontology)", file=sys.stderr)
        return 1 if stale else 0
    for path in stale:
        (out / path).parent.mkdir(parents=True, exist_ok=True)
        (out / path).write_text(files[path], encoding="utf-8")
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
