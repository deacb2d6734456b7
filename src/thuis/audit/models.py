"""The processing log (verwerkingenlog), after VNG Verwerkingenlogging / Logboek Dataverwerkingen.

One row per data subject per processing. Append-only: the model refuses updates and deletes,
and database triggers (see migration 0002) refuse them for the application's role too. Each row
carries an HMAC of itself and of the row before it (audit/chain.py), so a change or deletion by
someone who bypasses both is found by `thuis verwerkingen controleer`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NoReturn

from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    READ = "read", _("Inzien")
    CREATE = "create", _("Aanmaken")
    UPDATE = "update", _("Wijzigen")
    DELETE = "delete", _("Verwijderen")
    EXPORT = "export", _("Exporteren")
    SHARE = "share", _("Delen")


class Result(models.TextChoices):
    SUCCESS = "success", _("Gelukt")
    DENIED = "denied", _("Geweigerd")
    ERROR = "error", _("Fout")


class Status(models.TextChoices):
    """Status code of a processing (Logboek Dataverwerkingen, after OpenTelemetry)."""

    OK = "OK", _("In orde")
    ERROR = "ERROR", _("Fout")


class AppendOnlyQuerySet(models.QuerySet["ProcessingRecord"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise PermissionError("The processing log is append-only.")

    def delete(self) -> NoReturn:
        raise PermissionError("The processing log is append-only.")

    def bulk_create(self, objs: Iterable[ProcessingRecord], *args: Any, **kwargs: Any) -> Any:
        """Only at the end of the hash chain (audit/chain.py)."""
        from . import chain

        rows = list(objs)
        chain.append(self.model, rows)
        return rows


class ProcessingRecord(models.Model):
    occurred_at = models.DateTimeField(_("tijdstip (UTC)"), db_index=True)
    # End and status of the processing (LDV): the end of the request for a web or API request,
    # else the moment of writing. Empty on records from before these fields.
    ended_at = models.DateTimeField(_("eindtijd (UTC)"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, blank=True)
    trace_id = models.CharField(max_length=32, db_index=True)
    span_id = models.CharField(max_length=16)
    actor_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    actor_label = models.CharField(_("actor"), max_length=150)
    action = models.CharField(_("handeling"), max_length=16, choices=Action.choices)
    object_type = models.CharField(_("soort object"), max_length=64)
    object_id = models.CharField(_("object-id"), max_length=64)
    data_subject_id = models.CharField(
        _("betrokkene (sleutelhash BSN)"), max_length=64, blank=True, db_index=True
    )
    data_subject_id_type = models.CharField(max_length=16, default="bsn-hmac")
    processing_activity = models.CharField(_("verwerkingsactiviteit"), max_length=64)
    result = models.CharField(_("resultaat"), max_length=16, choices=Result.choices)
    origin = models.CharField(_("herkomst"), max_length=64)
    municipality_code = models.CharField(max_length=4, blank=True)
    reason = models.CharField(_("toelichting"), max_length=255, blank=True)
    # The changed fields of a change: {"veld": {"oud": ..., "nieuw": ...}} (see events.diff).
    changes = models.JSONField(_("wijzigingen (oud en nieuw)"), null=True, blank=True)
    # The hash chain (see audit/chain.py): the hash of the record before and of this record.
    prev_hash = models.CharField(_("hash vorige verwerking"), max_length=64, blank=True)
    record_hash = models.CharField(_("hash"), max_length=64, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("verwerking")
        verbose_name_plural = _("verwerkingen")

    def __str__(self) -> str:
        return (
            f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_type}"
        )

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("The processing log is append-only.")
        from . import chain

        chain.append(type(self), [self])  # at the end of the hash chain

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionError("The processing log is append-only.")
