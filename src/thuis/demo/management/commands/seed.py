"""`thuis seed`: deterministic synthetic statushouders (see thuis.demo.seed)."""

from __future__ import annotations

import argparse
import logging
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from thuis.demo import seed


def _iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            "gebruik een datum als JJJJ-MM-DD, bijvoorbeeld 2026-03-01"
        ) from exc


class Command(BaseCommand):
    help = (
        "Vult de database met synthetische statushouders: huishoudens, personen en "
        "inburgeringstrajecten. Dezelfde --seed (en peildatum) geeft dezelfde gegevens. "
        "--demo maakt de demogemeente Dalfsen (demo) met demo-accounts; opnieuw draaien "
        "verandert dan niets."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--seed",
            type=int,
            default=seed.DEFAULT_SEED,
            help=f"startgetal van de toevalsgenerator (standaard {seed.DEFAULT_SEED})",
        )
        parser.add_argument(
            "--municipality",
            metavar="CODE",
            help=f"CBS-gemeentecode van 4 cijfers (standaard {seed.DEMO_CODE})",
        )
        parser.add_argument(
            "--name", help="naam van de gemeente (standaard de bekende naam + '(synthetisch)')"
        )
        parser.add_argument(
            "--persons",
            type=int,
            help=f"aantal personen, kinderen meegeteld (standaard {seed.DEFAULT_PERSONS})",
        )
        parser.add_argument(
            "--years",
            type=int,
            help=(
                "aantal kalenderjaren instroom tot en met dit jaar "
                f"(standaard vanaf {seed.DEFAULT_START_YEAR})"
            ),
        )
        parser.add_argument(
            "--demo",
            action="store_true",
            help=(
                f"demogemeente {seed.DEMO_NAME} ({seed.DEMO_CODE}) met demo-accounts en "
                f"partnerorganisaties, plus {seed.DEMO_OTHER_NAME}; niets als die al gevuld is"
            ),
        )
        parser.add_argument(
            "--today",
            type=_iso_date,
            metavar="JJJJ-MM-DD",
            help="peildatum: geen instroom of statuswijziging ná deze datum (standaard vandaag)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # The jobs that run after the seed commits (eager in the embedded default) would each
        # log a line; the summary below says what was made.
        trace = logging.getLogger("celery.app.trace")
        level = trace.level
        trace.setLevel(logging.WARNING)
        try:
            self._handle(**options)
        finally:
            trace.setLevel(level)

    def _handle(self, **options: Any) -> None:
        today: date = options["today"] or date.today()  # noqa: DTZ011 - a local calendar date
        persons: int = seed.DEFAULT_PERSONS if options["persons"] is None else options["persons"]
        try:
            if options["demo"]:
                if options["municipality"] or options["name"]:
                    raise CommandError(
                        f"--demo gebruikt altijd {seed.DEMO_NAME} ({seed.DEMO_CODE}); "
                        "laat --municipality en --name weg."
                    )
                results = seed.seed_demo(today=today, seed=options["seed"], persons=persons)
                if not results:
                    self.stdout.write("De demogemeente is al gevuld.")
                    return
            else:
                results = [
                    seed.generate(
                        seed=options["seed"],
                        code=options["municipality"] or seed.DEMO_CODE,
                        name=options["name"],
                        persons=persons,
                        years=options["years"],
                        today=today,
                    )
                ]
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        for result in results:
            self.stdout.write(seed.format_summary(result))
        if options["demo"]:
            self.stdout.write(self.style.SUCCESS("Demogegevens aangemaakt. Zie: thuis demo_logins"))
