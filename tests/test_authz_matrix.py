"""SECURITY.md G1: every URL pattern × every role has an expected answer; nothing personal leaks.

The test enumerates the URL resolver. A pattern without an entry in MATRIX (or a documented
prefix rule) fails the test, so a new view cannot ship without deciding who may reach it.
"""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

import pytest

from thuis.accounts.choices import Role
from thuis.tests import factories
from thuis.tests.fixtures import verified_client

ROLES = [
    "anonymous",
    "regisseur",
    "regisseur_other",
    "teamleider",
    "beleidsmedewerker",
    "partner",
    "beheerder",
]


def _all(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


def _person_files(ok: int, *, other: int, anon: int = 302, denied: int = 403) -> dict[str, int]:
    return {
        "anonymous": anon,
        "regisseur": ok,
        "regisseur_other": other,
        "teamleider": ok,
        "beleidsmedewerker": denied,
        "partner": denied,
        "beheerder": denied,
    }


def _finance(ok: int, *, anon: int = 302) -> dict[str, int]:
    """Finance: beleidsmedewerker and beheerder only (aggregates, no person)."""
    return {**_all(403), "anonymous": anon, "beleidsmedewerker": ok, "beheerder": ok}


def _surveys(ok: int) -> dict[str, int]:
    """Surveys, consultations, advice: beleidsmedewerker only (aggregates, never a person)."""
    return {**_all(403), "anonymous": 302, "beleidsmedewerker": ok}


def _policy(ok: int, *, beheerder: int, anon: int = 302) -> dict[str, int]:
    """Policy (plan van aanpak, reports): beleidsmedewerker; beheerder may look, not write."""
    return {**_all(403), "anonymous": anon, "beleidsmedewerker": ok, "beheerder": beheerder}


# name -> (method, expected status per role). Arguments are filled from the fixture objects.
MATRIX: dict[str, tuple[str, dict[str, int]]] = {
    "home-root": ("get", _all(302)),
    "core:home": ("get", _all(302)),
    "core:overview": (
        "get",
        {**_all(200), "anonymous": 302, "partner": 403, "beheerder": 403},
    ),
    "core:security-txt": ("get", _all(200)),
    "accounts:login": ("get", {**_all(302), "anonymous": 200}),
    "accounts:otp": ("get", {**_all(200), "anonymous": 302}),
    "accounts:logout": ("get", _all(405)),
    # The beheerder's users (issue 15): own gemeenten only. The object pages get a user of the
    # other gemeente (regisseur_other): 404, like a user that does not exist.
    "accounts:users": ("get", {**_all(403), "anonymous": 302, "beheerder": 200}),
    "accounts:user-reset-second-factor": (
        "post",
        {**_all(403), "anonymous": 302, "beheerder": 404},
    ),
    "accounts:user-set-active": ("post", {**_all(403), "anonymous": 302, "beheerder": 404}),
    "people:caseload": ("get", _person_files(200, other=200)),
    "people:detail": ("get", _person_files(200, other=404)),
    "people:household": ("get", _person_files(200, other=404)),
    "cases:work-queue": ("get", _person_files(200, other=200)),
    "cases:detail": ("get", _person_files(200, other=404)),
    "cases:action": ("get", _person_files(200, other=404)),
    "cases:pip-pdf": ("get", _person_files(404, other=404)),
    "api:case-flow-datums": ("get", _person_files(200, other=404, anon=401)),
    "api:case-flow-signalen": ("get", _person_files(200, other=404, anon=401)),
    "api:case-flow-pip": ("get", _person_files(200, other=404, anon=401)),
    "api:case-flow-intake": ("get", _person_files(200, other=404, anon=401)),
    "api:case-flow-examens": ("post", _person_files(400, other=404, anon=401)),
    "api:case-flow-uren": ("post", _person_files(400, other=404, anon=401)),
    "api:case-flow-gesprekken": ("post", _person_files(400, other=404, anon=401)),
    "api:case-flow-afgerond": ("post", _person_files(400, other=404, anon=401)),
    "api:case-flow-afspraken": ("post", _person_files(400, other=404, anon=401)),
    "api:case-flow-einde": ("post", _person_files(400, other=404, anon=401)),
    "audit:log": ("get", {**_all(403), "anonymous": 302, "beheerder": 200}),
    # Inzage-export (AVG art. 15): privacy officer only; an empty POST is a form error.
    "audit:inzage": ("post", {**_all(403), "anonymous": 302, "beheerder": 400}),
    "api:schema": ("get", _all(200)),
    "api:docs": ("get", _all(200)),
    "api:person-list": ("get", _person_files(200, other=200, anon=401)),
    "api:person-detail": ("get", _person_files(200, other=404, anon=401)),
    "api:person-search": ("post", _person_files(200, other=404, anon=401)),
    "api:case-list": ("get", _person_files(200, other=200, anon=401)),
    "api:case-detail": ("get", _person_files(200, other=404, anon=401)),
    "api:case-change-status": ("post", _person_files(400, other=404, anon=401)),
    # Rekenhulp: no personal data in or out, so every logged-in role may use it.
    "api:rekenhulp": ("post", {**_all(200), "anonymous": 401}),
    "rekenhulp": ("get", {**_all(200), "anonymous": 302, "partner": 403}),
    # DUO Notificatie API: authenticated by the OIN headers (bron/doel), never by a session;
    # without those headers every caller gets 400 with a Foutmelding.
    "duo_api:notificaties": ("post", _all(400)),
    "duo:inbox": ("get", {**_all(403), "anonymous": 302, "beheerder": 200}),
    "duo:outbox": ("get", {**_all(403), "anonymous": 302, "beheerder": 200}),
    "duo:inbox-reprocess": ("post", {**_all(403), "anonymous": 302, "beheerder": 404}),
    "duo:outbox-retry": ("post", {**_all(403), "anonymous": 302, "beheerder": 404}),
    "duo:signals": ("get", _person_files(200, other=200)),
    "duo:signal-resolve": ("post", _person_files(404, other=404, denied=403) | {"beheerder": 404}),
    "duo:case": ("get", _person_files(200, other=404)),
    "duo:case-pip": ("post", _person_files(200, other=404)),
    "duo:case-resultaat": ("post", _person_files(200, other=404)),
    "api:case-duo-duo": ("get", _person_files(200, other=404, anon=401)),
    # Partners (issue 5): the portal is for partner users only; the world has no referral, so
    # the partner's referral pages answer 404. Regisseur screens follow the person-file rules.
    "partners:portal": ("get", {**_all(403), "anonymous": 302, "partner": 200}),
    "partners:portal-referral": ("get", {**_all(403), "anonymous": 302, "partner": 404}),
    "partners:portal-referral-transition": (
        "post",
        {**_all(403), "anonymous": 302, "partner": 404},
    ),
    "partners:portal-report": ("post", {**_all(403), "anonymous": 302, "partner": 404}),
    "partners:portal-import": ("get", {**_all(403), "anonymous": 302, "partner": 200}),
    "partners:referral-create": ("get", _person_files(200, other=404)),
    "partners:referral-transition": ("post", _person_files(404, other=404)),
    "partners:spell-create": ("get", _person_files(200, other=404)),
    "partners:contact-create": ("get", _person_files(200, other=404)),
    "partners:spell-import": ("get", _person_files(200, other=200)),
    "partners:notifications": ("get", {**_all(200), "anonymous": 302}),
    "partners:tokens": ("get", {**_all(403), "anonymous": 302, "beheerder": 200}),
    "partners:token-revoke": ("post", {**_all(403), "anonymous": 302, "beheerder": 404}),
    "partners:contracts": ("get", _finance(200)),
    "partners:contract-create": ("get", _finance(200)),
    "partners:contract-edit": ("get", _finance(404)),
    "api:partner-referral-list": ("get", {**_all(403), "anonymous": 401, "partner": 200}),
    "api:partner-referral-detail": ("get", {**_all(403), "anonymous": 401, "partner": 404}),
    "api:partner-referral-transition": (
        "post",
        {**_all(403), "anonymous": 401, "partner": 404},
    ),
    "api:partner-referral-report": ("post", {**_all(403), "anonymous": 401, "partner": 404}),
    "api:partner-report-batch-list": ("post", {**_all(403), "anonymous": 401, "partner": 400}),
    "api:referral-list": ("get", _person_files(200, other=200, anon=401)),
    "api:referral-detail": ("get", _person_files(404, other=404, anon=401)),
    "api:spell-list": ("get", _person_files(200, other=200, anon=401)),
    "api:spell-detail": ("get", _person_files(404, other=404, anon=401)),
    # Finance (issue 9). Object pages get the person's pk, which is no finance object: 404.
    "finance:dashboard": ("get", _finance(200)),
    "finance:budget": ("get", _finance(200)),
    "finance:budget-edit": ("get", _finance(404)),
    "finance:budget-delete": ("post", _finance(404)),
    "finance:rates": ("get", _finance(200)),
    "finance:costs": ("get", _finance(200)),
    "finance:cost-delete": ("post", _finance(404)),
    "finance:cost-import": ("get", _finance(200)),
    "finance:cost-import-preview": ("get", _finance(404)),
    "finance:scenarios": ("get", _finance(200)),
    "finance:scenario-create": ("get", _finance(200)),
    "finance:scenario-edit": ("get", _finance(404)),
    "finance:scenario-default": ("post", _finance(404)),
    "finance:export": ("get", _finance(200)),
    "api:finance-budget-list": ("get", _finance(200, anon=401)),
    "api:finance-cost-list": ("get", _finance(200, anon=401)),
    "api:finance-scenario-list": ("get", _finance(200, anon=401)),
    "api:finance-scenario-detail": ("get", _finance(404, anon=401)),
    "api:finance-scenario-forecast": ("get", _finance(404, anon=401)),
    "api:finance-overview-list": ("get", _finance(400, anon=401)),
    # Surveys (issue 7). Object pages get the person's pk, which is no survey object: 404.
    "surveys:list": ("get", _surveys(200)),
    "surveys:import": ("get", _surveys(200)),
    "surveys:create": ("get", _surveys(200)),
    "surveys:detail": ("get", _surveys(404)),
    "surveys:new-wave": ("post", _surveys(404)),
    "surveys:compare": ("get", _surveys(404)),
    "surveys:version": ("get", _surveys(404)),
    "surveys:question-delete": ("post", _surveys(404)),
    "surveys:version-status": ("post", _surveys(404)),
    "surveys:public-link": ("post", _surveys(404)),
    "surveys:xlsform": ("get", _surveys(404)),
    "surveys:results": ("get", _surveys(404)),
    "surveys:responses-csv": ("get", _surveys(404)),
    "surveys:responses-xlsx": ("get", _surveys(404)),
    "surveys:research-export": ("get", _surveys(404)),
    "surveys:research-export-file": ("get", _surveys(404)),
    "surveys:consultations": ("get", _surveys(200)),
    "surveys:consultation-create": ("get", _surveys(200)),
    "surveys:consultation": ("get", _surveys(404)),
    "surveys:consultation-edit": ("get", _surveys(404)),
    "surveys:advices": ("get", _surveys(200)),
    "surveys:advice-create": ("get", _surveys(200)),
    "surveys:advice": ("get", _surveys(404)),
    "surveys:advice-print": ("get", _surveys(404)),
    # A regisseur enters or sends a survey from a person's file (person-file rules). Without a
    # chosen survey the invite redirects back; survey version 1 does not exist in the world.
    "surveys:person": ("get", _person_files(200, other=404)),
    "surveys:person-invite": ("post", _person_files(302, other=404)),
    "surveys:person-fill": ("get", _person_files(404, other=404)),
    # Respondent pages: no login; reachable only with a valid token (dummy token here: 404).
    "respond:thanks": ("get", _all(200)),
    "respond:public": ("get", _all(404)),
    "respond:personal": ("get", _all(404)),
    # Monitoring (issue 6): aggregates for regisseur, teamleider, beleidsmedewerker and beheerder
    # of their own municipalities (regisseur_other sees its own gemeente); never for partners.
    # The import with preview is for the beheerder; the public figures page needs no login.
    "monitoring:dashboard": ("get", {**_all(200), "anonymous": 302, "partner": 403}),
    "monitoring:indicator": ("get", {**_all(200), "anonymous": 302, "partner": 403}),
    "monitoring:export": ("get", {**_all(200), "anonymous": 302, "partner": 403}),
    "monitoring:benchmark": ("get", {**_all(200), "anonymous": 302, "partner": 403}),
    "monitoring:benchmark-export": ("get", {**_all(200), "anonymous": 302, "partner": 403}),
    "migration:import": ("get", {**_all(403), "anonymous": 302, "beheerder": 200}),
    "migration:import-detail": ("get", {**_all(403), "anonymous": 302, "beheerder": 404}),
    "monitoring:public": ("get", _all(200)),
    "api:indicator-list": ("get", {**_all(200), "anonymous": 401, "partner": 403}),
    "api:indicator-detail": ("get", {**_all(200), "anonymous": 401, "partner": 403}),
    # Policy (issue 8): the beleidsmedewerker edits, the beheerder may look (writes: 403).
    # Object pages get the person's pk, which is no policy object: 404.
    "policy:home": ("get", _policy(200, beheerder=200)),
    "policy:plan-create": ("get", _policy(200, beheerder=403)),
    "policy:plan": ("get", _policy(404, beheerder=404)),
    "policy:plan-edit": ("get", _policy(404, beheerder=403)),
    "policy:plan-delete": ("post", _policy(404, beheerder=403)),
    "policy:theme-create": ("get", _policy(404, beheerder=403)),
    "policy:theme-edit": ("get", _policy(404, beheerder=403)),
    "policy:theme-delete": ("post", _policy(404, beheerder=403)),
    "policy:goal-create": ("get", _policy(404, beheerder=403)),
    "policy:action-create": ("get", _policy(404, beheerder=403)),
    "policy:goal-edit": ("get", _policy(404, beheerder=403)),
    "policy:goal-delete": ("post", _policy(404, beheerder=403)),
    "policy:action-edit": ("get", _policy(404, beheerder=403)),
    "policy:action-delete": ("post", _policy(404, beheerder=403)),
    "policy:report-create": ("get", _policy(200, beheerder=403)),
    "policy:report": ("get", _policy(404, beheerder=404)),
    "policy:report-edit": ("get", _policy(404, beheerder=403)),
    "policy:report-suggest": ("post", _policy(404, beheerder=403)),
    "policy:report-generate": ("post", _policy(404, beheerder=403)),
    "policy:point-create": ("get", _policy(404, beheerder=403)),
    "policy:point-edit": ("get", _policy(404, beheerder=403)),
    "policy:point-delete": ("post", _policy(404, beheerder=403)),
    "policy:job": ("get", _policy(404, beheerder=404)),
    "policy:version-download": ("get", _policy(404, beheerder=404)),
    "policy:version-publish": ("post", _policy(404, beheerder=403)),
    "policy:version-delete": ("post", _policy(404, beheerder=403)),
    "policy:version-package": ("get", _policy(404, beheerder=404)),
    "policy:version-distribute": ("get", _policy(404, beheerder=404)),
}

# Documented prefix rules: the Django admin is for superusers only (no role is staff).
PREFIX_RULES: dict[str, tuple[str, dict[str, int]]] = {
    "admin:": ("get", _all(302)),
}


def _walk(resolver: URLResolver, prefix: str = "", ns: str = "") -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            child_ns = f"{ns}{entry.namespace}:" if entry.namespace else ns
            found += _walk(entry, prefix + str(entry.pattern), child_ns)
        elif isinstance(entry, URLPattern):
            name = f"{ns}{entry.name}" if entry.name else f"{ns}<unnamed {entry.pattern}>"
            found.append((name, prefix + str(entry.pattern)))
    return found


def all_patterns() -> list[tuple[str, str]]:
    return _walk(get_resolver())


def expectation(name: str) -> tuple[str, dict[str, int]] | None:
    if name in MATRIX:
        return MATRIX[name]
    for prefix, rule in PREFIX_RULES.items():
        if name.startswith(prefix):
            return rule
    return None


def test_every_url_pattern_has_a_matrix_entry() -> None:
    missing = sorted({name for name, _ in all_patterns() if expectation(name) is None})
    assert not missing, f"URL patterns without an authorisation matrix entry: {missing}"


def test_matrix_has_no_stale_entries() -> None:
    names = {name for name, _ in all_patterns()}
    assert set(MATRIX) <= names, sorted(set(MATRIX) - names)


@pytest.fixture
def world(db: Any) -> dict[str, Any]:
    home = factories.MunicipalityFactory(code="0148", name="Dalfsen (test)")
    away = factories.MunicipalityFactory(code="0193", name="Zwolle (test)")
    org = __import__(
        "thuis.partners.models", fromlist=["Organisation"]
    ).Organisation.objects.create(name="VluchtelingenWerk (test)", kind="mb")
    users = {
        "regisseur": factories.UserFactory(
            username="r1", role=Role.REGISSEUR, municipalities=[home]
        ),
        "regisseur_other": factories.UserFactory(
            username="r2", role=Role.REGISSEUR, municipalities=[away]
        ),
        "teamleider": factories.UserFactory(
            username="t1", role=Role.TEAMLEIDER, municipalities=[home]
        ),
        "beleidsmedewerker": factories.UserFactory(
            username="b1", role=Role.BELEIDSMEDEWERKER, municipalities=[home]
        ),
        "partner": factories.UserFactory(
            username="p1", role=Role.PARTNER, municipalities=[home], organisation=org
        ),
        "beheerder": factories.UserFactory(
            username="f1", role=Role.BEHEERDER, municipalities=[home]
        ),
    }
    person = factories.PersonFactory(municipality=home, family_name="Geheimnaam")
    case = factories.CaseFactory(person=person, regisseur=users["regisseur"])
    member = factories.HouseholdMemberFactory(
        household=factories.HouseholdFactory(municipality=home), person=person
    )
    return {"users": users, "person": person, "case": case, "household": member.household}


def _url(name: str, route: str, world: dict[str, Any]) -> str:
    from django.urls import reverse

    if name.startswith("admin:"):
        return "/beheer/"
    kwargs: dict[str, Any] = {}
    if "<int:pk>" in route or "(?P<pk>" in route:
        if name.startswith("accounts:user-"):
            kwargs["pk"] = world["users"]["regisseur_other"].pk
        elif name.startswith("people:household"):
            kwargs["pk"] = world["household"].pk
        elif "case" in name:
            kwargs["pk"] = world["case"].pk
        else:
            kwargs["pk"] = world["person"].pk
    if "<slug:action>" in route:
        kwargs["action"] = "intake"
    if "<int:version>" in route:
        kwargs["version"] = 1
    if "<str:token>" in route:
        kwargs["token"] = "ongeldig-token"
    if "<str:code>" in route or "(?P<code>" in route:
        kwargs["code"] = "WERK_12M"
    if "<str:gemeentecode>" in route:
        kwargs["gemeentecode"] = "0148"
    return reverse(name, kwargs=kwargs or None)


def _client(role: str, world: dict[str, Any]) -> Client:
    if role == "anonymous":
        return Client()
    return verified_client(world["users"][role])


def _body(name: str, world: dict[str, Any]) -> dict[str, Any]:
    if name == "api:person-search":
        return {"bsn": world["person"].bsn}
    if name == "api:rekenhulp":
        return {"plicht_start": "2023-03-01"}
    return {}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_matrix(role: str, world: dict[str, Any]) -> None:
    client = _client(role, world)
    person = world["person"]
    failures = []
    seen: set[str] = set()
    for name, route in all_patterns():
        rule = expectation(name)
        assert rule is not None
        url = _url(name, route, world)
        if url in seen:
            continue
        seen.add(url)
        method, expected = rule
        if method == "post":
            response = client.post(url, _body(name, world), content_type="application/json")
        else:
            response = client.get(url)
        if response.status_code != expected[role]:
            failures.append(f"{name} {url}: {response.status_code} != {expected[role]}")
        allowed_to_see = role in {"regisseur", "teamleider"}
        if not allowed_to_see and response.status_code == 200 and hasattr(response, "content"):
            body = response.content.decode(errors="ignore")
            assert person.bsn not in body, f"{name} leaks a BSN to {role}"
            assert "Geheimnaam" not in body, f"{name} leaks a name to {role}"
    assert not failures, "\n".join(failures)
