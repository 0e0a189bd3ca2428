"""Files as units publish them: web pages, Word, Excel and PDF tables, folders and archives of them.

Each format is written from the same blocks as the seed's Markdown (its text lines and table rows,
damage included) by the library that writes it, with merged cells where an office user makes them
(a category spanning its indicators' rows, a title or statement spanning the table); the PDF is
printed from the DOCX by LibreOffice. Every format must give the graph of the text reader, apart
from source positions. The real tables of ../shared/real-tables/ are typed back from their answer
keys into DOCX, XLSX and HTML and must each read as their key. Files that cannot be read are named
with their reason, and the good files beside them are read.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, Literal, URIRef

from answer_keys import category_ok
from format_writers import Block, converter, print_pdf, write_docx, write_html, write_xls, write_xlsx
from jixiao.errors import InputError
from jixiao.graph.build import load_graph
from jixiao.graph.mapping import document_graph
from jixiao.namespaces import JX
from jixiao.reading.formats.archive import read_documents
from jixiao.reading.formats.pdf import SCANNED
from jixiao.reading.normalize import normalize
from jixiao.reading.readers import RawDocument, read_bytes, read_file
from jixiao.vocabulary import vocabulary

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "000_34530bcdda777c34.txt"
REAL = ROOT.parent / "shared" / "real-tables"
IN_CI = os.environ.get("CI") == "true"
# Triples that say where in the file a thing was read: they differ between formats by design.
POSITION_PREDICATES = {JX.sourceRow, JX.atRow, JX.fileName, JX.contentHash, JX.encoding, JX.lineNumber, JX.rawText, JX.inDocument}


def blocks_of(document: RawDocument) -> list[Block]:
    """A text document as blocks: each text line, and each run of table rows as one table."""
    blocks: list[Block] = []
    for line in document.lines:
        if line.form == "text":
            blocks.append(line.text)
        elif blocks and isinstance(blocks[-1], list):
            blocks[-1].append(list(line.cells or ()))
        else:
            blocks.append([list(line.cells or ())])
    return blocks


_LINE_NUMBERS = re.compile(r"\b(lines?) \d+(?:, \d+)*")


def without_positions(graph: Graph) -> set[tuple]:
    """The graph's triples with source documents and rows left out (subjects and objects under /source/),
    and the line numbers a note's text cites (`lines 19, 20`) masked."""
    def positional(term: object) -> bool:
        return isinstance(term, URIRef) and "/source/" in str(term)

    def masked(term: object) -> object:
        return Literal(_LINE_NUMBERS.sub(r"\1 #", str(term))) if isinstance(term, Literal) and term.datatype is None else term

    return {(s, p, masked(o)) for s, p, o in graph if p not in POSITION_PREDICATES and not positional(s) and not positional(o)}


def require_converter() -> None:
    if converter() is None:
        if IN_CI:
            pytest.fail("LibreOffice (soffice) is missing: scripts/install-test-tools.sh installs it")
        pytest.skip("LibreOffice (soffice) is not installed: run scripts/install-test-tools.sh")


@pytest.fixture(scope="module")
def seed_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("seed")
    blocks = blocks_of(read_file(SEED))
    files = {"docx": write_docx(blocks, folder / "seed.docx"), "xlsx": write_xlsx(blocks, folder / "seed.xlsx", sheets=3),
             "xls": write_xls(blocks, folder / "seed.xls"),
             "html": write_html(blocks, folder / "seed.html"), "html-gb2312": write_html(blocks, folder / "seed-gb.htm", encoding="gb2312")}
    if converter() is not None:
        files["pdf"] = print_pdf(files["docx"], folder)
    return files


@pytest.mark.parametrize("form", ["docx", "xlsx", "xls", "html", "html-gb2312", "pdf"])
def test_every_format_gives_the_graph_of_the_text_reader(seed_files: dict[str, Path], form: str) -> None:
    if form == "pdf":
        require_converter()
    expected = without_positions(document_graph(normalize(read_file(SEED))))
    document = read_file(seed_files[form])
    assert {line.form for line in document.lines} == {"text", "grid"}
    got = without_positions(document_graph(normalize(document)))
    assert got == expected, (sorted(got - expected)[:5], sorted(expected - got)[:5])


def test_many_files_merge_into_one_graph_with_each_unit_and_project_once(seed_files: dict[str, Path], tmp_path: Path) -> None:
    """The same tables as Markdown, DOCX, XLSX and HTML in one folder: one agency, seven projects, one budget each."""
    folder = tmp_path / "mixed"
    folder.mkdir()
    for name in ("docx", "xlsx", "html"):
        (folder / seed_files[name].name).write_bytes(seed_files[name].read_bytes())
    (folder / SEED.name).write_bytes(SEED.read_bytes())
    graph = load_graph([folder])
    projects = set(graph.subjects(RDF.type, JX.Project))
    agencies = {o for p in projects for o in graph.objects(p, JX.declaredBy)}
    assert len(projects) == 7 and len(agencies) == 1
    years = set(graph.subjects(RDF.type, JX.ProjectYear))  # the same table in four formats is one year of each project
    assert len(years) == 7 and all(len(set(graph.objects(y, JX.budget))) == 1 for y in years)
    assert len(set(graph.subjects(RDF.type, JX.SourceDocument))) == 4  # each file's provenance kept


def test_merged_cells_are_known_as_merged_and_positions_kept(seed_files: dict[str, Path]) -> None:
    for form in ("docx", "xlsx", "xls", "html"):
        lines = read_file(seed_files[form]).lines
        merged = [line for line in lines if line.merged]
        assert merged, form
        assert all(line.cells[column] == "" for line in merged for column in line.merged)
        assert [line.number for line in lines] == list(range(1, len(lines) + 1))
        assert all(line.where for line in lines if line.form == "grid")
    sheets = {line.where.split(",")[0] for line in read_file(seed_files["xlsx"]).lines if line.where}
    assert len(sheets) == 3, sheets


def test_gb2312_page_is_decoded_in_the_encoding_it_declares(seed_files: dict[str, Path]) -> None:
    document = read_file(seed_files["html-gb2312"])
    assert document.encoding == "gb2312"
    assert any("鄂州市人力资源和社会保障局本级" in line.text for line in document.lines)


def test_a_page_saved_under_a_workbook_name_is_read_for_what_it_is(seed_files: dict[str, Path]) -> None:
    data = seed_files["html"].read_bytes()
    assert [line.cells for line in read_bytes("导出.xls", data).lines] == [line.cells for line in read_file(seed_files["html"]).lines]


def test_html_rowspan_and_colspan_are_laid_out_on_the_grid() -> None:
    page = ("<html><head><meta charset='utf-8'></head><body><p>标题</p><table>"
            "<tr><td rowspan='2'>产出指标</td><td colspan='2'>数量指标</td></tr><tr><td>a</td><td>b</td></tr></table></body></html>")
    lines = read_bytes("t.html", page.encode()).lines
    assert [(line.form, line.cells, sorted(line.merged)) for line in lines] == [
        ("text", ("标题",), []), ("grid", ("产出指标", "数量指标", ""), [2]), ("grid", ("", "a", "b"), [0])]


def test_workbook_numbers_are_written_as_the_cell_shows_them(tmp_path: Path) -> None:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append([130, 27.06, 0.95, 1234.5])
    sheet["C1"].number_format = "0%"
    sheet["D1"].number_format = "0.00"
    workbook.save(tmp_path / "n.xlsx")
    assert read_file(tmp_path / "n.xlsx").lines[0].cells == ("130", "27.06", "95%", "1234.50")


# ----- the real tables, typed back into office files and web pages -------------------------------

def _real_keys() -> list[Path]:
    if not REAL.is_dir():
        if IN_CI:
            raise RuntimeError(f"the shared real tables are required under CI: {REAL} is missing")
        return []
    return sorted(REAL.glob("*.expected.json"))


def typed_back(key: dict) -> list[Block]:
    """A key's projects as a clerk types them: title, fields, then the indicator table (categories merged down)."""
    blocks: list[Block] = []
    for project in key["projects"]:
        blocks.append(f"项目支出绩效目标表({project['year']}年度)")
        blocks.append("金额单位：元")
        fields = [["项目名称", project["project"] or "", "项目预算", str(project["budget_yuan"] or "")]]
        if project.get("agency"):
            fields.append(["申报单位", project["agency"], "", ""])
        blocks.append(fields)
        by_goal: dict[str, list[dict]] = {}
        for indicator in project["indicators"]:
            by_goal.setdefault(indicator.get("goal") or "annual", []).append(indicator)
        for goal, indicators in by_goal.items():
            rows = [["长期绩效目标表" if goal != "annual" else "年度绩效目标表", "", "", "", ""],
                    ["一级指标", "二级指标", "三级指标", "指标值", "指标值确定依据"]]
            previous: tuple[str, str] = ("", "")
            for indicator in indicators:
                level1, level2 = indicator["level1"] or "", indicator["level2"] or ""
                rows.append(["" if level1 == previous[0] else level1, "" if (level1, level2) == previous else level2,
                             indicator["name"], indicator["stated"], indicator.get("basis") or ""])
                previous = (level1, level2)
            blocks.append(rows)
    return blocks


def _norm(text: str | None) -> str:
    return re.sub(r"\s+", "", text or "")


def score(document: RawDocument, key: dict) -> tuple[int, int, list[str]]:
    """Indicators right as score.py counts them: category, name, comparator, number and base unit, or the stated text."""
    labels, notation = vocabulary().label_zh, vocabulary().notation
    found = [i for p in normalize(document).projects for i in p.indicators()]
    used: set[int] = set()
    right, wrong = 0, []
    for expected in (i for p in key["projects"] for i in p["indicators"]):
        match = next((k for k, i in enumerate(found) if k not in used and _norm(i.name) == _norm(expected["name"])), None)
        ok = match is not None
        if ok:
            indicator = found[match]
            value = indicator.value
            ok = category_ok(expected, (labels.get(indicator.level1) if indicator.level1 else None,
                                        labels.get(indicator.level2) if indicator.level2 else None))
            if expected["number"] is None:
                ok = ok and _norm(value.stated if value else None) == _norm(expected["stated"])
            else:
                unit = (value.unit.base_label if value.unit is not None else value.unit_text) if value else None
                ok = ok and value is not None and value.number is not None \
                    and abs(float(value.number) - float(expected["number"])) <= 1e-6 * max(1.0, abs(float(expected["number"]))) \
                    and (expected["comparator"] or "=") == (notation.get(value.comparator) if value.comparator else "=") \
                    and (expected["unit"] or "") == (unit or "")
        if ok:
            used.add(match)  # type: ignore[arg-type]
            right += 1
        else:
            wrong.append(f"{expected['name']} ({expected['stated']})")
    return right, len(found), wrong


# Indicators that must be right where not all are yet, and why (none of it the format readers' doing:
# the cells reach the layout as the key gives them).
FLOOR: dict[str, int] = {}
WHY: dict[str, str] = {}


@pytest.mark.parametrize("form", ["docx", "xlsx", "html"])
@pytest.mark.parametrize("key_file", _real_keys(), ids=lambda p: p.name.split(".")[0])
def test_real_tables_typed_back_read_as_their_answer_keys(tmp_path: Path, key_file: Path, form: str) -> None:
    key = json.loads(key_file.read_text(encoding="utf-8"))
    blocks = typed_back(key)
    writer = {"docx": write_docx, "xlsx": write_xlsx, "html": write_html}[form]
    document = read_file(writer(blocks, tmp_path / f"table.{form}", merge_down=(0, 1)))
    assert any(line.merged for line in document.lines)
    right, found, wrong = score(document, key)
    total = sum(len(p["indicators"]) for p in key["projects"])
    stem = key_file.name.split(".")[0]
    assert (right, found) == (FLOOR.get(stem, total), total), f"{WHY.get(stem, 'all right expected')}; wrong: {wrong}"
    projects = normalize(document).projects
    for expected, project in zip(key["projects"], projects, strict=True):
        assert project.name == expected["project"]
        if expected["budget_yuan"] is not None:
            assert project.budget == Decimal(str(expected["budget_yuan"]))


# ----- folders and archives with files that cannot be read ---------------------------------------

def _scanned_pdf(target: Path) -> Path:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (600, 400), "white")
    draw = ImageDraw.Draw(image)
    for y in range(40, 360, 40):
        draw.line((40, y, 560, y), fill="black", width=2)
    image.save(target, "PDF", resolution=72)
    return target


def _encrypted_xlsx(source: Path, target: Path) -> Path:
    from msoffcrypto.format.ooxml import OOXMLFile

    encrypted = io.BytesIO()
    with source.open("rb") as plain:
        OOXMLFile(plain).encrypt("secret", encrypted)
    target.write_bytes(encrypted.getvalue())
    return target


@pytest.fixture
def mixed_folder(tmp_path: Path, seed_files: dict[str, Path]) -> Path:
    folder = tmp_path / "disclosure"
    (folder / "sub").mkdir(parents=True)
    (folder / "good.docx").write_bytes(seed_files["docx"].read_bytes())
    with zipfile.ZipFile(folder / "sub" / "pages.zip", "w") as archive:
        archive.write(seed_files["html"], "第一批/seed.html")
        archive.write(seed_files["xlsx"], "seed.xlsx")
    (folder / "corrupt.docx").write_bytes(seed_files["docx"].read_bytes()[:3000])
    _encrypted_xlsx(seed_files["xlsx"], folder / "locked.xlsx")
    _scanned_pdf(folder / "sub" / "scan.pdf")
    with zipfile.ZipFile(folder / "empty.zip", "w"):
        pass
    return folder


def test_bad_files_are_named_with_their_reason_and_good_ones_read(mixed_folder: Path) -> None:
    results = [r for path in sorted(p for p in mixed_folder.rglob("*") if p.is_file()) for r in read_documents(path)]
    read = {Path(r.path.split("!")[-1]).name: normalize(r) for r in results if isinstance(r, RawDocument)}
    errors = {Path(e.path).name: e.message for e in results if isinstance(e, InputError)}
    assert sorted(read) == ["good.docx", "seed.html", "seed.xlsx"]
    assert {name: len(document.projects) for name, document in read.items()} == dict.fromkeys(read, len(normalize(read_file(SEED)).projects))
    assert any(r.path.endswith("pages.zip!第一批/seed.html") for r in results if isinstance(r, RawDocument))
    assert set(errors) == {"corrupt.docx", "locked.xlsx", "scan.pdf", "empty.zip"}
    assert "corrupt" in errors["corrupt.docx"] and "DOCX" in errors["corrupt.docx"]
    assert "password-protected" in errors["locked.xlsx"] and "密码" in errors["locked.xlsx"]
    assert errors["scan.pdf"] == SCANNED and "OCR" in SCANNED and "扫描" in SCANNED
    assert "empty" in errors["empty.zip"] and "压缩包为空" in errors["empty.zip"]


def test_ingest_names_each_bad_file_goes_on_and_summarises(mixed_folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "all.nt"
    result = subprocess.run([sys.executable, "-m", "jixiao", "ingest", str(mixed_folder), "-o", str(out)],
                            capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    for name in ("corrupt.docx: error:", "locked.xlsx: error:", "scan.pdf: error: scanned PDF", "empty.zip: error:"):
        assert name in result.stderr, name
    projects = len(normalize(read_file(SEED)).projects)
    for name in ("good.docx", "pages.zip!第一批/seed.html", "pages.zip!seed.xlsx"):
        assert f"{name}: {projects} projects," in result.stderr
    assert re.search(rf"total: 7 document\(s\), {3 * projects} projects, .* 4 unreadable", result.stderr), result.stderr[-500:]
    labels = {str(o) for o in Graph().parse(out, format="nt").objects(None, RDFS.label)}
    assert "业务运行保障" in labels
