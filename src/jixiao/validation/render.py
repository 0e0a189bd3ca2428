"""Renderers of a validation report, registered by name (the choices of `validate --format`)."""

from __future__ import annotations

import json
from collections.abc import Callable

from jixiao.registry import Registry
from jixiao.validation.report import SEVERITY_ORDER, Report

Renderer = Callable[[Report], str]
RENDERERS: Registry[Renderer] = Registry("report format")
SEVERITY_ZH = {"Violation": "违规", "Warning": "警告", "Info": "提示"}


def render(report: Report, name: str) -> str:
    """The report as the renderer `name` writes it."""
    return RENDERERS[name](report)


@RENDERERS.register("text")
def render_text(report: Report) -> str:
    """Grouped by project; each result in the table's language (Chinese) with English beside."""
    lines: list[str] = []
    group: tuple[str | None, str | None] | None = None
    for r in report.results:
        if (r.agency, r.project) != group:
            group = (r.agency, r.project)
            title = f"项目 {r.project}" if r.project else "（不属于任何项目）"
            lines += ["", f"{title}  ({r.agency or 'no project'})" if r.agency or not r.project else title]
        named = r.indicator and f"指标 {r.indicator}" + (f"（{r.stated}）" if r.stated else "")
        where = "  ".join(part for part in (named, r.source, r.shape) if part)
        lines.append(f"  {SEVERITY_ZH.get(r.severity, r.severity)} {r.severity:<9} {where}")
        lines.append(f"      {r.message_zh}")
        lines.append(f"      {r.message_en}")
    counts = {s: sum(1 for r in report.results if r.severity == s) for s in SEVERITY_ORDER}
    summary = "，".join(f"{SEVERITY_ZH[s]} {n}" for s, n in counts.items())
    summary_en = ", ".join(f"{n} {s.lower()}{'s' if n != 1 else ''}" for s, n in counts.items())
    verdict = "符合 conforms" if report.conforms else "不符合 does not conform"
    lines += ["", f"{summary} / {summary_en} — {verdict}"]
    return "\n".join(lines).lstrip("\n") + "\n"


@RENDERERS.register("json")
def render_json(report: Report) -> str:
    """{"conforms", "results"}; "conforms" is the exit status's sense: no Violation. (The ttl
    report's sh:conforms keeps SHACL's sense: no result of any severity.)"""
    return json.dumps({"conforms": report.conforms, "results": [r.as_json() for r in report.results]},
                      ensure_ascii=False, indent=2) + "\n"


@RENDERERS.register("ttl")
def render_ttl(report: Report) -> str:
    """The standard SHACL sh:ValidationReport, in Turtle."""
    return report.graph.serialize(format="turtle")
