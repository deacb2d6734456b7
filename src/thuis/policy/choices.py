"""Choice lists of the policy app. Stored values are English slugs; labels are Dutch (B1)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from thuis.core.models import OutboxStatus


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Gepland")
    RUNNING = "running", _("Loopt")
    DONE = "done", _("Klaar")
    STOPPED = "stopped", _("Gestopt")


class Comparison(models.TextChoices):
    AT_LEAST = "gte", _("minstens")
    AT_MOST = "lte", _("hoogstens")


class CouncilDocument(models.TextChoices):
    RAADSVOORSTEL = "raadsvoorstel", _("Raadsvoorstel")
    RAADSINFORMATIEBRIEF = "raadsinformatiebrief", _("Raadsinformatiebrief")


class DocumentKind(models.TextChoices):
    """The documents of one report version."""

    EVALUATION = "evaluatie", _("Evaluatie")
    COUNCIL = "raad", _("Raadsvoorstel of raadsinformatiebrief")


class FileFormat(models.TextChoices):
    PDF = "pdf", _("PDF (toegankelijk)")
    DOCX = "docx", _("Word (DOCX)")
    HTML = "html", _("Webpagina (HTML)")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Concept")
    PUBLISHED = "published", _("Vastgesteld en bevroren")


class JobStatus(models.TextChoices):
    PENDING = "pending", _("Wacht")
    RUNNING = "running", _("Bezig")
    DONE = "done", _("Klaar")
    FAILED = "failed", _("Mislukt")


# A distribution's states are the core outbox's.
DeliveryStatus = OutboxStatus
