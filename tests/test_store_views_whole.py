"""A view made whole as all its parts, chunk by chunk (stores/views.py, `_make_whole`), is the view the single evaluation
of its SELECT makes, quad for quad (same rows, same row IRIs), and the comparison sees a chunk whose rows are lost."""

from __future__ import annotations

import random
from pathlib import Path

import pyoxigraph as ox
import pytest

from jixiao.stores.oxigraph import OxigraphBackend
from jixiao.stores.views import Answers, _chunks, _inputs_digest, _make_whole, view_definitions
from test_store_views import _csv, _parameter_values, _random_write

# One member a chunk: a chunk is one partition value (a value with more members is a chunk alone), so the small
# random stores below are made in several chunks, as a 100,000-project store is made in a hundred.
ONE_VALUE_A_CHUNK = 1


def _store(seed: int) -> OxigraphBackend:
    """An in-memory store after random writes (tests/test_store_views.py): three agencies, units without a label."""
    backend = OxigraphBackend(None)
    rng, model = random.Random(seed), {}
    for _ in range(8):
        _random_write(rng, backend, model)
    return backend


def _view_quads(store: ox.Store, graph: str) -> list[str]:
    return sorted(str(quad) for quad in store.quads_for_pattern(None, None, None, ox.NamedNode(graph)))


def _single_and_parts(store: ox.Store) -> dict[str, tuple[list[str], list[str]]]:
    """Each view's quads made whole by one evaluation, then by parts."""
    made = {}
    for view in view_definitions():
        inputs = _inputs_digest(store, view)
        _make_whole(store, view, inputs, chunk_members=None)
        single = _view_quads(store, view.graph)
        _make_whole(store, view, inputs, chunk_members=ONE_VALUE_A_CHUNK)
        made[view.name] = (single, _view_quads(store, view.graph))
    return made


# Seeds whose writes give every view rows (seed 0 never writes the goal kinds' notations: no goal-based row).
@pytest.mark.parametrize("seed", range(1, 5))
def test_a_view_made_by_parts_is_the_view_made_at_once(seed: int) -> None:
    backend = _store(seed)
    chunks = {view.name: _chunks(backend.store, view, ONE_VALUE_A_CHUNK, Answers()) for view in view_definitions()}
    assert all(found is not None and len(found) >= 2 for found in chunks.values()), chunks
    made = _single_and_parts(backend.store)
    assert all(len(single) > 2 for single, _ in made.values())  # rows, not only the two stamps
    assert {name: single == parts for name, (single, parts) in made.items()} == dict.fromkeys(made, True)
    backend.close()


def test_the_comparison_fails_when_a_chunk_loses_its_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    """Dropping the rows of every view's second chunk makes each view differ from the single evaluation."""
    from jixiao.stores import views

    backend = _store(2)
    made_parts = views._part_rows
    seen: dict[str, int] = {}

    def second_chunk_lost(store: ox.Store, view: views.View, parts: set[ox.Term | None],
                          answers: views.Answers) -> list[list[ox.Quad]] | None:
        rows = made_parts(store, view, parts, answers)
        seen[view.name] = seen.get(view.name, 0) + 1
        return [] if seen[view.name] == 2 and rows else rows

    monkeypatch.setattr(views, "_part_rows", second_chunk_lost)
    made = _single_and_parts(backend.store)
    assert {name: single == parts for name, (single, parts) in made.items()} == dict.fromkeys(made, False)
    backend.close()


def test_a_write_makes_each_view_whole_as_its_header_says(monkeypatch: pytest.MonkeyPatch) -> None:
    """A view whose header says `whole: one evaluation` is made whole by one evaluation even when its values make
    several chunks; the others as their parts. Either way the view answers as the union does."""
    from jixiao.stores import views

    backend = _store(3)
    monkeypatch.setattr(views, "WHOLE_CHUNK_MEMBERS", ONE_VALUE_A_CHUNK)
    by_parts: list[str] = []
    made_by_parts = views._whole_by_parts

    def noted(store: ox.Store, view: views.View, chunk_members: int, answers: views.Answers) -> list[list[ox.Quad]] | None:
        by_parts.append(view.name)
        return made_by_parts(store, view, chunk_members, answers)

    monkeypatch.setattr(views, "_whole_by_parts", noted)
    views.forget_views(backend.store)
    backend.writer().commit()  # no view is current: the write makes every view whole
    at_once = {view.name for view in view_definitions() if view.whole_at_once}
    assert at_once and set(by_parts) == {view.name for view in view_definitions()} - at_once
    for view in view_definitions():
        for params in _parameter_values(view.name):
            assert _csv(view.name, backend, params, views=True) == _csv(view.name, backend, params, views=False), (view.name, params)
    backend.close()


def test_a_header_with_another_way_to_make_the_view_whole_is_refused(tmp_path: Path) -> None:
    from jixiao.stores import views

    shipped = next(view for view in view_definitions() if not view.whole_at_once)
    text = shipped.select.replace("# partition:", "# whole: at once\n# partition:", 1)
    path = tmp_path / "bad.rq"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match="whole: at once"):
        views.read_view(path)
