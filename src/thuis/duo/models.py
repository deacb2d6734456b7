"""Inbox (notifications from DUO), outbox (deliveries to DUO), signals and the DUO view of a case.

Rows change only through `duo.services`. The inbox keeps the raw notification exactly as
received, so processing can always be repeated from it (SECURITY.md G13/G15).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from thuis.core.models import BaseModel, OutboxItem

from .choices import EventKind, InboxStatus, SignalStatus, event_description


class InboxMessage(OutboxItem):
    """One notification received on `POST /duo/v1/notificaties`, stored before it is processed.

    Processing runs through the core outbox (`thuis.core.outbox`, outbox `duo_inbox`): claim
    with a lease, backoff, dead letters. The idempotency key is DUO's own `bericht_id`.
    """

    idempotency_key = None  # type: ignore[assignment]  # DUO's berichtId is the key
    last_error = None  # type: ignore[assignment]  # the column is called `error`

    bericht_id = models.UUIDField(_("berichtId"), unique=True)
    bron = models.CharField(_("bron (OIN)"), max_length=20)
    doel = models.CharField(_("doel (OIN)"), max_length=20)
    headers = models.JSONField(_("headers"), default=dict)
    body = models.TextField(_("bericht zoals ontvangen"))
    gebeurtenis_id = models.CharField(_("gebeurtenis"), max_length=6, db_index=True)
    registratie_datum_tijd = models.DateTimeField(_("registratiedatum en -tijd bij DUO"))
    bsn = models.CharField(_("BSN"), max_length=9, blank=True)
    v_nummer = models.BigIntegerField(_("v-nummer"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=InboxStatus.choices, default=InboxStatus.RECEIVED
    )
    error = models.TextField(_("fout"), blank=True)
    processed_at = models.DateTimeField(_("verwerkt op"), null=True, blank=True)
    municipality = models.ForeignKey(
        "people.Municipality",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("gemeente"),
    )
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    case = models.ForeignKey(
        "cases.IntegrationCase",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duo_inbox",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("DUO-notificatie")
        verbose_name_plural = _("DUO-notificaties")
        indexes = [models.Index(fields=["status", "claimed_at"])]

    def __str__(self) -> str:
        return f"{self.gebeurtenis_id} {self.bericht_id}"

    @property
    def description(self) -> str:
        return event_description(self.gebeurtenis_id) or str(_("Onbekende gebeurtenis"))


class OutboxMessage(OutboxItem):
    """One delivery to DUO (core outbox `duo_outbox`). `idempotency_key` is sent as berichtId
    on every attempt."""

    api = models.CharField(_("API"), max_length=32)
    operation = models.CharField(_("operatie"), max_length=64)
    description = models.CharField(_("omschrijving"), max_length=200)
    bsn = models.CharField(_("BSN"), max_length=9, blank=True)
    path_params = models.JSONField(_("padparameters (zonder BSN)"), default=dict, blank=True)
    payload = models.JSONField(_("inhoud"), null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    sent_at = models.DateTimeField(_("verzonden op"), null=True, blank=True)
    municipality = models.ForeignKey(
        "people.Municipality",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("gemeente"),
    )
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    case = models.ForeignKey(
        "cases.IntegrationCase",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duo_outbox",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("levering aan DUO")
        verbose_name_plural = _("leveringen aan DUO")
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.operation} {self.idempotency_key}"


class DuoSignal(BaseModel):
    """A signal for the regisseur (or beheerder) raised by a DUO notification or delivery."""

    municipality = models.ForeignKey(
        "people.Municipality", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    case = models.ForeignKey(
        "cases.IntegrationCase",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="duo_signals",
    )
    inbox_message = models.ForeignKey(
        InboxMessage, null=True, blank=True, on_delete=models.SET_NULL, related_name="signals"
    )
    code = models.CharField(_("code"), max_length=32)
    kind = models.CharField(_("soort"), max_length=16, choices=EventKind.choices)
    title = models.CharField(_("titel"), max_length=200)
    text = models.TextField(_("toelichting"), blank=True)
    due_date = models.DateField(_("uiterste datum"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=SignalStatus.choices, default=SignalStatus.OPEN
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["status", "-created_at", "-id"]
        verbose_name = _("DUO-signaal")
        verbose_name_plural = _("DUO-signalen")
        indexes = [models.Index(fields=["municipality", "status"])]

    def __str__(self) -> str:
        return f"{self.code}: {self.title}"


class DuoCaseState(BaseModel):
    """What DUO says about a case: the PIP clock, the termijn and the last resources read."""

    case = models.OneToOneField(
        "cases.IntegrationCase", on_delete=models.CASCADE, related_name="duo_state"
    )
    kennisgeving_date = models.DateField(_("kennisgeving DUO (10 weken gestart)"), null=True)
    pip_deadline = models.DateField(_("PIP uiterlijk"), null=True, blank=True)
    pip_dagtekening = models.DateField(_("dagtekening PIP bekend bij DUO"), null=True, blank=True)
    termijn_start = models.DateField(_("start inburgeringstermijn"), null=True, blank=True)
    termijn_end = models.DateField(_("einde inburgeringstermijn"), null=True, blank=True)
    verlengingsgrond = models.CharField(_("verlengingsgrond"), max_length=200, blank=True)
    resources = models.JSONField(_("laatst gelezen bij DUO"), default=dict, blank=True)

    class Meta:
        verbose_name = _("DUO-gegevens van een traject")
        verbose_name_plural = _("DUO-gegevens van trajecten")

    def __str__(self) -> str:
        return f"DUO {self.case_id}"
