"""The import graph follows the pipeline: the import-linter contracts in pyproject.toml hold,
and each would catch an import that goes against it (a contract that nothing can break would
prove nothing)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import grimp
import pytest
from importlinter.api import read_configuration
from importlinter.contracts.forbidden import ForbiddenContract
from importlinter.contracts.layers import LayersContract
from importlinter.domain.contract import Contract

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"
CONTRACT_TYPES: dict[str, type[Contract]] = {"layers": LayersContract, "forbidden": ForbiddenContract}


def contracts() -> dict[str, tuple[dict[str, Any], dict[str, Any]]]:
    """Each contract's options by id, with the session options it is read with."""
    configuration = read_configuration(str(PYPROJECT))
    return {options["id"]: (configuration["session_options"], options) for options in configuration["contracts_options"]}


def contract(contract_id: str) -> Contract:
    session_options, options = contracts()[contract_id]
    return CONTRACT_TYPES[options["type"]](name=options["name"], session_options=session_options, contract_options=options)


def test_every_contract_is_kept() -> None:
    graph = grimp.build_graph("jixiao", cache_dir=None)
    broken = [contract_id for contract_id in contracts() if not contract(contract_id).check(graph, verbose=False).kept]
    assert set(contracts()) >= {"layers", "reading-alone", "stores-without-reading"}
    assert not broken, f"broken import contracts: {broken} (lint-imports names the offending imports)"


@pytest.mark.parametrize(
    ("contract_id", "importer", "imported"),
    [
        ("layers", "jixiao.reading.values", "jixiao.graph.mapping"),  # reading is below the graph
        ("layers", "jixiao.graph.mapping", "jixiao.stores.base"),  # the graph is below the stores
        ("layers", "jixiao.stores.base", "jixiao.queries.library"),  # the stores are below queries
        ("layers", "jixiao.queries.library", "jixiao.validation.validate"),  # queries and validation are independent
        ("layers", "jixiao.validation.validate", "jixiao.cli.main"),  # the command line is on top
        ("reading-alone", "jixiao.reading.normalize", "jixiao.stores.base"),
        ("reading-alone", "jixiao.reading.values", "jixiao.cli.main"),
        ("stores-without-reading", "jixiao.stores.oxigraph", "jixiao.reading.records"),
    ],
)
def test_a_contract_catches_an_import_against_it(contract_id: str, importer: str, imported: str) -> None:
    graph = grimp.build_graph("jixiao", cache_dir=None)
    assert contract(contract_id).check(graph, verbose=False).kept
    graph.add_import(importer=importer, imported=imported, line_number=1, line_contents=f"import {imported}")
    assert not contract(contract_id).check(graph, verbose=False).kept
