"""jixiao: a knowledge graph of Chinese public-budget performance targets (预算绩效目标)."""

from importlib.metadata import PackageNotFoundError, version

# The one place the version is written is pyproject.toml; the ontology's owl:versionIRI and
# owl:versionInfo are set from it by scripts/build-ontology.
try:
    __version__ = version("jixiao")
except PackageNotFoundError:  # run from a checkout without installing
    __version__ = "0+unknown"
