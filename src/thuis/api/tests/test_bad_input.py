"""Bad input never gives a 500 (issue 15, finding 7): ids that are not numbers, NUL bytes and
over-long values answer 400 (problem+json under /api/), before any view or query runs."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(login: Any, make_user: Any) -> Any:
    return login(make_user("regisseur", username="r-bad"))


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/personen/abc/",
        "/api/v1/personen/null,null/",
        "/api/v1/trajecten/abc/",
        "/api/v1/trajecten/1e5/pip/",
        "/api/v1/trajecten/-1/datums/",
        "/api/v1/trajecten/99999999999999999999999/",
        "/api/v1/verwijzingen/x/",
        "/api/v1/partner/verwijzingen/x/",
    ],
)
def test_an_id_that_is_not_a_number_is_a_400(api: Any, url: str) -> None:
    response = api.get(url)
    assert response.status_code == 400, url
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 400 and body["invalidParams"][0]["name"] == "id"


def test_a_real_id_still_reaches_the_view(api: Any) -> None:
    assert api.get("/api/v1/personen/12345/").status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        {"gemeente": "01\x0048"},
        {"cohort": "2022\x00"},
        {"status\x00": "x"},
        {"gemeente": "0148\x1b[31m"},
        {"cohort": "9" * 5000},
    ],
)
def test_nul_control_characters_and_long_values_in_the_query_are_a_400(
    api: Any, query: dict[str, str]
) -> None:
    for url in ["/api/v1/trajecten/", "/api/v1/indicatoren/WERK_12M/"]:
        response = api.get(url, query)
        assert response.status_code == 400, (url, query)
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["invalidParams"]


def test_on_a_web_page_the_answer_is_the_dutch_400_page(api: Any) -> None:
    response = api.get("/personen/", {"status": "a\x00b"})
    assert response.status_code == 400
    assert "Ongeldige invoer" in response.content.decode()
    assert response["Content-Type"].startswith("text/html")


def test_a_nul_byte_in_a_form_field_is_a_400_and_changes_nothing(
    login: Any, make_user: Any
) -> None:
    from thuis.accounts.models import User

    beheerder = make_user("beheerder", username="b-bad")
    before = User.objects.count()
    response = login(beheerder).post(
        "/accounts/gebruikers/", {"username": "nieuw\x00", "role": "regisseur"}
    )
    assert response.status_code == 400
    assert User.objects.count() == before


def test_the_setting_bounds_query_values(api: Any, settings: Any) -> None:
    settings.THUIS_MAX_QUERY_VALUE = 10
    assert api.get("/api/v1/indicatoren/", {"x": "1" * 10}).status_code == 200
    assert api.get("/api/v1/indicatoren/", {"x": "1" * 11}).status_code == 400
