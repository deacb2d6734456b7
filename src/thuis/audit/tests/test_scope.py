"""The processing-log screens show a privacy officer only the own gemeenten (issue 15 item 5)."""

from __future__ import annotations

from typing import Any

import pytest

from thuis.accounts.choices import Role
from thuis.audit import events
from thuis.audit.models import ProcessingRecord
from thuis.tests import factories
from thuis.tests.fixtures import verified_client

UNKNOWN_BSN = "111222333"  # elfproef-valid, no person


@pytest.fixture
def setting(municipality: Any, other_municipality: Any) -> dict[str, Any]:
    """Gemeente A (`municipality`) with a person and reads of it; gemeente B with its officer."""
    person = factories.PersonFactory(municipality=municipality)
    reader = factories.UserFactory(
        username="lezer-a", role=Role.REGISSEUR, municipalities=[municipality]
    )
    events.persons_read(user=reader, persons=[person], view="test")
    events.persons_read(user=reader, persons=[person], view="test")
    return {
        "person": person,
        "officer_a": factories.UserFactory(
            username="fb-a", role=Role.BEHEERDER, municipalities=[municipality]
        ),
        "officer_b": factories.UserFactory(
            username="fb-b", role=Role.BEHEERDER, municipalities=[other_municipality]
        ),
    }


def _lookup(client: Any, bsn: str) -> Any:
    return client.post("/verwerkingen/", {"bsn": bsn})


@pytest.mark.django_db
def test_officer_of_the_persons_gemeente_sees_the_records(setting: dict[str, Any]) -> None:
    person = setting["person"]
    client = verified_client(setting["officer_a"])
    posted = _lookup(client, person.bsn)
    assert posted.status_code == 302
    assert person.bsn not in posted["Location"]
    assert events.subject_id(person.bsn) not in posted["Location"]
    page = client.get(posted["Location"])
    assert page.status_code == 200
    assert page.context["page"].paginator.count == 2


@pytest.mark.django_db
def test_officer_of_another_gemeente_gets_the_answer_for_an_unknown_bsn(
    setting: dict[str, Any],
) -> None:
    person = setting["person"]
    client = verified_client(setting["officer_b"])
    foreign, unknown = _lookup(client, person.bsn), _lookup(client, UNKNOWN_BSN)
    assert foreign.status_code == unknown.status_code == 404
    assert foreign.context["bsn_form"].errors == unknown.context["bsn_form"].errors
    assert foreign.context["page"].paginator.count == unknown.context["page"].paginator.count
    # Nor by the person's id in the URL, nor in the unfiltered list.
    assert client.get("/verwerkingen/", {"persoon": person.pk}).status_code == 404
    assert client.get("/verwerkingen/", {"persoon": "x"}).status_code == 404
    listed = client.get("/verwerkingen/")
    assert listed.status_code == 200
    subject = events.subject_id(person.bsn)
    assert not [r for r in listed.context["page"] if r.data_subject_id == subject]
    by_user = client.get("/verwerkingen/", {"gebruiker": "lezer-a"})
    assert by_user.context["page"].paginator.count == 0


@pytest.mark.django_db
def test_selectors_are_scoped(setting: dict[str, Any]) -> None:
    from thuis.audit import selectors

    person = setting["person"]
    officer_a, officer_b = setting["officer_a"], setting["officer_b"]
    assert selectors.person_for_privacy_officer(user=officer_b, bsn=person.bsn) is None
    assert selectors.person_for_inzage(user=officer_b, bsn=person.bsn) is None
    assert selectors.person_for_privacy_officer(user=officer_a, bsn=person.bsn) == person
    assert not selectors.records_for_privacy_officer(user=officer_b, person=person).exists()
    assert not selectors.records_for_privacy_officer(user=officer_b).exists()
    assert selectors.records_for_privacy_officer(user=officer_a, person=person).count() == 2
    assert selectors.records_for_privacy_officer(user=officer_a).count() == 2
    assert ProcessingRecord.objects.count() == 2


@pytest.mark.django_db
def test_inzage_of_another_gemeente_is_answered_as_unknown(setting: dict[str, Any]) -> None:
    client = verified_client(setting["officer_b"])
    foreign = client.post("/verwerkingen/inzage/", {"inzage-bsn": setting["person"].bsn})
    unknown = client.post("/verwerkingen/inzage/", {"inzage-bsn": UNKNOWN_BSN})
    assert foreign.status_code == unknown.status_code == 404
    assert foreign.context["inzage_form"].errors == unknown.context["inzage_form"].errors
