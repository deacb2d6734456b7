"""Finance: amounts per inburgeringsplichtige, budget lines, actual costs and forecast scenarios.

Money is stored as Decimal with two decimals (cents). No table here holds personal data:
costs are booked per category and provider, commitments are computed from case counts.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from thuis.core.models import BaseModel

from .choices import BudgetSource, CostCategory, CostOrigin, ImportStatus, RateKind

MONEY: dict[str, Any] = {"max_digits": 14, "decimal_places": 2}
YEAR_VALIDATORS = [MinValueValidator(2000), MaxValueValidator(2100)]


class PerCapitaRate(BaseModel):
    """Amount per inburgeringsplichtige (or per traject) for one year.

    Rows without a municipality are national defaults (seeded as estimates, see migration 0002);
    a row for a municipality overrides the default for that year.
    """

    municipality = models.ForeignKey(
        "people.Municipality",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="finance_rates",
        verbose_name=_("gemeente"),
    )
    year = models.PositiveSmallIntegerField(_("jaar"), validators=YEAR_VALIDATORS)
    kind = models.CharField(_("soort"), max_length=24, choices=RateKind.choices)
    amount = models.DecimalField(_("bedrag"), validators=[MinValueValidator(0)], **MONEY)
    is_estimate = models.BooleanField(_("schatting"), default=True)
    source = models.CharField(_("bron"), max_length=300, blank=True)

    class Meta:
        ordering = ["kind", "year"]
        verbose_name = _("bedrag per inburgeringsplichtige")
        verbose_name_plural = _("bedragen per inburgeringsplichtige")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year", "kind"],
                name="finance_rate_unique_municipality",
                violation_error_code="bedrag_bestaat",
                violation_error_message=_(
                    "Voor dit jaar en deze soort is al een bedrag vastgelegd."
                ),
                condition=Q(municipality__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["year", "kind"],
                name="finance_rate_unique_national",
                violation_error_code="landelijk_bedrag_bestaat",
                violation_error_message=_(
                    "Voor dit jaar en deze soort is al een landelijk bedrag vastgelegd."
                ),
                condition=Q(municipality__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.year}: {self.amount}"


class BudgetLine(BaseModel):
    """A budgeted amount for one year and one source (begroting)."""

    municipality = models.ForeignKey(
        "people.Municipality", on_delete=models.CASCADE, related_name="budget_lines"
    )
    year = models.PositiveSmallIntegerField(_("jaar"), validators=YEAR_VALIDATORS)
    source = models.CharField(_("bron"), max_length=24, choices=BudgetSource.choices)
    description = models.CharField(_("omschrijving"), max_length=200, blank=True)
    amount = models.DecimalField(_("bedrag"), **MONEY)
    reference = models.CharField(
        _("vindplaats"), max_length=300, blank=True, help_text=_("Bijvoorbeeld de begroting.")
    )

    class Meta:
        ordering = ["municipality", "year", "source", "pk"]
        verbose_name = _("begrotingsregel")
        verbose_name_plural = _("begrotingsregels")
        indexes = [models.Index(fields=["municipality", "year"])]

    def __str__(self) -> str:
        return f"{self.year} {self.get_source_display()}: {self.amount}"


class CostImport(BaseModel):
    """One uploaded file of actual costs. Kept as preview until confirmed (all-or-nothing)."""

    municipality = models.ForeignKey(
        "people.Municipality", on_delete=models.CASCADE, related_name="cost_imports"
    )
    filename = models.CharField(_("bestandsnaam"), max_length=200)
    checksum = models.CharField(_("controlegetal (SHA-256)"), max_length=64, db_index=True)
    content = models.BinaryField(_("inhoud"), editable=False)
    status = models.CharField(
        _("status"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.PREVIEW
    )
    rows_total = models.PositiveIntegerField(_("regels"), default=0)
    rows_created = models.PositiveIntegerField(_("nieuwe regels"), default=0)
    rows_skipped = models.PositiveIntegerField(_("al aanwezig"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    processed_at = models.DateTimeField(_("verwerkt op"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import van kosten")
        verbose_name_plural = _("imports van kosten")

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"


class CostEntry(BaseModel):
    """An actual cost (realisatie), entered by hand or imported from the financial system."""

    municipality = models.ForeignKey(
        "people.Municipality", on_delete=models.CASCADE, related_name="cost_entries"
    )
    booked_on = models.DateField(_("boekdatum"))
    year = models.PositiveSmallIntegerField(_("jaar"), validators=YEAR_VALIDATORS)
    category = models.CharField(_("soort kosten"), max_length=24, choices=CostCategory.choices)
    provider = models.CharField(_("leverancier"), max_length=200, blank=True)
    description = models.CharField(_("omschrijving"), max_length=300, blank=True)
    amount = models.DecimalField(_("bedrag"), **MONEY)
    hours = models.DecimalField(_("uren"), max_digits=9, decimal_places=2, null=True, blank=True)
    hourly_rate = models.DecimalField(
        _("uurtarief"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    origin = models.CharField(
        _("herkomst"), max_length=8, choices=CostOrigin.choices, default=CostOrigin.MANUAL
    )
    row_key = models.CharField(
        _("regelsleutel"),
        max_length=100,
        help_text=_("Kenmerk uit het financiële systeem of een controlegetal van de regel."),
    )
    cost_import = models.ForeignKey(
        CostImport, null=True, blank=True, on_delete=models.SET_NULL, related_name="entries"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-booked_on", "-pk"]
        verbose_name = _("kostenregel")
        verbose_name_plural = _("kostenregels")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "row_key"],
                name="finance_cost_unique_row_key",
                violation_error_code="kostenregel_bestaat",
                violation_error_message=_("Deze kostenregel bestaat al."),
            )
        ]
        indexes = [models.Index(fields=["municipality", "year", "category"])]

    def __str__(self) -> str:
        return f"{self.booked_on} {self.get_category_display()}: {self.amount}"


class Scenario(BaseModel):
    """A named forecast scenario. Its parameters live in versions; the newest one counts."""

    municipality = models.ForeignKey(
        "people.Municipality", on_delete=models.CASCADE, related_name="finance_scenarios"
    )
    name = models.CharField(_("naam"), max_length=120)
    description = models.TextField(_("toelichting"), blank=True)
    is_default = models.BooleanField(_("standaardscenario"), default=False)
    version = models.PositiveIntegerField(_("versie"), default=0)

    class Meta:
        ordering = ["municipality", "-is_default", "name"]
        verbose_name = _("scenario")
        verbose_name_plural = _("scenario's")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"],
                name="finance_scenario_unique_name",
                violation_error_code="scenario_naam_bestaat",
                violation_error_message=_("Er is al een scenario met deze naam."),
            ),
            models.UniqueConstraint(
                fields=["municipality"],
                condition=Q(is_default=True),
                name="finance_scenario_one_default",
                violation_error_code="standaardscenario_bestaat",
                violation_error_message=_(
                    "Er is al een standaardscenario. Er kan er maar één zijn."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ScenarioVersion(models.Model):
    """Immutable set of parameters. `checksum` is the SHA-256 of the canonical JSON."""

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("versie"))
    parameters = models.JSONField(_("parameters"))
    checksum = models.CharField(max_length=64)
    note = models.CharField(_("toelichting bij de wijziging"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["scenario", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["scenario", "number"],
                name="finance_scenario_version_unique",
                violation_error_code="scenarioversie_bestaat",
                violation_error_message=_("Dit scenario heeft al een versie met dit nummer."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.scenario} v{self.number}"
