"""Stored answers (stores/views.py, `kept as: answer`): a listing's rows kept by the embedded store's writer, a part an
agency, and read back in order. After any sequence of writes the listing read so is, byte for byte, the listing evaluated
over the union, in every output format, for every page, and for every value of the parameters it answers; given another
parameter, it is evaluated over the union."""

from __future__ import annotations

import io
import random
from pathlib import Path

import pytest

from jixiao.queries import FORMATS, load_query, page, run, write
from jixiao.queries.library import stored_answer_parameters, view_form
from jixiao.stores import TableRecord
from jixiao.stores.oxigraph import OxigraphBackend
from jixiao.stores.views import ViewKeeper, view_definitions
from test_store_views import AGENCIES, ONTOLOGY, _ontology, _random_write

STORED = sorted(view.name for view in view_definitions() if view.stored_answer)
PAGES = [(0, None), (0, 1), (1, 3), (4, 7), (9, None), (40, 2)]
XSD = "http://www.w3.org/2001/XMLSchema#"


def _answer(name: str, backend: OxigraphBackend, params: dict[str, str], views: bool, output: str = "csv",
            offset: int = 0, limit: int | None = None) -> str:
    out = io.StringIO()
    result = run(load_query(name), backend, params, check=False, own_terms=True, views=views)
    write(output, page(result, offset, limit), out)  # type: ignore[arg-type]
    return out.getvalue()


def _answered(name: str) -> list[dict[str, str]]:
    """No parameter, and each value of every parameter the stored answer answers (agencies known and unknown)."""
    form = view_form(load_query(name))
    assert form is not None
    answered = stored_answer_parameters(form) or set()
    values = {"agency": [*AGENCIES, "无此单位"]}
    return [{}] + [{param: value} for param in sorted(answered) for value in values[param]]


def _differences(backend: OxigraphBackend) -> list[str]:
    """The stored answers that differ from the union's, by format, page and parameters (must be none)."""
    assert set(STORED) <= backend.current_views()
    found = []
    for name in STORED:
        for params in _answered(name):
            for output in FORMATS:
                for offset, limit in PAGES if output == "csv" else [(0, None)]:
                    if _answer(name, backend, params, True, output, offset, limit) != _answer(name, backend, params, False, output, offset, limit):
                        found.append(f"{name} {params} {output} {offset}:{limit}")
    return found


def _with_vocabulary(seed: int, backend: OxigraphBackend) -> random.Random:
    """A write of the vocabulary (the goal kinds' notations: without them the listing has no row); the generator of the writes."""
    rng = random.Random(seed)
    writer = backend.writer()
    writer.put(ONTOLOGY, _ontology(rng), TableRecord(ONTOLOGY, ()))
    writer.commit()
    return rng


def _sequence(seed: int, backend: OxigraphBackend, writes: int) -> tuple[list[str], int]:
    """Random writes (tables put, replaced and dropped, loose RDF, the vocabulary replaced): the differences after each,
    and the most rows the listing had."""
    rng = _with_vocabulary(seed, backend)
    model: dict[str, list[str]] = {}
    found: list[str] = []
    most = 0
    for _ in range(writes):
        _random_write(rng, backend, model)
        found.extend(_differences(backend))
        most = max(most, _answer(STORED[0], backend, {}, True).count("\n") - 1)
    return found, most


def test_indicators_is_a_stored_answer() -> None:
    assert STORED == ["indicators"]


@pytest.mark.parametrize("seed", range(4))
def test_the_stored_answer_is_the_unions_after_random_writes(seed: int, tmp_path: Path) -> None:
    backend = OxigraphBackend(tmp_path / "store") if seed % 2 == 0 else OxigraphBackend(None)
    found, most = _sequence(seed, backend, writes=8)
    backend.close()
    assert found == []
    assert most >= 3  # the listing had rows to compare


def test_the_comparison_fails_when_a_write_does_not_refresh_an_agency(monkeypatch: pytest.MonkeyPatch) -> None:
    """A writer that forgets what its writes touched leaves the agencies' stored rows behind the union: the check sees it."""
    monkeypatch.setattr(ViewKeeper, "note", lambda self, store, subjects: None)
    behind = []
    for seed in range(6):
        behind, _ = _sequence(seed, OxigraphBackend(None), writes=5)
        if behind:
            break
    assert any(difference.startswith("indicators {}") for difference in behind)


def _recording(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts the embedded store is asked to evaluate."""
    asked: list[str] = []
    original = OxigraphBackend._query

    def query(self: OxigraphBackend, text: str) -> object:
        asked.append(text)
        return original(self, text)

    monkeypatch.setattr(OxigraphBackend, "_query", query)
    return asked


def test_the_stored_answer_is_read_without_evaluating_the_listing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Read: one query over the view's parts, not the listing's joins; its first row comes from the first part. Given a
    parameter it does not answer (project), the listing is evaluated over the union."""
    backend = OxigraphBackend(None)
    rng = _with_vocabulary(3, backend)
    for _ in range(4):
        _random_write(rng, backend, {})
    asked = _recording(monkeypatch)
    first = next(iter(run(load_query("indicators"), backend, {}, check=False, own_terms=True).rows))  # type: ignore[union-attr]
    assert first is not None
    assert len(asked) == 1 and "urn:jixiao:view:indicators" in asked[0] and "hasIndicator" not in asked[0]
    asked.clear()
    list(run(load_query("indicators"), backend, {"project": "项目1"}, check=False, own_terms=True).rows)  # type: ignore[union-attr]
    assert len(asked) == 1 and "hasIndicator" in asked[0] and "urn:jixiao:view:" not in asked[0]
    backend.close()


def _project(n: int, agency: str) -> list[str]:
    """Project-year py{n} with one indicator, declared by unit u{n} labelled `agency` (a literal as written)."""
    ex, jx = "https://example.org/a/", "https://w3id.org/jixiao/ontology#"
    return [f"<{ex}py{n}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{jx}ProjectYear> .\n",
            f"<{ex}py{n}> <{jx}yearOf> <{ex}p{n}> .\n", f"<{ex}py{n}> <{jx}hasGoal> <{ex}g{n}> .\n",
            f"<{ex}g{n}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{jx}AnnualGoal> .\n",
            f'<{jx}AnnualGoal> <http://www.w3.org/2004/02/skos/core#notation> "annual" .\n',
            f"<{ex}g{n}> <{jx}hasIndicator> <{ex}i{n}> .\n", f'<{ex}i{n}> <{jx}position> "1"^^<{XSD}integer> .\n',
            f'<{ex}i{n}> <http://www.w3.org/2000/01/rdf-schema#label> "指标{n % 2}" .\n',
            f'<{ex}p{n}> <http://www.w3.org/2000/01/rdf-schema#label> "项目{n % 2}" .\n',
            f"<{ex}p{n}> <{jx}declaredBy> <{ex}u{n}> .\n", f"<{ex}u{n}> <http://www.w3.org/2000/01/rdf-schema#label> {agency} .\n"]


def test_agencies_that_order_by_finds_equal_are_answered_from_the_union() -> None:
    """Two agencies ORDER BY finds equal (1 as an integer and as a double) interleave their rows in the listing by its later
    keys, which parts one after the other would not: the store does not read such a stored answer; apart, it does."""
    backend = OxigraphBackend(None)
    labels = [f'"1"^^<{XSD}integer>', f'"1.0E0"^^<{XSD}double>', '"单位"']
    writer = backend.writer()
    for n, label in enumerate(labels * 2):
        writer.put(f"https://example.org/a/t{n}", _project(n, label), TableRecord(f"https://example.org/a/t{n}", ()))
    writer.commit()
    assert "indicators" not in backend.current_views()
    assert {"indicators-by-basis", "budget-by-year"} <= backend.current_views()
    writer = backend.writer()
    for n in (1, 4):
        writer.drop(f"https://example.org/a/t{n}")
    writer.commit()
    assert "indicators" in backend.current_views()
    assert _answer("indicators", backend, {}, True) == _answer("indicators", backend, {}, False)
    backend.close()
