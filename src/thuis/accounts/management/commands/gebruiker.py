"""`thuis gebruiker activeringscode <gebruikersnaam>`: a one-time activation code for the
authenticator app, for the first beheerder (bootstrap) or when no beheerder can log in."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from thuis.accounts import services
from thuis.accounts.models import User
from thuis.core.errors import ThuisError


class Command(BaseCommand):
    help = "Gebruikers: een activeringscode voor de authenticator-app maken."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        code = sub.add_parser(
            "activeringscode",
            help="Maak een eenmalige activeringscode (vervangt een open code; "
            "met --opnieuw ook de gekoppelde app).",
        )
        code.add_argument("gebruikersnaam")
        code.add_argument(
            "--opnieuw",
            action="store_true",
            help="Verwijder ook de gekoppelde authenticator-app (de gebruiker koppelt opnieuw).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["gebruikersnaam"]).first()
        if user is None:
            raise CommandError("Deze gebruiker bestaat niet.")
        try:
            code = services.activation_code_bootstrap(user=user, reset=options["opnieuw"])
        except ThuisError as exc:
            raise CommandError(exc.message) from exc
        hours = settings.THUIS_ACTIVATION_CODE_HOURS
        self.stdout.write(
            f"Activeringscode voor {user.username}: {code}\n"
            f"Geldig: {hours} uur, één keer te gebruiken. "
            "Geef de code alleen aan de gebruiker zelf."
        )
