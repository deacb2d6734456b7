"""Import batches: an uploaded migration file between its preview and its confirmation.

The table keeps its name `monitoring_importbatch` (the model moved from monitoring without a
database change, see migrations/0001_migration_importbatch.py).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from thuis.core.models import BaseModel


class ImportKind(models.TextChoices):
    PERSONEN = "personen", _("Personen en trajecten")
    GEBEURTENISSEN = "gebeurtenissen", _("Gebeurtenissen")


class ImportStatus(models.TextChoices):
    PREVIEW = "preview", _("Gecontroleerd, nog niet verwerkt")
    APPLIED = "applied", _("Verwerkt")
    CANCELLED = "cancelled", _("Geannuleerd")
    FAILED = "failed", _("Fouten gevonden")


class ImportBatch(BaseModel):
    """An uploaded migration file between preview and confirmation (UI import).

    The file's bytes are kept only until it is applied or cancelled; then they are erased.
    """

    municipality_code = models.CharField(max_length=4)
    municipality_name = models.CharField(max_length=100, blank=True)
    kind = models.CharField(max_length=16, choices=ImportKind.choices)
    filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    content = models.BinaryField(null=True)
    status = models.CharField(max_length=16, choices=ImportStatus.choices)
    summary = models.JSONField(default=dict)
    errors = models.JSONField(default=list)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Declared, so that type checkers know it even where the app registry comes from an older
    # checkout (a shared virtualenv); the same manager Django would add.
    objects: models.Manager[ImportBatch] = models.Manager()

    class Meta:
        db_table = "monitoring_importbatch"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.filename} ({self.status})"
