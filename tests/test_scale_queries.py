"""Queries at scale: `--limit`/`--offset` page a listing (rows are read lazily, so a page stops reading where it ends)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from jixiao.cli.query import query


def test_query_limit_and_offset_page_the_rows(seed_path: Path) -> None:
    every = CliRunner().invoke(query, ["projects", str(seed_path), "--format", "csv"]).output.splitlines()
    page = CliRunner().invoke(query, ["projects", str(seed_path), "--format", "csv", "--offset", "2", "--limit", "3"]).output.splitlines()
    assert len(every) > 5 and page == [every[0], *every[3:6]]
    table = CliRunner().invoke(query, ["projects", str(seed_path), "--limit", "1"]).output.splitlines()
    assert len(table) == 4 and table[-1].startswith("(1 row")  # header, rule, one row, count
