from __future__ import annotations

from datetime import date
from typing import Any

from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

import pytest

from thuis.accounts.choices import Role
from thuis.core.errors import ValidationFailed
from thuis.people import selectors, services
from thuis.tests import factories


@pytest.mark.django_db
def test_person_create_validates_bsn_and_codes(municipality: Any, regisseur: Any) -> None:
    base = dict(
        by=regisseur,
        municipality=municipality,
        given_names="Amal",
        family_name="Haddad",
        birth_date=date(1990, 2, 28),
        sex="V",
        nationality="SY",
        country_of_birth="SY",
    )
    person = services.person_create(bsn="11122 2333", **base)
    assert person.bsn == "111222333"
    with pytest.raises(ValidationFailed, match="al een persoon") as exc:
        services.person_create(bsn="111222333", **base)
    assert exc.value.code == "bsn_bestaat"
    with pytest.raises(ValidationFailed, match="elfproef") as exc:
        services.person_create(bsn="123456789", **base)
    assert exc.value.code == "ongeldig"
    with pytest.raises(ValidationFailed, match="ISO 3166") as exc:
        services.person_create(bsn="123456782", **{**base, "nationality": "QQ"})
    assert exc.value.code == "ongeldig"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "sees"),
    [
        (Role.REGISSEUR, True),
        (Role.TEAMLEIDER, True),
        (Role.BELEIDSMEDEWERKER, False),
        (Role.PARTNER, False),
        (Role.BEHEERDER, False),
    ],
)
def test_scope_by_role(make_user: Any, person: Any, role: str, sees: bool) -> None:
    user = make_user(role)
    assert selectors.person_queryset_for_user(user=user).filter(pk=person.pk).exists() is sees


@pytest.mark.django_db
def test_other_municipality_gets_404(make_user: Any, person: Any, other_municipality: Any) -> None:
    user = make_user(Role.REGISSEUR, municipalities=[other_municipality])
    with pytest.raises(Http404):
        selectors.person_get_for_user(user=user, person_id=person.pk)


@pytest.mark.django_db
def test_household_shows_only_visible_members(
    regisseur: Any, municipality: Any, other_municipality: Any
) -> None:
    household = factories.HouseholdFactory(municipality=municipality)
    mine = factories.HouseholdMemberFactory(
        household=household, person=factories.PersonFactory(municipality=municipality)
    )
    factories.HouseholdMemberFactory(
        household=household,
        person=factories.PersonFactory(municipality=other_municipality),
        relation="partner",
    )
    found = selectors.household_get_for_user(user=regisseur, household_id=household.pk)
    assert [m.person_id for m in found.members.all()] == [mine.person_id]


@pytest.mark.django_db
def test_household_service_keeps_one_municipality(
    regisseur: Any, municipality: Any, other_municipality: Any
) -> None:
    a = factories.PersonFactory(municipality=municipality)
    b = factories.PersonFactory(municipality=other_municipality)
    with pytest.raises(ValidationFailed) as exc:
        services.household_create(
            by=regisseur,
            municipality=municipality,
            name="Fam. Test",
            members=[
                (a, "referent", date(2023, 1, 1), False),
                (b, "partner", date(2023, 6, 1), True),
            ],
        )
    assert exc.value.code == "huishouden_gemeente"


@pytest.mark.django_db
def test_caseload_query_count_is_constant(login: Any, regisseur: Any, municipality: Any) -> None:
    """List views: the number of queries does not grow with the number of rows."""
    client = login(regisseur)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/personen/").status_code == 200
        return len(ctx.captured_queries)

    for _ in range(3):
        factories.CaseFactory(
            person=factories.PersonFactory(municipality=municipality), regisseur=regisseur
        )
    few = count()
    for _ in range(20):
        factories.CaseFactory(
            person=factories.PersonFactory(municipality=municipality), regisseur=regisseur
        )
    assert count() == few


@pytest.mark.django_db
def test_caseload_filters_and_search(login: Any, regisseur: Any, municipality: Any) -> None:
    p1 = factories.PersonFactory(
        municipality=municipality, family_name="Tesfay", given_names="Yonas"
    )
    p2 = factories.PersonFactory(
        municipality=municipality, family_name="Haddad", given_names="Amal"
    )
    factories.CaseFactory(person=p1, regisseur=regisseur, plicht_start=date(2021, 5, 1))
    factories.CaseFactory(person=p2, plicht_start=date(2023, 5, 1))
    client = login(regisseur)
    names = lambda r: [c.person.family_name for c in r.context["page"]]  # noqa: E731
    assert names(client.get("/personen/", {"naam": "tesf"})) == ["Tesfay"]
    assert names(client.get("/personen/", {"cohort": 2023})) == ["Haddad"]
    assert names(client.get("/personen/", {"mijn": "on"})) == ["Tesfay"]
    assert names(client.get("/personen/", {"status": "voldaan"})) == []
    found = client.post("/personen/", {"bsn": p2.bsn})
    assert found.status_code == 302 and found["Location"] == p2.get_absolute_url()
    htmx = client.get("/personen/", {"naam": "had"}, HTTP_HX_REQUEST="true")
    assert "<html" not in htmx.content.decode()
