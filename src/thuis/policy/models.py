"""Policy cycle: plan van aanpak, evaluation report, council documents, frozen versions.

No table here holds personal data: the plan and the report are about groups, and every figure
in a report comes from the (suppressed) indicator layer. State changes go through services.py.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from thuis.core.models import BaseModel, OutboxItem

from .choices import (
    ActionStatus,
    Comparison,
    CouncilDocument,
    DocumentKind,
    FileFormat,
    JobStatus,
    VersionStatus,
)


class Plan(BaseModel):
    """A plan van aanpak, e.g. 'Thuis in Dalfsen' (adopted by the council on 18 April 2017)."""

    municipality = models.ForeignKey(
        "people.Municipality", on_delete=models.PROTECT, related_name="policy_plans"
    )
    title = models.CharField(_("naam van de aanpak"), max_length=200)
    adopted_on = models.DateField(_("vastgesteld op"), null=True, blank=True)
    adopted_by = models.CharField(_("vastgesteld door"), max_length=100, default="gemeenteraad")
    vision = models.TextField(_("visie en doel"), blank=True)

    class Meta:
        ordering = ["municipality", "-adopted_on", "title"]
        verbose_name = _("plan van aanpak")
        verbose_name_plural = _("plannen van aanpak")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "title"],
                name="plan_unique_title",
                violation_error_code="plan_titel_bestaat",
                violation_error_message=_("Er is al een plan van aanpak met deze titel."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("policy:plan", kwargs={"pk": self.pk})


class Theme(BaseModel):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="themes")
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    title = models.CharField(_("thema"), max_length=200)
    description = models.TextField(_("toelichting"), blank=True)

    class Meta:
        ordering = ["plan", "order", "pk"]
        verbose_name = _("thema")
        verbose_name_plural = _("thema's")

    def __str__(self) -> str:
        return self.title


class Goal(BaseModel):
    """A goal with a target, linked to an indicator code ('75% participeert na zes maanden')."""

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="goals")
    description = models.CharField(_("doel"), max_length=300)
    indicator_code = models.CharField(_("indicator"), max_length=64, blank=True)
    comparison = models.CharField(
        _("vergelijking"), max_length=3, choices=Comparison.choices, default=Comparison.AT_LEAST
    )
    target_value = models.DecimalField(
        _("streefwaarde"), max_digits=6, decimal_places=1, null=True, blank=True
    )

    class Meta:
        ordering = ["theme", "pk"]
        verbose_name = _("doel")
        verbose_name_plural = _("doelen")
        constraints = [
            models.CheckConstraint(
                condition=Q(indicator_code="") | Q(target_value__isnull=False),
                name="goal_indicator_needs_target",
                violation_error_code="doel_zonder_streefwaarde",
                violation_error_message=_("Vul een streefwaarde in als u een indicator kiest."),
            )
        ]

    def __str__(self) -> str:
        return self.description


class Action(BaseModel):
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(_("actie"), max_length=200)
    description = models.TextField(_("toelichting"), blank=True)
    owner = models.ForeignKey(
        "partners.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="policy_actions",
        verbose_name=_("eigenaar (organisatie)"),
    )
    planned_start = models.DateField(_("geplande start"), null=True, blank=True)
    planned_end = models.DateField(_("gepland einde"), null=True, blank=True)
    actual_start = models.DateField(_("echte start"), null=True, blank=True)
    actual_end = models.DateField(_("echt einde"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    evidence = models.TextField(_("resultaat en bewijs"), blank=True)

    class Meta:
        ordering = ["theme", "planned_start", "pk"]
        verbose_name = _("actie")
        verbose_name_plural = _("acties")
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end__isnull=True)
                | Q(planned_start__isnull=True)
                | Q(planned_end__gte=models.F("planned_start")),
                name="action_planned_end_after_start",
                violation_error_code="actie_gepland_einde_voor_start",
                violation_error_message=_(
                    "De geplande einddatum ligt vóór de geplande startdatum."
                ),
            ),
            models.CheckConstraint(
                condition=Q(actual_end__isnull=True)
                | Q(actual_start__isnull=True)
                | Q(actual_end__gte=models.F("actual_start")),
                name="action_actual_end_after_start",
                violation_error_code="actie_einde_voor_start",
                violation_error_message=_(
                    "De werkelijke einddatum ligt vóór de werkelijke startdatum."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Report(BaseModel):
    """An evaluation report with its council document (raadsvoorstel or raadsinformatiebrief).

    Text fields are edited by the beleidsmedewerker; figures are read at generation time and
    frozen in a ReportVersion when published.
    """

    municipality = models.ForeignKey(
        "people.Municipality", on_delete=models.PROTECT, related_name="policy_reports"
    )
    plan = models.ForeignKey(
        Plan, null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    approach = models.CharField(_("naam van de aanpak"), max_length=200)
    peildatum = models.DateField(_("peildatum van de cijfers"))
    period_start = models.DateField(
        _("terugblik vanaf"),
        help_text=_("Gesprekken en enquêtes vanaf deze datum tellen mee."),
    )
    figures = models.JSONField(_("indicatoren in het rapport"), default=list, blank=True)
    developments = models.TextField(_("ontwikkelingen"), blank=True)
    next_steps = models.TextField(_("vervolgstappen"), blank=True)
    advice_id = models.PositiveIntegerField(_("advies van de adviesraad"), null=True, blank=True)
    finance_year = models.PositiveSmallIntegerField(
        _("jaar voor de financiën"), null=True, blank=True
    )
    council_document = models.CharField(
        _("soort raadsstuk"),
        max_length=24,
        choices=CouncilDocument.choices,
        default=CouncilDocument.RAADSVOORSTEL,
    )
    doel = models.TextField(_("doel"), blank=True)
    inleiding = models.TextField(_("inleiding"), blank=True)
    kernboodschap = models.TextField(_("kernboodschap"), blank=True)
    duurzaamheid = models.TextField(_("duurzaamheid"), blank=True, default="Niet van toepassing")
    communicatie = models.TextField(_("communicatie"), blank=True)
    vervolg = models.TextField(_("vervolg"), blank=True)
    burgemeester = models.CharField(_("naam burgemeester"), max_length=100, blank=True)
    secretaris = models.CharField(_("naam gemeentesecretaris"), max_length=100, blank=True)
    secretaris_title = models.CharField(
        _("functie gemeentesecretaris"), max_length=100, default="de gemeentesecretaris"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-peildatum", "-pk"]
        verbose_name = _("evaluatierapport")
        verbose_name_plural = _("evaluatierapporten")

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return f"Evaluatie en doorontwikkeling ‘{self.approach}’"

    def get_absolute_url(self) -> str:
        return reverse("policy:report", kwargs={"pk": self.pk})


class AttentionPoint(BaseModel):
    """An aandachtspunt: suggested by a rule from the data (with evidence) or written by hand."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="attention_points")
    rule = models.CharField(_("regel"), max_length=40, blank=True)
    title = models.CharField(_("aandachtspunt"), max_length=200)
    text = models.TextField(_("toelichting"), blank=True)
    evidence = models.TextField(_("onderbouwing uit de cijfers"), blank=True)
    include = models.BooleanField(_("opnemen in het rapport"), default=True)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        ordering = ["report", "order", "pk"]
        verbose_name = _("aandachtspunt")
        verbose_name_plural = _("aandachtspunten")

    def __str__(self) -> str:
        return self.title


class ReportVersion(BaseModel):
    """The rendered report at one moment. A published version is frozen: never changed again."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("versienummer"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    peildatum = models.DateField(_("peildatum"))
    snapshot = models.JSONField(_("alle cijfers en teksten"))
    snapshot_sha256 = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(_("vastgesteld op"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["report", "-created_at", "-pk"]
        verbose_name = _("rapportversie")
        verbose_name_plural = _("rapportversies")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "number"],
                name="reportversion_unique_number",
                violation_error_code="rapportversie_nummer_bestaat",
                violation_error_message=_("Dit rapport heeft al een versie met dit nummer."),
            ),
            models.CheckConstraint(
                condition=Q(status=VersionStatus.DRAFT) | Q(number__isnull=False),
                name="reportversion_published_has_number",
                violation_error_code="rapportversie_zonder_nummer",
                violation_error_message=_("Een gepubliceerde versie heeft een versienummer nodig."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report} v{self.number}" if self.number else f"{self.report} (concept)"

    @property
    def is_published(self) -> bool:
        return self.status == VersionStatus.PUBLISHED


class ReportFile(models.Model):
    """Rendered bytes of one document in one format, with a SHA-256 checksum."""

    version = models.ForeignKey(ReportVersion, on_delete=models.CASCADE, related_name="files")
    document = models.CharField(max_length=10, choices=DocumentKind.choices)
    fmt = models.CharField(max_length=4, choices=FileFormat.choices)
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()

    class Meta:
        ordering = ["version", "document", "fmt"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "document", "fmt"],
                name="reportfile_unique_format",
                violation_error_code="rapportbestand_bestaat",
                violation_error_message=_("Deze versie heeft dit bestand al in dit formaat."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.document}.{self.fmt}"


class ReportJob(BaseModel):
    """A background generation of a report (progress shown in the UI)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="jobs")
    peildatum = models.DateField(_("peildatum"))
    status = models.CharField(
        _("status"), max_length=8, choices=JobStatus.choices, default=JobStatus.PENDING
    )
    progress = models.PositiveSmallIntegerField(_("voortgang (%)"), default=0)
    message = models.CharField(_("stap"), max_length=200, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.ForeignKey(
        ReportVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("rapportopdracht")
        verbose_name_plural = _("rapportopdrachten")

    def __str__(self) -> str:
        return f"{self.report}: {self.get_status_display()}"

    @property
    def finished(self) -> bool:
        return self.status in {JobStatus.DONE, JobStatus.FAILED}


class Distribution(OutboxItem):
    """One e-mail of a published report to one partner contact (core outbox
    `policy_distribution`, with an idempotency key)."""

    version = models.ForeignKey(
        ReportVersion, on_delete=models.PROTECT, related_name="distributions"
    )
    organisation = models.ForeignKey(
        "partners.Organisation", on_delete=models.PROTECT, related_name="policy_distributions"
    )
    contact_name = models.CharField(_("contactpersoon"), max_length=200, blank=True)
    email = models.EmailField(_("e-mailadres"))
    sent_at = models.DateTimeField(_("verzonden op"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["version", "organisation", "email"]
        verbose_name = _("verzending")
        verbose_name_plural = _("verzendingen")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "email"],
                name="distribution_unique_email",
                violation_error_code="verzending_bestaat",
                violation_error_message=_(
                    "Dit e-mailadres staat al in de verzendlijst van deze versie."
                ),
            )
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.email} ({self.get_status_display()})"
