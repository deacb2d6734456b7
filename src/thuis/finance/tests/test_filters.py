"""CostFilter: the cost screen and the API cost list filter the same way."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.test import Client
from django.urls import reverse

import pytest

from thuis.accounts.choices import Role
from thuis.finance.choices import CostCategory
from thuis.finance.models import CostEntry

pytestmark = pytest.mark.django_db

API = "/api/v1/financien/kosten/"


@pytest.fixture
def entries(municipality: Any, other_municipality: Any) -> list[CostEntry]:
    rows = [
        (municipality, date(2025, 3, 1), CostCategory.TOLK),
        (municipality, date(2025, 12, 31), CostCategory.PVT),
        (municipality, date(2026, 1, 1), CostCategory.TOLK),
        (municipality, date(2026, 2, 28), CostCategory.TOLK),
        (municipality, date(2026, 6, 30), CostCategory.MAP),
        # Another gemeente: never in the results, whatever the filter.
        (other_municipality, date(2026, 1, 1), CostCategory.TOLK),
    ]
    return [
        CostEntry.objects.create(
            municipality=where,
            booked_on=booked_on,
            year=booked_on.year,
            category=category,
            amount=Decimal("100.00"),
            row_key=f"k{i}",
        )
        for i, (where, booked_on, category) in enumerate(rows)
    ]


@pytest.fixture
def policy(make_user: Any) -> Any:
    return make_user(Role.BELEIDSMEDEWERKER, username="beleid")


def _web(client: Client, params: dict[str, Any]) -> Any:
    response = client.get(reverse("finance:costs"), params)
    assert response.status_code == 200
    return response


def _web_ids(client: Client, params: dict[str, Any]) -> list[int]:
    return sorted(e.pk for e in _web(client, params).context["page"])


def _api_ids(client: Client, params: dict[str, Any]) -> list[int]:
    response = client.get(API, params)
    assert response.status_code == 200, response.content
    return sorted(e["id"] for e in response.json()["results"])


def test_same_query_parameters_give_the_same_costs_on_the_screen_and_in_the_api(
    entries: list[CostEntry], policy: Any, login: Any
) -> None:
    web = login(policy)
    api = login(policy)
    expected = {
        "year": ({"jaar": 2025}, [entries[0], entries[1]]),
        "other year": ({"jaar": 2026}, entries[2:5]),
        "year and soort": ({"jaar": 2026, "soort": CostCategory.TOLK}, entries[2:4]),
        "soort with no costs": ({"jaar": 2025, "soort": CostCategory.MAP}, []),
        "year with no costs": ({"jaar": 2024}, []),
    }
    for label, (params, wanted) in expected.items():
        ids = sorted(e.pk for e in wanted)
        assert _web_ids(web, params) == ids, label
        assert _api_ids(api, params) == ids, label


def test_without_a_year_the_screen_shows_the_newest_and_the_api_every_year(
    entries: list[CostEntry], policy: Any, login: Any
) -> None:
    """The screen's totals are per year, so it shows one year; the API lists them all."""
    web = login(policy)
    api = login(policy)
    assert _web_ids(web, {}) == _api_ids(api, {"jaar": 2026})
    assert _api_ids(api, {}) == sorted(e.pk for e in entries[:5])


@pytest.mark.parametrize(
    "params, name",
    [
        ({"soort": "onzin"}, "soort"),
        ({"jaar": "1999"}, "jaar"),
        ({"jaar": "twee"}, "jaar"),
    ],
)
def test_an_invalid_filter_is_a_400_in_the_api(
    entries: list[CostEntry], policy: Any, params: dict[str, str], name: str, login: Any
) -> None:
    api = login(policy)
    bad = api.get(API, params)
    assert bad.status_code == 400
    assert bad["Content-Type"] == "application/problem+json"
    assert [p["name"] for p in bad.json()["invalidParams"]] == [name]


def test_an_invalid_filter_is_a_field_error_and_not_applied_on_the_screen(
    entries: list[CostEntry], policy: Any, login: Any
) -> None:
    web = login(policy)
    body = _web(web, {}).content.decode()
    assert '<option value="2026" selected>2026</option>' in body
    assert '<option value="2025">2025</option>' in body
    response = _web(web, {"jaar": 2026, "soort": "onzin"})
    assert list(response.context["filters"].form.errors) == ["soort"]
    assert sorted(e.pk for e in response.context["page"]) == sorted(e.pk for e in entries[2:5])
    # An invalid year: the newest year is shown, as without a year.
    response = _web(web, {"jaar": "1999"})
    assert list(response.context["filters"].form.errors) == ["jaar"]
    assert "Vul een jaar in, bijvoorbeeld 2026." in response.content.decode()
    assert sorted(e.pk for e in response.context["page"]) == sorted(e.pk for e in entries[2:5])
