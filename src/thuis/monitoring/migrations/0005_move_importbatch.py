"""ImportBatch moved to the migration app: state only, the table stays where it is."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0004_disclosure_fact_regime"),
        ("migration", "0001_migration_importbatch"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ImportBatch")],
            database_operations=[],
        ),
    ]
