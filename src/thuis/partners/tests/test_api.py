"""API end to end: partner scope and field minimisation (hypothesis), regisseur endpoints."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from thuis.audit.models import ProcessingRecord
from thuis.cases.models import BredeIntake, HealthNote, Pip
from thuis.partners import rules
from thuis.partners.choices import ReferralStatus, ReferralType
from thuis.partners.models import ParticipationSpell, PartnerReport, Referral
from thuis.tests import factories

from .conftest import TODAY

pytestmark = pytest.mark.django_db

HEALTH_MARKER = "GEZONDHEIDSNOTITIE-XYZ"


def _rich_person(municipality: Any, regisseur: Any, given: str, wishes: str) -> Any:
    """A person with everything a partner must not see next to what some purposes allow."""
    person = factories.PersonFactory(
        municipality=municipality, given_names=given, preferred_language="ti"
    )
    case = factories.CaseFactory(person=person, regisseur=regisseur)
    HealthNote.objects.create(
        case=case, physical=HEALTH_MARKER, mental=HEALTH_MARKER, impact=HEALTH_MARKER
    )
    BredeIntake.objects.create(case=case, participation_wishes=wishes, finances="schulden-ABC")
    Pip.objects.create(
        case=case,
        version=1,
        dagtekening=date(2024, 1, 1),
        leerroute="B1",
        niveau="B1",
        reason="eerste",
    )
    household = factories.HouseholdFactory(municipality=municipality)
    factories.HouseholdMemberFactory(household=household, person=person)
    return case


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    referral_type=st.sampled_from(ReferralType.values),
    given=st.text(alphabet=st.characters(whitelist_categories=("L",)), min_size=2, max_size=12),
    wishes=st.text(alphabet="abcdefgh ", min_size=3, max_size=30).filter(str.strip),
    status=st.sampled_from([ReferralStatus.SENT, ReferralStatus.ACTIVE]),
)
def test_partner_responses_hold_exactly_the_allow_list(
    login: Any,
    municipality: Any,
    regisseur: Any,
    org: Any,
    partner: Any,
    share: Any,
    referral_type: str,
    given: str,
    wishes: str,
    status: str,
) -> None:
    wishes = f"WENS-{wishes}"
    case = _rich_person(municipality, regisseur, given, wishes)
    referral = share(org, referral_type=referral_type, to=status, person=case.person)
    client = login(partner)
    detail = client.get(f"/api/v1/partner/verwijzingen/{referral.pk}/")
    listed = client.get("/api/v1/partner/verwijzingen/?page_size=500")
    assert detail.status_code == 200 and listed.status_code == 200
    allowed = set(rules.allowed_person_fields(referral_type=referral_type))
    items = [detail.json()] + [i for i in listed.json()["results"] if i["id"] == referral.pk]
    assert len(items) == 2
    for item in items:
        assert set(item) == set(rules.REFERRAL_FIELDS)
        assert set(item["person"]) == allowed
    for response in (detail, listed):
        body = response.content.decode()
        assert HEALTH_MARKER not in body
        assert case.person.bsn not in body
        assert "schulden-ABC" not in body
    person = detail.json()["person"]
    if "work_wishes" in allowed:
        assert person["work_wishes"] == wishes
    else:
        assert wishes not in json.dumps(person)
    if "leerroute" in allowed:
        assert person["niveau"] == "B1"


def test_partner_of_another_organisation_gets_nothing(
    login: Any, org: Any, other_org: Any, other_partner: Any, share: Any
) -> None:
    referral = share(org, to=ReferralStatus.ACTIVE)
    client = login(other_partner)
    assert client.get("/api/v1/partner/verwijzingen/").json()["count"] == 0
    assert client.get(f"/api/v1/partner/verwijzingen/{referral.pk}/").status_code == 404
    post = {
        "kind": "uren_taal",
        "period_start": "2025-03-03",
        "period_end": "2025-03-31",
        "hours": "3",
    }
    assert (
        client.post(
            f"/api/v1/partner/verwijzingen/{referral.pk}/rapportages/",
            post,
            content_type="application/json",
        ).status_code
        == 404
    )
    assert (
        client.post(
            f"/api/v1/partner/verwijzingen/{referral.pk}/status/",
            {"status": "ended", "end_reason": "stopped"},
            content_type="application/json",
        ).status_code
        == 404
    )
    batch = {
        "rijen": [
            {
                "verwijzing": referral.pk,
                "soort": "uren_taal",
                "van": "2025-03-03",
                "tot_en_met": "2025-03-31",
                "uren": 3,
            }
        ]
    }
    response = client.post("/api/v1/partner/rapportages/", batch, content_type="application/json")
    assert response.status_code == 400
    assert not PartnerReport.objects.exists()
    assert ProcessingRecord.objects.filter(result="denied", object_type="referral").count() == 3
    # the regisseur-side endpoints are closed to partners
    assert client.get("/api/v1/verwijzingen/").status_code == 403
    assert client.get("/api/v1/deelnameperioden/").status_code == 403


def test_partner_walks_lifecycle_and_reports_through_the_api(
    login: Any, org: Any, partner: Any, share: Any
) -> None:
    referral = share(org)
    client = login(partner)
    url = f"/api/v1/partner/verwijzingen/{referral.pk}/"
    assert (
        client.post(
            url + "status/", {"status": "accepted"}, content_type="application/json"
        ).json()["status"]
        == "accepted"
    )
    response = client.post(
        url + "status/", {"status": "revoked", "reason": "x"}, content_type="application/json"
    )
    assert response.status_code == 403 and response["Content-Type"] == "application/problem+json"
    assert (
        client.post(
            url + "status/",
            {"status": "active", "on_date": TODAY.isoformat()},
            content_type="application/json",
        ).status_code
        == 200
    )
    report = {
        "kind": "uren_knm",
        "period_start": "2025-03-03",
        "period_end": "2025-03-31",
        "hours": "6.00",
    }
    assert (
        client.post(url + "rapportages/", report, content_type="application/json").status_code
        == 201
    )
    assert (
        client.post(url + "rapportages/", report, content_type="application/json").status_code
        == 200
    )
    assert PartnerReport.objects.count() == 1


def test_batch_reports_all_or_nothing_and_idempotent(
    login: Any, org: Any, partner: Any, share: Any
) -> None:
    referral = share(org, to=ReferralStatus.ACTIVE)
    client = login(partner)
    good = {
        "verwijzing": referral.pk,
        "soort": "uren_taal",
        "van": "2025-03-03",
        "tot_en_met": "2025-03-31",
        "uren": "8",
    }
    bad = {**good, "soort": "uren_knm", "uren": "acht"}
    response = client.post(
        "/api/v1/partner/rapportages/", {"rijen": [good, bad]}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["invalidParams"] == [
        {"name": "rijen", "reason": "Rij 2, kolom 'uren': 'acht' is geen getal."}
    ]
    assert not PartnerReport.objects.exists()
    first = client.post(
        "/api/v1/partner/rapportages/", {"rijen": [good]}, content_type="application/json"
    )
    second = client.post(
        "/api/v1/partner/rapportages/", {"rijen": [good]}, content_type="application/json"
    )
    assert first.json() == {"rows": 1, "created": 1, "updated": 0, "unchanged": 0}
    assert second.json() == {"rows": 1, "created": 0, "updated": 0, "unchanged": 1}
    assert PartnerReport.objects.count() == 1


def test_regisseur_api_share_twice_gives_one_referral(
    login: Any, regisseur: Any, make_user: Any, other_municipality: Any, case: Any, org: Any
) -> None:
    client = login(regisseur)
    body = {
        "person": case.person.pk,
        "organisation": org.pk,
        "referral_type": "taal",
        "purpose": "B1-route",
    }
    first = client.post("/api/v1/verwijzingen/", body, content_type="application/json")
    second = client.post("/api/v1/verwijzingen/", body, content_type="application/json")
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert Referral.objects.count() == 1
    assert client.get(f"/api/v1/verwijzingen/?persoon={case.person.pk}").json()["count"] == 1
    assert client.get(f"/api/v1/verwijzingen/{first.json()['id']}/").status_code == 200
    stranger = login(make_user(username="r-zwolle", municipalities=[other_municipality]))
    assert stranger.get(f"/api/v1/verwijzingen/{first.json()['id']}/").status_code == 404
    assert (
        stranger.post("/api/v1/verwijzingen/", body, content_type="application/json").status_code
        == 404
    )
    assert stranger.get("/api/v1/verwijzingen/").json()["count"] == 0


def test_regisseur_api_spells(
    login: Any, regisseur: Any, make_user: Any, other_municipality: Any, person: Any, org: Any
) -> None:
    client = login(regisseur)
    body = {
        "person": person.pk,
        "kind": "werk",
        "start_date": "2024-05-01",
        "hours_per_week": "20.0",
        "organisation": org.pk,
        "source_key": "hr-17",
    }
    created = client.post("/api/v1/deelnameperioden/", body, content_type="application/json")
    assert created.status_code == 201, created.content
    assert (
        client.post("/api/v1/deelnameperioden/", body, content_type="application/json").json()["id"]
        == created.json()["id"]
    )
    assert ParticipationSpell.objects.count() == 1
    bad = client.post(
        "/api/v1/deelnameperioden/",
        {**body, "source_key": "", "end_date": "2024-01-01"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad["Content-Type"] == "application/problem+json"
    listing = client.get(f"/api/v1/deelnameperioden/?persoon={person.pk}")
    assert listing.json()["count"] == 1
    assert client.get(f"/api/v1/deelnameperioden/{created.json()['id']}/").json()["kind"] == "werk"
    stranger = login(make_user(username="r-zwolle", municipalities=[other_municipality]))
    assert stranger.get(f"/api/v1/deelnameperioden/{created.json()['id']}/").status_code == 404
