"""The name search (issue 16): accents, case, hyphens, order and transliterations do not matter.

Runs on SQLite and on PostgreSQL (DATABASE_URL=postgres://...): the same table on both.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.db import connection
from django.test import Client

import pytest

from thuis.cases.choices import Doelgroep, GedetailleerdeDoelgroep
from thuis.cases.services import bulk
from thuis.people import selectors
from thuis.people.models import Person
from thuis.people.search import normalise_name, query_terms, refresh_search_names
from thuis.tests import factories

pytestmark = pytest.mark.django_db

# (given names, family name) of the persons of the own gemeente.
NAMES = {
    "calim": ("Çalım", "Akgündüz"),
    "lina": ("Lina", "Al-Hassan"),
    "mohammed": ("Mohammed", "Haddad"),
    "oneill": ("Seán", "O'Neill"),
    "yonas": ("Yonas", "Tesfay"),
    "abdel": ("Abdel-Kader", "El Amrani"),
    "strauss": ("Łukasz", "Strauß"),
}

# (query, the keys of NAMES it finds): every term must match, in any order.
SEARCHES = [
    ("calim akgunduz", {"calim"}),
    ("CALIM", {"calim"}),
    ("Akgündüz, Çalım", {"calim"}),
    ("alhassan", {"lina"}),
    ("al hassan", {"lina"}),
    ("al-hassan", {"lina"}),
    ("el-hassan", {"lina"}),
    ("hasan", {"lina"}),
    ("Al-Hassan, Lina", {"lina"}),
    ("lina al-hassan", {"lina"}),
    ("lina al hassan", {"lina"}),
    ("muhammad", {"mohammed"}),
    ("mohamed haddad", {"mohammed"}),
    ("Haddad, Mohammad", {"mohammed"}),
    ("oneill", {"oneill"}),
    ("o'neill", {"oneill"}),
    ("o neill sean", {"oneill"}),
    ("abdul kader", {"abdel"}),
    ("abdelkader amrani", {"abdel"}),
    ("al amrani", {"abdel"}),
    ("elamrani", {"abdel"}),
    ("strauss lukasz", {"strauss"}),
    ("tesf", {"yonas"}),  # part of a name, as before
    ("lina tesfay", set()),  # AND over the terms
    ("Jansen", set()),  # a name nobody has
    ("Yonas Haddad", set()),
]


@pytest.fixture
def people(municipality: Any, other_municipality: Any, regisseur: Any) -> dict[str, Any]:
    persons = {}
    for key, (given, family) in NAMES.items():
        persons[key] = factories.PersonFactory(
            municipality=municipality, given_names=given, family_name=family
        )
        factories.CaseFactory(person=persons[key], regisseur=regisseur)
    # The same names in another gemeente: never found.
    for given, family in NAMES.values():
        factories.CaseFactory(
            person=factories.PersonFactory(
                municipality=other_municipality, given_names=given, family_name=family
            )
        )
    return persons


def _found(people: dict[str, Any], persons: Any) -> set[str]:
    keys = {p.pk: k for k, p in people.items()}
    return {keys[p.pk] for p in persons}


@pytest.mark.parametrize(("query", "wanted"), SEARCHES, ids=[s[0] for s in SEARCHES])
def test_the_selector_finds_the_own_persons_whatever_the_spelling(
    people: dict[str, Any], regisseur: Any, query: str, wanted: set[str]
) -> None:
    visible = selectors.person_queryset_for_user(user=regisseur)
    assert _found(people, selectors.filter_by_name(visible, query)) == wanted


def test_the_caseload_search_is_posted_and_finds_the_same(
    people: dict[str, Any], regisseur: Any, login: Any
) -> None:
    client: Client = login(regisseur)
    for query, wanted in SEARCHES:
        posted = client.post("/personen/", {"naam": query})
        assert posted.status_code == 302 and posted["Location"] == "/personen/", query
        page = client.get("/personen/")
        assert _found(people, [c.person for c in page.context["page"]]) == wanted, query
        # The name never goes into a URL (see also test_people.py).
        urls = re.findall(r'(?:href|action|src|hx-[a-z-]+)="([^"]*)"', page.content.decode())
        assert [u for u in urls if "naam" in u or query.lower() in u.lower()] == [], query


def test_a_name_in_the_url_still_does_not_search(
    people: dict[str, Any], regisseur: Any, login: Any
) -> None:
    page = login(regisseur).get("/personen/", {"naam": "calim"})
    assert len(page.context["page"]) == len(NAMES)


@pytest.mark.parametrize(
    ("names", "stored"),
    [
        (("Çalım", "", "Akgündüz"), "calim akgunduz"),
        (("Lina", "", "Al-Hassan"), "lina alhasan al hasan elhasan"),
        (("Hassan", "", "El Hassan"), "hasan al alhasan elhasan"),
        (("Seán", "", "O'Neill"), "sean oneil o neil"),
        (("Mohammed", "", "Abdel-Kader"), "muhamad abdulkader abdul kader"),
        (("Jan", "van den", "Berg"), "jan van den berg"),
        (("Søren", "", "Strauß"), "soren straus"),
        (("Youssef", "", "Khalid"), "yusef chalid"),
        (("Sameer", "", "Moestafa"), "samir mustafa"),
        (("İlkay Gündoğan", "", ""), "ilkay gundogan"),
        (("أحمد", "", ""), "احمد"),  # hamza (a combining mark after NFKD) does not matter
    ],
)
def test_the_stored_search_name(names: tuple[str, str, str], stored: str) -> None:
    assert normalise_name(*names) == stored


@pytest.mark.parametrize(
    ("query", "terms"),
    [
        ("Al-Hassan, Lina", ["alhasan", "lina"]),
        ("al hassan", ["hasan"]),  # a lone article is ignored
        ("el", ["al"]),  # unless it is all there is
        ("  ,-' ", []),
        ("lina lina", ["lina"]),
    ],
)
def test_the_query_terms(query: str, terms: list[str]) -> None:
    assert query_terms(query) == terms


def test_every_write_path_keeps_the_search_name(municipality: Any) -> None:
    person = factories.PersonFactory(
        municipality=municipality, given_names="Lina", family_name="Haddad"
    )
    assert person.search_name == "lina hadad"
    person.family_name = "Al-Hassan"
    person.save(update_fields=["family_name"])
    person.refresh_from_db()
    assert person.search_name == "lina alhasan al hasan elhasan"
    person.given_names = "Çalım"
    Person.objects.bulk_update([person], ["given_names"])
    person.refresh_from_db()
    assert person.search_name == "calim alhasan al hasan elhasan"
    [made] = Person.objects.bulk_create(
        [
            Person(
                municipality=municipality,
                bsn="111222333",
                given_names="Seán",
                family_name="O'Neill",
                birth_date=date(1990, 1, 1),
                sex="M",
                nationality="IE",
                country_of_birth="IE",
            )
        ]
    )
    assert Person.objects.get(bsn="111222333").search_name == "sean oneil o neil"
    assert made.search_name == "sean oneil o neil"


def test_the_import_fills_the_search_name(municipality: Any, regisseur: Any) -> None:
    bsn = factories.random_bsn()
    row = bulk.CaseRow(
        row=2,
        bsn=bsn,
        birth_date=date(1990, 1, 1),
        sex="V",
        country_of_birth="TR",
        nationality="TR",
        given_names="Çalım",
        family_name="Akgündüz",
        doelgroep=Doelgroep.ASIELSTATUSHOUDER,
        gedetailleerde_doelgroep=GedetailleerdeDoelgroep.ASIELSTATUSHOUDER,
        plicht_start=date(2024, 1, 1),
        koppeling_date=None,
        vestiging_date=None,
        household="",
        doelgroep_since=None,
    )
    bulk.cases_import(by=regisseur, municipality=municipality, rows=[row])
    found = selectors.filter_by_name(Person.objects.all(), "calim akgunduz")
    assert [p.bsn for p in found] == [bsn]


def test_refresh_fills_rows_written_around_the_model(municipality: Any) -> None:
    """What the data migration does for the rows that existed before the column."""
    person = factories.PersonFactory(
        municipality=municipality, given_names="Lina", family_name="Al-Hassan"
    )
    Person.objects.filter(pk=person.pk).update(search_name="")
    assert refresh_search_names(Person.objects.all()) == 1
    person.refresh_from_db()
    assert person.search_name == "lina alhasan al hasan elhasan"
    assert refresh_search_names(Person.objects.all()) == 0


def test_postgresql_has_the_trigram_index() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the pg_trgm index exists on PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'people_person_search_name_trgm'"
        )
        [(definition,)] = cursor.fetchall()
    assert "gin_trgm_ops" in definition
    # The search's SQL can use it (contains, not icontains: no UPPER() around the column).
    search = selectors.filter_by_name(Person.objects.order_by(), "hassan")
    sql, params = search.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")  # a GIN index is read by bitmap
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "people_person_search_name_trgm" in plan, plan
