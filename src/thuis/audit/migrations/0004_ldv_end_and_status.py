"""End time and status of a processing (Logboek Dataverwerkingen).

Older records keep an empty end time and status; no existing row is updated. On SQLite, adding
a NOT NULL column rebuilds the table, which drops the append-only triggers of 0002: they are
created again here.

Rollback note: reversing drops the two columns (on SQLite the triggers are created again).
"""

from importlib import import_module

from django.db import migrations, models

append_only = import_module("thuis.audit.migrations.0002_append_only_triggers")


def sqlite_triggers(apps, schema_editor):
    """Create the SQLite triggers of 0002 again (a table rebuild drops them)."""
    if schema_editor.connection.vendor != "sqlite":
        return
    for statement in append_only.SQLITE_DOWN + append_only.SQLITE_UP:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_consequences_changes")]

    operations = [
        migrations.AddField(
            model_name="processingrecord",
            name="ended_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="eindtijd (UTC)"),
        ),
        migrations.AddField(
            model_name="processingrecord",
            name="status",
            field=models.CharField(
                blank=True,
                choices=[("OK", "In orde"), ("ERROR", "Fout")],
                max_length=8,
                verbose_name="status",
            ),
        ),
        migrations.RunPython(sqlite_triggers, sqlite_triggers),
    ]
