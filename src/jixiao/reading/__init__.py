"""Reading: files as units publish them -> records of what each table says, repaired, with notes.

The public face of the step (docs/reading.md has the rules):

- `read_file(path)` / `read_bytes(name, data)`: one file -> a `RawDocument` of lines with cells,
  by the reader registered for its suffix or sniffed content (text and Markdown, CSV, HTML,
  DOCX, XLSX, XLS, PDF); `read_documents(path)` also opens ZIP archives, one document a member;
- `normalize(document, year)`: a `RawDocument` -> a `DocumentRecord` (projects and
  department-wide plans, goals, indicators, every repair and finding a `Note`);
- `parse_value(text)`: one 指标值 cell -> a `ParsedValue` (comparator, number and unit in the
  base unit);
- a self-evaluation (项目支出绩效自评表) is read by `normalize` too, into the record's
  `evaluations` (`EvaluationRecord`, `ResultRecord`; reading/evaluation.py, docs/selfeval.md);
- the records the graph step maps (`records.py`).
"""

from jixiao.reading.formats.archive import read_documents
from jixiao.reading.normalize import normalize
from jixiao.reading.readers import RawDocument, RawLine, read_bytes, read_file, supported_suffixes
from jixiao.reading.records import (
    ANNUAL,
    DEPARTMENT,
    LONG_TERM,
    PROJECT,
    BudgetPart,
    DocumentRecord,
    EvaluationRecord,
    GoalRecord,
    IndicatorRecord,
    NamedUnit,
    Note,
    ProjectRecord,
    ResultRecord,
)
from jixiao.reading.values import ParsedValue, parse_value

__all__ = [
    "ANNUAL",
    "DEPARTMENT",
    "LONG_TERM",
    "PROJECT",
    "BudgetPart",
    "DocumentRecord",
    "EvaluationRecord",
    "GoalRecord",
    "IndicatorRecord",
    "NamedUnit",
    "Note",
    "ParsedValue",
    "ProjectRecord",
    "RawDocument",
    "RawLine",
    "ResultRecord",
    "normalize",
    "parse_value",
    "read_bytes",
    "read_documents",
    "read_file",
    "supported_suffixes",
]
