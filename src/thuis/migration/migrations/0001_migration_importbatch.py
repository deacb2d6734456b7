"""ImportBatch moves here from monitoring: state only, the table stays `monitoring_importbatch`."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("monitoring", "0003_fact_tables_bulk"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ImportBatch",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        ("municipality_code", models.CharField(max_length=4)),
                        ("municipality_name", models.CharField(blank=True, max_length=100)),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("personen", "Personen en trajecten"),
                                    ("gebeurtenissen", "Gebeurtenissen"),
                                ],
                                max_length=16,
                            ),
                        ),
                        ("filename", models.CharField(max_length=255)),
                        ("sha256", models.CharField(max_length=64)),
                        ("content", models.BinaryField(null=True)),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("preview", "Gecontroleerd, nog niet verwerkt"),
                                    ("applied", "Verwerkt"),
                                    ("cancelled", "Geannuleerd"),
                                    ("failed", "Fouten gevonden"),
                                ],
                                max_length=16,
                            ),
                        ),
                        ("summary", models.JSONField(default=dict)),
                        ("errors", models.JSONField(default=list)),
                        (
                            "uploaded_by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={"db_table": "monitoring_importbatch", "ordering": ["-created_at"]},
                ),
            ],
            database_operations=[],
        ),
    ]
