"""Import batches a beheerder may see: those of the gemeenten the user works for."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from thuis.accounts import scope
from thuis.monitoring import selectors as monitoring_selectors
from thuis.people.models import Municipality

from .models import ImportBatch


def may_import(user: Any) -> bool:
    return bool(scope.is_privacy_officer(user))


def municipalities_for_user(*, user: Any) -> list[Municipality]:
    return list(monitoring_selectors.municipalities_for_user(user=user))


def batches_for_user(*, user: Any) -> QuerySet[ImportBatch]:
    codes = [m.code for m in municipalities_for_user(user=user)]
    return ImportBatch.objects.filter(municipality_code__in=codes).defer("content")


def batch_for_user(*, user: Any, pk: int) -> ImportBatch:
    """One batch of the user's gemeenten; 404 for any other (also when it exists elsewhere)."""
    codes = [m.code for m in municipalities_for_user(user=user)]
    found = ImportBatch.objects.filter(pk=pk, municipality_code__in=codes).first()
    if found is None:
        raise Http404
    return found
