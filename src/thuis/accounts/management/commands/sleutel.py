"""`thuis sleutel`: API keys for the gemeente's own systems (rekenhulp, indicatoren).

Keys for a partner organisation's system are made by the beheerder on /partners/beheer/sleutels/
(the organisation must work in the gemeente). This command is for the application manager:
`maak` prints the key once, `lijst` shows the keys without secret, `intrekken` revokes one.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from thuis.accounts import services
from thuis.accounts.choices import TokenPurpose
from thuis.accounts.models import ApiToken
from thuis.core import formatting
from thuis.core.errors import ThuisError, ValidationFailed
from thuis.people.models import Municipality

SYSTEM_PURPOSES = [p for p in TokenPurpose.values if p != TokenPurpose.PARTNER_VERWIJZINGEN]


class Command(BaseCommand):
    help = "API-sleutels voor systemen van de gemeente maken, tonen en intrekken."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        make = sub.add_parser("maak", help="Maak een sleutel (wordt één keer getoond).")
        make.add_argument("--gemeente", required=True, help="CBS-code van de gemeente.")
        make.add_argument("--doel", required=True, choices=SYSTEM_PURPOSES)
        make.add_argument("--omschrijving", required=True)
        make.add_argument("--dagen", type=int, default=None, help="Geldigheid in dagen.")
        listing = sub.add_parser("lijst", help="Toon de sleutels (zonder de sleutel zelf).")
        listing.add_argument("--gemeente", default=None)
        revoke = sub.add_parser("intrekken", help="Trek een sleutel in (werkt meteen).")
        revoke.add_argument("nummer", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"_{options['action']}")(options)

    def _maak(self, options: dict[str, Any]) -> None:
        municipality = Municipality.objects.filter(code=options["gemeente"]).first()
        if municipality is None:
            raise CommandError("Deze gemeente bestaat niet in Thuis.")
        try:
            token, raw = services.api_token_create(
                by=services.BOOTSTRAP_KEY_ACTOR,
                purpose=options["doel"],
                municipality=municipality,
                name=options["omschrijving"],
                days=options["dagen"],
            )
        except ValidationFailed as exc:
            details = "; ".join(m for texts in exc.fields.values() for m in texts)
            raise CommandError(details or exc.message) from exc
        until = formatting.date_short(timezone.localtime(token.expires_at).date())
        self.stdout.write(
            f"Sleutel {token.pk} voor {municipality.name} ({token.get_purpose_display()}):\n"
            f"{raw}\n"
            f"Geldig tot {until}. Kopieer hem nu: Thuis bewaart hem niet. "
            "Gebruik: kopregel 'Authorization: Bearer <sleutel>'."
        )

    def _lijst(self, options: dict[str, Any]) -> None:
        tokens = ApiToken.objects.select_related("municipality", "account__organisation")
        if options["gemeente"]:
            tokens = tokens.filter(municipality__code=options["gemeente"])
        now = timezone.now()
        for t in tokens.order_by("municipality__code", "-created_at"):
            state = (
                "ingetrokken" if t.revoked else ("verlopen" if t.expires_at <= now else "geldig")
            )
            self.stdout.write(
                f"{t.pk}\t{t.municipality.code}\t{t.purpose}\t{t.prefix}…\t{t.name}\t"
                f"tot {formatting.date_short(timezone.localtime(t.expires_at).date())}\t{state}"
            )

    def _intrekken(self, options: dict[str, Any]) -> None:
        token = ApiToken.objects.filter(pk=options["nummer"]).first()
        if token is None:
            raise CommandError("Deze sleutel bestaat niet.")
        try:
            services.api_token_revoke(by=services.BOOTSTRAP_KEY_ACTOR, token=token)
        except ThuisError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"Sleutel {token.pk} is ingetrokken. Hij werkt niet meer.")
