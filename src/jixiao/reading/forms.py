"""The wording of published forms, read from ontology/forms.ttl into lookup tables.

Public API (stable; the text-form segmenter and the layout use it):

- ``form_field(text) -> FieldMatch | None`` — the form field a label cell names (项目名称,
  申报单位, 项目预算 …), with the money unit written in the label (``项目预算金额(万元)`` → 万元)
  and a year written in it. A trailing colon and a leading ``其中:`` are ignored.
- ``column_role(text) -> RoleMatch | None`` — the column role a header cell names (一级指标,
  指标值 …), with the four-digit year written in it (``预期2022年实现值`` → value column, 2022;
  ``2021年实际实现值`` → previous-actual column, 2021) and the goal kind of a qualifier
  (``指标值(长期)`` → value column, long-term).
- ``non_indicator_marker(text) -> str | None`` — the local name of the jx:NonIndicatorRowMarker
  a cell shows (``SignOffRow`` for 盖章 cells, ``PageFurniture`` for 索引号, 还剩1页未读 …,
  ``Footnote`` for a cell starting 注:).
- ``goal_qualifier(text) -> str | None`` — LONG_TERM or ANNUAL for 长期/实施期/… or 年度/本年度/….
- ``strip_score_range(text) -> str`` — a category cell without its score range
  (``成本指标(0-20)分`` → ``成本指标``).
- ``split_unit_code(text) -> tuple[str | None, str]`` — a unit name and the budget code written
  with it (``207101天津市河北区人民法院`` → ("207101", "天津市河北区人民法院"); ``[015001]武汉市…``,
  ``(433001)乌海市…``, ``820001-井研县…``).
- ``all_labels() -> list[str]`` — every form-field and column-role label as written in the
  ontology (``YYYY`` standing for a year), longest first, for splitting run-together text.

Labels are compared with `jixiao.vocabulary.canon` (NFKC, no whitespace, casefold); nothing in
this module lists a label. The rules are described in docs/reading.md ("Form fields" and
"Column roles").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS

from jixiao.namespaces import JX
from jixiao.reading.records import ANNUAL, LONG_TERM
from jixiao.vocabulary import ALL_LABELS, canon, vocabulary

_YEAR_PLACEHOLDER = "yyyy"  # canon("YYYY"): labels write a year as YYYY
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_LEADING_PART = re.compile(r"^(?:其中|含)[:：]?")
_TRAILING_BRACKET = re.compile(r"[(（]([^()（）]*)[)）]$")
_SCORE_RANGE = re.compile(r"[(（]\s*\d+(?:\.\d+)?\s*[-－~～—至]+\s*\d+(?:\.\d+)?\s*分?\s*[)）]\s*分?|[(（]\s*\d+(?:\.\d+)?\s*分\s*[)）]")
_UNIT_CODE = re.compile(r"^\s*(?:[\[【(（]\s*(\d{3,})\s*[\]】)）]|(\d{3,})\s*[-－—_]?)\s*(\S.*)$")


@dataclass(frozen=True)
class FormField:
    """A jx:FormField concept: its local name, its zh label, and what its value is."""

    name: str  # local name, e.g. "ProjectNameField"
    label: str
    unit_role: str | None = None  # local name of a jx:UnitRole for unit fields
    goal_kind: str | None = None  # LONG_TERM or ANNUAL for goal fields


@dataclass(frozen=True)
class FieldMatch:
    field: FormField
    money_unit: str | None = None  # 万元 in 项目预算金额(万元)
    year: int | None = None


@dataclass(frozen=True)
class RoleMatch:
    role: str  # local name of a jx:ColumnRole, e.g. "ValueColumn"
    year: int | None = None
    goal_kind: str | None = None  # from a qualifier such as (长期) / (年度)


@dataclass
class _Tables:
    fields: dict[str, FormField] = field(default_factory=dict)
    roles: dict[str, str] = field(default_factory=dict)
    qualifiers: dict[str, str] = field(default_factory=dict)
    markers_whole: dict[str, str] = field(default_factory=dict)
    markers_inside: list[tuple[str, str]] = field(default_factory=list)
    markers_prefix: list[tuple[str, str]] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    money_units: set[str] = field(default_factory=set)


def _local(iri: URIRef) -> str:
    return str(iri).rsplit("#", 1)[-1]


def _zh(graph: Graph, concept: URIRef) -> str:
    for label in graph.objects(concept, SKOS.prefLabel):
        if isinstance(label, Literal) and label.language == "zh":
            return str(label)
    return _local(concept)


def _label_texts(graph: Graph, concept: URIRef) -> list[str]:
    return [str(o) for p in ALL_LABELS for o in graph.objects(concept, p) if isinstance(o, Literal) and o.language in ("zh", None)]


def _goal_kind(graph: Graph, concept: URIRef) -> str | None:
    qualifier = graph.value(concept, JX.goalKind)
    if qualifier == JX.LongTermQualifier:
        return LONG_TERM
    if qualifier == JX.AnnualQualifier:
        return ANNUAL
    return None


@cache
def _tables() -> _Tables:
    graph = vocabulary().graph  # the graph the vocabulary already parsed, not a second parse
    tables = _Tables()
    for concept in graph.subjects(RDF.type, JX.FormField):
        assert isinstance(concept, URIRef)
        role = graph.value(concept, JX.unitRole)
        record = FormField(_local(concept), _zh(graph, concept), _local(role) if isinstance(role, URIRef) else None,
                           _goal_kind(graph, concept))
        for label in _label_texts(graph, concept):
            tables.fields.setdefault(_key(label), record)
            tables.labels.append(label)
    for concept in graph.subjects(RDF.type, JX.ColumnRole):
        assert isinstance(concept, URIRef)
        for label in _label_texts(graph, concept):
            tables.roles.setdefault(_key(label), _local(concept))
            tables.labels.append(label)
    for concept in graph.subjects(RDF.type, JX.GoalQualifier):
        assert isinstance(concept, URIRef)
        kind = LONG_TERM if concept == JX.LongTermQualifier else ANNUAL
        for label in _label_texts(graph, concept):
            tables.qualifiers[canon(label)] = kind
    for concept in graph.subjects(RDF.type, JX.NonIndicatorRowMarker):
        assert isinstance(concept, URIRef)
        for label in _label_texts(graph, concept):
            tables.markers_whole[canon(label).rstrip(":")] = _local(concept)
        for part in graph.objects(concept, JX.markerSubstring):
            tables.markers_inside.append((canon(str(part)), _local(concept)))
        for part in graph.objects(concept, JX.markerPrefix):
            tables.markers_prefix.append((canon(str(part)), _local(concept)))
    for unit in graph.subjects(JX.quantityKind, JX.Money):
        tables.money_units.update(canon(t) for t in _label_texts(graph, unit))  # type: ignore[arg-type]
    tables.labels.sort(key=lambda label: (-len(label), label))
    return tables


# Remembered like vocabulary.canon: a pure function of the label, asked for every cell of every row
# (is a cell a column header? a form field?), where the same few hundred texts recur.
@lru_cache(maxsize=1 << 14)
def _key(label: str) -> str:
    """A label's lookup key: canonical text with any year written as the placeholder."""
    return _YEAR.sub(_YEAR_PLACEHOLDER, canon(label).rstrip(":：")).replace("yyyy", _YEAR_PLACEHOLDER)


def _year_of(text: str) -> int | None:
    match = _YEAR.search(canon(text))
    return int(match.group(1)) if match else None


def form_field(text: str) -> FieldMatch | None:
    """The form field `text` names as a label, or None."""
    tables = _tables()
    key = _LEADING_PART.sub("", _key(text))
    money_unit: str | None = None
    for _ in range(2):
        if key in tables.fields:
            year = _year_of(text) if _YEAR_PLACEHOLDER in key else None
            return FieldMatch(tables.fields[key], money_unit, year)
        bracket = _TRAILING_BRACKET.search(key)
        if bracket is None:
            return None
        inner = bracket.group(1)
        if inner in tables.money_units:
            money_unit = inner
        key = key[: bracket.start()]
    return None


def column_role(text: str) -> RoleMatch | None:
    """The column role `text` names as a header cell, or None."""
    tables = _tables()
    key = _key(text)
    goal_kind: str | None = None
    bracket = _TRAILING_BRACKET.search(key)
    if key not in tables.roles and bracket is not None and bracket.group(1) in tables.qualifiers:
        goal_kind = tables.qualifiers[bracket.group(1)]
        key = key[: bracket.start()]
    role = tables.roles.get(key)
    if role is None:
        return None
    year = _year_of(text) if _YEAR_PLACEHOLDER in key else None
    return RoleMatch(role, year, goal_kind)


def goal_qualifier(text: str) -> str | None:
    return _tables().qualifiers.get(canon(text))


def non_indicator_marker(text: str) -> str | None:
    tables = _tables()
    key = canon(text)
    if key.rstrip(":：") in tables.markers_whole:
        return tables.markers_whole[key.rstrip(":：")]
    for part, marker in tables.markers_inside:
        if part in key:
            return marker
    for part, marker in tables.markers_prefix:
        if key.startswith(part):
            return marker
    return None


def strip_score_range(text: str) -> str:
    """`成本指标(0-20)分` → `成本指标`: a score range is no part of a category's name."""
    return _SCORE_RANGE.sub("", text).strip()


def split_unit_code(text: str) -> tuple[str | None, str]:
    """A unit name and the budget code written before it, if any."""
    match = _UNIT_CODE.match(text)
    if match is None or len(match.group(3).strip()) < 2 or not match.group(3).lstrip()[0].isalpha() or match.group(3).lstrip()[0] in "年月日号":
        return None, text.strip()
    return match.group(1) or match.group(2), match.group(3).strip()


def is_money_unit(text: str) -> bool:
    return canon(text) in _tables().money_units


def all_labels() -> list[str]:
    """Every form-field and column-role label, longest first (YYYY stands for a year)."""
    return list(_tables().labels)
