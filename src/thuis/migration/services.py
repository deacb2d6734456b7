"""The caseload migration: import a file, and the web upload's batches (preview, confirm).

Views and the `thuis import` command only call these functions. A file is applied in one
transaction or not at all; a preview runs the same code and rolls back.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from thuis.core import tabular
from thuis.core.errors import ConflictError
from thuis.core.tabular import ImportFailed
from thuis.monitoring import services as monitoring_services
from thuis.people.models import Municipality

from . import importer
from .importer import Result
from .models import ImportBatch, ImportStatus

__all__ = [
    "ImportFailed",
    "Result",
    "batch_cancel",
    "batch_confirm",
    "batch_upload",
    "import_file",
]


def _municipality(code: str, name: str | None) -> tuple[Municipality, bool]:
    if not (len(code) == 4 and code.isdigit()):
        raise ImportFailed([_("De gemeentecode moet 4 cijfers zijn (CBS), zoals 0148.")])
    found = Municipality.objects.filter(code=code).first()
    if found is not None:
        return found, False
    return Municipality.objects.create(code=code, name=(name or f"Gemeente {code}")[:100]), True


def import_file(
    *,
    kind: str,
    content: bytes,
    filename: str,
    gemeente: str,
    naam: str | None = None,
    by: Any,
    preview: bool = False,
) -> Result:
    """Validate and apply one file in one transaction. With `preview` nothing is kept."""
    rows = importer.read(kind=kind, content=content, filename=filename)
    result = Result()
    result.add("rijen", len(rows))
    with tabular.all_or_nothing(preview=preview):
        if kind == "personen":
            persons = importer.parse_persons(rows)
            municipality, result.municipality_created = _municipality(gemeente, naam)
            changed = importer.apply_persons(persons, municipality, by, result)
        else:
            events = importer.parse_events(rows)
            municipality, result.municipality_created = _municipality(gemeente, naam)
            changed = importer.apply_events(events, municipality, by, result)
        result.changed_subjects = len(changed)
        if changed or result.municipality_created:
            monitoring_services.facts_schedule_rebuild(municipality=municipality)
    return result


@transaction.atomic
def batch_upload(
    *, by: Any, municipality: Municipality, kind: str, filename: str, content: bytes
) -> ImportBatch:
    """Check an uploaded file (a preview that keeps nothing) and store it until confirmed."""
    batch = ImportBatch(
        municipality_code=municipality.code,
        municipality_name=municipality.name,
        kind=kind,
        filename=filename[:255],
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=by if not isinstance(by, str) else None,
    )
    try:
        result = import_file(
            kind=kind,
            content=content,
            filename=filename,
            gemeente=municipality.code,
            by=by,
            preview=True,
        )
    except ImportFailed as exc:
        batch.status, batch.errors, batch.content = ImportStatus.FAILED, exc.errors, None
    else:
        batch.status, batch.summary, batch.content = ImportStatus.PREVIEW, result.summary, content
    batch.save()
    return batch


def _locked(batch: ImportBatch) -> ImportBatch:
    locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if locked.status != ImportStatus.PREVIEW:
        raise ConflictError(_("Dit bestand is al verwerkt of geannuleerd."))
    return locked


def batch_confirm(*, by: Any, batch: ImportBatch) -> ImportBatch:
    """Apply a previewed file; its bytes are erased afterwards, applied or not."""
    with transaction.atomic():
        locked = _locked(batch)
        try:
            result = import_file(
                kind=locked.kind,
                content=bytes(locked.content or b""),
                filename=locked.filename,
                gemeente=locked.municipality_code,
                by=by,
            )
        except ImportFailed as exc:
            locked.status, locked.errors = ImportStatus.FAILED, exc.errors
        else:
            locked.status, locked.summary = ImportStatus.APPLIED, result.summary
        locked.content = None
        locked.save(update_fields=["status", "summary", "errors", "content", "updated_at"])
    return locked


@transaction.atomic
def batch_cancel(*, by: Any, batch: ImportBatch) -> ImportBatch:
    locked = _locked(batch)
    locked.status, locked.content = ImportStatus.CANCELLED, None
    locked.save(update_fields=["status", "content", "updated_at"])
    return locked
