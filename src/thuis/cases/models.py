from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from thuis.core.models import BaseModel

from .choices import (
    Alfabetisering,
    AppointmentKind,
    AppointmentOutcome,
    CaseStatus,
    Component,
    Doelgroep,
    EnforcementKind,
    ExamComponent,
    ExamResultValue,
    ExtensionStatus,
    GedetailleerdeDoelgroep,
    HoursKind,
    IntakeStatus,
    Intensiteit,
    Leerroute,
    LoanStatus,
    Niveau,
    OntzorgenItem,
    PipReason,
    PlichtEndReason,
    Regime,
)


class IntegrationCase(BaseModel):
    """An inburgeringstraject: one person's plicht in one gemeente, under one law regime.

    `status` changes only through `services.case_change_status` (which keeps the history).
    """

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="cases", verbose_name=_("persoon")
    )
    municipality = models.ForeignKey(
        "people.Municipality", on_delete=models.PROTECT, related_name="cases"
    )
    regime = models.CharField(_("wet"), max_length=8, choices=Regime.choices)
    plicht_start = models.DateField(_("start inburgeringsplicht"))
    koppeling_date = models.DateField(_("datum koppeling (COA)"), null=True, blank=True)
    vestiging_date = models.DateField(_("datum vestiging (BRP)"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.AANGEMELD
    )
    status_since = models.DateField(_("status sinds"))
    regisseur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="caseload",
        verbose_name=_("regisseur"),
    )
    team = models.ForeignKey(
        "accounts.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="cases"
    )
    kennisgeving_date = models.DateField(
        _("kennisgeving DUO (start 10 weken PIP)"), null=True, blank=True
    )
    third_party_info_received = models.DateField(
        _("informatie van derden ontvangen"),
        null=True,
        blank=True,
        help_text=_("Alleen invullen als de PIP wachtte op informatie van anderen."),
    )
    permit_asiel_bepaalde_tijd = models.BooleanField(
        _("verblijfsvergunning asiel bepaalde tijd"), default=True
    )
    recht_op_bijstand = models.BooleanField(_("recht op bijstand"), default=False)
    plicht_end_date = models.DateField(_("einde inburgeringsplicht"), null=True, blank=True)
    plicht_end_reason = models.CharField(
        _("reden einde plicht"), max_length=32, choices=PlichtEndReason.choices, blank=True
    )
    loan_status = models.CharField(
        _("DUO-lening (Wi2013)"),
        max_length=16,
        choices=LoanStatus.choices,
        default=LoanStatus.GEEN,
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-plicht_start"]
        verbose_name = _("inburgeringstraject")
        verbose_name_plural = _("inburgeringstrajecten")
        indexes = [
            models.Index(fields=["municipality", "status"]),
            models.Index(fields=["municipality", "plicht_start"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_regime_display()} – {self.person}"

    @property
    def cohort(self) -> int:
        return self.plicht_start.year

    def get_absolute_url(self) -> str:
        return reverse("cases:detail", kwargs={"pk": self.pk})


class DoelgroepPeriod(BaseModel):
    """Doelgroep history with begin and end date (DUO SS124/SS125 can switch it)."""

    case = models.ForeignKey(IntegrationCase, on_delete=models.CASCADE, related_name="doelgroepen")
    doelgroep = models.CharField(_("doelgroep"), max_length=24, choices=Doelgroep.choices)
    gedetailleerde_doelgroep = models.CharField(
        _("gedetailleerde doelgroep"), max_length=24, choices=GedetailleerdeDoelgroep.choices
    )
    start_date = models.DateField(_("begindatum"))
    end_date = models.DateField(_("einddatum"), null=True, blank=True)

    class Meta:
        ordering = ["case", "start_date"]

    def __str__(self) -> str:
        return f"{self.get_doelgroep_display()} vanaf {self.start_date}"


class CaseStatusChange(models.Model):
    case = models.ForeignKey(
        IntegrationCase, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(max_length=16, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=CaseStatus.choices)
    on_date = models.DateField(_("datum"))
    changed_at = models.DateTimeField(auto_now_add=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    reason = models.CharField(_("reden"), max_length=255, blank=True)

    class Meta:
        ordering = ["case", "on_date", "changed_at"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status} ({self.on_date})"


class BredeIntake(BaseModel):
    """The brede intake (Wi2021 art. 14): three statutory parts plus the practical domains.

    Health (physical and mental) is a special category and lives in `HealthNote`.
    """

    case = models.OneToOneField(IntegrationCase, on_delete=models.CASCADE, related_name="intake")
    status = models.CharField(
        max_length=16, choices=IntakeStatus.choices, default=IntakeStatus.GEPLAND
    )
    started_on = models.DateField(_("gestart op"), null=True, blank=True)
    completed_on = models.DateField(_("afgerond op"), null=True, blank=True)
    lbt_score = models.PositiveSmallIntegerField(
        _("score leerbaarheidstoets (0-40)"), null=True, blank=True
    )
    lbt_date = models.DateField(_("datum leerbaarheidstoets"), null=True, blank=True)
    lbt_outcome = models.CharField(_("uitslag leerbaarheidstoets"), max_length=16, blank=True)
    lbt_review = models.BooleanField(_("uitslag opnieuw bekijken"), default=False)
    education_history = models.TextField(_("opleiding in het land van herkomst"), blank=True)
    work_history = models.TextField(_("werkervaring in het land van herkomst"), blank=True)
    finances = models.TextField(_("financiën"), blank=True)
    housing = models.TextField(_("wonen"), blank=True)
    social_network = models.TextField(_("sociaal netwerk"), blank=True)
    family_childcare = models.TextField(_("gezin en kinderopvang"), blank=True)
    vve_children = models.TextField(_("voor- en vroegschoolse educatie (VVE) kinderen"), blank=True)
    participation_wishes = models.TextField(_("wensen voor werk en participatie"), blank=True)
    talk_without_partner_offered = models.BooleanField(
        _("gesprek zonder partner aangeboden"), default=False
    )
    talk_without_partner_held = models.BooleanField(
        _("gesprek zonder partner gevoerd"), default=False
    )

    class Meta:
        verbose_name = _("brede intake")

    def __str__(self) -> str:
        return f"Brede intake {self.case_id}"

    @property
    def statutory_parts_done(self) -> bool:
        return bool(
            self.lbt_outcome
            and (self.education_history or self.work_history)
            and self.case.health_notes.exists()
        )


class HealthNote(BaseModel):
    """Physical and mental health from the brede intake: special category (AVG art. 9).

    Visible only to the case's regisseur and the teamleider of the case's team.
    """

    case = models.ForeignKey(IntegrationCase, on_delete=models.CASCADE, related_name="health_notes")
    physical = models.TextField(_("lichamelijke gezondheid"), blank=True)
    mental = models.TextField(_("psychische gezondheid"), blank=True)
    impact = models.TextField(_("gevolgen voor inburgering en participatie"), blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Gezondheid {self.case_id} ({self.created_at:%Y-%m-%d})"


class Appointment(BaseModel):
    case = models.ForeignKey(IntegrationCase, on_delete=models.CASCADE, related_name="appointments")
    kind = models.CharField(_("soort"), max_length=16, choices=AppointmentKind.choices)
    scheduled_on = models.DateField(_("datum"))
    invitation_sent_on = models.DateField(_("uitnodiging verstuurd op"), null=True, blank=True)
    outcome = models.CharField(
        _("uitkomst"),
        max_length=16,
        choices=AppointmentOutcome.choices,
        default=AppointmentOutcome.GEPLAND,
    )

    class Meta:
        ordering = ["case", "scheduled_on"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.scheduled_on}"


class Pip(BaseModel):
    """A version of the PIP beschikking. Versions are never changed, only followed by a new one."""

    case = models.ForeignKey(IntegrationCase, on_delete=models.CASCADE, related_name="pips")
    version = models.PositiveSmallIntegerField(_("versie"))
    dagtekening = models.DateField(_("dagtekening"))
    leerroute = models.CharField(_("leerroute"), max_length=16, choices=Leerroute.choices)
    niveau = models.CharField(_("niveau"), max_length=2, choices=Niveau.choices, blank=True)
    pvt_intensiteit = models.CharField(
        _("intensiteit PVT"),
        max_length=16,
        choices=Intensiteit.choices,
        default=Intensiteit.STANDAARD,
    )
    map_intensiteit = models.CharField(
        _("intensiteit MAP"),
        max_length=16,
        choices=Intensiteit.choices,
        default=Intensiteit.STANDAARD,
        blank=True,
    )
    begeleiding = models.TextField(_("begeleiding"), blank=True)
    ondersteuning = models.TextField(_("ondersteuning"), blank=True)
    ontzorgen = models.BooleanField(_("ontzorgen"), default=False)
    voortgangsafspraken = models.TextField(_("afspraken over voortgang"), blank=True)
    alfabetisering = models.CharField(
        _("alfabetisering"),
        max_length=3,
        choices=Alfabetisering.choices,
        default=Alfabetisering.NVT,
    )
    geschatte_intensiteit_b1 = models.PositiveIntegerField(
        _("geschatte uren tot B1"), null=True, blank=True
    )
    mag_opleiding_afmaken = models.BooleanField(_("mag opleiding afmaken"), default=False)
    reason = models.CharField(_("reden"), max_length=16, choices=PipReason.choices)
    reason_text = models.CharField(_("toelichting reden"), max_length=255, blank=True)
    established_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["case", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "version"],
                name="pip_unique_version",
                violation_error_code="pip_versie_bestaat",
                violation_error_message=_("Deze PIP-versie bestaat al voor dit traject."),
            )
        ]
        verbose_name = _("PIP")

    def __str__(self) -> str:
        return f"PIP versie {self.version} ({self.dagtekening})"

    @property
    def taaldoel(self) -> str | None:
        """The language level this PIP aims at (the screen and the PIP document show this)."""
        from . import rules

        return rules.taaldoel(leerroute=self.leerroute, niveau=self.niveau)


class TermijnExtension(BaseModel):
    case = models.ForeignKey(IntegrationCase, on_delete=models.CASCADE, related_name="extensions")
    months = models.PositiveSmallIntegerField(_("aantal maanden"))
    status = models.CharField(_("status"), max_length=16, choices=ExtensionStatus.choices)
    decided_on = models.DateField(_("datum besluit of aanvraag"))
    grondcode = models.CharField(_("verlengingsgrond (DUO)"), max_length=10, blank=True)
    alfabetisering = models.BooleanField(
        _("verlenging voor alfabetisering (Wi2013)"), default=False
    )

    class Meta:
        ordering = ["case", "decided_on"]

    def __str__(self) -> str:
        return f"{self.months} mnd ({self.get_status_display()})"


class ProgressTalk(BaseModel):
    case = models.ForeignKey(
        IntegrationCase, on_delete=models.CASCADE, related_name="progress_talks"
    )
    held_on = models.DateField(_("datum gesprek"))
    summary = models.TextField(_("samenvatting"))
    agreements = models.TextField(_("afspraken"), blank=True)
    held_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["case", "-held_on"]

    def __str__(self) -> str:
        return f"Voortgangsgesprek {self.held_on}"


class ExamResult(BaseModel):
    case = models.ForeignKey(IntegrationCase, on_delete=models.CASCADE, related_name="exams")
    component = models.CharField(_("onderdeel"), max_length=16, choices=ExamComponent.choices)
    #: Empty for KNM and ONA (one exam without a CEFR level, `rules.exam_validate`).
    level = models.CharField(_("niveau"), max_length=2, choices=Niveau.choices, blank=True)
    exam_date = models.DateField(_("examendatum"))
    result = models.CharField(_("uitslag"), max_length=16, choices=ExamResultValue.choices)
    attempt = models.PositiveSmallIntegerField(_("poging"), default=1)

    class Meta:
        ordering = ["case", "component", "exam_date"]

    def __str__(self) -> str:
        return f"{self.get_component_display()} {self.level}: {self.get_result_display()}"


class HoursRecord(BaseModel):
    case = models.ForeignKey(IntegrationCase, on_delete=models.CASCADE, related_name="hours")
    kind = models.CharField(_("soort uren"), max_length=16, choices=HoursKind.choices)
    period_start = models.DateField(_("van"))
    period_end = models.DateField(_("tot en met"))
    hours = models.DecimalField(_("uren"), max_digits=7, decimal_places=2)
    source = models.CharField(_("bron"), max_length=100, blank=True)

    class Meta:
        ordering = ["case", "period_start"]

    def __str__(self) -> str:
        return f"{self.hours} uur {self.get_kind_display()}"


class ComponentCompletion(BaseModel):
    """PVT, MAP, Z-route, taalschakeltraject or ONA completed (with DUO's verwijtbaarheid)."""

    case = models.ForeignKey(IntegrationCase, on_delete=models.CASCADE, related_name="completions")
    component = models.CharField(_("onderdeel"), max_length=24, choices=Component.choices)
    completed_on = models.DateField(_("afgerond op"))
    verwijtbaar = models.CharField(_("verwijtbaar (DUO)"), max_length=3, blank=True)

    class Meta:
        ordering = ["case", "completed_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "component"],
                name="completion_unique",
                violation_error_code="onderdeel_al_afgerond",
                violation_error_message=_("Dit onderdeel is voor dit traject al afgerond."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_component_display()} {self.completed_on}"


class OntzorgenArrangement(BaseModel):
    """Ontzorgen (Participatiewet art. 56a): fixed costs paid from bijstand for 6 months."""

    case = models.OneToOneField(IntegrationCase, on_delete=models.CASCADE, related_name="ontzorgen")
    bijstand_start = models.DateField(_("start bijstand"))
    bijstand_end = models.DateField(_("einde bijstand"), null=True, blank=True)
    machtiging_signed_on = models.DateField(_("machtiging getekend op"), null=True, blank=True)
    items = models.JSONField(_("onderdelen"), default=list)
    refused = models.BooleanField(_("weigert mee te werken"), default=False)

    def __str__(self) -> str:
        return f"Ontzorgen vanaf {self.bijstand_start}"


class OntzorgenPayment(BaseModel):
    arrangement = models.ForeignKey(
        OntzorgenArrangement, on_delete=models.CASCADE, related_name="payments"
    )
    item = models.CharField(_("onderdeel"), max_length=16, choices=OntzorgenItem.choices)
    month = models.DateField(_("maand"))
    amount = models.DecimalField(_("bedrag"), max_digits=9, decimal_places=2)
    payee = models.CharField(_("betaald aan"), max_length=200)
    paid_on = models.DateField(_("betaald op"))

    class Meta:
        ordering = ["arrangement", "month", "item"]
        constraints = [
            models.UniqueConstraint(
                fields=["arrangement", "item", "month"],
                name="ontzorgen_payment_unique",
                violation_error_code="betaling_bestaat",
                violation_error_message=_("Deze betaling is voor deze maand al vastgelegd."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_item_display()} {self.month:%Y-%m}: {self.amount}"


class EnforcementMeasure(BaseModel):
    case = models.ForeignKey(IntegrationCase, on_delete=models.CASCADE, related_name="measures")
    kind = models.CharField(_("soort"), max_length=24, choices=EnforcementKind.choices)
    on_date = models.DateField(_("datum"))
    amount = models.DecimalField(_("bedrag"), max_digits=9, decimal_places=2, null=True, blank=True)
    appointment = models.ForeignKey(
        Appointment, null=True, blank=True, on_delete=models.SET_NULL, related_name="measures"
    )
    description = models.CharField(_("toelichting"), max_length=255, blank=True)

    class Meta:
        ordering = ["case", "on_date"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on_date}"


class CaseSignal(BaseModel):
    """A work-queue item computed by the daily job from `rules.signals`."""

    case = models.ForeignKey(IntegrationCase, on_delete=models.CASCADE, related_name="signals")
    code = models.CharField(_("signaal"), max_length=32)
    due_date = models.DateField(_("datum"))
    message = models.CharField(_("melding"), max_length=255)
    raised_on = models.DateField(_("gesignaleerd op"))
    resolved_on = models.DateField(_("opgelost op"), null=True, blank=True)

    class Meta:
        ordering = ["due_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "code"],
                condition=models.Q(resolved_on__isnull=True),
                name="signal_one_open_per_code",
                violation_error_code="signaal_al_open",
                violation_error_message=_("Dit signaal staat al open voor dit traject."),
            )
        ]
        indexes = [models.Index(fields=["resolved_on", "due_date"])]

    def __str__(self) -> str:
        return f"{self.code} {self.due_date}"
