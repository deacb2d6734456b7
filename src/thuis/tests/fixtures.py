"""Shared fixtures: municipalities, users per role, logged-in clients (2FA passed)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.db import connection
from django.test import Client

import pytest

from thuis.accounts.choices import Role
from thuis.tests import factories


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    """Test databases may be reset between tests: allow the maintenance purge of the audit log.

    On PostgreSQL the append-only trigger honours `thuis.allow_audit_purge` (set here for the
    throw-away test database only). On SQLite the triggers are dropped in the test database; the
    append-only behaviour is then covered by the model layer and by the PostgreSQL run in CI.
    """
    with django_db_blocker.unblock():
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                name = connection.settings_dict["NAME"]
                cursor.execute(f"ALTER DATABASE \"{name}\" SET thuis.allow_audit_purge = 'on'")
                cursor.execute("SET thuis.allow_audit_purge = 'on'")
            elif connection.vendor == "sqlite":
                cursor.execute("DROP TRIGGER IF EXISTS audit_processingrecord_no_update")
                cursor.execute("DROP TRIGGER IF EXISTS audit_processingrecord_no_delete")
        connection.close()


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Every test starts with an empty cache: database ids and timestamps repeat across tests
    (rolled-back transactions), so cached indicator tables must not carry over."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def municipality(db: Any) -> Any:
    return factories.MunicipalityFactory(code="0148", name="Dalfsen (test)")


@pytest.fixture
def other_municipality(db: Any) -> Any:
    return factories.MunicipalityFactory(code="0193", name="Zwolle (test)")


@pytest.fixture
def make_user(db: Any, municipality: Any) -> Callable[..., Any]:
    def make(role: str = Role.REGISSEUR, municipalities: list[Any] | None = None, **kw: Any) -> Any:
        return factories.UserFactory(
            role=role, municipalities=municipalities or [municipality], **kw
        )

    return make


@pytest.fixture
def regisseur(make_user: Callable[..., Any]) -> Any:
    return make_user(Role.REGISSEUR, username="regisseur")


@pytest.fixture
def person(municipality: Any) -> Any:
    return factories.PersonFactory(municipality=municipality)


@pytest.fixture
def case(person: Any, regisseur: Any) -> Any:
    return factories.CaseFactory(person=person, regisseur=regisseur, plicht_start=date(2023, 3, 1))


def verified_client(user: Any) -> Client:
    """A client logged in with password and a confirmed TOTP device (second factor passed)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(user)
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="test", defaults={"confirmed": True}
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def login() -> Callable[[Any], Client]:
    return verified_client
