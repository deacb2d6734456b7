"""Fact tables for bulk rebuilds: keyed by their source (case id, spell id), no database foreign
keys and no unused indexes.

Facts are derived data: the tables are re-created empty and the rebuild records and dashboard
snapshots are removed, so every page says the figures are not computed yet until the next
rebuild (nightly, or `thuis feiten bijwerken`).
"""

import django.db.models.deletion
from django.db import migrations, models


def forget_rebuilds(apps, schema_editor):
    apps.get_model("monitoring", "IndicatorSnapshot").objects.all().delete()
    apps.get_model("monitoring", "FactRebuild").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0002_indicatorsnapshot"),
        ("people", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(forget_rebuilds, migrations.RunPython.noop),
        migrations.DeleteModel(name="PersonFact"),
        migrations.DeleteModel(name="SpellFact"),
        migrations.CreateModel(
            name="PersonFact",
            fields=[
                ("case_id", models.BigIntegerField(primary_key=True, serialize=False)),
                ("person_id", models.BigIntegerField()),
                ("doelgroep", models.CharField(max_length=24)),
                ("sex", models.CharField(max_length=1)),
                ("age_at_plicht_start", models.PositiveSmallIntegerField()),
                ("country_of_birth", models.CharField(max_length=2)),
                ("plicht_start", models.DateField()),
                ("koppeling_date", models.DateField(null=True)),
                ("vestiging_date", models.DateField(null=True)),
                ("intake_start", models.DateField(null=True)),
                ("first_pip_date", models.DateField(null=True)),
                ("pip_deadline", models.DateField(null=True)),
                ("leerroute", models.CharField(blank=True, max_length=16)),
                ("leerroute_date", models.DateField(null=True)),
                ("termijn_end", models.DateField(null=True)),
                ("plicht_end_date", models.DateField(null=True)),
                ("plicht_end_reason", models.CharField(blank=True, max_length=32)),
                ("exams", models.JSONField(default=dict)),
                ("covered_months", models.JSONField(default=dict)),
                ("participatie_6m_vestiging", models.BooleanField(null=True)),
                ("rebuilt_at", models.DateTimeField()),
                (
                    "municipality",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="people.municipality",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(
                        fields=["municipality", "plicht_start"],
                        name="monitoring__municip_40da64_idx",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="SpellFact",
            fields=[
                ("spell_id", models.BigIntegerField(primary_key=True, serialize=False)),
                ("person_id", models.BigIntegerField()),
                ("kind", models.CharField(max_length=24)),
                ("start", models.DateField()),
                ("end", models.DateField(null=True)),
                (
                    "hours_per_week",
                    models.DecimalField(decimal_places=1, max_digits=5, null=True),
                ),
                (
                    "municipality",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="people.municipality",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(
                        fields=["municipality", "kind"], name="monitoring__municip_d2be72_idx"
                    )
                ],
            },
        ),
    ]
