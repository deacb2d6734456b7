"""Organisation tokens: the API acts as the organisation, with a partner user's scope."""

from __future__ import annotations

from typing import Any

from django.test import Client

import pytest

from thuis.accounts.choices import Role
from thuis.audit.models import ProcessingRecord
from thuis.core.errors import NotAllowed
from thuis.partners import rules, services
from thuis.partners.choices import ReferralStatus, ReferralType
from thuis.partners.models import OrganisationToken, PartnerReport

from .test_api import HEALTH_MARKER, _rich_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def beheerder(make_user: Any, municipality: Any) -> Any:
    return make_user(Role.BEHEERDER, username="beheer-t")


def _client(raw: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def _token(beheerder: Any, organisation: Any) -> tuple[OrganisationToken, str]:
    return services.token_create(by=beheerder, organisation=organisation, name="koppeling")


def test_token_is_stored_hashed(beheerder: Any, org: Any) -> None:
    token, raw = _token(beheerder, org)
    assert raw.startswith("thuis_org_") and len(raw) > 40
    assert raw not in token.key_hash and token.key_hash != raw
    assert token.created_by == beheerder and not token.revoked


def test_only_the_beheerder_makes_tokens(make_user: Any, org: Any) -> None:
    regisseur = make_user(Role.REGISSEUR, username="r-t")
    with pytest.raises(NotAllowed) as exc:
        services.token_create(by=regisseur, organisation=org, name="x")
    assert exc.value.code == "niet_toegestaan"


def test_token_of_org_a_sees_nothing_of_org_b(
    beheerder: Any, org: Any, other_org: Any, share: Any
) -> None:
    mine = share(org, to=ReferralStatus.ACTIVE)
    theirs = share(other_org, referral_type=ReferralType.TAAL, to=ReferralStatus.ACTIVE)
    _, raw = _token(beheerder, other_org)
    client = _client(raw)
    listed = client.get("/api/v1/partner/verwijzingen/").json()
    assert [r["id"] for r in listed["results"]] == [theirs.pk]
    assert client.get(f"/api/v1/partner/verwijzingen/{mine.pk}/").status_code == 404
    report = {"kind": "uren_taal", "period_start": "2025-03-03", "period_end": "2025-03-31"}
    url = f"/api/v1/partner/verwijzingen/{mine.pk}/rapportages/"
    assert client.post(url, report, content_type="application/json").status_code == 404
    batch = {
        "rijen": [
            {
                "verwijzing": mine.pk,
                "soort": "uren_taal",
                "van": "2025-03-03",
                "tot_en_met": "2025-03-31",
                "uren": "4",
            }
        ]
    }
    response = client.post("/api/v1/partner/rapportages/", batch, content_type="application/json")
    assert response.status_code == 400
    assert not PartnerReport.objects.exists()


def test_token_gets_the_same_answer_as_a_partner_user(
    beheerder: Any,
    login: Any,
    municipality: Any,
    regisseur: Any,
    org: Any,
    partner: Any,
    share: Any,
) -> None:
    case = _rich_person(municipality, regisseur, "Amina", "WENS-zorg")
    referral = share(
        org, referral_type=ReferralType.TAAL, to=ReferralStatus.ACTIVE, person=case.person
    )
    _, raw = _token(beheerder, org)
    by_token = _client(raw).get(f"/api/v1/partner/verwijzingen/{referral.pk}/")
    by_user = login(partner).get(f"/api/v1/partner/verwijzingen/{referral.pk}/")
    assert by_token.status_code == 200
    assert by_token.json() == by_user.json()
    assert set(by_token.json()["person"]) == set(
        rules.allowed_person_fields(referral_type=ReferralType.TAAL)
    )
    body = by_token.content.decode()
    assert HEALTH_MARKER not in body and case.person.bsn not in body


def test_token_reports_and_the_log_names_the_token(beheerder: Any, org: Any, share: Any) -> None:
    referral = share(org, to=ReferralStatus.ACTIVE)
    token, raw = _token(beheerder, org)
    client = _client(raw)
    assert client.get("/api/v1/partner/verwijzingen/").status_code == 200
    report = {
        "kind": "uren_taal",
        "period_start": "2025-03-03",
        "period_end": "2025-03-31",
        "hours": "6",
    }
    url = f"/api/v1/partner/verwijzingen/{referral.pk}/rapportages/"
    assert client.post(url, report, content_type="application/json").status_code == 201
    saved = PartnerReport.objects.get()
    assert saved.reported_by is None
    label = f"organisatiesleutel {token.pk} ({org.name})"
    records = ProcessingRecord.objects.filter(actor_label=label)
    assert records.filter(action="read").exists()
    assert records.exclude(action="read").exists()
    assert not records.exclude(actor_id=None).exists()
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_revoked_or_unknown_token_gets_401(beheerder: Any, org: Any, share: Any) -> None:
    share(org, to=ReferralStatus.ACTIVE)
    token, raw = _token(beheerder, org)
    services.token_revoke(by=beheerder, token=token)
    assert _client(raw).get("/api/v1/partner/verwijzingen/").status_code == 401
    assert _client("thuis_org_onzin").get("/api/v1/partner/verwijzingen/").status_code == 401
    batch = {"rijen": []}
    assert (
        _client(raw)
        .post("/api/v1/partner/rapportages/", batch, content_type="application/json")
        .status_code
        == 401
    )


def test_token_works_only_on_partner_endpoints(beheerder: Any, org: Any, case: Any) -> None:
    _, raw = _token(beheerder, org)
    assert _client(raw).get("/api/v1/verwijzingen/").status_code == 401
    assert _client(raw).get("/api/v1/deelnameperioden/").status_code == 401


def test_beheerder_screen_shows_the_token_once_and_revokes(
    login: Any, beheerder: Any, org: Any
) -> None:
    client = login(beheerder)
    response = client.post(
        "/partners/beheer/sleutels/", {"organisation": org.pk, "name": "LVS-koppeling"}
    )
    assert response.status_code == 200
    token = OrganisationToken.objects.get()
    raw = response.context["new_token"]["raw"]
    assert raw in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    again = client.get("/partners/beheer/sleutels/")
    assert raw not in again.content.decode() and "LVS-koppeling" in again.content.decode()
    client.post(f"/partners/beheer/sleutels/{token.pk}/intrekken/")
    token.refresh_from_db()
    assert token.revoked
    assert _client(raw).get("/api/v1/partner/verwijzingen/").status_code == 401
