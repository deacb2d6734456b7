"""`thuis duo_outbox`: send every due delivery to DUO (also retries with backoff)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from thuis.duo.models import OutboxMessage
from thuis.duo.services import outbox_process_due


class Command(BaseCommand):
    help = "Verstuur de berichten aan DUO die klaarstaan (met nieuwe pogingen na een storing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--loop",
            type=int,
            default=0,
            metavar="SECONDEN",
            help="Blijf draaien en kijk elke SECONDEN opnieuw (zonder Celery-worker).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            counts = outbox_process_due()
            pending = OutboxMessage.objects.filter(status="pending").count()
            failed = OutboxMessage.objects.filter(status="failed").count()
            self.stdout.write(
                f"verzonden={counts.get('sent', 0)} opnieuw-later={counts.get('pending', 0)} "
                f"mislukt={counts.get('failed', 0)}; wachtend={pending} mislukt-totaal={failed}"
            )
            if not options["loop"]:
                return
            time.sleep(options["loop"])
