"""Choice values for surveys, consultations and advice. Stored values are English slugs."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class QuestionType(models.TextChoices):
    LIKERT = "likert", _("Likertschaal")
    SINGLE = "single", _("Eén keuze")
    MULTIPLE = "multiple", _("Meer keuzes")
    NUMBER = "number", _("Getal")
    DECIMAL = "decimal", _("Decimaal getal")
    DATE = "date", _("Datum")
    TEXT = "text", _("Tekst")
    MATRIX = "matrix", _("Matrix (tabel van keuzes)")
    NOTE = "note", _("Toelichting (geen vraag)")


CHOICE_TYPES = {
    QuestionType.LIKERT,
    QuestionType.SINGLE,
    QuestionType.MULTIPLE,
    QuestionType.MATRIX,
}


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Concept")
    OPEN = "open", _("Open voor antwoorden")
    CLOSED = "closed", _("Gesloten")


class ResponseMode(models.TextChoices):
    ANONYMOUS = "anonymous", _("Anoniem (openbare link)")
    PERSONAL = "personal", _("Persoonlijke link")
    CONVERSATION = "conversation", _("Ingevuld tijdens gesprek")


class ConsultationKind(models.TextChoices):
    GROUP = "group", _("Groepsgesprek")
    INDIVIDUAL = "individual", _("Individueel gesprek")


class ConsultationWith(models.TextChoices):
    STATUSHOUDERS = "statushouders", _("Statushouders")
    ORGANISATIONS = "organisations", _("Organisaties")
    PARTICIPATIERAAD = "participatieraad", _("Participatieraad")
    MIXED = "mixed", _("Gemengd")


class Theme(models.TextChoices):
    """Attention points of the evaluation 'Thuis in Dalfsen' (seed), plus the other themes."""

    LANGUAGE_AFTER = "language_after_inburgering", _("Taal na inburgering")
    WOMEN_WORK = "women_work_participation", _("Vrouwen en werk/participatie")
    SOCIAL_NETWORK = "social_network", _("Sociale netwerken")
    DEPENDENCY = (
        "dependency_volunteers_professionals",
        _("Afhankelijkheid van vrijwilligers en professionals"),
    )
    DIRECTION = "regierol", _("Regierol gemeente")
    FINANCES = "finances", _("Financiën")
    HOUSING = "housing", _("Huisvesting")
    WELCOME = "feeling_welcome", _("Welkom voelen")
    INBURGERING = "inburgering_satisfaction", _("Tevredenheid over inburgering")
    OTHER = "other", _("Overig")


class AdviceDecision(models.TextChoices):
    ADOPTED = "adopted", _("Overgenomen")
    PARTLY = "partly", _("Gedeeltelijk overgenomen")
    NOT_ADOPTED = "not_adopted", _("Niet overgenomen")


class AdvicePointStatus(models.TextChoices):
    OPEN = "open", _("Nog geen reactie")
    ANSWERED = "answered", _("Reactie vastgesteld")
    IN_PROGRESS = "in_progress", _("In uitvoering")
    DONE = "done", _("Uitgevoerd")


class AdviceStatus(models.TextChoices):
    RECEIVED = "received", _("Ontvangen")
    RESPONSE_DRAFT = "response_draft", _("Reactie in voorbereiding")
    RESPONSE_SENT = "response_sent", _("Reactie verstuurd")


@dataclass(frozen=True)
class Language:
    code: str  # BCP 47 / ISO 639 code, used in lang="" and in XLSForm "(code)"
    xlsform_name: str  # English name used in XLSForm columns: label::Arabic (ar)
    native: str  # the name in the language itself
    rtl: bool = False


# Languages a form can carry. Dari and Farsi are separate codes (prs, fa), both right to left.
LANGUAGES: tuple[Language, ...] = (
    Language("nl", "Dutch", "Nederlands"),
    Language("en", "English", "English"),
    Language("ar", "Arabic", "العربية", rtl=True),
    Language("ti", "Tigrinya", "ትግርኛ"),
    Language("prs", "Dari", "دری", rtl=True),
    Language("fa", "Persian", "فارسی", rtl=True),
    Language("tr", "Turkish", "Türkçe"),
    Language("uk", "Ukrainian", "Українська"),
    Language("so", "Somali", "Soomaali"),
)
LANGUAGE_BY_CODE = {lang.code: lang for lang in LANGUAGES}
# Extra names people write in XLSForm headers without a code.
LANGUAGE_NAME_ALIASES = {
    "dutch": "nl",
    "nederlands": "nl",
    "english": "en",
    "engels": "en",
    "arabic": "ar",
    "arabisch": "ar",
    "tigrinya": "ti",
    "tigrinia": "ti",
    "dari": "prs",
    "persian": "fa",
    "farsi": "fa",
    "perzisch": "fa",
    "turkish": "tr",
    "turks": "tr",
    "ukrainian": "uk",
    "oekraïens": "uk",
    "somali": "so",
    "somalisch": "so",
}
