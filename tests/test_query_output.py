"""Where `jixiao query` writes its answer, and what it refuses before reading any data.

`-o FILE` gets the whole answer or nothing: the answer is written to a temporary file beside it
and renamed over it at the end, so an answer that fails midway (a server's connection dropped)
leaves no partial file and an older FILE as it was. On stdout the answer streams: the rows before
the failure are written, the error follows on stderr, exit status 2 (docs/queries.md).
`--limit`/`--offset` page a SELECT's rows; an ASK or CONSTRUCT query with them is refused.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from jixiao.cli.main import main
from servers import canned_sparql

ROWS = 20_000
SELECT_RQ = "# title: 数 / Numbers\nSELECT ?n WHERE { ?s ?p ?n }\n"


@pytest.fixture(scope="module")
def server() -> Iterator[ThreadingHTTPServer]:
    with canned_sparql() as httpd:
        httpd.document = {"head": {"vars": ["n"]},  # type: ignore[attr-defined]
                          "results": {"bindings": [{"n": {"type": "literal", "value": f"row {i}"}} for i in range(ROWS)]}}
        yield httpd


def _query(tmp_path: Path, server: ThreadingHTTPServer, *options: str, cut: bool) -> object:
    query = tmp_path / "numbers.rq"
    query.write_text(SELECT_RQ, encoding="utf-8")
    server.cut_at = 300_000 if cut else 10**9  # type: ignore[attr-defined]
    url = f"http://127.0.0.1:{server.server_address[1]}/sparql"
    return CliRunner().invoke(main, ["query", str(query), "--endpoint", url, *options])


@pytest.mark.parametrize("output_format", ["csv", "json", "table"])
def test_a_whole_answer_goes_to_the_file(tmp_path: Path, server: ThreadingHTTPServer, output_format: str) -> None:
    target = tmp_path / "answer.txt"
    result = _query(tmp_path, server, "--format", output_format, "-o", str(target), cut=False)
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert result.stdout == ""  # type: ignore[attr-defined]
    written = target.read_text(encoding="utf-8")
    on_stdout = _query(tmp_path, server, "--format", output_format, cut=False).stdout  # type: ignore[attr-defined]
    assert written == on_stdout
    assert [entry.name for entry in tmp_path.iterdir() if entry.name.startswith(".")] == []  # no temporary file left
    if output_format == "json":
        assert len(json.loads(written)) == ROWS


@pytest.mark.parametrize("output_format", ["csv", "json", "table"])
def test_an_answer_failing_midway_leaves_no_partial_file(tmp_path: Path, server: ThreadingHTTPServer, output_format: str) -> None:
    new = tmp_path / "new.txt"
    result = _query(tmp_path, server, "--format", output_format, "-o", str(new), cut=True)
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert result.stderr.startswith("error: http://127.0.0.1:")  # type: ignore[attr-defined]  # the server's failure, not a usage error
    assert not new.exists()
    older = tmp_path / "older.txt"
    older.write_text("the answer of yesterday\n", encoding="utf-8")
    assert _query(tmp_path, server, "--format", output_format, "-o", str(older), cut=True).exit_code == 2  # type: ignore[attr-defined]
    assert older.read_text(encoding="utf-8") == "the answer of yesterday\n"
    assert sorted(entry.name for entry in tmp_path.iterdir()) == ["numbers.rq", "older.txt"]  # no temporary file left


def test_an_answer_failing_midway_on_stdout_ends_in_an_error_on_stderr(tmp_path: Path, server: ThreadingHTTPServer) -> None:
    result = _query(tmp_path, server, "--format", "csv", cut=True)
    assert result.exit_code == 2  # type: ignore[attr-defined]
    rows = result.stdout.splitlines()[1:]  # type: ignore[attr-defined]
    assert 0 < len(rows) < ROWS and rows[:2] == ["row 0", "row 1"]  # the rows before the failure, as they came
    assert result.stderr.startswith("error: http://127.0.0.1:")  # type: ignore[attr-defined]
    assert len(result.stderr.splitlines()) == 1  # type: ignore[attr-defined]
    json_result = _query(tmp_path, server, "--format", "json", cut=True)
    assert json_result.exit_code == 2 and not json_result.stdout.rstrip().endswith("]")  # type: ignore[attr-defined]


@pytest.mark.parametrize("text", ["ASK { ?s ?p ?o }", "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"])
@pytest.mark.parametrize("paging", [["--limit", "1"], ["--offset", "2"], ["--limit", "0", "--offset", "1"]])
def test_limit_and_offset_are_refused_for_ask_and_construct(tmp_path: Path, seed_path: Path, text: str, paging: list[str]) -> None:
    query = tmp_path / "form.rq"
    query.write_text(text + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["query", str(query), str(seed_path), *paging])
    assert result.exit_code == 2, result.output
    form = text.split()[0]
    assert result.stderr == f"error: --limit and --offset page the rows of a SELECT query, and this is {form}: an ASK answers one boolean, " \
        "a CONSTRUCT's triples come in no order (write LIMIT, OFFSET and ORDER BY into its text)\n"
    assert result.stdout == ""
    assert CliRunner().invoke(main, ["query", str(query), str(seed_path)]).exit_code == 0


def test_a_file_that_cannot_be_written_is_one_error(tmp_path: Path, seed_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    target = blocker / "answer.csv"  # below a file: no folder can be made there
    result = CliRunner().invoke(main, ["query", "projects", str(seed_path), "-o", str(target)])
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"error: cannot write {target}: ") and len(result.stderr.splitlines()) == 1


def test_a_query_file_not_in_utf8_is_one_error_naming_it(tmp_path: Path, seed_path: Path) -> None:
    query = tmp_path / "latin.rq"
    query.write_bytes("# title: Zähler\nSELECT ?s WHERE { ?s ?p ?o } LIMIT 1\n".encode("latin-1"))
    result = CliRunner().invoke(main, ["query", str(query), str(seed_path)])
    assert result.exit_code == 2, result.output
    assert result.stderr == f"error: {query}: a query file must be UTF-8 text; byte 10 is not (invalid continuation byte)\n"
    query.write_bytes("\ufeff# title: Zähler\nASK { ?s ?p ?o }\n".encode())  # a byte-order mark, as some editors write: read
    assert CliRunner().invoke(main, ["query", str(query), str(seed_path)]).stdout == "true\n"


def test_data_without_tables_is_refused_not_answered_empty(tmp_path: Path) -> None:
    (tmp_path / "notes.txt.bak").write_text("not a table", encoding="utf-8")
    result = CliRunner().invoke(main, ["query", "projects", str(tmp_path)])
    assert result.exit_code == 2, result.output
    assert result.stderr == "error: no RDF or table files found in the inputs\n"
