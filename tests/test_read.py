"""Reading files: encodings, Markdown and CSV grids, and what is refused."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from jixiao.errors import InputError
from jixiao.graph.build import load_graph
from jixiao.queries.formats import plain_rows
from jixiao.queries.library import load_query, run
from jixiao.reading.readers import read_bytes, read_file
from jixiao.stores.base import MemoryBackend
from jixiao.synthetic import corpus, render


def indicator_rows(path: Path) -> list[dict]:
    return list(plain_rows(run(load_query("indicators"), MemoryBackend(load_graph([path])))))


@pytest.mark.parametrize("encoding", ["gb18030", "gbk", "utf-8-sig"])
def test_table_in_other_encodings_reads_the_same_as_utf8(tmp_path: Path, seed_path: Path, encoding: str) -> None:
    text = seed_path.read_text(encoding="utf-8")
    utf8 = tmp_path / "utf8.md"
    utf8.write_text(text, encoding="utf-8")
    other = tmp_path / f"{encoding}.md"
    other.write_bytes(text.encode(encoding))
    document = read_file(other)
    assert document.encoding == ("utf-8-sig" if encoding == "utf-8-sig" else "gb18030")
    assert [line.cells for line in document.lines] == [line.cells for line in read_file(utf8).lines]
    assert indicator_rows(other) == indicator_rows(utf8)
    assert len(indicator_rows(other)) == 92


def test_markdown_rows_keep_line_numbers_and_drop_rules(seed_path: Path) -> None:
    document = read_file(seed_path)
    by_number = {line.number: line for line in document.lines}
    assert by_number[7].text == "鄂州市人力资源和社会保障局本级"
    assert (by_number[7].form, by_number[7].cells) == ("text", ("鄂州市人力资源和社会保障局本级",))
    assert by_number[13].cells[:4] == ("项目名称", "业务运行保障", "项目预算", "130")
    assert by_number[13].form == "markdown"
    assert {line.form for line in document.lines} == {"text", "markdown"}
    assert 12 not in by_number  # |----|--| rule
    assert all(line.complete for line in document.lines)


def test_csv_table_reads_like_markdown(tmp_path: Path) -> None:
    csv_file = tmp_path / "t.csv"
    csv_file.write_text("申报单位：测试局\n金额单位：万元\n项目名称,测试项目,项目预算,10\n"
                        "目标名称,一级指标,二级指标,三级指标,指标值,指标值确定依据\n"
                        "年度目标1,产出指标,数量指标,培训人数,≥100人,计划标准\n", encoding="utf-8")
    rows = indicator_rows(csv_file)
    assert [(r["agency"], r["project"], r["name"], r["value"], r["unit"]) for r in rows] == [("测试局", "测试项目", "培训人数", 100, "人")]


@pytest.mark.parametrize("data", [b"", b"  \n\n \n"])
def test_empty_file_is_refused_with_its_name(data: bytes) -> None:
    with pytest.raises(InputError, match=r"empty\.md: the file is empty"):
        read_bytes("empty.md", data)


def test_undecodable_bytes_are_refused() -> None:
    with pytest.raises(InputError, match="cannot decode"):
        read_bytes("bad.md", b"\xff\xfe\xfd\x80\x81" * 3 + b"\x00\xff")


def test_unknown_suffix_is_refused() -> None:
    with pytest.raises(InputError, match="unsupported file type"):
        read_bytes("table.xyz", b"| a |")


def markdown_to_csv(markdown: str) -> str:
    """The same table exported as CSV: each Markdown row a CSV row, text lines a single field."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for line in markdown.splitlines():
        if line.startswith("|---"):
            continue
        writer.writerow([c.strip() for c in line.strip()[1:-1].split("|")] if line.startswith("|") else [line])
    return out.getvalue()


def test_csv_export_of_the_standard_form_reads_like_the_markdown(tmp_path: Path) -> None:
    # Section rows come as `长期绩效目标表,,,,,`: a row of the table, not a title line.
    projects = corpus(4, seed=11, defects=0.5)
    markdown = tmp_path / "t.md"
    markdown.write_text(render(projects), encoding="utf-8")
    exported = tmp_path / "t.csv"
    exported.write_text(markdown_to_csv(render(projects)), encoding="utf-8")
    assert "长期绩效目标表,,,,," in exported.read_text(encoding="utf-8")
    assert {line.form for line in read_file(exported).lines} == {"csv", "text"}
    assert indicator_rows(exported) == indicator_rows(markdown)
    assert len(indicator_rows(markdown)) == sum(len(p.long_term) + len(p.annual) for p in projects)
