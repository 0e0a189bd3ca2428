"""What a folder named as input contributes: its tables only, never earlier outputs or a store; cells with control characters."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pyoxigraph
import pytest
from click.testing import CliRunner, Result
from rdflib import RDFS, Graph

from jixiao.cli import main
from jixiao.namespaces import JX


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def _violations(result: Result) -> int:
    report = json.loads(result.stdout)
    return sum(r["severity"].endswith("Violation") for r in report["results"])


@pytest.fixture
def folder(tmp_path: Path, seed_path: Path) -> Path:
    tables = tmp_path / "tables"
    tables.mkdir()
    shutil.copy(seed_path, tables / seed_path.name)
    return tables


def test_an_output_left_in_the_folder_is_not_read_back(folder: Path) -> None:
    assert run("ingest", folder, "-o", folder / "out.ttl").exit_code == 0
    shutil.copy(folder / "out.ttl", folder / "out-saved-as.txt")  # RDF under a table's suffix: known by its content
    assert run("ingest", folder, "-o", folder / "out.nt").exit_code == 0
    validated = run("validate", folder, "--format", "json")
    assert validated.exit_code == 1
    assert _violations(validated) == 2
    budgets = [row.split(",")[2] for row in run("query", "projects", folder, "--format", "csv").stdout.splitlines()[1:]]
    assert budgets.count("270600") == 1 and "270600.0" not in budgets


def test_an_rdf_file_named_explicitly_is_read(folder: Path) -> None:
    assert run("ingest", folder, "-o", folder / "out.ttl").exit_code == 0
    validated = run("validate", folder / "out.ttl", "--format", "json")
    assert validated.exit_code == 1 and _violations(validated) == 2


def test_the_store_folder_inside_the_input_folder_is_not_read(folder: Path) -> None:
    first = run("ingest", folder, "--store", folder / "store")
    assert first.exit_code == 0, first.stderr
    assert (folder / "store" / "CURRENT").exists()
    again = run("ingest", folder, "-o", folder.parent / "out.nt")
    assert again.exit_code == 0, again.stderr
    assert "total: 1 document(s)" in again.stderr and str(folder / "store") not in again.stderr


# Root reads any folder whatever its mode: as root, the command runs without the two capabilities
# that let it (setpriv, from util-linux, is on every Debian system).
WITHOUT_READ_OVERRIDE = ["setpriv", "--bounding-set=-dac_override,-dac_read_search",
                         "--inh-caps=-dac_override,-dac_read_search", "--"]


def test_an_unreadable_subfolder_is_an_error_naming_it(seed_path: Path) -> None:
    # The command runs in a child process that cannot list a folder of mode 0.
    base = Path(tempfile.mkdtemp(prefix="jixiao-unreadable-"))
    hidden = base / "tables" / "2024"
    try:
        hidden.mkdir(parents=True)
        shutil.copy(seed_path, base / "tables" / seed_path.name)
        shutil.copy(seed_path, hidden / "copy.txt")
        hidden.chmod(0)
        out = base / "out.nt"
        command = [sys.executable, "-m", "jixiao", "ingest", str(base / "tables"), "-o", str(out)]
        if os.geteuid() == 0:
            command = WITHOUT_READ_OVERRIDE + command
        result = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False, cwd=base)
        assert result.returncode == 2, result.stderr
        assert str(hidden) in result.stderr and "cannot read the folder" in result.stderr
        assert "Traceback" not in result.stderr
        assert not out.exists()
    finally:
        if hidden.exists():
            hidden.chmod(0o755)
        shutil.rmtree(base, ignore_errors=True)


def test_control_characters_in_cells_give_valid_rdf(tmp_path: Path, seed_path: Path) -> None:
    text = seed_path.read_text(encoding="utf-8")
    assert "信息化运行经费" in text and "计算机" in text
    table = tmp_path / "controls.txt"
    # NUL, CR, vertical tab, an RTL override and a line separator inside a project name and an indicator name.
    table.write_bytes(text.replace("信息化运行经费", "信息化\x00运行\r经费\x0b").replace("计算机", "计算\u202e机\u2028").encode("utf-8"))
    for suffix, rdflib_format, oxigraph_format in [("nt", "nt", pyoxigraph.RdfFormat.N_TRIPLES), ("ttl", "turtle", pyoxigraph.RdfFormat.TURTLE)]:
        out = tmp_path / f"out.{suffix}"
        result = run("ingest", table, "-o", out)
        assert result.exit_code == 0, result.stderr
        graph = Graph().parse(out, format=rdflib_format)
        assert len(set(graph.subjects(JX.category, None))) == 92
        names = {str(o) for o in graph.objects(None, RDFS.label)}
        assert "信息化\x00运行\r经费" in names or "信息化运行经费" in names  # kept as read, or cleaned; never raw in the syntax
        assert len(list(pyoxigraph.parse(io.BytesIO(out.read_bytes()), format=oxigraph_format))) >= len(graph)
    assert not list(tmp_path.rglob("*.part*"))


def test_errors_name_the_source_file_and_leave_no_part_files(tmp_path: Path, seed_path: Path) -> None:
    bad_rdf = tmp_path / "broken.jsonld"
    bad_rdf.write_text('{"@context": {"x": ', encoding="utf-8")
    bad_table = tmp_path / "empty.txt"
    bad_table.write_text("\x00\r\n", encoding="utf-8")
    runs = [(("validate", bad_rdf), bad_rdf), (("ingest", seed_path, bad_table, "--store", tmp_path / "store"), bad_table),
            (("ingest", seed_path, bad_table, "-o", tmp_path / "out.nt"), bad_table)]
    for args, named in runs:
        result = run(*args)
        assert result.exit_code == 2, result.stderr
        assert str(named) in result.stderr and ".part" not in result.stderr
    assert not list(tmp_path.rglob("*.part*"))


def test_an_rdf_parse_error_is_one_line_without_raw_control_characters(tmp_path: Path) -> None:
    broken = tmp_path / "broken.nt"
    broken.write_bytes("\x0c\x12 not\rN-Triples \u202e\n".encode())
    result = run("validate", broken)
    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if line]
    assert len(errors) == 1 and errors[0].startswith(f"error: {broken}: not valid RDF (nt)")
    assert not any(ch in errors[0] for ch in "\x0c\x12\r\u202e"), errors
