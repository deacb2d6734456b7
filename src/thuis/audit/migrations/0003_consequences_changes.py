"""The old and new values of a change on its processing-log record.

Nullable without a default, so SQLite adds the column in place (ALTER TABLE ADD COLUMN) and
keeps the append-only triggers of 0002; no existing row is updated.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_triggers")]

    operations = [
        migrations.AddField(
            model_name="processingrecord",
            name="changes",
            field=models.JSONField(blank=True, null=True, verbose_name="wijzigingen (oud en nieuw)"),
        ),
    ]
