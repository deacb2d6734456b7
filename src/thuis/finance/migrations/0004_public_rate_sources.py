"""Cite the public publications for the seeded default amounts, not a file name.

The evaluation report prints a rate's source next to each estimate, so it must name what a
reader can look up: the Perspectiefnota 2022 of gemeente Dalfsen and Divosa's page on the SPUK
costs. Only rows that still carry the seeded text change; a source a gemeente wrote stays.
"""

from django.db import migrations

PERSPECTIEFNOTA = (
    "gemeente Dalfsen, Perspectiefnota 2022, programma 6 Inkomensondersteuning, "
    "https://dalfsen2022.perspectiefnota.nl/p6914/6-inkomensondersteuning"
)
DIVOSA = (
    "Divosa, Wet inburgering vraag en antwoord: kosten voorzieningen SPUK, "
    "https://divosa.nl/publicaties/wet-inburgering-vraag-en-antwoord/financien/kosten-voorzieningen-spuk"
)
# seeded text (0002) -> public source
SOURCES = {
    "Schatting: gemeente Dalfsen, Perspectiefnota 2022 (wet-inburgering.md §8.1); "
    "leerroute + MB + PVT + MAP": f"Schatting: {PERSPECTIEFNOTA}; leerroute + MB + PVT + MAP",
    "Schatting: gemeente Dalfsen, Perspectiefnota 2022 (wet-inburgering.md §8.1); "
    "PVT + MAP": f"Schatting: {PERSPECTIEFNOTA}; PVT + MAP",
    "Schatting: Divosa, kosten voorzieningen SPUK: gemiddeld € 17.000 per onderwijsroute "
    "2026–2029 (wet-inburgering.md §8.1)": "Schatting: gemiddeld € 17.000 per onderwijsroute "
    f"2026–2029; {DIVOSA}",
}


def forward(apps, schema_editor):
    rate = apps.get_model("finance", "PerCapitaRate")
    for old, new in SOURCES.items():
        rate.objects.filter(municipality=None, source=old).update(source=new)


def backward(apps, schema_editor):
    rate = apps.get_model("finance", "PerCapitaRate")
    for old, new in SOURCES.items():
        rate.objects.filter(municipality=None, source=new).update(source=old)


class Migration(migrations.Migration):
    dependencies = [("finance", "0003_infra_messages")]

    operations = [migrations.RunPython(forward, backward)]
