from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from thuis.accounts import scope

from .models import ProcessingRecord

if TYPE_CHECKING:
    from thuis.people.models import Person


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


def person_for_inzage(*, user: Any, bsn: str) -> Person | None:
    """The person with this BSN in one of the privacy officer's municipalities, if any."""
    from thuis.people.models import Person

    if not scope.is_privacy_officer(user):
        return None
    return (
        Person.objects.filter(bsn=bsn, municipality__in=user.municipalities.all())
        .select_related("municipality")
        .first()
    )
