"""The application's database role cannot change the processing log or switch off its
triggers (docs/operations.md "Database roles"; issue 15 item 7). PostgreSQL only: SQLite has no
roles."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection, transaction

import pytest

from thuis.audit import chain, events
from thuis.audit.models import ProcessingRecord

FORBIDDEN = (
    "UPDATE audit_processingrecord SET reason = 'x'",
    "DELETE FROM audit_processingrecord",
    "TRUNCATE audit_processingrecord",
    "ALTER TABLE audit_processingrecord DISABLE TRIGGER audit_processingrecord_no_update",
    "ALTER TABLE audit_processingrecord DISABLE TRIGGER ALL",
    "DROP TRIGGER audit_processingrecord_no_update ON audit_processingrecord",
    "ALTER TABLE audit_processingrecord OWNER TO CURRENT_USER",
)
INSUFFICIENT_PRIVILEGE = "42501"


def grant_block() -> list[str]:
    """The statements of the documented grant block, in order."""
    text = (settings.BASE_DIR / "docs" / "operations.md").read_text(encoding="utf-8")
    block = text.split("<!-- app-role-grants", 1)[1].split("```sql\n", 1)[1].split("```", 1)[0]
    return [s.strip() for s in block.split(";") if s.strip()]


def _sqlstate(exc: BaseException) -> str:
    cause = exc.__cause__
    return str(getattr(cause, "sqlstate", "") or getattr(cause, "pgcode", ""))


def test_the_documented_block_revokes_the_changing_rights() -> None:
    statements = grant_block()
    assert statements[-1].startswith("REVOKE UPDATE, DELETE, TRUNCATE")
    assert not [s for s in statements if "OWNER" in s.upper()]


@pytest.mark.django_db
def test_the_application_role_may_append_but_not_change_or_unprotect(
    regisseur: Any, person: Any
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("Database roles exist on PostgreSQL only.")
    events.persons_read(user=regisseur, persons=[person])
    role = f'"thuis_app_test_{os.getpid()}"'  # rolled back with the test's transaction
    database = f'"{connection.settings_dict["NAME"]}"'
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {role} NOLOGIN NOSUPERUSER NOINHERIT")
        for statement in grant_block():
            cursor.execute(
                statement.replace("DATABASE thuis ", f"DATABASE {database} ").replace(
                    "thuis_app", role
                )
            )
        cursor.execute(f"SET ROLE {role}")
        try:
            # The trigger lets this session through (the test database sets the purge flag):
            # the role alone must stop every statement.
            cursor.execute("SHOW thuis.allow_audit_purge")
            assert cursor.fetchone() == ("on",)
            events.persons_read(user=regisseur, persons=[person])
            assert ProcessingRecord.objects.count() == 2
            assert chain.verify(ProcessingRecord).intact
            for sql in FORBIDDEN:
                with pytest.raises(DatabaseError) as exc, transaction.atomic():
                    cursor.execute(sql)
                assert _sqlstate(exc.value) == INSUFFICIENT_PRIVILEGE, sql
        finally:
            cursor.execute("RESET ROLE")
    assert ProcessingRecord.objects.count() == 2
