"""`thuis signalen`: the daily job that turns the rules into a work queue (embedded default).

In production Celery beat runs `thuis.cases.tasks.refresh_signals` every night.
"""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from thuis.cases import services
from thuis.core import formatting
from thuis.people.models import Municipality


class Command(BaseCommand):
    help = "Werk de signalen (werkvoorraad) van alle trajecten bij."

    def add_arguments(self, parser):
        parser.add_argument("--datum", help="Peildatum (JJJJ-MM-DD); standaard vandaag.")
        parser.add_argument("--gemeente", help="CBS-gemeentecode; standaard alle gemeenten.")

    def handle(self, *args, **options):
        try:
            today = (
                date.fromisoformat(options["datum"]) if options["datum"] else timezone.localdate()
            )
        except ValueError as exc:
            raise CommandError("De datum moet de vorm JJJJ-MM-DD hebben.") from exc
        municipality = None
        if options["gemeente"]:
            municipality = Municipality.objects.filter(code=options["gemeente"]).first()
            if municipality is None:
                raise CommandError(f"Gemeente {options['gemeente']} bestaat niet.")
        totals = services.signals_refresh_all(today=today, municipality=municipality)
        self.stdout.write(
            f"Signalen bijgewerkt op {formatting.date_short(today)}: "
            f"{totals['trajecten']} trajecten, "
            f"{totals['nieuw']} nieuw, {totals['opgelost']} opgelost."
        )
