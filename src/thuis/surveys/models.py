"""Surveys (XLSForm compatible, multilingual, versioned), responses, consultations and advice.

Privacy by design: an anonymous Response row has no token, no IP, no time of day, no invitation
and no person; only the month. Its primary key is a random UUID, so not even the row order says
when it arrived. A database constraint enforces this, so no code path can store a link.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from thuis.core.models import BaseModel

from .choices import (
    AdviceDecision,
    AdvicePointStatus,
    AdviceStatus,
    ConsultationKind,
    ConsultationWith,
    QuestionType,
    ResponseMode,
    VersionStatus,
)


class Survey(BaseModel):
    municipality = models.ForeignKey(
        "people.Municipality", on_delete=models.PROTECT, related_name="surveys"
    )
    form_id = models.SlugField(_("formulier-id (XLSForm form_id)"), max_length=100)
    title = models.CharField(_("titel"), max_length=200)
    is_standard = models.BooleanField(_("standaardvragenlijst van Thuis"), default=False)

    class Meta:
        ordering = ["title"]
        verbose_name = _("vragenlijst")
        verbose_name_plural = _("vragenlijsten")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "form_id"],
                name="survey_unique_form",
                violation_error_code="vragenlijst_bestaat",
                violation_error_message=_("Er is al een vragenlijst met dit formulier-ID."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("surveys:detail", kwargs={"pk": self.pk})


class SurveyVersion(BaseModel):
    """One version of the questionnaire; each version is also a measurement wave (meting)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("versienummer"))
    version_label = models.CharField(_("versie (XLSForm version)"), max_length=50, blank=True)
    wave_label = models.CharField(_("meting"), max_length=100, blank=True)
    title = models.JSONField(_("titel per taal"), default=dict)
    languages = models.JSONField(_("talen"), default=list)
    default_language = models.CharField(_("standaardtaal"), max_length=8, default="nl")
    status = models.CharField(
        _("status"), max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    public_token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    source_sha256 = models.CharField(max_length=64, blank=True, db_index=True)

    class Meta:
        ordering = ["survey", "number"]
        verbose_name = _("versie")
        verbose_name_plural = _("versies")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "number"],
                name="surveyversion_unique_number",
                violation_error_code="vragenlijstversie_bestaat",
                violation_error_message=_("Deze vragenlijst heeft al een versie met dit nummer."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.survey.title} v{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("surveys:version", kwargs={"pk": self.pk})

    def title_in(self, lang: str) -> str:
        return str(self.title.get(lang) or self.title.get(self.default_language) or self.survey)

    @property
    def wave_name(self) -> str:
        return self.wave_label or f"Versie {self.number}"


class ChoiceOption(models.Model):
    version = models.ForeignKey(SurveyVersion, on_delete=models.CASCADE, related_name="choices")
    list_name = models.CharField(max_length=100)
    name = models.CharField(max_length=100)
    label = models.JSONField(default=dict)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["version", "list_name", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "list_name", "name"],
                name="choiceoption_unique_name",
                violation_error_code="antwoordoptie_bestaat",
                violation_error_message=_("Deze lijst heeft al een antwoordoptie met deze naam."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.list_name}:{self.name}"


class Question(models.Model):
    version = models.ForeignKey(SurveyVersion, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveIntegerField(default=0)
    name = models.CharField(_("naam"), max_length=100)
    type = models.CharField(_("soort"), max_length=10, choices=QuestionType.choices)
    label = models.JSONField(_("vraag per taal"), default=dict)
    hint = models.JSONField(_("toelichting per taal"), default=dict, blank=True)
    list_name = models.CharField(_("keuzelijst"), max_length=100, blank=True)
    # Matrix rows: [{"name": ..., "label": {lang: text}}]
    rows = models.JSONField(default=list, blank=True)
    required = models.BooleanField(_("verplicht"), default=False)
    relevant = models.CharField(_("tonen als (relevant)"), max_length=500, blank=True)
    constraint = models.CharField(_("voorwaarde (constraint)"), max_length=500, blank=True)
    constraint_message = models.JSONField(default=dict, blank=True)
    appearance = models.CharField(max_length=50, blank=True)

    class Meta:
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "name"],
                name="question_unique_name",
                violation_error_code="vraag_bestaat",
                violation_error_message=_("Deze versie heeft al een vraag met deze naam."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class Invitation(BaseModel):
    """A personal link for one person: the token itself is shown once and only its hash is kept."""

    version = models.ForeignKey(SurveyVersion, on_delete=models.PROTECT, related_name="invitations")
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="survey_invitations"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    language = models.CharField(max_length=8, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "person"],
                name="invitation_once_per_person",
                violation_error_code="uitnodiging_bestaat",
                violation_error_message=_("Deze persoon is al uitgenodigd voor deze versie."),
            )
        ]

    def __str__(self) -> str:
        return f"Uitnodiging {self.pk}"


class Response(models.Model):
    """One filled-in questionnaire. No BaseModel: an anonymous row must not carry timestamps."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    version = models.ForeignKey(SurveyVersion, on_delete=models.PROTECT, related_name="responses")
    mode = models.CharField(max_length=12, choices=ResponseMode.choices)
    language = models.CharField(max_length=8)
    period = models.DateField(_("maand"))  # first day of the month, nothing finer
    # Only for personal and conversation responses (linked, and in the processing log):
    person = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="survey_responses",
    )
    invitation = models.OneToOneField(
        Invitation, null=True, blank=True, on_delete=models.CASCADE, related_name="response"
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["version", "period"]
        constraints = [
            models.CheckConstraint(
                name="response_anonymous_unlinkable",
                violation_error_code="anoniem_antwoord_gekoppeld",
                violation_error_message=_(
                    "Een anoniem antwoord hoort niet bij een persoon, uitnodiging of medewerker."
                ),
                condition=~Q(mode="anonymous")
                | Q(
                    person__isnull=True,
                    invitation__isnull=True,
                    entered_by__isnull=True,
                    submitted_at__isnull=True,
                ),
            ),
            models.CheckConstraint(
                name="response_personal_linked",
                violation_error_code="persoonlijk_antwoord_zonder_persoon",
                violation_error_message=_("Een persoonlijk antwoord hoort bij een persoon."),
                condition=Q(mode="anonymous") | Q(person__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"Antwoord {self.pk}"


class Answer(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    # str for single/text/date, list[str] for multiple, number for number, {row: choice} for matrix
    value = models.JSONField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"],
                name="answer_once",
                violation_error_code="antwoord_bestaat",
                violation_error_message=_("Deze vraag is in dit antwoord al beantwoord."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.question.name}"


class ResearchExport(BaseModel):
    """A pseudonymised export: the HMAC key is shown once and never stored (only a fingerprint).

    The file is kept until it is downloaded once, then emptied.
    """

    version = models.ForeignKey(SurveyVersion, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recipient = models.CharField(_("ontvanger (onderzoeker of instelling)"), max_length=200)
    key_fingerprint = models.CharField(max_length=16)
    row_count = models.PositiveIntegerField(default=0)
    content = models.BinaryField(null=True, blank=True)
    downloaded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Onderzoeksexport {self.pk}"


class Consultation(BaseModel):
    """A conversation with statushouders, organisations or the participatieraad (no names)."""

    municipality = models.ForeignKey(
        "people.Municipality", on_delete=models.PROTECT, related_name="consultations"
    )
    held_on = models.DateField(_("datum"))
    kind = models.CharField(_("soort gesprek"), max_length=12, choices=ConsultationKind.choices)
    with_whom = models.CharField(_("gesprek met"), max_length=20, choices=ConsultationWith.choices)
    title = models.CharField(_("onderwerp"), max_length=200)
    organisations = models.TextField(_("organisaties (één per regel)"), blank=True)
    statushouders_count = models.PositiveIntegerField(_("aantal statushouders"), default=0)
    others_count = models.PositiveIntegerField(_("aantal andere deelnemers"), default=0)
    themes = models.JSONField(_("thema's"), default=list)
    findings = models.TextField(_("bevindingen"))
    quotes = models.TextField(_("geanonimiseerde citaten (één per regel)"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("gesprek")
        verbose_name_plural = _("gesprekken")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("surveys:consultation", kwargs={"pk": self.pk})

    @property
    def organisation_list(self) -> list[str]:
        return [o.strip() for o in self.organisations.splitlines() if o.strip()]

    @property
    def quote_list(self) -> list[str]:
        return [q.strip() for q in self.quotes.splitlines() if q.strip()]


class Advice(BaseModel):
    """An advice of the participatieraad (or another council) and the college's response."""

    municipality = models.ForeignKey(
        "people.Municipality", on_delete=models.PROTECT, related_name="advices"
    )
    council = models.CharField(_("adviesraad"), max_length=200, default="Participatieraad")
    title = models.CharField(_("onderwerp"), max_length=200)
    received_on = models.DateField(_("ontvangen op"))
    introduction = models.TextField(_("inleiding van het advies"), blank=True)
    response_introduction = models.TextField(_("inleiding van de reactie"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=AdviceStatus.choices, default=AdviceStatus.RECEIVED
    )
    response_sent_on = models.DateField(_("reactie verstuurd op"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("advies")
        verbose_name_plural = _("adviezen")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("surveys:advice", kwargs={"pk": self.pk})


class AdvicePoint(BaseModel):
    advice = models.ForeignKey(Advice, on_delete=models.CASCADE, related_name="points")
    number = models.PositiveIntegerField(_("nummer"))
    text = models.TextField(_("adviespunt"))
    decision = models.CharField(
        _("reactie college"), max_length=12, choices=AdviceDecision.choices, blank=True
    )
    motivation = models.TextField(_("motivering"), blank=True)
    plan_actions = models.TextField(_("gekoppelde acties uit het plan van aanpak"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=AdvicePointStatus.choices,
        default=AdvicePointStatus.OPEN,
    )

    class Meta:
        ordering = ["advice", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["advice", "number"],
                name="advicepoint_unique_number",
                violation_error_code="adviespunt_bestaat",
                violation_error_message=_("Dit advies heeft al een punt met dit nummer."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:40]}"
