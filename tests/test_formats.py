"""Output formats: aligned tables with wide characters, CSV with a BOM, JSON numbers, streaming."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from decimal import Decimal

import pytest
from click.testing import CliRunner
from rdflib import Literal, URIRef
from rdflib.term import Node

from jixiao.cli.main import main
from jixiao.errors import UsageError
from jixiao.queries import FORMATS, write
from jixiao.queries.formats import TABLE_MEASURE_ROWS, display_width, plain_value, write_csv, write_json, write_table
from jixiao.stores.base import SelectResult

_XSD = "http://www.w3.org/2001/XMLSchema#"
DECIMAL, DOUBLE, G_YEAR = URIRef(_XSD + "decimal"), URIRef(_XSD + "double"), URIRef(_XSD + "gYear")


def result(rows: list[dict[str, Node | None]], variables: list[str] | None = None) -> SelectResult:
    return SelectResult(variables or list(rows[0]), iter(rows))


def dec(text: str) -> Literal:
    return Literal(text, datatype=DECIMAL)


ROWS: list[dict[str, Node | None]] = [
    {"agency": Literal("鄂州市人力资源和社会保障局本级"), "project": Literal("法律服务"), "budget": dec("40000"), "share": dec("1.07")},
    {"agency": Literal("Agency B"), "project": Literal("IT"), "budget": dec("1300000.00"), "share": None},
]


def test_display_width() -> None:
    assert display_width("中文") == 4
    assert display_width("a中") == 3
    assert display_width("ＡＢ") == 4  # full-width Latin
    assert display_width("e\u0301") == 1  # a combining accent takes no column
    assert display_width("≥95%") == 4


def test_table_aligns_wide_characters() -> None:
    out = io.StringIO()
    write_table(result(ROWS), out)
    lines = out.getvalue().splitlines()
    header, rule, first, second, footer = lines
    assert footer == "(2 rows)"
    # Every column starts at the same display column on every line.
    starts = [display_width(header[: header.index("project")]), display_width(header[: header.index("budget")])]
    for line, project in ((first, "法律服务"), (second, "IT")):
        assert display_width(line[: line.index(project)]) == starts[0]
    # Numbers are right-aligned: they end where the column ends.
    budget_end = display_width(rule.rsplit("  ", 1)[0])
    assert display_width(first[: first.index("40000") + len("40000")]) == budget_end
    assert display_width(second[: second.index("1300000") + len("1300000")]) == budget_end


def test_table_streams_after_measuring_the_first_rows() -> None:
    def rows() -> Iterator[dict[str, Node | None]]:
        for i in range(TABLE_MEASURE_ROWS + 5):
            yield {"name": Literal("很长的名字" * 3 if i == TABLE_MEASURE_ROWS + 2 else "短"), "n": Literal(i)}

    out = io.StringIO()
    write_table(SelectResult(["name", "n"], rows()), out)
    lines = out.getvalue().splitlines()
    assert lines[-1] == f"({TABLE_MEASURE_ROWS + 5} rows)"
    assert "很长的名字很长的名字很长的名字" in out.getvalue()  # wider than measured: it sticks out, nothing is lost


def test_writers_stream_rows_as_they_come() -> None:
    """Rows already read are written before the rest of a (large) result arrives."""

    def rows() -> Iterator[dict[str, Node | None]]:
        yield {"n": Literal(1)}
        yield {"n": Literal(2)}
        raise RuntimeError("the store went away")

    for writer in (write_json, write_csv):
        out = io.StringIO()
        with pytest.raises(RuntimeError):
            writer(SelectResult(["n"], rows()), out)
        assert "2" in out.getvalue()


def test_csv_has_a_bom_and_plain_values() -> None:
    out = io.StringIO()
    write_csv(result(ROWS), out)
    text = out.getvalue()
    assert text.startswith("\ufeff")
    data = text.encode("utf-8")
    assert data.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert table == [["agency", "project", "budget", "share"],
                     ["鄂州市人力资源和社会保障局本级", "法律服务", "40000", "1.07"],
                     ["Agency B", "IT", "1300000", ""]]


def test_json_numbers_are_numbers() -> None:
    out = io.StringIO()
    write_json(result(ROWS), out)
    text = out.getvalue()
    assert "鄂州市" in text  # not \\u-escaped
    rows = json.loads(text)
    assert rows == [{"agency": "鄂州市人力资源和社会保障局本级", "project": "法律服务", "budget": 40000, "share": 1.07},
                    {"agency": "Agency B", "project": "IT", "budget": 1300000, "share": None}]
    assert isinstance(rows[0]["budget"], int) and isinstance(rows[0]["share"], float)
    exact = json.loads(text, parse_float=Decimal)
    assert exact[0]["share"] == Decimal("1.07")  # the decimal's own digits, not a float's


def test_json_of_no_rows_is_an_empty_array() -> None:
    out = io.StringIO()
    write_json(SelectResult(["a"], iter([])), out)
    assert json.loads(out.getvalue()) == []


@pytest.mark.parametrize(("term", "value"), [
    (dec("6.50"), Decimal("6.5")),
    (dec("3752600.00"), 3752600),
    (Literal(12), 12),
    (Literal("1.5E3", datatype=DOUBLE), 1500),
    (Literal("NaN", datatype=DOUBLE), str(Literal("NaN", datatype=DOUBLE))),  # no JSON number: as written
    (Literal(True), True),
    (Literal("2024", datatype=G_YEAR), "2024"),
    (URIRef("https://w3id.org/jixiao/unit/Person"), "https://w3id.org/jixiao/unit/Person"),
    (None, None),
])
def test_plain_values(term: Node | None, value: object) -> None:
    assert plain_value(term) == value
    assert type(plain_value(term)) is type(value)


def test_no_exponent_notation_for_decimals() -> None:
    out = io.StringIO()
    write_csv(result([{"v": dec("0.00000012")}, {"v": dec("1E+2")}]), out)
    assert out.getvalue().splitlines()[1:] == ["0.00000012", "100"]


# ---- the command's errors: unknown names list what exists -----------------------------------

def test_unknown_query_lists_the_library(seed_path: object) -> None:
    run = CliRunner().invoke(main, ["query", "budget-by-county", str(seed_path)])
    assert run.exit_code == 2
    assert "budget-by-unit" in run.output and "year-over-year" in run.output


def test_unknown_parameter_lists_the_parameters(seed_path: object) -> None:
    run = CliRunner().invoke(main, ["query", "budget-share", str(seed_path), "--param", "unit=鄂州市人力资源和社会保障局本级"])
    assert run.exit_code == 2
    assert "no parameter 'unit'" in run.output and "agency (literal" in run.output


def test_query_csv_and_json_from_the_command(seed_path: object) -> None:
    csv_run = CliRunner().invoke(main, ["query", "budget-share", str(seed_path), "--format", "csv"])
    assert csv_run.exit_code == 0, csv_run.output
    assert csv_run.output.startswith("\ufeffagency,year,project,budget,agencyBudget,share")
    json_run = CliRunner().invoke(main, ["query", "budget-share", str(seed_path), "--format", "json"])
    shares = {row["project"]: row["share"] for row in json.loads(json_run.output)}
    assert shares["业务运行保障"] == 34.64 and shares["企业薪酬调查"] == 4


def test_output_formats_are_registered_by_name() -> None:
    """`--format` offers the registered writers; a name not registered is a usage error naming them."""
    assert FORMATS["csv"] is write_csv and FORMATS["json"] is write_json and FORMATS["table"] is write_table
    out = io.StringIO()
    write("json", result([{"n": Literal(1)}]), out)
    assert json.loads(out.getvalue()) == [{"n": 1}]
    with pytest.raises(UsageError, match=r"unknown output format .xml.; known: .*csv"):
        write("xml", result([], ["n"]), io.StringIO())
    help_text = CliRunner().invoke(main, ["query", "--help"]).output
    assert all(name in help_text for name in FORMATS)


def test_messages_and_cells_quoting_a_file_stay_on_one_line_and_act_on_nothing() -> None:
    """One rule for what a terminal must not act on, used by error messages and by the table's cells."""
    from jixiao.errors import one_line, terminal_safe

    assert terminal_safe("a\x1b[31mb\u202ec\u2028d") == "a\\x1b[31mb\\u202ec\\u2028d"
    assert one_line("line 1\nline 2\r\tend") == "line 1\\x0aline 2\\x0d\\x09end"
    assert one_line("表" * 400, limit=10) == "表" * 10 + "…"
