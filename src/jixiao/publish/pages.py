"""The pages: each one's data from the page queries, rendered with its template.

One function per page kind, taking the dataset and the links of where the page is (the server's
root, or a static page's place in the site), returning HTML. The server and the static site
call the same functions, so they show the same pages.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rdflib.term import Node

from jixiao.namespaces import JX
from jixiao.publish import charts
from jixiao.publish.dataset import Dataset, Row
from jixiao.publish.links import Links
from jixiao.publish.render import render
from jixiao.publish.workers import Answer

# The page kind of a resource, by its types: the first kind whose class it has.
PAGE_KINDS = ((str(JX.BudgetUnit), "unit"), (str(JX.Project), "project"), (str(JX.ProjectYear), "project_year"))


def page_kind(types: list[str], is_indicator: bool) -> str:
    for class_iri, kind in PAGE_KINDS:
        if class_iri in types:
            return kind
    return "indicator" if is_indicator else "resource"


def _text(term: Node | None) -> str:
    return "" if term is None else str(term)


def home(dataset: Dataset, links: Links, sparql_url: str | None) -> str:
    units = dataset.rows("units")
    projects = dataset.rows("projects")
    categories = dataset.rows("categories")
    level1 = [row for row in categories if row["broader"] is None or str(row["broader"]) == str(JX.Indicator)]
    project_count = sum(int(str(row["projects"] or 0)) for row in units)
    return render("home.html", links, units=units, projects=projects, project_count=max(project_count, len(projects)),
                  categories=[row for row in categories if int(str(row["indicators"] or 0)) > 0],
                  budget_chart=charts.bars("各单位预算（元） Budget by unit (yuan)", units, "label", "budget", "元"),
                  mix_chart=charts.pie("指标构成 Indicator mix", {_text(row["label"]): int(str(row["indicators"] or 0)) for row in level1}),
                  queries=dataset.named_queries, sparql_url=sparql_url, charts=True)


def unit(dataset: Dataset, links: Links, iri: str, sparql_url: str | None) -> str:
    info = dataset.first("unit", unit=iri) or {}
    projects = dataset.rows("unit-projects", unit=iri)
    labelled = [{**row, "name": f"{_text(row['label'])} {_text(row['year'])[:4]}".strip()} for row in projects]
    return render("unit.html", links, iri=iri, info=info, projects=projects, years=dataset.rows("unit-budget-by-year", unit=iri),
                  budget_chart=charts.bars("各项目预算（元） Budget by project (yuan)", labelled, "name", "budget", "元"),
                  sparql_url=sparql_url, charts=True)


def _groups(rows: list[Row]) -> list[dict[str, Any]]:
    """Indicator rows grouped by goal kind and level-1 category, in the query's order."""
    groups: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows:
        key = (_text(row["goalKind"]), _text(row["level1"]))
        if key not in groups:
            groups[key] = {"goalKind": key[0], "level1": row["level1"], "level1Label": _text(row["level1Label"]) or "未分类",
                           "level1En": _text(row["level1En"]) or "uncategorised", "rows": []}
        groups[key]["rows"].append(row)
    return list(groups.values())


def project(dataset: Dataset, links: Links, iri: str, sparql_url: str | None) -> str:
    """A project across its years: one row and one bar per declared table."""
    years = dataset.rows("project-years", project=iri)
    labelled = [{**row, "name": _text(row["year"])[:4] or "—"} for row in years]
    return render("project.html", links, iri=iri, info=dataset.first("project", project=iri) or {}, years=years,
                  budget_chart=charts.bars("各年度预算（元） Budget by year (yuan)", labelled, "name", "budget", "元"),
                  sparql_url=sparql_url, charts=True)


def project_year(dataset: Dataset, links: Links, iri: str, sparql_url: str | None) -> str:
    """One declared table: goals, indicators by category, findings, source rows, the other years."""
    info = dataset.first("project-year", projectYear=iri) or {}
    indicators = dataset.rows("project-indicators", projectYear=iri)
    mix: dict[str, int] = {}
    for row in indicators:
        label = _text(row["level1Label"]) or "未分类"
        mix[label] = mix.get(label, 0) + 1
    years = dataset.rows("project-years", project=str(info["project"])) if info.get("project") is not None else []
    return render("project_year.html", links, iri=iri, info=info,
                  goals=dataset.rows("project-goals", projectYear=iri), groups=_groups(indicators), years=years,
                  findings=dataset.rows("project-findings", projectYear=iri), sources=dataset.rows("project-sources", projectYear=iri),
                  mix_chart=charts.pie("指标构成 Indicator mix", mix), sparql_url=sparql_url, charts=True)


def indicator(dataset: Dataset, links: Links, iri: str, sparql_url: str | None) -> str:
    peers = dataset.rows("indicator-peers", indicator=iri)
    return render("indicator.html", links, iri=iri, info=dataset.first("indicator", indicator=iri) or {}, peers=peers,
                  peer_charts=charts.points("同名指标的目标值 Targets of this indicator", peers, "projectLabel", "value", "measure"),
                  sparql_url=sparql_url, charts=True)


def category(dataset: Dataset, links: Links, iri: str, sparql_url: str | None) -> str | None:
    info = dataset.first("category", category=iri)
    if info is None:
        return None
    narrower = [row for row in dataset.rows("categories") if row["broader"] is not None and str(row["broader"]) == iri]
    return render("category.html", links, iri=iri, info=info, narrower=narrower, spread=dataset.rows("category-spread", category=iri),
                  indicators=sorted(dataset.rows("category-indicators", category=iri), key=lambda row: (_text(row["name"]), _text(row["projectLabel"]))),
                  sparql_url=sparql_url, charts=False)


def findings(dataset: Dataset, links: Links, sparql_url: str | None) -> str:
    return render("findings.html", links, rows=dataset.rows("findings"), sparql_url=sparql_url, charts=False)


def resource(dataset: Dataset, links: Links, iri: str, sparql_url: str | None) -> str:
    outgoing = dataset.rows("resource-out", resource=iri)
    label = next((_text(row["value"]) for row in outgoing if str(row["property"]) == "http://www.w3.org/2000/01/rdf-schema#label"), "")
    return render("resource.html", links, iri=iri, label=label, outgoing=outgoing, incoming=dataset.rows("resource-in", resource=iri),
                  sparql_url=sparql_url, charts=False)


def named_query(dataset: Dataset, links: Links, name: str, values: Mapping[str, str], answer: Answer | None, error: str | None,
                sparql_url: str | None, csv_query: str = "", json_query: str = "") -> str:
    prepared = dataset.named_queries[name]
    return render("query.html", links, name=name, query=prepared.query, values=values, answer=answer, error=error,
                  csv_query=csv_query, json_query=json_query, sparql_url=sparql_url, charts=False)


def editor(dataset: Dataset, links: Links, endpoint: str) -> str:
    texts = {name: prepared.query.text for name, prepared in dataset.named_queries.items()}
    return render("editor.html", links, endpoint=endpoint, queries=dataset.named_queries, texts=texts,
                  seconds=f"{dataset.pool.limits.seconds:g}" if links.server else None, rows=dataset.pool.limits.rows,
                  sparql_url=endpoint if links.server else links.to("sparql.html"), charts=False)


def error(links: Links, status: int, message: str, sparql_url: str | None) -> str:
    return render("error.html", links, status=status, message=message, sparql_url=sparql_url, charts=False)
