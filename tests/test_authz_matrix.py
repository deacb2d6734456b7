"""SECURITY.md G1: every URL pattern × every role has an expected answer; nothing personal leaks.

The test enumerates the URL resolver. A pattern without an entry in MATRIX (or a documented
prefix rule) fails the test, so a new view cannot ship without deciding who may reach it.

Issue 15: the world has two gemeenten (tests/authz_world.py) with one object of every kind a
URL takes as id. MATRIX is the answer for the own gemeente (A). For the other gemeente (B) a
user of A gets 403/404 on GET and POST, and no POST changes any row of B (fingerprint). A pattern
that takes an id without a kind in KIND_OF_PATTERN fails, like a kind without a builder.
"""

from __future__ import annotations

from typing import Any

from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import pytest

from thuis.tests.fixtures import verified_client

from .authz_world import (
    BUILDERS,
    FAMILY_NAME,
    KIND_OF_PATTERN,
    SECOND_ARGUMENT,
    World,
    build_world,
    fingerprint,
    markers_of,
)

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
        {**_all(403), "anonymous": 302, "beheerder": 200},
    ),
    "accounts:user-set-active": ("post", {**_all(403), "anonymous": 302, "beheerder": 302}),
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
    "duo:inbox-reprocess": ("post", {**_all(403), "anonymous": 302, "beheerder": 302}),
    "duo:outbox-retry": ("post", {**_all(403), "anonymous": 302, "beheerder": 302}),
    "duo:signals": ("get", _person_files(200, other=200)),
    "duo:signal-resolve": ("post", _person_files(302, other=404, denied=403) | {"beheerder": 404}),
    "duo:case": ("get", _person_files(200, other=404)),
    "duo:case-pip": ("post", _person_files(200, other=404)),
    "duo:case-resultaat": ("post", _person_files(200, other=404)),
    "api:case-duo-duo": ("get", _person_files(200, other=404, anon=401)),
    # Partners (issue 5): the portal is for partner users only; the world has no referral, so
    # the partner's referral pages answer 404. Regisseur screens follow the person-file rules.
    "partners:portal": ("get", {**_all(403), "anonymous": 302, "partner": 200}),
    "partners:portal-referral": ("get", {**_all(403), "anonymous": 302, "partner": 200}),
    "partners:portal-referral-transition": (
        "post",
        {**_all(403), "anonymous": 302, "partner": 400},
    ),
    "partners:portal-report": ("post", {**_all(403), "anonymous": 302, "partner": 400}),
    "partners:portal-import": ("get", {**_all(403), "anonymous": 302, "partner": 200}),
    "partners:referral-create": ("get", _person_files(200, other=404)),
    "partners:referral-transition": ("post", _person_files(302, other=404)),
    "partners:spell-create": ("get", _person_files(200, other=404)),
    "partners:contact-create": ("get", _person_files(200, other=404)),
    "partners:spell-import": ("get", _person_files(200, other=200)),
    "partners:notifications": ("get", {**_all(200), "anonymous": 302}),
    "partners:tokens": ("get", {**_all(403), "anonymous": 302, "beheerder": 200}),
    "partners:token-revoke": ("post", {**_all(403), "anonymous": 302, "beheerder": 302}),
    "partners:contracts": ("get", _finance(200)),
    "partners:contract-create": ("get", _finance(200)),
    "partners:contract-edit": ("get", _finance(200)),
    "api:partner-referral-list": ("get", {**_all(403), "anonymous": 401, "partner": 200}),
    "api:partner-referral-detail": ("get", {**_all(403), "anonymous": 401, "partner": 200}),
    "api:partner-referral-transition": (
        "post",
        {**_all(403), "anonymous": 401, "partner": 400},
    ),
    "api:partner-referral-report": ("post", {**_all(403), "anonymous": 401, "partner": 400}),
    "api:partner-report-batch-list": ("post", {**_all(403), "anonymous": 401, "partner": 400}),
    "api:referral-list": ("get", _person_files(200, other=200, anon=401)),
    "api:referral-detail": ("get", _person_files(200, other=404, anon=401)),
    "api:spell-list": ("get", _person_files(200, other=200, anon=401)),
    "api:spell-detail": ("get", _person_files(200, other=404, anon=401)),
    # Finance (issue 9). Object pages get the person's pk, which is no finance object: 404.
    "finance:dashboard": ("get", _finance(200)),
    "finance:budget": ("get", _finance(200)),
    "finance:budget-edit": ("get", _finance(200)),
    "finance:budget-delete": ("post", _finance(302)),
    "finance:rates": ("get", _finance(200)),
    "finance:costs": ("get", _finance(200)),
    "finance:cost-delete": ("post", _finance(302)),
    "finance:cost-import": ("get", _finance(200)),
    "finance:cost-import-preview": ("get", _finance(200)),
    "finance:scenarios": ("get", _finance(200)),
    "finance:scenario-create": ("get", _finance(200)),
    "finance:scenario-edit": ("get", _finance(200)),
    "finance:scenario-default": ("post", _finance(302)),
    "finance:export": ("get", _finance(200)),
    "api:finance-budget-list": ("get", _finance(200, anon=401)),
    "api:finance-cost-list": ("get", _finance(200, anon=401)),
    "api:finance-scenario-list": ("get", _finance(200, anon=401)),
    "api:finance-scenario-detail": ("get", _finance(200, anon=401)),
    "api:finance-scenario-forecast": ("get", _finance(400, anon=401)),
    "api:finance-overview-list": ("get", _finance(400, anon=401)),
    # Surveys (issue 7). Object pages get the person's pk, which is no survey object: 404.
    "surveys:list": ("get", _surveys(200)),
    "surveys:import": ("get", _surveys(200)),
    "surveys:create": ("get", _surveys(200)),
    "surveys:detail": ("get", _surveys(200)),
    "surveys:new-wave": ("post", _surveys(302)),
    "surveys:compare": ("get", _surveys(200)),
    "surveys:version": ("get", _surveys(200)),
    "surveys:question-delete": ("post", _surveys(302)),
    "surveys:version-status": ("post", _surveys(302)),
    "surveys:public-link": ("post", _surveys(302)),
    "surveys:xlsform": ("get", _surveys(200)),
    "surveys:results": ("get", _surveys(200)),
    "surveys:responses-csv": ("get", _surveys(200)),
    "surveys:responses-xlsx": ("get", _surveys(200)),
    "surveys:research-export": ("get", _surveys(200)),
    "surveys:research-export-file": ("get", _surveys(302)),
    "surveys:consultations": ("get", _surveys(200)),
    "surveys:consultation-create": ("get", _surveys(200)),
    "surveys:consultation": ("get", _surveys(200)),
    "surveys:consultation-edit": ("get", _surveys(200)),
    "surveys:advices": ("get", _surveys(200)),
    "surveys:advice-create": ("get", _surveys(200)),
    "surveys:advice": ("get", _surveys(200)),
    "surveys:advice-print": ("get", _surveys(200)),
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
    "migration:import-detail": ("get", {**_all(403), "anonymous": 302, "beheerder": 200}),
    "monitoring:public": ("get", _all(200)),
    "api:indicator-list": ("get", {**_all(200), "anonymous": 401, "partner": 403}),
    "api:indicator-detail": ("get", {**_all(200), "anonymous": 401, "partner": 403}),
    # Policy (issue 8): the beleidsmedewerker edits, the beheerder may look (writes: 403).
    # Object pages get the person's pk, which is no policy object: 404.
    "policy:home": ("get", _policy(200, beheerder=200)),
    "policy:plan-create": ("get", _policy(200, beheerder=403)),
    "policy:plan": ("get", _policy(200, beheerder=200)),
    "policy:plan-edit": ("get", _policy(200, beheerder=403)),
    "policy:plan-delete": ("post", _policy(302, beheerder=403)),
    "policy:theme-create": ("get", _policy(200, beheerder=403)),
    "policy:theme-edit": ("get", _policy(200, beheerder=403)),
    "policy:theme-delete": ("post", _policy(302, beheerder=403)),
    "policy:goal-create": ("get", _policy(200, beheerder=403)),
    "policy:action-create": ("get", _policy(200, beheerder=403)),
    "policy:goal-edit": ("get", _policy(200, beheerder=403)),
    "policy:goal-delete": ("post", _policy(302, beheerder=403)),
    "policy:action-edit": ("get", _policy(200, beheerder=403)),
    "policy:action-delete": ("post", _policy(302, beheerder=403)),
    "policy:report-create": ("get", _policy(200, beheerder=403)),
    "policy:report": ("get", _policy(200, beheerder=200)),
    "policy:report-edit": ("get", _policy(200, beheerder=403)),
    "policy:report-suggest": ("post", _policy(302, beheerder=403)),
    "policy:report-generate": ("post", _policy(302, beheerder=403)),
    "policy:point-create": ("get", _policy(200, beheerder=403)),
    "policy:point-edit": ("get", _policy(200, beheerder=403)),
    "policy:point-delete": ("post", _policy(302, beheerder=403)),
    "policy:job": ("get", _policy(200, beheerder=200)),
    "policy:version-download": ("get", _policy(404, beheerder=404)),
    "policy:version-publish": ("post", _policy(302, beheerder=403)),
    "policy:version-delete": ("post", _policy(302, beheerder=403)),
    "policy:version-package": ("get", _policy(404, beheerder=404)),
    "policy:version-distribute": ("get", _policy(200, beheerder=200)),
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


def _takes_id(route: str) -> bool:
    return "<int:pk>" in route or "(?P<pk>" in route


def test_every_pattern_with_an_id_has_an_object_kind_with_a_builder() -> None:
    missing = sorted(
        name
        for name, route in all_patterns()
        if _takes_id(route)
        and name not in KIND_OF_PATTERN
        and expectation(name) not in PREFIX_RULES.values()
    )
    assert not missing, f"URL patterns with an id but no object kind: {missing}"
    kinds = set(KIND_OF_PATTERN.values()) | {kind for _, kind in SECOND_ARGUMENT.values()}
    assert kinds <= set(BUILDERS), (
        f"object kinds without a builder: {sorted(kinds - set(BUILDERS))}"
    )
    names = {name for name, _ in all_patterns()}
    assert set(KIND_OF_PATTERN) <= names, sorted(set(KIND_OF_PATTERN) - names)


@pytest.fixture
def world(db: Any) -> World:
    return build_world()


def _url(name: str, route: str, world: World, side: str = "A") -> str:
    if name.startswith("admin:"):
        return "/beheer/"
    kwargs: dict[str, Any] = {}
    if _takes_id(route):
        kwargs["pk"] = world.obj(side, KIND_OF_PATTERN[name]).pk
    if name in SECOND_ARGUMENT:
        argument, kind = SECOND_ARGUMENT[name]
        kwargs[argument] = world.obj(side, kind).pk
    if "<slug:action>" in route:
        kwargs["action"] = "intake"
    if "<int:version>" in route and "version" not in kwargs:
        kwargs["version"] = 99  # cases:pip-pdf: no such PIP version, so no PDF is rendered
    if "<str:token>" in route:
        kwargs["token"] = "ongeldig-token"
    if "<str:code>" in route or "(?P<code>" in route:
        kwargs["code"] = "WERK_12M"
    if "<str:gemeentecode>" in route:
        kwargs["gemeentecode"] = world.sides[side].municipality.code
    return reverse(name, kwargs=kwargs or None)


def _user(role: str, world: World) -> Any:
    if role == "regisseur_other":
        return world.user("B", "regisseur")
    return world.user("A", role)


def _client(role: str, world: World) -> Client:
    if role == "anonymous":
        return Client()
    return verified_client(_user(role, world))


def _body(name: str, world: World, side: str = "A") -> dict[str, Any]:
    if name == "api:person-search":
        return {"bsn": world.obj(side, "person").bsn}
    if name == "api:rekenhulp":
        return {"plicht_start": "2023-03-01"}
    return {}


def _request(client: Client, method: str, url: str, body: dict[str, Any]) -> Any:
    if method == "post":
        return client.post(url, body, content_type="application/json")
    return client.get(url)


# A partner sees the person it got a referral for (SECURITY.md: the partner's own referrals).
PARTNER_SEES_PERSON = ("partners:portal", "api:partner-")


def _may_see_person(role: str, name: str) -> bool:
    if role in {"regisseur", "teamleider"}:
        return True
    return role == "partner" and name.startswith(PARTNER_SEES_PERSON)


def _leaks(body: str, markers: dict[str, str]) -> list[str]:
    return [what for what, value in markers.items() if value and value in body]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_matrix(role: str, world: World) -> None:
    """The own gemeente: every pattern answers as MATRIX says, with A's objects."""
    client = _client(role, world)
    person = world.obj("A", "person")
    other_markers = markers_of(world, "B")
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
        with transaction.atomic():
            response = _request(client, method, url, _body(name, world))
            transaction.set_rollback(True)
        if response.status_code != expected[role]:
            failures.append(f"{name} {url}: {response.status_code} != {expected[role]} ({role})")
        if not hasattr(response, "content"):
            continue
        body = response.content.decode(errors="ignore")
        if role != "regisseur_other":
            leaked = _leaks(body, other_markers)
            if leaked:
                failures.append(f"{name} shows {role} of A objects of B: {leaked}")
        shows_person = person.bsn in body or FAMILY_NAME["A"] in body
        if response.status_code == 200 and shows_person and not _may_see_person(role, name):
            failures.append(f"{name} leaks a BSN or name to {role}")
    assert not failures, "\n".join(failures)


# --- The other gemeente and writes (issue 15) ------------------------------------------------

ACTORS = ["anonymous", "regisseur", "teamleider", "beleidsmedewerker", "partner", "beheerder"]
# Answers that reveal nothing of an object: not logged in, no access, not found, and 405 where
# the pattern has no such method (decided before any object is looked up).
NOTHING_ANONYMOUS = {302, 401, 403, 405}
NOTHING = {403, 404, 405}
# POSTs the write sweep leaves out: logging out ends the session the sweep runs in.
NO_WRITE_SWEEP = {"accounts:logout"}
# Tables a refused or foreign request may still write: the processing log (append-only, records
# the actor's own request), the session and the login throttle.
WRITE_OK_TABLES = ("audit_processingrecord", "django_session", "axes_")


def _writes(queries: list[dict[str, Any]]) -> list[str]:
    found = []
    for query in queries:
        sql = query["sql"].lstrip().upper()
        if not sql.startswith(("INSERT", "UPDATE", "DELETE")):
            continue
        if any(table.upper() in sql[:80] for table in WRITE_OK_TABLES):
            continue
        found.append(query["sql"][:120])
    return found


def _post_and_check(
    client: Client, url: str, body: dict[str, Any], world: World, baseline: dict[str, str]
) -> tuple[Any, list[str], bool]:
    """POST in a transaction that is rolled back; returns the response, the writes it made and
    whether B's rows stayed the same."""
    with transaction.atomic():
        with CaptureQueriesContext(connection) as captured:
            if url.startswith("/api/"):
                response = client.post(url, body, content_type="application/json")
            else:
                response = client.post(url, body)  # a form, as the browser sends it
        writes = _writes(captured.captured_queries)
        same = not writes or fingerprint(world.sides["B"].municipality) == baseline
        transaction.set_rollback(True)
    return response, writes, same


def _denied(name: str, role: str) -> bool:
    rule = expectation(name)
    assert rule is not None
    status = rule[1][role]
    return status == 403 or (role == "anonymous" and status in {302, 401})


@pytest.mark.django_db
@pytest.mark.parametrize("role", ACTORS)
def test_matrix_other_gemeente(role: str, world: World) -> None:
    """Every pattern with an id, with B's object: a user of A gets 403/404 on GET and POST, sees
    none of B's markers, and a POST changes no row of B."""
    client = _client(role, world)
    baseline = fingerprint(world.sides["B"].municipality)
    markers = markers_of(world, "B")
    allowed = NOTHING_ANONYMOUS if role == "anonymous" else NOTHING
    failures = []
    for name, route in all_patterns():
        if not _takes_id(route) or name.startswith("admin:"):
            continue
        url = _url(name, route, world, "B")
        with transaction.atomic():
            response = client.get(url)
            transaction.set_rollback(True)
        if response.status_code not in allowed:
            failures.append(f"GET {name} {url}: {response.status_code} for {role} of A")
        posted, _writes_made, same = _post_and_check(
            client, url, _body(name, world, "B"), world, baseline
        )
        if posted.status_code not in allowed:
            failures.append(f"POST {name} {url}: {posted.status_code} for {role} of A")
        if not same:
            failures.append(f"POST {name} {url}: changed rows of B for {role} of A")
        for answer in (response, posted):
            leaked = _leaks(answer.content.decode(errors="ignore"), markers)
            if leaked:
                failures.append(f"{name} {url}: shows {role} of A objects of B: {leaked}")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ACTORS)
def test_matrix_writes(role: str, world: World) -> None:
    """Every pattern POSTed with A's objects (an empty or minimal body): never a 500, a role
    the MATRIX refuses writes nothing, and no POST changes a row of B."""
    client = _client(role, world)
    baseline = fingerprint(world.sides["B"].municipality)
    markers = markers_of(world, "B")
    failures = []
    for name, route in all_patterns():
        if name.startswith("admin:") or name in NO_WRITE_SWEEP:
            continue
        url = _url(name, route, world)
        response, writes, same = _post_and_check(
            client, url, _write_body(name, world), world, baseline
        )
        status = response.status_code
        if status >= 500:
            failures.append(f"POST {name} {url}: {status} for {role}")
        if _denied(name, role):
            refused = NOTHING_ANONYMOUS if role == "anonymous" else {403, 405}
            if status not in refused:
                failures.append(f"POST {name} {url}: {status}, but {role} may not")
            if writes:
                failures.append(f"POST {name} {url}: {role} may not, but wrote {writes[:2]}")
        if not same:
            failures.append(f"POST {name} {url}: changed rows of B for {role} of A")
        leaked = _leaks(response.content.decode(errors="ignore"), markers)
        if leaked:
            failures.append(f"POST {name} {url}: shows {role} objects of B: {leaked}")
    assert not failures, "\n".join(failures)


def _write_body(name: str, world: World) -> dict[str, Any]:
    """A minimal valid body where a form would otherwise stop at validation; ids of B where a
    user of A might smuggle in an object of the other gemeente."""
    if name == "partners:contract-create":
        return {
            "organisation": world.obj("B", "organisation").pk,
            "municipality": world.sides["A"].municipality.pk,
            "product": "Smokkel",
            "referral_type": "mb",
            "unit": "traject",
            "price": "1.00",
            "start_date": "2025-01-01",
        }
    organisation_b = world.obj("B", "organisation").pk
    if name in {"partners:referral-create", "partners:spell-create"}:
        return {
            "organisation": organisation_b,
            "referral_type": "mb",
            "kind": "werk",
            "start_date": "2025-01-01",
        }
    if name == "policy:action-create":
        return {"title": "Smokkel", "owner": organisation_b, "status": "planned"}
    if name == "partners:tokens":
        return {
            "organisation": organisation_b,
            "municipality": world.sides["A"].municipality.pk,
            "name": "Smokkel",
            "days": "30",
        }
    if name == "accounts:users":
        return {
            "username": "smokkel",
            "role": "regisseur",
            "municipalities": [world.sides["B"].municipality.pk],
            "team": world.obj("B", "team").pk,
            "password": "Thuis-smokkel-2026!",
        }
    if name == "policy:report-create":
        return {"plan": world.obj("B", "plan").pk, "peildatum": "2025-06-30"}
    return _body(name, world)


# Beheerder screens (issue 15): list page -> kinds whose marker must show for A and never for B.
BEHEERDER_LISTS: dict[str, tuple[str, ...]] = {
    "partners:tokens": ("sleutel", "Sleutel", "Organisatie"),
    "accounts:users": ("gebruiker",),
    "migration:import": ("import",),
    "partners:contracts": ("Product", "Organisatie"),
    "audit:log": ("beheerder",),
}


@pytest.mark.django_db
def test_beheerder_screens_list_the_own_gemeente_only(world: World) -> None:
    client = _client("beheerder", world)
    own = markers_of(world, "A") | {"beheerder": world.user("A", "beheerder").username}
    other = markers_of(world, "B") | {"beheerder": world.user("B", "beheerder").username}
    failures = []
    for name, kinds in BEHEERDER_LISTS.items():
        body = client.get(reverse(name)).content.decode()
        for kind in kinds:
            if own[kind] not in body:
                failures.append(f"{name}: does not list A's {kind} {own[kind]!r}")
            if other[kind] in body:
                failures.append(f"{name}: lists B's {kind} {other[kind]!r}")
    # The processing log filtered on a user of B has no record (the form echoes the name).
    response = client.get(reverse("audit:log"), {"gebruiker": other["beheerder"]})
    if list(response.context["page"].object_list):
        failures.append("audit:log?gebruiker=: shows records of B's beheerder")
    # Inzage: a BSN of B is answered as unknown; one of A gives the export.
    for side, expected in (("B", 404), ("A", 200)):
        response = client.post(
            reverse("audit:inzage"), {"inzage-bsn": world.obj(side, "person").bsn}
        )
        if response.status_code != expected:
            failures.append(f"audit:inzage for a BSN of {side}: {response.status_code}")
    assert not failures, "\n".join(failures)
