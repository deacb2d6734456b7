"""schemathesis per role against the committed OpenAPI schema (issue 15, finding 7).

Every operation is called with generated input (valid and invalid) as each role the issue
names: anonymous, regisseur, teamleider, beleidsmedewerker, beheerder, a partner user and a
partner organisation's API key. Checks: no server error (5xx) and no ignored authentication
(an operation that declares authentication must refuse a request without it).

The suite runs a modest number of examples per operation and role; a long run:

    THUIS_SCHEMATHESIS_EXAMPLES=200 .venv/bin/pytest -q tests/test_schemathesis.py

(docs/quality.md). The world holds two gemeenten with persons, cases and referrals, so that
generated ids hit real rows of the own and the other gemeente.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings as django_settings
from django.core.handlers.wsgi import WSGIHandler
from django.middleware.csrf import _get_new_csrf_string, _mask_cipher_secret

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import ignored_auth

from thuis.accounts.choices import Role

SCHEMA = Path(__file__).resolve().parents[1] / "src" / "thuis" / "api" / "openapi.yaml"
EXAMPLES = int(os.environ.get("THUIS_SCHEMATHESIS_EXAMPLES", "6"))
ROLES = [
    "anoniem",
    Role.REGISSEUR,
    Role.TEAMLEIDER,
    Role.BELEIDSMEDEWERKER,
    Role.BEHEERDER,
    "partner-gebruiker",
    "partner-sleutel",
]

schema = schemathesis.openapi.from_path(SCHEMA)
# In-process WSGI, for the calls and for the ignored-auth probes alike.
schema.app = WSGIHandler()
schema.config.update(base_url="http://localhost")
#: The credentials of the role under test (set by the test, read by the auth provider).
CURRENT: dict[str, tuple[dict[str, str], dict[str, str]]] = {"credentials": ({}, {})}


@schema.auth(refresh_interval=None)
class RoleAuth:
    """The role's credentials as schemathesis auth: explicit, so the ignored-auth check takes
    them away (and sends wrong ones) to see that the operation refuses."""

    def get(self, case: Any, ctx: Any) -> tuple[dict[str, str], dict[str, str]]:
        return CURRENT["credentials"]

    def set(self, case: Any, data: tuple[dict[str, str], dict[str, str]], ctx: Any) -> None:
        headers, cookies = data
        case.headers = {**(case.headers or {}), **headers}
        case.cookies = {**(case.cookies or {}), **cookies}


def _world() -> dict[str, Any]:
    from thuis.partners import rules, services
    from thuis.partners.choices import OrganisationKind, ReferralStatus, ReferralType
    from thuis.partners.models import Organisation
    from thuis.tests import factories

    a = factories.MunicipalityFactory(code="0148", name="Dalfsen (st)")
    b = factories.MunicipalityFactory(code="0193", name="Zwolle (st)")
    users: dict[str, Any] = {}
    for role in [Role.REGISSEUR, Role.TEAMLEIDER, Role.BELEIDSMEDEWERKER, Role.BEHEERDER]:
        users[role] = factories.UserFactory(username=f"st-{role}", role=role, municipalities=[a])
    org = Organisation.objects.create(
        name="Partner (st)", kind=OrganisationKind.MAATSCHAPPELIJKE_BEGELEIDING
    )
    org.municipalities.set([a, b])
    users["partner-gebruiker"] = factories.UserFactory(
        username="st-partner", role=Role.PARTNER, municipalities=[a], organisation=org
    )
    regisseur_b = factories.UserFactory(username="st-r-b", role=Role.REGISSEUR, municipalities=[b])
    for municipality, regisseur in [(a, users[Role.REGISSEUR]), (b, regisseur_b)]:
        for _ in range(3):
            case = factories.CaseFactory(
                person=factories.PersonFactory(municipality=municipality),
                regisseur=regisseur,
                plicht_start=date(2023, 3, 1),
            )
            referral, _ = services.referral_share(
                by=regisseur,
                person=case.person,
                organisation=org,
                referral_type=ReferralType.MB,
                today=date(2025, 3, 3),
                consent_on=date(2025, 3, 3),
                case=case,
            )
            for step in [ReferralStatus.ACCEPTED, ReferralStatus.ACTIVE]:
                services.referral_transition(
                    by="test", referral=referral, to=step, actor=rules.PARTNER, on=date(2025, 3, 3)
                )
    _, key = services.token_create(
        by=users[Role.BEHEERDER], organisation=org, municipality=a, name="st", days=10
    )
    users["partner-sleutel"] = key
    return users


def _credentials(who: Any) -> tuple[dict[str, str], dict[str, str]]:
    """(headers, cookies) of a role: a verified session with a CSRF token, or a key."""
    from thuis.tests.fixtures import verified_client

    if who is None:
        return {}, {}
    if isinstance(who, str):
        return {"Authorization": f"Bearer {who}"}, {}
    client = verified_client(who)
    secret = _get_new_csrf_string()
    cookies = {
        django_settings.SESSION_COOKIE_NAME: client.cookies[
            django_settings.SESSION_COOKIE_NAME
        ].value,
        django_settings.CSRF_COOKIE_NAME: secret,
    }
    return {"X-CSRFToken": _mask_cipher_secret(secret)}, cookies


@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any) -> Any:
    """Credentials per role. The rows are committed once for the module (each test's own writes
    roll back) and flushed afterwards."""
    from django.core.management import call_command
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    # As Django's test client does: a request must not close the test's database connection
    # (on PostgreSQL that would end the test's transaction).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        with django_db_blocker.unblock():
            users = _world()
            yield {role: _credentials(users.get(role)) for role in ROLES}
            call_command("flush", "--noinput", verbosity=0)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_no_server_error_and_no_ignored_auth(case: Any, role: str, world: Any) -> None:
    CURRENT["credentials"] = world[role]
    case.call_and_validate(checks=[not_a_server_error, ignored_auth])
