"""`thuis feiten bijwerken [--gemeente CODE]`: rebuild the fact tables now.
`thuis feiten taakstelling --gemeente CODE --halfjaar 2019-H1 --aantal 20`: record a quota."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from thuis.core.errors import ThuisError
from thuis.monitoring import services
from thuis.people.models import Municipality


class Command(BaseCommand):
    help = "Feitentabellen voor de monitor bijwerken, of een taakstelling vastleggen."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="actie", required=True, metavar="{bijwerken,taakstelling}")
        rebuild = sub.add_parser("bijwerken", help="Bouw de feitentabellen opnieuw op.")
        rebuild.add_argument("--gemeente", help="CBS-gemeentecode; standaard alle gemeenten")
        quota = sub.add_parser("taakstelling", help="Leg de taakstelling van een halfjaar vast.")
        quota.add_argument("--gemeente", required=True)
        quota.add_argument("--halfjaar", required=True, help="JJJJ-H1 of JJJJ-H2")
        quota.add_argument("--aantal", required=True, type=int)
        quota.add_argument("--bron", default="")

    def _municipality(self, code):
        found = Municipality.objects.filter(code=code).first()
        if found is None:
            raise CommandError(f"Gemeente {code} bestaat niet.")
        return found

    def handle(self, *args, **options):
        if options["actie"] == "taakstelling":
            try:
                quota = services.housing_quota_set(
                    municipality=self._municipality(options["gemeente"]),
                    period=options["halfjaar"],
                    persons=options["aantal"],
                    source=options["bron"],
                )
            except ThuisError as exc:
                raise CommandError(exc.message) from exc
            self.stdout.write(f"Taakstelling {quota.period}: {quota.persons} personen.")
            return
        municipality = self._municipality(options["gemeente"]) if options["gemeente"] else None
        totals = services.facts_rebuild(municipality=municipality)
        self.stdout.write(
            f"Feiten bijgewerkt: {totals['gemeenten']} gemeenten, {totals['personen']} trajecten, "
            f"{totals['perioden']} perioden."
        )
