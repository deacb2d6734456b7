"""The import contracts of `make check` (pyproject.toml [tool.importlinter], docs/architecture.md
"Layers"): they are the documented ones, the code keeps them, and each one breaks when an
import that it forbids is added to the code's import graph."""

from __future__ import annotations

from copy import deepcopy
from pathlib import Path
from typing import Any

import grimp
import pytest
from importlinter.api import read_configuration
from importlinter.contracts.forbidden import ForbiddenContract
from importlinter.contracts.layers import LayersContract
from importlinter.contracts.protected import ProtectedContract
from importlinter.domain.contract import Contract

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"
BASE_APPS = ["core", "accounts", "audit", "people"]
DOMAIN_APPS = ["cases", "duo", "partners", "surveys", "monitoring", "finance", "policy"]
TYPES: dict[str, type[Contract]] = {
    "layers": LayersContract,
    "forbidden": ForbiddenContract,
    "protected": ProtectedContract,
}
CONFIG = read_configuration(str(PYPROJECT))


def _options(contract_id: str) -> dict[str, Any]:
    (options,) = [o for o in CONFIG["contracts_options"] if o.get("id") == contract_id]
    return options


def _contract(contract_id: str) -> Contract:
    options = dict(_options(contract_id))
    name, kind = options.pop("name"), options.pop("type")
    options.pop("id")
    return TYPES[kind](
        name=name, session_options=CONFIG["session_options"], contract_options=options
    )


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("thuis", exclude_type_checking_imports=True, cache_dir=None)


def test_the_contracts_are_the_documented_ones() -> None:
    ids = {o["id"] for o in CONFIG["contracts_options"]}
    assert ids == {"layers", "base-apps", "cases-not-duo"} | {f"models-{a}" for a in DOMAIN_APPS}
    assert _options("layers")["layers"] == [
        "demo | migration",
        "api",
        "policy",
        "monitoring | finance",
        "duo | partners | surveys",
        "cases",
        "accounts : audit : people",
        "core",
    ]
    assert _options("layers")["exhaustive"] == "True"
    base = _options("base-apps")
    assert base["source_modules"] == [f"thuis.{a}" for a in BASE_APPS]
    assert set(base["forbidden_modules"]) == {f"thuis.{a}" for a in [*DOMAIN_APPS, "api", "demo"]}
    assert _options("cases-not-duo")["forbidden_modules"] == ["thuis.duo"]
    for app in DOMAIN_APPS:
        assert _options(f"models-{app}")["protected_modules"] == [f"thuis.{app}.models"]
    assert CONFIG["session_options"]["exclude_type_checking_imports"] == "True"


def test_no_cases_to_duo_import_is_ignored() -> None:
    # duo subscribes to the cases events (cases/events.py); cases never imports duo, and no
    # contract may excuse such an import (only the tests of cases may import any app).
    for contract_id in ("cases-not-duo", "layers"):
        ignored = {
            i
            for i in _options(contract_id)["ignore_imports"]
            if i.startswith("thuis.cases.") and ".tests." not in i
        }
        assert ignored == set(), contract_id


@pytest.mark.parametrize("contract_id", [o["id"] for o in CONFIG["contracts_options"]])
def test_the_code_keeps_the_contract(graph: grimp.ImportGraph, contract_id: str) -> None:
    check = _contract(contract_id).check(deepcopy(graph), verbose=False)
    assert check.kept, check.metadata


@pytest.mark.parametrize(
    ("importer", "imported", "broken"),
    [
        # core is the bottom layer: it imports no other app, not even accounts.
        ("thuis.core.bsn", "thuis.accounts.scope", {"layers"}),
        # A base app imports a domain app.
        ("thuis.people.selectors", "thuis.cases.selectors", {"layers", "base-apps"}),
        ("thuis.audit.events", "thuis.demo.seed", {"layers", "base-apps"}),
        # cases calls duo (beyond the two documented imports).
        ("thuis.cases.rules", "thuis.duo.rules", {"layers", "cases-not-duo"}),
        # A lower domain app imports a higher one (partners sits below finance).
        ("thuis.partners.models", "thuis.finance.choices", {"layers"}),
        # Siblings in the same layer stay independent.
        ("thuis.duo.selectors", "thuis.surveys.selectors", {"layers"}),
        # An app reads another app's models instead of its selectors.
        ("thuis.finance.selectors", "thuis.cases.models", {"models-cases"}),
        ("thuis.policy.views", "thuis.partners.models", {"models-partners"}),
        ("thuis.api.views", "thuis.duo.models", {"models-duo"}),
    ],
)
def test_an_added_violation_breaks_exactly_its_contracts(
    graph: grimp.ImportGraph, importer: str, imported: str, broken: set[str]
) -> None:
    assert imported not in graph.find_modules_directly_imported_by(importer)
    probe = deepcopy(graph)
    probe.add_import(
        importer=importer, imported=imported, line_number=1, line_contents="import probe"
    )
    found = {
        o["id"]
        for o in CONFIG["contracts_options"]
        if not _contract(o["id"]).check(deepcopy(probe), verbose=False).kept
    }
    assert found == broken
