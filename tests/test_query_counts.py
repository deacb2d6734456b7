"""Exact query-count baselines for the main list, detail and dashboard views (regisseur and the
roles that own a screen) and the matching API endpoints.

Each view is measured on a small dataset and on one three times larger: the count is the same
(no N+1). A change that adds a query fails here; update the number only when the new query is
meant, and say why in the commit.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from django.db import connection
from django.urls import reverse

import pytest

from thuis.accounts.choices import Role
from thuis.demo.policy import seed_policy_demo
from thuis.duo import rules as duo_rules
from thuis.duo import services as duo_services
from thuis.partners import services as partner_services
from thuis.partners.choices import OrganisationKind, ReferralType
from thuis.partners.models import Organisation
from thuis.surveys import services as survey_services
from thuis.surveys.choices import VersionStatus
from thuis.surveys.tests.sample import workbook_bytes
from thuis.tests import factories

pytestmark = pytest.mark.django_db

DUO_OIN = "00000001800000000001"
GEMEENTE_OIN = "00000001001234567148"
TODAY = date(2025, 3, 3)
SMALL, LARGE = 2, 6  # persons (each with a case, a referral and a DUO message)


@pytest.fixture
def world(
    settings: Any, municipality: Any, regisseur: Any, make_user: Callable[..., Any]
) -> Callable[[int], dict[str, Any]]:
    settings.THUIS_DUO_OIN = DUO_OIN
    settings.THUIS_GEMEENTE_OIN = GEMEENTE_OIN
    settings.THUIS_DUO_GEMEENTECODE = municipality.code
    settings.THUIS_DUO_BASE_URL = ""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    org = Organisation.objects.create(
        name="VluchtelingenWerk (test)", kind=OrganisationKind.MAATSCHAPPELIJKE_BEGELEIDING
    )
    org.municipalities.set([municipality])
    partner = make_user(Role.PARTNER, username="partner", organisation=org, email="p@x.test")
    beleid = make_user(Role.BELEIDSMEDEWERKER, username="beleid")
    beheerder = make_user(Role.BEHEERDER, username="beheerder")
    plan = seed_policy_demo(municipality, today=TODAY)
    version = survey_services.survey_import_xlsform(
        municipality=municipality, content=workbook_bytes()
    )
    survey_services.version_set_status(version=version, status=VersionStatus.OPEN)
    survey_services.public_link_create(version=version)
    version.refresh_from_db()
    made: list[Any] = []

    def grow(n: int) -> dict[str, Any]:
        """Add persons until there are n, each with a case, a referral and a DUO message."""
        while len(made) < n:
            person = factories.PersonFactory(municipality=municipality)
            case = factories.CaseFactory(
                person=person, regisseur=regisseur, plicht_start=date(2024, 1, 10)
            )
            partner_services.referral_share(
                by=regisseur,
                person=person,
                organisation=org,
                referral_type=ReferralType.MB,
                today=TODAY,
                consent_on=TODAY,
                case=case,
            )
            duo_services.notification_receive(
                bron=DUO_OIN,
                doel=GEMEENTE_OIN,
                bericht_id=str(uuid.uuid4()),
                notification=duo_rules.Notification(
                    datetime(2024, 6, 3, 9, 0, tzinfo=UTC), "SS102", person.bsn, None
                ),
                raw_body="{}",
                headers={},
            )
            for answer in ("eens", "oneens", "eens"):
                survey_services.response_submit_anonymous(
                    version=version,
                    language="nl",
                    answers={"welkom": answer, "cursus": "ja", "leeftijd": 30, "hulp": ["taal"]},
                    today=TODAY,
                )
            made.append(case)
        return {
            "case": made[0],
            "person": made[0].person,
            "regisseur": regisseur,
            "partner": partner,
            "beleid": beleid,
            "beheerder": beheerder,
            "report": plan.municipality.policy_reports.get(),
            "version": version,
        }

    return grow


# (name, who, exact number of queries of the second request, url). A view that writes to the
# processing log has 3 for it at the end of the request on SQLite: a savepoint (the test's
# transaction), the last hash of the chain, the insert; PostgreSQL adds the chain's lock.
VIEWS: list[tuple[str, str, int, Callable[[dict[str, Any]], str]]] = [
    ("caseload", "regisseur", 11, lambda w: reverse("people:caseload")),
    ("person", "regisseur", 17, lambda w: reverse("people:detail", args=[w["person"].pk])),
    ("case", "regisseur", 26, lambda w: reverse("cases:detail", args=[w["case"].pk])),
    ("werkvoorraad", "regisseur", 5, lambda w: reverse("cases:work-queue")),
    ("monitor", "regisseur", 7, lambda w: reverse("monitoring:dashboard")),
    ("duo-inbox", "beheerder", 6, lambda w: reverse("duo:inbox")),
    ("partner-portal", "partner", 11, lambda w: reverse("partners:portal")),
    ("survey-results", "beleid", 8, lambda w: reverse("surveys:results", args=[w["version"].pk])),
    ("finance", "beleid", 10, lambda w: reverse("finance:dashboard")),
    ("policy-report", "beleid", 7, lambda w: reverse("policy:report", args=[w["report"].pk])),
    ("api-personen", "regisseur", 9, lambda w: "/api/v1/personen/"),
    ("api-persoon", "regisseur", 8, lambda w: f"/api/v1/personen/{w['person'].pk}/"),
    ("api-trajecten", "regisseur", 10, lambda w: "/api/v1/trajecten/"),
    ("api-traject", "regisseur", 9, lambda w: f"/api/v1/trajecten/{w['case'].pk}/"),
    ("api-verwijzingen", "regisseur", 9, lambda w: "/api/v1/verwijzingen/"),
]


# The views that write to the processing log (audit/chain.py appends under a lock).
LOGGING_VIEWS = {"caseload", "person", "case", "partner-portal"} | {
    v[0] for v in VIEWS if v[0].startswith("api-")
}


def _chain_lock(name: str) -> int:
    """pg_advisory_xact_lock: one query more on PostgreSQL for a view that logs."""
    return int(name in LOGGING_VIEWS and connection.vendor == "postgresql")


@pytest.mark.parametrize(("name", "role", "queries", "url"), VIEWS, ids=[v[0] for v in VIEWS])
def test_query_count_is_exact_and_does_not_grow_with_the_data(
    world: Any,
    login: Any,
    django_assert_num_queries: Any,
    name: str,
    role: str,
    queries: int,
    url: Callable[[dict[str, Any]], str],
) -> None:
    for n in (SMALL, LARGE):
        w = world(n)
        client = login(w[role])
        assert client.get(url(w)).status_code == 200, name  # warms session and caches
        with django_assert_num_queries(queries + _chain_lock(name)):
            response = client.get(url(w))
        assert response.status_code == 200, name


def test_the_caseload_name_search_adds_no_query(
    world: Any, login: Any, django_assert_num_queries: Any
) -> None:
    """The name search (people.search) is a WHERE on the stored search name: the caseload with
    a search in the session costs what the caseload without one costs, at any size."""
    caseload = next(v for v in VIEWS if v[0] == "caseload")
    for n in (SMALL, LARGE):
        w = world(n)
        client = login(w["regisseur"])
        family = w["person"].family_name
        assert client.post(reverse("people:caseload"), {"naam": family}).status_code == 302
        assert client.get(reverse("people:caseload")).status_code == 200  # warms caches
        with django_assert_num_queries(caseload[2] + _chain_lock("caseload")):
            response = client.get(reverse("people:caseload"))
        assert w["person"] in [c.person for c in response.context["page"]]
