"""API keys of partner organisations (issue 15): a system account of one organisation in one
gemeente, with a partner user's scope; a beheerder only makes, lists and revokes keys of the own
gemeenten."""

from __future__ import annotations

from typing import Any

from django.test import Client

import pytest

from thuis.accounts.choices import Role
from thuis.accounts.models import ApiToken
from thuis.audit.models import ProcessingRecord
from thuis.core.errors import ValidationFailed
from thuis.partners import rules, services
from thuis.partners.choices import ReferralStatus, ReferralType
from thuis.partners.models import PartnerReport

from .test_api import HEALTH_MARKER, _rich_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def beheerder(make_user: Any, municipality: Any) -> Any:
    return make_user(Role.BEHEERDER, username="beheer-t")


def _client(raw: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def _token(beheerder: Any, organisation: Any) -> tuple[ApiToken, str]:
    return services.token_create(
        by=beheerder,
        organisation=organisation,
        municipality=organisation.municipalities.get(),
        name="koppeling",
        days=30,
    )


def test_token_is_stored_hashed(beheerder: Any, org: Any) -> None:
    token, raw = _token(beheerder, org)
    assert raw.startswith("thuis_") and len(raw) > 40
    assert raw not in token.key_hash and token.key_hash != raw
    assert token.prefix == raw[: len(token.prefix)] and len(token.prefix) < 16
    assert token.created_by == beheerder and not token.revoked
    assert token.account.is_system_account and not token.account.has_usable_password()
    assert list(token.account.municipalities.all()) == [token.municipality]
    assert token.purpose == "partner-verwijzingen"


def test_only_the_beheerder_makes_tokens(make_user: Any, org: Any) -> None:
    regisseur = make_user(Role.REGISSEUR, username="r-t")
    with pytest.raises(ValidationFailed) as exc:
        _token(regisseur, org)
    assert exc.value.code == "organisatie_andere_gemeente"
    assert not ApiToken.objects.exists()


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
    assert saved.reported_by == token.account
    records = ProcessingRecord.objects.filter(actor_id=token.account.pk)
    assert records.filter(action="read").exists()
    assert records.exclude(action="read").exists()
    assert set(records.values_list("actor_label", flat=True)) == {token.account.username}
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_revoked_or_unknown_token_gets_401(beheerder: Any, org: Any, share: Any) -> None:
    share(org, to=ReferralStatus.ACTIVE)
    token, raw = _token(beheerder, org)
    services.token_revoke(by=beheerder, token=token)
    assert _client(raw).get("/api/v1/partner/verwijzingen/").status_code == 401
    assert _client("thuis_onzin").get("/api/v1/partner/verwijzingen/").status_code == 401
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
        "/partners/beheer/sleutels/",
        {
            "organisation": org.pk,
            "municipality": org.municipalities.get().pk,
            "name": "LVS-koppeling",
            "days": 90,
        },
    )
    assert response.status_code == 200
    token = ApiToken.objects.get()
    raw = response.context["new_token"]["raw"]
    assert raw in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    again = client.get("/partners/beheer/sleutels/")
    assert raw not in again.content.decode() and "LVS-koppeling" in again.content.decode()
    client.post(f"/partners/beheer/sleutels/{token.pk}/intrekken/")
    token.refresh_from_db()
    assert token.revoked
    assert _client(raw).get("/api/v1/partner/verwijzingen/").status_code == 401


def test_token_expires(beheerder: Any, org: Any, share: Any) -> None:
    from datetime import timedelta

    from django.utils import timezone

    share(org, to=ReferralStatus.ACTIVE)
    token, raw = _token(beheerder, org)
    assert _client(raw).get("/api/v1/partner/verwijzingen/").status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert _client(raw).get("/api/v1/partner/verwijzingen/").status_code == 401


def test_days_are_bounded_by_the_setting(beheerder: Any, org: Any, settings: Any) -> None:
    settings.THUIS_API_TOKEN_DAYS = 30
    with pytest.raises(ValidationFailed) as exc:
        services.token_create(
            by=beheerder,
            organisation=org,
            municipality=org.municipalities.get(),
            name="x",
            days=31,
        )
    assert exc.value.code == "sleutel_ongeldig"
    assert "days" in exc.value.fields


def test_a_key_is_scoped_to_its_gemeente(
    beheerder: Any,
    make_user: Any,
    make_org: Any,
    municipality: Any,
    other_municipality: Any,
    share: Any,
) -> None:
    """An organisation in two gemeenten: its key of gemeente A sees A's referrals, not B's."""
    from thuis.partners.tests.conftest import TODAY
    from thuis.tests import factories

    both = make_org(name="Beide (test)", municipalities=[municipality, other_municipality])
    in_a = share(both, to=ReferralStatus.ACTIVE)
    regisseur_b = make_user(Role.REGISSEUR, municipalities=[other_municipality], username="rb")
    person_b = factories.PersonFactory(municipality=other_municipality)
    in_b, _ = services.referral_share(
        by=regisseur_b,
        person=person_b,
        organisation=both,
        referral_type=ReferralType.MB,
        today=TODAY,
        consent_on=TODAY,
    )
    beheerder_ab = make_user(
        Role.BEHEERDER, municipalities=[municipality, other_municipality], username="bh-ab"
    )
    _, key_a = services.token_create(
        by=beheerder_ab, organisation=both, municipality=municipality, name="a", days=10
    )
    _, key_b = services.token_create(
        by=beheerder_ab, organisation=both, municipality=other_municipality, name="b", days=10
    )
    ids_a = [r["id"] for r in _client(key_a).get("/api/v1/partner/verwijzingen/").json()["results"]]
    ids_b = [r["id"] for r in _client(key_b).get("/api/v1/partner/verwijzingen/").json()["results"]]
    assert in_a.pk in ids_a and in_b.pk not in ids_a
    assert in_b.pk in ids_b and in_a.pk not in ids_b


def test_beheerder_of_b_cannot_mint_list_or_revoke_keys_of_a(
    login: Any,
    beheerder: Any,
    org: Any,
    make_user: Any,
    other_municipality: Any,
    make_org: Any,
) -> None:
    """Finding 1: B's beheerder made a key for A's organisation and listed/revoked A's keys."""
    token, raw = _token(beheerder, org)
    beheerder_b = make_user(Role.BEHEERDER, municipalities=[other_municipality], username="bh-b")
    org_b = make_org(name="Alleen B (test)", municipalities=[other_municipality])
    with pytest.raises(ValidationFailed) as exc:
        services.token_create(
            by=beheerder_b, organisation=org, municipality=other_municipality, name="x", days=1
        )
    assert exc.value.code == "organisatie_andere_gemeente"
    with pytest.raises(ValidationFailed) as wrong_gemeente:
        services.token_create(
            by=beheerder_b,
            organisation=org_b,
            municipality=org.municipalities.get(),
            name="x",
            days=1,
        )
    assert wrong_gemeente.value.code == "organisatie_niet_in_gemeente"
    client = login(beheerder_b)
    page = client.get("/partners/beheer/sleutels/")
    body = page.content.decode()
    assert page.status_code == 200 and token.prefix not in body
    form = page.context["form"]
    assert list(form.fields["organisation"].queryset) == [org_b]
    assert list(form.fields["municipality"].queryset) == [other_municipality]
    posted = client.post(
        "/partners/beheer/sleutels/",
        {"organisation": org.pk, "municipality": other_municipality.pk, "name": "x", "days": 1},
    )
    assert posted.status_code == 200 and "organisation" in posted.context["form"].errors
    assert ApiToken.objects.count() == 1
    assert client.post(f"/partners/beheer/sleutels/{token.pk}/intrekken/").status_code == 404
    token.refresh_from_db()
    assert not token.revoked
    assert _client(raw).get("/api/v1/partner/verwijzingen/").status_code == 200
