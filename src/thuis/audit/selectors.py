"""What a privacy officer (beheerder) may see of the processing log: only the own gemeenten.

A record belongs to a gemeente when it names that gemeente (`municipality_code`) or when its
actor works for it. A person's records are shown only for a person of the own gemeenten; a
person of another gemeente looks exactly like an unknown BSN.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from thuis.accounts import scope

from . import events
from .models import ProcessingRecord

if TYPE_CHECKING:
    from thuis.people.models import Person


def records_for_privacy_officer(
    *, user: Any, actor: str = "", person: Person | None = None
) -> QuerySet[ProcessingRecord]:
    """The records of the officer's gemeenten; with `person` (from `person_for_privacy_officer`)
    every record about that person, by whoever."""
    from thuis.accounts.models import User
    from thuis.people.models import Municipality

    if not scope.is_privacy_officer(user):
        return ProcessingRecord.objects.none()
    if person is not None:
        if not scope.municipality_ids(user).filter(pk=person.municipality_id).exists():
            return ProcessingRecord.objects.none()
        qs = ProcessingRecord.objects.filter(data_subject_id=events.subject_id(person.bsn))
    else:
        own = scope.municipality_ids(user)
        codes = Municipality.objects.filter(pk__in=own).values("code")
        actors = User.objects.filter(municipalities__in=own).values("pk")
        qs = ProcessingRecord.objects.filter(
            Q(municipality_code__in=codes) | Q(actor_id__in=actors)
        )
    if actor:
        qs = qs.filter(actor_label=actor)
    return qs


def person_for_privacy_officer(*, user: Any, bsn: str = "", pk: Any = None) -> Person | None:
    """The person with this BSN (or id) in one of the privacy officer's gemeenten, if any."""
    from thuis.people.models import Person

    if not scope.is_privacy_officer(user) or not (bsn or pk):
        return None
    qs = Person.objects.filter(municipality__in=scope.municipality_ids(user))
    qs = qs.filter(bsn=bsn) if bsn else qs.filter(pk=pk)
    return qs.select_related("municipality").first()


def person_for_inzage(*, user: Any, bsn: str) -> Person | None:
    """The person with this BSN in one of the privacy officer's municipalities, if any."""
    return person_for_privacy_officer(user=user, bsn=bsn)
