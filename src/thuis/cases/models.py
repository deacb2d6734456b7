from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from thuis.core.models import BaseModel

from .choices import CaseStatus, Doelgroep, GedetailleerdeDoelgroep, Regime


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
        return reverse("people:detail", kwargs={"pk": self.person_id}) + f"#traject-{self.pk}"


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
