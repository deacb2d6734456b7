"""`thuis duo_simulator` (also `thuis duo-simulator`): a local DUO on loopback.

For demos and tests only. Point Thuis at it with THUIS_DUO_BASE_URL=http://127.0.0.1:PORT/v1
and use the same OINs on both sides (conf/dev.py does both).

    thuis duo_simulator [--port 8765] [--demo]      start the simulator (Ctrl-C stops it)
    thuis duo_simulator push SS139 --bsn BSN        let the running simulator notify Thuis
    thuis duo_simulator verleng --bsn BSN --maanden 6 [--code SS104]
                                                    DUO extends the termijn and notifies Thuis
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import timezone

import requests

from thuis.core.bsn import is_valid_bsn
from thuis.duo.simulator import SimPerson, SimulatorState, demo_source, serve

DEMO_DUO_OIN = "00000099000000000001"  # demo only, not a real OIN
DEMO_GEMEENTE_OIN = "00000099000000000148"  # demo only
DEFAULT_PORT = 8765


class Command(BaseCommand):
    help = "Start een DUO-simulator op 127.0.0.1, of laat een draaiende simulator iets melden."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=DEFAULT_PORT)
        parser.add_argument("--thuis-url", default="http://127.0.0.1:8000")
        parser.add_argument("--duo-oin", default=settings.THUIS_DUO_OIN or DEMO_DUO_OIN)
        parser.add_argument(
            "--gemeente-oin", default=settings.THUIS_GEMEENTE_OIN or DEMO_GEMEENTE_OIN
        )
        parser.add_argument("--gemeentecode", default=settings.THUIS_DUO_GEMEENTECODE or "0148")
        parser.add_argument(
            "--demo",
            action="store_true",
            help="DUO kent de personen van de demogemeente in Thuis (alleen met THUIS_DEMO).",
        )
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
        actions = parser.add_subparsers(dest="action", required=False, metavar="ACTIE")
        push = actions.add_parser(
            "push", help="Laat de draaiende simulator een notificatie naar Thuis sturen."
        )
        push.add_argument("code", metavar="CODE", help="gebeurtenisId, bijv. SS139")
        push.add_argument("--bsn", required=True)
        push.add_argument(
            "--begindatum",
            default="",
            help="Start van de plicht bij DUO als de persoon nieuw is (JJJJ-MM-DD).",
        )
        push.add_argument(
            "--doelgroep",
            default="Asielstatushouder",
            choices=["Asielstatushouder", "Gezinsmigrant en overige migrant"],
        )
        push.add_argument("--simulator-url", default=f"http://127.0.0.1:{DEFAULT_PORT}")
        extend = actions.add_parser(
            "verleng", help="DUO verlengt de termijn (SS103/SS104) en meldt dat aan Thuis."
        )
        extend.add_argument("--bsn", required=True)
        extend.add_argument("--maanden", type=int, required=True)
        extend.add_argument("--code", default="SS104", choices=["SS103", "SS104"])
        extend.add_argument("--grond", default="ZIEK", help="verlengingsgrondcode")
        extend.add_argument("--simulator-url", default=f"http://127.0.0.1:{DEFAULT_PORT}")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options.get("action")
        if action == "push":
            self._push(options)
        elif action == "verleng":
            self._extend(options)
        else:
            self._serve(options)

    # --- talking to a running simulator ---

    def _control(self, options: dict[str, Any], path: str, body: dict[str, Any]) -> Any:
        url = options["simulator_url"].rstrip("/") + path
        try:
            response = requests.post(url, json=body, timeout=60)
        except requests.RequestException as exc:
            raise CommandError(
                f"De DUO-simulator op {options['simulator_url']} is niet bereikbaar. "
                "Start hem met `thuis duo_simulator` (of `make run`)."
            ) from exc
        data = response.json() if response.content else {}
        if response.status_code >= 400:
            raise CommandError(f"De simulator weigerde: {data.get('fout', response.status_code)}")
        return data

    def _push(self, options: dict[str, Any]) -> None:
        bsn, code = options["bsn"], options["code"].upper()
        if not is_valid_bsn(bsn):
            raise CommandError("--bsn moet een geldig BSN zijn (elfproef).")
        created = self._control(
            options,
            "/_simulator/personen",
            {
                "bsn": bsn,
                "begindatum": options["begindatum"] or timezone.localdate().isoformat(),
                "doelgroep": options["doelgroep"],
                "gedetailleerdeDoelgroep": options["doelgroep"]
                if options["doelgroep"] == "Asielstatushouder"
                else "Overig",
            },
        )
        if created.get("aangemaakt"):
            self.stdout.write("DUO kende deze persoon nog niet; de simulator heeft hem aangemaakt.")
        answer = self._control(
            options, "/_simulator/notificaties", {"bsn": bsn, "gebeurtenisId": code}
        )
        status = answer.get("thuis_status")
        self.stdout.write(f"notificatie {code} verstuurd: Thuis antwoordde {status}")
        if status != 201:
            raise CommandError("Thuis nam de notificatie niet aan. Staan de OIN's goed?")

    def _extend(self, options: dict[str, Any]) -> None:
        answer = self._control(
            options,
            "/_simulator/verlengingen",
            {
                "bsn": options["bsn"],
                "maanden": options["maanden"],
                "gebeurtenisId": options["code"],
                "verlengingsgrondcode": options["grond"],
            },
        )
        self.stdout.write(
            f"termijn verlengd tot {answer['termijn']['einddatum']}; notificatie "
            f"{options['code']} verstuurd: Thuis antwoordde {answer.get('thuis_status')}"
        )

    # --- the simulator itself ---

    def _serve(self, options: dict[str, Any]) -> None:
        state = SimulatorState(
            duo_oin=options["duo_oin"],
            gemeente_oin=options["gemeente_oin"],
            gemeentecode=options["gemeentecode"],
            thuis_url=options["thuis_url"],
        )
        if options["demo"]:
            if not settings.THUIS_DEMO:
                raise CommandError("--demo kan alleen in een demo-omgeving (THUIS_DEMO=true).")
            state.lookup = _demo_lookup(options["gemeentecode"])
        for bsn in options["persoon"]:
            if not is_valid_bsn(bsn):
                raise CommandError("Een --persoon moet een geldig BSN zijn.")
            state.add_person(bsn, begindatum=timezone.localdate())
        server, _thread = serve(state, port=options["port"])
        self.stdout.write(
            f"DUO-simulator op http://127.0.0.1:{server.server_port}/v1 "
            f"(DUO-OIN {state.duo_oin}, gemeente-OIN {state.gemeente_oin}). Stop met Ctrl-C."
        )
        self.stdout.flush()
        for item in options["push"]:
            bsn, _sep, code = item.partition(":")
            if state.person(bsn) is None:
                state.add_person(bsn, begindatum=timezone.localdate())
            status = state.push(bsn=bsn, gebeurtenis_id=code or "SS139")
            self.stdout.write(f"notificatie {code or 'SS139'} verstuurd: Thuis antwoordde {status}")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            server.shutdown()


def _demo_lookup(gemeentecode: str) -> Any:
    source = demo_source()
    if source is None:
        raise CommandError("--demo heeft de demo-app nodig (alleen in de ontwikkelinstellingen).")

    def lookup(bsn: str) -> SimPerson | None:
        try:
            return source(bsn, gemeentecode)
        finally:
            connection.close()  # this thread's connection; the simulator has many threads

    return lookup
