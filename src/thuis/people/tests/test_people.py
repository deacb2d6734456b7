from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.db import connection
from django.http import Http404
from django.test import Client
from django.test.utils import CaptureQueriesContext

import pytest

from thuis.accounts.choices import Role
from thuis.core.errors import ValidationFailed
from thuis.people import selectors, services
from thuis.tests import factories


@pytest.mark.django_db
def test_a_bsn_of_another_gemeente_is_registered_like_an_unknown_one(
    municipality: Any, other_municipality: Any, make_user: Any
) -> None:
    """Issue 15 item 5: registering a person reveals nothing about another gemeente. Each
    gemeente has its own record of a BSN; the other gemeente's record is left alone."""
    from thuis.accounts.choices import Role

    elsewhere = factories.PersonFactory(municipality=other_municipality, given_names="Elders")
    regisseur = make_user(Role.REGISSEUR, username="r-bsn")
    person = services.person_create(
        by=regisseur,
        municipality=municipality,
        bsn=elsewhere.bsn,
        given_names="Hier",
        family_name="Nieuw",
        birth_date=date(1990, 2, 28),
        sex="V",
        nationality="SY",
        country_of_birth="SY",
    )
    assert person.pk != elsewhere.pk and person.municipality == municipality
    elsewhere.refresh_from_db()
    assert elsewhere.given_names == "Elders"
    assert list(selectors.person_queryset_for_user(user=regisseur).filter(bsn=person.bsn)) == [
        person
    ]


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
@pytest.mark.parametrize("field", ["given_names", "prefix", "family_name"])
def test_a_bidi_control_in_a_name_is_refused_at_the_field(
    municipality: Any, regisseur: Any, field: str
) -> None:
    """Issue 15 item 7: U+202E (right-to-left override) makes a stored name read differently."""
    base = dict(
        by=regisseur,
        municipality=municipality,
        bsn="111222333",
        given_names="Amal",
        family_name="Haddad",
        birth_date=date(1990, 2, 28),
        sex="V",
        nationality="SY",
        country_of_birth="SY",
    )
    with pytest.raises(ValidationFailed) as exc:
        services.person_create(**{**base, field: "Had\u202edad"})
    assert exc.value.code == "ongeldig"
    assert "onzichtbaar stuurteken" in exc.value.fields[field][0]
    person = services.person_create(**{**base, "given_names": "محمد", "family_name": "ተስፋይ"})
    assert person.full_name == "محمد ተስፋይ"


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
    searched = client.post("/personen/", {"naam": "tesf"})
    assert searched.status_code == 302 and searched["Location"] == "/personen/"
    assert names(client.get("/personen/")) == ["Tesfay"]
    client.post("/personen/", {"wis": "1"})
    assert names(client.get("/personen/", {"cohort": 2023})) == ["Haddad"]
    assert names(client.get("/personen/", {"mijn": "on"})) == ["Tesfay"]
    assert names(client.get("/personen/", {"status": "voldaan"})) == []
    found = client.post("/personen/", {"bsn": p2.bsn})
    assert found.status_code == 302 and found["Location"] == p2.get_absolute_url()
    htmx = client.get("/personen/", {"status": "aangemeld"}, HTTP_HX_REQUEST="true")
    assert "<html" not in htmx.content.decode()


def _urls(html: str) -> list[str]:
    """Every URL in a page: links, form actions and htmx attributes."""
    return re.findall(r'(?:href|action|src|hx-[a-z-]+)="([^"]*)"', html)


@pytest.mark.django_db
def test_caseload_name_and_bsn_never_in_a_url(
    login: Any, regisseur: Any, municipality: Any
) -> None:
    """SECURITY.md: no name or BSN in a URL, the browser history or the access log."""
    p1 = factories.PersonFactory(
        municipality=municipality, family_name="Tesfay", given_names="Yonas"
    )
    p2 = factories.PersonFactory(
        municipality=municipality, family_name="Haddad", given_names="Amal"
    )
    factories.CaseFactory(person=p1, regisseur=regisseur)
    factories.CaseFactory(person=p2, regisseur=regisseur)
    client = login(regisseur)
    names = lambda r: sorted(c.person.family_name for c in r.context["page"])  # noqa: E731
    # A name or BSN in the URL does not filter.
    assert names(client.get("/personen/", {"naam": "tesf"})) == ["Haddad", "Tesfay"]
    assert names(client.get("/personen/", {"bsn": p1.bsn})) == ["Haddad", "Tesfay"]
    # The name is posted (CSRF-protected) and the redirect keeps only the non-personal filters.
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.cookies = client.cookies
    assert csrf_client.post("/personen/", {"naam": "tesf"}).status_code == 403
    searched = client.post("/personen/?mijn=on&naam=x&pagina=2", {"naam": "tesf"})
    assert searched.status_code == 302 and searched["Location"] == "/personen/?mijn=on"
    page = client.get("/personen/?mijn=on")
    assert names(page) == ["Tesfay"]
    html = page.content.decode()
    assert 'value="tesf"' in html  # shown in the posted form, not in a link
    assert [u for u in _urls(html) if "tesf" in u.lower() or "naam" in u] == []
    assert "hx-post" not in html and html.count("hx-push-url") == 1
    start = html.rindex("<form", 0, html.index("hx-push-url"))
    push_form = html[start : html.index("</form>", start)]
    assert "hx-push-url" in push_form and 'name="naam"' not in push_form
    # The htmx filter request keeps the name from the session.
    assert names(client.get("/personen/", {"mijn": "on"}, HTTP_HX_REQUEST="true")) == ["Tesfay"]
    # Too long: a Dutch message at the field, not a 500, and the old search stays.
    long = client.post("/personen/", {"naam": "x" * 101})
    assert long.status_code == 200 and "naam" in long.context["form"].errors
    assert client.session["thuis_caseload_naam"] == "tesf"
    # Clearing the search.
    assert client.post("/personen/", {"wis": "1"}).status_code == 302
    assert names(client.get("/personen/")) == ["Haddad", "Tesfay"]


@pytest.mark.django_db
def test_caseload_paging_keeps_the_name_and_filters(
    login: Any, regisseur: Any, municipality: Any
) -> None:
    for i in range(30):
        person = factories.PersonFactory(municipality=municipality, family_name=f"Vos{i:02d}")
        factories.CaseFactory(person=person, regisseur=regisseur)
    factories.CaseFactory(person=factories.PersonFactory(municipality=municipality))
    client = login(regisseur)
    client.post("/personen/?mijn=on", {"naam": "vos"})
    first = client.get("/personen/?mijn=on")
    assert first.context["page"].paginator.count == 30
    html = first.content.decode()
    assert "?mijn=on&amp;pagina=2" in html
    assert [u for u in _urls(html) if "vos" in u.lower() or "naam" in u] == []
    second = client.get("/personen/?mijn=on&pagina=2")
    assert second.context["page"].number == 2
    assert all(c.person.family_name.startswith("Vos") for c in second.context["page"])
