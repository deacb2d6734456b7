"""`thuis partners outbox`: send due notification e-mails (retries after a mail outage)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from thuis.partners import services


class Command(BaseCommand):
    help = "Partners: e-mails uit de outbox versturen."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("outbox", help="Verstuur alle meldingen die klaarstaan.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "outbox":
            counts = services.notifications_deliver_due()
            self.stdout.write(
                f"Verzonden: {counts['sent']}, wacht nog: {counts['pending']}, "
                f"mislukt: {counts['failed']}"
            )
