"""Random sequences of writes on the embedded store, with operations the layout test's sequence lacks: the ontology
put among tables that leave it lines, put twice or dropped and put again in one write, a table put, dropped and put
again in one write, the same shared line put by several tables of a write, `replace_graph` of a user's N-Triples
file (terms separated by tabs), and the store closed and opened again between writes. The layout is checked after
every write (tests/test_store_layout.py's checker)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from jixiao.stores.oxigraph import OxigraphBackend
from test_store_layout import EX, ONTOLOGY, _left_to_ontology, _line, _put, _random_lines, check_layout

SUBJECTS = ["a/x", "a/y", "a/x/1", "b/z", "c"]
GRAPHS = [f"{EX}graph/{name}" for name in "abcd"]


def _ontology_lines(rng: random.Random) -> list[str]:
    """An ontology over the same subjects as the tables: many of its lines are lines tables hold too."""
    return list(dict.fromkeys(_line(rng.choice(SUBJECTS), rng.randint(0, 2), rng.randint(0, 1)) for _ in range(rng.randint(1, 8))))


def _tabbed(line: str) -> str:
    """The same triple as a user's file may write it: terms separated by tabs."""
    return "\t".join(line.rstrip(" .\n").split(" ")) + " .\n"


def _one_write(rng: random.Random, backend: OxigraphBackend, model: dict[str, list[str]], tmp_path: Path) -> None:
    if rng.random() < 0.15:
        lines = _ontology_lines(rng)
        file = tmp_path / "ontology.nt"
        file.write_text("".join(_tabbed(line) if rng.random() < 0.5 else line for line in lines), encoding="utf-8")
        backend.replace_graph(ONTOLOGY, file)
        model[ONTOLOGY] = lines
        return
    writer = backend.writer()
    if rng.random() < 0.7:
        lines = _ontology_lines(rng) if rng.random() < 0.4 or ONTOLOGY not in model else model[ONTOLOGY]
        _put(writer, ONTOLOGY, lines, None)
        model[ONTOLOGY] = lines
    for _ in range(rng.randint(1, 5)):
        choice = rng.random()
        if choice < 0.1 and ONTOLOGY in model:
            writer.drop(ONTOLOGY)
            del model[ONTOLOGY]
        elif choice < 0.2:
            lines = _ontology_lines(rng)
            _put(writer, ONTOLOGY, lines, None)
            model[ONTOLOGY] = lines
        else:
            graph = rng.choice(GRAPHS)
            if graph in model and rng.random() < 0.25:
                writer.drop(graph)
                del model[graph]
                continue
            lines, scopes = _random_lines(rng, SUBJECTS)
            _put(writer, graph, lines, scopes)
            model[graph] = lines
    writer.commit()


@pytest.mark.slow  # about 10 s a seed on a loaded machine
@pytest.mark.parametrize("seed", range(40))
def test_random_writes_with_the_ontology_among_them_keep_the_layout(seed: int, tmp_path: Path) -> None:
    rng = random.Random(seed)
    on_disk = seed % 2 == 0
    backend = OxigraphBackend(tmp_path / "store" if on_disk else None)
    model: dict[str, list[str]] = {}
    for _ in range(15):
        _one_write(rng, backend, model, tmp_path)
        check_layout(backend.store, model)
        if on_disk and rng.random() < 0.3:
            backend.close()
            backend = OxigraphBackend(tmp_path / "store")
    backend.close()


@pytest.mark.parametrize("on_disk", [False, True])
def test_the_ontology_replaced_from_a_tab_separated_file_keeps_what_tables_left_it(tmp_path: Path, on_disk: bool) -> None:
    """The positions of the lines a table leaves to the ontology count in the index of the text the store gives back:
    counted in a user's tab-separated text (where `<a/x>\t<p2>` sorts before `<a/x> <p1>`), the table's line p1 was
    read back as p2 by the next write, and lost from the table (and from the union once the ontology let p1 go)."""
    backend = OxigraphBackend(tmp_path / "store" if on_disk else None)
    kept, reordered, table = _line("a/x", 1, 1), _line("a/x", 2, 0), f"{EX}graph/t"
    model = {ONTOLOGY: [kept, reordered], table: [kept, reordered, _line("c", 0, 0)]}
    writer = backend.writer()
    _put(writer, ONTOLOGY, model[ONTOLOGY], None)
    _put(writer, table, model[table], bytes([2, 2, 2]))
    writer.commit()
    assert len(_left_to_ontology(backend.store, table)) == 2
    file = tmp_path / "ontology.nt"
    file.write_text(kept + _tabbed(reordered), encoding="utf-8")
    backend.replace_graph(ONTOLOGY, file)
    check_layout(backend.store, model)
    writer = backend.writer()
    _put(writer, ONTOLOGY, [reordered], None)  # the ontology lets the table's line p1 go: it must go back into the table's graph
    writer.commit()
    model[ONTOLOGY] = [reordered]
    check_layout(backend.store, model)
    backend.close()
