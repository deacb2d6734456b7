"""Inzage (AVG art. 15, SECURITY.md G20): everything Thuis holds about one data subject.

The export starts at the person and follows every foreign key that points *to* rows already
collected (a case, then the case's PIPs, a referral, then its reports, ...), so a new model with
a person or case key is included without changing this module. Keys pointing away from the
person (municipality, organisation, user) are not followed: they lead to other people's data.
Derived statistics keyed by person id (the monitoring facts) and the processing log (by the
person's pseudonym) are added. Secrets (token hashes, passwords) are left out; employees'
usernames are not included in the processing log part.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.apps import apps
from django.db import models, transaction
from django.utils import timezone

from thuis.people.models import Person

from . import events
from .models import Action, ProcessingRecord

FORMAT = "thuis-inzage/1"
MAX_DEPTH = 5
SECRET_FIELD = re.compile(r"token|hash|password|secret|otp_key|^key$", re.IGNORECASE)
ACTIVITY = "inzageverzoek-avg-15"


def _label(model: type[models.Model]) -> str:
    return f"{model._meta.app_label}.{model.__name__}"


def _value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


def _row(obj: models.Model) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if SECRET_FIELD.search(field.name) or isinstance(field, models.BinaryField):
            continue
        out[field.attname] = _value(getattr(obj, field.attname))
    return out


def _inward_keys() -> list[tuple[type[models.Model], models.ForeignKey[Any, Any]]]:
    """Every (model, foreign key or one-to-one field) of the project."""
    keys = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.ForeignKey):  # OneToOneField is a ForeignKey
                keys.append((model, field))
    return keys


def models_with_person_key() -> list[type[models.Model]]:
    """Models with a foreign key (or one-to-one) to Person: the export must cover each."""
    return [m for m, f in _inward_keys() if f.related_model is Person]


def collect(person: Person) -> dict[str, list[dict[str, Any]]]:
    """All rows that belong to the person, per model label (models without rows included for
    the models with a person key, so the reader sees what was looked at)."""
    collected: dict[type[models.Model], dict[Any, models.Model]] = {Person: {person.pk: person}}
    keys = _inward_keys()
    frontier: set[type[models.Model]] = {Person}
    for _depth in range(MAX_DEPTH):
        grown: set[type[models.Model]] = set()
        for model, field in keys:
            target = field.related_model
            if target not in frontier or model is Person:
                continue
            pks = list(collected[target])  # type: ignore[index]
            found = collected.setdefault(model, {})
            for obj in model._default_manager.filter(**{f"{field.name}__in": pks}):
                if obj.pk not in found:
                    found[obj.pk] = obj
                    grown.add(model)
        if not grown:
            break
        frontier = grown
    out: dict[str, list[dict[str, Any]]] = {
        _label(m): [] for m, f in keys if f.related_model is Person
    }
    for model, objects in collected.items():
        out[_label(model)] = [
            _row(obj) for _pk, obj in sorted(objects.items(), key=lambda i: str(i[0]))
        ]
    out.update(_facts(person))
    return dict(sorted(out.items()))


def _facts(person: Person) -> dict[str, list[dict[str, Any]]]:
    """Monitoring facts are keyed by person id without a foreign key (derived data)."""
    out: dict[str, list[dict[str, Any]]] = {}
    for label in ("monitoring.PersonFact", "monitoring.SpellFact"):
        try:
            model = apps.get_model(label)
        except LookupError:  # the monitoring app is optional
            continue
        out[label] = [_row(obj) for obj in model._default_manager.filter(person_id=person.pk)]
    return out


def _processing(person: Person) -> list[dict[str, Any]]:
    records: Iterable[ProcessingRecord] = ProcessingRecord.objects.filter(
        data_subject_id=events.subject_id(person.bsn)
    ).order_by("occurred_at", "pk")
    return [
        {
            "tijdstip": _value(r.occurred_at),
            "handeling": r.get_action_display(),
            "object": f"{r.object_type} {r.object_id}".strip(),
            "doel": r.processing_activity,
            "resultaat": r.get_result_display(),
            "herkomst": r.origin,
            "gemeente": r.municipality_code,
        }
        for r in records
    ]


@transaction.atomic
def export(*, by: Any, person: Person) -> bytes:
    """The inzage document (JSON, UTF-8) for one person; the export itself is logged first, so
    it appears in the document's processing log."""
    events.record(
        user=by,
        action=Action.EXPORT,
        object_type="inzage",
        subjects=[(str(person.pk), person.bsn)],
        activity=ACTIVITY,
        reason="AVG art. 15",
    )
    events.flush()  # the document reads the log, this export included
    document = {
        "formaat": FORMAT,
        "grondslag": "AVG artikel 15 (recht op inzage)",
        "gemaakt_op": timezone.now().isoformat(),
        "betrokkene": {
            "bsn": person.bsn,
            "naam": " ".join(
                p for p in (person.given_names, person.prefix, person.family_name) if p
            ),
        },
        "gegevens": collect(person),
        "verwerkingen": _processing(person),
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
