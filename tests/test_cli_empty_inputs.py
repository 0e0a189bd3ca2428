"""DATA that names no table or RDF file (an empty folder, a folder of other files) is refused alike by every command reading DATA.

Answering from the ontology alone would look like tables that say nothing: `validate` would
conform, `query` answer no rows, and `reason` write the ontology's closure as if it were the data's.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from jixiao.cli.main import main

REFUSAL = "error: no RDF or table files found in the inputs\n"


@pytest.fixture()
def no_tables(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "notes.txt.bak").write_text("not a table", encoding="utf-8")
    return folder


@pytest.mark.parametrize("command", [["reason"], ["validate"], ["query", "projects"]])
def test_data_without_tables_is_refused_with_one_message(command: list[str], no_tables: Path, tmp_path: Path) -> None:
    output = tmp_path / "out.ttl"
    extra = ["-o", str(output)] if command == ["reason"] else []
    result = CliRunner().invoke(main, [*command, str(no_tables), *extra])
    assert result.exit_code == 2, result.output
    assert result.stderr == REFUSAL
    assert not output.exists()


def test_reason_over_an_empty_folder_writes_nothing(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    output = tmp_path / "reasoned.nt"
    result = CliRunner().invoke(main, ["reason", str(empty), "-o", str(output)])
    assert (result.exit_code, result.stderr) == (2, REFUSAL)
    assert not output.exists()
