"""Ontzorgen (Participatiewet art. 56a) and its payments register."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from thuis.cases import rules
from thuis.cases.choices import OntzorgenItem
from thuis.cases.models import IntegrationCase, OntzorgenArrangement, OntzorgenPayment
from thuis.core.actor import ActorLike
from thuis.core.errors import ValidationFailed

from ._common import before, changed, log_change, log_created
from .facts import doelgroep_of


@transaction.atomic
def ontzorgen_set(
    *,
    case: IntegrationCase,
    by: ActorLike,
    bijstand_start: date,
    bijstand_end: date | None = None,
    machtiging_signed_on: date | None = None,
    items: list[str] | None = None,
    refused: bool = False,
) -> OntzorgenArrangement:
    applies = rules.ontzorgen_applies(
        doelgroep=doelgroep_of(case),
        permit_asiel_bepaalde_tijd=case.permit_asiel_bepaalde_tijd,
        recht_op_bijstand=True,
        inburgeringsplichtig=case.plicht_end_date is None,
        wet=rules.Wet(case.regime),
    )
    if not applies.value:
        raise ValidationFailed(applies.toelichting, code="ontzorgen_geldt_niet")
    if bijstand_end and bijstand_end < bijstand_start:
        raise ValidationFailed(_("Het einde van de bijstand ligt vóór de start."))
    chosen = items if items is not None else list(OntzorgenItem.values)
    if set(chosen) - set(OntzorgenItem.values):
        raise ValidationFailed(_("Onbekend onderdeel van ontzorgen."))
    existing = OntzorgenArrangement.objects.filter(case=case).first()
    old = before(existing) if existing is not None else None
    arrangement, _created = OntzorgenArrangement.objects.update_or_create(
        case=case,
        defaults={
            "bijstand_start": bijstand_start,
            "bijstand_end": bijstand_end,
            "machtiging_signed_on": machtiging_signed_on,
            "items": chosen,
            "refused": refused,
        },
    )
    if not case.recht_op_bijstand:
        case.recht_op_bijstand = True
        case.save(update_fields=["recht_op_bijstand", "updated_at"])
    log_change(
        by=by,
        case=case,
        object_type="ontzorgen",
        object_id=arrangement.pk,
        changes=changed(old, arrangement),
    )
    return arrangement


@transaction.atomic
def ontzorgen_payment_add(
    *,
    arrangement: OntzorgenArrangement,
    by: ActorLike,
    item: str,
    month: date,
    amount: Decimal,
    payee: str,
    paid_on: date,
) -> OntzorgenPayment:
    window = rules.ontzorgen_window(
        bijstand_start=arrangement.bijstand_start, bijstand_end=arrangement.bijstand_end
    )
    first_month = arrangement.bijstand_start.replace(day=1)
    month = month.replace(day=1)
    if month < first_month or month > window.value:
        raise ValidationFailed(
            _("Deze maand valt buiten de periode van ontzorgen. %s") % window.toelichting,
            code="ontzorgen_buiten_periode",
        )
    if item not in arrangement.items:
        raise ValidationFailed(_("Dit onderdeel hoort niet bij de afspraken over ontzorgen."))
    if not arrangement.machtiging_signed_on:
        raise ValidationFailed(_("Zonder getekende machtiging mag de gemeente niet betalen."))
    if amount <= 0:
        raise ValidationFailed(_("Vul een bedrag groter dan 0 in."))
    try:
        with transaction.atomic():
            payment = OntzorgenPayment.objects.create(
                arrangement=arrangement,
                item=item,
                month=month,
                amount=amount,
                payee=payee,
                paid_on=paid_on,
            )
    except IntegrityError as exc:
        raise ValidationFailed(_("Voor deze maand is dit onderdeel al betaald.")) from exc
    log_created(by=by, case=arrangement.case, object_type="ontzorgen_payment", obj=payment)
    return payment
