"""CaseFilter: the caseload screen and the API case list filter the same way."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.test import Client

import pytest

from thuis.accounts.choices import Role
from thuis.cases.choices import CaseStatus
from thuis.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def caseload(municipality: Any, other_municipality: Any, regisseur: Any, make_user: Any) -> Any:
    colleague = make_user(role=Role.REGISSEUR, username="collega")
    cases = []
    for i, (start, who) in enumerate(
        [
            (date(2021, 5, 1), regisseur),
            (date(2022, 1, 1), colleague),
            (date(2022, 7, 1), regisseur),
            (date(2023, 4, 12), None),
            (date(2024, 2, 29), colleague),
        ]
    ):
        person = factories.PersonFactory(municipality=municipality, family_name=f"Naam{i}")
        cases.append(factories.CaseFactory(person=person, regisseur=who, plicht_start=start))
    # Another gemeente: never in the results, whatever the filter.
    outside = factories.PersonFactory(municipality=other_municipality)
    factories.CaseFactory(person=outside, plicht_start=date(2022, 7, 1))
    return {"cases": cases, "colleague": colleague}


def _web_ids(client: Client, params: dict[str, Any]) -> list[int]:
    response = client.get("/personen/", params)
    assert response.status_code == 200
    return sorted(c.pk for c in response.context["page"])


def _api_ids(client: Client, params: dict[str, Any]) -> list[int]:
    response = client.get("/api/v1/trajecten/", params)
    assert response.status_code == 200, response.content
    return sorted(c["id"] for c in response.json()["results"])


def test_same_query_parameters_give_the_same_cases_on_the_screen_and_in_the_api(
    caseload: Any, regisseur: Any, login: Any
) -> None:
    web = login(regisseur)
    api = login(regisseur)
    cases = caseload["cases"]
    colleague = caseload["colleague"]
    expected = {
        "all": ({}, cases),
        "cohort": ({"cohort": 2022}, [cases[1], cases[2]]),
        "mine": ({"mijn": "on"}, [cases[0], cases[2]]),
        "regisseur": ({"regisseur": colleague.pk}, [cases[1], cases[4]]),
        "status": ({"status": CaseStatus.VOLDAAN}, []),
        "combined": ({"cohort": 2022, "mijn": "true"}, [cases[2]]),
    }
    for label, (params, wanted) in expected.items():
        ids = sorted(c.pk for c in wanted)
        assert _web_ids(web, params) == ids, label
        assert _api_ids(api, params) == ids, label


def test_an_invalid_filter_is_a_400_in_the_api_and_ignored_on_the_screen(
    caseload: Any, regisseur: Any, login: Any
) -> None:
    api = login(regisseur)
    bad = api.get("/api/v1/trajecten/", {"status": "onzin"})
    assert bad.status_code == 400
    assert bad["Content-Type"] == "application/problem+json"
    assert [p["name"] for p in bad.json()["invalidParams"]] == ["status"]
    web = login(regisseur)
    assert _web_ids(web, {"status": "onzin"}) == sorted(c.pk for c in caseload["cases"])


def test_a_regisseur_of_another_gemeente_is_not_an_option(
    caseload: Any, regisseur: Any, make_user: Any, other_municipality: Any, login: Any
) -> None:
    stranger = make_user(role=Role.REGISSEUR, municipalities=[other_municipality])
    api = login(regisseur)
    assert api.get("/api/v1/trajecten/", {"regisseur": stranger.pk}).status_code == 400


def test_the_api_has_no_name_search(caseload: Any, regisseur: Any, login: Any) -> None:
    """A name never goes into an API URL: the parameter is not a filter there."""
    api = login(regisseur)
    assert _api_ids(api, {"naam": "Naam1"}) == sorted(c.pk for c in caseload["cases"])


def test_options_are_the_users_also_after_the_class_level_field_was_built(
    caseload: Any, regisseur: Any, login: Any
) -> None:
    """Building the API schema creates the filters' fields on the class (without options):
    each request still checks against its own user's regisseurs and cohorts."""
    from thuis.cases.filters import CaseFilter, CaseloadFilter

    for filterset in (CaseFilter, CaseloadFilter):
        for name in ("regisseur", "cohort"):
            assert filterset.base_filters[name].field is not None
    cases = caseload["cases"]
    api = login(regisseur)
    assert _web_ids(login(regisseur), {"cohort": 2022}) == sorted([cases[1].pk, cases[2].pk])
    assert _api_ids(api, {"cohort": 2022}) == sorted([cases[1].pk, cases[2].pk])
