"""Where the ontology, shapes and queries are: inside the installed package, or in a checkout."""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


@cache
def resource_dir(name: str) -> Path:
    """Return the directory `name` (ontology, shapes, queries).

    A wheel carries them under `jixiao/_data/` (see pyproject's force-include: beside the
    subpackages, not inside them, so `jixiao/queries/` stays the query code); an editable install
    or a checkout has them at the repository root, two levels above this file.
    """
    for candidate in (_PACKAGE_DIR / "_data" / name, _PACKAGE_DIR.parent.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"jixiao resource directory {name!r} not found beside {_PACKAGE_DIR}")


def ontology_files() -> list[Path]:
    """All Turtle files of the ontology (core OWL, framework, units), sorted for determinism."""
    return sorted(resource_dir("ontology").glob("*.ttl"))
