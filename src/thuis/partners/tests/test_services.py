"""Services: sharing, lifecycle, double submit, reports, spells, the e-mail outbox."""

from __future__ import annotations

import threading
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core import mail
from django.db import connection
from django.utils import timezone

import pytest

from thuis.audit.models import ProcessingRecord
from thuis.core.errors import NotAllowed, ValidationFailed
from thuis.partners import rules, selectors, services
from thuis.partners.choices import (
    DeliveryStatus,
    EndReason,
    ReferralStatus,
    ReferralType,
    ReportKind,
    SpellKind,
    SpellSource,
)
from thuis.partners.models import Notification, ParticipationSpell, Referral
from thuis.tests import factories

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def test_share_creates_referral_history_log_and_notification(
    regisseur: Any, case: Any, org: Any, partner: Any
) -> None:
    referral, created = services.referral_share(
        by=regisseur,
        person=case.person,
        organisation=org,
        referral_type=ReferralType.MB,
        today=TODAY,
        case=case,
    )
    assert created and referral.status == ReferralStatus.SENT and referral.case == case
    assert [t.to_status for t in referral.transitions.all()] == [ReferralStatus.SENT]
    record = ProcessingRecord.objects.get(object_type="referral", action="share")
    assert record.processing_activity == "verwijzing-partner"
    assert case.person.bsn not in record.reason
    note = Notification.objects.get(recipient=partner)
    assert note.email_status == DeliveryStatus.PENDING
    assert case.person.family_name not in note.title + note.body


def test_double_submit_returns_the_open_referral(regisseur: Any, case: Any, org: Any) -> None:
    args = {
        "by": regisseur,
        "person": case.person,
        "organisation": org,
        "referral_type": ReferralType.MB,
        "today": TODAY,
    }
    first, created1 = services.referral_share(**args)
    second, created2 = services.referral_share(**args)
    assert (created1, created2) == (True, False)
    assert first.pk == second.pk
    assert Referral.objects.count() == 1
    # after the referral ended, a new one for the same purpose is possible
    services.referral_transition(
        by=regisseur,
        referral=first,
        to=ReferralStatus.REVOKED,
        actor=rules.GEMEENTE,
        on=TODAY,
        reason="fout",
    )
    third, created3 = services.referral_share(**args)
    assert created3 and third.pk != first.pk


@pytest.mark.django_db(transaction=True)
def test_concurrent_double_submit_creates_exactly_one(municipality: Any, make_user: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks between threads need PostgreSQL")
    from thuis.partners.models import Organisation

    regisseur = make_user(username="r-thread")
    person = factories.PersonFactory(municipality=municipality)
    org = Organisation.objects.create(name="Org", kind="mb")
    org.municipalities.add(municipality)
    barrier = threading.Barrier(4)
    results: list[Any] = []

    def submit() -> None:
        try:
            barrier.wait()
            results.append(
                services.referral_share(
                    by=regisseur, person=person, organisation=org, referral_type="mb", today=TODAY
                )
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert Referral.objects.filter(person=person).count() == 1
    assert sum(1 for _, created in results if created) == 1
    assert len({r.pk for r, _ in results}) == 1


def test_share_checks_consent_municipality_and_purpose(
    regisseur: Any, case: Any, org: Any, make_org: Any, other_municipality: Any
) -> None:
    with pytest.raises(ValidationFailed, match="toestemming") as exc:
        services.referral_share(
            by=regisseur,
            person=case.person,
            organisation=org,
            referral_type=ReferralType.WERKGEVER,
            today=TODAY,
        )
    assert exc.value.code == "toestemming_nodig"
    elsewhere = make_org(name="Elders", municipalities=[other_municipality])
    with pytest.raises(ValidationFailed, match="werkt niet in de gemeente") as exc:
        services.referral_share(
            by=regisseur,
            person=case.person,
            organisation=elsewhere,
            referral_type=ReferralType.MB,
            today=TODAY,
        )
    assert exc.value.code == "organisatie_gemeente"
    with pytest.raises(ValidationFailed, match="geldig doel") as exc:
        services.referral_share(
            by=regisseur,
            person=case.person,
            organisation=org,
            referral_type="gezondheid",
            today=TODAY,
        )
    assert exc.value.code == "verwijzing_doel"
    assert not Referral.objects.exists()


def test_lifecycle_sets_dates_logs_every_step_and_notifies_regisseur(
    regisseur: Any, case: Any, org: Any, partner: Any, share: Any
) -> None:
    referral = share(org)
    steps = [
        (ReferralStatus.ACCEPTED, TODAY, "", ""),
        (ReferralStatus.ACTIVE, TODAY + timedelta(days=7), "", ""),
        (ReferralStatus.ENDED, TODAY + timedelta(days=90), "diploma", EndReason.FINISHED),
    ]
    for to, on, reason, end_reason in steps:
        referral = services.referral_transition(
            by=partner,
            referral=referral,
            to=to,
            actor=rules.PARTNER,
            on=on,
            reason=reason,
            end_reason=end_reason,
        )
    assert referral.decided_on == TODAY
    assert referral.started_on == TODAY + timedelta(days=7)
    assert referral.ended_on == TODAY + timedelta(days=90)
    assert referral.end_reason == EndReason.FINISHED
    assert [t.to_status for t in referral.transitions.all()] == [
        "sent",
        "accepted",
        "active",
        "ended",
    ]
    assert ProcessingRecord.objects.filter(object_type="referral", action="update").count() == 3
    assert Notification.objects.filter(recipient=regisseur).count() == 3


def test_lifecycle_refuses_wrong_steps(regisseur: Any, org: Any, partner: Any, share: Any) -> None:
    referral = share(org)
    with pytest.raises(NotAllowed) as exc:
        services.referral_transition(
            by=partner,
            referral=referral,
            to=ReferralStatus.REVOKED,
            actor=rules.PARTNER,
            on=TODAY,
            reason="x",
        )
    assert exc.value.code == "niet_toegestaan"
    with pytest.raises(ValidationFailed, match="reden") as exc:
        services.referral_transition(
            by=partner, referral=referral, to=ReferralStatus.DECLINED, actor=rules.PARTNER, on=TODAY
        )
    assert exc.value.code == "verwijzing_stap"
    with pytest.raises(ValidationFailed, match="huidige status") as exc:
        services.referral_transition(
            by=partner,
            referral=referral,
            to=ReferralStatus.ENDED,
            actor=rules.PARTNER,
            on=TODAY,
            end_reason="finished",
        )
    assert exc.value.code == "verwijzing_stap"
    with pytest.raises(ValidationFailed, match="voor de datum van verwijzen") as exc:
        services.referral_transition(
            by=partner,
            referral=referral,
            to=ReferralStatus.ACCEPTED,
            actor=rules.PARTNER,
            on=TODAY - timedelta(days=1),
        )
    assert exc.value.code == "datum_voor_verwijzen"
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT
    assert referral.transitions.count() == 1


def test_revoked_referral_disappears_for_partner(
    regisseur: Any, org: Any, partner: Any, share: Any
) -> None:
    referral = share(org, to=ReferralStatus.ACTIVE)
    assert list(selectors.person_ids_for_partner(partner)) == [{"person_id": referral.person_id}]
    services.referral_transition(
        by=regisseur,
        referral=referral,
        to=ReferralStatus.REVOKED,
        actor=rules.GEMEENTE,
        on=TODAY,
        reason="toestemming ingetrokken",
    )
    assert not selectors.referral_queryset_for_partner(user=partner).exists()


def test_report_save_is_idempotent_per_natural_key(org: Any, partner: Any, share: Any) -> None:
    referral = share(org, to=ReferralStatus.ACTIVE)
    args = {
        "by": partner,
        "referral": referral,
        "kind": ReportKind.HOURS_TAAL,
        "period_start": date(2025, 3, 3),
        "period_end": date(2025, 3, 31),
        "hours": Decimal("12.5"),
    }
    _, first = services.report_save(**args)
    _, second = services.report_save(**args)
    _, third = services.report_save(**{**args, "hours": Decimal("14")})
    assert (first, second, third) == ("created", "unchanged", "updated")
    assert referral.reports.get().hours == Decimal("14.00")


def test_report_needs_a_started_referral_and_the_right_values(
    org: Any, partner: Any, share: Any
) -> None:
    referral = share(org)
    with pytest.raises(ValidationFailed, match="gestart") as exc:
        services.report_save(
            by=partner,
            referral=referral,
            kind=ReportKind.HOURS_KNM,
            period_start=TODAY,
            period_end=TODAY,
            hours=Decimal(2),
        )
    assert exc.value.code == "rapportage_ongeldig"
    referral = services.referral_transition(
        by=partner, referral=referral, to="accepted", actor="partner", on=TODAY
    )
    referral = services.referral_transition(
        by=partner, referral=referral, to="active", actor="partner", on=TODAY
    )
    with pytest.raises(ValidationFailed, match="uren") as exc:
        services.report_save(
            by=partner,
            referral=referral,
            kind=ReportKind.HOURS_KNM,
            period_start=TODAY,
            period_end=TODAY,
        )
    assert exc.value.code == "rapportage_ongeldig"
    with pytest.raises(ValidationFailed, match="aanwezig") as exc:
        services.report_save(
            by=partner,
            referral=referral,
            kind=ReportKind.ATTENDANCE,
            period_start=TODAY,
            period_end=TODAY,
        )
    assert exc.value.code == "rapportage_ongeldig"
    with pytest.raises(ValidationFailed, match="einddatum") as exc:
        services.report_save(
            by=partner,
            referral=referral,
            kind=ReportKind.OUTCOME,
            period_start=TODAY,
            period_end=TODAY - timedelta(days=1),
            note="x",
        )
    assert exc.value.code == "rapportage_ongeldig"


def test_spell_create_is_idempotent_with_a_source_key(
    regisseur: Any, person: Any, org: Any
) -> None:
    args = {
        "by": regisseur,
        "person": person,
        "kind": SpellKind.WERK,
        "start_date": date(2024, 5, 1),
        "hours_per_week": Decimal("24"),
        "organisation": org,
        "sector": "zorg",
        "contract_type": "tijdelijk",
        "source": SpellSource.IMPORT,
        "source_key": "0148:1",
    }
    first = services.spell_create(**args)
    stamp = first.updated_at
    again = services.spell_create(**args)
    assert again.pk == first.pk and again.updated_at == stamp
    changed = services.spell_create(**{**args, "end_date": date(2024, 12, 31)})
    assert changed.pk == first.pk and changed.end_date == date(2024, 12, 31)
    assert ParticipationSpell.objects.count() == 1
    assert ProcessingRecord.objects.filter(object_type="participation_spell").count() == 2


def test_spell_create_validates(regisseur: Any, person: Any) -> None:
    with pytest.raises(ValidationFailed) as exc:
        services.spell_create(
            by=regisseur,
            person=person,
            kind=SpellKind.WERK,
            start_date=date(2024, 5, 1),
            end_date=date(2024, 4, 1),
        )
    assert exc.value.code == "deelname_einde_voor_start"
    with pytest.raises(ValidationFailed) as exc:
        services.spell_create(
            by=regisseur, person=person, kind="vakantie", start_date=date(2024, 5, 1)
        )
    assert exc.value.code == "ongeldig"
    with pytest.raises(ValidationFailed) as exc:
        services.spell_create(
            by=regisseur,
            person=person,
            kind=SpellKind.WERK,
            start_date=date(2024, 5, 1),
            hours_per_week=Decimal(90),
        )
    assert exc.value.code == "ongeldig"
    assert not ParticipationSpell.objects.exists()


def test_spells_for_facts_are_per_municipality(
    regisseur: Any, person: Any, other_municipality: Any, municipality: Any
) -> None:
    services.spell_create(
        by=regisseur, person=person, kind=SpellKind.OPLEIDING, start_date=date(2024, 1, 1)
    )
    stranger = factories.PersonFactory(municipality=other_municipality)
    services.spell_create(
        by="import", person=stranger, kind=SpellKind.WERK, start_date=date(2024, 1, 1)
    )
    assert [s.person_id for s in selectors.spells_for_facts(municipality=municipality)] == [
        person.pk
    ]


class _Outage:
    """The mail server is down while `down` is true."""

    def __init__(self) -> None:
        self.down = True

    def send_messages(self, backend: Any, messages: list[Any]) -> int:
        if self.down:
            raise ConnectionRefusedError("smtp down")
        mail.outbox.extend(messages)
        return len(messages)


def test_outbox_delivers_after_a_mail_server_outage(
    monkeypatch: Any, regisseur: Any, case: Any, org: Any, partner: Any
) -> None:
    outage = _Outage()
    monkeypatch.setattr(
        "django.core.mail.backends.locmem.EmailBackend.send_messages",
        lambda self, messages: outage.send_messages(self, messages),
    )
    mail.outbox.clear()
    services.referral_share(
        by=regisseur,
        person=case.person,
        organisation=org,
        referral_type=ReferralType.MB,
        today=TODAY,
    )
    note = Notification.objects.get(recipient=partner)
    start = timezone.now()
    # 15 minutes of outage: every due attempt fails, nothing is lost
    now = start
    while now < start + timedelta(minutes=15):
        services.notifications_deliver_due(now=now)
        now += timedelta(minutes=1)
    note.refresh_from_db()
    assert note.email_status == DeliveryStatus.PENDING
    assert note.attempts >= 4
    assert note.last_error == "ConnectionRefusedError"
    assert mail.outbox == []
    # the server is back: the next due attempt delivers, exactly once
    outage.down = False
    later = note.next_attempt_at + timedelta(seconds=1)
    assert services.notifications_deliver_due(now=later) == {"sent": 1, "pending": 0, "failed": 0}
    assert services.notifications_deliver_due(now=later + timedelta(hours=1))["sent"] == 0
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["a@partner.test"]
    assert message.extra_headers["X-Thuis-Idempotentiesleutel"] == str(note.idempotency_key)
    assert case.person.family_name not in message.body and case.person.bsn not in message.body


def test_outbox_gives_up_after_many_attempts(
    monkeypatch: Any, regisseur: Any, case: Any, org: Any, partner: Any
) -> None:
    outage = _Outage()
    monkeypatch.setattr(
        "django.core.mail.backends.locmem.EmailBackend.send_messages",
        lambda self, messages: outage.send_messages(self, messages),
    )
    services.referral_share(
        by=regisseur,
        person=case.person,
        organisation=org,
        referral_type=ReferralType.MB,
        today=TODAY,
    )
    now = timezone.now()
    for _ in range(services.NOTIFICATIONS.policy.max_attempts):
        services.notifications_deliver_due(now=now)
        now += timedelta(hours=2)
    note = Notification.objects.get(recipient=partner)
    assert note.email_status == DeliveryStatus.FAILED
    assert note.read_at is None  # still visible in the app


def test_outbox_command_sends_due_mail(regisseur: Any, case: Any, org: Any, partner: Any) -> None:
    from io import StringIO

    from django.core.management import call_command

    services.referral_share(
        by=regisseur, person=case.person, organisation=org, referral_type="mb", today=TODAY
    )
    mail.outbox.clear()
    out = StringIO()
    call_command("partners", "outbox", stdout=out)
    assert out.getvalue().strip() == "Verzonden: 1, wacht nog: 0, mislukt: 0"
    assert len(mail.outbox) == 1
