"""Chart specifications from query rows: what static/charts.js hands to Apache ECharts.

A spec is plain data (kind, title, category labels, one or more series of numbers, the unit of
the numbers), embedded in the page as JSON; the script turns it into an ECharts option. Charts
where people would rather look than read: budget by project and by unit (bars), the indicator
mix by category (a pie), targets of the same indicator across projects (points).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from rdflib.term import Node

from jixiao.queries import plain_value

Row = dict[str, Node | None]
# Bars beyond this many are cut (the table beside the chart lists them all).
MAX_BARS = 30


def _number(term: Node | None) -> float | None:
    value = plain_value(term)
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        return None
    return float(value)


def _label(term: Node | None, fallback: str = "—") -> str:
    return fallback if term is None else str(term)


def bars(title: str, rows: Iterable[Row], label: str, value: str, unit: str) -> dict[str, Any] | None:
    """A horizontal bar per row (largest first, at most MAX_BARS), or None without numbers."""
    pairs = [(_label(row.get(label)), _number(row.get(value))) for row in rows]
    pairs = sorted(((name, number) for name, number in pairs if number is not None), key=lambda pair: -pair[1])[:MAX_BARS]
    if not pairs:
        return None
    return {"kind": "bar", "title": title, "labels": [name for name, _ in pairs], "values": [number for _, number in pairs], "unit": unit}


def pie(title: str, counts: dict[str, int]) -> dict[str, Any] | None:
    if not any(counts.values()):
        return None
    return {"kind": "pie", "title": title, "labels": list(counts), "values": list(counts.values()), "unit": ""}


def points(title: str, rows: Iterable[Row], label: str, value: str, measure: str) -> list[dict[str, Any]]:
    """One scatter chart per unit of measure (targets in 元 and in % do not share an axis)."""
    by_measure: dict[str, list[tuple[str, float]]] = {}
    for row in rows:
        number = _number(row.get(value))
        if number is not None:
            by_measure.setdefault(_label(row.get(measure), ""), []).append((_label(row.get(label)), number))
    return [{"kind": "points", "title": f"{title}（{unit or '—'}）", "labels": [name for name, _ in pairs],
             "values": [number for _, number in pairs], "unit": unit}
            for unit, pairs in by_measure.items() if len(pairs) > 1]
