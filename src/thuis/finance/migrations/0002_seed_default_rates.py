"""Seed national default amounts per inburgeringsplichtige (estimates, with their source).

Sources: /work/shared/domain/wet-inburgering.md §8.1. The exact SPUK per-capita amounts from the
Regeling inburgering 2021 are UNCONFIRMED there, so every row is marked as an estimate. A gemeente
overrides a year by adding its own row (screen "Bedragen per inburgeringsplichtige").
"""

from decimal import Decimal

from django.db import migrations

DALFSEN = (
    "Schatting: gemeente Dalfsen, Perspectiefnota 2022 (wet-inburgering.md §8.1); "
    "leerroute + MB + PVT + MAP"
)
DALFSEN_GEZIN = "Schatting: gemeente Dalfsen, Perspectiefnota 2022 (wet-inburgering.md §8.1); PVT + MAP"
DIVOSA_OR = (
    "Schatting: Divosa, kosten voorzieningen SPUK: gemiddeld € 17.000 per onderwijsroute "
    "2026–2029 (wet-inburgering.md §8.1)"
)

ROWS = [
    *[("spuk_asiel", year, Decimal("13000.00"), DALFSEN) for year in range(2022, 2030)],
    *[("spuk_gezin", year, Decimal("600.00"), DALFSEN_GEZIN) for year in range(2022, 2030)],
    *[("onderwijsroute", year, Decimal("17000.00"), DIVOSA_OR) for year in range(2026, 2030)],
]


def seed(apps, schema_editor):
    rate = apps.get_model("finance", "PerCapitaRate")
    for kind, year, amount, source in ROWS:
        rate.objects.get_or_create(
            municipality=None,
            year=year,
            kind=kind,
            defaults={"amount": amount, "is_estimate": True, "source": source},
        )


def unseed(apps, schema_editor):
    rate = apps.get_model("finance", "PerCapitaRate")
    for kind, year, _amount, _source in ROWS:
        rate.objects.filter(municipality=None, year=year, kind=kind, is_estimate=True).delete()


class Migration(migrations.Migration):
    dependencies = [("finance", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
