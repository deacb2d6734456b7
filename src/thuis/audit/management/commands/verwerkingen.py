"""`thuis verwerkingen controleer`: verify the hash chain of the processing log.

Exit code 0 and "in orde" with the number of records, or exit code 1 with the id of the first
record whose hash or link to the record before it does not match (changed, or a record before
it was deleted or inserted). Run it nightly and after a restore (SECURITY.md G5, G16).
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand

from thuis.audit import chain
from thuis.audit.models import ProcessingRecord


class Command(BaseCommand):
    help = "Verwerkingenlog: controleer de hashketen."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser(
            "controleer",
            help="Controleer of geen verwerking is gewijzigd, verwijderd of tussengevoegd.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        verdict = chain.verify(ProcessingRecord)
        if verdict.intact:
            self.stdout.write(
                f"Verwerkingenlog in orde: {verdict.count} verwerkingen gecontroleerd."
            )
            return
        self.stderr.write(
            f"Verwerkingenlog NIET in orde: de keten is gebroken bij verwerking {verdict.broken_id}"
            " (gewijzigd, of een verwerking ervoor is verwijderd of tussengevoegd)."
        )
        sys.exit(1)
