"""`thuis financien prognose --gemeente 0148 [--scenario ID] [--json]` and
`thuis financien inlezen BESTAND --gemeente 0148` (all-or-nothing, idempotent)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from thuis.core import formatting
from thuis.core.errors import ThuisError
from thuis.finance import rules, selectors, services
from thuis.finance.models import Scenario
from thuis.people.models import Municipality


def _json_default(value):
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(type(value))


class Command(BaseCommand):
    help = "Financiën inburgering: prognose tonen of kosten inlezen."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        forecast = sub.add_parser("prognose", help="Toon de prognose van een scenario.")
        forecast.add_argument("--gemeente", required=True, help="CBS-gemeentecode, bv. 0148")
        forecast.add_argument(
            "--scenario", type=int, help="Scenario-id (standaard: standaardscenario)"
        )
        forecast.add_argument("--json", action="store_true", help="Uitvoer als JSON")
        load = sub.add_parser("inlezen", help="Lees kosten in uit CSV of XLSX.")
        load.add_argument("bestand")
        load.add_argument("--gemeente", required=True)

    def handle(self, *args, **options):
        municipality = Municipality.objects.filter(code=options["gemeente"]).first()
        if municipality is None:
            raise CommandError(f"Gemeente {options['gemeente']} bestaat niet.")
        try:
            if options["action"] == "prognose":
                self._forecast(municipality, options)
            else:
                self._load(municipality, options)
        except ThuisError as exc:
            raise CommandError(exc.message) from exc

    def _forecast(self, municipality, options):
        if options.get("scenario"):
            scenario = Scenario.objects.filter(
                pk=options["scenario"], municipality=municipality
            ).first()
        else:
            scenario = selectors.scenario_default(municipality=municipality)
        if scenario is None:
            raise CommandError("Geen scenario gevonden.")
        params, projection = selectors.scenario_projection(scenario=scenario)
        if options["json"]:
            payload = {
                "gemeente": municipality.code,
                "scenario": scenario.name,
                "versie": scenario.version,
                "parameters": rules.params_to_dict(params),
                "jaren": selectors.projection_rows(projection),
                "waarschuwingen": [w.message for w in projection.warnings],
            }
            self.stdout.write(json.dumps(payload, default=_json_default, indent=2))
            return
        self.stdout.write(
            f"{municipality.name} – scenario {scenario.name} (versie {scenario.version})"
        )
        for y in projection.years:
            self.stdout.write(
                f"{y.year}: inkomsten {formatting.euro(y.income_total)}, uitgaven "
                f"{formatting.euro(y.spending_total)}, saldo {formatting.euro(y.cumulative)}"
            )
        for w in projection.warnings:
            self.stdout.write(self.style.WARNING(w.message))

    def _load(self, municipality, options):
        path = Path(options["bestand"])
        if not path.is_file():
            raise CommandError(f"Bestand {path} niet gevonden.")
        done = services.cost_import_file(
            by="thuis financien inlezen",
            municipality=municipality,
            filename=path.name,
            content=path.read_bytes(),
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"{done.rows_created} nieuwe regels; {done.rows_skipped} stonden er al."
            )
        )
