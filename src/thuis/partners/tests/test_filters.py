"""The portal screen and the partner API list share one FilterSet (`PartnerReferralFilter`)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from thuis.partners.choices import ReferralStatus
from thuis.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def referrals(municipality: Any, org: Any, other_org: Any, share: Any) -> dict[str, list[int]]:
    def person() -> Any:
        return factories.PersonFactory(municipality=municipality)

    made = {
        ReferralStatus.SENT: [share(org, person=person()).pk for _ in range(2)],
        ReferralStatus.ACCEPTED: [share(org, person=person(), to=ReferralStatus.ACCEPTED).pk],
        ReferralStatus.ACTIVE: [
            share(org, person=person(), to=ReferralStatus.ACTIVE).pk for _ in range(2)
        ],
    }
    share(other_org, person=person(), to=ReferralStatus.ACTIVE)  # never the partner's
    return {str(k): v for k, v in made.items()}


def _web_ids(client: Any, query: str) -> set[int]:
    response = client.get(f"/partners/portaal/{query}")
    assert response.status_code == 200
    return {int(pk) for pk in re.findall(r"/partners/portaal/verwijzingen/(\d+)/", response.text)}


def _api_ids(client: Any, query: str) -> set[int]:
    response = client.get(f"/api/v1/partner/verwijzingen/{query}")
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["results"]}


def test_the_same_status_gives_the_same_referrals_on_the_screen_and_in_the_api(
    login: Any, partner: Any, referrals: dict[str, list[int]]
) -> None:
    client = login(partner)
    everything = {pk for pks in referrals.values() for pk in pks}
    assert _web_ids(client, "") == _api_ids(client, "") == everything
    for status, pks in referrals.items():
        query = f"?status={status}"
        assert _web_ids(client, query) == _api_ids(client, query) == set(pks)
    ended = f"?status={ReferralStatus.ENDED}"
    assert _web_ids(client, ended) == _api_ids(client, ended) == set()


def test_an_invalid_status_is_a_400_in_the_api_and_ignored_on_the_screen(
    login: Any, partner: Any, referrals: dict[str, list[int]]
) -> None:
    client = login(partner)
    response = client.get("/api/v1/partner/verwijzingen/?status=onzin")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert [p["name"] for p in response.json()["invalidParams"]] == ["status"]
    everything = {pk for pks in referrals.values() for pk in pks}
    assert _web_ids(client, "?status=onzin") == everything
