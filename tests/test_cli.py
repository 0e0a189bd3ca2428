"""The command line as a user runs it: ingest and query, and what bad input does."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph

from jixiao.graph.build import load_graph
from jixiao.namespaces import JX


def jixiao(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "jixiao", *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, cwd=cwd, timeout=300, check=False)


@pytest.mark.parametrize(("fmt", "rdflib_format"), [("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld")])
def test_ingest_writes_each_format(tmp_path: Path, seed_path: Path, fmt: str, rdflib_format: str) -> None:
    out = tmp_path / f"seed.{fmt}"
    result = jixiao("ingest", seed_path, "-o", out, "--format", fmt)
    assert result.returncode == 0, result.stderr
    graph = Graph().parse(out, format=rdflib_format)
    assert len(set(graph.subjects(JX.category, None))) == 92
    assert "FiscalYearNotStated" in result.stderr and "000_34530bcdda777c34.txt:26: ConflictingCategory" in result.stderr
    assert not list(tmp_path.glob(".*part"))


def test_query_named_queries_in_one_step(seed_path: Path) -> None:
    result = jixiao("query", "indicators", seed_path, "--format", "json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert len(rows) == 92
    assert set(rows[0]) == {"agency", "project", "goal", "level1", "level2", "name", "comparator", "value", "unit", "stated", "basis"}
    assert sum(1 for r in rows if r["goal"] == "annual") == 46
    computers = [r for r in rows if r["name"] == "计算机"]
    assert {(r["level1"], r["level2"], r["comparator"], r["value"], r["unit"], r["stated"], r["basis"]) for r in computers} == \
        {("产出指标", "数量指标", "=", 48, "台", "=48台", "计划标准")}
    budget = json.loads(jixiao("query", "budget-by-unit", seed_path, "--format", "json").stdout)
    assert budget == [{"agency": "鄂州市人力资源和社会保障局本级", "projects": 7, "budget": 3752600}]


def test_query_on_ingested_rdf_equals_query_on_table(tmp_path: Path, seed_path: Path) -> None:
    out = tmp_path / "seed.nt"
    assert jixiao("ingest", seed_path, "-o", out).returncode == 0
    from_rdf = jixiao("query", "projects", out, "--format", "csv").stdout
    from_table = jixiao("query", "projects", seed_path, "--format", "csv").stdout
    assert from_rdf == from_table and from_rdf.startswith("\ufeffagency,project,budget")


def _bad(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("name", "text", "expected"), [
    ("empty.md", "", "empty.md: the file is empty"),
    ("prose.md", "一段文字\n", "prose.md:1: no performance-target table found"),
    ("cut.md", "| 项目名称 | 甲 | 项目预算 | 1 |\n| 目标名称 | 一级指标 | 二级指标 | 三级指标 | 指标值 | 指标值确定依据 |\n"
               "| 年度目标1 | 产出指标 | 数量指标 | 培训人数 | ≥1", "cut.md:3: the table is cut off"),
])
def test_unusable_input_fails_and_leaves_previous_output(tmp_path: Path, seed_path: Path, name: str, text: str, expected: str) -> None:
    out = tmp_path / "out.ttl"
    out.write_text("previous contents\n", encoding="utf-8")
    result = jixiao("ingest", seed_path, _bad(tmp_path, name, text), "-o", out)
    assert result.returncode == 2
    assert expected in result.stderr and "Traceback" not in result.stderr
    assert out.read_text(encoding="utf-8") == "previous contents\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["out.ttl", name])


def test_odd_cells_are_ingested_with_warnings_naming_file_and_line(tmp_path: Path) -> None:
    table = _bad(tmp_path, "odd.md", "申报单位：测试局\n| 项目名称 | 甲 | 项目预算 | 1 |\n"
                 "| 目标名称 | 一级指标 | 二级指标 | 三级指标 | 指标值 | 指标值确定依据 |\n"
                 "| 年度目标1 | 产出指标 | 奇怪指标 | 培训人数 | ≥若干人 | 计划标准 |\n")
    out = tmp_path / "odd.ttl"
    result = jixiao("ingest", table, "-o", out)
    assert result.returncode == 0, result.stderr
    assert "odd.md:4: UnknownCategory: 奇怪指标" in result.stderr
    assert "odd.md:4: UnparseableValue: ≥若干人" in result.stderr
    graph = load_graph([out])
    assert len(set(graph.subjects(JX.noteKind, JX.UnknownCategory))) == 1


def test_unknown_query_and_parameter_are_usage_errors(seed_path: Path) -> None:
    unknown = jixiao("query", "no-such-query", seed_path)
    assert unknown.returncode == 2 and "indicators" in unknown.stderr and "budget-by-unit" in unknown.stderr
    bad_param = jixiao("query", "indicators", seed_path, "--param", "colour=red")
    assert bad_param.returncode == 2 and "agency (literal)" in bad_param.stderr


def test_query_parameters_filter(seed_path: Path) -> None:
    result = jixiao("query", "indicators", seed_path, "--param", "project=法律服务", "--format", "json")
    rows = json.loads(result.stdout)
    assert len(rows) == 10 and {r["project"] for r in rows} == {"法律服务"}


def test_missing_file_is_reported(tmp_path: Path) -> None:
    result = jixiao("ingest", tmp_path / "nope.md", "-o", tmp_path / "x.ttl")
    assert result.returncode == 2 and "nope.md: no such file or directory" in result.stderr


@pytest.mark.parametrize("args", [
    ["query", "projects", "--year", "3000"],  # --year is range-checked by every command
    ["validate", "x.ttl", "--year", "1800"],
    ["ingest", "x.md", "-o", "x.ttl", "--base", "not-an-iri/"],  # --base: an absolute IRI ...
    ["reason", "x.md", "-o", "x.ttl", "--base", "https://example.org/id"],  # ... ending in / or #
    ["load", "x.md", "--endpoint", "http://127.0.0.1:9/sparql", "--base", "relative/"],
    ["query", "projects", "--format", "xml"],
    ["no-such-command"],
    ["ingest"],
])
def test_usage_errors_are_one_line_and_exit_2(tmp_path: Path, args: list[str]) -> None:
    result = jixiao(*args, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1, result.stderr
    assert result.stdout == "" and not list(tmp_path.iterdir())


def test_a_hash_base_is_accepted(tmp_path: Path, seed_path: Path) -> None:
    out = tmp_path / "seed.nt"
    result = jixiao("ingest", seed_path, "-o", out, "--base", "urn:example:tables#", "--year", "2024")
    assert result.returncode == 0, result.stderr
    assert "<urn:example:tables#project/" in out.read_text(encoding="utf-8")
