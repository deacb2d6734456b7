"""Changes in the partners app: one atomic function per operation, each writing the audit log.

Views, the API, the imports, commands and tests all call these functions.
"""

from __future__ import annotations

import logging
import uuid
from datetime import date, datetime
from decimal import Decimal
from functools import partial
from typing import Any

from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from thuis.accounts import services as account_services
from thuis.accounts.choices import TokenPurpose
from thuis.audit import events
from thuis.audit.models import Action
from thuis.core import outbox, validation
from thuis.core.errors import NotAllowed, ValidationFailed
from thuis.people.models import Municipality, Person

from . import rules
from .choices import (
    DeliveryStatus,
    ReferralStatus,
    ReportKind,
    SpellSource,
)
from .models import (
    Contract,
    Notification,
    Organisation,
    ParticipationSpell,
    PartnerReport,
    Referral,
    ReferralTransition,
    SupportContact,
)

logger = logging.getLogger(__name__)

HOURS_KINDS = frozenset(
    {ReportKind.HOURS_TAAL, ReportKind.HOURS_KNM, ReportKind.HOURS_PARTICIPATIE}
)


def _actor(by: Any) -> Any:
    """The user for a `*_by` field (a system account too); None for the system or a label."""
    if by is None or isinstance(by, str):
        return None
    return by


def _log(
    *, by: Any, person: Person, action: str, object_type: str, object_id: Any, reason: str = ""
) -> None:
    events.person_changed(
        user=by,
        person=person,
        action=action,
        object_type=object_type,
        object_id=object_id,
        activity=events.Activity.PARTNER,
        reason=reason,
    )


# --- Referrals ---------------------------------------------------------------------------------


@transaction.atomic
def referral_share(
    *,
    by: Any,
    person: Person,
    organisation: Organisation,
    referral_type: str,
    today: date,
    purpose: str = "",
    consent_on: date | None = None,
    case: Any = None,
) -> tuple[Referral, bool]:
    """Share a person with a partner for one purpose. Returns (referral, created).

    A double submit returns the open referral instead of a second one: the person row is locked
    while we look, and a partial unique constraint backs that up.
    """
    if rules.allowed_person_fields(referral_type=referral_type) == ():
        raise ValidationFailed(
            _("Kies een geldig doel voor de verwijzing."), code="verwijzing_doel"
        )
    if not organisation.municipalities.filter(pk=person.municipality_id).exists():
        raise ValidationFailed(
            _("Deze organisatie werkt niet in de gemeente van deze persoon."),
            code="organisatie_gemeente",
        )
    if rules.consent_required(referral_type=referral_type) and consent_on is None:
        raise ValidationFailed(
            _(
                "Voor dit doel is toestemming van de persoon nodig. "
                "Vul de datum van toestemming in."
            ),
            code="toestemming_nodig",
        )
    if consent_on is not None and consent_on > today:
        raise ValidationFailed(_("De datum van toestemming ligt in de toekomst."))
    if case is not None and case.person_id != person.pk:
        raise ValidationFailed(_("Het traject hoort niet bij deze persoon."))
    Person.objects.select_for_update().filter(pk=person.pk).first()
    open_q = Q(
        status__in=[
            s.value for s in (ReferralStatus.SENT, ReferralStatus.ACCEPTED, ReferralStatus.ACTIVE)
        ]
    )
    existing = Referral.objects.filter(
        open_q, person=person, organisation=organisation, referral_type=referral_type
    ).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            referral = Referral.objects.create(
                municipality_id=person.municipality_id,
                person=person,
                case=case,
                organisation=organisation,
                referral_type=referral_type,
                purpose=purpose[:500],
                consent_on=consent_on,
                status=ReferralStatus.SENT,
                sent_on=today,
                created_by=_actor(by),
            )
    except IntegrityError:
        existing = Referral.objects.filter(
            open_q, person=person, organisation=organisation, referral_type=referral_type
        ).first()
        if existing is None:
            raise
        return existing, False
    ReferralTransition.objects.create(
        referral=referral,
        from_status="",
        to_status=ReferralStatus.SENT,
        on_date=today,
        changed_by=_actor(by),
    )
    _log(
        by=by,
        person=person,
        action=Action.SHARE,
        object_type="referral",
        object_id=referral.pk,
        reason=f"verwijzing {referral_type} naar {organisation.name}"[:255],
    )
    from .selectors import partner_users

    notify(
        recipients=list(
            partner_users(organisation_id=organisation.pk, municipality_id=person.municipality_id)
        ),
        title=_("Nieuwe verwijzing voor %(org)s") % {"org": organisation.name},
        body=_("Er staat een nieuwe verwijzing voor u klaar in Thuis. Log in om die te bekijken."),
        referral=referral,
    )
    return referral, True


@transaction.atomic
def referral_transition(
    *,
    by: Any,
    referral: Referral,
    to: str,
    actor: str,
    on: date,
    reason: str = "",
    end_reason: str = "",
) -> Referral:
    """Move a referral one step in its lifecycle (`rules.TRANSITIONS`). Logged and notified."""
    locked = (
        Referral.objects.select_for_update()
        .select_related("person", "organisation")
        .get(pk=referral.pk)
    )
    error = rules.transition_error(
        current=locked.status, to=to, actor=actor, reason=reason, end_reason=end_reason
    )
    if error:
        raise (
            NotAllowed(error)
            if "niet aan u" in error
            else ValidationFailed(error, code="verwijzing_stap")
        )
    if on < locked.sent_on:
        raise ValidationFailed(
            _("De datum ligt voor de datum van verwijzen."), code="datum_voor_verwijzen"
        )
    from_status = locked.status
    locked.status = to
    locked.status_reason = reason[:255]
    fields = ["status", "status_reason", "updated_at"]
    if to in (ReferralStatus.ACCEPTED, ReferralStatus.DECLINED):
        locked.decided_on = on
        fields.append("decided_on")
    elif to == ReferralStatus.ACTIVE:
        locked.started_on = on
        fields.append("started_on")
    elif to in (ReferralStatus.ENDED, ReferralStatus.REVOKED):
        locked.ended_on = on
        locked.end_reason = end_reason
        fields += ["ended_on", "end_reason"]
    locked.save(update_fields=fields)
    ReferralTransition.objects.create(
        referral=locked,
        from_status=from_status,
        to_status=to,
        on_date=on,
        reason=reason[:255],
        changed_by=_actor(by),
    )
    _log(
        by=by,
        person=locked.person,
        action=Action.UPDATE,
        object_type="referral",
        object_id=locked.pk,
        reason=f"{from_status} -> {to}",
    )
    label = ReferralStatus(to).label
    if actor == rules.PARTNER:
        recipient = locked.created_by
        if locked.case_id is not None and locked.case and locked.case.regisseur_id:
            recipient = locked.case.regisseur
        if recipient is not None:
            notify(
                recipients=[recipient],
                title=_("Verwijzing %(id)s: %(status)s") % {"id": locked.pk, "status": label},
                body=_("%(org)s heeft de status van een verwijzing gewijzigd.")
                % {"org": locked.organisation.name},
                referral=locked,
            )
    else:
        from .selectors import partner_users

        notify(
            recipients=list(
                partner_users(
                    organisation_id=locked.organisation_id,
                    municipality_id=locked.municipality_id,
                )
            ),
            title=_("Verwijzing %(id)s: %(status)s") % {"id": locked.pk, "status": label},
            body=_("De gemeente heeft de status van een verwijzing gewijzigd."),
            referral=locked,
        )
    return locked


# --- Partner reports ---------------------------------------------------------------------------


def report_check(
    *,
    referral: Referral,
    kind: str,
    period_start: date,
    period_end: date,
    hours: Decimal | None,
    sessions_attended: int | None,
    sessions_missed: int | None,
    note: str,
) -> str | None:
    """None when the report may be saved, else a Dutch message (used per row by the import)."""
    if referral.status not in (ReferralStatus.ACTIVE, ReferralStatus.ENDED):
        return _("Rapporteren kan pas als de verwijzing is gestart.")
    if kind not in ReportKind.values:
        return _("Onbekende soort rapportage.")
    if period_end < period_start:
        return _("De einddatum ligt voor de begindatum.")
    if referral.started_on and period_end < referral.started_on:
        return _("De periode ligt voor de start van de verwijzing.")
    if kind in HOURS_KINDS and hours is None:
        return _("Vul het aantal uren in.")
    if hours is not None and (hours < 0 or hours > Decimal("500")):
        return _("Het aantal uren moet tussen 0 en 500 liggen.")
    if kind == ReportKind.ATTENDANCE and sessions_attended is None and sessions_missed is None:
        return _("Vul in hoe vaak de persoon aanwezig en afwezig was.")
    if kind in (ReportKind.PROGRESS, ReportKind.OUTCOME) and not note.strip():
        return _("Beschrijf de voortgang of de uitkomst.")
    return None


@transaction.atomic
def report_save(
    *,
    by: Any,
    referral: Referral,
    kind: str,
    period_start: date,
    period_end: date,
    hours: Decimal | None = None,
    sessions_attended: int | None = None,
    sessions_missed: int | None = None,
    note: str = "",
) -> tuple[PartnerReport, str]:
    """Save a report; the natural key (referral, kind, period) makes it idempotent.

    Returns (report, outcome) with outcome "created", "updated" or "unchanged".
    """
    error = report_check(
        referral=referral,
        kind=kind,
        period_start=period_start,
        period_end=period_end,
        hours=hours,
        sessions_attended=sessions_attended,
        sessions_missed=sessions_missed,
        note=note,
    )
    if error:
        raise ValidationFailed(error, code="rapportage_ongeldig")
    values = {
        "hours": hours,
        "sessions_attended": sessions_attended,
        "sessions_missed": sessions_missed,
        "note": note[:500],
    }
    report = (
        PartnerReport.objects.select_for_update()
        .filter(referral=referral, kind=kind, period_start=period_start, period_end=period_end)
        .first()
    )
    if report is not None:
        if all(getattr(report, k) == v for k, v in values.items()):
            return report, "unchanged"
        for k, v in values.items():
            setattr(report, k, v)
        report.reported_by = _actor(by)
        report.save(update_fields=[*values, "reported_by", "updated_at"])
        outcome, action = "updated", Action.UPDATE
    else:
        report = PartnerReport.objects.create(
            referral=referral,
            kind=kind,
            period_start=period_start,
            period_end=period_end,
            reported_by=_actor(by),
            **values,
        )
        outcome, action = "created", Action.CREATE
    _log(
        by=by,
        person=referral.person,
        action=action,
        object_type="partner_report",
        object_id=report.pk,
        reason=kind,
    )
    return report, outcome


# --- Participation timeline --------------------------------------------------------------------


@transaction.atomic
def spell_create(
    *,
    by: Any,
    person: Person,
    kind: str,
    start_date: date,
    end_date: date | None = None,
    hours_per_week: Decimal | None = None,
    organisation: Organisation | None = None,
    sector: str = "",
    contract_type: str = "",
    description: str = "",
    source: str = SpellSource.MANUAL,
    source_key: str = "",
) -> ParticipationSpell:
    """Add a participation spell. With a `source_key` it is idempotent: the same key again
    updates the spell when something changed and otherwise changes nothing."""
    values: dict[str, Any] = {
        "person": person,
        "kind": kind,
        "start_date": start_date,
        "end_date": end_date,
        "hours_per_week": hours_per_week,
        "organisation": organisation,
        "sector": sector[:100],
        "contract_type": contract_type,
        "description": description[:200],
    }
    existing = None
    if source_key:
        existing = (
            ParticipationSpell.objects.select_for_update()
            .filter(source=source, source_key=source_key)
            .first()
        )
    if existing is not None:
        if existing.person_id != person.pk:
            raise ValidationFailed(_("Deze sleutel hoort al bij een andere persoon."))
        changes = validation.update(
            existing,
            {k: v for k, v in values.items() if k != "person"},
            validate_unique=False,
        )
        if not changes:
            return existing
        _log(
            by=by,
            person=person,
            action=Action.UPDATE,
            object_type="participation_spell",
            object_id=existing.pk,
            reason=kind,
        )
        return existing
    spell = ParticipationSpell(source=source, source_key=source_key[:100], **values)
    validation.save(spell, validate_unique=False)
    _log(
        by=by,
        person=person,
        action=Action.CREATE,
        object_type="participation_spell",
        object_id=spell.pk,
        reason=kind,
    )
    return spell


@transaction.atomic
def spell_end(*, by: Any, spell: ParticipationSpell, end_date: date) -> ParticipationSpell:
    if end_date < spell.start_date:
        raise ValidationFailed(_("De einddatum ligt voor de begindatum."))
    spell.end_date = end_date
    spell.save(update_fields=["end_date", "updated_at"])
    _log(
        by=by,
        person=spell.person,
        action=Action.UPDATE,
        object_type="participation_spell",
        object_id=spell.pk,
        reason="einde",
    )
    return spell


# --- Support network ---------------------------------------------------------------------------


@transaction.atomic
def contact_create(
    *,
    by: Any,
    person: Person,
    kind: str,
    community: str,
    start_date: date,
    end_date: date | None = None,
    description: str = "",
    organisation: Organisation | None = None,
) -> SupportContact:
    contact = SupportContact(
        person=person,
        kind=kind,
        community=community,
        start_date=start_date,
        end_date=end_date,
        description=description[:200],
        organisation=organisation,
    )
    validation.save(contact, validate_unique=False)
    _log(
        by=by,
        person=person,
        action=Action.CREATE,
        object_type="support_contact",
        object_id=contact.pk,
        reason=kind,
    )
    return contact


# --- Notifications and the e-mail outbox -------------------------------------------------------


def notify(
    *, recipients: list[Any], title: str, body: str, referral: Referral | None = None
) -> list[Notification]:
    """In-app notification for each recipient; the e-mail goes out after commit with retries."""
    now = timezone.now()
    created = []
    for user in recipients:
        note = Notification.objects.create(
            recipient=user,
            referral=referral,
            title=title[:200],
            body=body,
            idempotency_key=uuid.uuid4(),
            email_status=DeliveryStatus.PENDING if user.email else DeliveryStatus.NOT_NEEDED,
            next_attempt_at=now if user.email else None,
        )
        created.append(note)
        if user.email:
            transaction.on_commit(partial(schedule_delivery, note.pk))
    return created


def schedule_delivery(notification_id: int) -> None:
    from . import tasks

    try:
        tasks.deliver_notification.delay(notification_id)
    except Exception as exc:  # broker down: the message waits for `thuis partners outbox`
        logger.warning("Melding %s wacht in de outbox: %s", notification_id, type(exc).__name__)


NOTIFICATIONS = outbox.Outbox(
    name="partners_email",
    model=Notification,
    status_field="email_status",
    count_names=(
        ("sent", DeliveryStatus.SENT),
        ("pending", DeliveryStatus.PENDING),
        ("failed", DeliveryStatus.FAILED),
    ),
)


def notification_deliver(
    *, notification_id: int, now: datetime | None = None
) -> Notification | None:
    """Try to e-mail one due notification. None when it is not due or another worker has it."""
    now = now or timezone.now()
    if not outbox.claim(NOTIFICATIONS, notification_id, now=now):
        return None
    note = Notification.objects.select_related("recipient").get(pk=notification_id)
    message = EmailMessage(
        subject=f"[Thuis] {note.title}",
        body=f"{note.body}\n\nDit bericht bevat geen persoonsgegevens. Log in op Thuis.",
        to=[note.recipient.email],
    )
    return outbox.send_email(NOTIFICATIONS, note, message, now=now)


def notifications_deliver_due(
    *, now: datetime | None = None, limit: int | None = None
) -> dict[str, int]:
    """Send the due e-mails, one batch (the worker and `thuis partners outbox` call this)."""
    return outbox.process_due(
        NOTIFICATIONS,
        lambda pk, at: notification_deliver(notification_id=pk, now=at),
        now=now or timezone.now(),
        limit=limit,
    )


@transaction.atomic
def notifications_mark_read(*, user: Any, now: datetime | None = None) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=now or timezone.now()
    )


# --- Organisation tokens -----------------------------------------------------------------------


def token_create(
    *, by: Any, organisation: Organisation, municipality: Municipality, name: str, days: int
) -> tuple[Any, str]:
    """A new API key for the organisation's system in one of the beheerder's own gemeenten in
    which the organisation works (`accounts.services.api_token_create` does the rest). Returns
    the key row and the raw key, which is shown once and never stored."""
    from . import selectors

    if not selectors.organisations_for_tokens(user=by).filter(pk=organisation.pk).exists():
        raise ValidationFailed(
            "Kies een organisatie van uw eigen gemeente.",
            code="organisatie_andere_gemeente",
            fields={"organisation": ["Kies een organisatie van uw eigen gemeente."]},
        )
    if not organisation.municipalities.filter(pk=municipality.pk).exists():
        raise ValidationFailed(
            "Deze organisatie werkt niet in deze gemeente.",
            code="organisatie_niet_in_gemeente",
            fields={"municipality": ["Deze organisatie werkt niet in deze gemeente."]},
        )
    return account_services.api_token_create(
        by=by,
        purpose=TokenPurpose.PARTNER_VERWIJZINGEN,
        municipality=municipality,
        organisation_id=organisation.pk,
        name=name,
        days=days,
    )


def token_revoke(*, by: Any, token: Any) -> Any:
    return account_services.api_token_revoke(by=by, token=token)


# --- Contracts ---------------------------------------------------------------------------------


@transaction.atomic
def contract_save(*, by: Any, contract: Contract) -> Contract:
    """Create or change a contract (no personal data, so no processing-log record)."""
    from . import selectors

    if not selectors.contract_municipalities(user=by).filter(pk=contract.municipality_id).exists():
        raise NotAllowed("U beheert geen contracten van deze gemeente.")
    if not contract.organisation.municipalities.filter(pk=contract.municipality_id).exists():
        raise ValidationFailed(
            "Deze organisatie werkt niet in deze gemeente.",
            code="organisatie_andere_gemeente",
            fields={"organisation": ["Deze organisatie werkt niet in deze gemeente."]},
        )
    if contract.end_date is not None and contract.end_date < contract.start_date:
        raise ValidationFailed("De einddatum ligt voor de ingangsdatum.")
    contract.save()
    logger.info("contract saved id=%s by=%s", contract.pk, getattr(by, "pk", None))
    return contract
