"""The ontology: loads, closes under OWL RL without inconsistency, every term is documented, and it is the one source of its terms.

The repetitive parts are generated from the tables under ontology/src/ (jixiao.graph.ontology_build); these tests check the
generated files are up to date, that JX and JXU are closed, and that every note kind, goal kind and term the code names is
declared in the ontology (and every note kind is emitted somewhere).
"""

from __future__ import annotations

import ast
import shutil
import textwrap
import tomllib
from pathlib import Path

import owlrl
import pytest
from owlrl.Closure import ERRNS
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD

import jixiao
from jixiao.graph import mapping, ontology_build
from jixiao.namespaces import JX, JXU
from jixiao.reading import records
from jixiao.vocabulary import load_ontology_graph, vocabulary


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_ontology_graph()


def test_owl_rl_closure_is_consistent(ontology: Graph, seed_graph: Graph) -> None:
    closed = Graph()
    closed += seed_graph
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(closed)
    # owlrl reports an inconsistency as a resource of type ErrorMessage in the closure.
    errors = [str(o) for s in closed.subjects(RDF.type, ERRNS.ErrorMessage) for o in closed.objects(s, None)]
    assert not errors
    assert not set(closed.subjects(RDF.type, OWL.Nothing))
    # The level-1 category of every indicator is inferred from its level-2 class.
    quantity = next(closed.subjects(JX.category, JX.QuantityIndicator))
    assert (quantity, RDF.type, JX.OutputIndicator) in closed
    assert (quantity, RDF.type, JX.Indicator) in closed


def _has(graph: Graph, term, predicate, language: str) -> bool:
    return any(isinstance(o, Literal) and o.language == language for o in graph.objects(term, predicate))


def test_every_term_has_bilingual_labels_and_definition(ontology: Graph) -> None:
    kinds = [OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, SKOS.Concept, SKOS.ConceptScheme]
    terms = {t for kind in kinds for t in ontology.subjects(RDF.type, kind) if str(t).startswith("https://w3id.org/jixiao/")}
    assert len(terms) > 150
    undocumented = [str(t) for t in terms
                    if not all(_has(ontology, t, p, lang) for p in (RDFS.label, SKOS.definition) for lang in ("zh", "en"))]
    assert not undocumented


def test_ontology_is_versioned(ontology: Graph) -> None:
    for ontology_iri in ontology.subjects(RDF.type, OWL.Ontology):
        assert ontology.value(ontology_iri, OWL.versionIRI) is not None


def test_framework_cites_the_ministry_documents(ontology: Graph) -> None:
    sources = " ".join(str(o) for o in ontology.objects(JX.CostIndicator, None))
    assert "财预〔2021〕101号" in sources


# ---------------------------------------------------------------------------
# One source for each rule: generated Turtle, closed namespaces, terms in code
# ---------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "jixiao"


def _pyproject_version() -> str:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def test_generated_files_are_up_to_date(tmp_path: Path) -> None:
    assert ontology_build.main(["--root", str(ROOT), "--out", str(tmp_path)]) == 0
    generated = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert Path("ontology/framework.ttl") in generated and Path("src/jixiao/ontology_terms.py") in generated
    stale = [str(p) for p in generated if (tmp_path / p).read_bytes() != (ROOT / p).read_bytes()]
    assert not stale, f"run scripts/build-ontology: {stale} out of date"


def _build_config() -> dict:
    return tomllib.loads((ROOT / "ontology/src/build.toml").read_text(encoding="utf-8"))


def test_no_concept_of_a_scheme_is_written_by_hand(ontology: Graph) -> None:
    """Every concept of a concept scheme, and every value added to one, comes from a table: the hand-written Turtle
    (the files no [outputs] entry generates, and the headers under ontology/src/) holds no concept and no scheme."""
    generated = {output["file"] for output in _build_config()["outputs"].values()}
    hand_written = [path for path in sorted((ROOT / "ontology").glob("*.ttl")) if path.name not in generated]
    hand_written += sorted((ROOT / "ontology/src").glob("*.ttl"))
    assert {path.name for path in hand_written} >= {"jixiao.ttl", "forms-header.ttl", "values-header.ttl"}
    scheme_terms = Graph()
    for path in hand_written:
        scheme_terms += Graph().parse(path, format="turtle")
    concepts = {str(s) for kind in (SKOS.Concept, SKOS.ConceptScheme) for s in scheme_terms.subjects(RDF.type, kind)}
    members = {str(s) for s in scheme_terms.subjects(SKOS.inScheme, None)}
    all_concepts = {str(s) for s in ontology.subjects(RDF.type, SKOS.Concept)}
    labelled = {str(s) for p in (SKOS.altLabel, SKOS.hiddenLabel) for s in scheme_terms.subjects(p, None)} & all_concepts
    assert not concepts | members | labelled


def test_generated_turtle_says_where_it_comes_from() -> None:
    text = (ROOT / "ontology" / "units.ttl").read_text(encoding="utf-8")
    assert text.startswith("# Generated from ontology/src/build.toml") and "ontology/src/units.csv" in text and "do not edit" in text


def test_one_label_column_gives_pref_label_and_label(ontology: Graph) -> None:
    concepts = set(ontology.subjects(SKOS.prefLabel, None))
    assert len(concepts) > 100
    differing = [str(c) for c in concepts if set(ontology.objects(c, SKOS.prefLabel)) != set(ontology.objects(c, RDFS.label))]
    assert not differing


def test_the_hierarchy_is_stated_as_broader_and_subclass(ontology: Graph) -> None:
    level2 = set(ontology.subjects(RDF.type, JX.Level2Category))
    assert len(level2) == 11
    for category in level2:
        parent = ontology.value(category, SKOS.broader)
        assert (parent, RDF.type, JX.Level1Category) in ontology
        assert (category, RDFS.subClassOf, parent) in ontology
    for category in ontology.subjects(RDF.type, JX.Level1Category):
        assert (category, RDFS.subClassOf, JX.Indicator) in ontology
        assert (category, SKOS.topConceptOf, JX.IndicatorFramework) in ontology


def test_every_ontology_file_carries_the_project_version(ontology: Graph) -> None:
    version = _pyproject_version()
    ontologies = set(ontology.subjects(RDF.type, OWL.Ontology))
    assert len(ontologies) >= 3
    for iri in ontologies:
        assert ontology.value(iri, OWL.versionInfo) == Literal(version)
        assert ontology.value(iri, OWL.versionIRI) == URIRef(f"{iri}/{version}")
    assert jixiao.__version__ == version


def test_our_namespaces_are_closed() -> None:
    assert JX.noteKind == URIRef("https://w3id.org/jixiao/ontology#noteKind")
    assert JXU.WanYuan == URIRef("https://w3id.org/jixiao/unit/WanYuan")
    with pytest.raises(AttributeError):
        _ = JX.Undeclared
    with pytest.raises(AttributeError):
        _ = JX["Undeclared"]
    with pytest.raises(AttributeError):
        _ = JXU.Furlong


def test_every_term_of_ours_the_ontology_uses_is_declared(ontology: Graph) -> None:
    declared = set(ontology.subjects())
    used = {term for triple in ontology for term in triple if isinstance(term, URIRef) and term.startswith((str(JX), str(JXU)))}
    assert not sorted(used - declared)


def _python_files() -> list[Path]:
    """Every Python file but this one, which names undeclared terms on purpose."""
    here = Path(__file__).resolve()
    return sorted(p for folder in ("src", "tests", "benchmarks") for p in (ROOT / folder).rglob("*.py") if p.resolve() != here)


def test_every_term_the_code_names_is_declared() -> None:
    named: dict[str, set[str]] = {"JX": set(), "JXU": set()}
    for path in _python_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in named:
                named[node.value.id].add(node.attr)
            elif (isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id in named
                  and isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str)):
                named[node.value.id].add(node.slice.value)
    assert len(named["JX"]) > 40
    undeclared = [f"{prefix}.{name}" for prefix, names in named.items() for name in sorted(names)
                  if name not in (JX if prefix == "JX" else JXU).__annotations__]
    assert not undeclared


def _is_kind_attribute(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "kind"


def _note_kinds_in_code() -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Note kinds in src/: those a Note(...) or ValueNote(...) can carry, and those compared with a `.kind`; kind -> where.

    A note's kind is a string literal, or the `.kind` of another note passed on; anything else could not be checked here.
    """
    emitted: dict[str, list[str]] = {}
    compared: dict[str, list[str]] = {}
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            where = f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.Compare) and any(map(_is_kind_attribute, [node.left, *node.comparators])):
                for side in [node.left, *node.comparators]:
                    if isinstance(side, ast.Constant) and isinstance(side.value, str):
                        compared.setdefault(side.value, []).append(where)
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("Note", "ValueNote")):
                continue
            kind = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "kind"), None)
            if _is_kind_attribute(kind):
                continue  # a note's kind passed on to another note
            assert isinstance(kind, ast.Constant) and isinstance(kind.value, str), f"{where}: note kind is not a literal, so no test can check it"
            emitted.setdefault(kind.value, []).append(where)
    return emitted, compared


def test_note_kinds_in_code_and_ontology_agree(ontology: Graph) -> None:
    emitted, compared = _note_kinds_in_code()
    declared = {str(k).removeprefix(str(JX)) for k in ontology.subjects(RDF.type, JX.NoteKind)}
    assert len(emitted) >= 15 and "ImpliedComparator" in compared
    assert not {kind: where for kind, where in {**compared, **emitted}.items() if kind not in declared}, "note kinds the ontology does not declare"
    assert not sorted(declared - set(emitted)), "note kinds no code emits"


def test_goal_kinds_are_the_notations_of_the_goal_classes(ontology: Graph) -> None:
    notations = {str(ontology.value(cls, SKOS.notation)): cls for cls in ontology.subjects(RDFS.subClassOf, JX.PerformanceGoal)}
    assert {records.LONG_TERM, records.ANNUAL} <= set(notations)
    assert notations == mapping.GOAL_CLASS


def test_comparator_forms_are_unambiguous(ontology: Graph) -> None:
    vocab = vocabulary()
    comparators = set(ontology.subjects(RDF.type, JX.Comparator))
    assert set(vocab.notation) == comparators and len(set(vocab.notation.values())) == len(comparators)
    for forms in (vocab.comparator_prefixes, vocab.comparator_suffixes):
        meanings: dict[str, set[URIRef]] = {}
        for form, comparator in forms:
            meanings.setdefault(form, set()).add(comparator)
        assert not {form: c for form, c in meanings.items() if len(c) > 1}


# ---------------------------------------------------------------------------
# The build: bad tables are named by file and line; a new scheme is a table and config
# ---------------------------------------------------------------------------

@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A copy of what the build reads and writes: pyproject.toml, ontology/ with its tables, the namespaces module."""
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    shutil.copytree(ROOT / "ontology", tmp_path / "ontology")
    (tmp_path / "src/jixiao").mkdir(parents=True)
    shutil.copy(SRC / "ontology_terms.py", tmp_path / "src/jixiao/ontology_terms.py")
    return tmp_path


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


# The line an appended row gets: one after the table's last (the table grows as units are added).
_NEXT_UNIT_LINE = len((ROOT / "ontology/src/units.csv").read_text(encoding="utf-8").splitlines()) + 1


@pytest.mark.parametrize(("row", "message"), [
    ("Furlong,浪,furlong,,Length,Metre,201.168,,,\n", f"units.csv:{_NEXT_UNIT_LINE}: 10 cells, the header has 11"),
    ("Yuan,元,yuan,,Money,Yuan,1,,,,\n", f"units.csv:{_NEXT_UNIT_LINE}: id 'Yuan' appears twice"),
    ("Furlong,浪,furlong,,Length,Metre,201.168,,nope:X,,\n", f"units.csv:{_NEXT_UNIT_LINE}: unknown prefix 'nope'"),
])
def test_a_bad_row_is_named_by_file_and_line(checkout: Path, capsys: pytest.CaptureFixture[str], row: str, message: str) -> None:
    _append(checkout / "ontology/src/units.csv", row)
    assert ontology_build.main(["--root", str(checkout), "--check"]) == 2
    assert message in capsys.readouterr().err


def test_a_parent_outside_the_table_is_an_error(checkout: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _append(checkout / "ontology/src/categories.csv", "NewIndicator,NoSuchIndicator,新指标,new,,,,定义。,Definition.,\n")
    assert ontology_build.main(["--root", str(checkout)]) == 2
    assert "categories.csv:17: parent 'NoSuchIndicator' is not a row" in capsys.readouterr().err


def test_a_concept_in_two_tables_is_an_error(checkout: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _append(checkout / "ontology/src/note-kinds.csv", "Money,货币,money,定义。,Definition.\n")
    assert ontology_build.main(["--root", str(checkout), "--check"]) == 2
    assert "quantity-kinds.csv:2: 'Money' is also a row of note-kinds.csv" in capsys.readouterr().err


def test_a_table_for_an_undeclared_output_is_an_error(checkout: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _append(checkout / "ontology/src/build.toml", '\n[[tables]]\nfile = "x.csv"\noutput = "nowhere"\nprefix = "jx"\nscheme = { id = "X" }\n')
    assert ontology_build.main(["--root", str(checkout), "--check"]) == 2
    number = len(_build_config()["tables"]) + 1
    assert f"[[tables]] #{number}: output 'nowhere' is not under [outputs]" in capsys.readouterr().err


def test_check_reports_a_table_edited_without_building(checkout: Path) -> None:
    assert ontology_build.main(["--root", str(checkout), "--check"]) == 0
    _append(checkout / "ontology/src/units.csv", "Furlong,浪,furlong,,Length,Metre,201.168,,,浪,a furlong\n")
    assert ontology_build.main(["--root", str(checkout), "--check"]) == 1
    assert ontology_build.main(["--root", str(checkout)]) == 0
    graph = Graph().parse(checkout / "ontology/units.ttl")
    furlong = URIRef(str(JXU) + "Furlong")
    assert (furlong, JX.conversionFactor, Literal("201.168", datatype=XSD.decimal)) in graph
    assert (furlong, RDFS.label, Literal("浪", lang="zh")) in graph


def test_a_new_concept_scheme_is_a_table_and_a_few_lines_of_config(checkout: Path) -> None:
    (checkout / "ontology/src/roles.csv").write_text(
        "id,label@zh,label@en,altLabel@zh,definition@zh,definition@en\n"
        "NameColumn,三级指标,indicator name,指标名称|绩效指标,写指标名称的列。,The column of indicator names.\n", encoding="utf-8")
    _append(checkout / "ontology/src/build.toml", textwrap.dedent("""
        [outputs.roles]
        file = "roles.ttl"
        iri = "https://w3id.org/jixiao/ontology/roles"

        [[tables]]
        file = "roles.csv"
        output = "roles"
        prefix = "jx"
        types = ["skos:Concept"]
        scheme = { id = "RoleScheme", "label@zh" = "列的角色", "label@en" = "Column roles", "definition@zh" = "列。", "definition@en" = "Columns." }
        """))
    assert ontology_build.main(["--root", str(checkout)]) == 0
    graph = Graph().parse(checkout / "ontology/roles.ttl")
    role = URIRef(str(JX) + "NameColumn")
    assert {str(o) for o in graph.objects(role, SKOS.altLabel)} == {"指标名称", "绩效指标"}
    assert (role, SKOS.inScheme, URIRef(str(JX) + "RoleScheme")) in graph
    assert (URIRef("https://w3id.org/jixiao/ontology/roles"), OWL.versionInfo, Literal(_pyproject_version())) in graph
    assert "    NameColumn: URIRef  # 三级指标 / indicator name" in (checkout / "src/jixiao/ontology_terms.py").read_text(encoding="utf-8")


def test_tabulating_the_generated_turtle_gives_back_the_same_graph(checkout: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The inverse of the build: empty tables, refilled from the generated files, build the same graphs."""
    outputs = [output["file"] for output in _build_config()["outputs"].values()]
    before = {name: Graph().parse(checkout / "ontology" / name) for name in outputs}
    for table in (checkout / "ontology/src").glob("*.csv"):
        table.write_text(table.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    for name in before:
        assert ontology_build.main(["--root", str(checkout), "--tabulate", str(checkout / "ontology" / name)]) == 0
        left = Graph().parse(data=capsys.readouterr().out, format="turtle")
        assert not set(left.subjects(RDF.type, SKOS.Concept))  # every concept found its table
    assert ontology_build.main(["--root", str(checkout)]) == 0
    for name, graph in before.items():
        assert isomorphic(graph, Graph().parse(checkout / "ontology" / name))


def test_tabulating_adds_rows_and_values_and_prints_the_rest(checkout: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (checkout / "extra.ttl").write_text(textwrap.dedent("""
        @prefix jx: <https://w3id.org/jixiao/ontology#> .
        @prefix jxu: <https://w3id.org/jixiao/unit/> .
        @prefix owl: <http://www.w3.org/2002/07/owl#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        jx:newForm a owl:AnnotationProperty .
        jx:GreaterOrEqual skos:hiddenLabel "最少"@zh ; jx:suffixForm "或更多"@zh ; jx:newForm "x"@zh .
        jxu:Furlong a skos:Concept, jx:UnitOfMeasure ; skos:inScheme jx:UnitScheme ;
            skos:prefLabel "浪"@zh, "furlong"@en ; rdfs:label "浪"@zh, "furlong"@en ;
            jx:quantityKind jx:Length ; jx:baseUnit jxu:Metre ; jx:conversionFactor "201.168"^^xsd:decimal ;
            skos:closeMatch <http://qudt.org/vocab/unit/FUR> .
        """), encoding="utf-8")
    assert ontology_build.main(["--root", str(checkout), "--tabulate", str(checkout / "extra.ttl")]) == 0
    left = Graph().parse(data=capsys.readouterr().out, format="turtle")
    assert set(left.subjects()) == {URIRef(str(JX) + "newForm"), JX.GreaterOrEqual}  # no column states jx:newForm
    comparators = (checkout / "ontology/src/comparators.csv").read_text(encoding="utf-8")
    row = next(line for line in comparators.splitlines() if line.startswith("GreaterOrEqual,"))
    assert "|最少,以上|" in row and row.split(",")[5].endswith("|或更多")  # each appended to its own column
    assert "\nFurlong,浪,furlong,,Length,Metre,201.168,,unit:FUR,,\n" in (checkout / "ontology/src/units.csv").read_text(encoding="utf-8")
    assert ontology_build.main(["--root", str(checkout)]) == 0
    assert ontology_build.main(["--root", str(checkout), "--check"]) == 0
