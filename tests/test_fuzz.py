"""Whatever is thrown at `ingest` and `validate` (bytes, hostile Unicode, table-shaped junk): no traceback, and valid RDF out."""

from __future__ import annotations

import io
import re
import tempfile
from pathlib import Path

import pyoxigraph
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph

from jixiao.cli import main

CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f]")

# Characters that break naive text handling: NUL, CR, other controls, RTL marks and overrides, a BOM, a line separator, emoji.
HOSTILE = st.sampled_from(["\x00", "\r", "\n", "\t", "\x0b", "\x1f", "\x7f", "\x85", "\u200f", "\u202e", "\ufeff", "\u2028", "😀", "|", ",", '"'])
LABELS = st.sampled_from(["一级指标", "二级指标", "三级指标", "指标值", "产出指标", "数量指标", "质量指标", "时效指标", "成本指标",
                          "效益指标", "社会效益指标", "满意度指标", "服务对象满意度指标", "项目名称", "主管部门", "实施单位",
                          "项目资金", "年度资金总额", "长期绩效目标表", "年度绩效目标表", "预算年度", "指标值（包含数字及文字描述）"])
VALUES = st.sampled_from(["=100%", "≥95%", "≤30天", "=27.06万元", "48台", "1e999999", "-0", "０．５", "≥", "万元", "2024", "NaN", ""])
CELL = st.one_of(LABELS, VALUES, st.text(alphabet=st.one_of(HOSTILE, st.characters()), max_size=8))
ROW = st.lists(CELL, min_size=1, max_size=7)


@st.composite
def table_text(draw: st.DrawFn) -> str:
    """Random rows of framework labels, values and junk, as bar rows, CSV-ish rows or loose text."""
    rows = draw(st.lists(ROW, min_size=1, max_size=14))
    bars = draw(st.booleans())
    separator = draw(st.sampled_from([" | ", ",", "\t", " "]))
    lines = [("| " + " | ".join(row) + " |") if bars else separator.join(row) for row in rows]
    return draw(st.sampled_from(["\n", "\r\n", "\r"])).join(lines)


SEED_LINES = (Path(__file__).parent.parent / "examples" / "000_34530bcdda777c34.txt").read_text(encoding="utf-8").splitlines()


@st.composite
def mutated_seed(draw: st.DrawFn) -> str:
    """The seed table with a block of lines cut out and hostile characters and junk cells put into random lines."""
    lines = list(SEED_LINES)
    cut = draw(st.integers(0, len(lines) - 1))
    del lines[cut:cut + draw(st.integers(0, 40))]
    for _ in range(draw(st.integers(0, 8))):
        index = draw(st.integers(0, len(lines) - 1))
        at = draw(st.integers(0, len(lines[index])))
        lines[index] = lines[index][:at] + draw(st.one_of(HOSTILE, CELL)) + lines[index][at:]
    return "\n".join(lines)


CONTENT = st.one_of(
    mutated_seed().map(lambda t: t.encode("utf-8", "surrogatepass")),
    mutated_seed().map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.binary(max_size=300),
    st.text(alphabet=st.one_of(HOSTILE, st.characters()), max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")),
    table_text().map(lambda t: t.encode("utf-8", "surrogatepass")),
    table_text().map(lambda t: t.encode("gb18030", "replace")),
)
SUFFIX = st.sampled_from([".txt", ".md", ".csv", ".tsv", ".html", ".docx", ".xlsx", ".pdf", ".zip", ".ttl", ".nt", ".jsonld", ""])


def _ends_cleanly(result_exit: int, output: str, exception: BaseException | None) -> None:
    assert exception is None or isinstance(exception, SystemExit), f"traceback: {exception!r}"
    assert result_exit in (0, 1, 2), output
    assert "Traceback" not in output
    errors = [line for line in output.splitlines() if line.startswith("error:")]
    if result_exit == 2:
        assert len(errors) == 1, output
    assert not any(CONTROLS.search(line) for line in errors), errors


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(content=CONTENT, suffix=SUFFIX)
def test_ingest_and_validate_never_crash_and_write_valid_rdf(content: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as directory:
        table = Path(directory) / f"input{suffix}"
        table.write_bytes(content)
        out = Path(directory) / "out.nt"
        runner = CliRunner()
        ingested = runner.invoke(main, ["ingest", str(table), "-o", str(out), "--quiet"])
        _ends_cleanly(ingested.exit_code, ingested.output, ingested.exception)
        if ingested.exit_code == 0:
            Graph().parse(out, format="nt")
            list(pyoxigraph.parse(io.BytesIO(out.read_bytes()), format=pyoxigraph.RdfFormat.N_TRIPLES))
        assert not list(Path(directory).glob("*.part"))
        validated = runner.invoke(main, ["validate", str(table), "--format", "json"])
        _ends_cleanly(validated.exit_code, validated.output, validated.exception)
