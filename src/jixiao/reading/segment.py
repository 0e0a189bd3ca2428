"""Recover the cells of a line whose cells were written with no separator at all.

OCR text of a PDF and document-site previews run a table's cells together:
`产出指标数量指标免费开放天数=300天质量指标…`. The cells are found again from two things only:

- **labels** the ontology knows — the framework's category names and aliases, the bases
  (ontology/framework.ttl), and the form-field and column-role labels (concepts of class
  `jx:FormField` / `jx:ColumnRole`, ontology/forms.ttl; a `YYYY` in a label stands for a year);
- the **shape of values** — a comparator form, a number, a unit from units.ttl, a suffix
  comparator (`95%以上`), and the characters OCR writes for a comparator (`二100` for `=100`,
  jx:ocrForm), all from the vocabulary.

Rules (each general; none names a table):

1. A label occurrence is a cell, except where it is part of other text: preceded by a digit
   and beginning with 年, 月 or 日 (a date: `2023年度`), followed by `表` (a table's title names it:
   `…绩效目标表`) or by `%` (a name such as `服务对象满意度%`); a category name right before a
   value ends an indicator's name (`…对象满意度≥95%`). A bracket group right after a
   label is its annotation and stays with it (`成本指标(0-20)分`, `二级指标(长期)`); so does a
   colon (`申报单位:`) and an ordinal: one digit 1-9 after a goal label (`长期目标1`, `目标名称`'s
   column), or after any label when Chinese text that is not a label follows and the digit
   is not a quantity with its unit (`指标2:`). A label of two characters (`分值`, `备注`) counts only beside another label.
2. Between labels, a value is split off where its shape is unmistakable: a comparator symbol
   followed by a number, anywhere (`=300天`, `≥11`); a number with its unit at the end of the
   text (`…覆盖率100%`); a bare number only at the end of the line (a name may end in digits);
   one more value before a trailing one when it carries a unit or a comparator (`…95%10` →
   `95%`, `10`); a number with a unit or comparator at the start, right after a label
   (`20万元中央补助…`). A number is never cut out of a longer number, a date or a code
   (`2023-12-31`, `44,561`). A short unit-like tail the vocabulary lacks stays with its value.
3. A line is a run-together row (form `run-together`) when it holds two or more labels as cells
   and either two of them are adjacent (`一级指标二级指标`, `产出指标数量指标`) or a value shape
   follows a label; or when it starts with a label and ends in a value with text between
   (`质量指标建档立卡学生全面覆盖100%10`: label, name, value). Labels followed by clause
   punctuation do not count: after a colon (`数量指标:`) the label is cut but the line may be
   prose or a form's `label: value`; after a comma or a full stop (`…具体项目单位,并…`) the
   label is inside a sentence and not cut at all. A line of prose (a notice, a goal statement)
   stays one cell. Within a block of lines (between blank lines) holding a
   run-together row, a line of two or more cells with a label or ending in a value is
   run-together too (the block is one table written without separators).

4. A qualitative target has no value shape to cut at. Where a run-together row's text between
   two category labels holds no value-shaped text, a qualitative target word at its end is
   the value, with what follows it if that is at most three characters (`…影响长远`,
   `…绿化水平提升`, `…就业岗位增加岗位`): the direction words with their intensifiers are read
   from the pattern of the shape jxs:DirectionWordOnly (shapes/values.ttl), the other words
   from `jx:qualitativeTargetForm` (ontology/values.ttl). The name before it keeps at least two
   characters. Each such cut is reported (`Segmentation.split_targets`) and becomes a
   `QualitativeTargetSplit` repair note.

Whatever cannot be split stays together: a value in the middle of a name is left to the layout.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from itertools import pairwise

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

from jixiao.namespaces import JX, JXS
from jixiao.reading import forms
from jixiao.resources import resource_dir
from jixiao.vocabulary import ALL_LABELS, Vocabulary, canon, vocabulary

_YEAR_PLACEHOLDER = "YYYY"
_NUMBER = r"\d+(?:,\d{3})*(?:\.\d+)?"
_CLAUSE_PUNCTUATION = ":：,，、;；。"
_OPEN_BRACKETS = "(（[【"
_CLOSE_BRACKETS = ")）]】"
_MAX_ANNOTATION_CHARS = 10
_DATE_UNITS = "年月日"  # after a number they write a date (`2023年度`), not a label
# A number's neighbours that make it part of a longer number, a date or a code.
_NUMBER_GLUE = set("0123456789.,-/:")
# Rule 4: a name keeps at least this many characters; at most this many follow the target word.
_MIN_NAME_CHARS = 2
_MAX_TARGET_TAIL_CHARS = 3


def _has_cjk(text: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" for ch in text)


@dataclass(frozen=True)
class CanonText:
    """A line's matching key (NFKC, no whitespace, casefolded) and where each key character came from."""

    key: str
    origin: tuple[int, ...]  # index in the original text of each key character (plus the end)

    @classmethod
    def of(cls, text: str) -> CanonText:
        if unicodedata.is_normalized("NFKC", text) and text == text.casefold() and not any(c.isspace() for c in text):
            return cls(text, tuple(range(len(text) + 1)))  # already a key: each character stands for itself
        chars: list[str] = []
        origin: list[int] = []
        for index, char in enumerate(text):
            for piece in canon(char):
                chars.append(piece)
                origin.append(index)
        origin.append(len(text))
        return cls("".join(chars), tuple(origin))

    def original(self, text: str, start: int, end: int) -> str:
        """The original text behind key[start:end]."""
        return text[self.origin[start]:self.origin[end]]


@dataclass(frozen=True)
class Lexicon:
    """What the segmenter knows: label patterns, and the parts of a value's shape."""

    labels: re.Pattern[str]
    numbered: frozenset[str]  # keys of labels a goal number follows (长期目标1, 年度绩效目标2)
    categories: frozenset[str]  # keys of the framework's category labels
    value: re.Pattern[str]
    unit: re.Pattern[str]
    comparator_symbols: re.Pattern[str]
    qualitative: re.Pattern[str] = re.compile(r"(?!)")  # rule 4: a qualitative target word

    @classmethod
    def build(cls, labels: list[str], vocab: Vocabulary, numbered: list[str] | None = None) -> Lexicon:
        """A lexicon of `labels` (those of the framework's categories are known from `vocab`)."""
        keys = sorted({canon(label) for label in labels if _has_cjk(label) and len(canon(label)) >= 2}, key=lambda k: (-len(k), k))
        patterns = [re.escape(k).replace(re.escape(canon(_YEAR_PLACEHOLDER)), r"(?:19|20)\d{2}") for k in keys]
        units = sorted((u for u in vocab.units if not u.isascii() or not u.isalpha() or len(u) <= 2), key=lambda u: (-len(u), u))
        prefixes = sorted({f for f, _ in vocab.comparator_prefixes} | _ocr_forms(vocab), key=lambda f: (-len(f), f))
        suffixes = sorted({f for f, _ in vocab.comparator_suffixes}, key=lambda f: (-len(f), f))
        symbols = [f for f in prefixes if not _has_cjk(f)]
        value = f"(?:{_alternation(prefixes)})?{_NUMBER}(?:{_alternation(units)})?(?:{_alternation(suffixes)})?"
        # A lookahead on the labels' first characters lets the engine skip most positions at once.
        year = canon(_YEAR_PLACEHOLDER)
        first = {k[0] for k in keys if not k.startswith(year)} | ({"1", "2"} if any(k.startswith(year) for k in keys) else set())
        label_pattern = f"(?=[{re.escape(''.join(sorted(first)))}])(?:{'|'.join(patterns)})" if patterns else _NOTHING
        return cls(labels=re.compile(label_pattern),
                   numbered=frozenset(canon(label) for label in numbered or ()),
                   categories=frozenset(vocab.level1) | frozenset(vocab.level2),
                   value=re.compile(value), unit=re.compile(_alternation(units)),
                   comparator_symbols=re.compile(f"(?:{_alternation(symbols)})(?=\\d)"),
                   qualitative=_qualitative_pattern(vocab))


_NOTHING = r"(?!)"


def _ocr_forms(vocab: Vocabulary) -> set[str]:
    """Characters OCR writes for a comparator (`二` for `=`: jx:ocrForm), kept with the number they stand before.

    They are prefixes of values at the end or the start of a text only, never cut out of the
    middle of one (they are ordinary Chinese characters too); the value parser repairs them.
    """
    graph = vocab.graph
    return {canon(str(form)) for comparator in graph.subjects(RDF.type, JX.Comparator)
            for form in graph.objects(comparator, JX.ocrForm) if isinstance(form, Literal)}


def _qualitative_pattern(vocab: Vocabulary) -> re.Pattern[str]:
    """Rule 4's words: the direction words of jxs:DirectionWordOnly's pattern (with their intensifiers), and the
    words of `jx:qualitativeTargetForm` (长远, 达标 …). Each list lives in one place; this reads both."""
    words = sorted({canon(str(o)) for o in vocab.graph.objects(None, JX.qualitativeTargetForm) if isinstance(o, Literal)},
                   key=lambda w: (-len(w), w))
    alternatives = [_alternation(words)] if words else []
    direction = direction_word_pattern()
    if direction:
        alternatives.insert(0, direction)
    return re.compile("|".join(f"(?:{a})" for a in alternatives) or _NOTHING)


@cache
def direction_word_pattern() -> str:
    """The pattern of jxs:DirectionWordOnly (a target that is a bare direction word), unanchored."""
    shapes = Graph().parse(resource_dir("shapes") / "values.ttl", format="turtle")
    for negated in shapes.objects(JXS.DirectionWordOnly, SH["not"]):
        for pattern in shapes.objects(negated, SH.pattern):
            return str(pattern).removeprefix("^").removesuffix("$")
    return ""


def _alternation(items: list[str]) -> str:
    """A regular expression matching any of the literal `items` (tried in the order given)."""
    return "|".join(re.escape(item) for item in items) or _NOTHING


def framework_labels(vocab: Vocabulary) -> list[str]:
    """Every label of a framework category or a basis in the ontology graph."""
    graph = vocab.graph
    labels: list[str] = []
    for rdf_type in (JX.Level1Category, JX.Level2Category, JX.ValueBasis):
        for concept in graph.subjects(RDF.type, rdf_type):
            assert isinstance(concept, URIRef)
            labels += [str(o) for p in ALL_LABELS for o in graph.objects(concept, p) if isinstance(o, Literal)]
    return labels


def _is_goal_label(label: str) -> bool:
    """A goal field (长期目标, 年度绩效目标 …) or the goal column (目标名称): goals are numbered."""
    match = forms.form_field(label)
    role = forms.column_role(label)
    return (match is not None and match.field.goal_kind is not None) or (role is not None and role.role == "GoalColumn")


@cache
def default_lexicon() -> Lexicon:
    """The lexicon of the installed ontology: framework, bases, form fields and column roles (built once)."""
    vocab = vocabulary()
    form_labels = forms.all_labels()
    return Lexicon.build(framework_labels(vocab) + form_labels, vocab, [label for label in form_labels if _is_goal_label(label)])


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    label: bool  # a label cell (else a value cell)


@dataclass(frozen=True)
class Segmentation:
    """A line cut into cells, and what the cut rests on."""

    cells: tuple[str, ...]
    labels: int  # label cells that count for rule 3 (not followed by clause punctuation)
    adjacent: bool  # two counted labels with nothing between them
    value_after_label: bool
    ends_in_value: bool
    starts_with_label: bool
    split_targets: tuple[str, ...] = ()  # rule 4: qualitative targets cut off the end of a name

    @property
    def is_row(self) -> bool:
        """Rule 3: the line is a run-together row on its own."""
        if self.labels >= 2 and (self.adjacent or self.value_after_label):
            return True
        return self.starts_with_label and self.ends_in_value and len(self.cells) >= 3

    @property
    def fits_block(self) -> bool:
        """Rule 3, second half: in a run-together block, the line is a row too."""
        return len(self.cells) >= 2 and (self.labels >= 1 or self.ends_in_value)


def _label_spans(key: str, lexicon: Lexicon) -> list[tuple[_Span, bool]]:
    """Rule 1: label occurrences that are cells, each with whether it counts (no clause punctuation after it)."""
    found: list[tuple[int, int]] = []
    for match in lexicon.labels.finditer(key):
        start, end = match.span()
        before = key[start - 1] if start else ""
        after = key[end] if end < len(key) else ""
        if (before.isdigit() and key[start] in _DATE_UNITS) or after in ("表", "%"):
            continue
        if key[start:end] in lexicon.categories and lexicon.value.match(key, end):
            continue  # a category never stands right before a value: the words end a name (…对象满意度≥95%)
        found.append((start, _annotated_end(key, _ordinal_end(key, start, end, lexicon))))
    accepted = [(s, e) for s, e in found if e - s > 2 or any(e == s2 or e2 == s for s2, e2 in found if (s2, e2) != (s, e) and e2 - s2 > 2)]
    spans = []
    for start, end in accepted:
        following = key[end] if end < len(key) else ""
        if following and following in _CLAUSE_PUNCTUATION and following not in ":：":
            continue  # inside a sentence (…落实到具体项目单位,并…): not a cell
        colon = following in (":", "：") and bool(following)
        spans.append((_Span(start, end + colon, True), not colon))
    return spans


def label_cell(text: str, lexicon: Lexicon) -> bool:
    """The whole text is one label (with its annotation: `成本指标(0-20)分`)."""
    key = canon(text)
    match = lexicon.labels.match(key)
    return match is not None and _annotated_end(key, match.end()) == len(key)


def _ordinal_end(key: str, start: int, end: int, lexicon: Lexicon) -> int:
    """A single digit 1-9 right after a label numbers it (`长期绩效目标1`, `指标2:`), unless a unit makes it a quantity.

    The digit must be followed by a colon or Chinese text that does not start a label; there a
    one-character unit followed by more Chinese text is read as a word (`年度绩效目标1本年度…`);
    a longer unit (`1万元`), a symbol (`1%`) or a unit ending the text (`1人`) is a quantity.
    """
    if end >= len(key) or key[end] not in "123456789":
        return end
    following = key[end + 1:end + 2]
    if key[start:end] in lexicon.numbered and not following.isdigit() and following not in ".,%":
        return end + 1  # goals are numbered: 长期目标1 even before the next label
    if not (following in (":", "：") or _has_cjk(following)) or lexicon.labels.match(key, end + 1):
        return end  # at the end, before a number or before the next label, the digit is a value
    unit = lexicon.unit.match(key, end + 1)
    if unit is None:
        return end + 1
    after_unit = key[unit.end():unit.end() + 1]
    one_cjk_char_word = len(unit.group()) == 1 and _has_cjk(unit.group()) and _has_cjk(after_unit)
    return end + 1 if one_cjk_char_word else end


def _annotated_end(key: str, end: int) -> int:
    """A bracket group right after a label belongs to it (and a 分 after a score range)."""
    if end >= len(key) or key[end] not in _OPEN_BRACKETS:
        return end
    close = next((i for i in range(end + 1, min(len(key), end + _MAX_ANNOTATION_CHARS + 1)) if key[i] in _CLOSE_BRACKETS), None)
    if close is None:
        return end
    close += 1
    if close < len(key) and key[close] == "分" and any(c.isdigit() for c in key[end:close]):
        close += 1
    return close


def _free_number(key: str, start: int, end: int) -> bool:
    """The match is not cut out of a longer number, date or code."""
    return (start == 0 or key[start - 1] not in _NUMBER_GLUE) and (end == len(key) or key[end] not in _NUMBER_GLUE)


def _value_spans(key: str, start: int, end: int, after_label: bool, lexicon: Lexicon) -> list[_Span]:
    """Rule 2: value cells in key[start:end], the text between two labels."""
    spans: list[_Span] = []
    for symbol in lexicon.comparator_symbols.finditer(key, start, end):
        match = lexicon.value.match(key, symbol.start(), end)
        if match and _free_number(key, match.start(), match.end()) and not any(s.start <= match.start() < s.end for s in spans):
            spans.append(_Span(match.start(), _unit_tail(key, match.end(), end), False))
    if not spans or spans[-1].end < end:
        spans += _trailing_values(key, max([s.end for s in spans], default=start), end, lexicon)
    cursor_end = min([s.start for s in spans], default=end)
    if after_label and cursor_end > start:
        match = lexicon.value.match(key, start, cursor_end)
        if match and match.end() < cursor_end and _free_number(key, match.start(), match.end()) and _has_cjk(key[match.end():cursor_end]):
            spans.append(_Span(match.start(), match.end(), False))
    return sorted(spans, key=lambda s: s.start)


def _unit_tail(key: str, value_end: int, end: int) -> int:
    """A short unit the vocabulary lacks (`百分比` before it was added) ends the text: it stays with the value."""
    tail = key[value_end:end]
    return end if tail and len(tail) <= 4 and not any(c.isdigit() for c in tail) and not any(c in _CLAUSE_PUNCTUATION for c in tail) else value_end


def _trailing_values(key: str, start: int, end: int, lexicon: Lexicon) -> list[_Span]:
    """Values that end the text; a bare number only at the end of the line (a name may end in digits)."""
    found: list[_Span] = []
    for _ in range(2):
        match = _last_value(key, start, end, lexicon)
        bare = match is not None and not _has_unit_or_comparator(key[match[0]:match[1]])
        if match is None or (bare and (found or end < len(key))):
            break
        found.insert(0, _Span(match[0], match[1], False))
        end = match[0]
    return found


def _last_value(key: str, start: int, end: int, lexicon: Lexicon) -> tuple[int, int] | None:
    """The value shape that ends exactly at `end`, starting after a non-number character."""
    for begin in range(max(start, end - 24), end):
        if begin > start and key[begin - 1] in _NUMBER_GLUE:
            continue
        match = lexicon.value.fullmatch(key, begin, end)
        if match and begin > start:
            return begin, end
    return None


def _has_unit_or_comparator(text: str) -> bool:
    return not text.replace(",", "").replace(".", "").isdigit()


def segment(text: str, lexicon: Lexicon | None = None) -> Segmentation:
    """Cut `text` into cells by rules 1 and 2 (whether it is a row at all is rule 3: see Segmentation)."""
    lexicon = lexicon or default_lexicon()
    mapped = CanonText.of(text)
    key = mapped.key
    labelled = _label_spans(key, lexicon)
    if not labelled and not any(c.isdigit() for c in key):
        return Segmentation((text.strip(),) if text.strip() else (), 0, False, False, False, False)  # nothing to cut at
    labels = [span for span, _ in labelled]
    spans: list[_Span] = []
    split: list[_Span] = []
    previous_end, after_label, value_after_label = 0, False, False
    previous: _Span | None = None
    for label in [*labels, _Span(len(key), len(key), True)]:
        values = _value_spans(key, previous_end, label.start, after_label, lexicon)
        if not values and previous is not None and _is_category(key, previous, lexicon) and _is_category(key, label, lexicon):
            target = _qualitative_tail(key, previous_end, label.start, lexicon)
            values, split = ([target], [*split, target]) if target is not None else (values, split)
        value_after_label |= bool(values) and after_label
        spans += values
        if label.end > label.start:
            spans.append(label)
        previous_end, after_label, previous = label.end, True, label
    counted = [span for span, counts in labelled if counts]
    adjacent = any(a.end == b.start for a, b in pairwise(counted))
    cells = _cells(text, mapped, spans)
    ends_in_value = bool(spans) and not spans[-1].label and spans[-1].end == len(key)
    starts_with_label = bool(counted) and counted[0].start == 0
    split_targets = tuple(unicodedata.normalize("NFC", mapped.original(text, t.start, t.end)).strip() for t in split)
    return Segmentation(tuple(cells), len(counted), adjacent, value_after_label, ends_in_value, starts_with_label, split_targets)


def _is_category(key: str, span: _Span, lexicon: Lexicon) -> bool:
    """The label span is a framework category (with its annotation)."""
    if span.end <= span.start:
        return False
    match = lexicon.labels.match(key, span.start, span.end)
    return match is not None and match.group() in lexicon.categories


def _qualitative_tail(key: str, start: int, end: int, lexicon: Lexicon) -> _Span | None:
    """Rule 4: the last qualitative target word in key[start:end] that ends it, or is followed by a short tail."""
    found = None
    for match in lexicon.qualitative.finditer(key, start, end):
        tail = key[match.end():end]
        if (match.start() - start >= _MIN_NAME_CHARS and len(tail) <= _MAX_TARGET_TAIL_CHARS
                and not any(c.isdigit() or c in _CLAUSE_PUNCTUATION for c in tail)):
            found = _Span(match.start(), end, False)
    return found


def _cells(text: str, mapped: CanonText, spans: list[_Span]) -> list[str]:
    """The spans and the text between them, in order, as the original wording."""
    cells: list[str] = []
    cursor = 0
    for span in spans:
        if span.start > cursor:
            cells.append(mapped.original(text, cursor, span.start))
        cells.append(mapped.original(text, span.start, span.end))
        cursor = span.end
    if cursor < len(mapped.key):
        cells.append(mapped.original(text, cursor, len(mapped.key)))
    return [unicodedata.normalize("NFC", c).strip() for c in cells if c.strip()]
