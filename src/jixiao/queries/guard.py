"""What a query text is, decided by parsing it (never by looking for keywords).

`jixiao query` only reads: a SPARQL Update is refused on every backend before any backend sees
it, and a query that calls SERVICE (which makes the engine fetch from another host) is refused
unless the user allows it. A text that parses as neither is a malformed query, reported with the
parser's line and column.

The named queries shipped in queries/ have their verdicts written beside them (`queries/verdicts.tsv`: the
sha256 of each text, its form and whether it calls SERVICE), made by this parser (`scripts/build-query-verdicts`;
a test fails when the file is out of date). A text with one of those digests is that text, so its verdict is read,
not parsed again: rdflib's SPARQL grammar took 0.07-0.10 CPU-s a named query to parse and as much to import, a
fifth of `jixiao query NAME --store` reading a view at 100,000 projects. Any other text (a user's file, a changed
query) is parsed as before.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import sys
from pathlib import Path

from jixiao.errors import UsageError, message_of
from jixiao.resources import resource_dir

# rdflib's names for the four query forms, and what `jixiao query` calls them.
QUERY_FORMS = {"SelectQuery": "select", "AskQuery": "ask", "ConstructQuery": "construct", "DescribeQuery": "describe"}
SUPPORTED_FORMS = ("select", "ask", "construct")
VERDICTS_FILE = "verdicts.tsv"
_VERDICTS_HEADER = ("# The verdicts of the named queries in this folder, made by scripts/build-query-verdicts (src/jixiao/queries/guard.py)\n"
                    "# from rdflib's parser: sha256 of the text, form, calls SERVICE (yes/no), name. Do not edit by hand.\n")
SERVICE_REFUSAL = "the query calls SERVICE (it would fetch data from another host); give --allow-service to let it"


def query_form(text: str, *, allow_service: bool = False) -> str:
    """`select`, `ask` or `construct` for a query jixiao runs; a UsageError for anything else."""
    form, refusal = _verdict(text, allow_service)
    if refusal is not None:
        raise UsageError(refusal)
    return form


@functools.lru_cache(maxsize=256)
def _verdict(text: str, allow_service: bool) -> tuple[str, str | None]:
    """The form, or why the text is refused. Remembered per text: rdflib's parser takes 0.1-0.5 s
    for a named query, and the command line and `run` both ask about the same text."""
    known = shipped_verdicts().get(_digest(text))
    try:
        form, calls_service = known if known is not None else parsed_verdict(text)
    except UsageError as error:
        return "", str(error)
    if calls_service and not allow_service:
        return "", SERVICE_REFUSAL
    return form, None


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def parsed_verdict(text: str) -> tuple[str, bool]:
    """The text's form and whether it calls SERVICE, by rdflib's parser; a UsageError for what jixiao does not run."""
    # Imported here: a shipped named query's verdict is read from queries/verdicts.tsv, without the grammar.
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    from jixiao.sparql_tree import has_pattern

    try:
        parsed = parseQuery(text)
        translateQuery(parsed)  # resolves prefixes: an undefined one is the query's error, found here
    except ParseBaseException as error:
        if _is_update(text):
            raise UsageError("this is a SPARQL Update (it would change data); `jixiao query` only reads, "
                             "so it was not run") from error
        raise UsageError(f"malformed SPARQL query: line {error.lineno}, column {error.col}: {error.msg}") from error
    except Exception as error:  # rdflib raises plain exceptions for some prologue errors (an undefined prefix)
        raise UsageError(f"malformed SPARQL query: {message_of(error)}") from error
    form = QUERY_FORMS.get(parsed[1].name, parsed[1].name)
    if form not in SUPPORTED_FORMS:
        raise UsageError(f"{form.upper()} queries are not supported; use SELECT, ASK or CONSTRUCT")
    return form, has_pattern(parsed, "ServiceGraphPattern")


def _is_update(text: str) -> bool:
    """Whether `text` is a SPARQL Update with at least one operation (the empty text parses as one)."""
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        parsed = parseUpdate(text)
    except Exception:
        return False
    return "request" in parsed and bool(parsed["request"])


@functools.cache
def shipped_verdicts() -> dict[str, tuple[str, bool]]:
    """The verdicts written in queries/verdicts.tsv, by the sha256 of the text (empty where there is no such file)."""
    path = resource_dir("queries") / VERDICTS_FILE
    if not path.is_file():
        return {}
    verdicts = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            digest, form, calls_service, _name = line.split("\t")
            verdicts[digest] = (form, calls_service == "yes")
    return verdicts


def verdicts_text(folder: Path) -> str:
    """queries/verdicts.tsv as the parser makes it from the named queries in `folder` (sorted by name)."""
    lines = []
    for path in sorted(folder.glob("*.rq")):
        text = path.read_text(encoding="utf-8")  # as library() reads it
        form, calls_service = parsed_verdict(text)
        lines.append(f"{_digest(text)}\t{form}\t{'yes' if calls_service else 'no'}\t{path.stem}\n")
    return _VERDICTS_HEADER + "".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Write queries/verdicts.tsv, or with --check say whether it is up to date (exit 1 if not)."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 when the file is out of date")
    args = parser.parse_args(argv)
    folder = resource_dir("queries")
    wanted, path = verdicts_text(folder), folder / VERDICTS_FILE
    current = path.read_text(encoding="utf-8") if path.is_file() else ""
    if args.check:
        if current != wanted:
            print(f"{path} is out of date: run scripts/build-query-verdicts", file=sys.stderr)
            return 1
        return 0
    if current != wanted:
        path.write_text(wanted, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
