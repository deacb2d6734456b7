"""scope.get_for_user: one way to fetch an object within the user's gemeenten, or 404."""

from __future__ import annotations

from typing import Any

from django.http import Http404

import pytest

from thuis.accounts import scope
from thuis.accounts.choices import Role
from thuis.audit.models import ProcessingRecord, Result
from thuis.cases.selectors import case_get_for_user
from thuis.people.models import Person
from thuis.policy.models import Plan
from thuis.policy.selectors import plan_get_for_user

pytestmark = pytest.mark.django_db


def _visible(user: Any) -> Any:
    return Person.objects.filter(municipality__in=scope.municipality_ids(user))


def test_found_object_is_returned_and_its_read_logged(person: Any, regisseur: Any) -> None:
    found = scope.get_for_user(
        _visible(regisseur),
        person.pk,
        user=regisseur,
        not_found="Persoon niet gevonden.",
        object_type="person",
        view="persoon",
        persons=lambda p: [p],
    )
    assert found == person
    record = ProcessingRecord.objects.get()
    assert (record.object_id, record.reason, record.result) == (
        str(person.pk),
        "persoon",
        Result.SUCCESS,
    )


def test_hidden_and_missing_objects_are_both_404_and_logged_as_denied(
    person: Any, make_user: Any, other_municipality: Any
) -> None:
    outsider = make_user(municipalities=[other_municipality])
    for pk in (person.pk, 999_999):
        with pytest.raises(Http404, match="Persoon niet gevonden"):
            scope.get_for_user(
                _visible(outsider),
                pk,
                user=outsider,
                not_found="Persoon niet gevonden.",
                object_type="person",
            )
    denied = ProcessingRecord.objects.filter(result=Result.DENIED)
    assert sorted(denied.values_list("object_id", flat=True)) == sorted([str(person.pk), "999999"])
    assert ProcessingRecord.objects.count() == 2


def test_without_object_type_and_view_nothing_is_logged(municipality: Any, make_user: Any) -> None:
    user = make_user(role=Role.BELEIDSMEDEWERKER)
    plan = Plan.objects.create(municipality=municipality, title="Thuis")
    assert plan_get_for_user(user=user, pk=plan.pk) == plan
    with pytest.raises(Http404, match="Plan niet gevonden"):
        plan_get_for_user(user=user, pk=plan.pk + 1)
    assert not ProcessingRecord.objects.exists()


def test_anonymous_miss_writes_no_denied_record(person: Any) -> None:
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(Http404):
        case_get_for_user(user=AnonymousUser(), case_id=1)
    assert not ProcessingRecord.objects.exists()


def test_case_of_another_gemeente_is_not_found(
    case: Any, make_user: Any, other_municipality: Any
) -> None:
    outsider = make_user(municipalities=[other_municipality])
    with pytest.raises(Http404, match="Traject niet gevonden"):
        case_get_for_user(user=outsider, case_id=case.pk)
    assert case_get_for_user(user=case.regisseur, case_id=case.pk) == case
    assert ProcessingRecord.objects.filter(result=Result.DENIED, object_type="case").count() == 1
