from __future__ import annotations

from pathlib import Path
from typing import Any

from django.test import Client

import pytest
import yaml

from thuis.accounts.choices import Role
from thuis.tests import factories

SCHEMA_FILE = Path(__file__).resolve().parents[1] / "openapi.yaml"


@pytest.mark.django_db
def test_schema_endpoint_serves_valid_openapi_matching_the_committed_file() -> None:
    from openapi_spec_validator import validate

    response = Client().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi")
    assert response.status_code == 200
    served = yaml.safe_load(response.content)
    validate(served)
    committed = yaml.safe_load(SCHEMA_FILE.read_text())
    assert _portable(served) == _portable(committed), (
        "Run `make schema` and commit src/thuis/api/openapi.yaml"
    )


def _portable(node: Any) -> Any:
    """Integer bounds and formats follow the database backend's column ranges (SQLite vs
    PostgreSQL); the committed file is generated on SQLite (`make schema`), so compare
    everything else."""
    if isinstance(node, dict):
        integer = node.get("type") == "integer"
        return {
            k: _portable(v)
            for k, v in node.items()
            if not (integer and k in {"maximum", "minimum", "format"})
        }
    if isinstance(node, list):
        return [_portable(v) for v in node]
    return node


def test_no_personal_data_in_url_patterns() -> None:
    """SECURITY.md G11: no path parameter or query parameter carries a BSN or a name."""
    schema = yaml.safe_load(SCHEMA_FILE.read_text())
    for path, operations in schema["paths"].items():
        assert "bsn" not in path.lower() and "naam" not in path.lower(), path
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                assert parameter["name"].lower() not in {"bsn", "name", "naam", "family_name"}


@pytest.fixture
def token_client(db: Any, municipality: Any, login: Any) -> tuple[Client, Any]:
    """A regisseur's session that passed the second factor (staff API access is by session)."""
    user = factories.UserFactory(
        username="regisseur-api", role=Role.REGISSEUR, municipalities=[municipality]
    )
    return login(user), user


@pytest.mark.django_db
def test_person_list_is_scoped(
    token_client: Any, municipality: Any, other_municipality: Any
) -> None:
    client, _ = token_client
    mine = factories.PersonFactory(municipality=municipality)
    factories.PersonFactory(municipality=other_municipality)
    data = client.get("/api/v1/personen/").json()
    assert [p["id"] for p in data["results"]] == [mine.pk]


@pytest.mark.django_db
def test_bsn_search_by_post(token_client: Any, municipality: Any) -> None:
    client, _ = token_client
    person = factories.PersonFactory(municipality=municipality)
    found = client.post(
        "/api/v1/personen/zoeken/", {"bsn": person.bsn}, content_type="application/json"
    )
    assert found.status_code == 200
    assert found.json()["id"] == person.pk
    missing = client.post(
        "/api/v1/personen/zoeken/", {"bsn": "111222333"}, content_type="application/json"
    )
    assert missing.status_code == 404
    assert missing["Content-Type"] == "application/problem+json"
    assert missing.json()["status"] == 404


@pytest.mark.django_db
def test_errors_are_problem_json(token_client: Any, case: Any) -> None:
    client, _ = token_client
    bad = client.post(
        f"/api/v1/trajecten/{case.pk}/status/", {"status": "onzin"}, content_type="application/json"
    )
    assert bad.status_code == 400
    assert bad["Content-Type"] == "application/problem+json"
    anonymous = Client().get("/api/v1/personen/")
    assert anonymous.status_code == 401
    assert anonymous["Content-Type"] == "application/problem+json"
    assert anonymous.json()["title"]


@pytest.mark.django_db
def test_status_change_through_api(login: Any, regisseur: Any, case: Any) -> None:
    client = login(regisseur)
    url = f"/api/v1/trajecten/{case.pk}/status/"
    invalid = client.post(
        url,
        {"status": "onzin", "on_date": "2023-04-01", "version": 1},
        content_type="application/json",
    )
    assert invalid.status_code == 400
    assert invalid.json()["invalidParams"][0]["name"] == "status"
    jump = client.post(
        url,
        {"status": "voldaan", "on_date": "2023-04-01", "version": 1},
        content_type="application/json",
    )
    assert jump.status_code == 403
    ok = client.post(
        url,
        {"status": "intake", "on_date": "2023-04-01", "version": 1},
        content_type="application/json",
    )
    assert ok.status_code == 200, ok.content
    assert ok.json()["status"] == "intake"
    stale = client.post(
        url,
        {"status": "pip", "on_date": "2023-05-01", "version": 1},
        content_type="application/json",
    )
    assert stale.status_code == 409


@pytest.mark.django_db
def test_case_flows_through_the_api(login: Any, regisseur: Any, case: Any) -> None:
    from datetime import date

    from thuis.cases import services

    services.case_set_dates(
        case=case,
        by=regisseur,
        vestiging_date=date(2023, 3, 20),
        kennisgeving_date=date(2023, 3, 1),
    )
    client = login(regisseur)
    base = f"/api/v1/trajecten/{case.pk}"
    dates = client.get(f"{base}/datums/").json()
    assert dates["datums"]["PIP_UITERLIJK"]["datum"] == "2023-05-29"
    assert (
        client.post(
            f"{base}/afspraken/",
            {"kind": "intake", "scheduled_on": "2023-04-03"},
            content_type="application/json",
        ).status_code
        == 201
    )
    intake = client.post(
        f"{base}/intake/",
        {"started_on": "2023-04-03", "lbt_score": 31, "lbt_date": "2023-04-03"},
        content_type="application/json",
    )
    assert intake.status_code == 200 and intake.json()["lbt_outcome"] == "haalbaar"
    bad = client.post(
        f"{base}/pip/",
        {"dagtekening": "2023-05-01", "leerroute": "onderwijs", "niveau": "A2"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad["Content-Type"] == "application/problem+json"
    ok = client.post(
        f"{base}/pip/",
        {"dagtekening": "2023-05-01", "leerroute": "B1", "niveau": "B1"},
        content_type="application/json",
    )
    assert ok.status_code == 201, ok.content
    assert client.get(f"{base}/pip/").json()[0]["version"] == 1
    assert client.get(f"{base}/datums/").json()["datums"]["TERMIJN_EINDE"]["datum"] == "2026-05-01"
    assert "gezondheid" not in str(client.get(f"{base}/intake/").json()).lower()
