"""Fact tables (rebuilt by a job, never at page time), housing quota, benchmarks.

Facts hold no names and no BSN: one row per inburgeringstraject (`PersonFact`) and one per
participation spell (`SpellFact`). Indicators are computed from these rows only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from thuis.core.models import BaseModel


class PersonFact(models.Model):
    """One row per case: the dates and attributes the indicator catalogue needs.

    Fact tables are derived data written in bulk by the rebuild: no database foreign key (Django
    still deletes them with their municipality) and no index that no query uses. The key is the
    case's id, so a fact row is traceable to its source.
    """

    municipality = models.ForeignKey(
        "people.Municipality",
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        db_index=False,  # the (municipality, plicht_start) index serves it
    )
    case_id = models.BigIntegerField(primary_key=True)
    person_id = models.BigIntegerField()
    doelgroep = models.CharField(max_length=24)
    sex = models.CharField(max_length=1)
    age_at_plicht_start = models.PositiveSmallIntegerField()
    country_of_birth = models.CharField(max_length=2)
    plicht_start = models.DateField()
    koppeling_date = models.DateField(null=True)
    vestiging_date = models.DateField(null=True)
    intake_start = models.DateField(null=True)
    first_pip_date = models.DateField(null=True)
    pip_deadline = models.DateField(null=True)
    leerroute = models.CharField(max_length=16, blank=True)
    leerroute_date = models.DateField(null=True)
    termijn_end = models.DateField(null=True)
    plicht_end_date = models.DateField(null=True)
    plicht_end_reason = models.CharField(max_length=32, blank=True)
    # {component: {"first": iso, "passed": iso|None, "b1": iso|None}}
    exams = models.JSONField(default=dict)
    # Months N after plicht start with a covering spell, per kind: {"WERK": [6, 12], ...}
    covered_months = models.JSONField(default=dict)
    # A WERK/STAGE/VRIJWILLIGERSWERK spell covers vestiging + 6 months (None: no vestiging).
    participatie_6m_vestiging = models.BooleanField(null=True)
    # The law the case falls under: brede intake and PIP exist only under Wi2021.
    regime = models.CharField(max_length=8, blank=True, default="")
    rebuilt_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["municipality", "plicht_start"])]

    def __str__(self) -> str:
        return f"Feit traject {self.case_id}"


class SpellFact(models.Model):
    """One row per participation spell (work, volunteering, education, stage, bijstand...).

    Read per municipality and kind; joins to PersonFact by person_id are set-based (hash joins),
    so person_id has no index of its own (each index costs seconds per million rows rebuilt). The
    key is the id of the source spell (`partners.ParticipationSpell`).
    """

    spell_id = models.BigIntegerField(primary_key=True)
    municipality = models.ForeignKey(
        "people.Municipality",
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        db_index=False,  # the (municipality, kind) index serves it
    )
    person_id = models.BigIntegerField()
    kind = models.CharField(max_length=24)
    start = models.DateField()
    end = models.DateField(null=True)
    hours_per_week = models.DecimalField(max_digits=5, decimal_places=1, null=True)

    class Meta:
        indexes = [models.Index(fields=["municipality", "kind"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.start}–{self.end or ''}"


class FactRebuild(models.Model):
    """When the facts of a municipality were last rebuilt (shown on dashboards)."""

    municipality = models.OneToOneField(
        "people.Municipality", on_delete=models.CASCADE, related_name="+"
    )
    rebuilt_at = models.DateTimeField()
    persons = models.PositiveIntegerField(default=0)
    spells = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.municipality_id} {self.rebuilt_at:%Y-%m-%d %H:%M}"


class HousingQuota(BaseModel):
    """Taakstelling huisvesting vergunninghouders for one half year (Huisvestingswet art. 28)."""

    municipality = models.ForeignKey(
        "people.Municipality", on_delete=models.CASCADE, related_name="+"
    )
    period = models.CharField(_("halfjaar"), max_length=7, help_text="JJJJ-H1 of JJJJ-H2")
    persons = models.PositiveIntegerField(_("taakstelling (personen)"))
    source = models.CharField(_("bron"), max_length=255, blank=True)

    class Meta:
        ordering = ["municipality", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "period"],
                name="quota_unique_period",
                violation_error_code="taakstelling_bestaat",
                violation_error_message=_("Voor deze periode is al een taakstelling vastgelegd."),
            )
        ]
        verbose_name = _("taakstelling")
        verbose_name_plural = _("taakstellingen")

    def __str__(self) -> str:
        return f"{self.period}: {self.persons}"


class BenchmarkSet(BaseModel):
    """Suppressed aggregates from another gemeente (benchmark JSON, docs/indicators.md)."""

    source_code = models.CharField(max_length=4)
    source_name = models.CharField(max_length=100)
    peildatum = models.DateField()
    generated_at = models.DateTimeField()
    k = models.PositiveSmallIntegerField()
    indicators = models.JSONField(default=dict)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The gemeente that imported the set (only its users see it).
    owner = models.ForeignKey("people.Municipality", on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["source_name", "-peildatum"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "source_code", "peildatum"],
                name="benchmark_unique",
                violation_error_code="benchmark_bestaat",
                violation_error_message=_(
                    "Deze vergelijkingsbron is voor deze peildatum al ingelezen."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.source_name} {self.peildatum}"


class IndicatorSnapshot(models.Model):
    """The published (suppressed) dashboard tables of one gemeente, materialised by the fact
    rebuild so no page request computes them. `stamp` is the facts version they were computed
    from (`selectors.facts_stamp`); a rebuild deletes and replaces the snapshots."""

    municipality = models.ForeignKey(
        "people.Municipality", on_delete=models.CASCADE, related_name="+"
    )
    peildatum = models.DateField()
    k = models.PositiveSmallIntegerField()
    stamp = models.CharField(max_length=64)
    tables = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "peildatum", "k"],
                name="snapshot_unique",
                violation_error_code="momentopname_bestaat",
                violation_error_message=_("Voor deze peildatum is al een momentopname bewaard."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality_id} {self.peildatum} k={self.k}"
