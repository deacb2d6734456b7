from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from thuis.accounts import scope

from .models import ProcessingRecord


def records_for_privacy_officer(
    *, user: Any, actor: str = "", data_subject_id: str = ""
) -> QuerySet[ProcessingRecord]:
    if not scope.is_privacy_officer(user):
        return ProcessingRecord.objects.none()
    qs = ProcessingRecord.objects.all()
    if actor:
        qs = qs.filter(actor_label=actor)
    if data_subject_id:
        qs = qs.filter(data_subject_id=data_subject_id)
    return qs
