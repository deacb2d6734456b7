"""Make the processing log append-only in the database itself (SECURITY.md G5).

Rollback note: reversing drops the triggers; the table and its rows are untouched.
"""

from django.db import migrations

PG_UP = """
CREATE OR REPLACE FUNCTION audit_processingrecord_append_only() RETURNS trigger AS $$
BEGIN
    -- Only a privileged maintenance session (retention purge, test database reset) may set
    -- thuis.allow_audit_purge; the application never does.
    IF current_setting('thuis.allow_audit_purge', true) = 'on' THEN
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'audit_processingrecord is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_processingrecord_no_update BEFORE UPDATE OR DELETE ON audit_processingrecord
    FOR EACH ROW EXECUTE FUNCTION audit_processingrecord_append_only();
CREATE TRIGGER audit_processingrecord_no_truncate BEFORE TRUNCATE ON audit_processingrecord
    FOR EACH STATEMENT EXECUTE FUNCTION audit_processingrecord_append_only();
"""
PG_DOWN = """
DROP TRIGGER IF EXISTS audit_processingrecord_no_update ON audit_processingrecord;
DROP TRIGGER IF EXISTS audit_processingrecord_no_truncate ON audit_processingrecord;
DROP FUNCTION IF EXISTS audit_processingrecord_append_only();
"""
SQLITE_UP = [
    """CREATE TRIGGER audit_processingrecord_no_update BEFORE UPDATE ON audit_processingrecord
       BEGIN SELECT RAISE(ABORT, 'audit_processingrecord is append-only'); END;""",
    """CREATE TRIGGER audit_processingrecord_no_delete BEFORE DELETE ON audit_processingrecord
       BEGIN SELECT RAISE(ABORT, 'audit_processingrecord is append-only'); END;""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS audit_processingrecord_no_update;",
    "DROP TRIGGER IF EXISTS audit_processingrecord_no_delete;",
]


def up(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_UP)
    elif vendor == "sqlite":
        for statement in SQLITE_UP:
            schema_editor.execute(statement)


def down(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DOWN)
    elif vendor == "sqlite":
        for statement in SQLITE_DOWN:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(up, down)]
