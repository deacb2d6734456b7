"""`thuis duo_inbox`: process notifications that wait in the inbox (e.g. after a crash)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from thuis.duo.models import InboxMessage
from thuis.duo.services import inbox_process_pending


class Command(BaseCommand):
    help = "Verwerk de DUO-notificaties die nog in de inbox wachten."

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
            done = inbox_process_pending()
            waiting = InboxMessage.objects.filter(status="received").count()
            self.stdout.write(f"verwerkt={done} wachtend={waiting}")
            if not options["loop"]:
                return
            time.sleep(options["loop"])
