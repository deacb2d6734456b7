"""`thuis enquete import FILE.xlsx` and `thuis enquete export ID FILE.xlsx` (XLSForm)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from thuis.core.errors import ThuisError
from thuis.people.models import Municipality
from thuis.surveys import services
from thuis.surveys.models import Survey


class Command(BaseCommand):
    help = "Vragenlijsten inlezen uit en wegschrijven naar XLSForm (KoboToolbox/ODK)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="actie", required=True)
        imp = sub.add_parser("import", help="Lees een XLSForm in; toont het id van de vragenlijst.")
        imp.add_argument("bestand", help="Pad naar het .xlsx-bestand.")
        imp.add_argument("--gemeente", help="CBS-gemeentecode; nodig als er meer gemeenten zijn.")
        exp = sub.add_parser("export", help="Schrijf een vragenlijst weg als XLSForm.")
        exp.add_argument("id", type=int, help="Id van de vragenlijst.")
        exp.add_argument("bestand", help="Pad voor het .xlsx-bestand.")
        exp.add_argument("--versie", type=int, help="Versienummer; standaard de laatste versie.")

    def handle(self, *args, **options):
        if options["actie"] == "import":
            self._import(options)
        else:
            self._export(options)

    def _import(self, options):
        path = Path(options["bestand"])
        if not path.is_file():
            raise CommandError(f"Bestand {path} bestaat niet.")
        if options["gemeente"]:
            municipality = Municipality.objects.filter(code=options["gemeente"]).first()
            if municipality is None:
                raise CommandError(f"Gemeente {options['gemeente']} bestaat niet.")
        else:
            municipalities = list(Municipality.objects.all()[:2])
            if len(municipalities) != 1:
                raise CommandError("Geef de gemeente op met --gemeente CODE.")
            municipality = municipalities[0]
        try:
            version = services.survey_import_xlsform(
                municipality=municipality, content=path.read_bytes()
            )
        except ThuisError as exc:
            raise CommandError("Het bestand is niet ingelezen:\n" + exc.message) from exc
        self.stdout.write(str(version.survey_id))

    def _export(self, options):
        survey = Survey.objects.filter(pk=options["id"]).first()
        if survey is None:
            raise CommandError(f"Vragenlijst {options['id']} bestaat niet.")
        versions = survey.versions.order_by("-number")
        version = (
            versions.filter(number=options["versie"]).first()
            if options["versie"]
            else versions.first()
        )
        if version is None:
            raise CommandError("Deze versie bestaat niet.")
        path = Path(options["bestand"])
        path.write_bytes(services.survey_export_xlsform(version=version))
        self.stdout.write(f"Versie {version.number} van '{survey.title}' geschreven naar {path}.")
