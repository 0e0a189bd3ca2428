"""The reading forms' order (queries/views/*.read.rq): each term's four keys of kind written as one bound text, which
must order rows as the named query's four keys do, for labels whose datatype IRIs or language tags are prefixes of one
another's (where a separator that sorts after an IRI's characters would swap them)."""

from __future__ import annotations

from jixiao.stores.oxigraph import OxigraphBackend
from test_store_views_review2 import XSD, _differences, _project, _write, backend  # noqa: F401  (backend: the fixture)

DATATYPES = "https://example.org/datatype/"


# Passes: with "~" in place of the space between a key's IRI and its language, "甲"^^<…/d> sorts after "甲"^^<…/d2> in the
# reading forms but before it over the union, and every view's answer differs.
def test_labels_whose_datatypes_and_languages_are_prefixes_of_one_another_keep_the_named_querys_order(
        backend: OxigraphBackend) -> None:  # noqa: F811
    labels = [f'"甲"^^<{DATATYPES}d2>', f'"甲"^^<{DATATYPES}d>', f'"甲"^^<{DATATYPES}d/x>', '"甲"@zh-hans', '"甲"@zh', '"甲"',
              f'"甲"^^<{XSD}token>', f'"1"^^<{XSD}integer>', "<urn:agency:甲>"]
    _write(backend, *((f"graph/t{n}", _project(n, label, budget=f'"100"^^<{XSD}decimal>')) for n, label in enumerate(labels)))
    assert _differences(backend, forms=("csv", "json")) == []
