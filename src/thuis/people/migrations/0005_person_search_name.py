"""The normalised search name of a person (people.search), filled for the existing rows.

On PostgreSQL a pg_trgm GIN index makes the search's `LIKE '%term%'` fast. `CREATE EXTENSION
pg_trgm` needs the CREATE privilege on the database (pg_trgm is a trusted extension); see
docs/operations.md. SQLite skips the extension and the index (a plain LIKE there).
"""

from typing import Any

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

INDEX = "people_person_search_name_trgm"


def fill(apps: Any, schema_editor: Any) -> None:
    from thuis.people.search import refresh_search_names

    person = apps.get_model("people", "Person")
    refresh_search_names(person.objects.using(schema_editor.connection.alias))


def create_index(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON people_person "
            "USING gin (search_name gin_trgm_ops)"
        )


def drop_index(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0004_person_bsn_per_gemeente"),
    ]

    operations = [
        TrigramExtension(),
        migrations.AddField(
            model_name="person",
            name="search_name",
            field=models.TextField(
                blank=True, default="", editable=False, verbose_name="zoeknaam"
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(create_index, drop_index),
    ]
