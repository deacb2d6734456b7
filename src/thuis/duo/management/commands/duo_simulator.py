"""`thuis duo_simulator`: a local DUO on loopback (read and delivery APIs, pushes notifications).

For demos and tests only. Point Thuis at it with THUIS_DUO_BASE_URL=http://127.0.0.1:PORT/v1
and use the same OINs on both sides.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from thuis.core.bsn import is_valid_bsn
from thuis.duo.simulator import SimulatorState, serve

DEMO_DUO_OIN = "00000099000000000001"  # demo only, not a real OIN
DEMO_GEMEENTE_OIN = "00000099000000000148"  # demo only


class Command(BaseCommand):
    help = "Start een DUO-simulator op 127.0.0.1 (alleen voor demo en test)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8765)
        parser.add_argument("--thuis-url", default="http://127.0.0.1:8000")
        parser.add_argument("--duo-oin", default=settings.THUIS_DUO_OIN or DEMO_DUO_OIN)
        parser.add_argument(
            "--gemeente-oin", default=settings.THUIS_GEMEENTE_OIN or DEMO_GEMEENTE_OIN
        )
        parser.add_argument("--gemeentecode", default=settings.THUIS_DUO_GEMEENTECODE or "0148")
        parser.add_argument(
            "--persoon",
            action="append",
            default=[],
            metavar="BSN",
            help="Zet een inburgeringsplichtige klaar (mag vaker).",
        )
        parser.add_argument(
            "--push",
            action="append",
            default=[],
            metavar="BSN:CODE",
            help="Stuur na het starten een notificatie naar Thuis, bijv. BSN:SS139.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        state = SimulatorState(
            duo_oin=options["duo_oin"],
            gemeente_oin=options["gemeente_oin"],
            gemeentecode=options["gemeentecode"],
            thuis_url=options["thuis_url"],
        )
        for bsn in options["persoon"]:
            if not is_valid_bsn(bsn):
                raise CommandError("Een --persoon moet een geldig BSN zijn.")
            state.add_person(bsn, begindatum=timezone.localdate())
        server, _thread = serve(state, port=options["port"])
        self.stdout.write(
            f"DUO-simulator op http://127.0.0.1:{server.server_port}/v1 "
            f"(DUO-OIN {state.duo_oin}, gemeente-OIN {state.gemeente_oin}). Stop met Ctrl-C."
        )
        for item in options["push"]:
            bsn, _sep, code = item.partition(":")
            if bsn not in state.persons:
                state.add_person(bsn, begindatum=timezone.localdate())
            status = state.push(bsn=bsn, gebeurtenis_id=code or "SS139")
            self.stdout.write(f"notificatie {code or 'SS139'} verstuurd: Thuis antwoordde {status}")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            server.shutdown()
