"""Partners: organisations, contracts, referrals, partner reports, participation and support.

State changes go through `services.py`; these classes only hold data.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from thuis.core.models import BaseModel, OutboxItem
from thuis.core.validators import refuse_bidi_controls

from .choices import (
    ContactCommunity,
    ContactKind,
    ContractType,
    ContractUnit,
    CostCategory,
    DeliveryStatus,
    EndReason,
    LanguageProviderQuality,
    OrganisationKind,
    ReferralStatus,
    ReferralType,
    ReportKind,
    SpellKind,
    SpellSource,
)

__all__ = [
    "Contract",
    "Notification",
    "Organisation",
    "OrganisationContact",
    "OrganisationKind",
    "ParticipationSpell",
    "PartnerReport",
    "Referral",
    "ReferralTransition",
    "SupportContact",
]

OPEN_REFERRAL_STATUSES = (ReferralStatus.SENT, ReferralStatus.ACCEPTED, ReferralStatus.ACTIVE)


class Organisation(BaseModel):
    """A partner organisation (VluchtelingenWerk, taalaanbieder, werkgever, ...)."""

    name = models.CharField(_("naam"), max_length=200)
    kind = models.CharField(_("soort"), max_length=16, choices=OrganisationKind.choices)
    quality = models.CharField(
        _("keurmerk (taalaanbieder)"),
        max_length=16,
        choices=LanguageProviderQuality.choices,
        default=LanguageProviderQuality.NONE,
        blank=True,
    )
    email = models.EmailField(_("algemeen e-mailadres"), blank=True)
    phone = models.CharField(_("algemeen telefoonnummer"), max_length=20, blank=True)
    municipalities = models.ManyToManyField(
        "people.Municipality", related_name="organisations", blank=True
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("partnerorganisatie")
        verbose_name_plural = _("partnerorganisaties")

    def __str__(self) -> str:
        return self.name


class OrganisationContact(BaseModel):
    """A contact person at a partner (not a user account)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("naam"), max_length=200, validators=[refuse_bidi_controls])
    function = models.CharField(_("functie"), max_length=100, blank=True)
    email = models.EmailField(_("e-mailadres"), blank=True)
    phone = models.CharField(_("telefoonnummer"), max_length=20, blank=True)

    class Meta:
        ordering = ["organisation", "name"]
        verbose_name = _("contactpersoon")
        verbose_name_plural = _("contactpersonen")

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"


class Contract(BaseModel):
    """What the gemeente buys from a partner, at which price, in which period."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="contracts"
    )
    municipality = models.ForeignKey(
        "people.Municipality", on_delete=models.PROTECT, related_name="partner_contracts"
    )
    product = models.CharField(_("product of dienst"), max_length=200)
    referral_type = models.CharField(
        _("soort verwijzing"), max_length=16, choices=ReferralType.choices
    )
    unit = models.CharField(_("eenheid"), max_length=16, choices=ContractUnit.choices)
    price = models.DecimalField(
        _("prijs per eenheid (euro)"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )
    start_date = models.DateField(_("ingangsdatum"))
    end_date = models.DateField(_("einddatum"), null=True, blank=True)
    max_units = models.PositiveIntegerField(_("maximaal aantal eenheden"), null=True, blank=True)
    cost_category = models.CharField(
        _("kostensoort bij Financiën"),
        max_length=24,
        blank=True,
        choices=CostCategory.choices,
        help_text=_(
            "Bijvoorbeeld MAP, PVT, tolk of kinderopvang. Leeg: volgt uit de soort verwijzing "
            "en de leerroute in het PIP."
        ),
    )

    class Meta:
        ordering = ["organisation", "-start_date"]
        verbose_name = _("contract")
        verbose_name_plural = _("contracten")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="contract_end_after_start",
                violation_error_code="contract_einde_voor_start",
                violation_error_message=_("De einddatum van het contract ligt vóór de startdatum."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.product}"


class Referral(BaseModel):
    """A verwijzing: one person shared with one organisation for one purpose.

    At most one open referral exists per person, organisation and purpose (a double submit of
    "share with partner" returns the open one).
    """

    municipality = models.ForeignKey(
        "people.Municipality", on_delete=models.PROTECT, related_name="referrals"
    )
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="referrals")
    case = models.ForeignKey(
        "cases.IntegrationCase",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="referrals",
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="referrals"
    )
    contract = models.ForeignKey(
        Contract, null=True, blank=True, on_delete=models.SET_NULL, related_name="referrals"
    )
    referral_type = models.CharField(
        _("doel van de verwijzing"), max_length=16, choices=ReferralType.choices
    )
    purpose = models.CharField(_("toelichting voor de partner"), max_length=500, blank=True)
    consent_on = models.DateField(_("toestemming gegeven op"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ReferralStatus.choices, default=ReferralStatus.SENT
    )
    sent_on = models.DateField(_("verstuurd op"))
    decided_on = models.DateField(_("besloten op"), null=True, blank=True)
    started_on = models.DateField(_("gestart op"), null=True, blank=True)
    ended_on = models.DateField(_("beëindigd op"), null=True, blank=True)
    end_reason = models.CharField(
        _("reden einde"), max_length=16, choices=EndReason.choices, blank=True
    )
    status_reason = models.CharField(_("toelichting status"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-sent_on", "-id"]
        verbose_name = _("verwijzing")
        verbose_name_plural = _("verwijzingen")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organisation", "referral_type"],
                condition=Q(status__in=["sent", "accepted", "active"]),
                name="referral_one_open_per_purpose",
                violation_error_code="verwijzing_al_open",
                violation_error_message=_(
                    "Er loopt al een verwijzing naar deze organisatie voor dit doel."
                ),
            )
        ]
        indexes = [models.Index(fields=["organisation", "status"])]

    def __str__(self) -> str:
        return f"Verwijzing {self.pk} ({self.get_referral_type_display()})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_REFERRAL_STATUSES


class ReferralTransition(models.Model):
    """Every status change of a referral, with who, when and why."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=16, choices=ReferralStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=ReferralStatus.choices)
    on_date = models.DateField(_("datum"))
    reason = models.CharField(_("reden"), max_length=255, blank=True)
    changed_at = models.DateTimeField(auto_now_add=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["referral", "changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status or '-'} → {self.to_status} ({self.on_date})"


class PartnerReport(BaseModel):
    """Hours, attendance, progress or an outcome reported by the partner for one period.

    Natural key: referral + kind + period (a repeated report of the same period replaces it).
    """

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="reports")
    kind = models.CharField(_("soort"), max_length=24, choices=ReportKind.choices)
    period_start = models.DateField(_("van"))
    period_end = models.DateField(_("tot en met"))
    hours = models.DecimalField(
        _("uren"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    sessions_attended = models.PositiveSmallIntegerField(_("keren aanwezig"), null=True, blank=True)
    sessions_missed = models.PositiveSmallIntegerField(_("keren afwezig"), null=True, blank=True)
    note = models.CharField(_("voortgang of uitkomst"), max_length=500, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["referral", "-period_start", "kind"]
        verbose_name = _("rapportage partner")
        verbose_name_plural = _("rapportages partner")
        constraints = [
            models.UniqueConstraint(
                fields=["referral", "kind", "period_start", "period_end"],
                name="report_unique_period",
                violation_error_code="rapportage_bestaat",
                violation_error_message=_("Deze rapportage is voor deze periode al ingediend."),
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="report_end_after_start",
                violation_error_code="rapportage_einde_voor_start",
                violation_error_message=_("Het einde van de periode ligt vóór het begin."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period_start}–{self.period_end}"


class ParticipationSpell(BaseModel):
    """A period of participation (work, volunteering, education, ...). Feeds the figures.

    `source` + `source_key` is the natural key of imported and partner-reported spells.
    """

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="participation_spells"
    )
    kind = models.CharField(_("soort"), max_length=24, choices=SpellKind.choices)
    start_date = models.DateField(_("begindatum"))
    end_date = models.DateField(_("einddatum"), null=True, blank=True)
    hours_per_week = models.DecimalField(
        _("uren per week"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(80)],
    )
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="spells",
        verbose_name=_("organisatie"),
    )
    sector = models.CharField(_("sector"), max_length=100, blank=True)
    contract_type = models.CharField(
        _("soort contract"), max_length=16, choices=ContractType.choices, blank=True
    )
    description = models.CharField(_("omschrijving"), max_length=200, blank=True)
    source = models.CharField(
        _("bron"), max_length=16, choices=SpellSource.choices, default=SpellSource.MANUAL
    )
    source_key = models.CharField(_("sleutel in de bron"), max_length=100, blank=True)

    class Meta:
        ordering = ["person", "start_date", "id"]
        verbose_name = _("deelnameperiode")
        verbose_name_plural = _("deelnameperiodes")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_key"],
                condition=~Q(source_key=""),
                name="spell_unique_source_key",
                violation_error_code="deelname_sleutel_bestaat",
                violation_error_message=_(
                    "Deze sleutel is al gebruikt voor een andere deelnameperiode."
                ),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="spell_end_after_start",
                violation_error_code="deelname_einde_voor_start",
                violation_error_message=_("De einddatum ligt vóór de startdatum."),
            ),
        ]
        indexes = [models.Index(fields=["kind", "start_date"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} vanaf {self.start_date}"


class SupportContact(BaseModel):
    """Someone who supports the person: professional, volunteer or own network."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="support_contacts"
    )
    kind = models.CharField(_("soort"), max_length=16, choices=ContactKind.choices)
    community = models.CharField(
        _("uit welke omgeving"), max_length=16, choices=ContactCommunity.choices
    )
    description = models.CharField(
        _("omschrijving"),
        max_length=200,
        blank=True,
        help_text=_("Bijvoorbeeld: taalmaatje via de bibliotheek. Geen namen van anderen nodig."),
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    start_date = models.DateField(_("sinds"))
    end_date = models.DateField(_("tot en met"), null=True, blank=True)

    class Meta:
        ordering = ["person", "start_date", "id"]
        verbose_name = _("steunpersoon")
        verbose_name_plural = _("steunnetwerk")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="support_end_after_start",
                violation_error_code="steunpersoon_einde_voor_start",
                violation_error_message=_("De einddatum ligt vóór de startdatum."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_community_display()})"


class Notification(OutboxItem):
    """An in-app notification, with an e-mail sent through the core outbox when wanted.

    The e-mail holds no personal data: it says that something waits in Thuis. Every message has
    an idempotency key that is sent as a header on every attempt, so a receiver can dedupe.
    The e-mail's state is `email_status` (outbox `partners_email` in `thuis.core.outbox`).
    """

    status = None  # type: ignore[assignment]  # the column is called `email_status`

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="partner_notifications"
    )
    referral = models.ForeignKey(
        Referral, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    title = models.CharField(_("onderwerp"), max_length=200)
    body = models.TextField(_("bericht"), blank=True)
    read_at = models.DateTimeField(_("gelezen op"), null=True, blank=True)
    email_status = models.CharField(
        _("e-mail"), max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    sent_at = models.DateTimeField(_("verzonden op"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("melding")
        verbose_name_plural = _("meldingen")
        indexes = [models.Index(fields=["email_status", "next_attempt_at"])]

    def __str__(self) -> str:
        return self.title
