"""HTML from Jinja2 templates, every value escaped: the data come from tables anyone can publish.

Autoescaping is on for every template (not only `.html` names), so a label holding `<script>`
is shown as text; chart data go into `<script type="application/json">` through Jinja's
`tojson`, which escapes `<`, `>`, `&` and `'`, so no text can end the element early.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from typing import Any

import jinja2
from rdflib import Literal, URIRef
from rdflib.term import Node

from jixiao.publish.links import Links
from jixiao.queries import plain_value


def plain(term: Node | None) -> Any:
    """A term as a plain value: numbers as numbers, the rest as text ("" for unbound)."""
    value = plain_value(term)
    return "" if value is None else value


def number(term: Node | None, digits: int = 2) -> str:
    """A number with thousands separators and at most `digits` decimals (trailing zeros dropped)."""
    value = plain_value(term)
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        return "" if value is None else str(value)
    text = f"{Decimal(value):,.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def year(term: Node | None) -> str:
    return "" if term is None else str(term)[:4] if isinstance(term, Literal) else str(term)


def text(term: Node | None) -> str:
    return "" if term is None else str(term)


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("jixiao.publish", "templates"),
        autoescape=True,  # every template, whatever its name
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(plain=plain, number=number, year=year, text=text)
    env.tests["iri"] = lambda term: isinstance(term, URIRef)
    return env


def render(template: str, links: Links, **context: Any) -> str:
    return environment().get_template(template).render(links=links, **context)
