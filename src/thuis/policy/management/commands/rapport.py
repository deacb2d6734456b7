"""`thuis rapport evaluatie --gemeente 0148 --peildatum 2024-02-01 --out DIR` writes the
evaluation and the council document as PDF, DOCX and HTML; `thuis rapport outbox` sends the
e-mails of published reports that wait in the outbox."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from thuis.core.errors import ThuisError
from thuis.people.models import Municipality
from thuis.policy import render, services
from thuis.policy.models import Report


class Command(BaseCommand):
    help = "Rapportages beleid: evaluatierapport maken of de outbox versturen."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        evaluation = sub.add_parser("evaluatie", help="Maak het evaluatierapport en het raadsstuk.")
        evaluation.add_argument("--gemeente", required=True, help="CBS-gemeentecode, bv. 0148")
        evaluation.add_argument("--peildatum", required=True, help="JJJJ-MM-DD")
        evaluation.add_argument("--out", required=True, help="Map voor de bestanden")
        evaluation.add_argument(
            "--rapport", type=int, help="Id van het rapport (standaard: laatste)"
        )
        sub.add_parser("outbox", help="Verstuur wachtende e-mails van vastgestelde rapporten.")

    def handle(self, *args, **options):
        try:
            if options["action"] == "evaluatie":
                self._evaluation(options)
            else:
                result = services.distributions_deliver_due()
                self.stdout.write(
                    f"Verzonden: {result['verzonden']}, opnieuw later: {result['opnieuw']}, "
                    f"mislukt: {result['mislukt']}"
                )
        except ThuisError as exc:
            raise CommandError(exc.message) from exc

    def _evaluation(self, options):
        municipality = Municipality.objects.filter(code=options["gemeente"]).first()
        if municipality is None:
            raise CommandError(f"Gemeente {options['gemeente']} bestaat niet.")
        try:
            peildatum = date.fromisoformat(options["peildatum"])
        except ValueError as exc:
            raise CommandError("Schrijf de peildatum als JJJJ-MM-DD.") from exc
        if options.get("rapport"):
            report = Report.objects.filter(pk=options["rapport"], municipality=municipality).first()
            if report is None:
                raise CommandError(f"Rapport {options['rapport']} bestaat niet voor deze gemeente.")
        else:
            report = services.report_for_cli(municipality=municipality, peildatum=peildatum)
        out = Path(options["out"])
        out.mkdir(parents=True, exist_ok=True)
        snapshot, files = services.documents_for(report=report, peildatum=peildatum)
        for (document, fmt), content in sorted(files.items()):
            path = out / render.file_name(snapshot, document, fmt)
            path.write_bytes(content)
            self.stdout.write(f"{path} ({len(content)} bytes)")
        self.stdout.write(self.style.SUCCESS(f"Klaar: {snapshot['titel']}, peildatum {peildatum}."))
