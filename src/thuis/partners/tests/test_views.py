"""Screens end to end: partner portal, regisseur section on the person page, uploads."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

import pytest

from thuis.accounts.choices import Role
from thuis.audit.models import ProcessingRecord
from thuis.cases.models import HealthNote
from thuis.partners import services
from thuis.partners.choices import ReferralStatus
from thuis.partners.models import (
    Notification,
    ParticipationSpell,
    PartnerReport,
    Referral,
    SupportContact,
)
from thuis.tests import factories

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def test_home_sends_partner_to_the_portal(login: Any, partner: Any, make_user: Any) -> None:
    assert login(partner).get("/").url == "/partners/portaal/"
    orphan = make_user(Role.PARTNER, username="zonder-org")
    assert login(orphan).get("/").status_code == 403


def test_portal_lists_only_own_referrals_with_bounded_queries(
    login: Any,
    municipality: Any,
    regisseur: Any,
    org: Any,
    other_org: Any,
    partner: Any,
    share: Any,
    django_assert_max_num_queries: Any,
) -> None:
    mine = [share(org, person=factories.PersonFactory(municipality=municipality)) for _ in range(5)]
    theirs = share(
        other_org, person=factories.PersonFactory(municipality=municipality, family_name="Anderorg")
    )
    client = login(partner)
    with django_assert_max_num_queries(20):
        response = client.get("/partners/portaal/")
    body = response.content.decode()
    assert response.status_code == 200
    for r in mine:
        assert r.person.family_name in body
        assert r.person.bsn not in body
    assert "Anderorg" not in body
    reads = ProcessingRecord.objects.filter(
        actor_id=partner.pk, action="read", reason="portaal-lijst"
    )
    assert reads.count() == 5
    assert client.get(f"/partners/portaal/verwijzingen/{theirs.pk}/").status_code == 404


def test_portal_detail_shows_only_allowed_fields(
    login: Any, case: Any, org: Any, partner: Any, share: Any
) -> None:
    HealthNote.objects.create(case=case, physical="Rugklachten-XYZ")
    referral = share(org, referral_type="werkgever")
    body = login(partner).get(f"/partners/portaal/verwijzingen/{referral.pk}/").content.decode()
    assert case.person.full_name in body
    assert "Wensen voor werk" in body
    assert "Geboortedatum" not in body
    assert "Rugklachten-XYZ" not in body
    assert case.person.bsn not in body


def test_partner_accepts_starts_and_reports_on_screen(
    login: Any, org: Any, partner: Any, share: Any
) -> None:
    referral = share(org)
    client = login(partner)
    url = f"/partners/portaal/verwijzingen/{referral.pk}/"
    assert (
        client.post(url + "status/", {"to": "accepted", "on_date": TODAY.isoformat()}).status_code
        == 302
    )
    assert (
        client.post(url + "status/", {"to": "declined", "on_date": TODAY.isoformat()}).status_code
        == 400
    )
    assert (
        client.post(url + "status/", {"to": "active", "on_date": TODAY.isoformat()}).status_code
        == 302
    )
    report = {
        "kind": "uren_participatie",
        "period_start": "2025-03-03",
        "period_end": "2025-03-09",
        "hours": "4",
    }
    assert client.post(url + "rapportage/", report).status_code == 302
    bad = client.post(url + "rapportage/", {**report, "kind": "uitkomst", "hours": ""})
    assert bad.status_code == 400 and "Beschrijf de voortgang" in bad.content.decode()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACTIVE
    assert PartnerReport.objects.count() == 1


def test_portal_upload_names_row_and_column_and_changes_nothing(
    login: Any, org: Any, partner: Any, share: Any
) -> None:
    referral = share(org, to=ReferralStatus.ACTIVE)
    client = login(partner)
    bad = (
        "verwijzing;soort;van;tot_en_met;uren\n"
        f"{referral.pk};uren_taal;2025-03-03;2025-03-31;4\n"
        f"{referral.pk};uren_knm;2025-03-03;31-13-2025;2\n"
    )
    response = client.post(
        "/partners/portaal/inlezen/", {"file": SimpleUploadedFile("r.csv", bad.encode())}
    )
    assert response.status_code == 400
    assert "Rij 3, kolom &#x27;tot_en_met&#x27;" in response.content.decode()
    assert not PartnerReport.objects.exists()
    good = bad.replace("31-13-2025", "31-03-2025").encode()
    for expected in ("2 nieuw", "0 nieuw, 0 gewijzigd, 2 ongewijzigd"):
        response = client.post(
            "/partners/portaal/inlezen/", {"file": SimpleUploadedFile("r.csv", good)}, follow=True
        )
        assert expected in response.content.decode()
    assert PartnerReport.objects.count() == 2


def test_regisseur_shares_twice_and_sees_section_on_person_page(
    login: Any, regisseur: Any, case: Any, org: Any, partner: Any
) -> None:
    client = login(regisseur)
    person = case.person
    url = f"/partners/personen/{person.pk}/verwijzen/"
    page = client.get(url)
    assert page.status_code == 200 and "Wat de partner ziet" in page.content.decode()
    data = {"organisation": org.pk, "referral_type": "mb", "purpose": "Begeleiding"}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert Referral.objects.count() == 1
    assert Notification.objects.filter(recipient=partner).count() == 1
    services.spell_create(
        by=regisseur, person=person, kind="werk", start_date=TODAY, hours_per_week=20
    )
    services.contact_create(
        by=regisseur, person=person, kind="professional", community="nederlands", start_date=TODAY
    )
    before = ProcessingRecord.objects.filter(reason="deelname-en-verwijzingen").count()
    body = client.get(f"/personen/{person.pk}/").content.decode()
    assert "Tijdlijn deelname" in body and "Betaald werk" in body
    assert org.name in body and "Verstuurd" in body
    assert "Steun komt vooral van professionals en vrijwilligers" in body
    assert ProcessingRecord.objects.filter(reason="deelname-en-verwijzingen").count() == before + 1


def test_regisseur_revokes_on_person_page(
    login: Any, regisseur: Any, org: Any, share: Any, make_user: Any, other_municipality: Any
) -> None:
    referral = share(org)
    prefix = f"verwijzing-{referral.pk}"
    url = f"/partners/verwijzingen/{referral.pk}/status/"
    stranger = login(make_user(username="r-elders", municipalities=[other_municipality]))
    assert (
        stranger.post(
            url,
            {
                f"{prefix}-to": "revoked",
                f"{prefix}-on_date": TODAY.isoformat(),
                f"{prefix}-reason": "x",
            },
        ).status_code
        == 404
    )
    client = login(regisseur)
    client.post(
        url,
        {f"{prefix}-to": "revoked", f"{prefix}-on_date": TODAY.isoformat(), f"{prefix}-reason": ""},
    )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT  # a reason is required
    client.post(
        url,
        {
            f"{prefix}-to": "revoked",
            f"{prefix}-on_date": TODAY.isoformat(),
            f"{prefix}-reason": "toestemming ingetrokken",
        },
    )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.REVOKED


def test_regisseur_adds_spell_and_contact(
    login: Any, regisseur: Any, person: Any, org: Any
) -> None:
    client = login(regisseur)
    response = client.post(
        f"/partners/personen/{person.pk}/deelname/",
        {
            "kind": "vrijwilligerswerk",
            "start_date": "2024-02-01",
            "hours_per_week": "6",
            "organisation": org.pk,
        },
    )
    assert response.status_code == 302
    bad = client.post(
        f"/partners/personen/{person.pk}/deelname/",
        {"kind": "werk", "start_date": "2024-02-01", "end_date": "2024-01-01"},
    )
    assert bad.status_code == 400
    response = client.post(
        f"/partners/personen/{person.pk}/steunnetwerk/",
        {"kind": "taalmaatje", "community": "nederlands", "start_date": "2024-02-01"},
    )
    assert response.status_code == 302
    assert ParticipationSpell.objects.count() == 1 and SupportContact.objects.count() == 1


def test_regisseur_spell_upload(login: Any, regisseur: Any, person: Any) -> None:
    client = login(regisseur)
    content = f"bsn,soort,begindatum\n{person.bsn},werk,2024-05-01\n".encode()
    response = client.post(
        "/partners/deelname/inlezen/", {"file": SimpleUploadedFile("s.csv", content)}, follow=True
    )
    assert "1 nieuw" in response.content.decode()
    assert ParticipationSpell.objects.get().source == "import"


def test_partner_never_reaches_person_pages(
    login: Any, case: Any, org: Any, partner: Any, share: Any
) -> None:
    share(org, to=ReferralStatus.ACTIVE)
    client = login(partner)
    assert client.get(f"/personen/{case.person.pk}/").status_code == 403
    assert client.get(f"/partners/personen/{case.person.pk}/deelname/").status_code == 403
    assert client.get("/partners/deelname/inlezen/").status_code == 403


def test_notifications_page_and_mark_read(login: Any, org: Any, partner: Any, share: Any) -> None:
    share(org)
    client = login(partner)
    body = client.get("/partners/meldingen/").content.decode()
    assert "Nieuwe verwijzing" in body
    assert client.post("/partners/meldingen/").status_code == 302
    assert not Notification.objects.filter(recipient=partner, read_at__isnull=True).exists()
