"""SECURITY.md G20: the inzage export (AVG art. 15) covers every model with a person key."""

from __future__ import annotations

import json
from datetime import date
from io import StringIO
from typing import Any

from django.apps import apps
from django.core.management import call_command
from django.db import models

import pytest

from thuis.accounts.choices import Role
from thuis.audit import inzage
from thuis.audit.models import ProcessingRecord
from thuis.cases.models import HealthNote, IntegrationCase
from thuis.core.bsn import find_bsns
from thuis.people.models import Municipality, Person
from thuis.tests import factories
from thuis.tests.fixtures import verified_client

TODAY = date(2026, 6, 1)


@pytest.fixture
def demo(db: Any) -> Municipality:
    call_command(
        "seed", "--demo", "--persons", "40", "--today", TODAY.isoformat(), stdout=StringIO()
    )
    return Municipality.objects.get(code="0148")


def _richest(municipality: Municipality) -> Person:
    """The demo person with rows in the most models (intake, PIP, exams, spells, referrals)."""
    keys = inzage.models_with_person_key()

    def score(person: Person) -> int:
        return sum(
            m._default_manager.filter(
                **{f.name: person for f in m._meta.concrete_fields if f.related_model is Person}
            ).exists()
            for m in keys
            if len([f for f in m._meta.concrete_fields if f.related_model is Person]) == 1
        )

    return max(Person.objects.filter(municipality=municipality), key=score)


pytestmark = pytest.mark.django_db


def test_every_model_with_a_person_key_is_in_the_export(demo: Municipality) -> None:
    labels = {f"{m._meta.app_label}.{m.__name__}" for m in apps.get_models()}
    with_person_key = {
        f"{m._meta.app_label}.{m.__name__}"
        for m in apps.get_models()
        for f in m._meta.concrete_fields
        if isinstance(f, models.ForeignKey) and f.related_model is Person
    }
    assert with_person_key and with_person_key <= labels
    person = _richest(demo)
    data = json.loads(inzage.export(by="test", person=person))
    assert with_person_key <= set(data["gegevens"])
    # Rows that hang off the person's rows are there too (a case's PIPs, exams, signals...).
    for label in ("cases.IntegrationCase", "cases.Pip", "cases.BredeIntake"):
        assert data["gegevens"].get(label), label


def test_export_holds_the_persons_rows_and_nobody_elses(demo: Municipality) -> None:
    person = _richest(demo)
    data = json.loads(inzage.export(by="test", person=person))
    cases = set(IntegrationCase.objects.filter(person=person).values_list("pk", flat=True))
    assert data["betrokkene"]["bsn"] == person.bsn
    for label, rows in data["gegevens"].items():
        model = apps.get_model(label)
        person_keys = [f.attname for f in model._meta.concrete_fields if f.related_model is Person]
        for row in rows:
            for key in person_keys:
                assert row[key] in (None, person.pk), f"{label} holds another person"
            if "case_id" in row and label != "monitoring.PersonFact":
                assert row["case_id"] in cases, f"{label} holds another person's case"
            assert not [k for k in row if inzage.SECRET_FIELD.search(k)], label
        if len(person_keys) == 1 and model is not Person:
            expected = model._default_manager.filter(**{person_keys[0]: person.pk}).count()
            assert len(rows) == expected, label
    # Other persons' BSNs appear nowhere in the document.
    text = json.dumps(data)
    assert set(find_bsns(text)) <= {person.bsn}


def test_health_notes_and_processing_log_are_included(demo: Municipality) -> None:
    person = _richest(demo)
    case = IntegrationCase.objects.filter(person=person).first()
    assert case is not None
    HealthNote.objects.create(case=case, physical="Rugklachten; kan niet lang zitten.")
    data = json.loads(inzage.export(by="test", person=person))
    notes = data["gegevens"]["cases.HealthNote"]
    assert any(n["physical"] == "Rugklachten; kan niet lang zitten." for n in notes)
    # The export logs itself first, so it is part of the document's processing log.
    assert data["verwerkingen"][-1]["doel"] == inzage.ACTIVITY
    assert (
        ProcessingRecord.objects.filter(
            processing_activity=inzage.ACTIVITY, action="export"
        ).count()
        == 1
    )
    # Employees are not named in the log part.
    assert not [v for v in data["verwerkingen"] if "gebruiker" in v or "actor" in v]


@pytest.mark.django_db
def test_inzage_view_roles_and_errors(municipality: Any, other_municipality: Any) -> None:
    person = factories.PersonFactory(municipality=municipality)
    factories.CaseFactory(person=person)
    away = factories.PersonFactory(municipality=other_municipality)
    officer = factories.UserFactory(
        username="f1", role=Role.BEHEERDER, municipalities=[municipality]
    )
    client = verified_client(officer)
    response = client.post("/verwerkingen/inzage/", {"inzage-bsn": person.bsn})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    disposition = response["Content-Disposition"]
    assert "attachment" in disposition and person.bsn not in disposition
    assert json.loads(response.content)["betrokkene"]["bsn"] == person.bsn
    assert client.post("/verwerkingen/inzage/", {"inzage-bsn": "123"}).status_code == 400
    assert client.post("/verwerkingen/inzage/", {"inzage-bsn": away.bsn}).status_code == 404
    assert client.get("/verwerkingen/inzage/").status_code == 405
    for role in (Role.REGISSEUR, Role.TEAMLEIDER, Role.BELEIDSMEDEWERKER):
        other = verified_client(
            factories.UserFactory(username=f"u-{role}", role=role, municipalities=[municipality])
        )
        assert other.post("/verwerkingen/inzage/", {"inzage-bsn": person.bsn}).status_code == 403
