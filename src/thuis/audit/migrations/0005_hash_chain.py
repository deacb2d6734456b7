"""The hash chain of the processing log (audit/chain.py): prev_hash and record_hash.

The existing records are chained here, in id order. That is the one time rows of this table are
updated: the append-only triggers are switched off for it (PostgreSQL: ALTER TABLE ... DISABLE
TRIGGER, which only the owner role that runs migrations may do, inside this migration's
transaction; SQLite: the table rebuild of AddField has dropped them, and they are created
again at the end). The table is locked while this runs.

Rollback note: reversing drops the two columns; the triggers stay (SQLite: created again).
"""

from importlib import import_module

from django.db import migrations, models

from thuis.audit import chain

append_only = import_module("thuis.audit.migrations.0002_append_only_triggers")
BATCH = 2000


def chain_existing(apps, schema_editor):
    record_model = apps.get_model("audit", "ProcessingRecord")
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE audit_processingrecord DISABLE TRIGGER audit_processingrecord_no_update"
        )
    prev = ""
    after = 0
    while True:
        rows = list(record_model._base_manager.filter(id__gt=after).order_by("id")[:BATCH])
        if not rows:
            break
        prev = chain.link(rows, prev)
        record_model._base_manager.bulk_update(rows, ["prev_hash", "record_hash"])
        after = rows[-1].pk
    if vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE audit_processingrecord ENABLE TRIGGER audit_processingrecord_no_update"
        )
    sqlite_triggers(apps, schema_editor)


def sqlite_triggers(apps, schema_editor):
    """Create the SQLite triggers of 0002 again (a table rebuild drops them)."""
    if schema_editor.connection.vendor != "sqlite":
        return
    for statement in append_only.SQLITE_DOWN + append_only.SQLITE_UP:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_ldv_end_and_status")]

    operations = [
        migrations.AddField(
            model_name="processingrecord",
            name="prev_hash",
            field=models.CharField(
                blank=True, max_length=64, verbose_name="hash vorige verwerking"
            ),
        ),
        migrations.AddField(
            model_name="processingrecord",
            name="record_hash",
            field=models.CharField(blank=True, max_length=64, verbose_name="hash"),
        ),
        migrations.RunPython(chain_existing, sqlite_triggers),
    ]
