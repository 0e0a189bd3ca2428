"""The guard's verdicts of the shipped named queries, read from queries/verdicts.tsv instead of parsed again
(queries/guard.py): the file must be what the parser says, and a text it does not list is parsed as before."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from jixiao.errors import UsageError
from jixiao.queries import guard, library
from jixiao.queries.guard import query_form, shipped_verdicts, verdicts_text
from jixiao.resources import resource_dir
from jixiao.stores import TableRecord
from jixiao.stores.oxigraph import OxigraphBackend

ROOT = Path(__file__).resolve().parent.parent


def _no_parser(text: str) -> tuple[str, bool]:
    raise AssertionError("rdflib's parser was asked about a shipped named query")


def test_the_verdicts_file_is_what_the_parser_says() -> None:
    """Fails when a named query changed (or one was added) without `scripts/build-query-verdicts`."""
    folder = resource_dir("queries")
    assert (folder / guard.VERDICTS_FILE).read_text(encoding="utf-8") == verdicts_text(folder), "run scripts/build-query-verdicts"


def test_every_shipped_named_query_is_known_without_the_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(guard, "parsed_verdict", _no_parser)
    guard._verdict.cache_clear()
    try:
        forms = {name: query_form(query.text) for name, query in library().items()}
    finally:
        guard._verdict.cache_clear()
    assert set(forms.values()) <= set(guard.SUPPORTED_FORMS) and len(forms) == len(shipped_verdicts())


def test_a_text_the_file_does_not_list_is_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    """One more space makes another text: parsed, and an update among such texts is refused as before."""
    text = library()["projects"].text + " "
    asked: list[str] = []
    real = guard.parsed_verdict

    def parsed(given: str) -> tuple[str, bool]:
        asked.append(given)
        return real(given)

    monkeypatch.setattr(guard, "parsed_verdict", parsed)
    guard._verdict.cache_clear()
    try:
        assert query_form(text) == "select" and asked == [text]
        with pytest.raises(UsageError, match="SPARQL Update"):
            query_form("DELETE WHERE { ?s ?p ?o }")
    finally:
        guard._verdict.cache_clear()


def test_a_listed_text_that_calls_service_is_refused_unless_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    """The file's SERVICE column is a verdict like the parser's: refused without --allow-service."""
    text = "SELECT * WHERE { SERVICE <https://example.org/sparql> { ?s ?p ?o } }"
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    monkeypatch.setattr(guard, "shipped_verdicts", lambda: {digest: ("select", True)})
    monkeypatch.setattr(guard, "parsed_verdict", _no_parser)
    guard._verdict.cache_clear()
    try:
        with pytest.raises(UsageError, match="SERVICE"):
            query_form(text)
        assert query_form(text, allow_service=True) == "select"
    finally:
        guard._verdict.cache_clear()


def test_querying_a_store_does_not_load_the_sparql_grammar(tmp_path: Path) -> None:
    """What `jixiao query NAME --store` imports: a shipped query's verdict is read, not parsed (importing rdflib's SPARQL
    grammar and parsing took 0.15-0.25 CPU-s of the process reading a view at 100,000 projects)."""
    with OxigraphBackend(tmp_path / "store") as backend:
        writer = backend.writer()
        writer.put("https://example.org/t", ["<https://example.org/s> <https://example.org/p> \"o\" .\n"], TableRecord("https://example.org/t", ()))
        writer.commit()
    program = ("import sys\nfrom jixiao.cli.main import main\n"
               "try:\n    main(['query', 'budget-by-unit', '--store', sys.argv[1], '--format', 'csv'])\n"
               "except SystemExit as end:\n    assert not end.code, end.code\n"
               "print('rdflib.plugins.sparql.parser' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", program, str(tmp_path / "store")], capture_output=True, text=True, check=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    assert done.stdout.splitlines()[-1] == "False", done.stdout + done.stderr
